import ICAL from 'ical.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../functions/http/app.tsx';
import { getForm } from '../../../forms/index.ts';
import { hashToken } from '../../../shared/links.ts';
import { yearModel } from '../../../shared/digest/model.ts';
import type { Placement } from '../../../shared/roster/placement.ts';
import { ensureStudentLink } from '../../../shared/usecases/welcome.ts';
import { appDeps, TEST_ORIGIN } from '../../support/app.ts';
import { freshBucket, freshTable, localClients } from '../../support/aws.ts';
import { completeFields } from '../../support/forms.ts';
import { appointmentTokenIn, calendarPartOf, inboxOf, tokenIn, type InboxEmail } from '../../support/inbox.ts';
import { movableClock, postForm, staffPlacement } from '../../support/staff.ts';

const STUDENT = "Daniëlle van 't Hoff-Çelik";
const kijkwijzer = getForm('kijkwijzer-pedagogiek')!;

/** The calendar part of an email, parsed with ical.js (Mozilla's parser), and its one event. */
function invitationOf(email: InboxEmail | undefined) {
  const ics = calendarPartOf(email);
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const events = calendar.getAllSubcomponents('vevent');
  expect(events).toHaveLength(1);
  const event = events[0]!;
  return {
    ics,
    method: calendar.getFirstPropertyValue('method'),
    uid: event.getFirstPropertyValue('uid'),
    sequence: event.getFirstPropertyValue('sequence'),
    status: event.getFirstPropertyValue('status'),
    summary: event.getFirstPropertyValue('summary'),
    tzid: event.getFirstProperty('dtstart')?.getParameter('tzid'),
    organizer: { cn: event.getFirstProperty('organizer')?.getParameter('cn'), value: event.getFirstPropertyValue('organizer') },
    attendees: event.getAllProperties('attendee').map((p) => ({ cn: p.getParameter('cn'), value: String(p.getFirstValue()).toLowerCase() })),
    properties: event.getAllProperties().map((p) => p.name),
    zone: calendar.getFirstSubcomponent('vtimezone')?.getFirstPropertyValue('tzid'),
  };
}

