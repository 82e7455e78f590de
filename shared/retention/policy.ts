import { Temporal } from 'temporal-polyfill';
import { TIME_ZONE } from '../clock.ts';

/**
 * The first school year the purge looks at. Nothing older can exist (the service started with
 * 2024-2025); looking a few years further back costs a handful of empty queries a month.
 */
export const FIRST_SCHOOL_YEAR = 2020;

const SCHOOL_YEAR_ID = /^(\d{4})-(\d{4})$/;

/** The first calendar year of a school year id such as `2025-2026`; throws on anything else. */
export function schoolYearStart(id: string): number {
  const match = SCHOOL_YEAR_ID.exec(id);
  const first = Number(match?.[1]);
  if (!match || Number(match[2]) !== first + 1) throw new Error(`not a school year: ${JSON.stringify(id)}`);
  return first;
}

/** The school year id that starts in this calendar year. */
export function schoolYearId(firstYear: number): string {
  return `${firstYear}-${firstYear + 1}`;
}

/**
 * When a school year ends: 1 September 00:00 Amsterdam time of its second calendar year (a Dutch
 * school year runs to 31 August, whatever its last teaching week).
 */
export function schoolYearEnd(id: string): Temporal.Instant {
  const first = schoolYearStart(id);
  return Temporal.PlainDateTime.from({ year: first + 1, month: 9, day: 1 }).toZonedDateTime(TIME_ZONE).toInstant();
}

/** When a school year's data is deleted: `retentionYears` whole school years after it ended. */
export function purgeDate(id: string, retentionYears: number): Temporal.Instant {
  const first = schoolYearStart(id);
  return schoolYearEnd(schoolYearId(first + retentionYears));
}

/** The school years whose data is due for deletion at `now`, oldest first. */
export function dueSchoolYears(now: Temporal.Instant, retentionYears: number, firstYear = FIRST_SCHOOL_YEAR): string[] {
  const due: string[] = [];
  for (let year = firstYear; Temporal.Instant.compare(purgeDate(schoolYearId(year), retentionYears), now) <= 0; year++) {
    due.push(schoolYearId(year));
  }
  return due;
}
