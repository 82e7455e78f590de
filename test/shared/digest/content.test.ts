import { describe, expect, it } from 'vitest';
import { Temporal } from 'temporal-polyfill';
import { formTitle } from '../../../forms/index.ts';
import { deadlineInstant, formatDutchDate, getSchoolYear, periodLabel, type SchoolYear } from '../../../shared/calendar.ts';
import { parseInstant } from '../../../shared/clock.ts';
import {
  deadlineReminderDue,
  digestFor,
  digestPeriod,
  runKey,
  type Digest,
  type DigestContext,
  type DigestKind,
} from '../../../shared/digest/content.ts';
import { recipients, yearModel, type YearModel } from '../../../shared/digest/model.ts';
import { renderEmail, type EmailSection } from '../../../shared/mail/templates.ts';
import { formUrl, studentUrl } from '../../../shared/requests.ts';
import type { Person } from '../../../shared/roster/placement.ts';
import type { PlacementRecord } from '../../../shared/store/placements.ts';
import type { ObserverRole, RequestRecord, RequestState, StudentLinkRecord } from '../../../shared/store/requests.ts';
import { ROLE_LABELS, tasksFor, type Role } from '../../../shared/tasks.ts';
import { requestItem, yearItems } from '../../support/year-items.ts';

const ORIGIN = 'https://werkplekleren.test';
const SECRET = 'test-link-secret-of-at-least-32-characters';
const links = { linkSecret: SECRET, publicOrigin: ORIGIN };

// The demo roster: 6 placements over 2 schools, a WPB with a duo, an SO who is also a WPB (with
// her address written differently), two IOs, and a WPB whose address bounced.
const WOLFERT = 'Wolfert van Borselen';
const MONTESSORI = 'Montessori Lyceum Rotterdam';
const person = (name: string, email: string): Person => ({ name, email });
const jan = person("Jan van 't Hek", 'jan.hek@wolfert.example.nl');
const saskia = person('Saskia Bakker', 'saskia.bakker@wolfert.example.nl');
const fatima = person('Fatima El Amrani', 'fatima.elamrani@wolfert.example.nl');
const karin = person('Karin de Wit', 'karin.dewit@montessori.example.nl');
const pieter = person('Pieter Smit', 'Pieter.Smit@Montessori.example.nl');
const eva = person('Eva Visser', 'eva.visser@montessori.example.nl');
const bram = person('Bram Mulder', 'bram.mulder@montessori.example.nl');
const henk = person('Henk Jansen', 'henk.jansen@montessori.example.nl');
const ivo = person('Ivo Jansen', 'ivo.jansen@hr.example.nl');
const mila = person('Mila Dekker', 'mila.dekker@hr.example.nl');

/** Eva's address bounced. */
const SUPPRESSED = new Set([eva.email]);

function placement(yearId: string, nr: string, student: string, vak: string, school: string, staff: Pick<PlacementRecord, 'wpb' | 'so' | 'io' | 'sco'>): PlacementRecord {
  const first = student.split(' ')[0]!.toLowerCase().normalize('NFD').replace(/[^a-z]/g, '');
  return {
    schoolYear: yearId,
    studentNumber: nr,
    student: person(student, `${first}.${nr}@student.hr.nl`),
    vak,
    school,
    ...staff,
    rev: 1,
    updatedAt: '2024-08-01T00:00:00Z',
  };
}

function demoPlacements(yearId: string): PlacementRecord[] {
  return [
    placement(yearId, '1000001', 'Zoë de Vries', 'Nederlands', WOLFERT, { wpb: jan, so: saskia, io: ivo, sco: fatima }),
    placement(yearId, '1000002', 'Ahmed Yilmaz', 'Nederlands', WOLFERT, { wpb: jan, so: saskia, io: ivo, sco: fatima }),
    placement(yearId, '1000003', 'Lotte de Boer', 'Engels', WOLFERT, {
      wpb: person('Saskia Bakker', 'Saskia.Bakker@Wolfert.example.nl'),
      so: saskia,
      io: ivo,
      sco: fatima,
    }),
    placement(yearId, '1000004', 'Daan Kok', 'Wiskunde', MONTESSORI, { wpb: karin, so: bram, io: ivo, sco: henk }),
    placement(yearId, '1000005', 'Noor Bakker', 'Biologie', MONTESSORI, { wpb: pieter, so: bram, io: ivo, sco: henk }),
    placement(yearId, '1000006', 'Sem de Groot', 'Geschiedenis', MONTESSORI, { wpb: eva, so: bram, io: mila, sco: henk }),
  ];
}

let requestSeq = 0;

