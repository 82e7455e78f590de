import { Temporal } from 'temporal-polyfill';

/** The time zone every date of the school year is in. */
export const TIME_ZONE = 'Europe/Amsterdam';

/** Clock port: everything that needs "now" asks a Clock, so demos and tests can set it. */
export interface Clock {
  now(): Temporal.Instant;
}

/** The real clock. */
export const systemClock: Clock = { now: () => Temporal.Now.instant() };

/** A clock that always answers the same instant. */
export function fixedClock(instant: Temporal.Instant): Clock {
  return { now: () => instant };
}

/**
 * Parses a NOW value: a plain date (2025-11-10, meaning the start of that day in Amsterdam),
 * a local date-time (2025-11-10T07:00, Amsterdam), or an instant with offset or Z.
 */
export function parseInstant(value: string): Temporal.Instant {
  const text = value.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    return Temporal.PlainDate.from(text).toZonedDateTime({ timeZone: TIME_ZONE }).toInstant();
  }
  if (/(Z|[+-]\d{2}:?\d{2})$/i.test(text)) {
    return Temporal.Instant.from(text);
  }
  return Temporal.PlainDateTime.from(text).toZonedDateTime(TIME_ZONE).toInstant();
}

/** The clock the configuration asks for: fixed when NOW is set, the real one otherwise. */
export function clockFromConfig(now: string | undefined): Clock {
  return now ? fixedClock(parseInstant(now)) : systemClock;
}

/** The Amsterdam calendar date of an instant. */
export function amsterdamDate(instant: Temporal.Instant): Temporal.PlainDate {
  return instant.toZonedDateTimeISO(TIME_ZONE).toPlainDate();
}
