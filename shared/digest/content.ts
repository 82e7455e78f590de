import { Temporal } from 'temporal-polyfill';
import {
  deadlineInstant,
  formatDutchDate,
  periodLabel,
  whereIs,
  type Period,
  type Provenance,
  type SchoolYear,
} from '../calendar.ts';
import { amsterdamDate } from '../clock.ts';
import type { EmailContent, EmailItem, EmailSection } from '../mail/templates.ts';
import { emailKey } from '../roster/placement.ts';
import type { Person } from '../roster/placement.ts';
import { formUrl, studentUrl } from '../links.ts';
import type { FormCatalog } from '../forms/catalog.ts';
import type { PlacementRecord } from '../model/placements.ts';
import type { RequestRecord } from '../model/requests.ts';
import { derivedNote, derivedReason, provisionalNote, type CalendarCatalog } from '../content/calendar-catalog.ts';
import { ROLE_LABELS, type Role } from '../tasks.ts';
import { adviceLines, kijkwijzerProgress, type Recipient, type YearModel } from './model.ts';
import { capitalize, dutchList } from '../dutch.ts';
import { TALK_RHYTHM, type AppointmentRecord } from '../model/appointments.ts';
import { concernSummary, type ConcernRecord } from '../model/concerns.ts';
import { anythingMissing, appointmentHeld, countsLine, progressCounts, type ProgressCounts } from '../progress/counts.ts';

/**
 * The content of the scheduled emails, as pure functions: which period a run is about, its run
 * key, whether a deadline reminder is due, and one email per person with a section per role
 * (docs/digest.md, "Content per role"). Everything a person reads is Dutch.
 */

/** The two kinds of scheduled email: the Monday digest and the reminder before a deadline. */
export type DigestKind = 'weekly' | 'deadline';

/** Days before a period's student deadline that a reminder goes out. */
export const REMINDER_DAYS = [14, 3] as const;

/** The period a run is about, in its school year. */
export interface DigestPeriod {
  year: SchoolYear;
  period: Period;
  /** True between periods: `period` is then the next one, which has not started yet. */
  between: boolean;
}

/**
 * The period a weekly digest at `now` is about in `years` (the calendar of the deps): the current
 * one, or between periods (before OP1, in a gap, after OP4, in the summer) the next one, possibly
 * in the next school year. Null when the calendar knows no current or coming period.
 */
export function digestPeriod(now: Temporal.Instant, years: readonly SchoolYear[]): DigestPeriod | null {
  const here = whereIs(now, years);
  if (here.kind === 'period') return { year: here.year, period: here.period, between: false };
  return here.next ? { year: here.next.year, period: here.next.period, between: true } : null;
}

/** Whole days from the Amsterdam date of `now` to a period's deadline date (negative once past). */
export function daysUntilDeadline(now: Temporal.Instant, period: Pick<Period, 'deadline'>): number {
  return daysFrom(amsterdamDate(now), period.deadline);
}

function daysFrom(day: Temporal.PlainDate, deadline: string): number {
  return day.until(Temporal.PlainDate.from(deadline), { largestUnit: 'days' }).days;
}

/** The ISO week of a date, as `2026-W05`. */
function isoWeek(day: Temporal.PlainDate): string {
  return `${day.yearOfWeek ?? day.year}-W${String(day.weekOfYear ?? 0).padStart(2, '0')}`;
}

/**
 * The key of a run: a run with the same key sends nothing new. Weekly: per period and ISO week of
 * the Amsterdam date (`weekly#2025-2026#op2#2026-W05`); deadline: per period and days before the
 * deadline (`deadline#2025-2026#op2#d3`).
 */
export function runKey(
  kind: DigestKind,
  year: Pick<SchoolYear, 'id'>,
  period: Pick<Period, 'number' | 'deadline'>,
  now: Temporal.Instant,
): string {
  const prefix = `${kind}#${year.id}#op${period.number}`;
  return kind === 'weekly' ? `${prefix}#${isoWeek(amsterdamDate(now))}` : `${prefix}#d${daysUntilDeadline(now, period)}`;
}

/** A deadline reminder that is due: the period whose deadline is `days` days away. */
export interface ReminderDue {
  year: SchoolYear;
  period: Period;
  days: (typeof REMINDER_DAYS)[number];
}

/**
 * Whether a deadline reminder is due on the Amsterdam date of `now`: the period (if any) of `years`
 * (the calendar of the deps) whose student deadline is exactly 14 or 3 days later.
 */
export function deadlineReminderDue(now: Temporal.Instant, years: readonly SchoolYear[]): ReminderDue | null {
  const today = amsterdamDate(now);
  for (const year of years) {
    for (const period of year.periods) {
      const days = daysFrom(today, period.deadline);
      const due = REMINDER_DAYS.find((candidate) => candidate === days);
      if (due !== undefined) return { year, period, days: due };
    }
  }
  return null;
}

