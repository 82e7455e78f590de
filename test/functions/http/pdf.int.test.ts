import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../functions/http/app.tsx';
import { allForms, getForm } from '../../../forms/index.ts';
import { liveContent, NOTHING_PUBLISHED } from '../../../shared/content/live.ts';
import { fieldName } from '../../../shared/forms/answers.ts';
import { tokenFor } from '../../../shared/links.ts';
import type { RequestRecord } from '../../../shared/model/requests.ts';
import type { Placement } from '../../../shared/roster/placement.ts';
import { saveForm } from '../../../shared/usecases/form.ts';
import { createRequest } from '../../../shared/usecases/observation.ts';
import { ensureStudentLink } from '../../../shared/usecases/welcome.ts';
import { appDeps } from '../../support/app.ts';
import { freshBucket, freshTable, localClients } from '../../support/aws.ts';
import { completeFields } from '../../support/forms.ts';
import { flat, lines, pdfPages, pdfText } from '../../support/pdf.ts';
import { getWithSession, movableClock, postForm, signIn, staffPlacement } from '../../support/staff.ts';

const YEAR = '2025-2026';
const kijkwijzer = getForm('kijkwijzer-pedagogiek')!;
const advice = getForm('advies-wpb')!;
const FEEDBACK = ['De uitleg van Zoë was helder.', 'François en Ayşe werkten goed samen.', 'Volgende keer: differentiëren.'];
const SECRET = 'Alleen voor de SO en IO: MERKTEKEN-pdf-9z';
const NOT_SUBMITTED = 'Dit formulier is (nog) niet ingediend.';

/** The text of an HTML page as a reader sees it. */
const textOf = (html: string): string => html.replace(/<[^>]+>/g, ' ').replaceAll('&#39;', "'").replace(/\s+/g, ' ');

/** The href of the link with this text on a page. */
function linkTo(html: string, text: string): string {
  const match = new RegExp(`<a href="([^"]+)">${text}</a>`).exec(html);
  if (!match?.[1]) throw new Error(`no link "${text}"`);
  return match[1].replaceAll('&amp;', '&');
}

/**
 * The PDFs of issue 15 through the app (DynamoDB Local, S3, the local inbox for signing in): the
 * student's, the observer's and the staff's, reached by the links on their pages, and every way of
 * asking for one that must not give one.
 */
