import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../functions/http/app.tsx';
import { getForm } from '../../../forms/index.ts';
import { fieldName } from '../../../shared/forms/answers.ts';
import { tokenFor } from '../../../shared/links.ts';
import type { RequestRecord } from '../../../shared/model/requests.ts';
import type { Placement } from '../../../shared/roster/placement.ts';
import { createRequest } from '../../../shared/usecases/observation.ts';
import { ensureStudentLink } from '../../../shared/usecases/welcome.ts';
import { appDeps } from '../../support/app.ts';
import { freshBucket, freshTable, localClients } from '../../support/aws.ts';
import { completeFields } from '../../support/forms.ts';
import { inboxOf, tokenIn } from '../../support/inbox.ts';
import { getWithSession, movableClock, postForm, signIn, staffPlacement } from '../../support/staff.ts';

const YEAR = '2025-2026';
const advice = getForm('advies-wpb')!;
/** In the answer for the SO and IO only, and nowhere else: it must not reach the student's HTML. */
const MARKER = 'MERKTEKEN-k7q3x';
const STAFF_ANSWER = `Zorg van Jan over Zoë's planning: ${MARKER}\nTweede regel, met "aanhalingstekens".`;
/** Only in the answers the student reads. */
const OPEN_TEXT = "Zoë Ó'Brien legt helder uit";
const NOTICE = 'Alleen voor de schoolopleider en de instituutsopleider: de student leest dit deel niet.';
const PART_NOTE = 'Dit formulier heeft ook een deel dat alleen de schoolopleider en de instituutsopleider lezen.';

/** The text of a page, without tags and with HTML's escapes undone, as a reader sees it. */
const textOf = (html: string): string =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replaceAll('&#39;', "'")
    .replaceAll('&quot;', '"')
    .replaceAll('&amp;', '&')
    .replace(/\s+/g, ' ');

/**
 * The advice's route, must-have 4: version 2 of the advice says who reads which part, its last
 * section is for the SO and IO only. The student's view of the submission leaves that part out of
 * the HTML and says it exists, as does the student's page; the staff view and the CSV show it.
 */
