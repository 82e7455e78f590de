import { Temporal } from 'temporal-polyfill';
import * as z from 'zod';
import { amsterdamDate, TIME_ZONE } from './clock.ts';
import data from './data/school-years.json' with { type: 'json' };

/**
 * The school-year calendar: school years and their four teaching periods (onderwijsperiodes, OP)
 * as data (`data/school-years.json`), validated at module load, and `whereIs()` to place an instant
 * in it. Dates are ISO calendar dates (YYYY-MM-DD) in Europe/Amsterdam; a period includes its start
 * and end day.
 */

/** A calendar date written as YYYY-MM-DD that exists (no 2025-02-30). */
const IsoDate = z.iso.date({
  // A missing value falls through to the "is missing" message of parseSchoolYears.
  error: (issue) => (issue.input === undefined ? undefined : 'must be a real date written as YYYY-MM-DD'),
});

/** The Dutch weekday names a placement day may have. */
export const PlacementDaySchema = z.enum(['maandag', 'dinsdag', 'woensdag', 'donderdag', 'vrijdag']);

/** Stable ids of the kijkwijzer (lesson-observation form) types the seeds name. */
export const KijkwijzerTypeSchema = z.enum(['pedagogiek', 'didactiek', 'vakdidactiek', 'digitale-didactiek']);

/** Stable ids of the forms that are requested from the WPB automatically in a period. */
export const AutoRequestFormSchema = z.enum(['advies-wpb', 'experiment-wpp7', 'experiment-wpp9', 'experiment-wpp10']);

/**
 * Where a value comes from: quoted from a seed text, published in a named document (what a
 * coordinator enters, e.g. "Studiehandleiding N2 2027-2028"), or derived (with the reason).
 */
export const ProvenanceSchema = z.discriminatedUnion('from', [
  z.strictObject({
    from: z.literal('seed'),
    /** File name of the seed text, e.g. "000_7f2593751dbf3382.txt". */
    seed: z.string().regex(/^\d{3}_[0-9a-f]+\.txt$/, 'must be a seed file name like 000_7f2593751dbf3382.txt'),
    /** Verbatim quotes (compared with whitespace collapsed). */
    quotes: z.array(z.string().min(1)).min(1),
  }),
  z.strictObject({
    from: z.literal('published'),
    /** The title of the document that publishes the value. */
    document: z.string().min(1),
    /** The words in that document, when given. */
    quote: z.string().min(1).optional(),
  }),
  z.strictObject({
    from: z.literal('derived'),
    reason: z.string().min(1),
  }),
]);

const PeriodShape = z.strictObject({
  number: z.number().int().min(1).max(4),
  start: IsoDate,
  end: IsoDate,
  /** The student's deadline; it holds until the end of that day in Amsterdam. */
  deadline: IsoDate,
  autoRequests: z.array(AutoRequestFormSchema),
  sources: z.strictObject({
    start: ProvenanceSchema,
    end: ProvenanceSchema,
    deadline: ProvenanceSchema,
    autoRequests: ProvenanceSchema.optional(),
  }),
});

const SchoolYearShape = z.strictObject({
  id: z.string().regex(/^\d{4}-\d{4}$/, 'must look like 2025-2026'),
  provisional: z.boolean(),
  /** Dutch note shown on pages; required when the year is provisional. */
  note: z.string().min(1).nullable(),
  source: z.string().min(1),
  start: IsoDate,
  end: IsoDate,
  placementStart: IsoDate.nullable(),
  placementDays: z.array(PlacementDaySchema).min(1),
  kijkwijzerTypes: z.array(KijkwijzerTypeSchema).min(1),
  requiredKijkwijzers: z
    .strictObject({
      byEndOfPeriod: z.number().int().min(1).max(4),
      types: z.array(KijkwijzerTypeSchema).min(1),
    })
    .nullable(),
  sources: z.strictObject({
    placementStart: ProvenanceSchema,
    placementDays: ProvenanceSchema,
    kijkwijzerTypes: ProvenanceSchema,
    requiredKijkwijzers: ProvenanceSchema,
  }),
  periods: z.array(PeriodShape),
});

