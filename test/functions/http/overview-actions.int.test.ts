import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../functions/http/app.tsx';
import { NOTICES } from '../../../functions/http/views/overview-navigation.ts';
import { getForm } from '../../../forms/index.ts';
import { getPeriod, getSchoolYear } from '../../../shared/calendar.ts';
import { tokenFor } from '../../../shared/links.ts';
import { createRequest } from '../../../shared/usecases/observation.ts';
import type { Placement } from '../../../shared/roster/placement.ts';
import type { ObserverRole, RequestRecord } from '../../../shared/model/requests.ts';
import { appDeps } from '../../support/app.ts';
import { freshBucket, freshTable, localClients } from '../../support/aws.ts';
import { completeFields } from '../../support/forms.ts';
import { inboxOf, tokenIn } from '../../support/inbox.ts';
import { getWithSession, movableClock, postForm, signIn, staffPlacement } from '../../support/staff.ts';

const YEAR = '2025-2026';
const choice = { year: getSchoolYear(YEAR)!, period: getPeriod(YEAR, 1)! };
const OVERVIEW = `/overzicht?jaar=${YEAR}&periode=1`;

describe('staff actions in the overview: remind, revoke, reissue, replace a WPB', () => {
  const clock = movableClock('2025-11-10T09:00');
  let app: ReturnType<typeof createApp>;
  let deps: ReturnType<typeof appDeps>;
  const sessions: Record<string, string> = {};
  let mine: Placement;
  let others: Placement;

  /** A student-asked kijkwijzer for a placement, emailed to its observer. */
  async function ask(p: Placement, formId = 'kijkwijzer-pedagogiek', observerRole: ObserverRole = 'wpb'): Promise<RequestRecord> {
    return createRequest(deps, p, { formId, observerRole, lessonDate: '2025-11-05' }, { origin: 'student', choice });
  }

  const tokenOf = (r: RequestRecord) => tokenFor(deps.linkSecret, r.linkId);
  const reload = async (r: RequestRecord) => (await deps.requests.get(r.schoolYear, r.studentNumber, r.requestId))!;
  const actionPath = (r: RequestRecord, action: string) => `/overzicht/aanvraag/${r.schoolYear}/${r.studentNumber}/${r.requestId}/${action}`;
  const act = (r: RequestRecord, action: string, session: string, fields: Record<string, string> = { terug: OVERVIEW }) =>
    postForm(app, actionPath(r, action), fields, { cookie: session });
  const formPost = (token: string, fields: Record<string, string>) => postForm(app, `/f/${token}`, fields);

  beforeAll(async () => {
    const clients = localClients();
    deps = appDeps(clients, { tableName: await freshTable(clients), bucket: await freshBucket(clients) }, clock);
    app = createApp({ ...deps, signInRateLimits: { perAddress: 1000, perClient: 1000 } });
    mine = staffPlacement('820001', 'act1');
    others = staffPlacement('820002', 'act2', { school: 'Erasmiaans Gymnasium', so: { name: 'Sam Ander', email: 'so.act2@erasmiaans.example.nl' } });
    for (const p of [mine, others]) await deps.placements.create(p, clock.now().toString());
    sessions.io = await signIn(app, 'io.act1@hr.example.nl');
    sessions.otherIo = await signIn(app, 'io.act2@hr.example.nl');
  });

  it('reminds the observer with the same link, so the draft carries over, and returns to the overview with a notice', async () => {
    const request = await ask(mine);
    const token = tokenOf(request);
    expect((await formPost(token, { 'a.FEEDBACK': 'Mijn halve concept', basis: '0', actie: 'concept' })).status).toBe(303);
    const before = (await inboxOf(mine.wpb.email)).length;

    const response = await act(request, 'herinneren', sessions.io!);

    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`${OVERVIEW}&melding=herinnerd`);
    const mails = await inboxOf(mine.wpb.email);
    expect(mails).toHaveLength(before + 1);
    expect(mails.at(-1)!.subject).toBe('Herinnering: Kijkwijzer pedagogiek voor Zoë de Vries');
    expect(mails.at(-1)!.body.text).toContain('Uw concept is bewaard');
    expect(tokenIn(mails.at(-1), 'f')).toBe(token);
    const form = await app.request(`/f/${token}`);
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('Mijn halve concept');
    expect(await (await getWithSession(app, response.headers.get('location')!, sessions.io!)).text()).toContain(NOTICES.herinnerd);
  });

  it('refuses a reminder for a submitted form, with a Dutch message and no email', async () => {
    const request = await ask(mine, 'kijkwijzer-didactiek');
    expect((await formPost(tokenOf(request), { ...completeFields(getForm('kijkwijzer-didactiek')!), basis: '0', actie: 'versturen' })).status).toBe(303);
    const before = (await inboxOf(mine.wpb.email)).length;

    const response = await act(request, 'herinneren', sessions.io!);

    expect(response.status).toBe(409);
    expect(await response.text()).toContain('Dit formulier is al ingediend: een herinnering is niet nodig.');
    expect(await inboxOf(mine.wpb.email)).toHaveLength(before);
  });

  it('revokes a link: it answers 410 after, the overview says so, and a reminder or a second revoke is refused', async () => {
    const request = await ask(mine);
    const token = tokenOf(request);
    expect((await app.request(`/f/${token}`)).status).toBe(200);

    const response = await act(request, 'intrekken', sessions.io!, { terug: OVERVIEW, bevestigd: 'ja' });

    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`${OVERVIEW}&melding=ingetrokken`);
    expect((await app.request(`/f/${token}`)).status).toBe(410);
    expect((await reload(request)).linkRevokedAt).toBe(clock.now().toString());
    const overview = await (await getWithSession(app, OVERVIEW, sessions.io!)).text();
    expect(overview).toContain('link ingetrokken');
    expect(overview).not.toContain(`${actionPath(request, 'herinneren')}"`);
    const before = (await inboxOf(mine.wpb.email)).length;
    const reminder = await act(request, 'herinneren', sessions.io!);
    expect(reminder.status).toBe(409);
    expect(await reminder.text()).toContain('De link van deze aanvraag is ingetrokken.');
    expect((await act(request, 'intrekken', sessions.io!)).status).toBe(409);
    expect(await inboxOf(mine.wpb.email)).toHaveLength(before);
  });

  it('sends a new link: the old one answers 410, the new one opens the same draft; also after a revoke', async () => {
    const request = await ask(mine);
    const oldToken = tokenOf(request);
    expect((await formPost(oldToken, { 'a.FEEDBACK': 'Concept voor de nieuwe link', basis: '0', actie: 'concept' })).status).toBe(303);
    expect((await act(request, 'intrekken', sessions.io!, { terug: OVERVIEW, bevestigd: 'ja' })).status).toBe(303);

    const response = await act(request, 'nieuwe-link', sessions.io!);

    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`${OVERVIEW}&melding=nieuwe-link`);
    const mail = (await inboxOf(mine.wpb.email)).at(-1);
    expect(mail!.subject).toBe('Kijkwijzer pedagogiek voor Zoë de Vries');
    const newToken = tokenIn(mail, 'f');
    expect(newToken).not.toBe(oldToken);
    expect(newToken).toBe(tokenOf(await reload(request)));
    expect((await app.request(`/f/${oldToken}`)).status).toBe(410);
    const page = await app.request(`/f/${newToken}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Concept voor de nieuwe link');
    expect((await reload(request)).linkRevokedAt).toBeUndefined();
  });

  it("replaces the WPB: history kept, memberships moved, open requests moved with working links, submitted ones left alone", async () => {
    const p = staffPlacement('820003', 'act1');
    await deps.placements.create(p, clock.now().toString());
    const asked = await ask(p);
    const draft = await ask(p, 'kijkwijzer-didactiek');
    expect((await formPost(tokenOf(draft), { 'a.FEEDBACK': 'Concept van de oude WPB', basis: '0', actie: 'concept' })).status).toBe(303);
    const submitted = await ask(p, 'kijkwijzer-vakdidactiek');
    expect((await formPost(tokenOf(submitted), { ...completeFields(getForm('kijkwijzer-vakdidactiek')!), basis: '0', actie: 'versturen' })).status).toBe(303);
    const bySo = await ask(p, 'kijkwijzer-pedagogiek', 'so');
    const submittedBefore = await reload(submitted);
    const newWpb = { name: 'Noor de Nieuwe', email: 'Noor.820003@wolfert.example.nl' };
    clock.advance(60_000);

    const response = await postForm(app, `/overzicht/student/${YEAR}/820003/wpb`, { naam: ` ${newWpb.name} `, email: newWpb.email, terug: OVERVIEW }, { cookie: sessions.io! });

    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`${OVERVIEW}&melding=wpb-vervangen`);
    const placement = (await deps.placements.get(YEAR, '820003'))!;
    expect(placement.wpb).toEqual(newWpb);
    expect(placement.rev).toBe(2);
    const history = await deps.placements.history(YEAR, '820003');
    expect(history.map((h) => [h.rev, h.wpb.email])).toEqual([[1, p.wpb.email]]);
    expect((await deps.placements.membershipsOf(p.wpb.email)).filter((m) => m.studentNumber === '820003')).toEqual([]);
    expect((await deps.placements.membershipsOf(newWpb.email)).map((m) => [m.role, m.studentNumber, m.name])).toEqual([['wpb', '820003', newWpb.name]]);

    for (const open of [asked, draft]) {
      const now = await reload(open);
      expect(now.observer).toEqual(newWpb);
      expect(now.linkId).not.toBe(open.linkId);
      expect((await app.request(`/f/${tokenOf(open)}`)).status).toBe(410);
    }
    const mails = await inboxOf(newWpb.email);
    expect(mails.map((m) => m.subject).sort()).toEqual(['Kijkwijzer didactiek voor Zoë de Vries', 'Kijkwijzer pedagogiek voor Zoë de Vries']);
    for (const mail of mails) {
      expect(mail.body.text).toContain('Beste Noor de Nieuwe,');
      const page = await app.request(`/f/${tokenIn(mail, 'f')}`);
      expect(page.status).toBe(200);
      if (mail.subject.startsWith('Kijkwijzer didactiek')) expect(await page.text()).toContain('Concept van de oude WPB');
    }
    expect(await reload(submitted)).toEqual(submittedBefore);
    expect((await app.request(`/f/${tokenOf(submitted)}`)).status).toBe(200);
    expect((await reload(bySo)).observer).toEqual(p.so);

    const studentPage = await (await getWithSession(app, `/overzicht/student/${YEAR}/820003`, sessions.io!)).text();
    expect(studentPage).toContain('Noor de Nieuwe');
    expect(studentPage).toContain(`WPB Jan van &#39;t Hek (${p.wpb.email})`);
  });

  it('validates the new WPB with the roster rules and changes nothing on a bad one', async () => {
    const p = staffPlacement('820004', 'act1');
    await deps.placements.create(p, clock.now().toString());

    const badEmail = await postForm(app, `/overzicht/student/${YEAR}/820004/wpb`, { naam: 'Noor', email: 'geen-adres' }, { cookie: sessions.io! });
    const formula = await postForm(app, `/overzicht/student/${YEAR}/820004/wpb`, { naam: '=HYPERLINK("x")', email: 'noor@example.nl' }, { cookie: sessions.io! });
    const same = await postForm(app, `/overzicht/student/${YEAR}/820004/wpb`, { naam: p.wpb.name, email: p.wpb.email.toUpperCase() }, { cookie: sessions.io! });

    expect(badEmail.status).toBe(400);
    expect(await badEmail.text()).toContain('Het e-mailadres is geen geldig e-mailadres.');
    expect(formula.status).toBe(400);
    expect(await formula.text()).toContain('De naam begint met een formuleteken');
    expect(same.status).toBe(400);
    expect(await same.text()).toContain('Dit is al de WPB van deze student.');
    expect((await deps.placements.get(YEAR, '820004'))!.rev).toBe(1);
  });

  it("refuses an IO every action on another IO's student with 403, and changes nothing", async () => {
    const request = await ask(others);
    const token = tokenOf(request);
    const mailsBefore = (await inboxOf(others.wpb.email)).length;

    for (const action of ['herinneren', 'intrekken', 'nieuwe-link']) {
      const response = await act(request, action, sessions.io!);
      expect(response.status).toBe(403);
      expect(await response.text()).toContain('Deze student hoort niet bij uw studenten.');
    }
    const wpb = await postForm(app, `/overzicht/student/${YEAR}/820002/wpb`, { naam: 'Indringer', email: 'indringer@example.nl' }, { cookie: sessions.io! });
    expect(wpb.status).toBe(403);
    expect((await getWithSession(app, `/overzicht/student/${YEAR}/820002`, sessions.io!)).status).toBe(403);

    expect(await inboxOf(others.wpb.email)).toHaveLength(mailsBefore);
    expect(await reload(request)).toEqual(request);
    expect((await app.request(`/f/${token}`)).status).toBe(200);
    expect((await deps.placements.get(YEAR, '820002'))!.wpb).toEqual(others.wpb);
    expect((await act(request, 'herinneren', sessions.otherIo!)).status).toBe(303);
  });

  it('refuses a cross-site POST with 403 before anything happens, and sends a visitor without a session to sign in', async () => {
    const request = await ask(mine);
    const before = (await inboxOf(mine.wpb.email)).length;

    const crossSite = await postForm(app, actionPath(request, 'intrekken'), { terug: OVERVIEW }, { cookie: sessions.io!, origin: 'https://evil.example' });
    const noOrigin = await postForm(app, actionPath(request, 'herinneren'), { terug: OVERVIEW }, { cookie: sessions.io!, origin: null });
    const wpb = await postForm(app, `/overzicht/student/${YEAR}/820001/wpb`, { naam: 'X', email: 'x@example.nl' }, { cookie: sessions.io!, origin: 'https://evil.example' });
    const anonymous = await postForm(app, actionPath(request, 'intrekken'), {});

    expect([crossSite.status, noOrigin.status, wpb.status]).toEqual([403, 403, 403]);
    // Without a session a POST is refused before its body is read (test/functions/http/body-limits.int.test.ts).
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).toContain('U bent niet (meer) ingelogd');
    expect((await app.request(`/f/${tokenOf(request)}`)).status).toBe(200);
    expect(await inboxOf(mine.wpb.email)).toHaveLength(before);
    expect((await deps.placements.get(YEAR, '820001'))!.rev).toBe(1);
  });

  it('answers an unknown request with 404 and never redirects outside the overview', async () => {
    const request = await ask(mine);

    expect((await act({ ...request, requestId: 'bestaat-niet' }, 'herinneren', sessions.io!)).status).toBe(404);
    const offsite = await act(request, 'herinneren', sessions.io!, { terug: '//evil.example/overzicht' });
    expect(offsite.headers.get('location')).toBe(`${OVERVIEW}&melding=herinnerd`);
    const absolute = await act(request, 'herinneren', sessions.io!, { terug: 'https://evil.example/overzicht' });
    expect(absolute.headers.get('location')).toBe(`${OVERVIEW}&melding=herinnerd`);
    const escaping = await act(request, 'herinneren', sessions.io!, { terug: '/overzicht/../inloggen' });
    expect(escaping.headers.get('location')).toBe(`${OVERVIEW}&melding=herinnerd`);
    const studentPage = await act(request, 'herinneren', sessions.io!, { terug: `/overzicht/student/${YEAR}/820001` });
    expect(studentPage.headers.get('location')).toBe(`/overzicht/student/${YEAR}/820001?melding=herinnerd`);
  });

  it('answers a student number or year too long for a DynamoDB key with a Dutch 404, not a 500', async () => {
    const long = '8'.repeat(1500);
    for (const path of [`/overzicht/student/${YEAR}/${long}`, `/overzicht/student/${long}/820001`]) {
      const response = await getWithSession(app, path, sessions.io!);
      expect(response.status).toBe(404);
      expect(await response.text()).toContain('niet');
    }
    const post = await postForm(app, `/overzicht/student/${YEAR}/${long}/zorgen`, { reden: 'Te weinig voortgang' }, { cookie: sessions.io! });
    expect(post.status).toBe(404);
  });

  it('shows the actions in the overview: a button per allowed action, and the WPB form per student', async () => {
    const request = await ask(mine);

    const text = await (await getWithSession(app, OVERVIEW, sessions.io!)).text();

    expect(text).toContain(`action="${actionPath(request, 'herinneren')}"`);
    expect(text).toContain(`action="${actionPath(request, 'intrekken')}"`);
    expect(text).toContain(`action="${actionPath(request, 'nieuwe-link')}"`);
    expect(text).toContain(`action="/overzicht/student/${YEAR}/820001/wpb"`);
    expect(text).toContain(`href="/overzicht/student/${YEAR}/820001"`);
  });

  it('refuses a reminder after the deadline with a Dutch message, and sends nothing', async () => {
    const request = await ask(mine);
    const before = (await inboxOf(mine.wpb.email)).length;
    clock.set('2025-11-13T09:00');
    // Sessions idle out after two hours of clock: sign in again at the new time.
    const session = await signIn(app, 'io.act1@hr.example.nl');

    const response = await act(request, 'herinneren', session);

    expect(response.status).toBe(409);
    expect(await response.text()).toContain('De deadline (woensdag 12 november 2025) is verstreken: een herinnering sturen kan niet meer.');
    expect(await inboxOf(mine.wpb.email)).toHaveLength(before);
    const overview = await (await getWithSession(app, OVERVIEW, session)).text();
    expect(overview).not.toContain(`action="${actionPath(request, 'herinneren')}"`);
    expect(overview).toContain(`action="${actionPath(request, 'nieuwe-link')}"`);
  });
});