function request(
  year: SchoolYear,
  p: PlacementRecord,
  formId: string,
  observerRole: ObserverRole,
  periodNumber: number,
  state: RequestState,
  extra: Partial<RequestRecord> = {},
): RequestRecord {
  const period = year.periods[periodNumber - 1]!;
  requestSeq += 1;
  return {
    schoolYear: year.id,
    studentNumber: p.studentNumber,
    requestId: `r${String(requestSeq).padStart(4, '0')}`,
    formId,
    observerRole,
    observer: p[observerRole],
    period: periodNumber,
    deadline: period.deadline,
    state,
    latestVersion: state === 'gevraagd' ? 0 : 1,
    ...(state === 'ingediend' ? { submittedAt: `${period.deadline}T10:00:00Z` } : {}),
    linkId: `link-${year.id}-${requestSeq}`,
    linkHash: `hash-${requestSeq}`,
    createdAt: `${period.start}T09:00:00Z`,
    origin: 'student',
    student: p.student,
    school: p.school,
    vak: p.vak,
    ...extra,
  };
}

interface Demo {
  year: SchoolYear;
  placements: PlacementRecord[];
  requests: RequestRecord[];
  links: StudentLinkRecord[];
  model: YearModel;
}

/** The demo roster of a school year with requests in every state, at various periods. */
function demo(yearId: string): Demo {
  const year = getSchoolYear(yearId)!;
  const placements = demoPlacements(yearId);
  const [zoe, ahmed, lotte, daan, noor, sem] = placements as [PlacementRecord, PlacementRecord, PlacementRecord, PlacementRecord, PlacementRecord, PlacementRecord];
  const [t0, t1, t2] = year.kijkwijzerTypes.map((type) => `kijkwijzer-${type}`) as [string, string, string];
  const advicePeriod = year.periods.find((p) => p.autoRequests.includes('advies-wpb'))!.number;
  const requests = [
    request(year, zoe, t0, 'wpb', 1, 'ingediend'),
    request(year, zoe, t1, 'wpb', 2, 'gevraagd'),
    request(year, zoe, t2, 'so', 2, 'concept', { lessonDate: year.periods[1]!.start, className: 'H2b' }),
    request(year, ahmed, t0, 'wpb', 2, 'concept'),
    request(year, ahmed, t1, 'wpb', 1, 'gevraagd'),
    request(year, lotte, t2, 'so', 1, 'ingediend'),
    request(year, lotte, t0, 'wpb', 2, 'ingediend'),
    request(year, daan, 'advies-wpb', 'wpb', advicePeriod, 'gevraagd', { origin: 'auto' }),
    request(year, daan, t1, 'wpb', 3, 'ingediend'),
    request(year, noor, t1, 'io', 3, 'concept'),
    request(year, noor, t2, 'wpb', 4, 'gevraagd'),
    request(year, sem, t0, 'wpb', 2, 'gevraagd'),
  ];
  // Sem has no page link yet; everyone else has one.
  const links = placements
    .filter((p) => p !== sem)
    .map((p) => ({ schoolYear: yearId, studentNumber: p.studentNumber, school: p.school, linkId: `page-${yearId}-${p.studentNumber}`, linkHash: 'h' }));
  const items = yearItems({ placements, requests, studentLinks: links });
  return { year, placements, requests, links, model: yearModel(items) };
}

const demos = new Map<string, Demo>();
function demoOf(yearId: string): Demo {
  let found = demos.get(yearId);
  if (!found) {
    found = demo(yearId);
    demos.set(yearId, found);
  }
  return found;
}

function context(d: Demo, kind: DigestKind, now: Temporal.Instant, period = d.year.periods[0]!, between = false): DigestContext {
  return {
    kind,
    now,
    year: d.year,
    period,
    between,
    model: d.model,
    origin: ORIGIN,
    linkSecret: SECRET,
    formTitle: (id) => formTitle(id),
    suppressed: SUPPRESSED,
  };
}

/** Every Monday from the first of August of `from` up to the last of July of the next year. */
function mondays(from: number): Temporal.PlainDate[] {
  let day = Temporal.PlainDate.from({ year: from, month: 8, day: 1 });
  while (day.dayOfWeek !== 1) day = day.add({ days: 1 });
  const end = Temporal.PlainDate.from({ year: from + 1, month: 7, day: 31 });
  const all: Temporal.PlainDate[] = [];
  for (; Temporal.PlainDate.compare(day, end) <= 0; day = day.add({ weeks: 1 })) all.push(day);
  return all;
}

const formatted = new Map<string, string>();
/** formatDutchDate, remembered: Intl is slow enough to matter over 1,560 emails. */
function dutchDate(day: string): string {
  if (!formatted.has(day)) formatted.set(day, formatDutchDate(day));
  return formatted.get(day)!;
}

const deadlines = new Map<string, Temporal.Instant>();
const deadlineOf = (deadline: string): Temporal.Instant => {
  if (!deadlines.has(deadline)) deadlines.set(deadline, deadlineInstant({ deadline }));
  return deadlines.get(deadline)!;
};

