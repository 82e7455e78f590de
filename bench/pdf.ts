/**
 * Benchmark 7: the groeidossier's PDFs (issue 15, docs/groeidossier.md).
 *
 * - One form: the observer's PDF of a submitted full kijkwijzer (GET /f/<token>/formulier.pdf, every
 *   item answered, the free texts three lines long) against the HTML render of the same submitted
 *   form (GET /f/<token>, its read-only view), both in process through `app.request()` over the
 *   in-memory stores, interleaved (bench 2's way). The same reads, middleware and audit event on
 *   both sides: the difference is the PDF. For the notes, the renderer alone (the document
 *   definition and `renderPdf`, no route).
 * - A bundle: the year's groeidossier of one student with 20 submitted kijkwijzers (three forms,
 *   spread over the four periods, every item answered) made by the bundle's document definition
 *   and `renderPdf`, as the use-case does after its reads, against the same 20 forms rendered one
 *   PDF at a time: the time per bundle and its ratio to one form's PDF (the mean of the 20).
 *
 * The fonts are read and their coverage checked once per process, at the first PDF (in the
 * warm-up): the figures are those of a warm Lambda.
 *
 * Run alone: `npx tsx bench/pdf.ts`.
 */
import { Temporal } from 'temporal-polyfill';
import { createApp } from '../functions/http/app.tsx';
import { getForm } from '../forms/index.ts';
import { tokenFor } from '../shared/links.ts';
import { bundleDocument } from '../shared/pdf/bundle.ts';
import { documentBase, footer, type PdfDocument } from '../shared/pdf/document.ts';
import { renderPdf } from '../shared/pdf/render.ts';
import { submissionDocument, type SubmissionPdfInput } from '../shared/pdf/submission.ts';
import { createRequest, type RequestDeps } from '../shared/usecases/observation.ts';
import { ensureStudentLink } from '../shared/usecases/welcome.ts';
import { completeFields } from '../test/support/forms.ts';
import { BENCH_LINK_SECRET, BENCH_ORIGIN, benchClock, benchPlacement, benchSubmission, KIJKWIJZER } from './fixtures.ts';
import { memoryAppDeps } from './memory-stores.ts';
import { compareTimes, fmtMs, fmtRatio, isMain, median, runAlone, yesNo, type BenchContext } from './support.ts';

/** The goal for one form's PDF against its HTML page. */
const PDF_GOAL = 10;
/** Forms in the bundle. */
const BUNDLE_FORMS = 20;
/** A bundle may cost at most what its forms cost rendered one PDF at a time. */
const BUNDLE_GOAL = BUNDLE_FORMS;
/** Interleaved rounds of the bundle benchmark (each: one bundle, then the 20 forms one by one). */
const BUNDLE_ROUNDS = 5;
/** The link pages' rate limits, lifted: in-process requests all count under one "unknown" address. */
const NO_LIMITS = { perAddress: 1_000_000_000, perToken: 1_000_000_000 };

/** A free text as a WPB types it: plain line breaks. */
const ANSWER_TEXT = 'De les begon rustig; iedereen wist wat de bedoeling was.\nDe instructie was kort en helder.\nVolgende keer: meer tijd voor vragen aan het eind';

/** The number of pages of a pdfkit PDF (its page objects; the content streams are compressed, so nothing else matches). */
function pageCount(bytes: Uint8Array): number {
  return Buffer.from(bytes).toString('latin1').match(/\/Type \/Page\b(?!s)/g)?.length ?? 0;
}

const kB = (bytes: number) => `${Math.round(bytes / 1024)} kB`;

/** A document of three lines in the faces a form's PDF uses: the fixed cost of a PDF. */
const MINIMAL: PdfDocument = {
  ...documentBase(),
  content: ['Zoë de Vries', { text: 'Kijkwijzer pedagogiek', bold: true }, { text: 'niet ingevuld', italics: true }],
  footer: footer('Aanvraag'),
  info: { title: 'Proef' },
};