describe('the part of the advice for the SO and IO only (DynamoDB Local, S3, the local inbox)', () => {
  const clock = movableClock('2026-05-04T09:00');
  let app: ReturnType<typeof createApp>;
  let deps: ReturnType<typeof appDeps>;

  beforeAll(async () => {
    const clients = localClients();
    deps = appDeps(clients, { tableName: await freshTable(clients), bucket: await freshBucket(clients) }, clock);
    app = createApp({ ...deps, signInRateLimits: { perAddress: 1000, perClient: 1000 }, rateLimits: { perAddress: 1_000_000, perToken: 1_000_000 } } as typeof deps);
  });

  /** A placement with its student's page token (from the welcome email) and an advice request for the WPB. */
  async function placementWithAdvice(studentNumber: string, suffix: string): Promise<{ p: Placement; token: string; request: RequestRecord; formToken: string }> {
    const p = staffPlacement(studentNumber, suffix, {
      student: { name: "Zoë Çelik-'t Hooft", email: `zoe.${studentNumber}@student.example.nl` },
      so: { name: 'Saskia Ëlberg', email: `so.${suffix}@lezers.example.nl` },
      io: { name: 'Óscar Jansen', email: `io.${suffix}@lezers.example.nl` },
    });
    await deps.placements.create(p, clock.now().toString());
    await ensureStudentLink(deps, p);
    const token = tokenIn((await inboxOf(p.student.email))[0], 's');
    const request = await createRequest(deps, p, { formId: 'advies-wpb', observerRole: 'wpb' }, { origin: 'auto' });
    return { p, token, request, formToken: tokenFor(deps.linkSecret, request.linkId) };
  }

  it("shows the WPB the intro and the notice on the last section, and the student's page says such a part exists", async () => {
    const { token, formToken } = await placementWithAdvice('8815001', 'formulier');

    const form = await app.request(`/f/${formToken}`);
    expect(form.status).toBe(200);
    const html = await form.text();
    expect(advice.version).toBe(2);
    expect(textOf(html)).toContain('De student, de SO en de IO lezen uw advies, de onderbouwing en de toelichting. Het laatste deel is alleen voor de SO en IO');
    expect(html).toContain(`<legend class="wf-section-title">Alleen voor de schoolopleider en de instituutsopleider</legend><p class="wf-readers" id="r-VERTROUWELIJK"><strong>${NOTICE}</strong></p>`);
    expect(html).toContain('name="a.ADV-VERTROUWELIJK"');

    const page = await (await app.request(`/s/${token}`)).text();
    expect(page).toContain(PART_NOTE);
  });

  it("leaves the staff-only answer out of the student's HTML and emails, and shows it to the SO on the staff page and in the CSV", async () => {
    const { p, token, request, formToken } = await placementWithAdvice('8815002', 'ingediend');
    clock.set('2026-05-06T14:03');
    const fields = { ...completeFields(advice, OPEN_TEXT), [fieldName('ADV-VERTROUWELIJK')]: STAFF_ANSWER, basis: '0', actie: 'versturen' };
    expect((await postForm(app, `/f/${formToken}`, fields)).status).toBe(303);

    // The student's view of the submission: their part, the note, and nothing of the rest.
    const response = await app.request(`/s/${token}/formulieren/${request.requestId}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).not.toContain(MARKER);
    expect(html).not.toContain('Zorg van Jan');
    expect(html).not.toContain('VERTROUWELIJK');
    expect(html).not.toContain('Alleen voor SO en IO');
    expect(html).not.toContain('class="wf-readers"');
    expect(html).toContain(PART_NOTE);
    expect(textOf(html)).toContain(`${OPEN_TEXT} (ADV-PED)`);
    expect(textOf(html)).toContain(`${OPEN_TEXT} (ADV-TOELICHTING)`);
    expect(textOf(html)).toContain('Positief: de student is op koers om N2 af te ronden');

    // The student's page: the advice, readable, with the note beside it.
    const page = await (await app.request(`/s/${token}`)).text();
    expect(page).toContain(`<a href="/s/${token}/formulieren/${request.requestId}">${advice.title}</a>`);
    expect(page).toContain(PART_NOTE);
    expect(page).not.toContain(MARKER);

    // The email telling the student it is in carries no answers at all.
    const toStudent = (await inboxOf(p.student.email)).filter((mail) => mail.subject.startsWith(advice.title));
    expect(toStudent).toHaveLength(1);
    expect(`${toStudent[0]!.body.text}${toStudent[0]!.body.html}`).not.toContain(MARKER);

    // The SO signed in reads everything, the part for SO and IO marked as such, and the CSV has it.
    const session = await signIn(app, p.so.email);
    const staff = await getWithSession(app, `/overzicht/formulier/${YEAR}/${p.studentNumber}/${request.requestId}`, session);
    expect(staff.status).toBe(200);
    const staffHtml = await staff.text();
    expect(staffHtml).toContain(MARKER);
    expect(staffHtml).toContain(`<h2>Alleen voor de schoolopleider en de instituutsopleider</h2><p class="wf-readers"><strong>${NOTICE}</strong></p>`);
    expect(textOf(staffHtml)).toContain(`${OPEN_TEXT} (ADV-PED)`);
    const csv = await getWithSession(app, `/overzicht/export.csv?jaar=${YEAR}&periode=4`, session);
    expect(csv.status).toBe(200);
    const body = await csv.text();
    expect(body).toContain(MARKER);
    expect(body).toContain(`${OPEN_TEXT} (ADV-PED)`);
  });

  it("says nothing of such a part beside a request whose form has none, nor on a view of it", async () => {
    const p = staffPlacement('8815003', 'kijkwijzer', { student: { name: 'Daniëlle de Wit', email: 'danielle.8815003@student.example.nl' } });
    await deps.placements.create(p, clock.now().toString());
    await ensureStudentLink(deps, p);
    const token = tokenIn((await inboxOf(p.student.email))[0], 's');
    const kijkwijzer = getForm('kijkwijzer-pedagogiek')!;
    const request = await createRequest(deps, p, { formId: kijkwijzer.id, observerRole: 'wpb', lessonDate: '2026-05-04' }, { origin: 'student' });
    const fields = { ...completeFields(kijkwijzer, OPEN_TEXT), basis: '0', actie: 'versturen' };
    expect((await postForm(app, `/f/${tokenFor(deps.linkSecret, request.linkId)}`, fields)).status).toBe(303);

    const page = await (await app.request(`/s/${token}`)).text();
    expect(page).toContain(`/s/${token}/formulieren/${request.requestId}`);
    expect(page).not.toContain(PART_NOTE);
    const view = await (await app.request(`/s/${token}/formulieren/${request.requestId}`)).text();
    expect(textOf(view)).toContain(`${OPEN_TEXT} (FEEDBACK)`);
    expect(view).not.toContain(PART_NOTE);
  });

  it('follows the form version an advice was saved in: one saved in version 1 has no such part, and the student reads all of it', async () => {
    const { token, request } = await placementWithAdvice('8815004', 'versie1');
    const v1 = getForm('advies-wpb', 1)!;
    const answers = { 'ADV-ADVIES': 'twijfel', 'ADV-PED': OPEN_TEXT, 'ADV-DID': OPEN_TEXT, 'ADV-VAK': OPEN_TEXT, 'ADV-PRO': OPEN_TEXT, 'ADV-TOELICHTING': STAFF_ANSWER };
    await deps.requests.saveVersion(request, 0, {
      formId: v1.id,
      formVersion: v1.version,
      answers,
      status: 'ingediend',
      savedAt: clock.now().toString(),
      savedBy: request.observer.email,
      attachments: [],
    });

    const page = await (await app.request(`/s/${token}`)).text();
    expect(page).toContain(`/s/${token}/formulieren/${request.requestId}`);
    expect(page).not.toContain(PART_NOTE);
    const view = await (await app.request(`/s/${token}/formulieren/${request.requestId}`)).text();
    expect(view).toContain(MARKER);
    expect(view).not.toContain(PART_NOTE);
  });
});