const sectionsOf = (digest: Digest): EmailSection[] => digest.content.sections ?? [];
const section = (digest: Digest, heading: string): EmailSection | undefined => sectionsOf(digest).find((s) => s.heading === heading);
const itemCount = (digest: Digest): number => sectionsOf(digest).reduce((sum, s) => sum + (s.items?.length ?? 0), 0);
const textOf = (digest: Digest): string => renderEmail(digest.content).text;

function taskHeading(role: Role, label: string, between: boolean, start: string): string {
  const whose = role === 'student' ? 'Jouw taken' : `${ROLE_LABELS[role]}: uw taken`;
  return between ? `${whose} in ${label}, vanaf ${dutchDate(start)}` : `${whose} in ${label}`;
}

/** The oracle: what is open for an observer at `now` in `period`, straight from the demo data. */
function expectedOpenFormUrls(d: Demo, email: string, periodNumber: number, now: Temporal.Instant): string[] {
  return d.requests
    .filter(
      (r) =>
        r.observer.email.toLowerCase() === email &&
        r.period === periodNumber &&
        r.state !== 'ingediend' &&
        Temporal.Instant.compare(now, deadlineOf(r.deadline)) < 0,
    )
    .map((r) => formUrl(links, r.linkId))
    .sort();
}

function hasKijkwijzerIn(d: Demo, p: PlacementRecord, periodNumber: number): boolean {
  return d.requests.some(
    (r) => r.studentNumber === p.studentNumber && r.period === periodNumber && r.state === 'ingediend' && r.formId.startsWith('kijkwijzer-'),
  );
}

