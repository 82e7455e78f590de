import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../functions/http/app.tsx';
import { hashToken, newLinkId, tokenFor, type LinkItem } from '../../../shared/links.ts';
import type { AppointmentRecord, Participant, ParticipantRole } from '../../../shared/model/appointments.ts';
import type { Placement } from '../../../shared/roster/placement.ts';
import type { AwsClients } from '../../../shared/store/clients.ts';
import { appointmentItem } from '../../../shared/store/appointments.ts';
import { linkOwnerKeys } from '../../../shared/store/keys.ts';
import { linkItem } from '../../../shared/store/links.ts';
import { ensureStudentLink } from '../../../shared/usecases/welcome.ts';
import { appDeps, TEST_ORIGIN } from '../../support/app.ts';
import { freshBucket, freshTable, localClients, objectExists } from '../../support/aws.ts';
import { inboxOf, tokenIn } from '../../support/inbox.ts';
import { cleanPdf, waitForScanTag } from '../../support/malware.ts';
import { getWithSession, movableClock, signIn, staffPlacement } from '../../support/staff.ts';

const YEAR = '2025-2026';

/** The verslag as a student types it: plain line breaks, a blank line, quotes, `=` and names with ë, Ó, Ç. */
const VERSLAG = [
  'Besproken: de start in klas 2B.',
  'Óscar Ëlberg vindt de lessen goed voorbereid.',
  '',
  'Afspraken:',
  '- Zoë plant de tussentijdse evaluatie "voor de herfstvakantie" =afgesproken',
  "- Çiğdem van 't Hek leest mee",
].join('\r\n');

/** The same text as stored and shown: line breaks as LF. */
const STORED = VERSLAG.replaceAll('\r\n', '\n');

