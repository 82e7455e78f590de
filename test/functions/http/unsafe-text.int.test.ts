import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../functions/http/app.tsx';
import { deadlineUid, periodUid } from '../../../shared/digest/ics.ts';
import { tokenFor } from '../../../shared/links.ts';
import { createRequest } from '../../../shared/usecases/observation.ts';
import { ensureStudentLink } from '../../../shared/usecases/welcome.ts';
import { importRosterFile } from '../../../shared/roster/import.ts';
import type { Placement } from '../../../shared/roster/placement.ts';
import type { AwsClients } from '../../../shared/store/clients.ts';
import { PlacementStore } from '../../../shared/store/placements.ts';
import { appDeps, TEST_ORIGIN } from '../../support/app.ts';
import { freshBucket, freshTable, localClients } from '../../support/aws.ts';
import { inboxOf } from '../../support/inbox.ts';
import { row, rosterCsv } from '../../support/roster.ts';
import { getWithSession, movableClock, postForm, signIn, staffPlacement } from '../../support/staff.ts';

/**
 * Control characters in names and free text, end to end over the real SDK and the local stand-ins:
 * refused at every entry point (roster file, admin upload, "WPB vervangen", the request form), and
 * harmless on the way out (calendar feeds, email subjects) for data stored before the rules.
 */

const YEAR = '2025-2026';
const ADMIN = 'admin.ut@hr.example.nl';

/** A name that, written raw into an ICS property, would end it and add an event and a property. */
const INJECTION = '\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil@x\r\nDTSTART;VALUE=DATE:20251201\r\nSUMMARY:Betaal nu\r\nEND:VEVENT\r\nBEGIN:VEVENT\u2028X-INJECTED:1';

/** Each bad character the issue names, inside an otherwise ordinary name. */
const BAD_NAMES: [string, string][] = [
  ['CR', 'Jan\rBakker'],
  ['LF', 'Jan\nBakker'],
  ['NUL', 'Jan\u0000Bakker'],
  ['U+2028', 'Jan\u2028Bakker'],
  ['U+202E', 'Jan\u202EBakker'],
];

/** Names people have, which must keep working. */
const GOOD_NAMES = ["Daniëlle van 't Hoff", 'Óscar Çelik', 'Ayşe Yılmaz', 'محمد'];

/** The lines of an ICS text after RFC 5545 unfolding, as a calendar client reads them. */
function icsLines(ics: string): string[] {
  return ics.replace(/\r\n[ \t]/g, '').split('\r\n').filter((line) => line !== '');
}

/** The events of an ICS text: each one's properties by name (parameters dropped). */
function icsEvents(lines: string[]): Map<string, string>[] {
  const events: Map<string, string>[] = [];
  let current: Map<string, string> | undefined;
  for (const line of lines) {
    if (line === 'BEGIN:VEVENT') current = new Map();
    else if (line === 'END:VEVENT' && current) {
      events.push(current);
      current = undefined;
    } else if (current) current.set(line.split(/[;:]/, 1)[0]!, line.slice(line.indexOf(':') + 1));
  }
  return events;
}

/** Every property this service's feed writes; anything else came from the data. */
const FEED_PROPERTIES = new Set(['BEGIN', 'END', 'VERSION', 'PRODID', 'NAME', 'X-WR-CALNAME', 'X-WR-CALDESC', 'X-WR-TIMEZONE', 'UID', 'SEQUENCE', 'DTSTAMP', 'DTSTART', 'DTEND', 'X-MICROSOFT-CDO-ALLDAYEVENT', 'X-MICROSOFT-MSNCALENDAR-ALLDAYEVENT', 'SUMMARY', 'TRANSP', 'DESCRIPTION']);

/** What an independent reader of a feed must find: the year's 8 events and nothing injected. */
function expectCleanFeed(ics: string, name: string) {
  const lines = icsLines(ics);
  const events = icsEvents(lines);
  const expectedUids = [1, 2, 3, 4].flatMap((n) => [deadlineUid(YEAR, n), periodUid(YEAR, n)]);
  expect(events.map((e) => e.get('UID')).sort()).toEqual(expectedUids.sort());
  expect(lines.filter((line) => line === 'BEGIN:VEVENT')).toHaveLength(8);
  expect(lines.filter((line) => line === 'BEGIN:VCALENDAR' || line === 'END:VCALENDAR')).toEqual(['BEGIN:VCALENDAR', 'END:VCALENDAR']);
  for (const line of lines) {
    expect(FEED_PROPERTIES.has(line.split(/[;:]/, 1)[0]!), line).toBe(true);
    // A bare CR or LF, or a line separator, is a line break to lenient readers.
    expect(line, 'a line break inside a line').not.toMatch(/[\r\n\u2028\u2029\u0085]/);
  }
  expect(events.map((e) => e.get('SUMMARY'))).not.toContain('Betaal nu');
  const calname = lines.find((line) => line.startsWith('X-WR-CALNAME:'))!;
  expect(calname).toContain(name);
}