describe('the PDFs of a submitted form and of the year (DynamoDB Local)', () => {
  const clock = movableClock('2026-05-04T09:00');
  let deps: ReturnType<typeof appDeps>;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    const clients = localClients();
    deps = appDeps(clients, { tableName: await freshTable(clients), bucket: await freshBucket(clients) }, clock);
    app = createApp({ ...deps, signInRateLimits: { perAddress: 1000, perClient: 1000 }, rateLimits: { perAddress: 1_000_000, perToken: 1_000_000 } } as typeof deps);
  });

  /** A placement with its student's page token. */
  async function student(studentNumber: string, suffix: string, overrides: Parameters<typeof staffPlacement>[2] = {}): Promise<{ p: Placement; token: string }> {
    const p = staffPlacement(studentNumber, suffix, { student: { name: "Zoë Çelik-'t Hooft", email: `zoe.${studentNumber}@student.example.nl` }, ...overrides });
    await deps.placements.create(p, clock.now().toString());
    await ensureStudentLink(deps, p);
    const link = await deps.requests.getStudentLink(p.schoolYear, p.studentNumber);
    return { p, token: tokenFor(deps.linkSecret, link!.linkId) };
  }

  /** A kijkwijzer (or another form) asked of the WPB, with its form token. */
  async function asked(p: Placement, formId = kijkwijzer.id): Promise<{ request: RequestRecord; formToken: string }> {
    const request = await createRequest(deps, p, { formId, observerRole: 'wpb', ...(formId === kijkwijzer.id ? { lessonDate: '2026-05-04' } : {}) }, { origin: formId === kijkwijzer.id ? 'student' : 'auto' });
    return { request, formToken: tokenFor(deps.linkSecret, request.linkId) };
  }

  /** Submits the form by its page, as the WPB does. */
  async function submit(formToken: string, fields: Record<string, string>, basis = 0): Promise<void> {
    expect((await postForm(app, `/f/${formToken}`, { ...fields, basis: String(basis), actie: 'versturen' })).status).toBe(303);
  }

  const kijkwijzerFields = (text = FEEDBACK.join('\n')) => ({ ...completeFields(kijkwijzer, 'Duidelijk'), [fieldName('FEEDBACK')]: text });

  async function pdfOf(response: Response): Promise<Uint8Array> {
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    return new Uint8Array(await response.arrayBuffer());
  }

  it('gives the student the PDF of a submitted form by the link on its page, as a download named after them', async () => {
    const { p, token } = await student('8817001', 'pdf-student');
    const { request, formToken } = await asked(p);
    clock.set('2026-05-04T14:03');
    await submit(formToken, kijkwijzerFields());

    const page = await (await app.request(`/s/${token}/formulieren/${request.requestId}`)).text();
    const href = linkTo(page, 'Download als pdf');
    expect(href).toBe(`/s/${token}/formulieren/${request.requestId}.pdf`);
    const response = await app.request(href);
    const bytes = await pdfOf(response);
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="Zoe-Celik-'t-Hooft-Kijkwijzer-pedagogiek-2026-05-04.pdf"; filename*=UTF-8''Zo%C3%AB-%C3%87elik-%27t-Hooft-Kijkwijzer-pedagogiek-2026-05-04.pdf`,
    );
    expect(response.headers.get('cache-control')).toBe('no-store');

    const text = await pdfText(bytes);
    expect(lines(text)).toContain("Zoë Çelik-'t Hooft");
    const at = lines(text).indexOf(FEEDBACK[0]!);
    expect(lines(text).slice(at, at + 3)).toEqual(FEEDBACK);
    expect(flat(text)).toContain('Duidelijk (FEEDUP)');
    expect(flat(await pdfText(bytes, { layout: true }))).toContain('Ingediend op maandag 4 mei 2026 om 14:03');
    const events = await deps.audit.listForPlacement(YEAR, p.studentNumber, { requestId: request.requestId });
    expect(events.map((e) => [e.action, e.actor, e.detail])).toContainEqual(['gedownload', 'link:student', 'pdf van versie 1']);

    // A HEAD answers the same headers and records nothing.
    const head = await app.request(href, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('application/pdf');
    expect((await deps.audit.listForPlacement(YEAR, p.studentNumber, { requestId: request.requestId })).filter((e) => e.action === 'gedownload')).toHaveLength(1);
  });

  it("answers a Dutch 404 for another student's request, a request not submitted, an unknown version and a malformed id", async () => {
    const { p: a, token } = await student('8817002', 'pdf-weigering');
    const { p: b } = await student('8817003', 'pdf-ander', { student: { name: 'Óscar Núñez', email: 'oscar.8817003@student.example.nl' } });
    const theirs = await asked(b);
    await submit(theirs.formToken, kijkwijzerFields());
    const mine = await asked(a);
    await submit(mine.formToken, kijkwijzerFields());
    const open = await asked(a, 'experiment-wpp7');

    for (const [path, message] of [
      [`/s/${token}/formulieren/${theirs.request.requestId}.pdf`, NOT_SUBMITTED],
      [`/s/${token}/formulieren/${open.request.requestId}.pdf`, NOT_SUBMITTED],
      [`/s/${token}/formulieren/${mine.request.requestId}.pdf?versie=7`, 'Deze versie van het formulier bestaat niet of is niet ingediend.'],
      [`/s/${token}/formulieren/${mine.request.requestId}.pdf?versie=1e3`, 'Deze versie van het formulier bestaat niet of is niet ingediend.'],
      [`/s/${token}/formulieren/${'x'.repeat(3000)}.pdf`, NOT_SUBMITTED],
      [`/f/${open.formToken}/formulier.pdf`, NOT_SUBMITTED],
    ] as const) {
      const response = await app.request(path);
      expect(response.status, path).toBe(404);
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(textOf(await response.text())).toContain(message);
    }
    // The student's own form, by the same route, is there.
    expect((await app.request(`/s/${token}/formulieren/${mine.request.requestId}.pdf`)).status).toBe(200);
  });

  it('gives an earlier version on request and the latest without, and the observer the form they submitted by the link on their page', async () => {
    const { p, token } = await student('8817004', 'pdf-versies');
    const { request, formToken } = await asked(p);
    const before = await app.request(`/f/${formToken}/formulier.pdf`);
    expect(before.status).toBe(404);
    expect(await (await app.request(`/f/${formToken}`)).text()).not.toContain('formulier.pdf');

    await submit(formToken, kijkwijzerFields('Eerste versie van de feedback.'));
    await submit(formToken, kijkwijzerFields('Gecorrigeerde feedback.'), 1);

    const latest = await pdfText(await pdfOf(await app.request(`/s/${token}/formulieren/${request.requestId}.pdf`)));
    expect(latest).toContain('Gecorrigeerde feedback.');
    expect(latest).not.toContain('Eerste versie van de feedback.');
    const first = await pdfText(await pdfOf(await app.request(`/s/${token}/formulieren/${request.requestId}.pdf?versie=1`)), { layout: true });
    expect(first).toContain('Eerste versie van de feedback.');
    expect(first).toMatch(/^Ingediende versie +1$/m);

    const formPage = await (await app.request(`/f/${formToken}`)).text();
    const observer = await pdfText(await pdfOf(await app.request(linkTo(formPage, 'Download het ingediende formulier als pdf'))));
    expect(observer).toContain('Gecorrigeerde feedback.');
    expect(observer).toContain("Jan van 't Hek, werkplekbegeleider (WPB)");
  });

  it("never puts the advice's part for the SO and IO in the student's PDF or bundle; the staff's PDF and bundle have it, from the links on their pages", async () => {
    const { p, token } = await student('8817005', 'pdf-advies', { school: 'Het Lyceum Ûtrecht' });
    const { request, formToken } = await asked(p, advice.id);
    await submit(formToken, { ...completeFields(advice, 'Open toelichting'), [fieldName('ADV-VERTROUWELIJK')]: SECRET });

    const mine = await pdfText(await pdfOf(await app.request(`/s/${token}/formulieren/${request.requestId}.pdf`)));
    expect(mine).not.toContain('MERKTEKEN');
    expect(flat(mine)).toContain('Dit formulier heeft ook een deel dat alleen de schoolopleider en de instituutsopleider lezen.');
    const studentPage = await (await app.request(`/s/${token}`)).text();
    const bundle = await pdfText(await pdfOf(await app.request(linkTo(studentPage, 'Groeidossier als pdf'))));
    expect(bundle).toContain(advice.title);
    expect(bundle).not.toContain('MERKTEKEN');

    const session = await signIn(app, p.so.email);
    const staffPage = await (await getWithSession(app, `/overzicht/formulier/${YEAR}/${p.studentNumber}/${request.requestId}`, session)).text();
    const href = linkTo(staffPage, 'Download als pdf');
    expect(href).toBe(`/overzicht/formulier/${YEAR}/${p.studentNumber}/${request.requestId}.pdf?versie=1`);
    const staffPdf = await getWithSession(app, href, session);
    expect(staffPdf.headers.get('cache-control')).toBe('no-store');
    expect(flat(await pdfText(await pdfOf(staffPdf)))).toContain(SECRET);

    const overview = await (await getWithSession(app, `/overzicht/student/${YEAR}/${p.studentNumber}`, session)).text();
    const staffBundle = await pdfOf(await getWithSession(app, linkTo(overview, 'Groeidossier als pdf'), session));
    expect(flat(await pdfText(staffBundle))).toContain(SECRET);
    expect((await pdfPages(staffBundle))[1]).toMatch(/^Inhoud$/m);
    const events = await deps.audit.listForPlacement(YEAR, p.studentNumber);
    expect(events.map((e) => [e.action, e.actor, e.detail ?? ''])).toEqual(
      expect.arrayContaining([
        ['gedownload', 'link:student', 'groeidossier als pdf'],
        ['gedownload', p.so.email, 'pdf van versie 1'],
        ['gedownload', p.so.email, 'groeidossier als pdf'],
      ]),
    );

    // Staff of another school: 403 for both; an unknown version: 404.
    const other = await student('8817006', 'pdf-elders', { school: 'Ander College' });
    const outsider = await signIn(app, other.p.so.email);
    expect((await getWithSession(app, href, outsider)).status).toBe(403);
    expect((await getWithSession(app, `/overzicht/student/${YEAR}/${p.studentNumber}/groeidossier.pdf`, outsider)).status).toBe(403);
    const unknown = await getWithSession(app, `/overzicht/formulier/${YEAR}/${p.studentNumber}/${request.requestId}.pdf?versie=5`, session);
    expect(unknown.status).toBe(404);
    expect(textOf(await unknown.text())).toContain('Deze versie van het formulier bestaat niet of is niet ingediend.');
    // Not signed in: to the sign-in page.
    expect((await app.request(href)).status).toBe(303);
  });

  it('renders a form in the version it was submitted in, after a newer version was published', async () => {
    const { p, token } = await student('8817007', 'pdf-formulierversie');
    const { request, formToken } = await asked(p, advice.id);
    // Submitted while version 1 was the latest the app knew.
    const withoutV2 = liveContent({ forms: allForms.filter((def) => !(def.id === advice.id && def.version === 2)) }, NOTHING_PUBLISHED);
    const fields = { ...completeFields(getForm(advice.id, 1)!, 'Toelichting bij versie 1'), basis: '0', actie: 'versturen' };
    expect(await saveForm({ ...deps, forms: withoutV2.forms }, { token: formToken, body: fields })).toEqual({ kind: 'saved', status: 'ingediend' });
    expect(advice.version).toBe(2);

    const text = flat(await pdfText(await pdfOf(await app.request(`/s/${token}/formulieren/${request.requestId}.pdf`)), { layout: true }));
    expect(text).toContain('Formulier Advies van de werkplekbegeleider, formulierversie 1');
    expect(text).toContain('Toelichting voor de schoolopleider en instituutsopleider');
    expect(text).not.toContain('Toelichting bij uw advies');
    expect(text).not.toContain('Alleen voor de schoolopleider en de instituutsopleider');
  });
});