/** HTML-escaped as Hono's JSX writes text. */
const escaped = (text: string) => text.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll("'", '&#39;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/**
 * The verslag of a driehoeksgesprek (issue 14, must-have 2) through the app on the local stand-ins:
 * the student saves and sends it by their page link, each participant gets it once by email and
 * reads it from their appointment link, staff in scope read it signed in, and every refusal is a
 * Dutch 4xx with nothing written. The appointment items and their links are put as the appointment
 * store writes them (planning is another part's work).
 */
describe('the verslag of a driehoeksgesprek: saved, sent and read (DynamoDB Local, s3rver, SES stand-in, clamd)', () => {
  const clock = movableClock('2025-10-08T12:00');
  let clients: AwsClients;
  let bucket: string;
  let tableName: string;
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

  /** A fresh placement (unique addresses: the inbox is shared) and the student's page token. */
  async function student(overrides: Parameters<typeof staffPlacement>[2] = {}) {
    seq += 1;
    const nr = String(8870000 + seq);
    const p = staffPlacement(nr, `verslag${nr}`, {
      student: { name: "Zoë Çelik-'t Hooft", email: `zoe.${nr}@student.example.nl` },
      wpb: { name: 'Óscar Ëlberg', email: `oscar.${nr}@wolfert.example.nl` },
      io: { name: "Çiğdem van 't Hek", email: `cigdem.${nr}@hr.example.nl` },
      ...overrides,
    });
    await deps.placements.create(p, clock.now().toString());
    await ensureStudentLink(deps, p);
    return { p, token: tokenIn((await inboxOf(p.student.email))[0], 's') };
  }

  /**
   * A driehoeksgesprek of the placement with the WPB and the IO (each with an appointment link), on
   * Wednesday 8 October 2025 from 10:00 to 11:00, as the appointment store stores it.
   */
  async function gesprek(p: Placement, overrides: Partial<AppointmentRecord> = {}) {
    seq += 1;
    const appointmentId = `20251001T090000-gesprek${seq}`;
    const linkIds: Record<string, string> = {};
    const participants: Participant[] = (['wpb', 'io'] as const).map((role) => {
      linkIds[role] = newLinkId();
      return { role, person: p[role], state: 'uitgenodigd', linkId: linkIds[role] };
    });
    const appointment: AppointmentRecord = {
      schoolYear: p.schoolYear,
      studentNumber: p.studentNumber,
      appointmentId,
      kind: 'gesprek',
      talkType: 'kennismaking',
      date: '2025-10-08',
      start: '10:00',
      end: '11:00',
      period: 1,
      location: 'Lokaal 2.14',
      participants,
      state: 'gepland',
      sequence: 0,
      rev: 0,
      createdAt: '2025-10-01T07:00:00Z',
      updatedAt: '2025-10-01T07:00:00Z',
      student: p.student,
      school: p.school,
      vak: p.vak,
      ...overrides,
    };
    await clients.doc.send(new PutCommand({ TableName: tableName, Item: appointmentItem(appointment) }));
    const tokens: Partial<Record<ParticipantRole, string>> = {};
    for (const participant of appointment.participants) {
      if (!participant.linkId) continue;
      const token = tokenFor(deps.linkSecret, participant.linkId);
      tokens[participant.role] = token;
      const link: LinkItem = {
        hash: hashToken(token),
        purpose: 'appointment',
        ...linkOwnerKeys.appointment(p.schoolYear, p.studentNumber, appointmentId),
        recipient: participant.person.email.toLowerCase(),
        validUntil: '2026-09-30T22:00:00Z',
      };
      await clients.doc.send(new PutCommand({ TableName: tableName, Item: linkItem(link) }));
    }
    return { appointment, tokens: tokens as Record<'wpb' | 'io', string> };
  }

  /** Posts the verslag form as the browser does: multipart, with the file field (empty when no file is chosen). */
  function saveReport(token: string, appointmentId: string, fields: Record<string, string>, file: File = new File([], '', { type: 'application/octet-stream' })) {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    form.append('bijlage', file);
    return app.request(`/s/${token}/afspraken/${appointmentId}/verslag`, { method: 'POST', headers: { Origin: TEST_ORIGIN }, body: form });
  }

  const sendReport = (token: string, appointmentId: string) =>
    app.request(`/s/${token}/afspraken/${appointmentId}/verslag/versturen`, {
      method: 'POST',
      headers: { Origin: TEST_ORIGIN, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: '',
    });

  const stored = (appointment: AppointmentRecord) => deps.appointmentReports.get(appointment.schoolYear, appointment.studentNumber, appointment.appointmentId);

  /** The verslag emails an address got (not the student's welcome). */
  const reportMails = async (address: string) => (await inboxOf(address)).filter((m) => /verslag/i.test(m.subject));

  it('the student saves and sends it; each participant gets it once and reads it, line breaks kept, from their link', async () => {
    const { p, token } = await student();
    const { appointment, tokens } = await gesprek(p);

    // Before "Versturen" the participants see no text.
    const saved = await saveReport(token, appointment.appointmentId, { tekst: VERSLAG });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe(`/s/${token}/afspraken/${appointment.appointmentId}?verslag=opgeslagen#verslag`);
    expect((await stored(appointment))?.report).toEqual({ text: STORED, writtenAt: clock.now().toString() });
    expect(await reportMails(p.wpb.email)).toHaveLength(0);
    const draftView = await (await app.request(`/a/${tokens.wpb}`)).text();
    expect(draftView).toContain('heeft het verslag nog niet verstuurd');
    expect(draftView).not.toContain('Lokaal 2.14 vindt');
    expect(draftView).not.toContain('Besproken');

    clock.set('2025-10-08T14:05');
    const sent = await sendReport(token, appointment.appointmentId);
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toBe(`/s/${token}/afspraken/${appointment.appointmentId}?verslag=verstuurd#verslag`);
    expect((await stored(appointment))?.report?.sentAt).toBe(clock.now().toString());

    for (const role of ['wpb', 'io'] as const) {
      const mails = await reportMails(p[role].email);
      expect(mails).toHaveLength(1);
      expect(mails[0]!.subject).toBe("Verslag driehoeksgesprek Zoë Çelik-'t Hooft (woensdag 8 oktober 2025)");
      expect(mails[0]!.body.text).toContain(`Beste ${p[role].name},`);
      expect(mails[0]!.body.text).toContain(`Zoë Çelik-'t Hooft stuurt u het verslag van het kennismakingsgesprek van woensdag 8 oktober 2025.`);
      expect(mails[0]!.body.text).toContain(STORED);
      expect(mails[0]!.body.text).toContain(`${TEST_ORIGIN}/a/${tokens[role]}`);
      expect(mails[0]!.body.html).toContain(escaped(STORED));

      const page = await app.request(`/a/${tokens[role]}`);
      expect(page.status).toBe(200);
      expect(page.headers.get('cache-control')).toBe('no-store');
      const html = await page.text();
      expect(html).toMatch(new RegExp(`white-space: pre-wrap[^>]*>${escaped(STORED).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}</div>`));
      expect(html).toContain('Verstuurd op woensdag 8 oktober 2025 om 14:05');
      expect(html).toContain(escaped(p.student.name));
      expect(html).toContain('Lokaal 2.14');
    }

    // A replay (a reload, a second click) sends nothing.
    const replay = await sendReport(token, appointment.appointmentId);
    expect(replay.headers.get('location')).toContain('verslag=al-verstuurd');
    expect(await reportMails(p.wpb.email)).toHaveLength(1);
    expect(await reportMails(p.io.email)).toHaveLength(1);

    // Saving the same text again changes nothing; a changed text is sent as "Bijgewerkt verslag".
    expect((await saveReport(token, appointment.appointmentId, { tekst: VERSLAG })).headers.get('location')).toContain('verslag=ongewijzigd');
    expect((await sendReport(token, appointment.appointmentId)).headers.get('location')).toContain('verslag=al-verstuurd');
    clock.set('2025-10-09T08:30');
    expect((await saveReport(token, appointment.appointmentId, { tekst: `${VERSLAG}\r\nAanvulling: de SO sluit in OP2 aan.` })).status).toBe(303);
    expect((await sendReport(token, appointment.appointmentId)).headers.get('location')).toContain('verslag=bijgewerkt');
    for (const role of ['wpb', 'io'] as const) {
      const mails = await reportMails(p[role].email);
      expect(mails.map((m) => m.subject)).toEqual([
        "Verslag driehoeksgesprek Zoë Çelik-'t Hooft (woensdag 8 oktober 2025)",
        "Bijgewerkt verslag driehoeksgesprek Zoë Çelik-'t Hooft (woensdag 8 oktober 2025)",
      ]);
      expect(mails[1]!.body.text).toContain('Aanvulling: de SO sluit in OP2 aan.');
      expect(await (await app.request(`/a/${tokens[role]}`)).text()).toContain('Aanvulling: de SO sluit in OP2 aan.');
    }
    // The student's log has the two sends, not the replays.
    const sends = (await deps.audit.listForPlacement(YEAR, p.studentNumber)).filter((e) => e.action === 'verslag verstuurd');
    expect(sends.map((e) => e.detail?.split(' van ')[0])).toEqual(expect.arrayContaining(['verslag', 'bijgewerkt verslag']));
    expect(sends).toHaveLength(2);
    expect(sends[0]!.actor).toBe('link:student');
  });

  it('on a gesprek planned from the student page: the appointment page shows the verslag section, the invitation link shows the sent verslag', async () => {
    const { p, token } = await student();
    clock.set('2025-11-03T09:00');
    const form = new URLSearchParams({ talkType: 'tussentijds', date: '2025-11-05', start: '13:00', end: '14:00', location: 'Lokaal 2.14', participants: 'wpb', bevestigd: 'ja' });
    const planned = await app.request(`/s/${token}/gesprekken`, {
      method: 'POST',
      headers: { Origin: TEST_ORIGIN, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    expect(planned.status).toBe(303);
    const appointmentId = planned.headers.get('location')!.match(/afspraken\/([^?]+)/)![1]!;
    const invitation = (await inboxOf(p.wpb.email)).at(-1);
    const linkToken = invitation?.body.text?.match(/\/a\/([A-Za-z0-9_-]{43})/)?.[1];
    expect(linkToken).toBeDefined();
    const pagePath = `/s/${token}/afspraken/${appointmentId}`;

    // Before the gesprek: no form yet; saving is refused.
    expect(await (await app.request(pagePath)).text()).toContain('Na afloop van het gesprek (woensdag 5 november 2025, tot 14:00) schrijf je hier het verslag');
    expect((await saveReport(token, appointmentId, { tekst: VERSLAG })).status).toBe(409);

    clock.set('2025-11-05T14:30');
    const saved = await saveReport(token, appointmentId, { tekst: VERSLAG });
    const afterSave = await (await app.request(saved.headers.get('location')!)).text();
    expect(afterSave).toContain('Het verslag is opgeslagen. Het is nog niet verstuurd.');
    expect(afterSave).toContain(`action="${pagePath}/verslag/versturen"`);
    const sent = await sendReport(token, appointmentId);
    const afterSend = await (await app.request(sent.headers.get('location')!)).text();
    expect(afterSend).toContain('Het verslag is verstuurd naar de deelnemers.');
    expect(afterSend).toContain('Verstuurd op woensdag 5 november 2025 om 14:30.');

    const mails = await reportMails(p.wpb.email);
    expect(mails.map((m) => m.subject)).toEqual(["Verslag driehoeksgesprek Zoë Çelik-'t Hooft (woensdag 5 november 2025)"]);
    expect(mails[0]!.body.text).toContain(`/a/${linkToken}`);
    expect(await reportMails(p.io.email)).toHaveLength(1);
    expect(await (await app.request(`/a/${linkToken}`)).text()).toContain(escaped(STORED));
  });

  it('two sends at once email each participant once', async () => {
    const { p, token } = await student();
    const { appointment } = await gesprek(p);
    await saveReport(token, appointment.appointmentId, { tekst: 'Kort verslag.\nTot de volgende keer.' });
    const answers = await Promise.all([sendReport(token, appointment.appointmentId), sendReport(token, appointment.appointmentId)]);
    expect(answers.map((a) => a.status)).toEqual([303, 303]);
    expect(answers.map((a) => a.headers.get('location')!.match(/verslag=([a-z-]+)/)![1]).sort()).toEqual(['al-verstuurd', 'verstuurd']);
    expect(await reportMails(p.wpb.email)).toHaveLength(1);
    expect(await reportMails(p.io.email)).toHaveLength(1);
  });

  it('a signed-in IO in scope reads it on the staff page; an SO of another school gets a 403, an unknown id a 404', async () => {
    const { p, token } = await student();
    const { appointment } = await gesprek(p);
    const path = `/overzicht/afspraak/${YEAR}/${p.studentNumber}/${appointment.appointmentId}`;
    await saveReport(token, appointment.appointmentId, { tekst: VERSLAG });

    const io = await signIn(app, p.io.email);
    const unsent = await getWithSession(app, path, io);
    expect(unsent.status).toBe(200);
    const unsentHtml = await unsent.text();
    expect(unsentHtml).toContain('Het verslag is nog niet verstuurd.');
    expect(unsentHtml).not.toContain('Besproken');

    await sendReport(token, appointment.appointmentId);
    const page = await getWithSession(app, path, io);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(escaped(STORED));

    // The student's staff page lists the appointment, with a link to it and when its verslag was sent.
    const studentPage = await (await getWithSession(app, `/overzicht/student/${YEAR}/${p.studentNumber}`, io)).text();
    expect(studentPage).toContain(`<a href="${path}">Driehoeksgesprek (kennismakingsgesprek)</a>`);
    expect(studentPage).toContain('woensdag 8 oktober 2025, 10:00–11:00');
    expect(studentPage).toMatch(/verstuurd op [a-z]+ \d+ [a-z]+ 2025 om \d\d:\d\d/);

    const other = await student({ school: 'Erasmiaans Gymnasium', so: { name: 'Ömer Çakır', email: `omer.${seq}@erasmiaans.example.nl` } });
    const so = await signIn(app, other.p.so.email);
    const refused = await getWithSession(app, path, so);
    expect(refused.status).toBe(403);
    expect(await refused.text()).not.toContain('Besproken');
    expect((await getWithSession(app, `${path}/bijlage`, so)).status).toBe(403);
    expect((await getWithSession(app, `/overzicht/afspraak/${YEAR}/${p.studentNumber}/bestaat-niet`, io)).status).toBe(404);
    // Signed out: to the sign-in page, nothing shown.
    const anonymous = await app.request(path);
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe('/inloggen');
  });

  describe('refusals: a Dutch 4xx and nothing written', () => {
    it('a gesprek that has not been held yet (its end has not passed in Amsterdam): 409', async () => {
      const { p, token } = await student();
      const { appointment } = await gesprek(p, { date: '2025-10-15', start: '14:30', end: '15:30' });
      clock.set('2025-10-15T15:29');
      const response = await saveReport(token, appointment.appointmentId, { tekst: VERSLAG });
      expect(response.status).toBe(409);
      expect(await response.text()).toContain('Dit gesprek is nog niet gehouden: het is op woensdag 15 oktober 2025 van 14:30 tot 15:30.');
      expect((await sendReport(token, appointment.appointmentId)).status).toBe(409);
      expect((await stored(appointment))?.report).toBeUndefined();
      // At 15:30 Amsterdam time (13:30 UTC) it is over.
      clock.set('2025-10-15T13:30:00Z');
      expect((await saveReport(token, appointment.appointmentId, { tekst: VERSLAG })).status).toBe(303);
      clock.set('2025-10-20T09:00');
    });

    it('a cancelled gesprek: 409', async () => {
      const { p, token } = await student();
      const { appointment } = await gesprek(p, { state: 'geannuleerd', cancelledAt: '2025-10-07T08:00:00Z' });
      const response = await saveReport(token, appointment.appointmentId, { tekst: VERSLAG });
      expect(response.status).toBe(409);
      expect(await response.text()).toContain('Dit gesprek is geannuleerd. Bij een geannuleerd gesprek hoort geen verslag.');
      expect((await sendReport(token, appointment.appointmentId)).status).toBe(409);
      expect((await stored(appointment))?.report).toBeUndefined();
    });

    it('a lesbezoek: 404', async () => {
      const { p, token } = await student();
      const { appointment } = await gesprek(p, { kind: 'lesbezoek', talkType: undefined, className: '2B' });
      const response = await saveReport(token, appointment.appointmentId, { tekst: VERSLAG });
      expect(response.status).toBe(404);
      expect(await response.text()).toContain('Bij een lesbezoek hoort geen verslag');
      expect((await stored(appointment))?.report).toBeUndefined();
    });

    it("someone else's appointment id: 404", async () => {
      const mine = await student();
      const theirs = await student();
      const { appointment } = await gesprek(theirs.p);
      const response = await saveReport(mine.token, appointment.appointmentId, { tekst: VERSLAG });
      expect(response.status).toBe(404);
      expect(await response.text()).toContain('Deze afspraak bestaat niet.');
      expect((await sendReport(mine.token, appointment.appointmentId)).status).toBe(404);
      expect((await app.request(`/s/${mine.token}/afspraken/${appointment.appointmentId}/verslag/bijlage`)).status).toBe(404);
      expect((await stored(appointment))?.report).toBeUndefined();
    });

    it('empty text, 5,001 characters and control characters: 400 with the form again, the text kept', async () => {
      const { p, token } = await student();
      const { appointment } = await gesprek(p);
      const empty = await saveReport(token, appointment.appointmentId, { tekst: ' \r\n \t ' });
      expect(empty.status).toBe(400);
      expect(await empty.text()).toContain('Schrijf eerst het verslag: het tekstvak is leeg.');

      const tooLong = await saveReport(token, appointment.appointmentId, { tekst: 'ë'.repeat(5001) });
      expect(tooLong.status).toBe(400);
      const tooLongHtml = await tooLong.text();
      expect(tooLongHtml).toContain('Het verslag mag hoogstens 5000 tekens lang zijn.');
      expect(tooLongHtml).toContain('ë'.repeat(5001));

      for (const [bad, what] of [
        ['Besproken\u0007: alles', 'een stuurteken (U+0007)'],
        ['Zoë\u202Efdp.exe', 'een onzichtbaar teken dat de leesrichting verandert (U+202E)'],
        ['regel\u2028regel', 'een regeleinde (U+2028)'],
      ] as const) {
        const response = await saveReport(token, appointment.appointmentId, { tekst: bad });
        expect(response.status).toBe(400);
        expect(await response.text()).toContain(`Het verslag bevat ${what}`);
      }
      expect((await stored(appointment))?.report).toBeUndefined();

      // Exactly 5,000 characters is fine.
      expect((await saveReport(token, appointment.appointmentId, { tekst: 'ë'.repeat(5000) })).status).toBe(303);
      expect((await stored(appointment))?.report?.text).toHaveLength(5000);
    });

    it('sending before anything was saved: 409', async () => {
      const { p, token } = await student();
      const { appointment } = await gesprek(p);
      const response = await sendReport(token, appointment.appointmentId);
      expect(response.status).toBe(409);
      expect(await response.text()).toContain('Er is nog geen verslag om te versturen.');
      expect(await reportMails(p.wpb.email)).toHaveLength(0);
    });
  });

  describe('the attachment', () => {
    it('round-trips: uploaded with the verslag, scanned clean, downloaded by the student, the participants and staff', async () => {
      const { p, token } = await student();
      const { appointment, tokens } = await gesprek(p);
      const pdf = cleanPdf('verslag');
      const response = await saveReport(token, appointment.appointmentId, { tekst: VERSLAG }, new File([pdf], 'Verslag Zoë "OP1".pdf', { type: 'application/pdf' }));
      expect(response.status).toBe(303);
      const attachment = (await stored(appointment))?.report?.attachment;
      expect(attachment).toMatchObject({ name: 'Verslag Zoë OP1.pdf', size: pdf.byteLength, type: 'application/pdf' });
      expect(attachment!.key).toBe(`attachments/${YEAR}/${p.studentNumber}/appointments/${appointment.appointmentId}/${attachment!.id}`);
      expect(await objectExists(clients, bucket, `uploads/${YEAR}/${p.studentNumber}/appointments/${appointment.appointmentId}/${attachment!.id}`)).toBe(false);
      expect(await waitForScanTag(clients.s3, bucket, attachment!.key)).toBe('NO_THREATS_FOUND');

      const download = await app.request(`/s/${token}/afspraken/${appointment.appointmentId}/verslag/bijlage`);
      expect(download.status).toBe(200);
      expect(download.headers.get('content-type')).toBe('application/pdf');
      expect(download.headers.get('content-disposition')).toContain("filename*=UTF-8''Verslag%20Zo%C3%AB%20OP1.pdf");
      expect(new Uint8Array(await download.arrayBuffer())).toEqual(pdf);
      expect((await stored(appointment))?.report?.attachment?.scanVerdict).toBe('clean');

      // The participants get it only once the verslag is sent.
      expect((await app.request(`/a/${tokens.io}/bijlage`)).status).toBe(404);
      await sendReport(token, appointment.appointmentId);
      expect((await reportMails(p.io.email))[0]!.body.text).toContain('Bij het verslag hoort een bijlage: Verslag Zoë OP1.pdf.');
      const page = await (await app.request(`/a/${tokens.io}`)).text();
      expect(page).toContain(`href="/a/${tokens.io}/bijlage"`);
      const fromLink = await app.request(`/a/${tokens.io}/bijlage`);
      expect(fromLink.status).toBe(200);
      expect(new Uint8Array(await fromLink.arrayBuffer())).toEqual(pdf);
      const io = await signIn(app, p.io.email);
      const fromStaff = await getWithSession(app, `/overzicht/afspraak/${YEAR}/${p.studentNumber}/${appointment.appointmentId}/bijlage`, io);
      expect(fromStaff.status).toBe(200);
      expect(new Uint8Array(await fromStaff.arrayBuffer())).toEqual(pdf);

      // Removing it deletes the bytes too.
      clock.advance(60_000);
      expect((await saveReport(token, appointment.appointmentId, { tekst: VERSLAG, bijlageVerwijderen: 'ja' })).status).toBe(303);
      expect((await stored(appointment))?.report?.attachment).toBeUndefined();
      expect(await objectExists(clients, bucket, attachment!.key)).toBe(false);
      expect((await app.request(`/a/${tokens.io}/bijlage`)).status).toBe(404);
    });

    it('a refused type, bytes that are not what the name says, and a file over 4 MB: 400, the text kept, nothing stored', async () => {
      const { p, token } = await student();
      const { appointment } = await gesprek(p);
      const exe = await saveReport(token, appointment.appointmentId, { tekst: VERSLAG }, new File([new Uint8Array([0x4d, 0x5a, 0x90, 0, 3])], 'verslag.exe', { type: 'application/x-msdownload' }));
      expect(exe.status).toBe(400);
      const exeHtml = await exe.text();
      expect(exeHtml).toContain('Dit bestandstype is niet toegestaan. Toegestaan: pdf, jpg, png, docx, pptx en mp4.');
      expect(exeHtml).toContain(escaped(STORED.split('\n')[1]!));

      const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
      const mismatch = await saveReport(token, appointment.appointmentId, { tekst: VERSLAG }, new File([png], 'verslag.pdf', { type: 'application/pdf' }));
      expect(mismatch.status).toBe(400);
      expect(await mismatch.text()).toContain('Dit bestand is een png-bestand en geen pdf-bestand.');

      const big = new Uint8Array(4 * 1024 * 1024 + 1);
      big.set(cleanPdf());
      const tooBig = await saveReport(token, appointment.appointmentId, { tekst: VERSLAG }, new File([big], 'groot.pdf', { type: 'application/pdf' }));
      expect(tooBig.status).toBe(400);
      expect(await tooBig.text()).toContain('Het bestand is groter dan 4 MB.');

      expect((await stored(appointment))?.report).toBeUndefined();
    });
  });

  describe("a participant's link", () => {
    it('has the link pages\' rate limit per token', async () => {
      const { p } = await student();
      const { tokens } = await gesprek(p);
      const limited = createApp({ ...deps, rateLimits: { perAddress: 1000, perToken: 2 } } as typeof deps);
      expect((await limited.request(`/a/${tokens.wpb}`)).status).toBe(200);
      expect((await limited.request(`/a/${tokens.wpb}/bijlage`)).status).toBe(404);
      const third = await limited.request(`/a/${tokens.wpb}`);
      expect(third.status).toBe(429);
      expect(third.headers.get('cache-control')).toBe('no-store');
      // Another participant's link counts on its own.
      expect((await limited.request(`/a/${tokens.io}`)).status).toBe(200);
    });

    it('an unknown token is a 404; a revoked link and a cancelled part are a 410', async () => {
      expect((await app.request('/a/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).status).toBe(404);
      expect((await app.request('/a/kort')).status).toBe(404);

      const { p } = await student();
      const { appointment, tokens } = await gesprek(p, {});
      await clients.doc.send(
        new PutCommand({
          TableName: tableName,
          Item: linkItem({
            hash: hashToken(tokens.wpb),
            purpose: 'appointment',
            ...linkOwnerKeys.appointment(p.schoolYear, p.studentNumber, appointment.appointmentId),
            recipient: p.wpb.email,
            validUntil: '2026-09-30T22:00:00Z',
            revokedAt: '2025-10-08T09:00:00Z',
          }),
        }),
      );
      expect((await app.request(`/a/${tokens.wpb}`)).status).toBe(410);

      const cancelled = await gesprek(p, {});
      const participants = cancelled.appointment.participants.map((part) => (part.role === 'io' ? { ...part, state: 'geannuleerd' as const, cancelledAt: '2025-10-07T08:00:00Z' } : part));
      await clients.doc.send(new PutCommand({ TableName: tableName, Item: appointmentItem({ ...cancelled.appointment, participants }) }));
      const gone = await app.request(`/a/${cancelled.tokens.io}`);
      expect(gone.status).toBe(410);
      expect(await gone.text()).toContain('U bent niet meer uitgenodigd voor dit gesprek');
      expect((await app.request(`/a/${cancelled.tokens.wpb}`)).status).toBe(200);
      // A student's page token is no appointment link.
      const studentToken = (await student()).token;
      expect((await app.request(`/a/${studentToken}`)).status).toBe(404);
    });
  });
});
