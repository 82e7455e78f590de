import { describe, expect, it } from 'vitest';
import { Temporal } from 'temporal-polyfill';
import { formTitle } from '../../../forms/index.ts';
import { getSchoolYear, schoolYears, type SchoolYear } from '../../../shared/calendar.ts';
import { calendarCatalog, shippedCalendar } from '../../../shared/content/calendar-catalog.ts';
import { parseInstant } from '../../../shared/clock.ts';
import tasksFile from '../../../shared/data/tasks.json' with { type: 'json' };
import {
  deadlineReminderDue,
  digestFor,
  digestPeriod,
  runKey,
  type Digest,
  type DigestContext,
  type DigestKind,
} from '../../../shared/digest/content.ts';
import { recipients, yearModel, type Recipient, type YearModel } from '../../../shared/digest/model.ts';
import { formUrl, studentUrl } from '../../../shared/links.ts';
import { renderEmail, type EmailSection } from '../../../shared/mail/templates.ts';
import type { ObserverRole, RequestRecord, RequestState, StudentLinkRecord } from '../../../shared/model/requests.ts';
import type { Person } from '../../../shared/roster/placement.ts';
import type { PlacementRecord } from '../../../shared/model/placements.ts';
import type { Role, TaskFile } from '../../../shared/tasks.ts';
import { requestItem, yearItems } from '../../support/year-items.ts';
import { appointmentItem, appointmentOf, concernItem, concernOf, participantOf } from '../../support/workflow-items.ts';
import type { AppointmentRecord } from '../../../shared/model/appointments.ts';

/*
 * The scheduled emails, asserted on what they say for a fixed demo roster at concrete dates. The
 * expected text is written out by hand from the inputs (the roster and requests below,
 * shared/data/school-years.json and shared/data/tasks.json), never computed with the rules under
 * test, so a rule that is wrong in content.ts fails here.
 */

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

/** The link id of demo request number `n` (1-12, in the order of the list in `demo`) of a year. */
const formLinkId = (yearId: string, n: number): string => `form-${yearId}-${n}`;
/** The form link of demo request number `n` of a year, as an email must show it. */
const formLink = (yearId: string, n: number): string => formUrl(links, formLinkId(yearId, n));
/** The student page link of a demo student (Sem has none). */
const pageLink = (yearId: string, studentNumber: string): string => studentUrl(links, `page-${yearId}-${studentNumber}`);

function request(
  year: SchoolYear,
  n: number,
  p: PlacementRecord,
  formId: string,
  observerRole: ObserverRole,
  periodNumber: number,
  state: RequestState,
  extra: Partial<RequestRecord> = {},
): RequestRecord {
  const period = year.periods[periodNumber - 1]!;
  return {
    schoolYear: year.id,
    studentNumber: p.studentNumber,
    requestId: `r${String(n).padStart(4, '0')}`,
    formId,
    observerRole,
    observer: p[observerRole],
    period: periodNumber,
    deadline: period.deadline,
    state,
    latestVersion: state === 'gevraagd' ? 0 : 1,
    ...(state === 'ingediend' ? { submittedAt: `${period.deadline}T10:00:00Z` } : {}),
    linkId: formLinkId(year.id, n),
    linkHash: `hash-${n}`,
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
  appointments: AppointmentRecord[];
  model: YearModel;
}

/**
 * Zoë's appointments in 2024-2025 and 2025-2026 (none in 2026-2027): the kennismaking on a Monday
 * at 10:00 (so the run at 07:00 that day still sees it ahead), the tussentijds gesprek on a
 * Thursday, a lesbezoek by her WPB and SO on a Wednesday, and a cancelled lesbezoek the next day.
 */
const ZOE_DATES: Record<string, { kennismaking: string; tussentijds: string; visit: string; cancelled: string }> = {
  '2024-2025': { kennismaking: '2024-10-07', tussentijds: '2025-03-13', visit: '2024-12-04', cancelled: '2024-12-05' },
  '2025-2026': { kennismaking: '2025-10-06', tussentijds: '2026-03-12', visit: '2025-12-03', cancelled: '2025-12-04' },
};

function zoeAppointments(zoe: PlacementRecord): AppointmentRecord[] {
  const dates = ZOE_DATES[zoe.schoolYear];
  if (!dates) return [];
  const talkers = [participantOf(zoe, 'wpb'), participantOf(zoe, 'io')];
  return [
    appointmentOf(zoe, 'a1', { kind: 'gesprek', talkType: 'kennismaking', date: dates.kennismaking, start: '10:00', end: '11:00', period: 1, participants: talkers }),
    appointmentOf(zoe, 'a2', { kind: 'gesprek', talkType: 'tussentijds', date: dates.tussentijds, start: '13:00', end: '14:00', period: 3, participants: talkers }),
    appointmentOf(zoe, 'a3', { kind: 'lesbezoek', date: dates.visit, start: '09:00', end: '09:50', period: 2, className: 'H2b', participants: [participantOf(zoe, 'wpb'), participantOf(zoe, 'so')] }),
    appointmentOf(zoe, 'a4', {
      kind: 'lesbezoek',
      date: dates.cancelled,
      start: '09:00',
      end: '09:50',
      period: 2,
      className: 'H2b',
      participants: [participantOf(zoe, 'wpb', 'geannuleerd')],
      state: 'geannuleerd',
      cancelledAt: '2024-08-02T08:00:00Z',
    }),
  ];
}

/**
 * The demo roster of a school year with requests in every state, at various periods. The year's
 * kijkwijzer types are t0-t2: didactiek, digitale didactiek, pedagogiek in 2024-2025; pedagogiek,
 * didactiek, vakdidactiek from 2025-2026. The WPB advice is due in OP3 (2024-2025) or OP4.
 */
function demo(yearId: string): Demo {
  const year = getSchoolYear(yearId)!;
  const placements = demoPlacements(yearId);
  const [zoe, ahmed, lotte, daan, noor, sem] = placements as [PlacementRecord, PlacementRecord, PlacementRecord, PlacementRecord, PlacementRecord, PlacementRecord];
  const [t0, t1, t2] = year.kijkwijzerTypes.map((type) => `kijkwijzer-${type}`) as [string, string, string];
  const advicePeriod = yearId === '2024-2025' ? 3 : 4;
  const requests = [
    request(year, 1, zoe, t0, 'wpb', 1, 'ingediend'),
    request(year, 2, zoe, t1, 'wpb', 2, 'gevraagd'),
    request(year, 3, zoe, t2, 'so', 2, 'concept', { lessonDate: year.periods[1]!.start, className: 'H2b' }),
    request(year, 4, ahmed, t0, 'wpb', 2, 'concept'),
    request(year, 5, ahmed, t1, 'wpb', 1, 'gevraagd'),
    request(year, 6, lotte, t2, 'so', 1, 'ingediend'),
    request(year, 7, lotte, t0, 'wpb', 2, 'ingediend'),
    request(year, 8, daan, 'advies-wpb', 'wpb', advicePeriod, 'gevraagd', { origin: 'auto' }),
    request(year, 9, daan, t1, 'wpb', 3, 'ingediend'),
    request(year, 10, noor, t1, 'io', 3, 'concept'),
    request(year, 11, noor, t2, 'wpb', 4, 'gevraagd'),
    request(year, 12, sem, t0, 'wpb', 2, 'gevraagd'),
  ];
  // Sem has no page link yet; everyone else has one.
  const links = placements
    .filter((p) => p !== sem)
    .map((p) => ({ schoolYear: yearId, studentNumber: p.studentNumber, school: p.school, linkId: `page-${yearId}-${p.studentNumber}`, linkHash: 'h' }));
  const appointments = zoeAppointments(zoe);
  const items = [...yearItems({ placements, requests, studentLinks: links }), ...appointments.map(appointmentItem)];
  return { year, placements, requests, links, appointments, model: yearModel(items) };
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
    calendar: shippedCalendar,
    suppressed: SUPPRESSED,
  };
}

const sectionsOf = (digest: Digest): EmailSection[] => digest.content.sections ?? [];
/** The one section with this heading; fails the test when there is none, or more than one. */
function section(digest: Digest, heading: string): EmailSection {
  const found = sectionsOf(digest).filter((s) => s.heading === heading);
  expect(found.map((s) => s.heading), `section "${heading}" in ${sectionsOf(digest).map((s) => s.heading).join(' | ')}`).toEqual([heading]);
  return found[0]!;
}
const hasSection = (digest: Digest, heading: string): boolean => sectionsOf(digest).some((s) => s.heading === heading);
const itemTexts = (s: EmailSection): string[] => (s.items ?? []).map((item) => item.text);
const textOf = (digest: Digest): string => renderEmail(digest.content).text;
const personOf = (people: readonly Recipient[], email: string): Recipient => {
  const found = people.find((p) => p.email === email.toLowerCase());
  expect(found, email).toBeDefined();
  return found!;
};
const studentOf = (people: readonly Recipient[], name: string): Recipient => {
  const found = people.find((p) => p.name === name);
  expect(found, name).toBeDefined();
  return found!;
};
/** The email of a person; fails the test when there is none. */
function emailOf(who: Recipient, ctx: DigestContext): Digest {
  const digest = digestFor(who, ctx);
  expect(digest, `an email for ${who.email}`).not.toBeNull();
  return digest!;
}

/** The task texts of a role in a period, as shared/data/tasks.json writes them. */
function tasksInFile(yearId: string, role: Role, periodNumber: number): string[] {
  type TaskFile = { years: Record<string, Partial<Record<Role, Record<string, { text: string }[]>>>> };
  const texts = (tasksFile as unknown as TaskFile).years[yearId]?.[role]?.[`OP${periodNumber}`]?.map((task) => task.text);
  expect(texts, `tasks.json: ${yearId} ${role} OP${periodNumber}`).toBeDefined();
  return texts!;
}

/** How each role's task section is headed, before "in periode ...". */
const TASKS_HEADING: Record<Role, string> = {
  student: 'Jouw taken',
  wpb: 'Werkplekbegeleider (WPB): uw taken',
  so: 'Schoolopleider (SO): uw taken',
  io: 'Instituutsopleider (IO): uw taken',
  sco: 'Schoolcoördinator (SCO): uw taken',
};

/** Everyone who gets an email (Eva's address bounced), ordered by lower-cased address. */
const EVERYONE: { address: string; name: string; roles: Role[]; studentNumber?: string }[] = [
  { address: 'ahmed.1000002@student.hr.nl', name: 'Ahmed Yilmaz', roles: ['student'], studentNumber: '1000002' },
  { address: 'bram.mulder@montessori.example.nl', name: 'Bram Mulder', roles: ['so'] },
  { address: 'daan.1000004@student.hr.nl', name: 'Daan Kok', roles: ['student'], studentNumber: '1000004' },
  { address: 'fatima.elamrani@wolfert.example.nl', name: 'Fatima El Amrani', roles: ['sco'] },
  { address: 'henk.jansen@montessori.example.nl', name: 'Henk Jansen', roles: ['sco'] },
  { address: 'ivo.jansen@hr.example.nl', name: 'Ivo Jansen', roles: ['io'] },
  { address: 'jan.hek@wolfert.example.nl', name: "Jan van 't Hek", roles: ['wpb'] },
  { address: 'karin.dewit@montessori.example.nl', name: 'Karin de Wit', roles: ['wpb'] },
  { address: 'lotte.1000003@student.hr.nl', name: 'Lotte de Boer', roles: ['student'], studentNumber: '1000003' },
  { address: 'mila.dekker@hr.example.nl', name: 'Mila Dekker', roles: ['io'] },
  { address: 'noor.1000005@student.hr.nl', name: 'Noor Bakker', roles: ['student'], studentNumber: '1000005' },
  { address: 'Pieter.Smit@Montessori.example.nl', name: 'Pieter Smit', roles: ['wpb'] },
  { address: 'saskia.bakker@wolfert.example.nl', name: 'Saskia Bakker', roles: ['wpb', 'so'] },
  { address: 'sem.1000006@student.hr.nl', name: 'Sem de Groot', roles: ['student'] },
  { address: 'zoe.1000001@student.hr.nl', name: 'Zoë de Vries', roles: ['student'], studentNumber: '1000001' },
];

/**
 * What the weekly emails say from one Monday to another (both included), from school-years.json.
 * `{jouw|uw}` is the student's word, then the staff's.
 */
interface Weeks {
  from: string;
  to: string;
  year: string;
  period: 1 | 2 | 3 | 4;
  /** Between periods: the email is about the next period, which has not started. */
  between?: true;
  /** The period's deadline has passed: nothing is open any more. */
  passed?: true;
  subject: string;
  paragraphs: string[];
  /** The rest of every task heading. */
  tasksIn: string;
  /** The year whose tasks the file gives (2026-2027 says sameAs 2025-2026). */
  tasksOf: string;
  /** Before the stage starts: the heading's end of the checklist, which is left out of the tasks. */
  checklist?: string;
}