describe('the weekly digest on every Monday of 2024-2025 and 2025-2026, on a demo roster', () => {
  const allMondays = [...mondays(2024), ...mondays(2025)];

  it('enumerates 104 Mondays', () => {
    expect(allMondays).toHaveLength(104);
    expect(allMondays[0]!.toString()).toBe('2024-08-05');
    expect(allMondays.at(-1)!.toString()).toBe('2026-07-27');
  });

  it('gives every person one email with the tasks of the right period, the deadline and exactly what is open', () => {
    let emails = 0;
    for (const monday of allMondays) {
      const now = parseInstant(`${monday}T07:00`);
      const where = digestPeriod(now)!;
      const d = demoOf(where.year.id);
      const ctx = context(d, 'weekly', now, where.period, where.between);
      const n = where.period.number;
      const label = periodLabel(where.period);
      const people = recipients(d.model, { suppressed: SUPPRESSED });

      expect(new Set(people.map((p) => p.email)).size, `${monday}: one entry per address`).toBe(people.length);
      for (const who of people) {
        const digest = digestFor(who, ctx);
        const at = `${monday} ${who.email}`;
        expect(digest, at).not.toBeNull();
        if (!digest) continue;
        emails += 1;
        const text = textOf(digest);
        expect(itemCount(digest), at).toBeGreaterThan(0);
        expect(digest.content.to, at).toBe(who.address);
        expect(text, at).toContain(dutchDate(where.period.deadline));
        if (where.between) expect(text, at).toContain(`begint ${dutchDate(where.period.start)}`);

        for (const { role } of who.roles) {
          const tasks = section(digest, taskHeading(role, label, where.between, where.period.start));
          expect(tasks?.items?.map((item) => item.text), `${at} ${role}`).toEqual(tasksFor(where.year.id, role, n).map((t) => t.text));
        }

        const forms = section(digest, 'Formulieren die op u wachten');
        const shownUrls = (forms?.items ?? []).map((item) => item.link?.url).sort();
        expect(shownUrls, `${at} open forms`).toEqual(expectedOpenFormUrls(d, who.email, n, now));
        const everyFormLink = [...text.matchAll(/https:\/\/werkplekleren\.test\/f\/[A-Za-z0-9_-]+/g)].map((m) => m[0]).sort();
        expect(everyFormLink, `${at} no other form links`).toEqual(expectedOpenFormUrls(d, who.email, n, now));

        for (const { role, placements } of who.roles) {
          for (const p of placements) checkRole(d, digest, role, p, where.between, n, now, at);
        }
      }
    }
    expect(emails).toBe(104 * 15);
  });

  function checkRole(d: Demo, digest: Digest, role: Role, p: PlacementRecord, between: boolean, n: number, now: Temporal.Instant, at: string): void {
    const behind = !between && !hasKijkwijzerIn(d, p, n);
    if (role === 'student') {
      const required = d.year.requiredKijkwijzers;
      const submitted = new Set(
        d.requests.filter((r) => r.studentNumber === p.studentNumber && r.state === 'ingediend' && r.formId.startsWith('kijkwijzer-')).map((r) => r.formId),
      );
      const missing = required && n <= required.byEndOfPeriod ? required.types.map((t) => `kijkwijzer-${t}`).filter((id) => !submitted.has(id)) : [];
      const shown = sectionsOf(digest).find((s) => s.heading.startsWith('Kijkwijzers die nog ontbreken'));
      expect(shown?.items?.map((item) => item.text) ?? [], `${at} missing types`).toEqual(missing.map((id) => formTitle(id)));
      const open = d.requests.filter(
        (r) => r.studentNumber === p.studentNumber && r.period === n && r.state !== 'ingediend' && Temporal.Instant.compare(now, deadlineOf(r.deadline)) < 0,
      );
      const openShown = section(digest, 'Je aanvragen die nog openstaan')?.items ?? [];
      expect(openShown.map((item) => item.text.split(' bij ')[0]), `${at} open requests`).toEqual(open.map((r) => formTitle(r.formId)));
      const linkId = d.links.find((l) => l.studentNumber === p.studentNumber)?.linkId;
      expect(digest.content.action?.url, `${at} page link`).toBe(linkId ? studentUrl(links, linkId) : undefined);
    }
    if (role === 'io') {
      const row = section(digest, `Voortgang van uw studenten in ${periodLabel({ number: n })}`)?.items?.find((item) => item.text.startsWith(`${p.student.name} (`));
      expect(row, `${at} IO row for ${p.student.name}`).toBeDefined();
      expect(row!.text.includes('achter'), `${at} IO behind flag for ${p.student.name}`).toBe(behind);
    }
    if (role === 'so') {
      const row = section(digest, `Uw studenten op ${p.school}`)?.items?.find((item) => item.text.startsWith(`${p.student.name} (`));
      const visited = d.requests.some((r) => r.studentNumber === p.studentNumber && r.observerRole === 'so' && r.state === 'ingediend');
      expect(row!.text.includes('nog geen formeel lesbezoek'), `${at} SO visit for ${p.student.name}`).toBe(!visited);
      expect(row!.text.includes('achter'), `${at} SO behind flag for ${p.student.name}`).toBe(behind);
    }
    if (role === 'sco') {
      const summary = section(digest, `Schooloverzicht ${p.school}`);
      expect(summary?.items?.[0]?.text, at).toBe('Studenten: 3');
      const behindLine = summary?.items?.find((item) => item.text.startsWith('Achter'))?.text;
      const behindCount = d.placements.filter((other) => other.school === p.school && !hasKijkwijzerIn(d, other, n)).length;
      expect(behindLine, at).toBe(between ? undefined : `Achter (nog geen kijkwijzer ingediend in OP${n}): ${behindCount}`);
    }
  }

  it('shows the next period and its start between periods (2024-11-18: OP2 from 25 November)', () => {
    const now = parseInstant('2024-11-18T07:00');
    const where = digestPeriod(now)!;
    const d = demoOf('2024-2025');
    const zoe = recipients(d.model).find((p) => p.name === 'Zoë de Vries')!;

    const digest = digestFor(zoe, context(d, 'weekly', now, where.period, where.between))!;

    expect([where.year.id, where.period.number, where.between]).toEqual(['2024-2025', 2, true]);
    expect(digest.subject).toBe('Werkplekleren N2: periode 2 (OP2) begint maandag 25 november 2024');
    expect(textOf(digest)).toContain('Periode 1 (OP1) is afgelopen. Periode 2 (OP2) begint maandag 25 november 2024');
    expect(section(digest, 'Jouw taken in periode 2 (OP2), vanaf maandag 25 november 2024')?.items?.map((i) => i.text)).toEqual(
      tasksFor('2024-2025', 'student', 2).map((t) => t.text),
    );
  });

  it('in the summer says that the school year and the stage begin, and when, not "tussen twee onderwijsperiodes"', () => {
    const now = parseInstant('2024-08-12T07:00');
    const where = digestPeriod(now)!;
    const d = demoOf('2024-2025');
    const zoe = recipients(d.model).find((p) => p.name === 'Zoë de Vries')!;

    const text = textOf(digestFor(zoe, context(d, 'weekly', now, where.period, where.between))!);

    expect([where.year.id, where.period.number, where.between]).toEqual(['2024-2025', 1, true]);
    expect(text).toContain('Schooljaar 2024-2025 van werkplekleren N2 komt eraan: de stage begint maandag 26 augustus 2024. Periode 1 (OP1) begint maandag 9 september 2024');
    expect(text).not.toContain('tussen twee onderwijsperiodes');
  });

  it('on the day the stage starts says so', () => {
    const now = parseInstant('2024-08-26T07:00');
    const where = digestPeriod(now)!;
    const d = demoOf('2024-2025');
    const zoe = recipients(d.model).find((p) => p.name === 'Zoë de Vries')!;

    const text = textOf(digestFor(zoe, context(d, 'weekly', now, where.period, where.between))!);

    expect(text).toContain('Vandaag begint de stage van schooljaar 2024-2025 van werkplekleren N2. Periode 1 (OP1) begint maandag 9 september 2024');
  });

  it('writes the weekly subject in Dutch with the period, and the deadline as a Dutch date', () => {
    const now = parseInstant('2026-01-26T07:00');
    const d = demoOf('2025-2026');
    const jans = recipients(d.model).find((p) => p.email === jan.email)!;

    const digest = digestFor(jans, context(d, 'weekly', now, d.year.periods[1]!))!;

    expect(digest.subject).toBe('Werkplekleren N2: uw taken in periode 2 (OP2)');
    expect(textOf(digest)).toContain('De deadline is woensdag 4 februari 2026.');
    expect(renderEmail(digest.content).html).toContain('<h2');
  });
});