/** Everything a digest needs besides the person. */
export interface DigestContext {
  kind: DigestKind;
  now: Temporal.Instant;
  /** The school year of `period`; the model holds this year's items. */
  year: SchoolYear;
  /** The current period, or between periods the next one. */
  period: Period;
  between: boolean;
  /** For reminders: days until the deadline (computed from `now` when left out). */
  daysToDeadline?: number;
  model: YearModel;
  /** The public origin every link is built from. */
  origin: string;
  linkSecret: string;
  formTitle: FormCatalog['title'];
  /** The tasks of each role, and whether the year is provisional (deps.calendar). */
  calendar: Pick<CalendarCatalog, 'tasksFor' | 'isProvisional'>;
  /** Lower-cased addresses that bounced or complained: listed to the IO and SCO as undeliverable. */
  suppressed: ReadonlySet<string>;
}

/** One person's email of a run, before rendering (`renderEmail(digest.content)`). */
export interface Digest {
  subject: string;
  content: EmailContent;
}

/** Lower-case nouns of the roles, for sentences. */
const ROLE_NOUNS: Readonly<Record<Role, string>> = {
  student: 'student',
  wpb: 'werkplekbegeleider',
  so: 'schoolopleider',
  io: 'instituutsopleider',
  sco: 'schoolcoördinator',
};

const STATE_TEXT: Readonly<Record<'gevraagd' | 'concept', string>> = {
  gevraagd: 'gevraagd, nog niet ingevuld',
  concept: 'concept opgeslagen, nog niet ingediend',
};

const dutchDates = new Map<string, string>();

/**
 * formatDutchDate, remembered: Intl formatting costs a fraction of a millisecond per call, and a
 * run for 20,000 people formats the same few dates over and over.
 */
function dutchDate(day: string): string {
  let text = dutchDates.get(day);
  if (text === undefined) {
    text = formatDutchDate(day);
    dutchDates.set(day, text);
  }
  return text;
}

const deadlines = new Map<string, Temporal.Instant>();

/** deadlineInstant, remembered per date: time-zone arithmetic is the costly part of a run. */
function deadlineOf(deadline: string): Temporal.Instant {
  let instant = deadlines.get(deadline);
  if (instant === undefined) {
    instant = deadlineInstant({ deadline });
    deadlines.set(deadline, instant);
  }
  return instant;
}

/** The last part of a task id (`2024-2025.so.op1.intake` → `intake`). */
const shortName = (id: string): string => id.slice(id.lastIndexOf('.') + 1);

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
const unique = <T>(values: readonly T[]): T[] => [...new Set(values)];

/** What one part of the email adds, and how many tasks and open items it holds. */
interface Part {
  sections: EmailSection[];
  count: number;
}

/**
 * A calendar date in Dutch, marked when it was derived rather than published: with the reason
 * ("(afgeleid: <reason>)") where a paragraph names it first, "(afgeleid)" in headings and later
 * mentions.
 */
function markedDate(day: string, source: Provenance | undefined, withReason = false): string {
  if (derivedReason(source) === undefined) return dutchDate(day);
  return withReason ? `${dutchDate(day)} (${derivedNote(source)})` : `${dutchDate(day)} (afgeleid)`;
}

/** The counts of each student, per year model, year and instant: a run computes each once, whoever reads them. */
const countsCache = new WeakMap<YearModel, WeakMap<SchoolYear, Map<string, ProgressCounts>>>();

/** The roles that take part in an appointment, as the WPB's list of the coming week names them. */
const PARTICIPANT_SHORT: Readonly<Record<'wpb' | 'so' | 'io', string>> = { wpb: 'WPB', so: 'SO', io: 'IO' };

/**
 * The short names (the last part of a task id) of the OP1 tasks that form the checklist before the
 * stage starts (seed 001, "Voor de stage start: praktische zaken"). Until the stage's start date
 * the weekly email shows them apart, "voor de start van de stage op <datum>"; tasks.json says so.
 */
export const BEFORE_STAGE_TASKS: ReadonlySet<string> = new Set(['intake', 'inschrijven', 'rondleiding', 'verzuim']);

/** The derived facts of a run that every section uses. */
class RunView {
  readonly weekly: boolean;
  readonly number: number;
  readonly label: string;
  /** The period's deadline, marked when derived (with the reason): for the opening paragraph. */
  readonly deadlineText: string;
  /** The period's deadline, marked "(afgeleid)" when derived: for later mentions. */
  readonly deadlineShort: string;
  /** The period's deadline without a mark: for the subject, kept short. */
  readonly deadlineDate: string;
  /** The period's start, marked "(afgeleid)" when derived: for headings. */
  readonly startText: string;
  readonly deadlinePassed: boolean;
  /** Before the stage starts (a weekly run before OP1, before the year's placementStart): its date, marked when derived. */
  readonly stageStartText: string | null;