/** The checklist before the stage starts of 2024-2025, per role, as tasks.json words it (seed 001). */
const CHECKLIST_2024: Record<Role, string[]> = {
  student: [
    'Neem naar de eerste afspraak (het intakegesprek met je begeleider en de schoolopleider) de studiehandleiding en je leervragen mee.',
    'Je schoolopleider schrijft je in bij de scholengemeenschap en vraagt spullen en inlogcodes voor je aan.',
    'Je schoolopleider geeft je een rondleiding door de school, deelt sleutels uit en maakt je wegwijs in de school.',
    'Maak met je schoolopleider duidelijke afspraken over verzuim en bij wie je je moet melden.',
  ],
  wpb: [
    'Heet de student voor de start van de stage welkom met een intakegesprek, samen met de schoolopleider. De student neemt de studiehandleiding en de leervragen mee.',
  ],
  so: [
    'Heet de student voor de start van de stage welkom in de scholengroep met een intakegesprek, samen met de werkplekbegeleider.',
    'Schrijf de student in bij de scholengemeenschap en vraag de benodigde spullen en inlogcodes aan.',
    'Geef de student een rondleiding door de school, deel sleutels uit en maak de student wegwijs in de school.',
    'Maak duidelijke afspraken met de student over verzuim en bij wie de student zich moet melden.',
  ],
  io: [],
  sco: [],
};

/** How each role's checklist section before the stage starts is headed, before its date. */
const CHECKLIST_HEADING: Record<Role, string> = {
  student: 'Voor de start van de stage op',
  wpb: 'Werkplekbegeleider (WPB): voor de start van de stage op',
  so: 'Schoolopleider (SO): voor de start van de stage op',
  io: 'Instituutsopleider (IO): voor de start van de stage op',
  sco: 'Schoolcoördinator (SCO): voor de start van de stage op',
};

const WEEKS: Weeks[] = [
  {
    from: '2024-08-05',
    to: '2024-08-19',
    year: '2024-2025',
    period: 1,
    between: true,
    subject: 'Werkplekleren N2: periode 1 (OP1) begint maandag 9 september 2024',
    paragraphs: [
      'Schooljaar 2024-2025 van werkplekleren N2 komt eraan: de stage begint maandag 26 augustus 2024. Periode 1 (OP1) begint maandag 9 september 2024; de deadline van die periode is vrijdag 15 november 2024 (afgeleid: De tekst noemt geen deadline per periode; de laatste dag van de periode is gebruikt). Hieronder {lees je|leest u} wat {je|u} dan te doen staat.',
    ],
    tasksIn: 'in periode 1 (OP1), vanaf maandag 9 september 2024',
    tasksOf: '2024-2025',
    checklist: 'maandag 26 augustus 2024',
  },
  {
    from: '2024-08-26',
    to: '2024-08-26',
    year: '2024-2025',
    period: 1,
    between: true,
    subject: 'Werkplekleren N2: periode 1 (OP1) begint maandag 9 september 2024',
    paragraphs: [
      'Vandaag begint de stage van schooljaar 2024-2025 van werkplekleren N2. Periode 1 (OP1) begint maandag 9 september 2024; de deadline van die periode is vrijdag 15 november 2024 (afgeleid: De tekst noemt geen deadline per periode; de laatste dag van de periode is gebruikt). Hieronder {lees je|leest u} wat {je|u} dan te doen staat.',
    ],
    tasksIn: 'in periode 1 (OP1), vanaf maandag 9 september 2024',
    tasksOf: '2024-2025',
  },
  {
    from: '2024-09-02',
    to: '2024-09-02',
    year: '2024-2025',
    period: 1,
    between: true,
    subject: 'Werkplekleren N2: periode 1 (OP1) begint maandag 9 september 2024',
    paragraphs: [
      'De stage van schooljaar 2024-2025 van werkplekleren N2 is begonnen op maandag 26 augustus 2024. Periode 1 (OP1) begint maandag 9 september 2024; de deadline van die periode is vrijdag 15 november 2024 (afgeleid: De tekst noemt geen deadline per periode; de laatste dag van de periode is gebruikt). Hieronder {lees je|leest u} wat {je|u} dan te doen staat.',
    ],
    tasksIn: 'in periode 1 (OP1), vanaf maandag 9 september 2024',
    tasksOf: '2024-2025',
  },
  {
    from: '2024-09-09',
    to: '2024-11-11',
    year: '2024-2025',
    period: 1,
    subject: 'Werkplekleren N2: {jouw|uw} taken in periode 1 (OP1)',
    paragraphs: ['Dit is {jouw|uw} overzicht van werkplekleren N2 voor periode 1 (OP1) van schooljaar 2024-2025. De deadline is vrijdag 15 november 2024 (afgeleid: De tekst noemt geen deadline per periode; de laatste dag van de periode is gebruikt).'],
    tasksIn: 'in periode 1 (OP1)',
    tasksOf: '2024-2025',
  },
  {
    from: '2024-11-18',
    to: '2024-11-18',
    year: '2024-2025',
    period: 2,
    between: true,
    subject: 'Werkplekleren N2: periode 2 (OP2) begint maandag 25 november 2024',
    paragraphs: [
      'Periode 1 (OP1) is afgelopen. Periode 2 (OP2) begint maandag 25 november 2024; de deadline van die periode is vrijdag 7 februari 2025 (afgeleid: De tekst noemt geen deadline per periode; de laatste dag van de periode is gebruikt). Hieronder {lees je|leest u} wat {je|u} dan te doen staat.',
    ],
    tasksIn: 'in periode 2 (OP2), vanaf maandag 25 november 2024',
    tasksOf: '2024-2025',
  },
  {
    from: '2024-11-25',
    to: '2025-02-03',
    year: '2024-2025',
    period: 2,
    subject: 'Werkplekleren N2: {jouw|uw} taken in periode 2 (OP2)',
    paragraphs: ['Dit is {jouw|uw} overzicht van werkplekleren N2 voor periode 2 (OP2) van schooljaar 2024-2025. De deadline is vrijdag 7 februari 2025 (afgeleid: De tekst noemt geen deadline per periode; de laatste dag van de periode is gebruikt).'],
    tasksIn: 'in periode 2 (OP2)',
    tasksOf: '2024-2025',
  },
  {
    from: '2025-02-10',
    to: '2025-04-21',
    year: '2024-2025',
    period: 3,
    subject: 'Werkplekleren N2: {jouw|uw} taken in periode 3 (OP3)',
    paragraphs: ['Dit is {jouw|uw} overzicht van werkplekleren N2 voor periode 3 (OP3) van schooljaar 2024-2025. De deadline is vrijdag 25 april 2025 (afgeleid: De tekst noemt geen deadline per periode; de laatste dag van de periode is gebruikt).'],
    tasksIn: 'in periode 3 (OP3)',
    tasksOf: '2024-2025',
  },
  {
    from: '2025-04-28',
    to: '2025-04-28',
    year: '2024-2025',
    period: 4,
    between: true,
    subject: 'Werkplekleren N2: periode 4 (OP4) begint maandag 5 mei 2025',
    paragraphs: [
      'Periode 3 (OP3) is afgelopen. Periode 4 (OP4) begint maandag 5 mei 2025; de deadline van die periode is woensdag 4 juni 2025. Hieronder {lees je|leest u} wat {je|u} dan te doen staat.',
    ],
    tasksIn: 'in periode 4 (OP4), vanaf maandag 5 mei 2025',
    tasksOf: '2024-2025',
  },
  {
    from: '2025-05-05',
    to: '2025-06-02',
    year: '2024-2025',
    period: 4,
    subject: 'Werkplekleren N2: {jouw|uw} taken in periode 4 (OP4)',
    paragraphs: ['Dit is {jouw|uw} overzicht van werkplekleren N2 voor periode 4 (OP4) van schooljaar 2024-2025. De deadline is woensdag 4 juni 2025.'],
    tasksIn: 'in periode 4 (OP4)',
    tasksOf: '2024-2025',
  },
  {
    from: '2025-06-09',
    to: '2025-07-07',
    year: '2024-2025',
    period: 4,
    passed: true,
    subject: 'Werkplekleren N2: {jouw|uw} taken in periode 4 (OP4)',
    paragraphs: ['Dit is {jouw|uw} overzicht van werkplekleren N2 voor periode 4 (OP4) van schooljaar 2024-2025. De deadline van deze periode was woensdag 4 juni 2025.'],
    tasksIn: 'in periode 4 (OP4)',
    tasksOf: '2024-2025',
  },
  {
    from: '2025-07-14',
    to: '2025-09-01',
    year: '2025-2026',
    period: 1,
    between: true,
    subject: 'Werkplekleren N2: periode 1 (OP1) begint maandag 8 september 2025',
    paragraphs: [
      "Schooljaar 2025-2026 van werkplekleren N2 komt eraan. Periode 1 (OP1) begint maandag 8 september 2025 (afgeleid: De tekst noemt alleen 'Start: september'; gekozen is de tweede maandag van september, zoals in 2024-2025); de deadline van die periode is woensdag 12 november 2025. Hieronder {lees je|leest u} wat {je|u} dan te doen staat.",
    ],
    tasksIn: 'in periode 1 (OP1), vanaf maandag 8 september 2025 (afgeleid)',
    tasksOf: '2025-2026',
  },
  {
    from: '2025-09-08',
    to: '2025-11-10',
    year: '2025-2026',
    period: 1,
    subject: 'Werkplekleren N2: {jouw|uw} taken in periode 1 (OP1)',
    paragraphs: ['Dit is {jouw|uw} overzicht van werkplekleren N2 voor periode 1 (OP1) van schooljaar 2025-2026. De deadline is woensdag 12 november 2025.'],
    tasksIn: 'in periode 1 (OP1)',
    tasksOf: '2025-2026',
  },
  {
    from: '2025-11-17',
    to: '2025-11-17',
    year: '2025-2026',
    period: 2,
    between: true,
    subject: 'Werkplekleren N2: periode 2 (OP2) begint maandag 24 november 2025',
    paragraphs: [
      "Periode 1 (OP1) is afgelopen. Periode 2 (OP2) begint maandag 24 november 2025 (afgeleid: De tekst noemt alleen 'Start: november'; maandag na een week zonder periode, zoals in 2024-2025); de deadline van die periode is woensdag 4 februari 2026. Hieronder {lees je|leest u} wat {je|u} dan te doen staat.",
    ],
    tasksIn: 'in periode 2 (OP2), vanaf maandag 24 november 2025 (afgeleid)',
    tasksOf: '2025-2026',
  },
  {
    from: '2025-11-24',
    to: '2026-02-02',
    year: '2025-2026',
    period: 2,
    subject: 'Werkplekleren N2: {jouw|uw} taken in periode 2 (OP2)',
    paragraphs: ['Dit is {jouw|uw} overzicht van werkplekleren N2 voor periode 2 (OP2) van schooljaar 2025-2026. De deadline is woensdag 4 februari 2026.'],
    tasksIn: 'in periode 2 (OP2)',
    tasksOf: '2025-2026',
  },
  {
    from: '2026-02-09',
    to: '2026-04-20',
    year: '2025-2026',
    period: 3,
    subject: 'Werkplekleren N2: {jouw|uw} taken in periode 3 (OP3)',
    paragraphs: ['Dit is {jouw|uw} overzicht van werkplekleren N2 voor periode 3 (OP3) van schooljaar 2025-2026. De deadline is woensdag 22 april 2026.'],
    tasksIn: 'in periode 3 (OP3)',
    tasksOf: '2025-2026',
  },
  {
    from: '2026-04-27',
    to: '2026-05-25',
    year: '2025-2026',
    period: 4,
    subject: 'Werkplekleren N2: {jouw|uw} taken in periode 4 (OP4)',
    paragraphs: ['Dit is {jouw|uw} overzicht van werkplekleren N2 voor periode 4 (OP4) van schooljaar 2025-2026. De deadline is vrijdag 29 mei 2026.'],
    tasksIn: 'in periode 4 (OP4)',
    tasksOf: '2025-2026',
  },
  {
    from: '2026-06-01',
    to: '2026-07-06',
    year: '2025-2026',
    period: 4,
    passed: true,
    subject: 'Werkplekleren N2: {jouw|uw} taken in periode 4 (OP4)',
    paragraphs: ['Dit is {jouw|uw} overzicht van werkplekleren N2 voor periode 4 (OP4) van schooljaar 2025-2026. De deadline van deze periode was vrijdag 29 mei 2026.'],
    tasksIn: 'in periode 4 (OP4)',
    tasksOf: '2025-2026',
  },
  {
    from: '2026-07-13',
    to: '2026-07-27',
    year: '2026-2027',
    period: 1,
    between: true,
    subject: 'Werkplekleren N2: periode 1 (OP1) begint maandag 7 september 2026',
    paragraphs: [
      'Schooljaar 2026-2027 van werkplekleren N2 komt eraan. Periode 1 (OP1) begint maandag 7 september 2026 (afgeleid: Voorlopig: 2025-09-08 plus 52 weken); de deadline van die periode is woensdag 11 november 2026 (afgeleid: Voorlopig: 2025-11-12 plus 52 weken). Hieronder {lees je|leest u} wat {je|u} dan te doen staat.',
      'Let op: voor schooljaar 2026-2027 geldt een voorlopige planning. De datums voor 2026-2027 zijn nog niet gepubliceerd. Ze volgen het patroon van 2025-2026 en kunnen nog veranderen.',
    ],
    tasksIn: 'in periode 1 (OP1), vanaf maandag 7 september 2026 (afgeleid)',
    tasksOf: '2025-2026',
  },
];

/** Picks the student's or the staff's words of `{jouw|uw}`. */
const voice = (text: string, informal: boolean): string => text.replace(/\{([^|}]*)\|([^}]*)\}/g, (_, student: string, staff: string) => (informal ? student : staff));

type PerPeriod<T> = Record<1 | 2 | 3 | 4, T>;

/**
 * The demo requests (by number) that are open for each observer, per period: asked or in draft.
 * The same in every year, except the WPB advice (number 8), due in OP3 in 2024-2025, in OP4 later.
 */
