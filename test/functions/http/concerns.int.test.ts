import { beforeAll, describe, expect, it } from 'vitest';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createApp } from '../../../functions/http/app.tsx';
import { NOTICES } from '../../../functions/http/views/overview-navigation.ts';
import { formatDutchInstant, getPeriod, getSchoolYear } from '../../../shared/calendar.ts';
import { tokenFor } from '../../../shared/links.ts';
import { CONCERN_STEP_LABELS, CONCERN_TEXT_MAX } from '../../../shared/model/concerns.ts';
import type { ObserverRole, RequestRecord } from '../../../shared/model/requests.ts';
import type { Placement } from '../../../shared/roster/placement.ts';
import type { AwsClients } from '../../../shared/store/clients.ts';
import { workflowKeys } from '../../../shared/store/keys.ts';
import { createRequest } from '../../../shared/usecases/observation.ts';
import { appDeps } from '../../support/app.ts';
import { freshBucket, freshTable, localClients } from '../../support/aws.ts';
import { inboxOf, type InboxEmail } from '../../support/inbox.ts';
import { getWithSession, movableClock, postForm, signIn, staffPlacement } from '../../support/staff.ts';

const YEAR = '2025-2026';
const choice = { year: getSchoolYear(YEAR)!, period: getPeriod(YEAR, 1)! };
const SUBJECT = 'Zorg over de voortgang van Ómar Ëlbers-Çakır';
const WPB_NAME = "Özlem Çelik-'t Hart";
/** A reason as a browser sends a textarea: CR LF line breaks, quotes and `=`. */
const REASON = 'Komt vaak te laat binnen.\r\nLessen zijn niet voorbereid: "geen plan" =zorgelijk.\r\nGesprek op 3 november hielp niet.';
const REASON_STORED = REASON.replaceAll('\r\n', '\n');
const ADMIN = 'admin.zorg@hr.example.nl';

/** Text as Hono's JSX writes it into a page. */
const escaped = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');

/**
 * Concerns about progress (issue 14, must-have 5; docs/workflow.md) through the app on DynamoDB
 * Local and the local SES inbox: the WPB raises one from a form link, the SO, IO and SCO are each
 * emailed once and see it on the student page after signing in, record the seed's steps with date
 * and who, and close it, after which a new one can be raised; and every bad input of the issue.
 */