  constructor(readonly ctx: DigestContext) {
    this.weekly = ctx.kind === 'weekly';
    this.number = ctx.period.number;
    this.label = periodLabel(ctx.period);
    this.deadlineText = markedDate(ctx.period.deadline, ctx.period.sources.deadline, true);
    this.deadlineShort = markedDate(ctx.period.deadline, ctx.period.sources.deadline);
    this.deadlineDate = dutchDate(ctx.period.deadline);
    this.startText = markedDate(ctx.period.start, ctx.period.sources.start);
    this.deadlinePassed = Temporal.Instant.compare(ctx.now, deadlineOf(ctx.period.deadline)) >= 0;
    const stage = ctx.year.placementStart;
    this.stageStartText =
      this.weekly && ctx.between && this.number === 1 && stage !== null && Temporal.PlainDate.compare(amsterdamDate(ctx.now), Temporal.PlainDate.from(stage)) < 0
        ? markedDate(stage, ctx.year.sources.placementStart)
        : null;
  }

  requestsOf(placement: PlacementRecord): readonly RequestRecord[] {
    return this.ctx.model.requests.get(placement.studentNumber) ?? [];
  }

  private inPeriod(request: RequestRecord): boolean {
    return request.schoolYear === this.ctx.year.id && request.period === this.number;
  }

  /** Asked or in draft (not submitted, not withdrawn), for this period, and still editable (its deadline has not passed). */
  isOpen(request: RequestRecord): boolean {
    return (
      this.inPeriod(request) &&
      (request.state === 'gevraagd' || request.state === 'concept') &&
      Temporal.Instant.compare(this.ctx.now, deadlineOf(request.deadline)) < 0
    );
  }

  submittedThisPeriod(placement: PlacementRecord): RequestRecord[] {
    return this.requestsOf(placement).filter((r) => this.inPeriod(r) && r.state === 'ingediend');
  }

  openThisPeriod(placement: PlacementRecord): RequestRecord[] {
    return this.requestsOf(placement).filter((r) => this.isOpen(r));
  }

  appointmentsOf(placement: PlacementRecord): readonly AppointmentRecord[] {
    return this.ctx.model.appointments.get(placement.studentNumber) ?? [];
  }

  /**
   * The student's counts for the school year at the run's instant (shared/progress/counts.ts):
   * lesbezoeken, driehoeksgesprekken and kijkwijzer types against the year's own rules. Nothing
   * in them calls a student behind; "ontbreekt" only once the last period it belongs in has ended.
   */
  counts(placement: PlacementRecord): ProgressCounts {
    const { model, year, now } = this.ctx;
    let byYear = countsCache.get(model);
    if (!byYear) countsCache.set(model, (byYear = new WeakMap()));
    let byStudent = byYear.get(year);
    if (!byStudent) byYear.set(year, (byStudent = new Map()));
    const key = `${now.epochMilliseconds}#${placement.studentNumber}`;
    let counts = byStudent.get(key);
    if (!counts) {
      counts = progressCounts(year, this.requestsOf(placement), this.appointmentsOf(placement), now);
      byStudent.set(key, counts);
    }
    return counts;
  }

  /** The student's open concern about progress, if any (at most one is open). */
  openConcern(placement: PlacementRecord): ConcernRecord | undefined {
    return (this.ctx.model.concerns.get(placement.studentNumber) ?? []).find((c) => c.state === 'open');
  }

  /** Whether the SO's own lesbezoek (a kijkwijzer of the SO submitted) is still to do this school year. */
  soVisitToDo(placement: PlacementRecord): boolean {
    const { so } = this.counts(placement).visits;
    return so.done < so.required;
  }

  /**
   * The student's appointments (not cancelled) in the coming seven days, from the run's Amsterdam
   * date through the sixth day after it, whose end has not passed.
   */
  comingWeek(placement: PlacementRecord): AppointmentRecord[] {
    const today = amsterdamDate(this.ctx.now);
    const last = today.add({ days: 6 }).toString();
    return this.appointmentsOf(placement).filter(
      (a) => a.state === 'gepland' && a.date >= today.toString() && a.date <= last && !appointmentHeld(a, this.ctx.now),
    );
  }

  /** The period's tasks of a role; before the stage starts, without the checklist (see `checklist`). */
  tasks(role: Role) {
    const tasks = this.weekly ? this.ctx.calendar.tasksFor(this.ctx.year.id, role, this.number) : [];
    return this.stageStartText === null ? tasks : tasks.filter((task) => !BEFORE_STAGE_TASKS.has(shortName(task.id)));
  }