describe("a student's lesbezoeken and driehoeksgesprekken, through the app on the local stand-ins", () => {
  const clock = movableClock('2025-11-10T09:00');
  let app: ReturnType<typeof createApp>;
  let deps: ReturnType<typeof appDeps>;
  let seq = 0;

  /** A fresh placement (unique addresses for every role) with the student's page token (from the welcome email). */
  async function student(overrides: Parameters<typeof staffPlacement>[2] = {}) {
    seq += 1;
    const nr = String(860000 + seq + Math.floor(Math.random() * 1000) * 100);
    const p = staffPlacement(nr, `appt${nr}`, { student: { name: STUDENT, email: `danielle.${nr}@student.example.nl` }, ...overrides });
    await deps.placements.create(p, clock.now().toString());
    await ensureStudentLink(deps, p);
    return { p, token: tokenIn((await inboxOf(p.student.email))[0], 's') };
  }

  /** Posts form fields as a browser does, a checkbox group as repeated fields. */
  function post(path: string, fields: [string, string][]) {
    return app.request(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: TEST_ORIGIN },
      body: new URLSearchParams(fields).toString(),
    });
  }

  /** The lesbezoek form as posted: WPB with kijkwijzer pedagogiek and SO with didactiek, unless told otherwise. */
  const lesbezoek = (overrides: Partial<Record<'date' | 'start' | 'end' | 'className', string>> = {}, observers: [string, string][] = [['wpb', 'kijkwijzer-pedagogiek'], ['so', 'kijkwijzer-didactiek']]): [string, string][] => [
    ['date', overrides.date ?? '2025-11-12'],
    ['start', overrides.start ?? '09:30'],
    ['end', overrides.end ?? '10:20'],
    ['className', overrides.className ?? '2B'],
    ...observers.map(([role]): [string, string] => ['observers', role]),
    ...observers.map(([role, formId]): [string, string] => [`formId-${role}`, formId]),
  ];

  const appointments = (p: Placement) => deps.appointments.listForPlacement(p.schoolYear, p.studentNumber);
  const requests = (p: Placement) => deps.requests.listForPlacement(p.schoolYear, p.studentNumber);
  const idOf = (response: Response) => /\/afspraken\/([^/?]+)\?gepland=1$/.exec(response.headers.get('location') ?? '')?.[1] ?? '';

  /** A planned lesbezoek with the WPB and the SO (Wednesday 12 November 2025, 09:30–10:20, klas 2B). */
  async function planned() {
    const { p, token } = await student();
    const response = await post(`/s/${token}/lesbezoeken`, lesbezoek());
    expect(response.status).toBe(303);
    const id = idOf(response);
    const [appointment] = await appointments(p);
    return { p, token, id, appointment: appointment!, base: `/s/${token}/afspraken/${id}` };
  }

  beforeAll(async () => {
    const clients = localClients();
    deps = appDeps(clients, { tableName: await freshTable(clients), bucket: await freshBucket(clients) }, clock);
    app = createApp({ ...deps, rateLimits: { perAddress: 1_000_000, perToken: 1_000_000 } } as typeof deps);
  });

  describe('planning a lesbezoek with the WPB and the SO', () => {
    it('invites both once: the calendar part is a METHOD:REQUEST in Europe/Amsterdam with one UID, SEQUENCE 0 and the student as organizer', async () => {
      clock.set('2025-11-10T09:00');
      const { p, token, id, base } = await planned();

      const [wpbMail, ...moreWpb] = await inboxOf(p.wpb.email);
      const [soMail, ...moreSo] = await inboxOf(p.so.email);
      expect([moreWpb, moreSo]).toEqual([[], []]);
      expect(await inboxOf(p.io.email)).toEqual([]);
      const wpb = invitationOf(wpbMail);
      const so = invitationOf(soMail);
      expect([wpb.method, so.method]).toEqual(['REQUEST', 'REQUEST']);
      expect(wpb.uid).toBe(`${id}@werkplekleren.test`);
      expect(so.uid).toBe(wpb.uid);
      expect([wpb.sequence, so.sequence]).toEqual([0, 0]);
      expect([wpb.tzid, wpb.zone]).toEqual(['Europe/Amsterdam', 'Europe/Amsterdam']);
      expect(wpb.ics).toContain('DTSTART;TZID=Europe/Amsterdam:20251112T093000');
      expect(wpb.ics).toContain('DTEND;TZID=Europe/Amsterdam:20251112T102000');
      expect(wpb.organizer).toEqual({ cn: STUDENT, value: `mailto:${p.student.email}` });
      expect(wpb.attendees).toEqual([{ cn: p.wpb.name, value: `mailto:${p.wpb.email}` }]);
      expect(so.attendees).toEqual([{ cn: p.so.name, value: `mailto:${p.so.email}` }]);
      expect(wpb.summary).toBe(`Lesbezoek bij ${STUDENT}, klas 2B`);
      expect(wpbMail!.subject).toBe(`Lesbezoek bij ${STUDENT}, klas 2B op woensdag 12 november 2025 om 09:30`);
      expect(wpbMail!.body.text).toContain('woensdag 12 november 2025, 09:30–10:20');
      expect(wpbMail!.body.text).toContain('de kijkwijzer pedagogiek');

      // Each observer's email holds their own form link, which opens their kijkwijzer.
      const wpbForm = await app.request(`/f/${tokenIn(wpbMail, 'f')}`);
      expect(wpbForm.status).toBe(200);
      expect(await wpbForm.text()).toContain('Kijkwijzer pedagogiek');
      const soForm = await app.request(`/f/${tokenIn(soMail, 'f')}`);
      expect(await soForm.text()).toContain('Kijkwijzer didactiek');
      expect(wpb.ics).toContain(tokenIn(wpbMail, 'f'));

      const stored = await requests(p);
      expect(stored.map((r) => [r.observerRole, r.formId, r.lessonDate, r.className, r.period, r.deadline, r.state, r.appointmentId, r.origin]).sort()).toEqual([
        ['so', 'kijkwijzer-didactiek', '2025-11-12', '2B', 1, '2025-11-12', 'gevraagd', id, 'student'],
        ['wpb', 'kijkwijzer-pedagogiek', '2025-11-12', '2B', 1, '2025-11-12', 'gevraagd', id, 'student'],
      ]);
      const page = await (await app.request(`${base}?gepland=1`)).text();
      expect(page).toContain('Lesbezoek gepland.');
      expect(page).toContain('Verplaatsen');
      const studentPage = await (await app.request(`/s/${token}`)).text();
      expect(studentPage).toContain(`href="${base}"`);
      expect(studentPage).toContain('Je stagedagen zijn maandag en woensdag');
      const events = await deps.audit.listForPlacement(p.schoolYear, p.studentNumber);
      expect(events.filter((e) => e.action === 'afspraak gepland').map((e) => e.actor)).toEqual(['link:student']);
    });

    it('moves it: both get SEQUENCE 1 with the same UID and the new time; the kijkwijzers get the new lesson date, period and deadline', async () => {
      clock.set('2025-11-10T09:00');
      const { p, id, base, appointment } = await planned();
      const [firstWpb] = await inboxOf(p.wpb.email);

      const response = await post(`${base}/verplaatsen`, [['date', '2025-11-26'], ['start', '13:00'], ['end', '13:50']]);

      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe(`${base}?verplaatst=1`);
      const wpbMails = await inboxOf(p.wpb.email);
      const soMails = await inboxOf(p.so.email);
      expect([wpbMails.length, soMails.length]).toEqual([2, 2]);
      const wpb = invitationOf(wpbMails[1]);
      const so = invitationOf(soMails[1]);
      expect([wpb.method, wpb.sequence, so.method, so.sequence]).toEqual(['REQUEST', 1, 'REQUEST', 1]);
      expect([wpb.uid, so.uid]).toEqual([`${id}@werkplekleren.test`, `${id}@werkplekleren.test`]);
      expect(wpb.ics).toContain('DTSTART;TZID=Europe/Amsterdam:20251126T130000');
      expect(wpbMails[1]!.subject).toMatch(/^Verplaatst: Lesbezoek bij/);
      // The same form link as before: a saved draft carries over.
      expect(tokenIn(wpbMails[1], 'f')).toBe(tokenIn(firstWpb, 'f'));

      const [moved] = await appointments(p);
      expect(moved).toMatchObject({ date: '2025-11-26', start: '13:00', end: '13:50', period: 2, sequence: 1, rev: appointment.rev + 1 });
      const stored = await requests(p);
      expect(stored.map((r) => [r.lessonDate, r.period, r.deadline])).toEqual([
        ['2025-11-26', 2, '2026-02-04'],
        ['2025-11-26', 2, '2026-02-04'],
      ]);
      const link = await deps.links.get(hashToken(tokenIn(firstWpb, 'f')));
      expect(link!.validUntil).toBe('2026-02-18T23:00:00Z');
      expect((await app.request(`/f/${tokenIn(firstWpb, 'f')}`)).status).toBe(200);
    });

    it("cancels the SO's part after a confirmation: the SO gets METHOD:CANCEL with the same UID, the SO's kijkwijzer is withdrawn and its link answers 410; a replay sends nothing", async () => {
      clock.set('2025-11-10T09:00');
      const { p, id, base } = await planned();
      const soForm = tokenIn((await inboxOf(p.so.email))[0], 'f');

      const question = await post(`${base}/annuleren`, [['rol', 'so']]);
      expect(question.status).toBe(200);
      expect(await question.text()).toContain('Saskia Bakker afmelden?');
      expect(await inboxOf(p.so.email)).toHaveLength(1);

      const response = await post(`${base}/annuleren`, [['rol', 'so'], ['bevestigd', 'ja']]);

      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe(`${base}?afgemeld=so`);
      const soMails = await inboxOf(p.so.email);
      expect(soMails).toHaveLength(2);
      const cancel = invitationOf(soMails[1]);
      expect([cancel.method, cancel.status, cancel.uid, cancel.sequence]).toEqual(['CANCEL', 'CANCELLED', `${id}@werkplekleren.test`, 1]);
      expect(soMails[1]!.subject).toMatch(/^Geannuleerd: Lesbezoek bij/);
      expect(await inboxOf(p.wpb.email)).toHaveLength(1);
      const stored = await requests(p);
      expect(stored.find((r) => r.observerRole === 'so')).toMatchObject({ state: 'ingetrokken', withdrawnAt: clock.now().toString() });
      expect(stored.find((r) => r.observerRole === 'wpb')!.state).toBe('gevraagd');
      expect((await app.request(`/f/${soForm}`)).status).toBe(410);
      const [after] = await appointments(p);
      expect(after).toMatchObject({ state: 'gepland', sequence: 1 });
      expect(after!.participants.map((x) => [x.role, x.state])).toEqual([
        ['wpb', 'uitgenodigd'],
        ['so', 'geannuleerd'],
      ]);
      expect(await (await app.request(`${base}?afgemeld=so`)).text()).toContain('Saskia Bakker is afgemeld');

      const replay = await post(`${base}/annuleren`, [['rol', 'so'], ['bevestigd', 'ja']]);
      expect(replay.status).toBe(303);
      expect(await inboxOf(p.so.email)).toHaveLength(2);
      expect(await appointments(p)).toEqual([after]);
    });

    it('cancels the whole lesbezoek: every invited observer gets METHOD:CANCEL, every kijkwijzer is withdrawn, a replay sends nothing', async () => {
      clock.set('2025-11-10T09:00');
      const { p, base } = await planned();

      expect((await post(`${base}/annuleren`, [])).status).toBe(200);
      const response = await post(`${base}/annuleren`, [['bevestigd', 'ja']]);

      expect(response.headers.get('location')).toBe(`${base}?geannuleerd=1`);
      expect(invitationOf((await inboxOf(p.wpb.email))[1]).method).toBe('CANCEL');
      expect(invitationOf((await inboxOf(p.so.email))[1]).method).toBe('CANCEL');
      expect((await requests(p)).map((r) => r.state)).toEqual(['ingetrokken', 'ingetrokken']);
      const [after] = await appointments(p);
      expect(after).toMatchObject({ state: 'geannuleerd', cancelledAt: clock.now().toString(), sequence: 1 });
      expect((await post(`${base}/annuleren`, [['bevestigd', 'ja']])).status).toBe(303);
      expect([(await inboxOf(p.wpb.email)).length, (await inboxOf(p.so.email)).length]).toEqual([2, 2]);
      // A cancelled appointment cannot be moved.
      const move = await post(`${base}/verplaatsen`, [['date', '2025-11-26'], ['start', '13:00'], ['end', '13:50']]);
      expect(move.status).toBe(409);
      expect(await move.text()).toContain('Deze afspraak is geannuleerd en kan niet meer worden verplaatst.');
    });
  });

  describe('warnings the student may confirm', () => {
    it('warns about a date in the past and plans it after "Toch plannen"', async () => {
      clock.set('2025-11-10T09:00');
      const { p, token } = await student();

      const warned = await post(`/s/${token}/lesbezoeken`, lesbezoek({ date: '2025-11-05' }));

      expect(warned.status).toBe(200);
      const page = await warned.text();
      expect(page).toContain('Dit tijdstip ligt in het verleden: woensdag 5 november 2025, 09:30–10:20.');
      expect(page).toContain('Toch plannen');
      expect(page).toContain('name="bevestigd" value="ja"');
      expect(page).toContain('<input type="hidden" name="observers" value="so"/>');
      expect(await appointments(p)).toEqual([]);
      expect(await requests(p)).toEqual([]);
      expect(await inboxOf(p.wpb.email)).toEqual([]);

      const confirmed = await post(`/s/${token}/lesbezoeken`, [...lesbezoek({ date: '2025-11-05' }), ['bevestigd', 'ja']]);

      expect(confirmed.status).toBe(303);
      expect((await appointments(p)).map((a) => a.date)).toEqual(['2025-11-05']);
      expect(await inboxOf(p.wpb.email)).toHaveLength(1);
    });

    it('warns about a time that overlaps another planned appointment, naming who is in both', async () => {
      clock.set('2025-11-10T09:00');
      const { p, token } = await student();
      expect((await post(`/s/${token}/lesbezoeken`, lesbezoek({ date: '2025-11-19' }, [['wpb', 'kijkwijzer-pedagogiek']]))).status).toBe(303);

      const warned = await post(`/s/${token}/gesprekken`, [['talkType', 'kennismaking'], ['date', '2025-11-19'], ['start', '10:00'], ['end', '11:00'], ['participants', 'wpb']]);

      expect(warned.status).toBe(200);
      const page = await warned.text();
      expect(page).toContain('Op dat moment heb je al een afspraak: lesbezoek in klas 2b op woensdag 19 november 2025, 09:30–10:20, ook met Jan van &#39;t Hek (WPB).');
      expect(await appointments(p)).toHaveLength(1);
      expect(await inboxOf(p.io.email)).toEqual([]);
    });
  });

  describe('bad input is refused with a Dutch 400, and nothing is stored or sent', () => {
    async function refused(fields: [string, string][], path: 'lesbezoeken' | 'gesprekken' = 'lesbezoeken') {
      clock.set('2025-11-10T09:00');
      const { p, token } = await student();
      const response = await post(`/s/${token}/${path}`, fields);
      expect(response.status).toBe(400);
      expect(await appointments(p)).toEqual([]);
      expect(await requests(p)).toEqual([]);
      expect([...(await inboxOf(p.wpb.email)), ...(await inboxOf(p.so.email)), ...(await inboxOf(p.io.email))]).toEqual([]);
      return response.text();
    }

    it('a date outside the school year', async () => {
      expect(await refused(lesbezoek({ date: '2026-08-12' }))).toContain('De datum ligt buiten schooljaar 2025-2026, dat loopt van vrijdag 1 augustus 2025 tot en met vrijdag 31 juli 2026.');
    });

    it('a date after the last period of the year', async () => {
      expect(await refused(lesbezoek({ date: '2026-07-20' }))).toContain('De datum ligt na de laatste onderwijsperiode van schooljaar 2025-2026');
    });

    it('an end before the start', async () => {
      const page = await refused(lesbezoek({ start: '10:00', end: '09:00' }));
      expect(page).toContain('De eindtijd (09:00) ligt niet na de begintijd (10:00).');
      expect(page).toContain('id="lesbezoek-fout-end"');
      expect(page).toContain('value="2025-11-12"');
    });

    it('a date that does not exist, and a time that is not HH:MM', async () => {
      const page = await refused(lesbezoek({ date: '2025-02-30', start: '9.30' }));
      expect(page).toContain('Vul een geldige datum in (dag, maand en jaar).');
      expect(page).toContain('Vul de begintijd in als uu:mm, bijvoorbeeld 09:30.');
    });

    it('an observer role that is not on the placement', async () => {
      expect(await refused(lesbezoek({}, [['sco', 'kijkwijzer-pedagogiek']]))).toContain('Kies de observatoren uit de lijst');
    });

    it('no observer at all', async () => {
      expect(await refused(lesbezoek({}, []))).toContain('Kies wie de les observeert');
    });

    it('a forged form id (not a kijkwijzer of the year)', async () => {
      expect(await refused(lesbezoek({}, [['wpb', 'advies-wpb']]))).toContain('Kies een kijkwijzer uit de lijst voor Jan van &#39;t Hek.');
    });

    it('a class with a line break', async () => {
      expect(await refused(lesbezoek({ className: '2B\nBEGIN:VEVENT' }))).toContain('De klas bevat een regeleinde (U+000A) op positie 3');
    });

    it('a driehoeksgesprek with a role that is not offered, or without the WPB and the SO', async () => {
      const when: [string, string][] = [['talkType', 'tussentijds'], ['date', '2025-12-03'], ['start', '15:00'], ['end', '15:45']];
      expect(await refused([...when, ['participants', 'sco']], 'gesprekken')).toContain('Kies de deelnemers uit de lijst');
      expect(await refused([...when, ['participants', 'io']], 'gesprekken')).toContain('Kies wie er naast de instituutsopleider bij is');
      expect(await refused([['talkType', 'borrel'], ...when.slice(1), ['participants', 'so']], 'gesprekken')).toContain('Kies welk gesprek het is');
    });
  });

  describe('what can no longer change', () => {
    it('refuses to cancel a lesbezoek that was held (409), changing and sending nothing', async () => {
      clock.set('2025-11-10T09:00');
      const { p, base, appointment } = await planned();
      clock.set('2025-11-12T10:21');

      const response = await post(`${base}/annuleren`, [['bevestigd', 'ja']]);

      expect(response.status).toBe(409);
      expect(await response.text()).toContain('Deze afspraak is al geweest en kan niet meer worden geannuleerd.');
      expect(await appointments(p)).toEqual([appointment]);
      expect(await inboxOf(p.so.email)).toHaveLength(1);
      expect((await requests(p)).map((r) => r.state)).toEqual(['gevraagd', 'gevraagd']);
    });

    it("refuses to move a lesbezoek once its kijkwijzer was submitted (409), and to cancel that observer's part", async () => {
      clock.set('2025-11-10T09:00');
      const { p, base, appointment } = await planned();
      const wpbForm = tokenIn((await inboxOf(p.wpb.email))[0], 'f');
      expect((await postForm(app, `/f/${wpbForm}`, { ...completeFields(kijkwijzer), basis: '0', actie: 'versturen' })).status).toBe(303);

      const move = await post(`${base}/verplaatsen`, [['date', '2025-11-26'], ['start', '13:00'], ['end', '13:50']]);
      const cancel = await post(`${base}/annuleren`, [['rol', 'wpb'], ['bevestigd', 'ja']]);

      expect(move.status).toBe(409);
      expect(await move.text()).toContain('Deze afspraak kan niet meer worden verplaatst: de kijkwijzer van Jan van &#39;t Hek is al ingediend.');
      expect(cancel.status).toBe(409);
      expect(await appointments(p)).toEqual([appointment]);
      expect((await requests(p)).map((r) => r.lessonDate)).toEqual(['2025-11-12', '2025-11-12']);
      const wpbMails = await inboxOf(p.wpb.email);
      expect(wpbMails.filter((m) => m.attachments?.some((a) => a.contentType.startsWith('text/calendar')))).toHaveLength(1);
      // The SO's part, whose form is open, can still be cancelled.
      expect((await post(`${base}/annuleren`, [['rol', 'so'], ['bevestigd', 'ja']])).status).toBe(303);
    });

    it("answers another placement's appointment id with a 404, on every route", async () => {
      clock.set('2025-11-10T09:00');
      const { id, p } = await planned();
      const other = await student();
      const base = `/s/${other.token}/afspraken/${id}`;

      expect((await app.request(base)).status).toBe(404);
      expect((await post(`${base}/verplaatsen`, [['date', '2025-11-26'], ['start', '13:00'], ['end', '13:50']])).status).toBe(404);
      expect((await post(`${base}/annuleren`, [['bevestigd', 'ja']])).status).toBe(404);
      expect((await appointments(p))[0]!.state).toBe('gepland');
    });
  });

  describe('a driehoeksgesprek', () => {
    it('invites the WPB and the IO with their appointment link and a calendar invitation', async () => {
      clock.set('2025-11-10T09:00');
      const { p, token } = await student();

      const response = await post(`/s/${token}/gesprekken`, [
        ['talkType', 'kennismaking'],
        ['date', '2025-11-17'],
        ['start', '15:00'],
        ['end', '15:45'],
        ['location', 'lokaal 2.14'],
        ['participants', 'wpb'],
      ]);

      expect(response.status).toBe(303);
      const id = idOf(response);
      const [appointment] = await appointments(p);
      expect(appointment).toMatchObject({ kind: 'gesprek', talkType: 'kennismaking', period: 2, location: 'lokaal 2.14', sequence: 0 });
      expect(appointment!.participants.map((x) => x.role)).toEqual(['wpb', 'io']);
      expect(await inboxOf(p.so.email)).toEqual([]);
      for (const person of [p.wpb, p.io]) {
        const [mail, ...more] = await inboxOf(person.email);
        expect(more).toEqual([]);
        const invitation = invitationOf(mail);
        expect([invitation.method, invitation.uid, invitation.summary]).toEqual(['REQUEST', `${id}@werkplekleren.test`, `Driehoeksgesprek (kennismakingsgesprek) met ${STUDENT}`]);
        const link = await deps.links.get(hashToken(appointmentTokenIn(mail)));
        expect(link).toMatchObject({ purpose: 'appointment', ownerSk: `APPT#${id}`, recipient: person.email.toLowerCase() });
      }
      expect(await requests(p)).toEqual([]);
    });
  });

  describe('cancelling a driehoeksgesprek', () => {
    it("keeps the IO and the last of the WPB and the SO to the whole gesprek; a part's link is revoked, the whole sends METHOD:CANCEL to those left", async () => {
      clock.set('2025-11-10T09:00');
      const { p, token } = await student();
      const response = await post(`/s/${token}/gesprekken`, [['talkType', 'tussentijds'], ['date', '2025-12-03'], ['start', '15:00'], ['end', '15:45'], ['participants', 'wpb'], ['participants', 'so']]);
      const base = `/s/${token}/afspraken/${idOf(response)}`;
      const wpbLink = appointmentTokenIn((await inboxOf(p.wpb.email))[0]);

      const io = await post(`${base}/annuleren`, [['rol', 'io'], ['bevestigd', 'ja']]);
      expect(io.status).toBe(409);
      expect(await io.text()).toContain('De instituutsopleider is bij elk driehoeksgesprek.');

      expect((await post(`${base}/annuleren`, [['rol', 'wpb'], ['bevestigd', 'ja']])).status).toBe(303);
      expect(invitationOf((await inboxOf(p.wpb.email))[1]).method).toBe('CANCEL');
      expect((await deps.links.get(hashToken(wpbLink)))!.revokedAt).toBe(clock.now().toString());

      const lastPartner = await post(`${base}/annuleren`, [['rol', 'so'], ['bevestigd', 'ja']]);
      expect(lastPartner.status).toBe(409);
      expect(await lastPartner.text()).toContain('Bij een driehoeksgesprek is de werkplekbegeleider of de schoolopleider nodig.');

      expect((await post(`${base}/annuleren`, [['bevestigd', 'ja']])).status).toBe(303);
      const [cancelled] = await appointments(p);
      expect(cancelled).toMatchObject({ state: 'geannuleerd', sequence: 2 });
      expect(invitationOf((await inboxOf(p.so.email))[1])).toMatchObject({ method: 'CANCEL', sequence: 2 });
      expect(invitationOf((await inboxOf(p.io.email))[1])).toMatchObject({ method: 'CANCEL', sequence: 2 });
      expect((await inboxOf(p.wpb.email)).length).toBe(2);
    });
  });

  describe('names and texts full of quotes, line breaks and =', () => {
    it('stay harmless in the invitation: one event, the same values, no extra property', async () => {
      clock.set('2025-11-10T09:00');
      seq += 1;
      const nr = String(870000 + seq);
      const valid = staffPlacement(nr, `appt${nr}`, {
        student: { name: 'Eva "Evi" de Boer; x=y', email: `eva.${nr}@student.example.nl` },
        wpb: { name: 'Jan "JJ" =, van \'t Hek', email: `jan.${nr}@wolfert.example.nl` },
      });
      // A name stored before the character rules, with a line break in it.
      const p = { ...valid, student: { ...valid.student, name: 'Eva "Evi"\nde Boer; x=y' } } as Placement;
      await deps.placements.create(p, clock.now().toString());
      await ensureStudentLink(deps, p);
      const token = tokenIn((await inboxOf(p.student.email))[0], 's');

      const response = await post(`/s/${token}/lesbezoeken`, lesbezoek({ className: '2B "havo"; a=b,c' }, [['wpb', 'kijkwijzer-pedagogiek']]));

      expect(response.status).toBe(303);
      const invitation = invitationOf((await inboxOf(p.wpb.email))[0]);
      expect(invitation.summary).toBe('Lesbezoek bij Eva "Evi" de Boer; x=y, klas 2B "havo"; a=b,c');
      expect(invitation.organizer.cn).toBe('Eva "Evi" de Boer; x=y');
      expect(invitation.attendees).toEqual([{ cn: 'Jan "JJ" =, van \'t Hek', value: `mailto:${p.wpb.email}` }]);
      expect(invitation.properties).toEqual(['uid', 'sequence', 'dtstamp', 'dtstart', 'dtend', 'summary', 'location', 'description', 'organizer', 'attendee', 'status']);
    });
  });

  it('keeps a planned lesbezoek when its emails fail to send: the change stands, the failure is only logged', async () => {
    clock.set('2025-11-10T09:00');
    const { p, token } = await student();
    const failing = createApp({ ...deps, mailer: { send: () => Promise.reject(new Error('SES throttled')) }, rateLimits: { perAddress: 1_000_000, perToken: 1_000_000 } } as typeof deps);

    const response = await failing.request(`/s/${token}/lesbezoeken`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: TEST_ORIGIN },
      body: new URLSearchParams(lesbezoek()).toString(),
    });

    expect(response.status).toBe(303);
    expect((await appointments(p)).map((a) => a.state)).toEqual(['gepland']);
    expect((await requests(p)).map((r) => r.state)).toEqual(['gevraagd', 'gevraagd']);
  });

  it("is in the year index, and the digest's year model reads it (StoredAppointment)", async () => {
    clock.set('2025-11-10T09:00');
    const { p, appointment } = await planned();
    const items: Record<string, unknown>[] = [];
    for await (const page of deps.placements.yearItems(p.schoolYear)) items.push(...page);

    const model = yearModel(items);

    expect(model.appointments.get(p.studentNumber)).toEqual([appointment]);
    expect(model.invalid.filter((i) => i.entity === 'appointment')).toEqual([]);
    const item = items.find((i) => i.entity === 'appointment' && i.appointmentId === appointment.appointmentId)!;
    expect(item.GSI1SK).toBe(`SCHOOL#${p.school}#${p.studentNumber}#APPT#${appointment.appointmentId}`);
  });
});