describe('one email per person', () => {
  const d = demoOf('2025-2026');
  const people = recipients(d.model, { suppressed: SUPPRESSED });

  it('merges an SO who is also a WPB (address written differently) into one entry with both roles', () => {
    const entries = people.filter((p) => p.email === saskia.email);

    expect(entries).toHaveLength(1);
    expect(entries[0]!.roles.map((r) => [r.role, r.placements.map((p) => p.student.name)])).toEqual([
      ['wpb', ['Lotte de Boer']],
      ['so', ['Ahmed Yilmaz', 'Lotte de Boer', 'Zoë de Vries']],
    ]);
  });

  it('gives the SO-also-WPB one email with a section per role, and a footer naming both roles', () => {
    const digest = digestFor(people.find((p) => p.email === saskia.email)!, context(d, 'weekly', parseInstant('2025-12-01T07:00'), d.year.periods[1]!))!;
    const headings = sectionsOf(digest).map((s) => s.heading);

    expect(headings).toContain('Werkplekbegeleider (WPB): uw taken in periode 2 (OP2)');
    expect(headings).toContain('Schoolopleider (SO): uw taken in periode 2 (OP2)');
    expect(digest.content.footer).toContain('als werkplekbegeleider van Lotte de Boer (Wolfert van Borselen) en schoolopleider van Ahmed Yilmaz, Lotte de Boer en Zoë de Vries');
    expect(digest.content.footer).toContain('Vragen als schoolopleider? Neem contact op met de instituutsopleider, Ivo Jansen (ivo.jansen@hr.example.nl), of met de regiocoördinator OSR (Opleidingsschool Rotterdam).');
    expect(digest.content.footer).not.toContain('Vragen als werkplekbegeleider');
  });

  it('gives a WPB with a duo one email listing both students', () => {
    const jans = people.filter((p) => p.email === jan.email);

    expect(jans).toHaveLength(1);
    const digest = digestFor(jans[0]!, context(d, 'weekly', parseInstant('2025-12-01T07:00'), d.year.periods[1]!))!;
    expect(section(digest, 'Werkplekbegeleider (WPB): uw taken in periode 2 (OP2)')?.paragraphs?.[0]).toBe(
      'Voor Ahmed Yilmaz en Zoë de Vries (Wolfert van Borselen).',
    );
    expect(digest.content.footer).toContain('Vragen? Neem contact op met de schoolopleider van uw school, Saskia Bakker');
  });

  it('gives the IO of five students one email, with the IO coordinator to ask', () => {
    const ivos = people.filter((p) => p.email === ivo.email);

    expect(ivos).toHaveLength(1);
    expect(ivos[0]!.roles.map((r) => [r.role, r.placements.length])).toEqual([['io', 5]]);
    const digest = digestFor(ivos[0]!, context(d, 'weekly', parseInstant('2025-12-01T07:00'), d.year.periods[1]!))!;
    expect(digest.content.footer).toContain('als instituutsopleider van 5 studenten (Montessori Lyceum Rotterdam en Wolfert van Borselen)');
    expect(digest.content.footer).toContain('Neem contact op met de coördinator werkplekleren N2');
  });

  it('tells a student whom to ask: their IO', () => {
    const zoe = people.find((p) => p.name === 'Zoë de Vries')!;

    const digest = digestFor(zoe, context(d, 'weekly', parseInstant('2025-12-01T07:00'), d.year.periods[1]!))!;

    expect(digest.content.footer).toBe(
      'Je krijgt deze e-mail als student (Nederlands, Wolfert van Borselen) bij werkplekleren N2 (schooljaar 2025-2026) van Hogeschool Rotterdam. Vragen? Neem contact op met je instituutsopleider, Ivo Jansen (ivo.jansen@hr.example.nl).',
    );
    expect(digest.subject).toBe('Werkplekleren N2: jouw taken in periode 2 (OP2)');
  });
});