describe('control characters in names and texts', () => {
  const clock = movableClock('2025-11-10T09:00');
  let clients: AwsClients;
  let tableName: string;
  let deps: ReturnType<typeof appDeps>;
  let app: ReturnType<typeof createApp>;
  let adminSession = '';
  let ioSession = '';

  /** A placement with ordinary names, whose IO is io.ut@. */
  const clean = staffPlacement('860001', 'ut');

  /**
   * A placement as the service stored it before names were checked for control characters (the old
   * rules took a line break inside a name): written through the store, which writes what it gets.
   */
  const old = {
    ...staffPlacement('860002', 'oud'),
    student: { name: `Eva${INJECTION} de Boer`, email: 'eva.860002@student.example.nl' },
    wpb: { name: `Piet${INJECTION}`, email: 'piet.860002@school.example.nl' },
    io: { name: `Ivo${INJECTION}\u202E`, email: 'io.oud@hr.example.nl' },
  } as Placement;

  async function itemCount(): Promise<number> {
    const result = await clients.doc.send(new ScanCommand({ TableName: tableName, Select: 'COUNT', ConsistentRead: true }));
    return result.Count ?? 0;
  }

  async function studentToken(p: Placement): Promise<string> {
    const { linkId } = await ensureStudentLink(deps, p);
    return tokenFor(deps.linkSecret, linkId);
  }

  beforeAll(async () => {
    clients = localClients();
    tableName = await freshTable(clients);
    deps = appDeps(clients, { tableName, bucket: await freshBucket(clients) }, clock, { adminEmails: [ADMIN] });
    app = createApp({ ...deps, signInRateLimits: { perAddress: 1000, perClient: 1000 } });
    await deps.placements.create(clean, clock.now().toString());
    await deps.placements.create(old, clock.now().toString());
    adminSession = await signIn(app, ADMIN);
    ioSession = await signIn(app, clean.io.email);
  });

  describe('stored before the rules, harmless on the way out', () => {
    it("gives the student's, the WPB's and the IO's calendar feed exactly the year's events, with the name on one line", async () => {
      const student = await app.request(`/s/${await studentToken(old)}/agenda.ics`);
      const request = await createRequest(deps, old, { formId: 'kijkwijzer-pedagogiek', observerRole: 'wpb', lessonDate: '2025-11-05' }, { origin: 'student' });
      const wpb = await app.request(`/f/${tokenFor(deps.linkSecret, request.linkId)}/agenda.ics`);
      const io = await getWithSession(app, '/overzicht/agenda.ics?jaar=2025-2026', await signIn(app, old.io.email));

      expect([student.status, wpb.status, io.status]).toEqual([200, 200, 200]);
      expectCleanFeed(await student.text(), 'Eva END:VEVENT BEGIN:VEVENT UID:evil@x');
      expectCleanFeed(await wpb.text(), 'Piet END:VEVENT BEGIN:VEVENT UID:evil@x');
      expectCleanFeed(await io.text(), 'Ivo END:VEVENT BEGIN:VEVENT UID:evil@x');
    });

    it('sends the email about a request with a one-line subject', async () => {
      const response = await postForm(app, `/s/${await studentToken(old)}/aanvragen`, { formId: 'kijkwijzer-didactiek', observerRole: 'wpb', lessonDate: '2025-11-05' });

      expect(response.status).toBe(303);
      const mail = (await inboxOf(old.wpb.email)).find((m) => m.subject.includes('didactiek'));
      expect(mail?.subject).toMatch(/^Kijkwijzer didactiek voor Eva END:VEVENT BEGIN:VEVENT UID:evil@x /);
      expect(mail?.subject).not.toMatch(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u);
    });
  });

  describe('the admin roster upload', () => {
    function upload(bytes: Uint8Array) {
      const form = new FormData();
      form.append('bestand', new File([bytes as Uint8Array<ArrayBuffer>], 'rooster.csv', { type: 'text/csv' }));
      return app.request('/beheer/rooster', { method: 'POST', headers: { Origin: TEST_ORIGIN, Cookie: `__Host-sessie=${adminSession}` }, body: form });
    }

    it.each(BAD_NAMES)('refuses a name with %s by line and column, and writes nothing', async (_what, name) => {
      const before = await itemCount();

      const response = await upload(rosterCsv([row(11), row(12, { wpb_naam: name })]));

      expect(response.status).toBe(422);
      const html = await response.text();
      expect(html).toContain('Niets geïmporteerd');
      const problems = [...html.matchAll(/<li data-line="(\d+)">([^<]*)<\/li>/g)].map((m) => m[2]);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^Regel 3, kolom wpb_naam: &quot;Jan\[U\+[0-9A-F]{4}\]Bakker&quot; bevat een .+ op positie 4; alleen zichtbare tekst op één regel is toegestaan\.$/);
      expect(html).not.toContain('name="upload"');
      expect(await itemCount()).toBe(before);
    });

    it('previews and imports names with diacritics, apostrophes, Turkish and Arabic letters', async () => {
      const rows = GOOD_NAMES.map((name, i) => row(20 + i, { student_naam: name, wpb_naam: name, studentnummer: `86010${i}`, student_email: `s${i}.ut@student.example.nl` }));

      const preview = await (await upload(rosterCsv(rows))).text();
      const id = preview.match(/name="upload" value="([A-Za-z0-9_-]{43})"/)?.[1];
      expect(id, preview.match(/<li data-line[^\n]*/)?.[0]).toBeDefined();
      const confirmed = await postForm(app, '/beheer/rooster/bevestigen', { upload: id! }, { cookie: adminSession });

      expect(confirmed.status).toBe(200);
      const stored = await Promise.all(GOOD_NAMES.map((_, i) => deps.placements.get(YEAR, `86010${i}`)));
      expect(stored.map((p) => [p?.student.name, p?.wpb.name])).toEqual(GOOD_NAMES.map((name) => [name, name]));
    });
  });

  it('refuses the same names in `npm run import` (the same parser and import), writing nothing', async () => {
    const before = await itemCount();
    for (const [, name] of BAD_NAMES) {
      const result = await importRosterFile(rosterCsv([row(30, { so_naam: name })]), { store: new PlacementStore(clients.doc, tableName), knownYears: [YEAR], at: clock.now().toString() });

      expect(result.ok).toBe(false);
      expect(!result.ok && result.problems.map((p) => `${p.line} ${p.column}`)).toEqual(['2 so_naam']);
    }
    expect(await itemCount()).toBe(before);
  });

  describe('"WPB vervangen"', () => {
    const path = `/overzicht/student/${YEAR}/${clean.studentNumber}/wpb`;

    it.each(BAD_NAMES)('refuses a name with %s with a Dutch field error, changing and sending nothing', async (_what, name) => {
      const email = `nieuw.${name.codePointAt(3)}@school.example.nl`;

      const response = await postForm(app, path, { naam: name, email }, { cookie: ioSession });

      expect(response.status).toBe(400);
      expect(await response.text()).toMatch(/De naam bevat een [^<]+ \(U\+[0-9A-F]{4}\) op positie 4; alleen zichtbare tekst op één regel is toegestaan\./);
      const placement = await deps.placements.get(YEAR, clean.studentNumber);
      expect(placement?.wpb).toEqual(clean.wpb);
      expect(placement?.rev).toBe(1);
      expect(await inboxOf(email)).toEqual([]);
    });

    it('refuses an email address with a control character', async () => {
      const response = await postForm(app, path, { naam: 'Nieuwe Mentor', email: 'nieuw@school.example.nl\u0000' }, { cookie: ioSession });

      expect(response.status).toBe(400);
      expect(await response.text()).toContain('Het e-mailadres bevat een nulteken (U+0000)');
      expect((await deps.placements.get(YEAR, clean.studentNumber))?.wpb).toEqual(clean.wpb);
    });

    it('accepts names in any script and stores them as typed', async () => {
      for (const [i, name] of GOOD_NAMES.entries()) {
        const response = await postForm(app, path, { naam: name, email: `wpb${i}.ut@school.example.nl` }, { cookie: ioSession });

        expect(response.status).toBe(303);
        expect((await deps.placements.get(YEAR, clean.studentNumber))?.wpb).toEqual({ name, email: `wpb${i}.ut@school.example.nl` });
      }
    });
  });

  describe("the student's request form", () => {
    const ask = async (fields: Record<string, string>) =>
      postForm(app, `/s/${await studentToken(clean)}/aanvragen`, { formId: 'kijkwijzer-pedagogiek', observerRole: 'so', lessonDate: '2025-11-05', ...fields });
    const requestCount = async () => (await deps.requests.listForPlacement(YEAR, clean.studentNumber)).length;

    it.each(BAD_NAMES)('refuses a class with %s with a Dutch message, storing nothing', async (_what, text) => {
      const before = await requestCount();

      const response = await ask({ className: text.replace('Jan', '3hv').replace('Bakker', 'b') });

      expect(response.status).toBe(400);
      expect(await response.text()).toMatch(/De klas bevat een [^<]+ \(U\+[0-9A-F]{4}\) op positie 4; alleen zichtbare tekst op één regel is toegestaan\./);
      expect(await requestCount()).toBe(before);
    });

    it.each(BAD_NAMES.filter(([what]) => what !== 'CR' && what !== 'LF'))('refuses a question with %s, storing nothing', async (_what, text) => {
      const before = await requestCount();

      const response = await ask({ question: `Let op ${text}` });

      expect(response.status).toBe(400);
      expect(await response.text()).toMatch(/De vraag bevat een [^<]+ \(U\+[0-9A-F]{4}\) op positie 11; alleen zichtbare tekst en regeleinden zijn toegestaan\./);
      expect(await requestCount()).toBe(before);
    });

    it('keeps plain line breaks in a question, and letters of any script', async () => {
      const question = 'Let vooral op de instructie.\nEn op de afsluiting, Ayşe.\r\nمحمد';

      const response = await ask({ className: '3 havo Ç', question });

      expect(response.status).toBe(303);
      const stored = (await deps.requests.listForPlacement(YEAR, clean.studentNumber)).find((r) => r.className === '3 havo Ç');
      expect(stored?.question?.replace(/\r\n/g, '\n')).toBe(question.replace(/\r\n/g, '\n'));
    });
  });
});