/** One form: its PDF against the HTML render of the same submitted form, through the app. */
async function benchOneForm(ctx: BenchContext): Promise<number> {
  const { deps, requests, unfakedCalls } = memoryAppDeps({ clock: benchClock(), publicOrigin: BENCH_ORIGIN, linkSecret: BENCH_LINK_SECRET, rateLimits: NO_LIMITS });
  const app = createApp(deps);
  const placement = benchPlacement(1);
  const requestDeps: RequestDeps = deps;
  await ensureStudentLink(requestDeps, placement);
  const request = await createRequest(
    requestDeps,
    placement,
    { formId: KIJKWIJZER.id, observerRole: 'wpb', lessonDate: '2025-11-12', className: 'H2b', question: 'Let op mijn klassenmanagement' },
    { origin: 'student' },
  );
  const token = tokenFor(BENCH_LINK_SECRET, request.linkId);
  const body = new URLSearchParams({ ...completeFields(KIJKWIJZER, ANSWER_TEXT), actie: 'versturen', basis: '0' }).toString();
  const submitted = await app.request(`/f/${token}`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: BENCH_ORIGIN }, body });
  if (submitted.status !== 303) throw new Error(`submitting the kijkwijzer answered ${submitted.status}: ${(await submitted.text()).slice(0, 200)}`);
  const [version] = await requests.listVersions(request);
  if (version?.status !== 'ingediend') throw new Error('the kijkwijzer was not submitted');
  const stored = (await requests.get(request.schoolYear, request.studentNumber, request.requestId))!;
  const input: SubmissionPdfInput = { request: stored, version, def: KIJKWIJZER, attachments: [], audience: 'staff' };

  let htmlBytes = 0;
  let pdfBytes: Uint8Array = new Uint8Array();
  const times = await compareTimes(
    {
      html: async () => {
        const response = await app.request(`/f/${token}`);
        if (response.status !== 200) throw new Error(`GET /f/<token> answered ${response.status}`);
        htmlBytes = (await response.text()).length;
      },
      pdf: async () => {
        const response = await app.request(`/f/${token}/formulier.pdf`);
        if (response.status !== 200 || response.headers.get('content-type') !== 'application/pdf') {
          throw new Error(`GET /f/<token>/formulier.pdf answered ${response.status} ${response.headers.get('content-type')}: ${(await response.text()).slice(0, 200)}`);
        }
        pdfBytes = new Uint8Array(await response.arrayBuffer());
      },
      renderer: async () => {
        await renderPdf(submissionDocument(input));
      },
      // What every PDF costs before its content: one line in each of the faces the form uses.
      minimal: async () => {
        await renderPdf(MINIMAL);
      },
    },
    { batches: 9 },
  );
  if (unfakedCalls.length > 0) throw new Error(`the routes called stores the benchmark does not fake: ${[...new Set(unfakedCalls)].join(', ')}`);
  if (!Buffer.from(pdfBytes.subarray(0, 5)).equals(Buffer.from('%PDF-'))) throw new Error('the PDF route did not send a PDF');

  const items = KIJKWIJZER.sections.reduce((sum, section) => sum + section.items.length, 0);
  const ratio = times.pdf.ms / times.html.ms;
  ctx.report({
    benchmark: '7 PDF of one full kijkwijzer (GET /f/<token>/formulier.pdf, in process)',
    figure: `${fmtMs(times.pdf.ms)} per PDF (${pageCount(pdfBytes)} pages, ${kB(pdfBytes.length)})`,
    baseline: `HTML of the same submitted form (GET /f/<token>) ${fmtMs(times.html.ms)} (${kB(htmlBytes)})`,
    ratio: fmtRatio(ratio),
    goal: `≤ ${PDF_GOAL}×`,
    met: yesNo(ratio <= PDF_GOAL),
  });
  ctx.note(
    `7, one form: ${KIJKWIJZER.title} with all ${items} items answered (the free texts three lines), the observer's PDF (every section) against the read-only page of the same ` +
      `submitted form, both through \`app.request()\` over the memory stores (bench/memory-stores.ts), interleaved, median of 9 batches of ≥ 10 after 0.5 s warm-up ` +
      `(fonts read at the first PDF, in the warm-up). The renderer alone (document definition + \`renderPdf\`, no route) takes ${fmtMs(times.renderer.ms)} ` +
      `(${fmtRatio(times.renderer.ms / times.html.ms)} the HTML route): the route's reads, audit event and response add ${fmtMs(Math.max(0, times.pdf.ms - times.renderer.ms))}. ` +
      `A PDF of three lines in the same three faces (regular, bold, oblique) takes ${fmtMs(times.minimal.ms)}: the fixed cost of a document (each face subset, embedded ` +
      `and compressed); the faces are parsed once per process and their word layouts and glyph outlines shared (shared/pdf/font-cache.ts), so the rest is pdfmake's ` +
      `layout of the content, pdfkit's writing and garbage collection.`,
  );
  return times.pdf.ms;
}