const OPEN_FORMS_2025: PerPeriod<Record<string, number[]>> = {
  1: { [jan.email]: [5] },
  2: { [jan.email]: [2, 4], [saskia.email]: [3] },
  3: { [ivo.email]: [10] },
  4: { [karin.email]: [8], [pieter.email.toLowerCase()]: [11] },
};
const OPEN_FORMS: Record<string, PerPeriod<Record<string, number[]>>> = {
  '2024-2025': {
    1: { [jan.email]: [5] },
    2: { [jan.email]: [2, 4], [saskia.email]: [3] },
    3: { [karin.email]: [8], [ivo.email]: [10] },
    4: { [pieter.email.toLowerCase()]: [11] },
  },
  '2025-2026': OPEN_FORMS_2025,
  '2026-2027': OPEN_FORMS_2025,
};

/** The forms of each student's open requests, per period (t0-t2 differ between the years). */
const STUDENT_OPEN_2025: PerPeriod<Record<string, string[]>> = {
  1: { 'Ahmed Yilmaz': ['Kijkwijzer didactiek'] },
  2: { 'Zoë de Vries': ['Kijkwijzer didactiek', 'Kijkwijzer vakdidactiek'], 'Ahmed Yilmaz': ['Kijkwijzer pedagogiek'], 'Sem de Groot': ['Kijkwijzer pedagogiek'] },
  3: { 'Noor Bakker': ['Kijkwijzer didactiek'] },
  4: { 'Daan Kok': ['Advies van de werkplekbegeleider'], 'Noor Bakker': ['Kijkwijzer vakdidactiek'] },
};
const STUDENT_OPEN: Record<string, PerPeriod<Record<string, string[]>>> = {
  '2024-2025': {
    1: { 'Ahmed Yilmaz': ['Kijkwijzer digitale didactiek'] },
    2: { 'Zoë de Vries': ['Kijkwijzer digitale didactiek', 'Kijkwijzer pedagogiek'], 'Ahmed Yilmaz': ['Kijkwijzer didactiek'], 'Sem de Groot': ['Kijkwijzer didactiek'] },
    3: { 'Daan Kok': ['Advies van de werkplekbegeleider'], 'Noor Bakker': ['Kijkwijzer digitale didactiek'] },
    4: { 'Noor Bakker': ['Kijkwijzer pedagogiek'] },
  },
  '2025-2026': STUDENT_OPEN_2025,
  '2026-2027': STUDENT_OPEN_2025,
};

/**
 * The required kijkwijzer types each student has not submitted in any period (2024-2025 requires
 * none; later years all three by the end of OP3, so they are listed in OP1-OP3).
 */
const MISSING_2025: Record<string, string[]> = {
  'Zoë de Vries': ['Kijkwijzer didactiek', 'Kijkwijzer vakdidactiek'],
  'Ahmed Yilmaz': ['Kijkwijzer pedagogiek', 'Kijkwijzer didactiek', 'Kijkwijzer vakdidactiek'],
  'Lotte de Boer': ['Kijkwijzer didactiek'],
  'Daan Kok': ['Kijkwijzer pedagogiek', 'Kijkwijzer vakdidactiek'],
  'Noor Bakker': ['Kijkwijzer pedagogiek', 'Kijkwijzer didactiek', 'Kijkwijzer vakdidactiek'],
  'Sem de Groot': ['Kijkwijzer pedagogiek', 'Kijkwijzer didactiek', 'Kijkwijzer vakdidactiek'],
};
const MISSING: Record<string, Record<string, string[]> | null> = { '2024-2025': null, '2025-2026': MISSING_2025, '2026-2027': MISSING_2025 };

/** The period in which each year asks the WPB's advice (school-years.json, autoRequests). */
const ADVICE_PERIOD: Record<string, number> = { '2024-2025': 3, '2025-2026': 4, '2026-2027': 4 };

/** Per school and period: the students with a kijkwijzer submitted in that period. */
const SCHOOL_COUNTS: PerPeriod<Record<string, number>> = {
  1: { [WOLFERT]: 2, [MONTESSORI]: 0 },
  2: { [WOLFERT]: 1, [MONTESSORI]: 0 },
  3: { [WOLFERT]: 0, [MONTESSORI]: 1 },
  4: { [WOLFERT]: 0, [MONTESSORI]: 0 },
};

/*
 * The counts line of each student on each Monday (shared/progress/counts.ts), written out from
 * the demo's requests and Zoë's appointments and the periods of school-years.json. Each table row
 * holds from its date (an Amsterdam date; a Monday's run at 07:00 reads the row of that day).
 */

/** The lesbezoeken: submitted kijkwijzers of the WPB and the SO (the same in every year). */
const VISITS: Record<string, string> = {
  'Zoë de Vries': 'WPB 1 van 2, SO 0 van 1',
  'Ahmed Yilmaz': 'WPB 0 van 2, SO 0 van 1',
  'Lotte de Boer': 'WPB 1 van 2, SO 1 van 1',
  'Daan Kok': 'WPB 1 van 2, SO 0 van 1',
  'Noor Bakker': 'WPB 0 van 2, SO 0 van 1',
  'Sem de Groot': 'WPB 0 van 2, SO 0 van 1',
};
/** Zoë's lesbezoek with her WPB and SO is planned until it has been held (3 December 2025, 4 December 2024). */
const ZOE_VISIT_PLANNED = 'WPB 1 van 2 (1 gepland), SO 0 van 1 (1 gepland)';

const OP1_MISSING = 'kennismakingsgesprek ontbreekt (hoorde in OP1)';
const OP23_MISSING = 'tussentijds gesprek ontbreekt (hoorde in OP2 of OP3)';
const OP4_TO_PLAN = 'gesprek in OP4 nog te plannen (OP4), eindgesprek (CGI) nog te plannen (OP4)';

/** The driehoeksgesprekken of a student without any: to plan from the first day of their period, missing after its last. */
const TALKS: Record<string, [string, string][]> = {
  '2024-2025': [
    ['2024-08-01', 'nog geen'],
    ['2024-09-09', 'kennismakingsgesprek nog te plannen (OP1)'],
    ['2024-11-16', OP1_MISSING],
    ['2024-11-25', `${OP1_MISSING}, tussentijds gesprek nog te plannen (OP2 of OP3)`],
    ['2025-04-26', `${OP1_MISSING}, ${OP23_MISSING}`],
    ['2025-05-05', `${OP1_MISSING}, ${OP23_MISSING}, ${OP4_TO_PLAN}`],
  ],
  '2025-2026': [
    ['2025-07-14', 'nog geen'],
    ['2025-09-08', 'kennismakingsgesprek nog te plannen (OP1)'],
    ['2025-11-15', OP1_MISSING],
    ['2025-11-24', `${OP1_MISSING}, tussentijds gesprek nog te plannen (OP2 of OP3)`],
    ['2026-04-25', `${OP1_MISSING}, ${OP23_MISSING}`],
    ['2026-04-27', `${OP1_MISSING}, ${OP23_MISSING}, ${OP4_TO_PLAN}`],
  ],
  '2026-2027': [['2026-07-13', 'nog geen']],
};
/** Zoë's: planned, then held once their end has passed. */
const ZOE_TALKS: Record<string, [string, string][]> = {
  '2024-2025': [
    ['2024-08-01', 'kennismakingsgesprek gepland op 7 oktober, tussentijds gesprek gepland op 13 maart'],
    ['2024-10-08', 'kennismakingsgesprek gehouden op 7 oktober, tussentijds gesprek gepland op 13 maart'],
    ['2025-03-14', 'kennismakingsgesprek gehouden op 7 oktober, tussentijds gesprek gehouden op 13 maart'],
    ['2025-05-05', `kennismakingsgesprek gehouden op 7 oktober, tussentijds gesprek gehouden op 13 maart, ${OP4_TO_PLAN}`],
  ],
  '2025-2026': [
    ['2025-07-14', 'kennismakingsgesprek gepland op 6 oktober, tussentijds gesprek gepland op 12 maart'],
    ['2025-10-07', 'kennismakingsgesprek gehouden op 6 oktober, tussentijds gesprek gepland op 12 maart'],
    ['2026-03-13', 'kennismakingsgesprek gehouden op 6 oktober, tussentijds gesprek gehouden op 12 maart'],
    ['2026-04-27', `kennismakingsgesprek gehouden op 6 oktober, tussentijds gesprek gehouden op 12 maart, ${OP4_TO_PLAN}`],
  ],
  '2026-2027': [['2026-07-13', 'nog geen']],
};
/** 2024-2025 requires no kijkwijzer type: what is in is listed. */
const KIJKWIJZERS_2024: Record<string, string> = {
  'Zoë de Vries': 'kijkwijzers binnen: didactiek (dit jaar geen verplichte typen)',
  'Ahmed Yilmaz': 'kijkwijzers: dit jaar geen verplichte typen',
  'Lotte de Boer': 'kijkwijzers binnen: didactiek en pedagogiek (dit jaar geen verplichte typen)',
  'Daan Kok': 'kijkwijzers binnen: digitale didactiek (dit jaar geen verplichte typen)',
  'Noor Bakker': 'kijkwijzers: dit jaar geen verplichte typen',
  'Sem de Groot': 'kijkwijzers: dit jaar geen verplichte typen',
};
/** From 2025-2026 all three types by the end of OP3 (24 April 2026): still needed until then, missing after. */
const NEEDED_2025: Record<string, string> = {
  'Zoë de Vries': 'didactiek en vakdidactiek',
  'Ahmed Yilmaz': 'pedagogiek, didactiek en vakdidactiek',
  'Lotte de Boer': 'didactiek',
  'Daan Kok': 'pedagogiek en vakdidactiek',
  'Noor Bakker': 'pedagogiek, didactiek en vakdidactiek',
  'Sem de Groot': 'pedagogiek, didactiek en vakdidactiek',
};

const rowAt = (rows: [string, string][], day: string): string => rows.filter(([from]) => from <= day).at(-1)![1];

/** The counts line of a student in a year's demo on a day (YYYY-MM-DD), as the digests write it. */
function countsAt(yearId: string, name: string, day: string): string {
  const planned = ZOE_DATES[yearId] && name === 'Zoë de Vries' && day < ZOE_DATES[yearId].visit;
  const visits = planned ? ZOE_VISIT_PLANNED : VISITS[name]!;
  const talks = rowAt(name === 'Zoë de Vries' ? ZOE_TALKS[yearId]! : TALKS[yearId]!, day);
  const kijkwijzers =
    yearId === '2024-2025'
      ? KIJKWIJZERS_2024[name]!
      : yearId === '2025-2026' && day >= '2026-04-25'
        ? `kijkwijzers ontbreken: ${NEEDED_2025[name]} (hoorden binnen te zijn vóór het einde van OP3)`
        : `kijkwijzers nog nodig: ${NEEDED_2025[name]} (vóór het einde van OP3)`;
  return `lesbezoeken ${visits}; driehoeksgesprekken: ${talks}; ${kijkwijzers}`;
}

/** Whether a counts line says something is missing (a talk whose periods have ended, kijkwijzers after OP3). */
const saysMissing = (line: string): boolean => /ontbreekt|ontbreken/.test(line);
const EVA_UNDELIVERABLE = 'eva.visser@montessori.example.nl (Eva Visser, werkplekbegeleider van Sem de Groot)';

/** Every Monday from the first of August of `from` up to the last of July of the next year. */
function mondays(from: number): string[] {
  let day = Temporal.PlainDate.from({ year: from, month: 8, day: 1 });
  while (day.dayOfWeek !== 1) day = day.add({ days: 1 });
  const end = Temporal.PlainDate.from({ year: from + 1, month: 7, day: 31 });
  const all: string[] = [];
  for (; Temporal.PlainDate.compare(day, end) <= 0; day = day.add({ weeks: 1 })) all.push(day.toString());
  return all;
}

const formLinksIn = (text: string): string[] => [...text.matchAll(/https:\/\/werkplekleren\.test\/f\/[A-Za-z0-9_-]+/g)].map((m) => m[0]).sort();