  /** Before the stage starts: a role's checklist section ("voor de start van de stage op <datum>"), if it has one. */
  checklist(role: Role): Part {
    if (this.stageStartText === null) return { sections: [], count: 0 };
    const tasks = this.ctx.calendar.tasksFor(this.ctx.year.id, role, this.number).filter((task) => BEFORE_STAGE_TASKS.has(shortName(task.id)));
    if (tasks.length === 0) return { sections: [], count: 0 };
    const when = `voor de start van de stage op ${this.stageStartText}`;
    return {
      sections: [{ heading: role === 'student' ? capitalize(when) : `${ROLE_LABELS[role]}: ${when}`, items: tasks.map((task) => ({ text: task.text })) }],
      count: tasks.length,
    };
  }

  /** The heading of a role's task section. */
  taskHeading(role: Role): string {
    const whose = role === 'student' ? 'Jouw taken' : `${ROLE_LABELS[role]}: uw taken`;
    return this.ctx.between ? `${whose} in ${this.label}, vanaf ${this.startText}` : `${whose} in ${this.label}`;
  }

  lesson(request: RequestRecord): string {
    const parts = [
      request.lessonDate ? `les van ${dutchDate(request.lessonDate)}` : '',
      request.className ? `klas ${request.className}` : '',
    ].filter(Boolean);
    return parts.length > 0 ? `, ${parts.join(', ')}` : '';
  }

  undeliverable(placements: readonly PlacementRecord[], roles: readonly Role[]): EmailItem[] {
    const seen = new Set<string>();
    const items: EmailItem[] = [];
    for (const placement of placements) {
      for (const role of roles) {
        const key = emailKey(placement[role].email);
        if (!this.ctx.suppressed.has(key) || seen.has(`${key}#${role}#${placement.studentNumber}`)) continue;
        seen.add(`${key}#${role}#${placement.studentNumber}`);
        const whose = role === 'student' ? `student, ${placement.school}` : `${ROLE_NOUNS[role]} van ${placement.student.name}`;
        items.push({ text: `${placement[role].email} (${placement[role].name}, ${whose})` });
      }
    }
    return items;
  }
}

function studentPart(view: RunView, placement: PlacementRecord): Part {
  const { ctx } = view;
  const sections: EmailSection[] = [];
  let count = 0;
  const linkId = ctx.model.studentLinks.get(placement.studentNumber);
  const deps = { linkSecret: ctx.linkSecret, publicOrigin: ctx.origin };

  const checklist = view.checklist('student');
  sections.push(...checklist.sections);
  count += checklist.count;
  const tasks = view.tasks('student');
  if (tasks.length > 0) {
    sections.push({
      heading: view.taskHeading('student'),
      items: tasks.map((task) => ({ text: task.text })),
      ...(linkId ? { links: [{ label: 'Zet de deadlines in je agenda', url: `${studentUrl(deps, linkId)}/agenda.ics` }] } : {}),
    });
    count += tasks.length;
  }

  const required = ctx.year.requiredKijkwijzers;
  if (required && view.number <= required.byEndOfPeriod) {
    const { missing } = kijkwijzerProgress(ctx.year, view.requestsOf(placement));
    if (missing.length > 0) {
      sections.push({
        heading: `Kijkwijzers die nog ontbreken (vóór het einde van periode ${required.byEndOfPeriod})`,
        paragraphs: [
          `Elk van deze kijkwijzers moet vóór het einde van periode ${required.byEndOfPeriod} (OP${required.byEndOfPeriod}) minstens één keer ingediend zijn. Vraag er een aan via Mijn werkplekleren.`,
        ],
        items: missing.map((type) => ({ text: ctx.formTitle(`kijkwijzer-${type}`) })),
      });
      count += missing.length;
    }
  }

  if (view.weekly) {
    // The counts inform; they do not make an email on their own (count stays as it is).
    sections.push({ heading: `Jouw voortgang in schooljaar ${ctx.year.id}`, paragraphs: [`${capitalize(countsLine(view.counts(placement)))}.`] });
  }

  const open = view.openThisPeriod(placement);
  if (open.length > 0) {
    sections.push({
      heading: 'Je aanvragen die nog openstaan',
      items: open.map((r) => ({
        text: `${ctx.formTitle(r.formId)} bij ${r.observer.name} (${ROLE_NOUNS[r.observerRole]})${view.lesson(r)}: ${STATE_TEXT[r.state as 'gevraagd' | 'concept']}`,
      })),
    });
    count += open.length;
  }
  return { sections, count };
}