describe('a WPB whose address bounced', () => {
  const d = demoOf('2025-2026');
  const now = parseInstant('2025-12-01T07:00');
  const ctx = context(d, 'weekly', now, d.year.periods[1]!);
  const people = recipients(d.model, { suppressed: SUPPRESSED });

  it('is left out of the recipients, and only them', () => {
    expect(people.map((p) => p.email)).not.toContain(eva.email);
    expect(recipients(d.model).map((p) => p.email)).toContain(eva.email);
    expect(people).toHaveLength(15);
  });

  it('is listed as undeliverable in the SCO school summary and to the IO, not in the other school', () => {
    const henks = digestFor(people.find((p) => p.email === henk.email)!, ctx)!;
    const milas = digestFor(people.find((p) => p.email === mila.email)!, ctx)!;
    const fatimas = digestFor(people.find((p) => p.email === fatima.email)!, ctx)!;

    const undeliverable = (digest: Digest, heading: string) =>
      section(digest, heading)?.items?.map((i) => i.text).filter((text) => text.startsWith('Onbestelbaar'));
    expect(undeliverable(henks, `Schooloverzicht ${MONTESSORI}`)).toEqual([
      'Onbestelbaar: eva.visser@montessori.example.nl (Eva Visser, werkplekbegeleider van Sem de Groot)',
    ]);
    expect(section(milas, 'Onbestelbare e-mailadressen')?.items?.map((i) => i.text)).toEqual([
      'eva.visser@montessori.example.nl (Eva Visser, werkplekbegeleider van Sem de Groot)',
    ]);
    expect(undeliverable(fatimas, `Schooloverzicht ${WOLFERT}`)).toEqual([]);
  });

  it("still shows the student their request to that WPB, and the student without a page link gets no button", () => {
    const sem = digestFor(people.find((p) => p.name === 'Sem de Groot')!, ctx)!;

    expect(section(sem, 'Je aanvragen die nog openstaan')?.items?.map((i) => i.text)).toEqual([
      `${formTitle('kijkwijzer-pedagogiek')} bij Eva Visser (werkplekbegeleider): gevraagd, nog niet ingevuld`,
    ]);
    expect(sem.content.action).toBeUndefined();
  });
});

describe('the WPB advice and drafts', () => {
  const d = demoOf('2025-2026');

  it('asks for the advice when an advies-wpb request is open, with its own link', () => {
    const karins = recipients(d.model).find((p) => p.email === karin.email)!;

    const digest = digestFor(karins, context(d, 'weekly', parseInstant('2026-05-04T07:00'), d.year.periods[3]!))!;
    const forms = section(digest, 'Formulieren die op u wachten')!;

    expect(forms.paragraphs?.join(' ')).toContain('Uw advies over Daan Kok wordt in deze periode verwacht');
    const advice = d.requests.find((r) => r.formId === 'advies-wpb')!;
    expect(forms.items).toEqual([
      {
        text: 'Advies van de werkplekbegeleider voor Daan Kok (Wiskunde, Montessori Lyceum Rotterdam): gevraagd, nog niet ingevuld',
        link: { label: 'Formulier openen', url: formUrl(links, advice.linkId) },
      },
    ]);
  });

  it("links a draft to the request's existing link, so the draft carries over", () => {
    const saskias = recipients(d.model).find((p) => p.email === saskia.email)!;
    const draft = d.requests.find((r) => r.state === 'concept' && r.observerRole === 'so')!;

    const digest = digestFor(saskias, context(d, 'weekly', parseInstant('2025-12-01T07:00'), d.year.periods[1]!))!;

    expect(section(digest, 'Formulieren die op u wachten')?.items).toEqual([
      {
        text: `${formTitle(draft.formId)} voor Zoë de Vries (Nederlands, Wolfert van Borselen), les van maandag 24 november 2025, klas H2b: concept opgeslagen, nog niet ingediend`,
        link: { label: 'Formulier openen', url: formUrl(links, draft.linkId) },
      },
    ]);
  });

  it('does not send a link again that staff revoked (the observer waits for a new one)', () => {
    const draft = d.requests.find((r) => r.state === 'concept' && r.observerRole === 'so')!;
    const requests = d.requests.map((r) => (r === draft ? { ...r, linkRevokedAt: '2025-11-30T10:00:00Z' } : r));
    const revoked = { ...d, model: yearModel(yearItems({ placements: d.placements, requests, studentLinks: d.links })) };
    const saskias = recipients(revoked.model).find((p) => p.email === saskia.email)!;

    const digest = digestFor(saskias, context(revoked, 'weekly', parseInstant('2025-12-01T07:00'), d.year.periods[1]!));

    expect(digest && section(digest, 'Formulieren die op u wachten')).toBeUndefined();
  });
});

