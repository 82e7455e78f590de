import { Temporal } from 'temporal-polyfill';
import { getSchoolYear, whereIs, type Period, type SchoolYear } from '../calendar.ts';
import { TIME_ZONE } from '../clock.ts';
import { NotFoundError, ValidationError } from '../errors.ts';

/** A school year and one of its periods, as the overview and the CSV show them. */
export interface PeriodChoice {
  year: SchoolYear;
  period: Period;
}

/**
 * The period asked for by `jaar` and `periode` (query strings), or by default the current one
 * (between periods: the next one; after the last known year: its last period), in `years` (the
 * calendar of the deps, `deps.calendar.years`). Malformed values are a 400, a well-formed year or
 * period the calendar does not know a 404.
 */
export function choosePeriod(jaar: string | undefined, periode: string | undefined, now: Temporal.Instant, years: readonly SchoolYear[]): PeriodChoice {
  if (jaar === undefined && periode === undefined) return defaultPeriod(now, years);
  const here = defaultPeriod(now, years);
  const yearId = jaar ?? here.year.id;
  if (!/^\d{4}-\d{4}$/.test(yearId)) throw new ValidationError('Kies een schooljaar zoals 2025-2026.');
  const year = getSchoolYear(yearId, years);
  if (!year) throw new NotFoundError(`Schooljaar ${yearId} bestaat niet in de kalender.`);
  const number = periode ?? (here.year.id === year.id ? String(here.period.number) : '1');
  if (!/^\d{1,2}$/.test(number)) throw new ValidationError('Kies een periode van 1 tot en met 4.');
  const period = year.periods.find((p) => p.number === Number(number));
  if (!period) throw new NotFoundError(`Periode ${number} bestaat niet in schooljaar ${year.id}.`);
  return { year, period };
}

function defaultPeriod(now: Temporal.Instant, years: readonly SchoolYear[]): PeriodChoice {
  const here = whereIs(now, years);
  if (here.kind === 'period') return { year: here.year, period: here.period };
  if (here.next) return here.next;
  const year = years.at(-1);
  const period = year?.periods.at(-1);
  if (!year || !period) throw new NotFoundError('Er is geen schooljaar bekend.');
  return { year, period };
}

/**
 * An instant as Amsterdam wall-clock time to the minute, sortable: "2026-02-04 14:03". For the CSV,
 * where spreadsheets read it as a date and time; pages and emails use `formatDutchInstant`.
 */
export function amsterdamMinute(iso: string): string {
  return Temporal.Instant.from(iso)
    .toZonedDateTimeISO(TIME_ZONE)
    .toPlainDateTime()
    .toString({ smallestUnit: 'minute' })
    .replace('T', ' ');
}