/** Cross-field checks only make sense on a structurally valid value. */
const whenValid = { when: (payload: { issues: readonly unknown[] }) => payload.issues.length === 0 };

const PERIODS_PER_YEAR = 4;

const date = (iso: string): Temporal.PlainDate => Temporal.PlainDate.from(iso, { overflow: 'reject' });
const before = (a: string, b: string): boolean => Temporal.PlainDate.compare(date(a), date(b)) < 0;

function duplicates<T>(values: readonly T[]): T[] {
  return [...new Set(values.filter((value, index) => values.indexOf(value) !== index))];
}

/** One school year, with the checks that span its fields. */
export const SchoolYearSchema = SchoolYearShape.superRefine((year, ctx) => {
  const issue = (path: (string | number)[], message: string): void => {
    ctx.addIssue({ code: 'custom', path, message });
  };
  const [first, second] = year.id.split('-').map(Number);
  if (second !== Number(first) + 1) issue(['id'], `must name two consecutive years, got ${year.id}`);
  if (date(year.start).year !== first) issue(['start'], `${year.start} must fall in ${first}`);
  if (date(year.end).year !== second) issue(['end'], `${year.end} must fall in ${second}`);
  if (!before(year.start, year.end)) issue(['end'], `${year.end} must be after the start ${year.start}`);
  if (year.provisional && year.note === null) issue(['note'], 'a provisional school year needs a Dutch note for pages');
  if (year.placementStart !== null && (before(year.placementStart, year.start) || before(year.end, year.placementStart))) {
    issue(['placementStart'], `${year.placementStart} is outside the school year ${year.start}..${year.end}`);
  }
  for (const day of duplicates(year.placementDays)) issue(['placementDays'], `${day} is listed twice`);
  for (const type of duplicates(year.kijkwijzerTypes)) issue(['kijkwijzerTypes'], `${type} is listed twice`);
  for (const type of year.requiredKijkwijzers?.types ?? []) {
    if (!year.kijkwijzerTypes.includes(type)) {
      issue(['requiredKijkwijzers', 'types'], `${type} is required but not among the kijkwijzerTypes of this year`);
    }
  }

  if (year.periods.length !== PERIODS_PER_YEAR) {
    issue(['periods'], `must list exactly ${PERIODS_PER_YEAR} periods, got ${year.periods.length}`);
  }
  year.periods.forEach((period, index) => {
    const at = (field: string): (string | number)[] => ['periods', index, field];
    if (period.number !== index + 1) {
      issue(at('number'), `periods must be numbered 1..4 in order; expected ${index + 1}, got ${period.number}`);
    }
    if (before(period.end, period.start)) issue(at('end'), `${period.end} is before the start ${period.start}`);
    if (before(period.deadline, period.start) || before(period.end, period.deadline)) {
      issue(at('deadline'), `${period.deadline} is outside the period ${period.start}..${period.end}`);
    }
    if (before(period.start, year.start)) issue(at('start'), `${period.start} is before the school year starts (${year.start})`);
    if (before(year.end, period.end)) issue(at('end'), `${period.end} is after the school year ends (${year.end})`);
    for (const form of duplicates(period.autoRequests)) issue(at('autoRequests'), `${form} is listed twice`);
    if (period.autoRequests.length > 0 && period.sources.autoRequests === undefined) {
      issue(['periods', index, 'sources', 'autoRequests'], 'automatic requests need a source');
    }
    const next = year.periods[index + 1];
    if (next !== undefined && !before(period.end, next.start)) {
      issue(
        at('end'),
        `period ${period.number} ends ${period.end}, not before period ${next.number} starts ${next.start} (periods overlap)`,
      );
    }
  });
}, whenValid);