describe('deadline reminders', () => {
  it('go out only with open items and the days left, on every due day of both years', () => {
    let due = 0;
    let sent = 0;
    for (const start of [2024, 2025]) {
      for (let day = Temporal.PlainDate.from({ year: start, month: 8, day: 1 }); day.year === start || day.month <= 7; day = day.add({ days: 1 })) {
        const now = parseInstant(`${day}T07:00`);
        const reminder = deadlineReminderDue(now);
        if (!reminder) continue;
        due += 1;
        const d = demoOf(reminder.year.id);
        const ctx = { ...context(d, 'deadline', now, reminder.period), daysToDeadline: reminder.days };
        for (const who of recipients(d.model, { suppressed: SUPPRESSED })) {
          const digest = digestFor(who, ctx);
          const at = `${day} ${who.email}`;
          const openForms = expectedOpenFormUrls(d, who.email, reminder.period.number, now);
          if (who.roles.length === 1 && who.roles[0]!.role === 'wpb') expect(digest === null, at).toBe(openForms.length === 0);
          if (!digest) continue;
          sent += 1;
          expect(itemCount(digest), at).toBeGreaterThan(0);
          expect(digest.subject, at).toBe(`Herinnering: deadline ${dutchDate(reminder.period.deadline)} (nog ${reminder.days} dagen)`);
          expect(sectionsOf(digest).some((s) => s.heading.includes('uw taken') || s.heading.includes('Jouw taken')), at).toBe(false);
        }
      }
    }
    expect(due).toBe(16);
    expect(sent).toBeGreaterThan(0);
  });

  it('reminds a student of the missing kijkwijzer types and the open requests, three days before OP2 of 2025-2026', () => {
    const d = demoOf('2025-2026');
    const now = parseInstant('2026-02-01T07:00');
    const zoe = recipients(d.model).find((p) => p.name === 'Zoë de Vries')!;

    const digest = digestFor(zoe, { ...context(d, 'deadline', now, d.year.periods[1]!), daysToDeadline: 3 })!;

    expect(digest.subject).toBe('Herinnering: deadline woensdag 4 februari 2026 (nog 3 dagen)');
    expect(sectionsOf(digest).find((s) => s.heading.startsWith('Kijkwijzers die nog ontbreken'))?.items?.map((i) => i.text)).toEqual([
      'Kijkwijzer didactiek',
      'Kijkwijzer vakdidactiek',
    ]);
    expect(section(digest, 'Je aanvragen die nog openstaan')?.items).toHaveLength(2);
  });

  it('sends nothing to someone with nothing open', () => {
    const d = demoOf('2025-2026');
    const karins = recipients(d.model).find((p) => p.email === karin.email)!;

    expect(digestFor(karins, { ...context(d, 'deadline', parseInstant('2026-02-01T07:00'), d.year.periods[1]!), daysToDeadline: 3 })).toBeNull();
  });

  it('computes the days left when the caller leaves them out, and says "dag" for one', () => {
    const d = demoOf('2025-2026');
    const jans = recipients(d.model).find((p) => p.email === jan.email)!;

    const digest = digestFor(jans, context(d, 'deadline', parseInstant('2026-02-03T07:00'), d.year.periods[1]!))!;

    expect(digest.subject).toBe('Herinnering: deadline woensdag 4 februari 2026 (nog 1 dag)');
  });
});

describe('the provisional school year', () => {
  it('mentions the provisional planning', () => {
    const d = demoOf('2026-2027');
    const zoe = recipients(d.model).find((p) => p.name === 'Zoë de Vries')!;

    const digest = digestFor(zoe, context(d, 'weekly', parseInstant('2026-11-30T07:00'), d.year.periods[1]!))!;

    expect(textOf(digest)).toContain('Let op: voor schooljaar 2026-2027 geldt een voorlopige planning.');
    expect(textOf(digest)).not.toMatch(/voorlopige planning\W+voorlopige planning/i);
  });
});

describe('yearModel', () => {
  const d = demoOf('2025-2026');
  const items = yearItems({ placements: d.placements, requests: d.requests, studentLinks: d.links });

  it('indexes placements, requests and links by student number, and requests by observer', () => {
    expect(d.model.placements.size).toBe(6);
    expect(d.model.requests.get('1000001')?.map((r) => r.formId)).toEqual(['kijkwijzer-pedagogiek', 'kijkwijzer-didactiek', 'kijkwijzer-vakdidactiek']);
    expect(d.model.requestsByObserver.get(pieter.email.toLowerCase())).toHaveLength(1);
    expect(d.model.studentLinks.get('1000006')).toBeUndefined();
    expect(d.model.invalid).toEqual([]);
  });

  it('ignores other kinds, keeps a request whose placement is missing aside, and lists a broken item', () => {
    const orphan = request(d.year, { ...d.placements[0]!, studentNumber: '9999999' }, 'kijkwijzer-didactiek', 'wpb', 2, 'gevraagd');
    const broken = { ...requestItem(d.requests[1]!), linkId: undefined, SK: 'REQ#broken' };
    const extra = [
      { PK: 'PERSON#jan.hek@wolfert.example.nl', SK: 'ROLE#wpb#2025-2026#1000001', entity: 'membership', email: jan.email },
      { PK: 'RUN#x', SK: 'TO#y', entity: 'notification' },
      requestItem(orphan),
      broken,
    ];

    const model = yearModel([...extra, ...items].reverse());

    expect(model.placements.size).toBe(6);
    expect(model.orphanRequests.map((r) => r.studentNumber)).toEqual(['9999999']);
    expect([...model.requests.values()].flat()).toHaveLength(d.requests.length);
    expect(model.invalid).toEqual([expect.objectContaining({ entity: 'request', sk: 'REQ#broken', reason: expect.stringContaining('linkId') })]);
    expect(recipients(model).map((p) => p.email)).toEqual(recipients(d.model).map((p) => p.email));
  });

  it('builds the same recipients whatever order the pages come in', () => {
    const shuffled = [...items].sort((a, b) => String(a.SK).localeCompare(String(b.SK)) || String(b.PK).localeCompare(String(a.PK)));

    expect(recipients(yearModel(shuffled))).toEqual(recipients(d.model));
  });
});