function openFormsPart(view: RunView, person: Recipient): Part {
  const { ctx } = view;
  // A link staff revoked is not sent again: the observer waits for a new one.
  const open = (ctx.model.requestsByObserver.get(person.email) ?? []).filter((r) => view.isOpen(r) && !r.linkRevokedAt);
  if (open.length === 0) return { sections: [], count: 0 };
  const deps = { linkSecret: ctx.linkSecret, publicOrigin: ctx.origin };
  const paragraphs = [
    `Elke link opent uw eigen formulier, zonder account; een opgeslagen concept staat er nog in. Invullen kan tot en met ${view.deadlineShort}.`,
  ];
  const advice = open.filter((r) => r.formId === 'advies-wpb');
  if (advice.length > 0) {
    paragraphs.push(
      `Uw advies over ${dutchList(unique(advice.map((r) => r.student.name)))} wordt in deze periode verwacht: uw onderbouwde, formatieve advies over de ontwikkeling van de student, voor de schoolopleider en de instituutsopleider. Het weegt zwaar mee in de eindbeoordeling.`,
    );
  }
  return {
    sections: [
      {
        heading: 'Formulieren die op u wachten',
        paragraphs,
        items: open.map((r) => ({
          text: `${ctx.formTitle(r.formId)} voor ${r.student.name} (${r.vak}, ${r.school})${view.lesson(r)}: ${STATE_TEXT[r.state as 'gevraagd' | 'concept']}`,
          link: { label: 'Formulier openen', url: formUrl(deps, r.linkId) },
        })),
      },
    ],
    count: open.length,
  };
}

function describeStudents(placements: readonly PlacementRecord[]): string {
  const schools = unique(placements.map((p) => p.school));
  const where = schools.length <= 3 ? dutchList(schools) : `${schools.length} scholen`;
  if (placements.length <= 3) return `${dutchList(placements.map((p) => p.student.name))} (${where})`;
  return `${placements.length} studenten (${where})`;
}

/** A staff role's tasks: before the stage starts its checklist first, then the period's tasks. */
function tasksPart(view: RunView, role: Role, placements: readonly PlacementRecord[]): Part {
  const checklist = view.checklist(role);
  const tasks = view.tasks(role);
  const paragraphs = [`Voor ${describeStudents(placements)}.`];
  const sections: EmailSection[] = checklist.sections.map((section) => ({ ...section, paragraphs }));
  if (tasks.length > 0) sections.push({ heading: view.taskHeading(role), paragraphs, items: tasks.map((task) => ({ text: task.text })) });
  return { sections, count: checklist.count + tasks.length };
}

/** One appointment of the coming week, for the WPB: date, time, what, with whom, class. */
function appointmentText(placement: PlacementRecord, appointment: AppointmentRecord): string {
  const who = appointment.participants.filter((p) => p.state === 'uitgenodigd').map((p) => PARTICIPANT_SHORT[p.role]);
  const what =
    appointment.kind === 'lesbezoek'
      ? `lesbezoek bij ${placement.student.name}${appointment.className ? `, klas ${appointment.className}` : ''}`
      : `driehoeksgesprek${appointment.talkType ? ` (${TALK_RHYTHM[appointment.talkType].label})` : ''} met ${placement.student.name}`;
  const where = appointment.location ? `, ${appointment.location}` : '';
  return `${dutchDate(appointment.date)} van ${appointment.start} tot ${appointment.end}: ${what}${where}${who.length > 0 ? ` (met ${dutchList(who)})` : ''}`;
}

/**
 * The WPB's tasks; weekly, per student the counts of the year and the appointments of the coming
 * seven days; and per student the kijkwijzer types the year's rule still asks for: seed 000
 * makes the WPB co-responsible ("Zorg er samen met de student voor ..."). The types weekly only,
 * up to the period of the rule; a year without a rule (2024-2025) shows none.
 */
function wpbPart(view: RunView, placements: readonly PlacementRecord[]): Part {
  const part = tasksPart(view, 'wpb', placements);
  if (!view.weekly) return part;

  const coming = placements.flatMap((placement) => view.comingWeek(placement).map((appointment) => ({ placement, appointment })));
  coming.sort((a, b) => a.appointment.date.localeCompare(b.appointment.date) || a.appointment.start.localeCompare(b.appointment.start));
  if (coming.length > 0) {
    part.sections.push({
      heading: 'Afspraken in de komende zeven dagen',
      items: coming.map(({ placement, appointment }) => ({ text: appointmentText(placement, appointment) })),
    });
    part.count += coming.length;
  }
  part.sections.push({
    heading: placements.length === 1 ? `Voortgang van ${placements[0]!.student.name}` : 'Voortgang van uw studenten',
    items: placements.map((p) => ({ text: `${p.student.name}: ${countsLine(view.counts(p))}` })),
  });

  const required = view.ctx.year.requiredKijkwijzers;
  if (!required || view.number > required.byEndOfPeriod) return part;
  const by = `vóór het einde van periode ${required.byEndOfPeriod}`;
  for (const placement of placements) {
    const { missing } = kijkwijzerProgress(view.ctx.year, view.requestsOf(placement));
    if (missing.length === 0) continue;
    part.sections.push({
      heading: `Kijkwijzers die ${placement.student.name} nog mist (${by})`,
      paragraphs: [
        `Elk van deze kijkwijzers moet ${by} (OP${required.byEndOfPeriod}) minstens één keer ingevuld zijn. U zorgt daar samen met de student voor; de student vraagt ze aan.`,
      ],
      items: missing.map((type) => ({ text: view.ctx.formTitle(`kijkwijzer-${type}`) })),
    });
    part.count += missing.length;
  }
  return part;
}

