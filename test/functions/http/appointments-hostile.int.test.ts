import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import ICAL from 'ical.js';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../../functions/http/app.tsx';
import { BODY_LIMITS } from '../../../functions/http/middleware/body.ts';
import { getForm } from '../../../forms/index.ts';
import { hashToken } from '../../../shared/links.ts';
import type { EmailMessage, Mailer } from '../../../shared/mail/mailer.ts';
import { composeMime } from '../../../shared/mail/mime.ts';
import type { Placement } from '../../../shared/roster/placement.ts';
import type { AwsClients } from '../../../shared/store/clients.ts';
import { linkKeys } from '../../../shared/store/keys.ts';
import { sentAsIs } from '../../../shared/usecases/appointment-reports.ts';
import { ensureStudentLink } from '../../../shared/usecases/welcome.ts';
import { appDeps, TEST_ORIGIN } from '../../support/app.ts';
import { freshBucket, freshTable, localClients, objectExists } from '../../support/aws.ts';
import { completeFields } from '../../support/forms.ts';
import { appointmentTokenIn, calendarPartOf, inboxOf, tokenIn, type InboxEmail } from '../../support/inbox.ts';
import { cleanPdf, infectedPdf, waitForScanTag } from '../../support/malware.ts';
import { getWithSession, movableClock, postForm, signIn, staffPlacement } from '../../support/staff.ts';

/*
 * A hostile user and a careful reviewer against the lesbezoeken, driehoeksgesprekken and their
 * verslag (issue 14), through the app on the local stand-ins: replays, ids of another student,
 * races (Promise.all through the app) checked against the items in DynamoDB, bad values in every
 * field, forged roles and forms, names that try to break the calendar invitation or the MIME
 * headers, attachments with hostile names and sizes, staff out of scope and HEAD requests.
 */

const STUDENT = "Daniëlle van 't Hoff-Çelik";
const YEAR = '2025-2026';
const kijkwijzer = getForm('kijkwijzer-pedagogiek')!;

