/**
 * Benchmark 2: the observer's form page (GET /f/<token>) and a full, valid kijkwijzer submit
 * (POST /f/<token>, actie=versturen) in process through `app.request()`, with the real app,
 * validation and rendering over in-memory stores, against a hello-world Hono route measured the
 * same way.
 *
 * Run alone: `npx tsx bench/form.ts`.
 */
import { Hono } from 'hono';
import { createApp } from '../functions/http/app.tsx';
import { formTitle } from '../forms/index.ts';
import { createRequest, ensureStudentLink, type RequestDeps } from '../shared/requests.ts';
import { tokenFor } from '../shared/links.ts';
import { BENCH_LINK_SECRET, BENCH_ORIGIN, benchClock, benchPlacement, formBody, KIJKWIJZER } from './fixtures.ts';
import { memoryAppDeps } from './memory-stores.ts';
import { compareTimes, fmtMs, fmtRatio, isMain, runAlone, yesNo, type BenchContext } from './support.ts';

const GOAL = 5;
/** The link pages' rate limits, lifted: in-process requests all count under one "unknown" address. */
const NO_LIMITS = { perAddress: 1_000_000_000, perToken: 1_000_000_000 };

export async function benchForm(ctx: BenchContext): Promise<void> {
  const { deps, requests, mailer, audit, unfakedCalls } = memoryAppDeps({
    clock: benchClock(),
    publicOrigin: BENCH_ORIGIN,
    linkSecret: BENCH_LINK_SECRET,
    rateLimits: NO_LIMITS,
  });
  const app = createApp(deps);

  // One placement, its student link (the receipt links to the student's page) and a kijkwijzer
  // request of the WPB, made by the real request code over the memory stores.
  const placement = benchPlacement(1);
  const requestDeps: RequestDeps = deps;
  await ensureStudentLink(requestDeps, placement);
  const request = await createRequest(
    requestDeps,
    placement,
    { formId: KIJKWIJZER.id, observerRole: 'wpb', lessonDate: '2025-11-12', className: 'H2b', question: 'Let op mijn klassenmanagement' },
    { origin: 'student', formTitle: (id) => formTitle(id) },
  );
  const token = tokenFor(BENCH_LINK_SECRET, request.linkId);
  const path = `/f/${token}`;
  const post = (body: string) =>
    app.request(path, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: BENCH_ORIGIN }, body });

  // A saved draft with every answer, so the page renders a filled-in form.
  let basis = 0;
  const draft = await post(formBody('concept', basis));
  if (draft.status !== 303) throw new Error(`saving a draft answered ${draft.status}`);
  basis++;

  const hello = new Hono().get('/', (c) => c.text('hallo'));
  const times = await compareTimes({
    hello: async () => {
      const response = await hello.request('/');
      if (response.status !== 200) throw new Error(`hello answered ${response.status}`);
      await response.text();
    },
    render: async () => {
      const response = await app.request(path);
      if (response.status !== 200) throw new Error(`GET /f/<token> answered ${response.status}`);
      await response.text();
    },
    submit: async () => {
      const response = await post(formBody('versturen', basis));
      if (response.status !== 303) throw new Error(`POST /f/<token> answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
      basis++;
      // The receipts go to a MemoryMailer; keep its list from growing for the whole run.
      mailer.sent.length = 0;
    },
    // For the notes: createApp's middleware alone (secure headers, CSRF check, body check).
    health: async () => {
      const response = await app.request('/health');
      await response.text();
    },
  });
  const { hello: helloTime, render: renderTime, submit: submitTime, health } = times;
  const pageBytes = (await (await app.request(path)).text()).length;
  if (unfakedCalls.length > 0) throw new Error(`the form routes called stores the benchmark does not fake: ${[...new Set(unfakedCalls)].join(', ')}`);
  const versions = await requests.listVersions(request);
  if (versions.length !== basis) throw new Error(`expected ${basis} versions in the memory store, found ${versions.length}`);

  const renderRatio = renderTime.ms / helloTime.ms;
  ctx.report({
    benchmark: '2 form page render (GET /f/<token>, in process)',
    figure: `${fmtMs(renderTime.ms)} per page (${Math.round(pageBytes / 1024)} kB)`,
    baseline: `hello route ${fmtMs(helloTime.ms)}`,
    ratio: fmtRatio(renderRatio),
    goal: `≤ ${GOAL}×`,
    met: yesNo(renderRatio <= GOAL),
  });
  const submitRatio = submitTime.ms / helloTime.ms;
  ctx.report({
    benchmark: '2 form submit (POST /f/<token>, full kijkwijzer, in process)',
    figure: `${fmtMs(submitTime.ms)} per submit`,
    baseline: `hello route ${fmtMs(helloTime.ms)}`,
    ratio: fmtRatio(submitRatio),
    goal: `≤ ${GOAL}×`,
    met: yesNo(submitRatio <= GOAL),
  });

  ctx.note(
    `2: median of 15 interleaved batches (each ≥ 100 ms) after 0.5 s warm-up, \`app.request()\` in process, body read; memory stores (bench/memory-stores.ts), ` +
      `link-page rate limits lifted (all in-process requests share one address). Submit = full valid kijkwijzer-pedagogiek with actie=versturen ` +
      `(validation, append-only version, an audit event, two receipt emails rendered into a MemoryMailer), ${versions.length} versions saved, ` +
      `${audit.recorded} audit events recorded (page views and saves). ` +
      `For scale: GET /health through createApp's middleware (secure headers, CSRF check) takes ${fmtMs(health.ms)} ` +
      `(${fmtRatio(health.ms / helloTime.ms)} the bare hello route).`,
  );
}

if (isMain(import.meta.url)) await runAlone('form render and submit', benchForm, { needsStack: false });