function bySchool(placements: readonly PlacementRecord[]): [string, PlacementRecord[]][] {
  const groups = new Map<string, PlacementRecord[]>();
  for (const placement of placements) {
    const group = groups.get(placement.school);
    if (group) group.push(placement);
    else groups.set(placement.school, [placement]);
  }
  return [...groups.entries()];
}

/** The open concern of a student as a line (concernSummary): "zorg gemeld op 3 maart door ... (WPB); laatste stap: ...". */
function concernLines(view: RunView, placement: PlacementRecord): string[] {
  const concern = view.openConcern(placement);
  return concern ? [concernSummary(concern)] : [];
}

/** What a deadline reminder shows staff of a student: something missing by the year's rules, or an open concern. */
function needsAttention(view: RunView, placement: PlacementRecord): boolean {
  return anythingMissing(view.counts(placement)) || view.openConcern(placement) !== undefined;
}

/**
 * The SO's students per school: the counts of the year (the SO's own lesbezoek among them), the
 * advice line and an open concern. Weekly every student; before a deadline only those whose SO
 * lesbezoek is still to do, with something missing by the year's rules, or with an open concern.
 */
function soPart(view: RunView, placements: readonly PlacementRecord[]): Part {
  const part = tasksPart(view, 'so', placements);
  for (const [school, group] of bySchool(placements)) {
    const rows = group.map((p) => {
      const status = [countsLine(view.counts(p)), ...adviceLines(view.ctx, view.requestsOf(p)), ...concernLines(view, p)];
      return { open: view.soVisitToDo(p) || needsAttention(view, p), item: { text: `${p.student.name} (${p.vak}, WPB ${p.wpb.name}): ${status.join('; ')}` } };
    });
    const shown = view.weekly ? rows : rows.filter((row) => row.open);
    if (shown.length === 0) continue;
    const noVisit = group.filter((p) => view.soVisitToDo(p)).length;
    const concerns = group.filter((p) => view.openConcern(p) !== undefined).length;
    part.sections.push({
      heading: `Uw studenten op ${school}`,
      paragraphs: [
        `Nog geen lesbezoek van de schoolopleider (met ingediende kijkwijzer) dit schooljaar: ${noVisit} van ${plural(group.length, 'student', 'studenten')}.` +
          (concerns > 0 ? ` Open zorgen over de voortgang: ${concerns}.` : ''),
      ],
      items: shown.map((row) => row.item),
    });
    part.count += shown.length;
  }
  return part;
}

/**
 * The IO's students: this period's forms, the counts of the year, the advice line and an open
 * concern. Weekly every student; before a deadline only those with a form still open this
 * period, something missing by the year's rules, or an open concern.
 */
function ioPart(view: RunView, placements: readonly PlacementRecord[]): Part {
  const part = tasksPart(view, 'io', placements);
  const rows = placements.map((p) => {
    const submitted = view.submittedThisPeriod(p).length;
    const open = view.openThisPeriod(p).length;
    const status = [
      `${plural(submitted, 'formulier', 'formulieren')} ingediend, ${open} open`,
      countsLine(view.counts(p)),
      ...adviceLines(view.ctx, view.requestsOf(p)),
      ...concernLines(view, p),
    ];
    return {
      missing: anythingMissing(view.counts(p)),
      open: open > 0 || needsAttention(view, p),
      item: { text: `${p.student.name} (${p.vak}, ${p.school}): ${status.join('; ')}` },
    };
  });
  const shown = view.weekly ? rows : rows.filter((row) => row.open);
  if (shown.length > 0) {
    const missing = rows.filter((row) => row.missing).length;
    const concerns = placements.filter((p) => view.openConcern(p) !== undefined).length;
    part.sections.push({
      heading: `Voortgang van uw studenten in ${view.label}`,
      paragraphs: [
        (view.ctx.between
          ? 'Deze periode is nog niet begonnen; hieronder staat wat er al is gevraagd of ingediend.'
          : missing > 0
            ? `Bij ${missing} van ${plural(placements.length, 'student', 'studenten')} ontbreekt iets volgens de afspraken van dit schooljaar.`
            : `Bij geen van uw ${plural(placements.length, 'student', 'studenten')} ontbreekt iets volgens de afspraken van dit schooljaar.`) +
          (concerns > 0 ? ` Open zorgen over de voortgang: ${concerns}.` : ''),
      ],
      items: shown.map((row) => row.item),
    });
    part.count += shown.length;
  }
  const undeliverable = view.undeliverable(placements, ['student', 'wpb', 'so']);
  if (undeliverable.length > 0) {
    part.sections.push({
      heading: 'Onbestelbare e-mailadressen',
      paragraphs: ['Onze e-mail aan deze adressen kwam niet aan (teruggestuurd of als spam gemeld). Ze krijgen geen e-mail meer totdat het adres in het rooster is verbeterd.'],
      items: undeliverable,
    });
    part.count += undeliverable.length;
  }
  return part;
}