/** The whole data file: an explanation for editors and the school years in chronological order. */
export const SchoolYearsFileSchema = z
  .strictObject({
    uitleg: z.array(z.string()).optional(),
    schoolYears: z.array(SchoolYearSchema).min(1),
  })
  .superRefine((file, ctx) => {
    file.schoolYears.forEach((year, index) => {
      const previous = file.schoolYears[index - 1];
      if (file.schoolYears.findIndex((other) => other.id === year.id) !== index) {
        ctx.addIssue({ code: 'custom', path: ['schoolYears', index, 'id'], message: `${year.id} is listed twice` });
      } else if (previous !== undefined && !before(previous.end, year.start)) {
        ctx.addIssue({
          code: 'custom',
          path: ['schoolYears', index, 'start'],
          message: `${year.start} must be after the end of the previous school year ${previous.id} (${previous.end}); list school years in order without overlap`,
        });
      }
    });
  }, whenValid);

/** The parsed data file. */
export type SchoolYearsFile = z.infer<typeof SchoolYearsFileSchema>;
/** One school year. */
export type SchoolYear = z.infer<typeof SchoolYearSchema>;
/** One teaching period (onderwijsperiode) of a school year. */
export type Period = SchoolYear['periods'][number];
/** Where a value in the data file comes from. */
export type Provenance = z.infer<typeof ProvenanceSchema>;
/** A kijkwijzer type id. */
export type KijkwijzerType = z.infer<typeof KijkwijzerTypeSchema>;
/** A form id requested automatically from the WPB. */
export type AutoRequestForm = z.infer<typeof AutoRequestFormSchema>;
/** A Dutch weekday name. */
export type PlacementDay = z.infer<typeof PlacementDaySchema>;

/** The school-years data is invalid; the message names the school year, period and field. */
export class CalendarDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CalendarDataError';
  }
}

/** Describes an issue path in words, naming the school year by its id where the input has one. */
function describePath(path: readonly PropertyKey[], input: unknown): string {
  const words: string[] = [];
  let node: unknown = input;
  for (let i = 0; i < path.length; i++) {
    const key = path[i];
    const parent = path[i - 1];
    const child: unknown =
      node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key as PropertyKey] : undefined;
    if (typeof key === 'number' && parent === 'schoolYears') {
      const id = child !== null && typeof child === 'object' ? (child as { id?: unknown }).id : undefined;
      words.push(`school year ${typeof id === 'string' ? id : `#${key + 1}`}`);
    } else if (typeof key === 'number' && parent === 'periods') {
      words.push(`period ${key + 1}`);
    } else if (!((key === 'schoolYears' || key === 'periods') && typeof path[i + 1] === 'number')) {
      words.push(String(key));
    }
    node = child;
  }
  return words.length > 0 ? words.join(', ') : 'file';
}

/**
 * Validates a candidate school-years file (the parsed JSON) and returns its school years.
 * Throws a CalendarDataError listing every problem, each naming the school year and field.
 */