describe('runKey', () => {
  const year = getSchoolYear('2025-2026')!;
  const op2 = year.periods[1]!;

  it('keys a weekly run by period and ISO week of the Amsterdam date', () => {
    expect(runKey('weekly', year, op2, parseInstant('2026-01-26T07:00'))).toBe('weekly#2025-2026#op2#2026-W05');
    expect(runKey('weekly', year, op2, parseInstant('2025-12-29T07:00'))).toBe('weekly#2025-2026#op2#2026-W01');
  });

  it('takes the Amsterdam date, not the UTC one, just after midnight', () => {
    // Sunday 23:30 UTC is Monday 00:30 in Amsterdam (winter time).
    expect(runKey('weekly', year, op2, Temporal.Instant.from('2026-01-25T23:30:00Z'))).toBe('weekly#2025-2026#op2#2026-W05');
    expect(runKey('weekly', year, op2, Temporal.Instant.from('2026-01-25T22:30:00Z'))).toBe('weekly#2025-2026#op2#2026-W04');
  });

  it('keys a deadline run by period and days before the deadline', () => {
    expect(runKey('deadline', year, op2, parseInstant('2026-02-01T07:00'))).toBe('deadline#2025-2026#op2#d3');
    expect(runKey('deadline', year, op2, parseInstant('2026-01-21T07:00'))).toBe('deadline#2025-2026#op2#d14');
  });

  it('gives the same key to two runs of the same Monday, and a new one a week later', () => {
    const first = runKey('weekly', year, op2, parseInstant('2026-01-26T07:00'));

    expect(runKey('weekly', year, op2, parseInstant('2026-01-26T07:05'))).toBe(first);
    expect(runKey('weekly', year, op2, parseInstant('2026-02-02T07:00'))).not.toBe(first);
  });
});

describe('deadlineReminderDue', () => {
  const due = (value: string | Temporal.Instant) => {
    const result = deadlineReminderDue(typeof value === 'string' ? parseInstant(value) : value);
    return result && [result.year.id, result.period.number, result.days];
  };

  it('is due 14 and 3 days before the OP2 deadline of 2025-2026, and not on the days around', () => {
    expect(due('2026-01-21T07:00')).toEqual(['2025-2026', 2, 14]);
    expect(due('2026-02-01T07:00')).toEqual(['2025-2026', 2, 3]);
    expect(due('2026-01-20T07:00')).toBeNull();
    expect(due('2026-01-22T07:00')).toBeNull();
    expect(due('2026-02-02T07:00')).toBeNull();
    expect(due('2026-02-04T07:00')).toBeNull();
  });

  it('uses the Amsterdam date across the switch to summer time (OP3 deadline 22 April 2026)', () => {
    // 2026-04-08 00:30 CEST is 2026-04-07 22:30 UTC.
    expect(due(Temporal.Instant.from('2026-04-07T22:30:00Z'))).toEqual(['2025-2026', 3, 14]);
    expect(due(Temporal.Instant.from('2026-04-07T21:30:00Z'))).toBeNull();
    expect(due('2026-04-19T07:00')).toEqual(['2025-2026', 3, 3]);
  });

  it('uses the Amsterdam date across the switch to winter time (OP1 deadline 12 November 2025)', () => {
    // 2025-10-29 00:30 CET is 2025-10-28 23:30 UTC.
    expect(due(Temporal.Instant.from('2025-10-28T23:30:00Z'))).toEqual(['2025-2026', 1, 14]);
    expect(due(Temporal.Instant.from('2025-10-28T22:30:00Z'))).toBeNull();
  });

  it('knows the deadlines of 2024-2025 too, including the portfolio deadline of OP4', () => {
    expect(due('2024-11-01T07:00')).toEqual(['2024-2025', 1, 14]);
    expect(due('2025-06-01T07:00')).toEqual(['2024-2025', 4, 3]);
  });

  it('is null outside every school year', () => {
    expect(due('2031-03-01T07:00')).toBeNull();
  });
});

describe('digestPeriod', () => {
  it('answers the summer after OP4 with OP1 of the next school year', () => {
    const where = digestPeriod(parseInstant('2025-07-21T07:00'))!;

    expect([where.year.id, where.period.number, where.between]).toEqual(['2025-2026', 1, true]);
  });

  it('is null after every known period', () => {
    expect(digestPeriod(parseInstant('2031-03-01T07:00'))).toBeNull();
  });
});