/**
 * The SCO's school summary: students, kijkwijzers in this period, students with something
 * missing by the year's rules, the open concerns one per student, undeliverable addresses.
 * Before a deadline only what needs attention.
 */
function scoPart(view: RunView, placements: readonly PlacementRecord[]): Part {
  const part = tasksPart(view, 'sco', placements);
  const op = `OP${view.number}`;
  for (const [school, group] of bySchool(placements)) {
    const withKijkwijzer = group.filter((p) => view.submittedThisPeriod(p).some((r) => r.formId.startsWith('kijkwijzer-'))).length;
    const missing = group.filter((p) => anythingMissing(view.counts(p))).length;
    const missingText = `Met iets dat ontbreekt volgens de afspraken van dit schooljaar: ${missing}`;
    const summary: EmailItem[] = view.weekly
      ? [
          { text: `Studenten: ${group.length}` },
          ...(view.ctx.between ? [] : [{ text: `Met een ingediende kijkwijzer in ${op}: ${withKijkwijzer}` }]),
          { text: missingText },
        ]
      : missing > 0
        ? [{ text: `${missingText} van ${group.length} studenten` }]
        : [];
    const concerns = group.flatMap((p) => {
      const concern = view.openConcern(p);
      return concern ? [{ text: `Open zorg over ${p.student.name} (${p.vak}): ${concernSummary(concern)}` }] : [];
    });
    const undeliverable = view.undeliverable(group, ['student', 'wpb', 'so', 'io']).map((item) => ({ text: `Onbestelbaar: ${item.text}` }));
    const items = [...summary, ...concerns, ...undeliverable];
    if (items.length === 0) continue;
    part.sections.push({
      heading: `Schooloverzicht ${school}`,
      ...(undeliverable.length > 0
        ? { paragraphs: ['Onze e-mail aan onbestelbare adressen kwam niet aan (teruggestuurd of als spam gemeld). Ze krijgen geen e-mail meer totdat het adres in het rooster is verbeterd.'] }
        : {}),
      items,
    });
    part.count += items.length;
  }
  return part;
}

/** Whom a role asks, for the footer; the person themself is left out. */
function contactsFor(role: Role, placements: readonly PlacementRecord[], self: string): string {
  const people = (pick: (p: PlacementRecord) => Person): Person[] => {
    const seen = new Map<string, Person>();
    for (const p of placements) {
      const person = pick(p);
      if (emailKey(person.email) !== self && !seen.has(emailKey(person.email))) seen.set(emailKey(person.email), person);
    }
    return [...seen.values()];
  };
  const named = (list: Person[], noun: string, nounPlural: string): string =>
    list.length === 0 ? '' : list.length <= 3 ? `${list.length === 1 ? noun : nounPlural} ${dutchList(list.map((p) => `${p.name} (${p.email})`))}` : nounPlural;
  switch (role) {
    case 'student':
      return named(people((p) => p.io), 'je instituutsopleider,', 'je instituutsopleiders');
    case 'wpb':
      return named(people((p) => p.so), 'de schoolopleider van uw school,', 'de schoolopleiders');
    case 'so':
    case 'sco': {
      const io = named(people((p) => p.io), 'de instituutsopleider,', 'de instituutsopleiders');
      return `${io ? `${io}, of met ` : ''}de regiocoördinator OSR (Opleidingsschool Rotterdam)`;
    }
    case 'io':
      return 'de coördinator werkplekleren N2 van Hogeschool Rotterdam';
  }
}

function footerFor(person: Recipient, year: SchoolYear, informal: boolean): string {
  const why = person.roles.map(({ role, placements }) =>
    role === 'student'
      ? `student (${dutchList(unique(placements.map((p) => `${p.vak}, ${p.school}`)))})`
      : `${ROLE_NOUNS[role]} van ${describeStudents(placements)}`,
  );
  const asks = person.roles
    .map(({ role, placements }) => ({ role, who: contactsFor(role, placements, person.email) }))
    .filter((ask) => ask.who !== '');
  const single = person.roles.length === 1;
  const askText = asks
    .map(({ role, who }) => `Vragen${single ? '' : ` als ${ROLE_NOUNS[role]}`}? Neem contact op met ${who}.`)
    .join(' ');
  const you = informal ? 'Je krijgt' : 'U krijgt';
  return `${you} deze e-mail als ${dutchList(why)} bij werkplekleren N2 (schooljaar ${year.id}) van Hogeschool Rotterdam. ${askText}`.trim();
}

