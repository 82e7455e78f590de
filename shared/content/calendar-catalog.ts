import { formatDutchDate, getSchoolYear, schoolYears, type Provenance, type SchoolYear } from '../calendar.ts';
import { isProvisional as tasksProvisional, PERIODS, ROLES, TASKS, tasksFor, type Role, type Task, type TaskFile, type YearTasks } from '../tasks.ts';

/**
 * The school-year calendar and the tasks as a port (docs/year-content.md, "Ports"): the content a
 * coordinator may publish at run time reaches code through `deps.calendar`, never through the
 * module constants of calendar.ts and tasks.ts. Read `years` and `tasks` at the moment of use: a
 * live implementation swaps its snapshot behind them.
 */
export interface CalendarCatalog {
  /** Every school year, chronological. */
  readonly years: readonly SchoolYear[];
  /** The tasks file (shipped tasks.json merged with published years). */
  readonly tasks: TaskFile;
  /** The tasks of a role in a period of a school year; empty for a year without tasks. */
  tasksFor(yearId: string, role: Role, period: number): Task[];
  /** Whether a school year is provisional: its calendar or its tasks say so. */
  isProvisional(yearId: string): boolean;
}

/** A catalog over a fixed calendar (put in chronological order) and tasks file. */
export function calendarCatalog(years: readonly SchoolYear[], tasks: TaskFile): CalendarCatalog {
  const chronological = [...years].sort((a, b) => a.start.localeCompare(b.start));
  return {
    years: chronological,
    tasks,
    tasksFor: (yearId, role, period) => tasksFor(yearId, role, period, tasks),
    isProvisional: (yearId) => getSchoolYear(yearId, chronological)?.provisional === true || tasksProvisional(yearId, tasks),
  };
}

/**
 * The catalog with one school year published: `year` replaces the year with its id (or joins the
 * others, chronologically) with `yearTasks` as its tasks. A year whose tasks were `sameAs` the
 * replaced year keeps the tasks it had, written out as its own: publishing a year never changes
 * another one. What a concept's preview shows; live.ts merges published years by the same rule.
 */
export function withYear(catalog: Pick<CalendarCatalog, 'years' | 'tasks'>, year: SchoolYear, yearTasks: YearTasks): CalendarCatalog {
  const file = catalog.tasks;
  const years: TaskFile['years'] = { ...file.years };
  for (const [yearId, entry] of Object.entries(file.years)) {
    if (yearId !== year.id && entry.sameAs === year.id) years[yearId] = ownTasks(file, yearId);
  }
  years[year.id] = yearTasks;
  return calendarCatalog([...catalog.years.filter((other) => other.id !== year.id), year], { ...file, years });
}

/**
 * A year's tasks written out as its own (`sameAs` resolved, ids re-prefixed), with its note and
 * provisional mark: what a year's workbook shows, and what a year that copied a replaced year keeps.
 */
export function ownTasks(file: TaskFile, yearId: string): YearTasks {
  const { note, provisional } = file.years[yearId] ?? {};
  const roles = Object.fromEntries(
    ROLES.map((role) => [role, Object.fromEntries(PERIODS.map((period) => [`OP${period}`, tasksFor(yearId, role, period, file)]))]),
  ) as Required<Pick<YearTasks, (typeof ROLES)[number]>>;
  return { ...(note === undefined ? {} : { note }), ...(provisional === undefined ? {} : { provisional }), ...roles };
}

/** The shipped content: shared/data/school-years.json and tasks.json, as validated at module load. */
export const shippedCalendar: CalendarCatalog = calendarCatalog(schoolYears, TASKS);

/** What a provisional year shows when its calendar has no note of its own (only its tasks are provisional). */
export const PROVISIONAL_FALLBACK_NOTE = 'De planning van dit schooljaar kan nog veranderen.';

/** The Dutch note of a provisional year, for pages, emails and calendar feeds. */
export function provisionalNote(year: Pick<SchoolYear, 'note'>): string {
  return year.note ?? PROVISIONAL_FALLBACK_NOTE;
}

/** Why a calendar date was derived rather than published, or undefined for a date that was not. */
export function derivedReason(source: Provenance | undefined): string | undefined {
  return source !== undefined && source.from === 'derived' ? source.reason : undefined;
}

/** "afgeleid: <reason>" (the reason trimmed, without its closing full stop) for a derived date, else undefined. */
export function derivedNote(source: Provenance | undefined): string | undefined {
  const reason = derivedReason(source);
  return reason === undefined ? undefined : `afgeleid: ${reason.trim().replace(/\.$/, '')}`;
}

/**
 * A calendar date in Dutch with why it was derived: "vrijdag 15 november 2024 (afgeleid: De tekst
 * noemt geen deadline per periode; de laatste dag van de periode is gebruikt)". What /kalender, the
 * digests, the request emails and the calendar feeds' descriptions say of a derived date.
 */
export function calendarDateWithReason(day: string, source: Provenance | undefined): string {
  const note = derivedNote(source);
  return note === undefined ? formatDutchDate(day) : `${formatDutchDate(day)} (${note})`;
}

/**
 * A calendar date in Dutch, marked when it was derived rather than published: "woensdag 4 februari
 * 2026 (afgeleid)". Where the reason was said before (a heading, a later mention, an event's summary).
 */
export function calendarDate(day: string, source: Provenance | undefined): string {
  const text = formatDutchDate(day);
  return derivedReason(source) === undefined ? text : `${text} (afgeleid)`;
}