/** Submission `n` of the bundle's student: a full kijkwijzer (one of three) in period 1–4, submitted in turn. */
function bundleSubmission(n: number): Omit<SubmissionPdfInput, 'audience'> {
  const placement = benchPlacement(1);
  const period = ((n - 1) % 4) + 1;
  const { request, version } = benchSubmission(n, { idPrefix: 'pdf', period, text: ANSWER_TEXT });
  const savedAt = Temporal.Instant.from('2025-09-15T12:00:00Z').add({ hours: 24 * 7 * n }).toString();
  return {
    request: { ...request, studentNumber: placement.studentNumber, student: placement.student, school: placement.school, vak: placement.vak, observer: placement.wpb },
    version: { ...version, savedAt },
    def: getForm(version.formId)!,
    attachments: version.attachments.map((a) => ({ name: a.name })),
  };
}

/** A bundle of 20 forms against the same forms rendered one PDF at a time. */
async function benchBundle(ctx: BenchContext, onePdfRouteMs: number): Promise<void> {
  const placement = benchPlacement(1);
  const submissions = Array.from({ length: BUNDLE_FORMS }, (_, i) => bundleSubmission(i + 1));
  const now = benchClock().now();
  const bundle = () => renderPdf(bundleDocument({ placement, submissions, appointments: [], formTitle: (id) => getForm(id)?.title ?? id, audience: 'student', now }));
  const forms = async () => {
    for (const submission of submissions) await renderPdf(submissionDocument({ ...submission, audience: 'student' }));
  };

  // Warm-up: one of each (the first PDF of the process reads the fonts).
  let bytes = await bundle();
  await forms();
  const bundleMs: number[] = [];
  const formMs: number[] = [];
  for (let round = 0; round < BUNDLE_ROUNDS; round++) {
    // The order flips each round, so neither side always follows the other's garbage.
    const steps: [number[], () => Promise<unknown>][] = [
      [bundleMs, async () => (bytes = await bundle())],
      [formMs, forms],
    ];
    for (const [times, run] of round % 2 === 0 ? steps : steps.reverse()) {
      const start = performance.now();
      await run();
      times.push(performance.now() - start);
    }
  }
  const perBundle = median(bundleMs);
  const perForm = median(formMs) / BUNDLE_FORMS;
  const ratio = perBundle / perForm;
  const pages = pageCount(bytes);
  if (pages < BUNDLE_FORMS + 2) throw new Error(`the bundle has ${pages} pages, fewer than its title, contents and ${BUNDLE_FORMS} forms`);
  ctx.report({
    benchmark: `7 groeidossier of ${BUNDLE_FORMS} forms (bundle document + renderPdf, in process)`,
    figure: `${fmtMs(perBundle)} per bundle (${pages} pages, ${kB(bytes.length)})`,
    baseline: `one form's PDF ${fmtMs(perForm)} (mean of the same ${BUNDLE_FORMS} rendered one at a time)`,
    ratio: fmtRatio(ratio),
    goal: `≤ ${BUNDLE_GOAL}× (no more than its forms one by one)`,
    met: yesNo(ratio <= BUNDLE_GOAL),
  });
  ctx.note(
    `7, bundle: ${BUNDLE_FORMS} submitted kijkwijzers (pedagogiek, didactiek, vakdidactiek in turn, periods 1–4, every item answered, the free texts three lines; ` +
      `the student's bundle, so without the parts for staff only) and no appointments, median of ${BUNDLE_ROUNDS} interleaved rounds after a warm-up. ` +
      `The store reads of the route are left out (they are a BatchGet of the latest versions). ` +
      `Against one form's PDF through the route (${fmtMs(onePdfRouteMs)}): ${fmtRatio(perBundle / onePdfRouteMs)}.`,
  );
}

export async function benchPdf(ctx: BenchContext): Promise<void> {
  const onePdfRouteMs = await benchOneForm(ctx);
  await benchBundle(ctx, onePdfRouteMs);
}

if (isMain(import.meta.url)) {
  await runAlone('PDF of one form and a groeidossier', benchPdf, { needsStack: false });
}