export function parseSchoolYears(json: unknown): SchoolYear[] {
  const result = SchoolYearsFileSchema.safeParse(json, {
    error: (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? 'is missing' : undefined),
  });
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${describePath(issue.path, json)}: ${issue.message}`);
    throw new CalendarDataError(`Invalid school-years data: ${problems.join('; ')}`);
  }
  return result.data.schoolYears;
}

/** The school years of `data/school-years.json`, validated at module load, in chronological order. */
export const schoolYears: readonly SchoolYear[] = parseSchoolYears(data);

/** The school year with this id ("2025-2026"), or undefined. */
export function getSchoolYear(id: string, years: readonly SchoolYear[] = schoolYears): SchoolYear | undefined {
  return years.find((year) => year.id === id);
}

/** Period `n` (1..4) of the school year `yearId`, or undefined. */
export function getPeriod(yearId: string, n: number, years: readonly SchoolYear[] = schoolYears): Period | undefined {
  return getSchoolYear(yearId, years)?.periods.find((period) => period.number === n);
}

/** A period together with the school year it belongs to. */
export interface PeriodRef {
  year: SchoolYear;
  period: Period;
}

/** Where an instant falls in the calendar; `date` is its Amsterdam calendar date. */
export type Whereabouts =
  | { kind: 'period'; date: Temporal.PlainDate; year: SchoolYear; period: Period }
  | { kind: 'between'; date: Temporal.PlainDate; year: SchoolYear; previous: Period | null; next: PeriodRef | null }
  | { kind: 'none'; date: Temporal.PlainDate; next: PeriodRef | null };

const within = (day: Temporal.PlainDate, start: string, end: string): boolean =>
  Temporal.PlainDate.compare(date(start), day) <= 0 && Temporal.PlainDate.compare(day, date(end)) <= 0;

/**
 * Places an instant in the calendar, by its calendar date in Amsterdam: inside a period; in a school
 * year but between periods (before OP1, in a gap, or after OP4), with the previous period of that
 * year and the next period (possibly in the following school year); or in no school year at all.
 */
export function whereIs(instant: Temporal.Instant, years: readonly SchoolYear[] = schoolYears): Whereabouts {
  const day = amsterdamDate(instant);
  const ordered = [...years].sort((a, b) => Temporal.PlainDate.compare(date(a.start), date(b.start)));
  const upcoming = ordered
    .flatMap((year) => year.periods.map((period) => ({ year, period })))
    .find(({ period }) => Temporal.PlainDate.compare(date(period.start), day) > 0);
  const next = upcoming ?? null;

  const year = ordered.find((candidate) => within(day, candidate.start, candidate.end));
  if (year === undefined) return { kind: 'none', date: day, next };

  const period = year.periods.find((candidate) => within(day, candidate.start, candidate.end));
  if (period !== undefined) return { kind: 'period', date: day, year, period };

  const previous =
    year.periods.findLast((candidate) => Temporal.PlainDate.compare(date(candidate.end), day) < 0) ?? null;
  return { kind: 'between', date: day, year, previous, next };
}

/** The start of a calendar day in Amsterdam, as an instant. */
export function startOfAmsterdamDay(day: Temporal.PlainDate | string): Temporal.Instant {
  return Temporal.PlainDate.from(day).toZonedDateTime({ timeZone: TIME_ZONE }).toInstant();
}

/**
 * The moment a period's deadline passes: the end of the deadline day in Amsterdam, i.e. the
 * midnight that starts the next day (2026-02-04 gives 2026-02-04T23:00:00Z).
 */
export function deadlineInstant(period: Pick<Period, 'deadline'>): Temporal.Instant {
  return startOfAmsterdamDay(date(period.deadline).add({ days: 1 }));
}

/**
 * One formatter for every Dutch date, made once: building an Intl formatter costs far more than
 * using one, and pages and emails format dozens of dates. It formats the date's midnight in UTC,
 * so the calendar date is exactly the one given, whatever the machine's time zone.
 */
const DUTCH_DATE = new Intl.DateTimeFormat('nl-NL', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/** A date in Dutch with its weekday: "2026-02-04" gives "woensdag 4 februari 2026". */
export function formatDutchDate(day: Temporal.PlainDate | string): string {
  const { year, month, day: dayOfMonth } = Temporal.PlainDate.from(day);
  const midnight = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC reads the years 0 to 99 as 1900 to 1999.
  midnight.setUTCFullYear(year, month - 1, dayOfMonth);
  return DUTCH_DATE.format(midnight);
}

/**
 * An instant (a stored ISO timestamp) as people in the Netherlands read it: its date in Amsterdam,
 * through {@link formatDutchDate}, and with `time` the Amsterdam clock time. 2025-11-10T23:30:00Z
 * gives "dinsdag 11 november 2025", or "dinsdag 11 november 2025 om 00:30" (`time: 'minute'`),
 * "… om 00:30:00" (`time: 'second'`). Every instant shown on a page or in an email goes through
 * here: never the UTC date of `toString().slice(0, 10)`.
 */
export function formatDutchInstant(instant: Temporal.Instant | string, options: { time?: 'minute' | 'second' } = {}): string {
  const zoned = Temporal.Instant.from(instant).toZonedDateTimeISO(TIME_ZONE);
  const day = formatDutchDate(zoned.toPlainDate());
  return options.time ? `${day} om ${zoned.toPlainTime().toString({ smallestUnit: options.time })}` : day;
}

/** The Dutch label of a period: "periode 2 (OP2)". */
export function periodLabel(period: Pick<Period, 'number'>): string {
  return `periode ${period.number} (OP${period.number})`;
}