describe('the weekly digest on every Monday of 2024-2025 and 2025-2026, on a demo roster', () => {
  const allMondays = [...mondays(2024), ...mondays(2025)];
  const weekOf = (monday: string): Weeks => {
    const rows = WEEKS.filter((row) => row.from <= monday && monday <= row.to);
    expect(rows, monday).toHaveLength(1);
    return rows[0]!;
  };

  it('enumerates 104 Mondays, each in one row of the expected weeks, every row used', () => {
    expect(allMondays).toHaveLength(104);
    expect(allMondays[0]).toBe('2024-08-05');
    expect(allMondays.at(-1)).toBe('2026-07-27');
    expect(new Set(allMondays.map(weekOf))).toEqual(new Set(WEEKS));
  });

  it('is about the period the calendar says, for everyone, one email each, in their own words', () => {
    let emails = 0;
    for (const monday of allMondays) {
      const week = weekOf(monday);
      const now = parseInstant(`${monday}T07:00`);
      const where = digestPeriod(now, schoolYears);
      expect([where?.year.id, where?.period.number, where?.between], monday).toEqual([week.year, week.period, week.between ?? false]);
      const d = demoOf(week.year);
      const ctx = context(d, 'weekly', now, where!.period, where!.between);
      const people = recipients(d.model, { suppressed: SUPPRESSED });

      expect(people.map((p) => [p.address, p.name, p.roles.map((r) => r.role)]), monday).toEqual(EVERYONE.map((p) => [p.address, p.name, p.roles]));
      for (const who of people) {
        const at = `${monday} ${who.email}`;
        const digest = emailOf(who, ctx);
        const informal = who.roles.every((r) => r.role === 'student');
        emails += 1;

        expect(digest.content.to, at).toBe(who.address);
        expect(digest.subject, at).toBe(voice(week.subject, informal));
        expect(digest.content.subject, at).toBe(digest.subject);
        expect(digest.content.greeting, at).toBe(`Beste ${who.name},`);
        expect(digest.content.paragraphs, at).toEqual(week.paragraphs.map((p) => voice(p, informal)));
        for (const { role } of who.roles) {
          const checklist = week.checklist ? CHECKLIST_2024[role] : [];
          expect(itemTexts(section(digest, `${TASKS_HEADING[role]} ${week.tasksIn}`)), `${at} ${role}`).toEqual(
            tasksInFile(week.tasksOf, role, week.period).filter((text) => !checklist.includes(text)),
          );
          if (checklist.length > 0) {
            expect(itemTexts(section(digest, `${CHECKLIST_HEADING[role]} ${week.checklist}`)), `${at} ${role} checklist`).toEqual(checklist);
          }
        }
        const checklists = sectionsOf(digest).filter((s) => s.heading.includes('voor de start van de stage') || s.heading.startsWith('Voor de start van de stage'));
        expect(checklists.map((s) => s.heading), at).toEqual(
          week.checklist ? who.roles.filter(({ role }) => CHECKLIST_2024[role].length > 0).map(({ role }) => `${CHECKLIST_HEADING[role]} ${week.checklist}`) : [],
        );
      }
    }
    expect(emails).toBe(104 * 15);
  });

  it('links exactly the forms open for each observer, none after the deadline', () => {
    for (const monday of allMondays) {
      const week = weekOf(monday);
      const d = demoOf(week.year);
      const ctx = context(d, 'weekly', parseInstant(`${monday}T07:00`), d.year.periods[week.period - 1]!, week.between ?? false);
      for (const who of recipients(d.model, { suppressed: SUPPRESSED })) {
        const at = `${monday} ${who.email}`;
        const digest = emailOf(who, ctx);
        const expected = week.passed ? [] : (OPEN_FORMS[week.year]![week.period][who.email] ?? []).map((n) => formLink(week.year, n));

        const shown = hasSection(digest, 'Formulieren die op u wachten') ? (section(digest, 'Formulieren die op u wachten').items ?? []).map((item) => item.link?.url) : [];
        expect(shown, `${at} open forms`).toEqual(expected);
        expect(formLinksIn(textOf(digest)), `${at} no other form links`).toEqual([...expected].sort());
      }
    }
  });

  it("shows a student the missing kijkwijzer types, their open requests and their page's button", () => {
    for (const monday of allMondays) {
      const week = weekOf(monday);
      const d = demoOf(week.year);
      const ctx = context(d, 'weekly', parseInstant(`${monday}T07:00`), d.year.periods[week.period - 1]!, week.between ?? false);
      for (const expected of EVERYONE.filter((p) => p.roles.includes('student'))) {
        const at = `${monday} ${expected.name}`;
        const digest = emailOf(studentOf(recipients(d.model, { suppressed: SUPPRESSED }), expected.name), ctx);
        const missing = week.period <= 3 ? (MISSING[week.year]?.[expected.name] ?? []) : [];
        const open = week.passed ? [] : (STUDENT_OPEN[week.year]![week.period][expected.name] ?? []);

        const missingHeading = 'Kijkwijzers die nog ontbreken (vóór het einde van periode 3)';
        expect(hasSection(digest, missingHeading) ? itemTexts(section(digest, missingHeading)) : [], `${at} missing`).toEqual(missing);
        expect(sectionsOf(digest).filter((s) => s.heading.startsWith('Kijkwijzers die nog ontbreken') && s.heading !== missingHeading), at).toEqual([]);
        const openShown = hasSection(digest, 'Je aanvragen die nog openstaan') ? itemTexts(section(digest, 'Je aanvragen die nog openstaan')) : [];
        expect(openShown.map((text) => text.split(' bij ')[0]), `${at} open requests`).toEqual(open);
        expect(digest.content.action, `${at} page link`).toEqual(
          expected.studentNumber ? { label: 'Mijn werkplekleren', url: pageLink(week.year, expected.studentNumber) } : undefined,
        );
      }
    }
  });

  it('names to each WPB the kijkwijzer types their student still needs, by the year\'s own rule (none in 2024-2025, none after OP3)', () => {
    let shown = 0;
    for (const monday of allMondays) {
      const week = weekOf(monday);
      const d = demoOf(week.year);
      const ctx = context(d, 'weekly', parseInstant(`${monday}T07:00`), d.year.periods[week.period - 1]!, week.between ?? false);
      for (const who of recipients(d.model, { suppressed: SUPPRESSED })) {
        const digest = emailOf(who, ctx);
        const students = who.roles.filter((r) => r.role === 'wpb').flatMap((r) => r.placements.map((p) => p.student.name));
        const expected = students.flatMap((name) => {
          const missing = week.period <= 3 ? (MISSING[week.year]?.[name] ?? []) : [];
          return missing.length > 0 ? [{ heading: `Kijkwijzers die ${name} nog mist (vóór het einde van periode 3)`, items: missing }] : [];
        });

        const sections = sectionsOf(digest).filter((s) => / nog mist \(/.test(s.heading));
        expect(sections.map((s) => ({ heading: s.heading, items: itemTexts(s) })), `${monday} ${who.email}`).toEqual(expected);
        shown += sections.length;
      }
    }
    // 2025-2026, OP1-OP3 and the weeks before them: every WPB's student misses a type.
    expect(shown).toBeGreaterThan(0);
  });

  it('shows the IO and the SO each student\'s counts against the year\'s rules, and the SCO the counts per school', () => {
    for (const monday of allMondays) {
      const week = weekOf(monday);
      const d = demoOf(week.year);
      const ctx = context(d, 'weekly', parseInstant(`${monday}T07:00`), d.year.periods[week.period - 1]!, week.between ?? false);
      const op = `OP${week.period}`;
      const judged = !week.between;
      // The advice is asked in OP3 of 2024-2025 and OP4 of 2025-2026 (autoRequests); nobody's is in.
      const advice = judged && ADVICE_PERIOD[week.year] === week.period ? '; Advies WPB: nog niet ingediend' : '';
      const checked = { io: 0, so: 0, sco: 0 };
      for (const who of recipients(d.model, { suppressed: SUPPRESSED })) {
        const at = `${monday} ${who.email}`;
        const digest = emailOf(who, ctx);
        for (const { role, placements } of who.roles) {
          for (const p of placements) {
            const name = p.student.name;
            const counts = countsAt(week.year, name, monday);
            if (role === 'io') {
              const rows = itemTexts(section(digest, `Voortgang van uw studenten in periode ${week.period} (${op})`)).filter((text) => text.startsWith(`${name} (${p.vak}, ${p.school}): `));
              expect(rows, `${at} IO row of ${name}`).toHaveLength(1);
              expect(rows[0], `${at} IO row of ${name}`).toMatch(/^[^:]+: \d+ formulier(en)? ingediend, \d+ open; /);
              expect(rows[0]!.endsWith(`; ${counts}${advice}`), `${at} IO row of ${name}: ${rows[0]}`).toBe(true);
              checked.io += 1;
            }
            if (role === 'so') {
              expect(itemTexts(section(digest, `Uw studenten op ${p.school}`)), `${at} SO row of ${name}`).toContain(`${name} (${p.vak}, WPB ${p.wpb.name}): ${counts}${advice}`);
              checked.so += 1;
            }
          }
          if (role === 'io' && judged) {
            const missing = placements.filter((p) => saysMissing(countsAt(week.year, p.student.name, monday))).length;
            const students = placements.length === 1 ? '1 student' : `${placements.length} studenten`;
            expect(section(digest, `Voortgang van uw studenten in periode ${week.period} (${op})`).paragraphs, at).toEqual([
              missing > 0
                ? `Bij ${missing} van ${students} ontbreekt iets volgens de afspraken van dit schooljaar.`
                : `Bij geen van uw ${students} ontbreekt iets volgens de afspraken van dit schooljaar.`,
            ]);
          }
          if (role === 'sco') {
            const school = placements[0]!.school;
            const missing = placements.filter((p) => saysMissing(countsAt(week.year, p.student.name, monday))).length;
            expect(itemTexts(section(digest, `Schooloverzicht ${school}`)), at).toEqual([
              'Studenten: 3',
              ...(judged ? [`Met een ingediende kijkwijzer in ${op}: ${SCHOOL_COUNTS[week.period][school]}`] : []),
              `Met iets dat ontbreekt volgens de afspraken van dit schooljaar: ${missing}`,
              ...(school === MONTESSORI ? [`Onbestelbaar: ${EVA_UNDELIVERABLE}`] : []),
            ]);
            checked.sco += 1;
          }
        }
      }
      // Both IOs' rows of all 6 students, both SOs' rows of all 6, both schools' summaries.
      expect(checked, monday).toEqual({ io: 6, so: 6, sco: 2 });
    }
  });

  it('never calls a student "achter", and on the first day of a period calls nothing of that period missing', () => {
    for (const monday of allMondays) {
      const week = weekOf(monday);
      const d = demoOf(week.year);
      const ctx = context(d, 'weekly', parseInstant(`${monday}T07:00`), d.year.periods[week.period - 1]!, week.between ?? false);
      const firstDay = !week.between && d.year.periods[week.period - 1]!.start === monday;
      for (const who of recipients(d.model, { suppressed: SUPPRESSED })) {
        const text = textOf(emailOf(who, ctx));
        expect(text, `${monday} ${who.email}`).not.toMatch(/\bachter\b/i);
        if (firstDay) {
          const ofThisPeriod = {
            1: ['kennismakingsgesprek ontbreekt'],
            2: ['tussentijds gesprek ontbreekt'],
            3: ['tussentijds gesprek ontbreekt', 'kijkwijzers ontbreken'],
            4: ['gesprek in OP4 ontbreekt', 'eindgesprek (CGI) ontbreekt'],
          }[week.period];
          for (const phrase of ofThisPeriod) expect(text, `${monday} ${who.email}`).not.toContain(phrase);
        }
      }
    }
    // The eight periods of both years start on a Monday: each first day was checked.
    expect(allMondays.filter((monday) => schoolYears.some((y) => y.periods.some((p) => p.start === monday)))).toHaveLength(8);
  });

  it('shows each student and each WPB the counts of the year', () => {
    for (const monday of allMondays) {
      const week = weekOf(monday);
      const d = demoOf(week.year);
      const ctx = context(d, 'weekly', parseInstant(`${monday}T07:00`), d.year.periods[week.period - 1]!, week.between ?? false);
      for (const who of recipients(d.model, { suppressed: SUPPRESSED })) {
        const at = `${monday} ${who.email}`;
        const digest = emailOf(who, ctx);
        for (const { role, placements } of who.roles) {
          if (role === 'student') {
            const line = countsAt(week.year, who.name, monday);
            expect(section(digest, `Jouw voortgang in schooljaar ${week.year}`).paragraphs, at).toEqual([`${line.charAt(0).toUpperCase()}${line.slice(1)}.`]);
          }
          if (role === 'wpb') {
            const heading = placements.length === 1 ? `Voortgang van ${placements[0]!.student.name}` : 'Voortgang van uw studenten';
            expect(itemTexts(section(digest, heading)), at).toEqual(placements.map((p) => `${p.student.name}: ${countsAt(week.year, p.student.name, monday)}`));
          }
        }
      }
    }
  });

  it("lists for the WPB the appointments of their students in the coming seven days, never a cancelled one", () => {
    const kennismaking = (day: string) => `${day} van 10:00 tot 11:00: driehoeksgesprek (kennismakingsgesprek) met Zoë de Vries (met WPB en IO)`;
    const tussentijds = (day: string) => `${day} van 13:00 tot 14:00: driehoeksgesprek (tussentijds gesprek) met Zoë de Vries (met WPB en IO)`;
    const visit = (day: string) => `${day} van 09:00 tot 09:50: lesbezoek bij Zoë de Vries, klas H2b (met WPB en SO)`;
    // Only Jan, Zoë's WPB; the cancelled lesbezoek of the next day never shows.
    const expected: Record<string, string[]> = {
      '2024-10-07': [kennismaking('maandag 7 oktober 2024')],
      '2024-12-02': [visit('woensdag 4 december 2024')],
      '2025-03-10': [tussentijds('donderdag 13 maart 2025')],
      '2025-10-06': [kennismaking('maandag 6 oktober 2025')],
      '2025-12-01': [visit('woensdag 3 december 2025')],
      '2026-03-09': [tussentijds('donderdag 12 maart 2026')],
    };
    const heading = 'Afspraken in de komende zeven dagen';
    for (const monday of allMondays) {
      const week = weekOf(monday);
      const d = demoOf(week.year);
      const ctx = context(d, 'weekly', parseInstant(`${monday}T07:00`), d.year.periods[week.period - 1]!, week.between ?? false);
      for (const who of recipients(d.model, { suppressed: SUPPRESSED })) {
        const digest = emailOf(who, ctx);
        const shown = hasSection(digest, heading) ? itemTexts(section(digest, heading)) : [];
        expect(shown, `${monday} ${who.email}`).toEqual(who.email === jan.email ? (expected[monday] ?? []) : []);
      }
    }
  });

  it('lists no appointment whose end has passed, and one later that day that has not', () => {
    const d = demoOf('2025-2026');
    const jans = personOf(recipients(d.model), jan.email);
    const at = (instant: string) => {
      const digest = emailOf(jans, context(d, 'weekly', parseInstant(instant), d.year.periods[0]!));
      return hasSection(digest, 'Afspraken in de komende zeven dagen') ? itemTexts(section(digest, 'Afspraken in de komende zeven dagen')) : [];
    };

    expect(at('2025-10-06T10:59')).toHaveLength(1);
    expect(at('2025-10-06T11:00')).toEqual([]);
  });

  it('shows the next period and its start between periods (2024-11-18: OP2 from 25 November)', () => {
    const now = parseInstant('2024-11-18T07:00');
    const where = digestPeriod(now, schoolYears)!;
    const d = demoOf('2024-2025');
    const zoe = studentOf(recipients(d.model), 'Zoë de Vries');

    const digest = emailOf(zoe, context(d, 'weekly', now, where.period, where.between));

    expect([where.year.id, where.period.number, where.between]).toEqual(['2024-2025', 2, true]);
    expect(digest.subject).toBe('Werkplekleren N2: periode 2 (OP2) begint maandag 25 november 2024');
    expect(textOf(digest)).toContain('Periode 1 (OP1) is afgelopen. Periode 2 (OP2) begint maandag 25 november 2024');
    expect(itemTexts(section(digest, 'Jouw taken in periode 2 (OP2), vanaf maandag 25 november 2024'))).toEqual([
      'Laat je werkplekbegeleider je lessen observeren en vraag om feedback op je ontwikkeling tot professional.',
      'Didactiek N2 Lesgeven met ICT: ontwikkel en evalueer je digitale leerarrangement; je werkplekbegeleider ondersteunt je daarbij.',
      'Voer een gesprek met je werkplekbegeleider aan de hand van de kijkwijzers die je werkplekbegeleider heeft ingevuld.',
    ]);
  });

  it('in the summer says that the school year and the stage begin, and when, not "tussen twee onderwijsperiodes"', () => {
    const now = parseInstant('2024-08-12T07:00');
    const where = digestPeriod(now, schoolYears)!;
    const d = demoOf('2024-2025');
    const zoe = studentOf(recipients(d.model), 'Zoë de Vries');

    const text = textOf(emailOf(zoe, context(d, 'weekly', now, where.period, where.between)));

    expect([where.year.id, where.period.number, where.between]).toEqual(['2024-2025', 1, true]);
    expect(text).toContain('Schooljaar 2024-2025 van werkplekleren N2 komt eraan: de stage begint maandag 26 augustus 2024. Periode 1 (OP1) begint maandag 9 september 2024');
    expect(text).not.toContain('tussen twee onderwijsperiodes');
  });

  it('on the day the stage starts says so', () => {
    const now = parseInstant('2024-08-26T07:00');
    const where = digestPeriod(now, schoolYears)!;
    const d = demoOf('2024-2025');
    const zoe = studentOf(recipients(d.model), 'Zoë de Vries');

    const text = textOf(emailOf(zoe, context(d, 'weekly', now, where.period, where.between)));

    expect(text).toContain('Vandaag begint de stage van schooljaar 2024-2025 van werkplekleren N2. Periode 1 (OP1) begint maandag 9 september 2024');
  });

  it('before the stage starts puts the checklist of seed 001 first, "voor de start van de stage op" its date, and leaves it out of the OP1 tasks', () => {
    const now = parseInstant('2024-08-12T07:00');
    const where = digestPeriod(now, schoolYears)!;
    const d = demoOf('2024-2025');

    const digest = emailOf(personOf(recipients(d.model), saskia.email), context(d, 'weekly', now, where.period, where.between));

    expect(sectionsOf(digest).map((s) => s.heading)).toEqual([
      'Werkplekbegeleider (WPB): voor de start van de stage op maandag 26 augustus 2024',
      'Werkplekbegeleider (WPB): uw taken in periode 1 (OP1), vanaf maandag 9 september 2024',
      'Voortgang van Lotte de Boer',
      'Schoolopleider (SO): voor de start van de stage op maandag 26 augustus 2024',
      'Schoolopleider (SO): uw taken in periode 1 (OP1), vanaf maandag 9 september 2024',
      'Uw studenten op Wolfert van Borselen',
    ]);
    expect(section(digest, 'Schoolopleider (SO): voor de start van de stage op maandag 26 augustus 2024')).toEqual({
      heading: 'Schoolopleider (SO): voor de start van de stage op maandag 26 augustus 2024',
      paragraphs: ['Voor Ahmed Yilmaz, Lotte de Boer en Zoë de Vries (Wolfert van Borselen).'],
      items: [
        { text: 'Heet de student voor de start van de stage welkom in de scholengroep met een intakegesprek, samen met de werkplekbegeleider.' },
        { text: 'Schrijf de student in bij de scholengemeenschap en vraag de benodigde spullen en inlogcodes aan.' },
        { text: 'Geef de student een rondleiding door de school, deel sleutels uit en maak de student wegwijs in de school.' },
        { text: 'Maak duidelijke afspraken met de student over verzuim en bij wie de student zich moet melden.' },
      ],
    });
    expect(itemTexts(section(digest, 'Schoolopleider (SO): uw taken in periode 1 (OP1), vanaf maandag 9 september 2024'))).not.toContain(
      'Schrijf de student in bij de scholengemeenschap en vraag de benodigde spullen en inlogcodes aan.',
    );
  });

  it('from the day the stage starts shows the checklist among the OP1 tasks again, and never in 2025-2026 (no stage start stored)', () => {
    const d = demoOf('2024-2025');
    const onStart = parseInstant('2024-08-26T07:00');
    const so = itemTexts(section(emailOf(personOf(recipients(d.model), saskia.email), context(d, 'weekly', onStart, d.year.periods[0]!, true)), 'Schoolopleider (SO): uw taken in periode 1 (OP1), vanaf maandag 9 september 2024'));

    expect(so).toEqual(tasksInFile('2024-2025', 'so', 1));
    expect(so).toContain('Schrijf de student in bij de scholengemeenschap en vraag de benodigde spullen en inlogcodes aan.');

    const d25 = demoOf('2025-2026');
    const summer = parseInstant('2025-08-04T07:00');
    const text = textOf(emailOf(personOf(recipients(d25.model), saskia.email), context(d25, 'weekly', summer, d25.year.periods[0]!, true)));
    expect(text).not.toContain('voor de start van de stage op');
  });

  it('writes the weekly subject in Dutch with the period, and the deadline as a Dutch date', () => {
    const now = parseInstant('2026-01-26T07:00');
    const d = demoOf('2025-2026');
    const jans = personOf(recipients(d.model), jan.email);

    const digest = emailOf(jans, context(d, 'weekly', now, d.year.periods[1]!));

    expect(digest.subject).toBe('Werkplekleren N2: uw taken in periode 2 (OP2)');
    expect(textOf(digest)).toContain('De deadline is woensdag 4 februari 2026.');
    expect(renderEmail(digest.content).html).toContain('<h2');
  });
});

describe('the whole weekly email of each role, on Monday 1 December 2025 (OP2 of 2025-2026)', () => {
  const d = demoOf('2025-2026');
  const ctx = context(d, 'weekly', parseInstant('2025-12-01T07:00'), d.year.periods[1]!);
  const people = recipients(d.model, { suppressed: SUPPRESSED });
  const intro = (your: string) => `Dit is ${your} overzicht van werkplekleren N2 voor periode 2 (OP2) van schooljaar 2025-2026. De deadline is woensdag 4 februari 2026.`;
  const tasks = (role: Role) => tasksInFile('2025-2026', role, 2).map((text) => ({ text }));
  // The counts on that Monday: Zoë held her kennismaking on 6 October and has her tussentijds gesprek
  // and a lesbezoek (3 December) planned; nobody else has had a kennismaking, and OP1 has ended.
  const talksNone = 'driehoeksgesprekken: kennismakingsgesprek ontbreekt (hoorde in OP1), tussentijds gesprek nog te plannen (OP2 of OP3)';
  const counts = {
    zoe: 'lesbezoeken WPB 1 van 2 (1 gepland), SO 0 van 1 (1 gepland); driehoeksgesprekken: kennismakingsgesprek gehouden op 6 oktober, tussentijds gesprek gepland op 12 maart; kijkwijzers nog nodig: didactiek en vakdidactiek (vóór het einde van OP3)',
    ahmed: `lesbezoeken WPB 0 van 2, SO 0 van 1; ${talksNone}; kijkwijzers nog nodig: pedagogiek, didactiek en vakdidactiek (vóór het einde van OP3)`,
    lotte: `lesbezoeken WPB 1 van 2, SO 1 van 1; ${talksNone}; kijkwijzers nog nodig: didactiek (vóór het einde van OP3)`,
    daan: `lesbezoeken WPB 1 van 2, SO 0 van 1; ${talksNone}; kijkwijzers nog nodig: pedagogiek en vakdidactiek (vóór het einde van OP3)`,
    noor: `lesbezoeken WPB 0 van 2, SO 0 van 1; ${talksNone}; kijkwijzers nog nodig: pedagogiek, didactiek en vakdidactiek (vóór het einde van OP3)`,
  };

  it("tells a student their tasks, the kijkwijzer types still missing, their open requests, and links their page and its calendar", () => {
    const digest = emailOf(studentOf(people, 'Zoë de Vries'), ctx);

    expect(digest.subject).toBe('Werkplekleren N2: jouw taken in periode 2 (OP2)');
    expect(digest.content).toEqual({
      to: 'zoe.1000001@student.hr.nl',
      subject: 'Werkplekleren N2: jouw taken in periode 2 (OP2)',
      greeting: 'Beste Zoë de Vries,',
      paragraphs: [intro('jouw')],
      sections: [
        {
          heading: 'Jouw taken in periode 2 (OP2)',
          items: tasks('student'),
          links: [{ label: 'Zet de deadlines in je agenda', url: `${pageLink('2025-2026', '1000001')}/agenda.ics` }],
        },
        {
          heading: 'Kijkwijzers die nog ontbreken (vóór het einde van periode 3)',
          paragraphs: [
            'Elk van deze kijkwijzers moet vóór het einde van periode 3 (OP3) minstens één keer ingediend zijn. Vraag er een aan via Mijn werkplekleren.',
          ],
          items: [{ text: 'Kijkwijzer didactiek' }, { text: 'Kijkwijzer vakdidactiek' }],
        },
        {
          heading: 'Jouw voortgang in schooljaar 2025-2026',
          paragraphs: [
            'Lesbezoeken WPB 1 van 2 (1 gepland), SO 0 van 1 (1 gepland); driehoeksgesprekken: kennismakingsgesprek gehouden op 6 oktober, tussentijds gesprek gepland op 12 maart; kijkwijzers nog nodig: didactiek en vakdidactiek (vóór het einde van OP3).',
          ],
        },
        {
          heading: 'Je aanvragen die nog openstaan',
          items: [
            { text: "Kijkwijzer didactiek bij Jan van 't Hek (werkplekbegeleider): gevraagd, nog niet ingevuld" },
            { text: 'Kijkwijzer vakdidactiek bij Saskia Bakker (schoolopleider), les van maandag 24 november 2025, klas H2b: concept opgeslagen, nog niet ingediend' },
          ],
        },
      ],
      action: { label: 'Mijn werkplekleren', url: pageLink('2025-2026', '1000001') },
      footer:
        'Je krijgt deze e-mail als student (Nederlands, Wolfert van Borselen) bij werkplekleren N2 (schooljaar 2025-2026) van Hogeschool Rotterdam. Vragen? Neem contact op met je instituutsopleider, Ivo Jansen (ivo.jansen@hr.example.nl).',
    });
  });

  it('gives the SO who is also a WPB her form, her tasks as both, and her students with their counts', () => {
    const digest = emailOf(personOf(people, saskia.email), ctx);

    expect(digest.content).toEqual({
      to: 'saskia.bakker@wolfert.example.nl',
      subject: 'Werkplekleren N2: uw taken in periode 2 (OP2)',
      greeting: 'Beste Saskia Bakker,',
      paragraphs: [intro('uw')],
      sections: [
        {
          heading: 'Formulieren die op u wachten',
          paragraphs: [
            'Elke link opent uw eigen formulier, zonder account; een opgeslagen concept staat er nog in. Invullen kan tot en met woensdag 4 februari 2026.',
          ],
          items: [
            {
              text: 'Kijkwijzer vakdidactiek voor Zoë de Vries (Nederlands, Wolfert van Borselen), les van maandag 24 november 2025, klas H2b: concept opgeslagen, nog niet ingediend',
              link: { label: 'Formulier openen', url: formLink('2025-2026', 3) },
            },
          ],
        },
        { heading: 'Werkplekbegeleider (WPB): uw taken in periode 2 (OP2)', paragraphs: ['Voor Lotte de Boer (Wolfert van Borselen).'], items: tasks('wpb') },
        { heading: 'Voortgang van Lotte de Boer', items: [{ text: `Lotte de Boer: ${counts.lotte}` }] },
        {
          heading: 'Kijkwijzers die Lotte de Boer nog mist (vóór het einde van periode 3)',
          paragraphs: [
            'Elk van deze kijkwijzers moet vóór het einde van periode 3 (OP3) minstens één keer ingevuld zijn. U zorgt daar samen met de student voor; de student vraagt ze aan.',
          ],
          items: [{ text: 'Kijkwijzer didactiek' }],
        },
        {
          heading: 'Schoolopleider (SO): uw taken in periode 2 (OP2)',
          paragraphs: ['Voor Ahmed Yilmaz, Lotte de Boer en Zoë de Vries (Wolfert van Borselen).'],
          items: tasks('so'),
        },
        {
          heading: 'Uw studenten op Wolfert van Borselen',
          paragraphs: ['Nog geen lesbezoek van de schoolopleider (met ingediende kijkwijzer) dit schooljaar: 2 van 3 studenten.'],
          items: [
            { text: `Ahmed Yilmaz (Nederlands, WPB Jan van 't Hek): ${counts.ahmed}` },
            { text: `Lotte de Boer (Engels, WPB Saskia Bakker): ${counts.lotte}` },
            { text: `Zoë de Vries (Nederlands, WPB Jan van 't Hek): ${counts.zoe}` },
          ],
        },
      ],
      footer:
        'U krijgt deze e-mail als werkplekbegeleider van Lotte de Boer (Wolfert van Borselen) en schoolopleider van Ahmed Yilmaz, Lotte de Boer en Zoë de Vries (Wolfert van Borselen) bij werkplekleren N2 (schooljaar 2025-2026) van Hogeschool Rotterdam. Vragen als schoolopleider? Neem contact op met de instituutsopleider, Ivo Jansen (ivo.jansen@hr.example.nl), of met de regiocoördinator OSR (Opleidingsschool Rotterdam).',
    });
  });

  it('gives the IO the forms of each student this period and their counts, and how many miss something by the year\'s rules', () => {
    const digest = emailOf(personOf(people, ivo.email), ctx);

    expect(digest.content).toEqual({
      to: 'ivo.jansen@hr.example.nl',
      subject: 'Werkplekleren N2: uw taken in periode 2 (OP2)',
      greeting: 'Beste Ivo Jansen,',
      paragraphs: [intro('uw')],
      sections: [
        {
          heading: 'Instituutsopleider (IO): uw taken in periode 2 (OP2)',
          paragraphs: ['Voor 5 studenten (Montessori Lyceum Rotterdam en Wolfert van Borselen).'],
          items: tasks('io'),
        },
        {
          heading: 'Voortgang van uw studenten in periode 2 (OP2)',
          paragraphs: ['Bij 4 van 5 studenten ontbreekt iets volgens de afspraken van dit schooljaar.'],
          items: [
            { text: `Daan Kok (Wiskunde, Montessori Lyceum Rotterdam): 0 formulieren ingediend, 0 open; ${counts.daan}` },
            { text: `Noor Bakker (Biologie, Montessori Lyceum Rotterdam): 0 formulieren ingediend, 0 open; ${counts.noor}` },
            { text: `Ahmed Yilmaz (Nederlands, Wolfert van Borselen): 0 formulieren ingediend, 1 open; ${counts.ahmed}` },
            { text: `Lotte de Boer (Engels, Wolfert van Borselen): 1 formulier ingediend, 0 open; ${counts.lotte}` },
            { text: `Zoë de Vries (Nederlands, Wolfert van Borselen): 0 formulieren ingediend, 2 open; ${counts.zoe}` },
          ],
        },
      ],
      footer:
        'U krijgt deze e-mail als instituutsopleider van 5 studenten (Montessori Lyceum Rotterdam en Wolfert van Borselen) bij werkplekleren N2 (schooljaar 2025-2026) van Hogeschool Rotterdam. Vragen? Neem contact op met de coördinator werkplekleren N2 van Hogeschool Rotterdam.',
    });
  });

  it('gives the SCO the school summary with the undeliverable address, and both IOs to ask', () => {
    const digest = emailOf(personOf(people, henk.email), ctx);

    expect(digest.content).toEqual({
      to: 'henk.jansen@montessori.example.nl',
      subject: 'Werkplekleren N2: uw taken in periode 2 (OP2)',
      greeting: 'Beste Henk Jansen,',
      paragraphs: [intro('uw')],
      sections: [
        {
          heading: 'Schoolcoördinator (SCO): uw taken in periode 2 (OP2)',
          paragraphs: ['Voor Daan Kok, Noor Bakker en Sem de Groot (Montessori Lyceum Rotterdam).'],
          items: tasks('sco'),
        },
        {
          heading: 'Schooloverzicht Montessori Lyceum Rotterdam',
          paragraphs: [
            'Onze e-mail aan onbestelbare adressen kwam niet aan (teruggestuurd of als spam gemeld). Ze krijgen geen e-mail meer totdat het adres in het rooster is verbeterd.',
          ],
          items: [
            { text: 'Studenten: 3' },
            { text: 'Met een ingediende kijkwijzer in OP2: 0' },
            { text: 'Met iets dat ontbreekt volgens de afspraken van dit schooljaar: 3' },
            { text: `Onbestelbaar: ${EVA_UNDELIVERABLE}` },
          ],
        },
      ],
      footer:
        'U krijgt deze e-mail als schoolcoördinator van Daan Kok, Noor Bakker en Sem de Groot (Montessori Lyceum Rotterdam) bij werkplekleren N2 (schooljaar 2025-2026) van Hogeschool Rotterdam. Vragen? Neem contact op met de instituutsopleiders Ivo Jansen (ivo.jansen@hr.example.nl) en Mila Dekker (mila.dekker@hr.example.nl), of met de regiocoördinator OSR (Opleidingsschool Rotterdam).',
    });
  });

  it('between periods tells the IO the period has not begun, with the counts of the year, and lists the undeliverable address', () => {
    const between = context(d, 'weekly', parseInstant('2025-11-17T07:00'), d.year.periods[1]!, true);

    const digest = emailOf(personOf(people, mila.email), between);

    expect(digest.content.sections).toEqual([
      {
        heading: 'Instituutsopleider (IO): uw taken in periode 2 (OP2), vanaf maandag 24 november 2025 (afgeleid)',
        paragraphs: ['Voor Sem de Groot (Montessori Lyceum Rotterdam).'],
        items: tasks('io'),
      },
      {
        heading: 'Voortgang van uw studenten in periode 2 (OP2)',
        paragraphs: ['Deze periode is nog niet begonnen; hieronder staat wat er al is gevraagd of ingediend.'],
        items: [
          {
            text: 'Sem de Groot (Geschiedenis, Montessori Lyceum Rotterdam): 0 formulieren ingediend, 1 open; lesbezoeken WPB 0 van 2, SO 0 van 1; driehoeksgesprekken: kennismakingsgesprek ontbreekt (hoorde in OP1); kijkwijzers nog nodig: pedagogiek, didactiek en vakdidactiek (vóór het einde van OP3)',
          },
        ],
      },
      {
        heading: 'Onbestelbare e-mailadressen',
        paragraphs: [
          'Onze e-mail aan deze adressen kwam niet aan (teruggestuurd of als spam gemeld). Ze krijgen geen e-mail meer totdat het adres in het rooster is verbeterd.',
        ],
        items: [{ text: EVA_UNDELIVERABLE }],
      },
    ]);
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
    const digest = emailOf(personOf(people, saskia.email), context(d, 'weekly', parseInstant('2025-12-01T07:00'), d.year.periods[1]!));
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
    const digest = emailOf(jans[0]!, context(d, 'weekly', parseInstant('2025-12-01T07:00'), d.year.periods[1]!));
    expect(section(digest, 'Werkplekbegeleider (WPB): uw taken in periode 2 (OP2)').paragraphs).toEqual(['Voor Ahmed Yilmaz en Zoë de Vries (Wolfert van Borselen).']);
    expect(digest.content.footer).toContain('Vragen? Neem contact op met de schoolopleider van uw school, Saskia Bakker');
  });

  it('gives the IO of five students one email, with the IO coordinator to ask', () => {
    const ivos = people.filter((p) => p.email === ivo.email);

    expect(ivos).toHaveLength(1);
    expect(ivos[0]!.roles.map((r) => [r.role, r.placements.length])).toEqual([['io', 5]]);
    const digest = emailOf(ivos[0]!, context(d, 'weekly', parseInstant('2025-12-01T07:00'), d.year.periods[1]!));
    expect(digest.content.footer).toContain('als instituutsopleider van 5 studenten (Montessori Lyceum Rotterdam en Wolfert van Borselen)');
    expect(digest.content.footer).toContain('Neem contact op met de coördinator werkplekleren N2');
  });

  it('tells a student whom to ask: their IO', () => {
    const zoe = studentOf(people, 'Zoë de Vries');

    const digest = emailOf(zoe, context(d, 'weekly', parseInstant('2025-12-01T07:00'), d.year.periods[1]!));

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
    const henks = emailOf(personOf(people, henk.email), ctx);
    const milas = emailOf(personOf(people, mila.email), ctx);
    const fatimas = emailOf(personOf(people, fatima.email), ctx);
    const ivos = emailOf(personOf(people, ivo.email), ctx);

    const undeliverable = (digest: Digest, heading: string) => itemTexts(section(digest, heading)).filter((text) => text.startsWith('Onbestelbaar'));
    expect(undeliverable(henks, `Schooloverzicht ${MONTESSORI}`)).toEqual([
      'Onbestelbaar: eva.visser@montessori.example.nl (Eva Visser, werkplekbegeleider van Sem de Groot)',
    ]);
    expect(itemTexts(section(milas, 'Onbestelbare e-mailadressen'))).toEqual([
      'eva.visser@montessori.example.nl (Eva Visser, werkplekbegeleider van Sem de Groot)',
    ]);
    expect(undeliverable(fatimas, `Schooloverzicht ${WOLFERT}`)).toEqual([]);
    expect(hasSection(ivos, 'Onbestelbare e-mailadressen')).toBe(false);
  });

  it("still shows the student their request to that WPB, and the student without a page link gets no button", () => {
    const sem = emailOf(studentOf(people, 'Sem de Groot'), ctx);

    expect(itemTexts(section(sem, 'Je aanvragen die nog openstaan'))).toEqual(['Kijkwijzer pedagogiek bij Eva Visser (werkplekbegeleider): gevraagd, nog niet ingevuld']);
    expect(sem.content.action).toBeUndefined();
  });
});

describe('the WPB advice and drafts', () => {
  const d = demoOf('2025-2026');

  it('asks for the advice when an advies-wpb request is open, with its own link', () => {
    const karins = personOf(recipients(d.model), karin.email);

    const digest = emailOf(karins, context(d, 'weekly', parseInstant('2026-05-04T07:00'), d.year.periods[3]!));
    const forms = section(digest, 'Formulieren die op u wachten');

    expect(forms.paragraphs).toEqual([
      'Elke link opent uw eigen formulier, zonder account; een opgeslagen concept staat er nog in. Invullen kan tot en met vrijdag 29 mei 2026.',
      'Uw advies over Daan Kok wordt in deze periode verwacht: uw onderbouwde, formatieve advies over de ontwikkeling van de student, voor de schoolopleider en de instituutsopleider. Het weegt zwaar mee in de eindbeoordeling.',
    ]);
    expect(forms.items).toEqual([
      {
        text: 'Advies van de werkplekbegeleider voor Daan Kok (Wiskunde, Montessori Lyceum Rotterdam): gevraagd, nog niet ingevuld',
        link: { label: 'Formulier openen', url: formLink('2025-2026', 8) },
      },
    ]);
  });

  it("links a draft to the request's existing link, so the draft carries over", () => {
    const saskias = personOf(recipients(d.model), saskia.email);

    const digest = emailOf(saskias, context(d, 'weekly', parseInstant('2025-12-01T07:00'), d.year.periods[1]!));

    expect(section(digest, 'Formulieren die op u wachten').items).toEqual([
      {
        text: 'Kijkwijzer vakdidactiek voor Zoë de Vries (Nederlands, Wolfert van Borselen), les van maandag 24 november 2025, klas H2b: concept opgeslagen, nog niet ingediend',
        link: { label: 'Formulier openen', url: formLink('2025-2026', 3) },
      },
    ]);
  });

  it('does not send a link again that staff revoked (the observer waits for a new one)', () => {
    const requests = d.requests.map((r) => (r.linkId === formLinkId('2025-2026', 3) ? { ...r, linkRevokedAt: '2025-11-30T10:00:00Z' } : r));
    const revoked = { ...d, model: yearModel(yearItems({ placements: d.placements, requests, studentLinks: d.links })) };
    const saskias = personOf(recipients(revoked.model), saskia.email);

    const digest = emailOf(saskias, context(revoked, 'weekly', parseInstant('2025-12-01T07:00'), d.year.periods[1]!));

    expect(hasSection(digest, 'Formulieren die op u wachten')).toBe(false);
    expect(formLinksIn(textOf(digest))).toEqual([]);
  });
});

describe('deadline reminders', () => {
  const STAFF_ALWAYS = ['Bram Mulder', 'Fatima El Amrani', 'Henk Jansen', 'Ivo Jansen', 'Mila Dekker', 'Saskia Bakker'];
  const ALL_STUDENTS = ['Ahmed Yilmaz', 'Daan Kok', 'Lotte de Boer', 'Noor Bakker', 'Sem de Groot', 'Zoë de Vries'];
  /**
   * Who has something open or missing when a period's reminders go out: the SOs always (students
   * whose SO lesbezoek is still to do), the IOs always (a form open this period or, from OP2, a
   * kennismaking missing; Mila for the undeliverable address), Henk always (the undeliverable
   * address), Fatima from OP2 (in OP1 nothing at her school is missing yet: no "achter" on the
   * first days), a WPB and a student only with an open request (in 2025-2026 every student misses
   * a kijkwijzer type until OP3's end).
   */
  const REMINDED: Record<string, PerPeriod<string[]>> = {
    '2024-2025': {
      1: [...STAFF_ALWAYS.filter((name) => name !== 'Fatima El Amrani'), 'Ahmed Yilmaz', "Jan van 't Hek"],
      2: [...STAFF_ALWAYS, 'Ahmed Yilmaz', "Jan van 't Hek", 'Sem de Groot', 'Zoë de Vries'],
      3: [...STAFF_ALWAYS, 'Daan Kok', 'Karin de Wit', 'Noor Bakker'],
      4: [...STAFF_ALWAYS, 'Noor Bakker', 'Pieter Smit'],
    },
    '2025-2026': {
      1: [...STAFF_ALWAYS.filter((name) => name !== 'Fatima El Amrani'), ...ALL_STUDENTS, "Jan van 't Hek"],
      2: [...STAFF_ALWAYS, ...ALL_STUDENTS, "Jan van 't Hek"],
      3: [...STAFF_ALWAYS, ...ALL_STUDENTS],
      4: [...STAFF_ALWAYS, 'Daan Kok', 'Karin de Wit', 'Noor Bakker', 'Pieter Smit'],
    },
  };
  /**
   * The due days: 14 and 3 days before each deadline of school-years.json, and the deadline as the
   * body writes it (the deadlines of OP1-OP3 of 2024-2025 are derived: the seed names none, and the
   * body says so with the reason).
   */
  const DUE: [string, string, 1 | 2 | 3 | 4, 14 | 3, string, string?][] = [
    ['2024-11-01', '2024-2025', 1, 14, 'vrijdag 15 november 2024', 'vrijdag 15 november 2024 (afgeleid: De tekst noemt geen deadline per periode; de laatste dag van de periode is gebruikt)'],
    ['2024-11-12', '2024-2025', 1, 3, 'vrijdag 15 november 2024', 'vrijdag 15 november 2024 (afgeleid: De tekst noemt geen deadline per periode; de laatste dag van de periode is gebruikt)'],
    ['2025-01-24', '2024-2025', 2, 14, 'vrijdag 7 februari 2025', 'vrijdag 7 februari 2025 (afgeleid: De tekst noemt geen deadline per periode; de laatste dag van de periode is gebruikt)'],
    ['2025-02-04', '2024-2025', 2, 3, 'vrijdag 7 februari 2025', 'vrijdag 7 februari 2025 (afgeleid: De tekst noemt geen deadline per periode; de laatste dag van de periode is gebruikt)'],
    ['2025-04-11', '2024-2025', 3, 14, 'vrijdag 25 april 2025', 'vrijdag 25 april 2025 (afgeleid: De tekst noemt geen deadline per periode; de laatste dag van de periode is gebruikt)'],
    ['2025-04-22', '2024-2025', 3, 3, 'vrijdag 25 april 2025', 'vrijdag 25 april 2025 (afgeleid: De tekst noemt geen deadline per periode; de laatste dag van de periode is gebruikt)'],
    ['2025-05-21', '2024-2025', 4, 14, 'woensdag 4 juni 2025'],
    ['2025-06-01', '2024-2025', 4, 3, 'woensdag 4 juni 2025'],
    ['2025-10-29', '2025-2026', 1, 14, 'woensdag 12 november 2025'],
    ['2025-11-09', '2025-2026', 1, 3, 'woensdag 12 november 2025'],
    ['2026-01-21', '2025-2026', 2, 14, 'woensdag 4 februari 2026'],
    ['2026-02-01', '2025-2026', 2, 3, 'woensdag 4 februari 2026'],
    ['2026-04-08', '2025-2026', 3, 14, 'woensdag 22 april 2026'],
    ['2026-04-19', '2025-2026', 3, 3, 'woensdag 22 april 2026'],
    ['2026-05-15', '2025-2026', 4, 14, 'vrijdag 29 mei 2026'],
    ['2026-05-26', '2025-2026', 4, 3, 'vrijdag 29 mei 2026'],
  ];

  it('are due on exactly the 16 days 14 and 3 days before a deadline of 2024-2025 and 2025-2026', () => {
    const due: [string, string, number, number][] = [];
    for (const start of [2024, 2025]) {
      for (let day = Temporal.PlainDate.from({ year: start, month: 8, day: 1 }); day.year === start || day.month <= 7; day = day.add({ days: 1 })) {
        const reminder = deadlineReminderDue(parseInstant(`${day}T07:00`), schoolYears);
        if (reminder) due.push([day.toString(), reminder.year.id, reminder.period.number, reminder.days]);
      }
    }

    expect(due).toEqual(DUE.map(([day, year, period, days]) => [day, year, period, days]));
  });

  it.each(DUE)('on %s (%s OP%i, %i days before) go only to whoever has something open, with the days left and no tasks', (day, yearId, period, days, deadline, inBody = deadline) => {
    const d = demoOf(yearId);
    const ctx = { ...context(d, 'deadline', parseInstant(`${day}T07:00`), d.year.periods[period - 1]!), daysToDeadline: days };
    const sent: string[] = [];

    for (const who of recipients(d.model, { suppressed: SUPPRESSED })) {
      const digest = digestFor(who, ctx);
      if (digest === null) continue;
      sent.push(who.name);
      const informal = who.roles.every((r) => r.role === 'student');
      expect(digest.subject, who.email).toBe(`Herinnering: deadline ${deadline} (nog ${days} dagen)`);
      expect(digest.content.paragraphs, who.email).toEqual([
        `Nog ${days} dagen: ${inBody} is de deadline van periode ${period} (OP${period}) van werkplekleren N2. Hieronder staat wat er voor ${informal ? 'je' : 'u'} nog openstaat.`,
      ]);
      expect(sectionsOf(digest).filter((s) => s.heading.includes('uw taken') || s.heading.includes('Jouw taken')), who.email).toEqual([]);
      expect(sectionsOf(digest).flatMap((s) => s.items ?? []).length, who.email).toBeGreaterThan(0);
    }

    expect(sent.sort()).toEqual([...REMINDED[yearId]![period]].sort());
  });

  it('show staff only what needs attention: the forms, the students with their counts, how many miss something', () => {
    const d = demoOf('2025-2026');
    const ctx = { ...context(d, 'deadline', parseInstant('2026-02-01T07:00'), d.year.periods[1]!), daysToDeadline: 3 };
    const people = recipients(d.model, { suppressed: SUPPRESSED });

    const jans = emailOf(personOf(people, jan.email), ctx);
    const saskias = emailOf(personOf(people, saskia.email), ctx);
    const ivos = emailOf(personOf(people, ivo.email), ctx);
    const henks = emailOf(personOf(people, henk.email), ctx);

    expect(jans.content.sections).toEqual([
      {
        heading: 'Formulieren die op u wachten',
        paragraphs: ['Elke link opent uw eigen formulier, zonder account; een opgeslagen concept staat er nog in. Invullen kan tot en met woensdag 4 februari 2026.'],
        items: [
          {
            text: 'Kijkwijzer didactiek voor Zoë de Vries (Nederlands, Wolfert van Borselen): gevraagd, nog niet ingevuld',
            link: { label: 'Formulier openen', url: formLink('2025-2026', 2) },
          },
          {
            text: 'Kijkwijzer pedagogiek voor Ahmed Yilmaz (Nederlands, Wolfert van Borselen): concept opgeslagen, nog niet ingediend',
            link: { label: 'Formulier openen', url: formLink('2025-2026', 4) },
          },
        ],
      },
    ]);
    // 1 February 2026: Zoë's lesbezoek has been held (no form yet), the rest as on 1 December.
    const talksNone = 'driehoeksgesprekken: kennismakingsgesprek ontbreekt (hoorde in OP1), tussentijds gesprek nog te plannen (OP2 of OP3)';
    const zoe =
      'lesbezoeken WPB 1 van 2, SO 0 van 1; driehoeksgesprekken: kennismakingsgesprek gehouden op 6 oktober, tussentijds gesprek gepland op 12 maart; kijkwijzers nog nodig: didactiek en vakdidactiek (vóór het einde van OP3)';
    const ahmed = `lesbezoeken WPB 0 van 2, SO 0 van 1; ${talksNone}; kijkwijzers nog nodig: pedagogiek, didactiek en vakdidactiek (vóór het einde van OP3)`;
    const lotte = `lesbezoeken WPB 1 van 2, SO 1 van 1; ${talksNone}; kijkwijzers nog nodig: didactiek (vóór het einde van OP3)`;
    const daan = `lesbezoeken WPB 1 van 2, SO 0 van 1; ${talksNone}; kijkwijzers nog nodig: pedagogiek en vakdidactiek (vóór het einde van OP3)`;
    const noor = `lesbezoeken WPB 0 van 2, SO 0 van 1; ${talksNone}; kijkwijzers nog nodig: pedagogiek, didactiek en vakdidactiek (vóór het einde van OP3)`;
    expect(sectionsOf(saskias).map((s) => s.heading)).toEqual(['Formulieren die op u wachten', 'Uw studenten op Wolfert van Borselen']);
    // Ahmed and Zoë: the SO's lesbezoek is still to do; Lotte: her kennismaking is missing.
    expect(itemTexts(section(saskias, 'Uw studenten op Wolfert van Borselen'))).toEqual([
      `Ahmed Yilmaz (Nederlands, WPB Jan van 't Hek): ${ahmed}`,
      `Lotte de Boer (Engels, WPB Saskia Bakker): ${lotte}`,
      `Zoë de Vries (Nederlands, WPB Jan van 't Hek): ${zoe}`,
    ]);
    // Lotte has nothing open this period, but her kennismaking is missing; Zoë has two forms open.
    expect(ivos.content.sections).toEqual([
      {
        heading: 'Voortgang van uw studenten in periode 2 (OP2)',
        paragraphs: ['Bij 4 van 5 studenten ontbreekt iets volgens de afspraken van dit schooljaar.'],
        items: [
          { text: `Daan Kok (Wiskunde, Montessori Lyceum Rotterdam): 0 formulieren ingediend, 0 open; ${daan}` },
          { text: `Noor Bakker (Biologie, Montessori Lyceum Rotterdam): 0 formulieren ingediend, 0 open; ${noor}` },
          { text: `Ahmed Yilmaz (Nederlands, Wolfert van Borselen): 0 formulieren ingediend, 1 open; ${ahmed}` },
          { text: `Lotte de Boer (Engels, Wolfert van Borselen): 1 formulier ingediend, 0 open; ${lotte}` },
          { text: `Zoë de Vries (Nederlands, Wolfert van Borselen): 0 formulieren ingediend, 2 open; ${zoe}` },
        ],
      },
    ]);
    expect(itemTexts(section(henks, 'Schooloverzicht Montessori Lyceum Rotterdam'))).toEqual([
      'Met iets dat ontbreekt volgens de afspraken van dit schooljaar: 3 van 3 studenten',
      `Onbestelbaar: ${EVA_UNDELIVERABLE}`,
    ]);
  });

  it('reminds a student of the missing kijkwijzer types and the open requests, three days before OP2 of 2025-2026', () => {
    const d = demoOf('2025-2026');
    const now = parseInstant('2026-02-01T07:00');
    const zoe = studentOf(recipients(d.model), 'Zoë de Vries');

    const digest = emailOf(zoe, { ...context(d, 'deadline', now, d.year.periods[1]!), daysToDeadline: 3 });

    expect(digest.subject).toBe('Herinnering: deadline woensdag 4 februari 2026 (nog 3 dagen)');
    expect(sectionsOf(digest).map((s) => s.heading)).toEqual([
      'Kijkwijzers die nog ontbreken (vóór het einde van periode 3)',
      'Je aanvragen die nog openstaan',
    ]);
    expect(itemTexts(section(digest, 'Kijkwijzers die nog ontbreken (vóór het einde van periode 3)'))).toEqual(['Kijkwijzer didactiek', 'Kijkwijzer vakdidactiek']);
    expect(itemTexts(section(digest, 'Je aanvragen die nog openstaan'))).toEqual([
      "Kijkwijzer didactiek bij Jan van 't Hek (werkplekbegeleider): gevraagd, nog niet ingevuld",
      'Kijkwijzer vakdidactiek bij Saskia Bakker (schoolopleider), les van maandag 24 november 2025, klas H2b: concept opgeslagen, nog niet ingediend',
    ]);
  });

  it('sends nothing to someone with nothing open', () => {
    const d = demoOf('2025-2026');
    const karins = personOf(recipients(d.model), karin.email);

    expect(digestFor(karins, { ...context(d, 'deadline', parseInstant('2026-02-01T07:00'), d.year.periods[1]!), daysToDeadline: 3 })).toBeNull();
  });

  it('computes the days left when the caller leaves them out, and says "dag" for one', () => {
    const d = demoOf('2025-2026');
    const jans = personOf(recipients(d.model), jan.email);

    const digest = emailOf(jans, context(d, 'deadline', parseInstant('2026-02-03T07:00'), d.year.periods[1]!));

    expect(digest.subject).toBe('Herinnering: deadline woensdag 4 februari 2026 (nog 1 dag)');
    expect(digest.content.paragraphs[0]).toMatch(/^Nog 1 dag: woensdag 4 februari 2026 is de deadline/);
  });
});

describe('the provisional school year', () => {
  it('mentions the provisional planning', () => {
    const d = demoOf('2026-2027');
    const zoe = studentOf(recipients(d.model), 'Zoë de Vries');

    const digest = emailOf(zoe, context(d, 'weekly', parseInstant('2026-11-30T07:00'), d.year.periods[1]!));

    expect(digest.content.paragraphs).toEqual([
      'Dit is jouw overzicht van werkplekleren N2 voor periode 2 (OP2) van schooljaar 2026-2027. De deadline is woensdag 3 februari 2027 (afgeleid: Voorlopig: 2026-02-04 plus 52 weken).',
      'Let op: voor schooljaar 2026-2027 geldt een voorlopige planning. De datums voor 2026-2027 zijn nog niet gepubliceerd. Ze volgen het patroon van 2025-2026 en kunnen nog veranderen.',
    ]);
    expect(textOf(digest)).toContain('Let op: voor schooljaar 2026-2027 geldt een voorlopige planning.');
    expect(textOf(digest)).not.toMatch(/voorlopige planning\W+voorlopige planning/i);
  });
});

describe('derived dates and the calendar of the deps', () => {
  it('says why a deadline was derived in the body of a reminder, marks it "(afgeleid)" in its open forms, and never in the subject', () => {
    // 2024-2025 OP2: the seed names no deadline; the last day of the period is used.
    const d = demoOf('2024-2025');
    const jans = personOf(recipients(d.model, { suppressed: SUPPRESSED }), jan.email);

    const digest = emailOf(jans, { ...context(d, 'deadline', parseInstant('2025-02-04T07:00'), d.year.periods[1]!), daysToDeadline: 3 });

    expect(digest.subject).toBe('Herinnering: deadline vrijdag 7 februari 2025 (nog 3 dagen)');
    expect(digest.content.paragraphs).toEqual([
      'Nog 3 dagen: vrijdag 7 februari 2025 (afgeleid: De tekst noemt geen deadline per periode; de laatste dag van de periode is gebruikt) is de deadline van periode 2 (OP2) van werkplekleren N2. Hieronder staat wat er voor u nog openstaat.',
    ]);
    expect(section(digest, 'Formulieren die op u wachten').paragraphs?.[0]).toBe(
      'Elke link opent uw eigen formulier, zonder account; een opgeslagen concept staat er nog in. Invullen kan tot en met vrijdag 7 februari 2025 (afgeleid).',
    );
  });

  it('leaves a published deadline unmarked (2025-2026 OP2: quoted from the handbook)', () => {
    const d = demoOf('2025-2026');
    const jans = personOf(recipients(d.model), jan.email);

    const text = textOf(emailOf(jans, context(d, 'weekly', parseInstant('2026-01-26T07:00'), d.year.periods[1]!)));

    expect(text).toContain('De deadline is woensdag 4 februari 2026.');
    expect(text).not.toContain('afgeleid');
  });

  it('says why the start of the stage and of OP1 were derived in the summer email', () => {
    const d = demoOf('2025-2026');
    const year: SchoolYear = {
      ...d.year,
      placementStart: '2025-09-01',
      sources: { ...d.year.sources, placementStart: { from: 'derived', reason: 'De eerste maandag van september, zoals in 2024-2025.' } },
    };
    const zoe = studentOf(recipients(d.model), 'Zoë de Vries');

    const digest = emailOf(zoe, { ...context(d, 'weekly', parseInstant('2025-08-18T07:00'), year.periods[0]!, true), year });

    expect(digest.content.paragraphs?.[0]).toBe(
      "Schooljaar 2025-2026 van werkplekleren N2 komt eraan: de stage begint maandag 1 september 2025 (afgeleid: De eerste maandag van september, zoals in 2024-2025). Periode 1 (OP1) begint maandag 8 september 2025 (afgeleid: De tekst noemt alleen 'Start: september'; gekozen is de tweede maandag van september, zoals in 2024-2025); de deadline van die periode is woensdag 12 november 2025. Hieronder lees je wat je dan te doen staat.",
    );
  });

  it('takes the tasks and "voorlopig" from the calendar of the deps, not from the shipped files', () => {
    const d = demoOf('2025-2026');
    const published: SchoolYear = { ...d.year, provisional: true, note: 'De Hogeschool publiceert de definitieve data in juni.' };
    const task = (role: Role, n: number) => ({
      id: `2025-2026.${role}.op${n}.gesprek`,
      text: `Voer in OP${n} een gesprek met Óscar Çelik over de voortgang.`,
      source: { seed: '000' as const, quote: 'gesprek' },
    });
    const roleTasks = (role: Role) => ({ OP1: [task(role, 1)], OP2: [task(role, 2)], OP3: [task(role, 3)], OP4: [task(role, 4)] });
    const tasks: TaskFile = { years: { '2025-2026': { student: roleTasks('student'), wpb: roleTasks('wpb'), so: roleTasks('so'), io: roleTasks('io'), sco: roleTasks('sco') } } };
    const zoe = studentOf(recipients(d.model), 'Zoë de Vries');

    const digest = emailOf(zoe, {
      ...context(d, 'weekly', parseInstant('2025-12-01T07:00'), published.periods[1]!),
      year: published,
      calendar: calendarCatalog([published], tasks),
    });

    expect(itemTexts(section(digest, 'Jouw taken in periode 2 (OP2)'))).toEqual(['Voer in OP2 een gesprek met Óscar Çelik over de voortgang.']);
    expect(digest.content.paragraphs).toContain(
      'Let op: voor schooljaar 2025-2026 geldt een voorlopige planning. De Hogeschool publiceert de definitieve data in juni.',
    );
  });

  it('calls a year provisional when only its tasks are, with a general note', () => {
    const d = demoOf('2025-2026');
    const tasks: TaskFile = { years: { ...shippedCalendar.tasks.years, '2025-2026': { ...shippedCalendar.tasks.years['2025-2026']!, provisional: true } } };
    const zoe = studentOf(recipients(d.model), 'Zoë de Vries');

    const digest = emailOf(zoe, { ...context(d, 'weekly', parseInstant('2025-12-01T07:00'), d.year.periods[1]!), calendar: calendarCatalog(schoolYears, tasks) });

    expect(digest.content.paragraphs).toContain('Let op: voor schooljaar 2025-2026 geldt een voorlopige planning. De planning van dit schooljaar kan nog veranderen.');
  });
});

describe('open concerns about progress in the SO\'s, IO\'s and SCO\'s digests', () => {
  const d = demoOf('2025-2026');
  const [, , lotte, , noor] = d.placements as [PlacementRecord, PlacementRecord, PlacementRecord, PlacementRecord, PlacementRecord];
  // Lotte's WPB (Saskia, who is also the SO) raised a concern; the SO contacted the IO and SCO. Noor's was closed.
  const open = concernOf(lotte, 'c1', {
    reason: 'Komt "vaak" te laat;\nlessen = onvoorbereid',
    raisedBy: { ...lotte.wpb, role: 'wpb' },
    raisedAt: '2025-10-20T09:00:00Z',
    steps: [{ step: 'contact', at: '2025-10-22T10:00:00Z', by: { ...lotte.so, role: 'so' } }],
  });
  const closed = concernOf(noor, 'c2', {
    reason: 'Afwezig',
    raisedBy: { ...noor.so, role: 'so' },
    raisedAt: '2025-09-22T09:00:00Z',
    state: 'gesloten',
    steps: [{ step: 'gesloten', at: '2025-10-01T09:00:00Z', by: { ...noor.so, role: 'so' } }],
  });
  const items = [...yearItems({ placements: d.placements, requests: d.requests, studentLinks: d.links }), ...d.appointments.map(appointmentItem), concernItem(open), concernItem(closed)];
  const withConcerns: Demo = { ...d, model: yearModel(items) };
  const people = recipients(withConcerns.model, { suppressed: SUPPRESSED });
  const summary = 'zorg gemeld op 20 oktober door Saskia Bakker (WPB); laatste stap: De SO heeft contact opgenomen met de IO en de SCO (22 oktober)';

  it('names the open concern in the SO\'s and the IO\'s row of the student, and counts it, never the closed one', () => {
    const ctx = context(withConcerns, 'weekly', parseInstant('2025-12-01T07:00'), d.year.periods[1]!);

    const so = section(emailOf(personOf(people, saskia.email), ctx), 'Uw studenten op Wolfert van Borselen');
    const io = itemTexts(section(emailOf(personOf(people, ivo.email), ctx), 'Voortgang van uw studenten in periode 2 (OP2)'));
    const brams = textOf(emailOf(personOf(people, bram.email), ctx));

    expect(so.paragraphs).toEqual(['Nog geen lesbezoek van de schoolopleider (met ingediende kijkwijzer) dit schooljaar: 2 van 3 studenten. Open zorgen over de voortgang: 1.']);
    expect(itemTexts(so).filter((text) => text.startsWith('Lotte de Boer'))[0]!.endsWith(`; ${summary}`)).toBe(true);
    expect(io.filter((text) => text.startsWith('Lotte de Boer'))[0]!.endsWith(`; ${summary}`)).toBe(true);
    expect(io.filter((text) => text.includes('zorg gemeld'))).toHaveLength(1);
    expect(brams).not.toContain('zorg gemeld');
  });

  it('lists the open concern per student in the SCO\'s school summary, not the closed one of the other school', () => {
    const ctx = context(withConcerns, 'weekly', parseInstant('2025-12-01T07:00'), d.year.periods[1]!);

    const fatimas = itemTexts(section(emailOf(personOf(people, fatima.email), ctx), `Schooloverzicht ${WOLFERT}`));
    const henks = itemTexts(section(emailOf(personOf(people, henk.email), ctx), `Schooloverzicht ${MONTESSORI}`));

    expect(fatimas).toContain(`Open zorg over Lotte de Boer (Engels): ${summary}`);
    expect(henks.filter((text) => text.includes('zorg'))).toEqual([]);
  });

  it('before an OP1 deadline, when nothing is missing yet, still tells the IO and the SCO about the open concern', () => {
    const ctx = { ...context(withConcerns, 'deadline', parseInstant('2025-10-29T07:00'), d.year.periods[0]!), daysToDeadline: 14 };

    const fatimas = digestFor(personOf(people, fatima.email), ctx);
    const ivos = emailOf(personOf(people, ivo.email), ctx);

    expect(digestFor(personOf(recipients(d.model, { suppressed: SUPPRESSED }), fatima.email), { ...context(d, 'deadline', parseInstant('2025-10-29T07:00'), d.year.periods[0]!), daysToDeadline: 14 })).toBeNull();
    expect(fatimas && itemTexts(section(fatimas, `Schooloverzicht ${WOLFERT}`))).toEqual([`Open zorg over Lotte de Boer (Engels): ${summary}`]);
    // Ahmed has a form open this period; Lotte only the concern; the others nothing.
    expect(itemTexts(section(ivos, 'Voortgang van uw studenten in periode 1 (OP1)')).map((text) => text.split(' (')[0])).toEqual(['Ahmed Yilmaz', 'Lotte de Boer']);
    expect(section(ivos, 'Voortgang van uw studenten in periode 1 (OP1)').paragraphs).toEqual([
      'Bij geen van uw 5 studenten ontbreekt iets volgens de afspraken van dit schooljaar. Open zorgen over de voortgang: 1.',
    ]);
  });
});

describe('between periods', () => {
  it('says what comes next: which period starts when and its deadline, with why a derived date was derived', () => {
    const d = demoOf('2025-2026');
    const now = parseInstant('2025-11-17T07:00');
    const where = digestPeriod(now, schoolYears)!;

    for (const who of recipients(d.model, { suppressed: SUPPRESSED })) {
      const digest = emailOf(who, context(d, 'weekly', now, where.period, where.between));
      const text = textOf(digest);
      expect(digest.content.paragraphs[0], who.email).toMatch(
        /^Periode 1 \(OP1\) is afgelopen\. Periode 2 \(OP2\) begint maandag 24 november 2025 \(afgeleid: De tekst noemt alleen 'Start: november'; maandag na een week zonder periode, zoals in 2024-2025\); de deadline van die periode is woensdag 4 februari 2026\. /,
      );
      expect(text, who.email).not.toMatch(/tussen twee onderwijsperiodes|geen onderwijsperiode/);
    }
  });
});

describe('yearModel', () => {
  const d = demoOf('2025-2026');
  const items = yearItems({ placements: d.placements, requests: d.requests, studentLinks: d.links });

  it('indexes placements, requests and links by student number, and requests by observer', () => {
    expect(d.model.placements.size).toBe(6);
    expect((d.model.requests.get('1000001') ?? []).map((r) => r.formId)).toEqual(['kijkwijzer-pedagogiek', 'kijkwijzer-didactiek', 'kijkwijzer-vakdidactiek']);
    expect(d.model.requestsByObserver.get(pieter.email.toLowerCase())).toHaveLength(1);
    expect(d.model.studentLinks.get('1000001')).toBe('page-2025-2026-1000001');
    expect(d.model.studentLinks.get('1000006')).toBeUndefined();
    expect(d.model.invalid).toEqual([]);
  });

  it('ignores other kinds, keeps a request whose placement is missing aside, and lists a broken item', () => {
    const orphan = request(d.year, 13, { ...d.placements[0]!, studentNumber: '9999999' }, 'kijkwijzer-didactiek', 'wpb', 2, 'gevraagd');
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
    const result = deadlineReminderDue(typeof value === 'string' ? parseInstant(value) : value, schoolYears);
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
    const where = digestPeriod(parseInstant('2025-07-21T07:00'), schoolYears)!;

    expect([where.year.id, where.period.number, where.between]).toEqual(['2025-2026', 1, true]);
  });

  it('is null after every known period', () => {
    expect(digestPeriod(parseInstant('2031-03-01T07:00'), schoolYears)).toBeNull();
  });
});