describe('concerns about progress: raised by the WPB from a form link, followed by the SO, IO and SCO', () => {
  const clock = movableClock('2025-11-10T09:00');
  let clients: AwsClients;
  let tableName: string;
  let app: ReturnType<typeof createApp>;
  let deps: ReturnType<typeof appDeps>;
  const sessions: Record<string, string> = {};
  let mine: Placement;
  let second: Placement;
  let others: Placement;
  let wpbRequest: RequestRecord;
  let soRequest: RequestRecord;

  async function ask(p: Placement, observerRole: ObserverRole = 'wpb', formId = 'kijkwijzer-pedagogiek'): Promise<RequestRecord> {
    return createRequest(deps, p, { formId, observerRole, lessonDate: '2025-11-05' }, { origin: 'student', choice });
  }
  const tokenOf = (r: RequestRecord) => tokenFor(deps.linkSecret, r.linkId);
  const studentPage = (p: Placement) => `/overzicht/student/${p.schoolYear}/${p.studentNumber}`;
  const raiseByLink = (r: RequestRecord, reden: string) => postForm(app, `/f/${tokenOf(r)}/zorg`, { reden });
  const raiseSigned = (p: Placement, session: string, reden: string) => postForm(app, `${studentPage(p)}/zorgen`, { reden, terug: studentPage(p) }, { cookie: session });
  const step = (p: Placement, concernId: string, session: string, stap: string, notitie = '') =>
    postForm(app, `${studentPage(p)}/zorgen/${concernId}/stappen`, { stap, notitie, terug: studentPage(p) }, { cookie: session });
  const concernsOf = (p: Placement) => deps.concerns.listForPlacement(p.schoolYear, p.studentNumber);
  const concernMails = async (address: string, subject = SUBJECT) => (await inboxOf(address)).filter((m: InboxEmail) => m.subject === subject);
  const marker = async (p: Placement) =>
    (await clients.doc.send(new GetCommand({ TableName: tableName, Key: workflowKeys.openConcernMarker(p.schoolYear, p.studentNumber) }))).Item;

  beforeAll(async () => {
    clients = localClients();
    tableName = await freshTable(clients);
    deps = appDeps(clients, { tableName, bucket: await freshBucket(clients) }, clock, { adminEmails: [ADMIN] });
    app = createApp({ ...deps, signInRateLimits: { perAddress: 1000, perClient: 1000 } });
    mine = staffPlacement('840001', 'zorg1', {
      student: { name: 'Ómar Ëlbers-Çakır', email: 'omar.840001@student.example.nl' },
      wpb: { name: WPB_NAME, email: 'ozlem.840001@wolfert.example.nl' },
    });
    second = staffPlacement('840002', 'zorg1', { student: { name: 'Noëlle Ó Briain', email: 'noelle.840002@student.example.nl' } });
    others = staffPlacement('840003', 'zorg3', { school: 'Erasmiaans Gymnasium', so: { name: 'Sam Ander', email: 'so.zorg3@erasmiaans.example.nl' } });
    for (const p of [mine, second, others]) await deps.placements.create(p, clock.now().toString());
    wpbRequest = await ask(mine);
    soRequest = await ask(mine, 'so', 'kijkwijzer-didactiek');
    sessions.so = await signIn(app, mine.so.email);
    sessions.io = await signIn(app, mine.io.email);
    sessions.sco = await signIn(app, mine.sco.email);
    sessions.admin = await signIn(app, ADMIN);
    sessions.otherIo = await signIn(app, others.io.email);
  });

  it('offers the WPB the concern page from their form page, with the seed\'s steps, and not the SO', async () => {
    const form = await (await app.request(`/f/${tokenOf(wpbRequest)}`)).text();
    expect(form).toContain(`href="/f/${tokenOf(wpbRequest)}/zorg"`);
    expect(form).toContain('Zorg over de voortgang melden');
    expect(await (await app.request(`/f/${tokenOf(soRequest)}`)).text()).not.toContain('/zorg"');

    const page = await app.request(`/f/${tokenOf(wpbRequest)}/zorg`);

    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(escaped('Ómar Ëlbers-Çakır'));
    expect(html).toContain('De schoolopleider (SO) neemt contact op met de instituutsopleider (IO) en de schoolcoördinator (SCO).');
    expect(html).toContain('regiocoördinator');
    expect(html).toContain('name="reden"');
    expect(html).toContain('Zorg melden');
  });

  it('refuses a reason that is empty, too long or holds a control character: a Dutch 400 with the text kept, nothing stored, nobody emailed', async () => {
    const cases = [
      { reden: '  \r\n ', message: 'Vul de reden in' },
      { reden: 'x'.repeat(CONCERN_TEXT_MAX + 1), message: `De reden is langer dan ${CONCERN_TEXT_MAX} tekens` },
      { reden: 'Komt te laat\u0007 binnen', message: 'De reden bevat een stuurteken (U+0007) op positie 13' },
      { reden: 'Kijk \u202Eedsiwjegnit', message: 'De reden bevat een onzichtbaar teken dat de leesrichting verandert' },
    ];
    for (const { reden, message } of cases) {
      const response = await raiseByLink(wpbRequest, reden);
      expect(response.status, message).toBe(400);
      const html = await response.text();
      expect(html).toContain(message);
      expect(html).toContain('aria-invalid="true"');
    }
    const kept = await (await raiseByLink(wpbRequest, 'Te kort\u0000')).text();
    expect(kept).toContain('Te kort');

    expect(await concernsOf(mine)).toEqual([]);
    expect(await marker(mine)).toBeUndefined();
    expect(await concernMails(mine.so.email)).toEqual([]);
  });

  it('refuses the SO\'s form link: only the WPB raises a concern by link (403)', async () => {
    for (const response of [await app.request(`/f/${tokenOf(soRequest)}/zorg`), await raiseByLink(soRequest, 'Zorg')]) {
      expect(response.status).toBe(403);
      expect(await response.text()).toContain('Via een formulierlink kan alleen de werkplekbegeleider een zorg melden');
    }
    expect(await concernsOf(mine)).toEqual([]);
  });

  let concernId = '';

  it('raises the WPB\'s concern with its line breaks: one email each to the SO, the IO and the SCO, the confirmation, the audit event', async () => {
    // A double click: both posts at once, one concern.
    const answers = await Promise.all([raiseByLink(wpbRequest, REASON), raiseByLink(wpbRequest, REASON)]);

    expect(answers.map((r) => r.status).sort()).toEqual([303, 409]);
    const response = answers.find((r) => r.status === 303)!;
    expect(response.headers.get('location')).toBe(`/f/${tokenOf(wpbRequest)}/zorg?gemeld=1`);
    expect(await answers.find((r) => r.status === 409)!.text()).toContain('Er staat al een zorg open voor');
    const confirmation = await (await app.request(response.headers.get('location')!)).text();
    expect(confirmation).toContain('Uw zorg is gemeld');
    expect(confirmation).not.toContain('name="reden"');

    const [concern, ...rest] = await concernsOf(mine);
    expect(rest).toEqual([]);
    concernId = concern!.concernId;
    expect(concern).toMatchObject({
      reason: REASON_STORED,
      state: 'open',
      steps: [],
      rev: 0,
      raisedAt: clock.now().toString(),
      raisedBy: { role: 'wpb', name: WPB_NAME, email: mine.wpb.email },
      student: mine.student,
      school: mine.school,
    });
    expect(await marker(mine)).toMatchObject({ concernId, entity: 'concern-open' });

    for (const person of [mine.so, mine.io, mine.sco]) {
      const mails = await concernMails(person.email);
      expect(mails, person.email).toHaveLength(1);
      const text = mails[0]!.body.text!;
      expect(text).toContain(`Beste ${person.name},`);
      expect(text).toContain(`${WPB_NAME}, de werkplekbegeleider (WPB), heeft op ${formatDutchInstant(clock.now(), { time: 'minute' })} een zorg gemeld`);
      expect(text).toContain(REASON_STORED);
      expect(text).toContain(`https://werkplekleren.test/overzicht/student/${YEAR}/840001`);
      expect(mails[0]!.body.html).toContain(escaped(WPB_NAME));
    }
    expect(await concernMails(mine.wpb.email)).toEqual([]);

    const log = await deps.audit.listForPlacement(YEAR, mine.studentNumber);
    expect(log.filter((e) => e.action === 'zorg gemeld')).toEqual([
      expect.objectContaining({ actor: 'link:wpb', detail: `door ${WPB_NAME} (WPB); bericht aan SO, IO, SCO` }),
    ]);
  });

  it('shows the concern to the SO, the IO and the SCO on the student page, and to nobody outside their scope', async () => {
    for (const who of ['so', 'io', 'sco', 'admin']) {
      const page = await getWithSession(app, studentPage(mine), sessions[who]!);
      expect(page.status, who).toBe(200);
      const html = await page.text();
      expect(html).toContain('Zorgen over de voortgang');
      expect(html).toContain(`data-concern="${concernId}"`);
      expect(html).toContain(escaped(REASON_STORED));
      expect(html).toContain(`door ${escaped(WPB_NAME)} (WPB)`);
      expect(html).toContain('Nog geen stap vastgelegd.');
      expect(html).toContain(`/zorgen/${concernId}/stappen`);
      expect(html).not.toContain('name="reden"');
    }
    expect((await getWithSession(app, studentPage(mine), sessions.otherIo!)).status).toBe(403);
  });

  it('refuses a second concern while one is open (the WPB again, the SO): a Dutch 409 and no second email', async () => {
    clock.advance(60_000);
    const byWpb = await raiseByLink(wpbRequest, 'Nog een keer');
    const bySo = await raiseSigned(mine, sessions.so!, 'Ook een zorg');

    for (const response of [byWpb, bySo]) {
      expect(response.status).toBe(409);
      expect(await response.text()).toContain(`Er staat al een zorg open voor ${escaped('Ómar Ëlbers-Çakır')} (gemeld op`);
    }
    expect(await concernsOf(mine)).toHaveLength(1);
    for (const person of [mine.so, mine.io, mine.sco]) expect(await concernMails(person.email)).toHaveLength(1);
    const page = await (await app.request(`/f/${tokenOf(wpbRequest)}/zorg`)).text();
    expect(page).toContain('Er staat al een zorg open');
    expect(page).not.toContain('name="reden"');
  });

  it('records each step of the seed with date and who, by the SO, the IO, the SCO and a coordinator (as SCO), and shows them', async () => {
    const steps = [
      { who: 'so', stap: 'contact', notitie: 'Gebeld met Ivo en Fatima.\r\nAfspraak op woensdag.', by: { role: 'so', name: mine.so.name } },
      { who: 'io', stap: 'vervolgacties', notitie: '', by: { role: 'io', name: mine.io.name } },
      { who: 'sco', stap: 'verbetertraject', notitie: 'Plan "=4 weken"', by: { role: 'sco', name: mine.sco.name } },
      { who: 'admin', stap: 'regiocoordinator', notitie: '', by: { role: 'sco', name: ADMIN } },
    ] as const;
    const times: string[] = [];
    for (const s of steps) {
      clock.advance(5 * 60_000);
      times.push(clock.now().toString());
      const response = await step(mine, concernId, sessions[s.who]!, s.stap, s.notitie);
      expect(response.status, s.stap).toBe(303);
      expect(response.headers.get('location')).toBe(`${studentPage(mine)}?melding=zorgstap-vastgelegd`);
    }

    const [concern] = await concernsOf(mine);
    expect(concern!.state).toBe('open');
    expect(concern!.rev).toBe(4);
    expect(concern!.steps).toEqual(
      steps.map((s, i) => ({ step: s.stap, at: times[i], by: expect.objectContaining(s.by), ...(s.notitie ? { note: s.notitie.replaceAll('\r\n', '\n') } : {}) })),
    );
    const html = await (await getWithSession(app, `${studentPage(mine)}?melding=zorgstap-vastgelegd`, sessions.io!)).text();
    expect(html).toContain(escaped(NOTICES['zorgstap-vastgelegd']));
    for (const [i, s] of steps.entries()) {
      expect(html).toContain(`<strong>${escaped(CONCERN_STEP_LABELS[s.stap])}</strong>: ${formatDutchInstant(times[i]!, { time: 'minute' })}, door ${escaped(s.by.name)} (${s.by.role.toUpperCase()})`);
    }
    expect(html).toContain(escaped('Gebeld met Ivo en Fatima.\nAfspraak op woensdag.'));
    const log = await deps.audit.listForPlacement(YEAR, mine.studentNumber);
    // The log lists newest first.
    expect(log.filter((e) => e.action === 'zorgstap vastgelegd').map((e) => e.actor)).toEqual([ADMIN, mine.sco.email, mine.io.email, mine.so.email]);
  });

  it('changes nothing for a replay of the same step by the same person within a minute, and records it again after', async () => {
    clock.advance(5 * 60_000);
    expect((await step(mine, concernId, sessions.so!, 'vervolgacties')).status).toBe(303);
    clock.advance(30_000);
    const replay = await step(mine, concernId, sessions.so!, 'vervolgacties', 'nog eens');
    expect(replay.status).toBe(303);
    expect((await concernsOf(mine))[0]!.steps).toHaveLength(5);

    clock.advance(2 * 60_000);
    expect((await step(mine, concernId, sessions.so!, 'vervolgacties')).status).toBe(303);
    expect((await concernsOf(mine))[0]!.steps).toHaveLength(6);
  });

  it('refuses an unknown step (400), a note with a control character (400, the page again), another student\'s concern id (404) and anyone out of scope (403, 404)', async () => {
    const before = await concernsOf(mine);

    const unknown = await step(mine, concernId, sessions.so!, 'opgelost');
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('Kies een van de stappen uit de lijst. Er is niets vastgelegd.');

    const badNote = await step(mine, concernId, sessions.so!, 'verbetertraject', 'Notitie met \u001B[31m kleur');
    expect(badNote.status).toBe(400);
    const page = await badNote.text();
    expect(page).toContain('De notitie bevat een stuurteken (U+001B) op positie 13');
    expect(page).toContain(`data-concern="${concernId}"`);
    expect(page).toContain('aria-invalid="true"');

    const tooLong = await step(mine, concernId, sessions.so!, 'verbetertraject', 'ë'.repeat(CONCERN_TEXT_MAX + 1));
    expect(tooLong.status).toBe(400);
    expect(await tooLong.text()).toContain(`De notitie is langer dan ${CONCERN_TEXT_MAX} tekens`);

    const elsewhere = await step(second, concernId, sessions.so!, 'contact');
    expect(elsewhere.status).toBe(404);
    expect(await elsewhere.text()).toContain('Deze zorg bestaat niet bij deze student.');

    expect((await step(mine, concernId, sessions.otherIo!, 'contact')).status).toBe(403);
    expect((await raiseSigned(mine, sessions.otherIo!, 'Zorg')).status).toBe(403);
    expect((await raiseSigned({ ...mine, studentNumber: '849999' }, sessions.so!, 'Zorg')).status).toBe(404);
    expect((await postForm(app, `${studentPage(mine)}/zorgen/${concernId}/stappen`, { stap: 'contact' })).status).toBe(401);

    expect(await concernsOf(mine)).toEqual(before);
  });

  it('closes the concern: a replay of the close changes nothing, any other step is a 409, and a new concern can be raised', async () => {
    clock.advance(5 * 60_000);
    const closedAt = clock.now().toString();
    expect((await step(mine, concernId, sessions.so!, 'gesloten', 'Voortgang is weer voldoende.')).status).toBe(303);
    expect(await marker(mine)).toBeUndefined();
    clock.advance(20_000);
    expect((await step(mine, concernId, sessions.so!, 'gesloten')).status).toBe(303);

    const late = await step(mine, concernId, sessions.io!, 'contact');
    expect(late.status).toBe(409);
    expect(await late.text()).toContain(`Deze zorg over ${escaped('Ómar Ëlbers-Çakır')} is al afgesloten op ${formatDutchInstant(closedAt)} door ${mine.so.name}`);
    const [closed] = await concernsOf(mine);
    expect(closed!.state).toBe('gesloten');
    expect(closed!.steps.at(-1)).toMatchObject({ step: 'gesloten', at: closedAt, note: 'Voortgang is weer voldoende.' });

    const page = await (await getWithSession(app, studentPage(mine), sessions.sco!)).text();
    expect(page).toContain('afgesloten');
    expect(page).toContain('name="reden"');
    expect(page).not.toContain(`/zorgen/${concernId}/stappen`);

    clock.advance(10 * 60_000);
    const again = await raiseByLink(wpbRequest, 'Opnieuw te laat.');
    expect(again.status).toBe(303);
    const all = await concernsOf(mine);
    expect(all.map((c) => c.state)).toEqual(['gesloten', 'open']);
    for (const person of [mine.so, mine.io, mine.sco]) expect(await concernMails(person.email)).toHaveLength(2);
  });

  it('lets the IO raise one signed in: the SO and the SCO are emailed, not the IO who raised it', async () => {
    const response = await raiseSigned(second, sessions.io!, 'Mist veel lessen.\nGeen contact met de WPB.');

    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`${studentPage(second)}?melding=zorg-gemeld`);
    const [concern] = await concernsOf(second);
    expect(concern!.raisedBy).toEqual({ role: 'io', name: second.io.name, email: second.io.email });
    const subject = 'Zorg over de voortgang van Noëlle Ó Briain';
    expect(await concernMails(second.so.email, subject)).toHaveLength(1);
    expect(await concernMails(second.sco.email, subject)).toHaveLength(1);
    expect(await concernMails(second.io.email, subject)).toHaveLength(0);
    const twice = await raiseSigned(second, sessions.so!, 'Ook een zorg');
    expect(twice.status).toBe(409);
    expect(await concernsOf(second)).toHaveLength(1);
  });

  it('records two steps posted at the same moment by different people: both, one after the other', async () => {
    const [concern] = await concernsOf(second);
    clock.advance(60_000);

    const answers = await Promise.all([step(second, concern!.concernId, sessions.so!, 'contact'), step(second, concern!.concernId, sessions.sco!, 'vervolgacties')]);

    expect(answers.map((r) => r.status)).toEqual([303, 303]);
    const [after] = await concernsOf(second);
    expect(after!.rev).toBe(2);
    expect(after!.steps.map((s) => `${s.step}:${s.by.role}`).sort()).toEqual(['contact:so', 'vervolgacties:sco']);
  });

  it('answers 410 for a revoked WPB link, and for an expired one, as form links do', async () => {
    const revoked = await ask(mine, 'wpb', 'kijkwijzer-didactiek');
    const revoke = await postForm(
      app,
      `/overzicht/aanvraag/${YEAR}/${mine.studentNumber}/${revoked.requestId}/intrekken`,
      { bevestigd: 'ja', terug: studentPage(mine) },
      { cookie: sessions.io! },
    );
    expect(revoke.status).toBe(303);
    for (const response of [await app.request(`/f/${tokenOf(revoked)}/zorg`), await raiseByLink(revoked, 'Zorg')]) {
      expect(response.status).toBe(410);
      expect(await response.text()).toContain('Deze link werkt niet meer');
    }

    clock.set('2026-09-01T09:00');
    for (const response of [await app.request(`/f/${tokenOf(wpbRequest)}/zorg`), await raiseByLink(wpbRequest, 'Zorg')]) {
      expect(response.status).toBe(410);
    }
    expect(await concernsOf(mine)).toHaveLength(2);
  });
});