/** HTML-escaped as Hono's JSX writes text. */
const escaped = (text: string) => text.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll("'", '&#39;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** The calendar part of an email parsed with ical.js: the calendar, its events, and the first event's facts. */
function parsedInvitation(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const events = calendar.getAllSubcomponents('vevent');
  const event = events[0]!;
  return {
    calendarProperties: calendar.getAllProperties().map((p) => p.name),
    components: calendar.getAllSubcomponents().map((c) => c.name),
    events,
    method: calendar.getFirstPropertyValue('method'),
    uid: event.getFirstPropertyValue('uid'),
    sequence: event.getFirstPropertyValue('sequence'),
    summary: event.getFirstPropertyValue('summary'),
    location: event.getFirstPropertyValue('location'),
    description: String(event.getFirstPropertyValue('description') ?? ''),
    dtstart: event.getFirstProperty('dtstart')?.toICALString(),
    organizer: { cn: event.getFirstProperty('organizer')?.getParameter('cn'), value: event.getFirstPropertyValue('organizer') },
    attendees: event.getAllProperties('attendee').map((p) => ({ cn: p.getParameter('cn'), value: String(p.getFirstValue()).toLowerCase() })),
    properties: event.getAllProperties().map((p) => p.name),
  };
}

const invitationOf = (email: InboxEmail | undefined) => parsedInvitation(calendarPartOf(email));

/** The invitation with the highest SEQUENCE among emails: the one a calendar keeps. */
const latest = (mails: InboxEmail[]) => mails.map(invitationOf).reduce((a, b) => (Number(b.sequence) > Number(a.sequence) ? b : a));

/** The emails of an address that carry a calendar invitation. */
const invitations = async (address: string) => (await inboxOf(address)).filter((m) => m.attachments?.some((a) => a.contentType.startsWith('text/calendar')));

/** A mailer that keeps every message it is given and hands it on to the app's own. */
function capturing(inner: Mailer): Mailer & { sent: EmailMessage[] } {
  const sent: EmailMessage[] = [];
  return {
    sent,
    send: async (message) => {
      sent.push(message);
      return inner.send(message);
    },
  };
}

describe('hostile use of lesbezoeken, driehoeksgesprekken and their verslag (DynamoDB Local, s3rver, SES stand-in)', () => {
  const clock = movableClock('2025-11-10T09:00');
  let clients: AwsClients;
  let tableName: string;
  let bucket: string;
  let deps: ReturnType<typeof appDeps>;
  let app: ReturnType<typeof createApp>;
  let seq = 0;

  beforeAll(async () => {
    clients = localClients();
    tableName = await freshTable(clients);
    bucket = await freshBucket(clients);
    deps = appDeps(clients, { tableName, bucket }, clock);
    app = createApp({ ...deps, signInRateLimits: { perAddress: 1000, perClient: 1000 }, rateLimits: { perAddress: 1_000_000, perToken: 1_000_000 } } as typeof deps);
  });

  // Monday 10 November 2025, before every appointment the tests plan; a test that needs a held gesprek moves the clock.
  beforeEach(() => clock.set('2025-11-10T09:00'));

  /** A fresh placement (unique addresses for every role: the inbox is shared) with the student's page token. */
  async function student(overrides: Parameters<typeof staffPlacement>[2] = {}, raw?: (p: Placement) => Placement) {
    seq += 1;
    const nr = String(5_310_000 + seq * 10 + Math.floor(Math.random() * 10));
    const placement = staffPlacement(nr, `hostile${nr}`, {
      student: { name: STUDENT, email: `danielle.${nr}@student.example.nl` },
      wpb: { name: "Jan van 't Hek", email: `jan.${nr}@wolfert.example.nl` },
      so: { name: 'Óscar Ëlberg', email: `oscar.${nr}@wolfert.example.nl` },
      io: { name: 'Çiğdem Yılmaz', email: `cigdem.${nr}@hr.example.nl` },
      ...overrides,
    });
    const valid = { ...placement, sco: { name: 'Fatima El Amrani', email: `sco.${nr}@wolfert.example.nl` } } as Placement;
    const p = raw ? raw(valid) : valid;
    await deps.placements.create(p, clock.now().toString());
    await ensureStudentLink(deps, p);
    return { p, token: tokenIn((await inboxOf(p.student.email))[0], 's') };
  }

  /** Posts form fields as a browser does (repeated names for a checkbox group), through `via` (the app by default). */
  function post(path: string, fields: [string, string][], via: ReturnType<typeof createApp> = app) {
    return via.request(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: TEST_ORIGIN },
      body: new URLSearchParams(fields).toString(),
    });
  }

  /** The lesbezoek form: Wednesday 12 November 2025, 09:30–10:20, klas 2B, the WPB (pedagogiek) and the SO (didactiek). */
  const lesbezoek = (overrides: Partial<Record<'date' | 'start' | 'end' | 'className', string>> = {}, observers: [string, string][] = [['wpb', 'kijkwijzer-pedagogiek'], ['so', 'kijkwijzer-didactiek']]): [string, string][] => [
    ['date', overrides.date ?? '2025-11-12'],
    ['start', overrides.start ?? '09:30'],
    ['end', overrides.end ?? '10:20'],
    ['className', overrides.className ?? '2B'],
    ...observers.map(([role]): [string, string] => ['observers', role]),
    ...observers.map(([role, formId]): [string, string] => [`formId-${role}`, formId]),
  ];

  /** The gesprek form: a tussentijds gesprek on Wednesday 3 December 2025, 15:00–15:45, with the WPB (and the IO). */
  const gesprekFields = (overrides: Partial<Record<'date' | 'start' | 'end' | 'location' | 'talkType', string>> = {}, partners: string[] = ['wpb']): [string, string][] => [
    ['talkType', overrides.talkType ?? 'tussentijds'],
    ['date', overrides.date ?? '2025-12-03'],
    ['start', overrides.start ?? '15:00'],
    ['end', overrides.end ?? '15:45'],
    ['location', overrides.location ?? 'Lokaal 2.14'],
    ...partners.map((role): [string, string] => ['participants', role]),
  ];

  const appointments = (p: Placement) => deps.appointments.listForPlacement(p.schoolYear, p.studentNumber);
  const requests = (p: Placement) => deps.requests.listForPlacement(p.schoolYear, p.studentNumber);
  const idOf = (response: Response) => /\/afspraken\/([^/?]+)\?gepland=1$/.exec(response.headers.get('location') ?? '')?.[1] ?? '';
  const linkOf = async (hash: string) => (await clients.doc.send(new GetCommand({ TableName: tableName, Key: linkKeys(hash), ConsistentRead: true }))).Item;

  /** Every email anyone of the placement got, but the student's welcome. */
  const allMail = async (p: Placement) => [...(await inboxOf(p.wpb.email)), ...(await inboxOf(p.so.email)), ...(await inboxOf(p.io.email)), ...(await inboxOf(p.sco.email))];

  /** A planned lesbezoek (WPB and SO) of a fresh student. */
  async function plannedLesbezoek(fields: [string, string][] = lesbezoek()) {
    const { p, token } = await student();
    const response = await post(`/s/${token}/lesbezoeken`, fields);
    expect(response.status).toBe(303);
    const id = idOf(response);
    const [appointment] = await appointments(p);
    return { p, token, id, appointment: appointment!, base: `/s/${token}/afspraken/${id}` };
  }

  /** A planned gesprek (WPB, SO and IO unless told otherwise) of a fresh student. */
  async function plannedGesprek(partners: string[] = ['wpb', 'so'], fields: Parameters<typeof gesprekFields>[0] = {}) {
    const { p, token } = await student();
    const response = await post(`/s/${token}/gesprekken`, gesprekFields(fields, partners));
    expect(response.status).toBe(303);
    const id = idOf(response);
    const [appointment] = await appointments(p);
    return { p, token, id, appointment: appointment!, base: `/s/${token}/afspraken/${id}` };
  }

  /** The plan forms' ids on the student's page: the lesbezoek form's, then the gesprek form's. */
  async function planIds(token: string): Promise<string[]> {
    const page = await (await app.request(`/s/${token}`)).text();
    return [...page.matchAll(/name="planId" value="([^"]+)"/g)].map((m) => m[1]!);
  }

  /** Posts the verslag form as the browser does: multipart, with the file field (empty when no file is chosen). */
  function saveReport(base: string, fields: Record<string, string>, file: File = new File([], '', { type: 'application/octet-stream' })) {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    form.append('bijlage', file);
    return app.request(`${base}/verslag`, { method: 'POST', headers: { Origin: TEST_ORIGIN }, body: form });
  }

  const sendReport = (base: string) => post(`${base}/verslag/versturen`, []);

  /** The verslag emails an address got. */
  const reportMails = async (address: string) => (await inboxOf(address)).filter((m) => /verslag/i.test(m.subject));

  /**
   * The appointment, its kijkwijzer requests and their form links agree (nothing half-written): an
   * invited observer's request is open with the appointment's lesson date and its link not revoked;
   * a cancelled observer's request is withdrawn and its link revoked.
   */
  async function expectConsistent(p: Placement) {
    const [appointment] = await appointments(p);
    const stored = await requests(p);
    for (const participant of appointment!.participants.filter((x) => x.requestId)) {
      const request = stored.find((r) => r.requestId === participant.requestId)!;
      const link = await linkOf(request.linkHash);
      if (participant.state === 'geannuleerd' || appointment!.state === 'geannuleerd') {
        expect([participant.role, request.state, Boolean(link?.revokedAt)]).toEqual([participant.role, 'ingetrokken', true]);
      } else {
        expect([participant.role, request.state, request.lessonDate, Boolean(link?.revokedAt)]).toEqual([participant.role, 'gevraagd', appointment!.date, false]);
      }
    }
    return { appointment: appointment!, requests: stored };
  }

  describe('replays of every POST', () => {
    it('planning a lesbezoek twice in a row: the second post is warned about the overlap and plans nothing', async () => {
      const { p, token } = await student();
      expect((await post(`/s/${token}/lesbezoeken`, lesbezoek())).status).toBe(303);

      const replay = await post(`/s/${token}/lesbezoeken`, lesbezoek());

      expect(replay.status).toBe(200);
      expect(await replay.text()).toContain('Op dat moment heb je al een afspraak');
      expect(await appointments(p)).toHaveLength(1);
      expect(await requests(p)).toHaveLength(2);
      expect([(await invitations(p.wpb.email)).length, (await invitations(p.so.email)).length]).toEqual([1, 1]);
    });

    it('a double click on "Toch plannen" (two posts at once with bevestigd=ja) plans one lesbezoek and invites each observer once', async () => {
      const { p, token } = await student();
      const [planId] = await planIds(token);
      const warned = await post(`/s/${token}/lesbezoeken`, [...lesbezoek({ date: '2025-11-05' }), ['planId', planId!]]);
      expect(warned.status).toBe(200);
      // The confirmation form ("Toch plannen") as the page wrote it, posted twice at once.
      const html = await warned.text();
      const box = html.slice(html.indexOf('id="lesbezoek-waarschuwing"'), html.indexOf('</form>', html.indexOf('id="lesbezoek-waarschuwing"')));
      const confirm = [...box.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/>/g)].map((m): [string, string] => [m[1]!, m[2]!]);
      expect(confirm).toContainEqual(['bevestigd', 'ja']);
      expect(confirm.filter(([name]) => name === 'planId')).toEqual([['planId', planId]]);
      // The form below the warning may plan something else: it has a fresh id.
      expect(html.split(`value="${planId}"`)).toHaveLength(2);

      const answers = await Promise.all([post(`/s/${token}/lesbezoeken`, confirm), post(`/s/${token}/lesbezoeken`, confirm)]);

      expect(answers.map((a) => a.status)).toEqual([303, 303]);
      const stored = await appointments(p);
      expect(stored.map((a) => a.appointmentId)).toEqual([planId]);
      expect(answers.map((a) => a.headers.get('location'))).toEqual([`/s/${token}/afspraken/${planId}?gepland=1`, `/s/${token}/afspraken/${planId}?gepland=1`]);
      expect(await requests(p)).toHaveLength(2);
      expect([(await invitations(p.wpb.email)).length, (await invitations(p.so.email)).length]).toEqual([1, 1]);
      await expectConsistent(p);
      const events = await deps.audit.listForPlacement(p.schoolYear, p.studentNumber);
      expect(events.filter((e) => e.action === 'afspraak gepland')).toHaveLength(1);
    });

    it('a double click on "Driehoeksgesprek plannen", and a later replay of the same form, plan one gesprek', async () => {
      const { p, token } = await student();
      const [, planId] = await planIds(token);
      const fields: [string, string][] = [...gesprekFields(), ['planId', planId!]];

      const answers = await Promise.all([post(`/s/${token}/gesprekken`, fields), post(`/s/${token}/gesprekken`, fields)]);
      const replay = await post(`/s/${token}/gesprekken`, fields);

      expect([...answers, replay].map((a) => [a.status, a.headers.get('location')])).toEqual(Array(3).fill([303, `/s/${token}/afspraken/${planId}?gepland=1`]));
      expect((await appointments(p)).map((a) => a.appointmentId)).toEqual([planId]);
      expect([(await invitations(p.wpb.email)).length, (await invitations(p.io.email)).length]).toEqual([1, 1]);
      const links = (await deps.links.get(hashToken(appointmentTokenIn((await inboxOf(p.wpb.email))[0]))))!;
      expect(links).toMatchObject({ purpose: 'appointment', ownerSk: `APPT#${planId}` });
    });

    it('a forged planId is only an id: another format plans under a new id, and a replay of a cancelled plan plans nothing new', async () => {
      const { p, token } = await student();
      const forged = await post(`/s/${token}/gesprekken`, [...gesprekFields(), ['planId', '../APPT#x']]);
      expect(forged.status).toBe(303);
      const [first] = await appointments(p);
      expect(first!.appointmentId).toMatch(/^\d{8}T\d{6}-[A-Za-z0-9_-]{8}$/);
      const base = `/s/${token}/afspraken/${first!.appointmentId}`;
      expect((await post(`${base}/annuleren`, [['bevestigd', 'ja']])).status).toBe(303);

      const again = await post(`/s/${token}/gesprekken`, [...gesprekFields(), ['planId', first!.appointmentId]]);

      expect(again.headers.get('location')).toBe(`${base}?gepland=1`);
      expect((await appointments(p)).map((a) => [a.appointmentId, a.state])).toEqual([[first!.appointmentId, 'geannuleerd']]);
    });

    it('moving to the same time again (a replay) changes and sends nothing', async () => {
      const { p, base, appointment } = await plannedLesbezoek();
      const move: [string, string][] = [['date', '2025-11-26'], ['start', '13:00'], ['end', '13:50']];
      expect((await post(`${base}/verplaatsen`, move)).status).toBe(303);
      const [moved] = await appointments(p);

      const replay = await post(`${base}/verplaatsen`, move);

      expect(replay.status).toBe(303);
      expect(replay.headers.get('location')).toBe(base);
      expect(await appointments(p)).toEqual([moved]);
      expect(moved!.sequence).toBe(appointment.sequence + 1);
      expect([(await invitations(p.wpb.email)).length, (await invitations(p.so.email)).length]).toEqual([2, 2]);
    });

    it('cancelling a part, then the whole, then both again: each replay changes and sends nothing', async () => {
      const { p, base } = await plannedLesbezoek();
      expect((await post(`${base}/annuleren`, [['rol', 'so'], ['bevestigd', 'ja']])).status).toBe(303);
      expect((await post(`${base}/annuleren`, [['bevestigd', 'ja']])).status).toBe(303);
      const after = await appointments(p);
      expect(after[0]).toMatchObject({ state: 'geannuleerd', sequence: 2 });

      for (const fields of [[['rol', 'so'], ['bevestigd', 'ja']], [['bevestigd', 'ja']], [['rol', 'wpb'], ['bevestigd', 'ja']], [['rol', 'so']], []] as [string, string][][]) {
        const replay = await post(`${base}/annuleren`, fields);
        expect(replay.status).toBe(303);
      }

      expect(await appointments(p)).toEqual(after);
      expect([(await invitations(p.wpb.email)).length, (await invitations(p.so.email)).length]).toEqual([2, 2]);
      await expectConsistent(p);
    });

    it('saving and sending the verslag again: nothing written, nothing sent', async () => {
      const { p, base } = await plannedGesprek(['wpb']);
      clock.set('2025-12-03T16:00');
      expect((await saveReport(base, { tekst: 'Goed gesprek.\nVolgende keer: OP3.' })).status).toBe(303);
      expect((await sendReport(base)).status).toBe(303);
      const [sent] = await appointments(p);

      expect((await saveReport(base, { tekst: 'Goed gesprek.\r\nVolgende keer: OP3.' })).headers.get('location')).toContain('verslag=ongewijzigd');
      expect((await sendReport(base)).headers.get('location')).toContain('verslag=al-verstuurd');

      expect(await appointments(p)).toEqual([sent]);
      expect([(await reportMails(p.wpb.email)).length, (await reportMails(p.io.email)).length]).toEqual([1, 1]);
    });

    it('each save that changes the verslag is in the student\'s log ("verslag opgeslagen"); a replay is not', async () => {
      const { p, base } = await plannedGesprek(['wpb']);
      clock.set('2025-12-03T16:00');
      expect((await saveReport(base, { tekst: 'Eerste versie.' }, new File([cleanPdf('log')], 'bijlage.pdf', { type: 'application/pdf' }))).status).toBe(303);
      expect((await saveReport(base, { tekst: 'Eerste versie.' })).headers.get('location')).toContain('verslag=ongewijzigd');
      clock.set('2025-12-03T16:10');
      expect((await saveReport(base, { tekst: 'Tweede versie.', bijlageVerwijderen: 'ja' })).status).toBe(303);

      const events = (await deps.audit.listForPlacement(p.schoolYear, p.studentNumber)).filter((e) => e.action === 'verslag opgeslagen').sort((a, b) => a.at.localeCompare(b.at));
      expect(events.map((e) => e.actor)).toEqual(['link:student', 'link:student']);
      expect(events[0]!.detail).toMatch(/^verslag van Driehoeksgesprek \(tussentijds gesprek\) op woensdag 3 december 2025, 15:00–15:45, 14 tekens, bijlage bijlage\.pdf \(afspraak /);
      expect(events[1]!.detail).toContain('14 tekens; bijlage bijlage.pdf verwijderd');
    });

    it('on a clock that stands still (NOW in a demo): a changed verslag is sent once, and sending again sends nothing', async () => {
      const { p, base } = await plannedGesprek(['wpb']);
      clock.set('2025-12-03T16:00');
      expect((await saveReport(base, { tekst: 'Eerste versie.' })).status).toBe(303);
      expect((await sendReport(base)).headers.get('location')).toContain('verslag=verstuurd');
      expect((await saveReport(base, { tekst: 'Tweede versie.' })).status).toBe(303);
      expect((await sendReport(base)).headers.get('location')).toContain('verslag=bijgewerkt');

      const replay = await sendReport(base);

      expect(replay.headers.get('location')).toContain('verslag=al-verstuurd');
      expect((await reportMails(p.wpb.email)).map((m) => m.subject.split(' driehoeksgesprek')[0])).toEqual(['Verslag', 'Bijgewerkt verslag']);
      const [stored] = await appointments(p);
      expect(stored!.report).toMatchObject({ text: 'Tweede versie.' });
      expect(await (await app.request(base)).text()).not.toContain('Die wijziging is nog niet verstuurd.');
    });
  });

  describe("another student's appointment id and another participant's link", () => {
    it("answers another placement's appointment id with a 404 on every route, changing and sending nothing", async () => {
      clock.set('2025-11-10T09:00');
      const theirs = await plannedGesprek(['wpb']);
      const mine = await plannedGesprek(['wpb']);
      clock.set('2025-12-03T16:00');
      const base = `/s/${mine.token}/afspraken/${theirs.id}`;
      const before = await appointments(theirs.p);

      const answers = [
        await app.request(base),
        await app.request(`${base}/verslag/bijlage`),
        await post(`${base}/verplaatsen`, [['date', '2025-12-10'], ['start', '13:00'], ['end', '13:50']]),
        await post(`${base}/annuleren`, [['bevestigd', 'ja']]),
        await post(`${base}/annuleren`, [['rol', 'wpb'], ['bevestigd', 'ja']]),
        await saveReport(base, { tekst: 'Niet van mij.' }),
        await sendReport(base),
      ];

      expect(answers.map((a) => a.status)).toEqual([404, 404, 404, 404, 404, 404, 404]);
      for (const answer of answers) expect(await answer.text()).toContain('Deze afspraak bestaat niet.');
      expect(await appointments(theirs.p)).toEqual(before);
      expect(await appointments(mine.p)).toHaveLength(1);
      expect((await allMail(theirs.p)).length).toBe(2);
    });

    it("a participant's /a/ token opens only its own gesprek: not as a student link, a form link, nor in another path", async () => {
      const first = await plannedGesprek(['wpb']);
      const second = await plannedGesprek(['wpb']);
      const token = appointmentTokenIn((await inboxOf(first.p.wpb.email))[0]);

      expect((await app.request(`/a/${token}`)).status).toBe(200);
      expect(await (await app.request(`/a/${token}`)).text()).toContain(escaped(first.p.wpb.name));
      expect((await app.request(`/s/${token}`)).status).toBe(404);
      expect((await app.request(`/s/${token}/afspraken/${second.id}`)).status).toBe(404);
      expect((await app.request(`/s/${token}/afspraken/${first.id}`)).status).toBe(404);
      expect((await post(`/s/${token}/afspraken/${first.id}/annuleren`, [['bevestigd', 'ja']])).status).toBe(404);
      expect((await app.request(`/f/${token}`)).status).toBe(404);
      expect((await app.request(`/a/${token}/${second.id}`)).status).toBe(404);
      // A kijkwijzer's form link is no appointment link either.
      const visit = await plannedLesbezoek();
      const formToken = tokenIn((await inboxOf(visit.p.wpb.email))[0], 'f');
      expect((await app.request(`/a/${formToken}`)).status).toBe(404);
      expect((await app.request(`/a/${formToken}/bijlage`)).status).toBe(404);
      expect((await appointments(first.p))[0]!.state).toBe('gepland');
    });
  });

  describe('races through the app: nothing half-written, at most the right number of emails', () => {
    it('two moves at once: one wins (or both, one after the other); appointment, kijkwijzers, form links and invitations agree', async () => {
      const { p, base, appointment } = await plannedLesbezoek();

      const answers = await Promise.all([
        post(`${base}/verplaatsen`, [['date', '2025-11-26'], ['start', '13:00'], ['end', '13:50']]),
        post(`${base}/verplaatsen`, [['date', '2026-02-11'], ['start', '11:00'], ['end', '11:50']]),
      ]);

      const statuses = answers.map((a) => a.status);
      expect(statuses.every((s) => s === 303 || s === 409)).toBe(true);
      const moves = statuses.filter((s) => s === 303).length;
      expect(moves).toBeGreaterThanOrEqual(1);
      for (const answer of answers) if (answer.status === 409) expect(await answer.text()).toMatch(/intussen gewijzigd|op hetzelfde moment/);
      const { appointment: after, requests: stored } = await expectConsistent(p);
      expect(after.sequence).toBe(appointment.sequence + moves);
      expect(['2025-11-26', '2026-02-11']).toContain(after.date);
      const period = after.date === '2025-11-26' ? { period: 2, deadline: '2026-02-04', until: '2026-02-18T23:00:00Z' } : { period: 3, deadline: '2026-04-22', until: '2026-05-06T22:00:00Z' };
      expect(after.period).toBe(period.period);
      for (const request of stored) {
        expect([request.lessonDate, request.period, request.deadline]).toEqual([after.date, period.period, period.deadline]);
        expect((await linkOf(request.linkHash))!.validUntil).toBe(period.until);
      }
      for (const address of [p.wpb.email, p.so.email]) {
        const mails = await invitations(address);
        expect(mails).toHaveLength(1 + moves);
        // Emails of two changes may arrive in either order: the calendar goes by SEQUENCE.
        const last = latest(mails);
        expect([last.method, last.sequence]).toEqual(['REQUEST', after.sequence]);
        expect(last.dtstart).toContain(after.date.replaceAll('-', ''));
      }
    });

    it('a double click on "Verplaatsen": both answers a 303, one move, one update each', async () => {
      const { p, base, appointment } = await plannedLesbezoek();
      const move: [string, string][] = [['date', '2025-11-26'], ['start', '13:00'], ['end', '13:50']];

      const answers = await Promise.all([post(`${base}/verplaatsen`, move), post(`${base}/verplaatsen`, move)]);

      expect(answers.map((a) => a.status)).toEqual([303, 303]);
      const { appointment: after } = await expectConsistent(p);
      expect(after).toMatchObject({ date: '2025-11-26', sequence: appointment.sequence + 1 });
      expect([(await invitations(p.wpb.email)).length, (await invitations(p.so.email)).length]).toEqual([2, 2]);
      const events = await deps.audit.listForPlacement(p.schoolYear, p.studentNumber);
      expect(events.filter((e) => e.action === 'afspraak verplaatst')).toHaveLength(1);
    });

    it('a move and a cancel at once: either the move or the cancellation, never a mix', async () => {
      const { p, base, appointment } = await plannedLesbezoek();

      const answers = await Promise.all([post(`${base}/verplaatsen`, [['date', '2025-11-26'], ['start', '13:00'], ['end', '13:50']]), post(`${base}/annuleren`, [['bevestigd', 'ja']])]);

      expect(answers.map((a) => a.status).every((s) => s === 303 || s === 409)).toBe(true);
      const { appointment: after, requests: stored } = await expectConsistent(p);
      const moved = answers[0]!.status === 303;
      const cancelled = answers[1]!.status === 303;
      expect(after.state).toBe(cancelled ? 'geannuleerd' : 'gepland');
      expect(after.date).toBe(moved ? '2025-11-26' : appointment.date);
      expect(after.sequence).toBe(appointment.sequence + Number(moved) + Number(cancelled));
      expect(stored.map((r) => r.state)).toEqual(cancelled ? ['ingetrokken', 'ingetrokken'] : ['gevraagd', 'gevraagd']);
      for (const address of [p.wpb.email, p.so.email]) {
        const mails = await invitations(address);
        expect(mails).toHaveLength(1 + Number(moved) + Number(cancelled));
        expect(latest(mails)).toMatchObject({ method: cancelled ? 'CANCEL' : 'REQUEST', sequence: after.sequence });
      }
    });

    it("two cancels of the same part at once: one cancellation email, both answers a 303, the part's request withdrawn once", async () => {
      const { p, base } = await plannedLesbezoek();

      const answers = await Promise.all([post(`${base}/annuleren`, [['rol', 'so'], ['bevestigd', 'ja']]), post(`${base}/annuleren`, [['rol', 'so'], ['bevestigd', 'ja']])]);

      expect(answers.map((a) => a.status)).toEqual([303, 303]);
      expect(answers.map((a) => a.headers.get('location'))).toEqual([`${base}?afgemeld=so`, `${base}?afgemeld=so`]);
      const { appointment: after } = await expectConsistent(p);
      expect(after).toMatchObject({ state: 'gepland', sequence: 1 });
      expect(after.participants.map((x) => [x.role, x.state])).toEqual([
        ['wpb', 'uitgenodigd'],
        ['so', 'geannuleerd'],
      ]);
      expect((await invitations(p.so.email)).map((m) => invitationOf(m).method)).toEqual(['REQUEST', 'CANCEL']);
      expect(await invitations(p.wpb.email)).toHaveLength(1);
      const events = await deps.audit.listForPlacement(p.schoolYear, p.studentNumber);
      expect(events.filter((e) => e.action === 'afspraak geannuleerd')).toHaveLength(1);
    });

    it("two cancels of different parts at once: both parts or one (the other a Dutch 409), never a lost part", async () => {
      const { p, base } = await plannedLesbezoek(lesbezoek({}, [['wpb', 'kijkwijzer-pedagogiek'], ['so', 'kijkwijzer-didactiek'], ['io', 'kijkwijzer-vakdidactiek']]));

      const answers = await Promise.all([post(`${base}/annuleren`, [['rol', 'so'], ['bevestigd', 'ja']]), post(`${base}/annuleren`, [['rol', 'io'], ['bevestigd', 'ja']])]);

      expect(answers.map((a) => a.status).every((s) => s === 303 || s === 409)).toBe(true);
      const { appointment: after } = await expectConsistent(p);
      const done = { so: answers[0]!.status === 303, io: answers[1]!.status === 303 };
      expect(after.participants.map((x) => [x.role, x.state])).toEqual([
        ['wpb', 'uitgenodigd'],
        ['so', done.so ? 'geannuleerd' : 'uitgenodigd'],
        ['io', done.io ? 'geannuleerd' : 'uitgenodigd'],
      ]);
      expect((await invitations(p.so.email)).length).toBe(done.so ? 2 : 1);
      expect((await invitations(p.io.email)).length).toBe(done.io ? 2 : 1);
    });

    it('a save and a send of the verslag at once: what was emailed is what was marked sent, at most once each', async () => {
      const { p, base } = await plannedGesprek(['wpb']);
      clock.set('2025-12-03T16:00');
      expect((await saveReport(base, { tekst: 'Eerste versie.' })).status).toBe(303);
      clock.set('2025-12-03T16:05');

      const answers = await Promise.all([saveReport(base, { tekst: 'Tweede versie, met "aanhalingstekens" en =.' }), sendReport(base)]);

      expect(answers.map((a) => a.status).every((s) => s === 303 || s === 409)).toBe(true);
      const [after] = await appointments(p);
      const mails = await reportMails(p.wpb.email);
      expect(mails.length).toBeLessThanOrEqual(1);
      expect(mails.length).toBe(answers[1]!.status === 303 ? 1 : 0);
      if (mails.length === 1) {
        expect(after!.report?.sentAt).toBeDefined();
        // What went out is the version the send read: the stored one if nothing was saved after it, else the first.
        const emailed = sentAsIs(after!.report) ? after!.report!.text : 'Eerste versie.';
        expect(mails[0]!.body.text).toContain(emailed);
        if (!sentAsIs(after!.report)) expect(after!.report!.text).not.toBe(emailed);
      }
      expect(after!.report?.text).toBe(answers[0]!.status === 303 ? 'Tweede versie, met "aanhalingstekens" en =.' : 'Eerste versie.');
      expect(await reportMails(p.io.email)).toHaveLength(mails.length);
    });

    it('two saves with a file each at once: one attachment stored, the loser leaves no object behind', async () => {
      const { p, base } = await plannedGesprek(['wpb']);
      clock.set('2025-12-03T16:00');
      expect((await saveReport(base, { tekst: 'Basis.' })).status).toBe(303);

      const answers = await Promise.all([
        saveReport(base, { tekst: 'Met bijlage A.' }, new File([cleanPdf('a')], 'a.pdf', { type: 'application/pdf' })),
        saveReport(base, { tekst: 'Met bijlage B.' }, new File([cleanPdf('b')], 'b.pdf', { type: 'application/pdf' })),
      ]);

      expect(answers.map((a) => a.status).every((s) => s === 303 || s === 409)).toBe(true);
      const [after] = await appointments(p);
      const attachment = after!.report!.attachment!;
      expect(['a.pdf', 'b.pdf']).toContain(attachment.name);
      expect(await objectExists(clients, bucket, attachment.key)).toBe(true);
    });
  });

  describe('bad values in every field: a Dutch 4xx, never a 500, nothing stored or sent', () => {
    const BAD_LINES: [string, string][] = [
      ['a bell', 'klas\u0007'],
      ['a line separator', 'klas\u2028BEGIN:VEVENT'],
      ['a bidi override', 'Zoë\u202Efdp.exe'],
      ['a line break', '2B\r\nATTENDEE:mailto:evil@example.com'],
      ['a zero-width space', '2\u200BB'],
      ['a NUL', '2B\u0000'],
    ];

    async function refusedPlan(path: 'lesbezoeken' | 'gesprekken', fields: [string, string][], status = 400) {
      const { p, token } = await student();
      const response = await post(`/s/${token}/${path}`, fields);
      expect(response.status).toBe(status);
      expect(await appointments(p)).toEqual([]);
      expect(await requests(p)).toEqual([]);
      expect(await allMail(p)).toEqual([]);
      return response.text();
    }

    it('the class of a lesbezoek: control characters, U+2028, bidi overrides, 10,000 characters', async () => {
      for (const [, bad] of BAD_LINES) expect(await refusedPlan('lesbezoeken', lesbezoek({ className: bad }))).toMatch(/De klas bevat .* op positie \d+/);
      expect(await refusedPlan('lesbezoeken', lesbezoek({ className: 'x'.repeat(10_000) }))).toContain('De klas mag hoogstens 40 tekens lang zijn.');
      // 10,000 × ë is 60 kB URL-encoded: over the body limit of a student's post.
      expect(await refusedPlan('lesbezoeken', lesbezoek({ className: 'ë'.repeat(10_000) }), 413)).toContain('te groot om te verwerken');
    });

    it('the place of a gesprek: control characters, U+2028, bidi overrides, 10,000 characters', async () => {
      for (const [, bad] of BAD_LINES) expect(await refusedPlan('gesprekken', gesprekFields({ location: bad }))).toMatch(/De plek bevat .* op positie \d+/);
      expect(await refusedPlan('gesprekken', gesprekFields({ location: 'x'.repeat(10_000) }))).toContain('De plek mag hoogstens 100 tekens lang zijn.');
    });

    it('dates that do not exist or are not dates, and empty values', async () => {
      for (const date of ['2026-02-31', '2025-11-31', '2025-13-01', '2025-00-10', '12-11-2025', '2025-11-12T09:00', '２０２５-11-12', '2025-11-12\u0000', '', ' ', 'x'.repeat(10_000)]) {
        const page = await refusedPlan('lesbezoeken', lesbezoek({ date }));
        expect(page).toMatch(/Vul een geldige datum in \(dag, maand en jaar\)\.|Vul een datum in\./);
      }
      expect(await refusedPlan('gesprekken', gesprekFields({ date: '2026-02-29' }))).toContain('Vul een geldige datum in (dag, maand en jaar).');
    });

    it('times like 25:00, 24:00, 9:5, 9.30 and 09:30:00, empty times, and a start equal to the end', async () => {
      for (const start of ['25:00', '24:00', '9:5', '9.30', '09:30:00', '09:60', '', '０９:３０']) {
        expect(await refusedPlan('lesbezoeken', lesbezoek({ start }))).toContain('Vul de begintijd in als uu:mm, bijvoorbeeld 09:30.');
      }
      expect(await refusedPlan('gesprekken', gesprekFields({ end: '23:60' }))).toContain('Vul de eindtijd in als uu:mm, bijvoorbeeld 09:30.');
      expect(await refusedPlan('lesbezoeken', lesbezoek({ start: '10:20', end: '10:20' }))).toContain('De eindtijd (10:20) ligt niet na de begintijd (10:20).');
      expect(await refusedPlan('gesprekken', gesprekFields({ start: '15:00', end: '14:59' }))).toContain('De eindtijd (14:59) ligt niet na de begintijd (15:00).');
    });

    it('field names like __proto__ and constructor, and every field twice', async () => {
      const page = await refusedPlan('lesbezoeken', [['__proto__', 'x'], ['constructor', 'y'], ['toString', 'z'], ['hasOwnProperty', '1'], ...lesbezoek({ date: '2026-02-31' }), ...lesbezoek({ start: '9:5' })]);
      // A field sent twice counts with its last value: here the second form's valid date and bad time.
      expect(page).not.toContain('Vul een geldige datum in');
      expect(page).toContain('Vul de begintijd in als uu:mm, bijvoorbeeld 09:30.');
    });

    it('every field left out', async () => {
      const lesbezoekPage = await refusedPlan('lesbezoeken', []);
      for (const message of ['Vul een datum in.', 'Vul de begintijd in.', 'Vul de eindtijd in.', 'Kies wie de les observeert']) expect(lesbezoekPage).toContain(message);
      const gesprekPage = await refusedPlan('gesprekken', []);
      for (const message of ['Vul een datum in.', 'Kies welk gesprek het is', 'Kies wie er naast de instituutsopleider bij is']) expect(gesprekPage).toContain(message);
    });

    it('forged roles and form ids', async () => {
      for (const role of ['sco', 'student', 'WPB', '__proto__', 'constructor', 'wpb\n', '']) {
        expect(await refusedPlan('lesbezoeken', lesbezoek({}, [[role, 'kijkwijzer-pedagogiek']]))).toContain('Kies de observatoren uit de lijst');
      }
      for (const formId of ['advies-wpb', 'kijkwijzer-digitale-didactiek', '../kijkwijzer-pedagogiek', 'kijkwijzer-pedagogiek\u0000', '__proto__', 'toString', '']) {
        expect(await refusedPlan('lesbezoeken', lesbezoek({}, [['wpb', formId]]))).toContain('Kies een kijkwijzer uit de lijst voor Jan van &#39;t Hek.');
      }
      for (const role of ['sco', 'student', '__proto__']) expect(await refusedPlan('gesprekken', gesprekFields({}, ['wpb', role]))).toContain('Kies de deelnemers uit de lijst');
      for (const talkType of ['borrel', '__proto__', 'constructor', 'kennismaking\n', '']) expect(await refusedPlan('gesprekken', gesprekFields({ talkType }))).toContain('Kies welk gesprek het is');
    });

    it('a move with bad values: 400 with the form again, the appointment, kijkwijzers and links untouched', async () => {
      const { p, base, appointment } = await plannedLesbezoek();
      const before = await requests(p);
      for (const fields of [
        [['date', '2026-02-31'], ['start', '13:00'], ['end', '13:50']],
        [['date', '2025-11-26'], ['start', '25:00'], ['end', '13:50']],
        [['date', '2025-11-26'], ['start', '9:5'], ['end', '13:50']],
        [['date', '2025-11-26'], ['start', '13:00'], ['end', '13:00']],
        [['date', '2026-08-12'], ['start', '13:00'], ['end', '13:50']],
        [['date', '2025-11-26\u2028'], ['start', '13:00'], ['end', '13:50']],
        [['date', 'x'.repeat(10_000)], ['start', '13:00'], ['end', '13:50']],
        [],
      ] as [string, string][][]) {
        const response = await post(`${base}/verplaatsen`, fields);
        expect(response.status).toBe(400);
        expect(await response.text()).toContain('Controleer de nieuwe datum en tijd:');
      }
      expect(await appointments(p)).toEqual([appointment]);
      expect(await requests(p)).toEqual(before);
      expect(await invitations(p.wpb.email)).toHaveLength(1);
    });

    it('a cancel with a forged role: 400, nothing changed', async () => {
      const { p, base, appointment } = await plannedLesbezoek();
      for (const rol of ['sco', 'io', 'student', '__proto__', 'constructor', 'so\n', 'x'.repeat(10_000)]) {
        const response = await post(`${base}/annuleren`, [['rol', rol], ['bevestigd', 'ja']]);
        expect(response.status).toBe(400);
        expect(await response.text()).toContain('Deze deelnemer hoort niet bij deze afspraak.');
      }
      expect(await appointments(p)).toEqual([appointment]);
      expect((await requests(p)).map((r) => r.state)).toEqual(['gevraagd', 'gevraagd']);
    });

    it('an appointment id of 10,000 characters, or with path tricks: a Dutch 404', async () => {
      const { token } = await plannedGesprek(['wpb']);
      for (const id of ['x'.repeat(10_000), '..%2F..%2Fs', '%00', 'APPT%23x']) {
        const page = await app.request(`/s/${token}/afspraken/${id}`);
        expect(page.status).toBe(404);
        expect((await post(`/s/${token}/afspraken/${id}/annuleren`, [['bevestigd', 'ja']])).status).toBe(404);
        expect((await saveReport(`/s/${token}/afspraken/${id}`, { tekst: 'x' })).status).toBe(404);
      }
    });

    it('the verslag: empty, 10,000 characters, control characters, U+2028, a bidi override, a file in the text field', async () => {
      const { p, base } = await plannedGesprek(['wpb']);
      clock.set('2025-12-03T16:00');
      for (const [tekst, message] of [
        ['', 'Schrijf eerst het verslag: het tekstvak is leeg.'],
        ['\r\n\r\n', 'Schrijf eerst het verslag: het tekstvak is leeg.'],
        ['x'.repeat(10_000), 'Het verslag mag hoogstens 5000 tekens lang zijn.'],
        ['Besproken\u0000', 'Het verslag bevat een'],
        ['Besproken\u001b[31m', 'Het verslag bevat een'],
        ['regel\u2029regel', 'Het verslag bevat een'],
        ['Zoë\u202Efdp.exe', 'Het verslag bevat een'],
      ] as const) {
        const response = await saveReport(base, { tekst });
        expect(response.status).toBe(400);
        expect(await response.text()).toContain(message);
      }
      const form = new FormData();
      form.append('tekst', new File(['Besproken'], 'tekst.txt', { type: 'text/plain' }));
      const asFile = await app.request(`${base}/verslag`, { method: 'POST', headers: { Origin: TEST_ORIGIN }, body: form });
      expect(asFile.status).toBe(400);
      expect((await appointments(p))[0]!.report).toBeUndefined();
      expect((await sendReport(base)).status).toBe(409);
      expect(await reportMails(p.wpb.email)).toEqual([]);
    });
  });

  describe("a cancelled observer's form link", () => {
    it('answers 410 to the observer, on opening and on saving, and the other observer still fills in', async () => {
      const { p, base } = await plannedLesbezoek();
      const soForm = tokenIn((await inboxOf(p.so.email))[0], 'f');
      const wpbForm = tokenIn((await inboxOf(p.wpb.email))[0], 'f');
      expect((await post(`${base}/annuleren`, [['rol', 'so'], ['bevestigd', 'ja']])).status).toBe(303);

      expect((await app.request(`/f/${soForm}`)).status).toBe(410);
      expect((await app.request(`/f/${soForm}`, { method: 'HEAD' })).status).toBe(410);
      const save = await postForm(app, `/f/${soForm}`, { ...completeFields(getForm('kijkwijzer-didactiek')!), basis: '0', actie: 'versturen' });
      expect(save.status).toBe(410);
      expect((await requests(p)).find((r) => r.observerRole === 'so')!.state).toBe('ingetrokken');

      expect((await postForm(app, `/f/${wpbForm}`, { ...completeFields(kijkwijzer), basis: '0', actie: 'versturen' })).status).toBe(303);
      // Now the WPB's kijkwijzer is in: the lesbezoek can no longer be moved or cancelled.
      expect((await post(`${base}/verplaatsen`, [['date', '2025-11-26'], ['start', '13:00'], ['end', '13:50']])).status).toBe(409);
      expect((await post(`${base}/annuleren`, [['bevestigd', 'ja']])).status).toBe(409);
      const [after] = await appointments(p);
      expect(after!.state).toBe('gepland');
    });
  });

  describe('names that try to break the invitation and the email headers', () => {
    const NASTY = {
      student: 'Zoë "Z" de Vries; ROLE=CHAIR, \\n =x',
      wpb: 'Jan "JJ" =, van \'t Hek; Ó\\Ç',
      so: 'Óscar\r\nBcc: evil@example.com',
      io: 'Çiğdem\nATTENDEE:mailto:evil@example.com',
    };

    /** A placement whose names were stored before the character rules (line breaks in them). */
    async function nastyStudent() {
      return student({}, (valid) => ({
        ...valid,
        student: { ...valid.student, name: NASTY.student },
        wpb: { ...valid.wpb, name: NASTY.wpb },
        so: { ...valid.so, name: NASTY.so },
        io: { ...valid.io, name: NASTY.io },
      }) as Placement);
    }

    it('every invitation (planned, moved, cancelled) parses to exactly one VEVENT with the same UID and no injected property or attendee', async () => {
      const { p, token } = await nastyStudent();
      const planned = await post(`/s/${token}/lesbezoeken`, lesbezoek({ className: '2B "havo"; a=b,c\\d' }, [['wpb', 'kijkwijzer-pedagogiek'], ['so', 'kijkwijzer-didactiek'], ['io', 'kijkwijzer-vakdidactiek']]));
      expect(planned.status).toBe(303);
      const id = idOf(planned);
      const base = `/s/${token}/afspraken/${id}`;
      expect((await post(`${base}/verplaatsen`, [['date', '2025-11-26'], ['start', '13:00'], ['end', '13:50']])).status).toBe(303);
      expect((await post(`${base}/annuleren`, [['rol', 'so'], ['bevestigd', 'ja']])).status).toBe(303);

      const uid = `${id}@werkplekleren.test`;
      const seen: string[] = [];
      for (const [role, expected] of [['wpb', ['REQUEST', 'REQUEST']], ['so', ['REQUEST', 'REQUEST', 'CANCEL']], ['io', ['REQUEST', 'REQUEST']]] as const) {
        const mails = await invitations(p[role].email);
        expect(mails.map((m) => invitationOf(m).method)).toEqual(expected);
        for (const mail of mails) {
          const ics = calendarPartOf(mail);
          const invitation = parsedInvitation(ics);
          expect(invitation.events).toHaveLength(1);
          expect(invitation.components).toEqual(['vtimezone', 'vevent']);
          expect(invitation.calendarProperties.sort()).toEqual(['method', 'prodid', 'version']);
          expect(invitation.uid).toBe(uid);
          expect(invitation.properties.filter((name) => name === 'attendee')).toHaveLength(1);
          expect(invitation.properties.filter((name) => name === 'organizer')).toHaveLength(1);
          expect(new Set(invitation.properties).size).toBe(invitation.properties.length);
          expect(invitation.attendees).toEqual([{ cn: expect.any(String), value: `mailto:${p[role].email.toLowerCase()}` }]);
          expect(invitation.organizer.value).toBe(`mailto:${p.student.email}`);
          expect(invitation.organizer.cn).toBe('Zoë "Z" de Vries; ROLE=CHAIR, /n =x');
          expect(invitation.summary).toBe('Lesbezoek bij Zoë "Z" de Vries; ROLE=CHAIR, \\n =x, klas 2B "havo"; a=b,c\\d');
          expect(ics).not.toMatch(/^(BCC|ATTENDEE:mailto:evil)/im);
          seen.push(invitation.attendees[0]!.cn as string);
        }
      }
      expect([...new Set(seen)].sort()).toEqual(['Jan "JJ" =, van \'t Hek; Ó/Ç', 'Óscar Bcc: evil@example.com', 'Çiğdem ATTENDEE:mailto:evil@example.com'].sort());
    });

    it('the raw MIME has one Subject, one To, no Bcc or Cc, whatever the names hold; the inbox sees no other recipient', async () => {
      const { p, token } = await nastyStudent();
      const mailer = capturing(deps.mailer);
      const spying = createApp({ ...deps, mailer, rateLimits: { perAddress: 1_000_000, perToken: 1_000_000 } } as typeof deps);
      const planned = await post(`/s/${token}/gesprekken`, gesprekFields({ location: 'Lokaal "2.14"; =x' }, ['wpb', 'so']), spying);
      expect(planned.status).toBe(303);
      const base = `/s/${token}/afspraken/${idOf(planned)}`;
      clock.set('2025-12-03T16:00');
      expect((await saveReport(base, { tekst: 'Verslag.\nBcc: evil@example.com' })).status).toBe(303);
      expect((await post(`${base}/verslag/versturen`, [], spying)).status).toBe(303);
      clock.set('2025-11-10T09:00');

      expect(mailer.sent.length).toBe(6);
      for (const message of mailer.sent) {
        const raw = Buffer.from(await composeMime(message, { from: 'Werkplekleren N2 <noreply@werkplekleren.test>' })).toString('utf8');
        const head = raw.slice(0, raw.indexOf('\r\n\r\n'));
        const names = head.split('\r\n').filter((line) => /^[A-Za-z-]+:/.test(line)).map((line) => line.split(':')[0]!.toLowerCase());
        expect(names.filter((n) => n === 'subject')).toHaveLength(1);
        expect(names.filter((n) => n === 'to')).toHaveLength(1);
        expect(names).not.toContain('bcc');
        expect(names).not.toContain('cc');
        expect(head).not.toMatch(/evil@example\.com/i);
      }
      for (const person of [p.wpb, p.so, p.io]) {
        const mails = await inboxOf(person.email);
        expect(mails.length).toBe(2);
        for (const mail of mails) {
          expect(mail.destination.to).toEqual([person.email]);
          expect((mail.destination as { cc?: string[] }).cc ?? []).toEqual([]);
          expect((mail.destination as { bcc?: string[] }).bcc ?? []).toEqual([]);
          expect(mail.subject).not.toMatch(/[\r\n]/);
        }
      }
      expect(await inboxOf('evil@example.com')).toEqual([]);
    });
  });

  describe('moving into another period', () => {
    it("updates each open kijkwijzer's period and deadline and its form link's end, and back again", async () => {
      const { p, base } = await plannedLesbezoek();
      const wpbForm = tokenIn((await inboxOf(p.wpb.email))[0], 'f');

      expect((await post(`${base}/verplaatsen`, [['date', '2026-02-11'], ['start', '11:00'], ['end', '11:50'], ['bevestigd', 'ja']])).status).toBe(303);
      let stored = await requests(p);
      expect(stored.map((r) => [r.lessonDate, r.period, r.deadline])).toEqual([
        ['2026-02-11', 3, '2026-04-22'],
        ['2026-02-11', 3, '2026-04-22'],
      ]);
      expect((await appointments(p))[0]).toMatchObject({ date: '2026-02-11', period: 3, sequence: 1 });
      for (const request of stored) expect((await linkOf(request.linkHash))!.validUntil).toBe('2026-05-06T22:00:00Z');
      const mail = (await invitations(p.wpb.email)).at(-1);
      expect(mail!.body.text).toContain('tot en met woensdag 22 april 2026');

      expect((await post(`${base}/verplaatsen`, [['date', '2025-11-12'], ['start', '09:30'], ['end', '10:20']])).status).toBe(303);
      stored = await requests(p);
      expect(stored.map((r) => [r.lessonDate, r.period, r.deadline])).toEqual([
        ['2025-11-12', 1, '2025-11-12'],
        ['2025-11-12', 1, '2025-11-12'],
      ]);
      for (const request of stored) expect((await linkOf(request.linkHash))!.validUntil).toBe('2025-11-26T23:00:00Z');
      expect((await app.request(`/f/${wpbForm}`)).status).toBe(200);
      await expectConsistent(p);
    });

    it('a gesprek moved into another period gets that period', async () => {
      const { p, base } = await plannedGesprek(['wpb'], { talkType: 'tussentijds' });
      expect((await post(`${base}/verplaatsen`, [['date', '2026-03-04'], ['start', '15:00'], ['end', '15:45']])).status).toBe(303);
      expect((await appointments(p))[0]).toMatchObject({ date: '2026-03-04', period: 3, sequence: 1 });
    });
  });

  describe("the verslag's attachment", () => {
    it('a name with ../ and a path is stored as a bare name; the key is the attachment id, never the name', async () => {
      const { p, base } = await plannedGesprek(['wpb']);
      clock.set('2025-12-03T16:00');

      const response = await saveReport(base, { tekst: 'Met bijlage.' }, new File([cleanPdf('pad')], '../../attachments/2025-2026/x/..\\Verslag Zoë.pdf', { type: 'application/pdf' }));

      expect(response.status).toBe(303);
      const attachment = (await appointments(p))[0]!.report!.attachment!;
      expect(attachment.name).not.toMatch(/[/\\]|\.\./);
      expect(attachment.name).toMatch(/Verslag Zoë\.pdf$/);
      expect(attachment.key).toBe(`attachments/${YEAR}/${p.studentNumber}/appointments/${(await appointments(p))[0]!.appointmentId}/${attachment.id}`);
    });

    it('a 0-byte file, a renamed .exe, a file of 4 MB + 1 byte: 400 with the text kept; a body over the limit: 413; never a 500', async () => {
      const { p, base } = await plannedGesprek(['wpb']);
      clock.set('2025-12-03T16:00');
      const tekst = "Çiğdem's verslag.";

      const empty = await saveReport(base, { tekst }, new File([], 'leeg.pdf', { type: 'application/pdf' }));
      expect(empty.status).toBe(400);
      const emptyHtml = await empty.text();
      expect(emptyHtml).toContain('Het bestand is leeg.');
      expect(emptyHtml).toContain(escaped(tekst));

      const mz = new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff]);
      for (const [name, type] of [['verslag.pdf', 'application/pdf'], ['verslag.docx', ''], ['verslag.pdf.exe', 'application/octet-stream'], ['verslag.exe', 'application/pdf']]) {
        const response = await saveReport(base, { tekst }, new File([mz], name!, { type: type! }));
        expect(response.status).toBe(400);
        expect(await response.text()).toMatch(/Dit bestand|Dit bestandstype is niet toegestaan|De inhoud van het bestand hoort niet bij een toegestaan bestandstype/);
      }

      const big = new Uint8Array(4 * 1024 * 1024 + 1);
      big.set(cleanPdf());
      const tooBig = await saveReport(base, { tekst }, new File([big], 'groot.pdf', { type: 'application/pdf' }));
      expect(tooBig.status).toBe(400);
      expect(await tooBig.text()).toContain('Het bestand is groter dan 4 MB.');

      const huge = new Uint8Array(BODY_LIMITS.report + 1);
      huge.set(cleanPdf());
      const overLimit = await saveReport(base, { tekst }, new File([huge], 'groter.pdf', { type: 'application/pdf' }));
      expect(overLimit.status).toBe(413);
      expect(await overLimit.text()).toContain('te groot om te verwerken');

      expect((await appointments(p))[0]!.report).toBeUndefined();
      const listed = await clients.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `uploads/${YEAR}/${p.studentNumber}/` }));
      const served = await clients.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `attachments/${YEAR}/${p.studentNumber}/` }));
      expect([listed.KeyCount ?? 0, served.KeyCount ?? 0]).toEqual([0, 0]);
    });
  });

  describe('the WPB replaced by staff after the lesbezoek was planned', () => {
    it("the move's invitation with the form link, and the cancellation, go to the new WPB; the former WPB gets nothing more", async () => {
      const { p, base, id } = await plannedLesbezoek();
      const oldForm = tokenIn((await inboxOf(p.wpb.email))[0], 'f');
      const so = await signIn(app, p.so.email);
      const nieuw = { naam: 'Ömer Çakır', email: `omer.${p.studentNumber}@wolfert.example.nl` };
      const replaced = await postForm(app, `/overzicht/student/${YEAR}/${p.studentNumber}/wpb`, nieuw, { cookie: so });
      expect(replaced.status).toBe(303);
      expect((await app.request(`/f/${oldForm}`)).status).toBe(410);
      const oldWpbMails = (await inboxOf(p.wpb.email)).length;

      expect((await post(`${base}/verplaatsen`, [['date', '2025-11-26'], ['start', '13:00'], ['end', '13:50']])).status).toBe(303);

      expect(await inboxOf(p.wpb.email)).toHaveLength(oldWpbMails);
      const [invitation] = await invitations(nieuw.email);
      const parsed = invitationOf(invitation);
      expect([parsed.method, parsed.sequence, parsed.uid]).toEqual(['REQUEST', 1, `${id}@werkplekleren.test`]);
      expect(parsed.attendees).toEqual([{ cn: nieuw.naam, value: `mailto:${nieuw.email}` }]);
      expect(invitation!.body.text).toContain(`Beste ${nieuw.naam},`);
      const newForm = tokenIn(invitation, 'f');
      expect((await app.request(`/f/${newForm}`)).status).toBe(200);
      const [moved] = await appointments(p);
      expect(moved!.participants.find((x) => x.role === 'wpb')!.person).toEqual({ name: nieuw.naam, email: nieuw.email });
      await expectConsistent(p);

      expect((await post(`${base}/annuleren`, [['rol', 'wpb'], ['bevestigd', 'ja']])).status).toBe(303);
      expect((await invitations(nieuw.email)).map((m) => invitationOf(m).method)).toEqual(['REQUEST', 'CANCEL']);
      expect(await inboxOf(p.wpb.email)).toHaveLength(oldWpbMails);
      expect((await app.request(`/f/${newForm}`)).status).toBe(410);
      await expectConsistent(p);
    });
  });

  describe("the scan verdict of the verslag's attachment on the student's page", () => {
    it('shows a blocked file as blocked and a clean one without "wordt op virussen gecontroleerd", once the scan is done', async () => {
      const infected = await plannedGesprek(['wpb']);
      const clean = await plannedGesprek(['wpb']);
      clock.set('2025-12-03T16:00');
      expect((await saveReport(infected.base, { tekst: 'Met virus.' }, new File([infectedPdf()], 'verslag.pdf', { type: 'application/pdf' }))).status).toBe(303);
      expect((await saveReport(clean.base, { tekst: 'Schoon.' }, new File([cleanPdf('schoon')], 'verslag.pdf', { type: 'application/pdf' }))).status).toBe(303);
      const infectedKey = (await appointments(infected.p))[0]!.report!.attachment!.key;
      const cleanKey = (await appointments(clean.p))[0]!.report!.attachment!.key;
      expect(await waitForScanTag(clients.s3, bucket, infectedKey)).toBe('THREATS_FOUND');
      expect(await waitForScanTag(clients.s3, bucket, cleanKey)).toBe('NO_THREATS_FOUND');

      const infectedPage = await (await app.request(infected.base)).text();
      const cleanPage = await (await app.request(clean.base)).text();

      expect(infectedPage).toContain('geblokkeerd: mogelijk een virus');
      expect(infectedPage).not.toContain(`href="${infected.base}/verslag/bijlage"`);
      expect(cleanPage).toContain(`href="${clean.base}/verslag/bijlage"`);
      expect(cleanPage).not.toContain('wordt op virussen gecontroleerd');
      expect((await appointments(infected.p))[0]!.report!.attachment!.scanVerdict).toBe('threat');
    });
  });

  describe("downloads of the verslag's attachment", () => {
    it('are logged as "gedownload" with who downloaded (student, participant, staff), as a form attachment\'s are; a HEAD is not', async () => {
      const { p, base, id } = await plannedGesprek(['wpb']);
      clock.set('2025-12-03T16:00');
      expect((await saveReport(base, { tekst: 'Met bijlage.' }, new File([cleanPdf('audit')], 'Verslag Zoë.pdf', { type: 'application/pdf' }))).status).toBe(303);
      expect((await sendReport(base)).status).toBe(303);
      const attachment = (await appointments(p))[0]!.report!.attachment!;
      expect(await waitForScanTag(clients.s3, bucket, attachment.key)).toBe('NO_THREATS_FOUND');
      const aToken = appointmentTokenIn((await inboxOf(p.io.email))[0]);
      const io = await signIn(app, p.io.email);
      const staffPath = `/overzicht/afspraak/${YEAR}/${p.studentNumber}/${id}/bijlage`;
      const downloads = async () => (await deps.audit.listForPlacement(p.schoolYear, p.studentNumber)).filter((e) => e.action === 'gedownload');

      for (const response of [
        await app.request(`${base}/verslag/bijlage`, { method: 'HEAD' }),
        await app.request(`/a/${aToken}/bijlage`, { method: 'HEAD' }),
        await app.request(staffPath, { method: 'HEAD', headers: { Cookie: `__Host-sessie=${io}` } }),
      ]) {
        expect(response.status).toBe(200);
      }
      expect(await downloads()).toEqual([]);

      expect((await app.request(`${base}/verslag/bijlage`)).status).toBe(200);
      expect((await app.request(`/a/${aToken}/bijlage`)).status).toBe(200);
      expect((await getWithSession(app, staffPath, io)).status).toBe(200);

      const events = await downloads();
      expect(events.map((e) => e.actor).sort()).toEqual(['link:io', 'link:student', p.io.email.toLowerCase()].sort());
      for (const event of events) expect(event.detail).toContain('Verslag Zoë.pdf, bijlage van het verslag van driehoeksgesprek (tussentijds gesprek) op woensdag 3 december 2025');
    });
  });

  describe('staff', () => {
    it('out of scope: an SO and an SCO of another school and the IO of another student get a 403; paths of 10,000 characters a 4xx', async () => {
      const { p, base, id } = await plannedGesprek(['wpb']);
      clock.set('2025-12-03T16:00');
      expect((await saveReport(base, { tekst: 'Geheim verslag.' })).status).toBe(303);
      expect((await sendReport(base)).status).toBe(303);
      const path = `/overzicht/afspraak/${YEAR}/${p.studentNumber}/${id}`;

      const other = await student({ school: 'Erasmiaans Gymnasium' });
      for (const email of [other.p.so.email, other.p.sco.email, other.p.io.email]) {
        const session = await signIn(app, email);
        const page = await getWithSession(app, path, session);
        expect(page.status).toBe(403);
        expect(await page.text()).not.toContain('Geheim verslag.');
        expect((await getWithSession(app, `${path}/bijlage`, session)).status).toBe(403);
      }
      const io = await signIn(app, p.io.email);
      expect((await getWithSession(app, path, io)).status).toBe(200);
      for (const odd of [
        `/overzicht/afspraak/${'9'.repeat(10_000)}/${p.studentNumber}/${id}`,
        `/overzicht/afspraak/${YEAR}/${'1'.repeat(10_000)}/${id}`,
        `/overzicht/afspraak/${YEAR}/${p.studentNumber}/${'x'.repeat(10_000)}`,
        `/overzicht/afspraak/${YEAR}/${p.studentNumber}%23APPT/${id}`,
      ]) {
        const response = await getWithSession(app, odd, io);
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
      }
    });
  });

  describe('HEAD requests', () => {
    it('change nothing and send nothing, on every appointment path', async () => {
      const { p, base, token, appointment } = await plannedLesbezoek();
      const gesprek = await plannedGesprek(['wpb']);
      const aToken = appointmentTokenIn((await inboxOf(gesprek.p.wpb.email))[0]);
      const before = [...(await allMail(p)), ...(await allMail(gesprek.p))].length;

      for (const path of [
        `/s/${token}/lesbezoeken`,
        `/s/${token}/gesprekken`,
        base,
        `${base}/verplaatsen`,
        `${base}/annuleren`,
        `${gesprek.base}/verslag`,
        `${gesprek.base}/verslag/versturen`,
        `${gesprek.base}/verslag/bijlage`,
        `/a/${aToken}`,
        `/a/${aToken}/bijlage`,
      ]) {
        const response = await app.request(path, { method: 'HEAD', headers: { Origin: TEST_ORIGIN } });
        expect(response.status).toBeLessThan(500);
      }

      expect(await appointments(p)).toEqual([appointment]);
      expect(await appointments(gesprek.p)).toEqual([gesprek.appointment]);
      expect([...(await allMail(p)), ...(await allMail(gesprek.p))].length).toBe(before);
    });
  });

  describe('what the code must not do', () => {
    it('a failing email never undoes a cancellation, and the cancelled part stays cancelled on a replay', async () => {
      const { p, base } = await plannedLesbezoek();
      const failing = createApp({ ...deps, mailer: { send: () => Promise.reject(new Error('SES throttled')) }, rateLimits: { perAddress: 1_000_000, perToken: 1_000_000 } } as typeof deps);

      const response = await post(`${base}/annuleren`, [['rol', 'so'], ['bevestigd', 'ja']], failing);

      expect(response.status).toBe(303);
      await expectConsistent(p);
      expect((await post(`${base}/annuleren`, [['rol', 'so'], ['bevestigd', 'ja']])).status).toBe(303);
      expect(await invitations(p.so.email)).toHaveLength(1);
    });

    it('a kijkwijzer submitted between reading and moving: a Dutch 409 and nothing moved', async () => {
      const { p, base } = await plannedLesbezoek();
      const wpbForm = tokenIn((await inboxOf(p.wpb.email))[0], 'f');

      const answers = await Promise.all([
        post(`${base}/verplaatsen`, [['date', '2025-11-26'], ['start', '13:00'], ['end', '13:50']]),
        postForm(app, `/f/${wpbForm}`, { ...completeFields(kijkwijzer), basis: '0', actie: 'versturen' }),
      ]);

      const [move, submit] = answers.map((a) => a.status);
      expect(submit).toBe(303);
      expect([303, 409]).toContain(move);
      const stored = await requests(p);
      const [after] = await appointments(p);
      const wpb = stored.find((r) => r.observerRole === 'wpb')!;
      const so = stored.find((r) => r.observerRole === 'so')!;
      expect(wpb.state).toBe('ingediend');
      // Both kijkwijzers and the appointment have one lesson date: moved together or not at all.
      expect([wpb.lessonDate, so.lessonDate]).toEqual([after!.date, after!.date]);
      expect(after!.date).toBe(move === 303 ? '2025-11-26' : '2025-11-12');
    });
  });
});