/**
 * What comes next when no period runs, and when: the next period's start and its deadline (the
 * first deadline ahead), and before period 1 the start of the school year and of the stage (which
 * may be today), later the end of the previous period. A derived date says why it was derived.
 */
function comingUp(context: DigestContext, view: RunView): string {
  const start = markedDate(context.period.start, context.period.sources.start, true);
  const next = `${capitalize(view.label)} begint ${start}; de deadline van die periode is ${view.deadlineText}.`;
  if (context.period.number > 1) return `${capitalize(periodLabel({ number: context.period.number - 1 }))} is afgelopen. ${next}`;
  const stage = context.year.placementStart;
  const year = `schooljaar ${context.year.id} van werkplekleren N2`;
  if (stage === null) return `${capitalize(year)} komt eraan. ${next}`;
  const when = Temporal.PlainDate.compare(amsterdamDate(context.now), Temporal.PlainDate.from(stage));
  const stageText = markedDate(stage, context.year.sources.placementStart, true);
  if (when < 0) return `${capitalize(year)} komt eraan: de stage begint ${stageText}. ${next}`;
  if (when === 0) return `Vandaag begint de stage van ${year}. ${next}`;
  return `De stage van ${year} is begonnen op ${stageText}. ${next}`;
}

/**
 * One person's email for a run, all their roles and placements together, or null when there is
 * nothing to say (never an empty email). Weekly: each role's tasks for the period (between
 * periods: the next period's, with its start), the deadline as a Dutch date, and what is open.
 * Deadline: only what is still open, with the days left. Open forms carry their own links, so a
 * saved draft carries over.
 */
export function digestFor(person: Recipient, context: DigestContext): Digest | null {
  const view = new RunView(context);
  const informal = person.roles.every(({ role }) => role === 'student');
  const parts: Part[] = [];
  let action: EmailContent['action'];

  for (const { role, placements } of person.roles) {
    if (role === 'student') {
      for (const placement of placements) {
        parts.push(studentPart(view, placement));
        const linkId = context.model.studentLinks.get(placement.studentNumber);
        if (linkId) {
          action = { label: 'Mijn werkplekleren', url: studentUrl({ linkSecret: context.linkSecret, publicOrigin: context.origin }, linkId) };
        }
      }
    }
  }
  parts.push(openFormsPart(view, person));
  for (const { role, placements } of person.roles) {
    if (role === 'wpb') parts.push(wpbPart(view, placements));
    if (role === 'so') parts.push(soPart(view, placements));
    if (role === 'io') parts.push(ioPart(view, placements));
    if (role === 'sco') parts.push(scoPart(view, placements));
  }
  if (parts.reduce((sum, part) => sum + part.count, 0) === 0) return null;

  const you = informal ? 'je' : 'u';
  const your = informal ? 'jouw' : 'uw';
  const days = context.daysToDeadline ?? daysUntilDeadline(context.now, context.period);
  let subject: string;
  const paragraphs: string[] = [];
  if (context.kind === 'deadline') {
    const left = plural(days, 'dag', 'dagen');
    subject = `Herinnering: deadline ${view.deadlineDate} (nog ${left})`;
    paragraphs.push(
      `Nog ${left}: ${view.deadlineText} is de deadline van ${view.label} van werkplekleren N2. Hieronder staat wat er voor ${you} nog openstaat.`,
    );
  } else if (context.between) {
    subject = `Werkplekleren N2: ${view.label} begint ${dutchDate(context.period.start)}`;
    paragraphs.push(`${comingUp(context, view)} Hieronder ${informal ? 'lees je' : 'leest u'} wat ${you} dan te doen staat.`);
  } else {
    subject = `Werkplekleren N2: ${your} taken in ${view.label}`;
    paragraphs.push(
      `Dit is ${your} overzicht van werkplekleren N2 voor ${view.label} van schooljaar ${context.year.id}. ` +
        (view.deadlinePassed ? `De deadline van deze periode was ${view.deadlineText}.` : `De deadline is ${view.deadlineText}.`),
    );
  }
  if (context.calendar.isProvisional(context.year.id)) {
    paragraphs.push(`Let op: voor schooljaar ${context.year.id} geldt een voorlopige planning. ${provisionalNote(context.year)}`);
  }

  return {
    subject,
    content: {
      to: person.address,
      subject,
      greeting: `Beste ${person.name},`,
      paragraphs,
      sections: parts.flatMap((part) => part.sections),
      ...(action ? { action } : {}),
      footer: footerFor(person, context.year, informal),
    },
  };
}
