import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import {
  CalendarDataError,
  deadlineInstant,
  formatDutchDate,
  formatDutchInstant,
  getPeriod,
  getSchoolYear,
  parseSchoolYears,
  periodLabel,
  schoolYears,
  whereIs,
} from '../../shared/calendar.ts';
import type { Period, Provenance, SchoolYear, Whereabouts } from '../../shared/calendar.ts';
import { amsterdamDate, TIME_ZONE } from '../../shared/clock.ts';
import data from '../../shared/data/school-years.json' with { type: 'json' };

/** An Amsterdam wall-clock time ("2024-09-08T23:59:59.999") as an instant. */
function amsterdam(local: string): Temporal.Instant {
  return Temporal.PlainDateTime.from(local).toZonedDateTime(TIME_ZONE).toInstant();
}

function utc(iso: string): Temporal.Instant {
  return Temporal.Instant.from(iso);
}

function plainDate(iso: string): Temporal.PlainDate {
  return Temporal.PlainDate.from(iso);
}

/** A compact view of a whereIs answer, so one assertion shows the whole outcome. */
function summary(where: Whereabouts): string {
  const ref = (next: { year: SchoolYear; period: Period } | null): string =>
    next === null ? 'none' : `${next.year.id} OP${next.period.number}`;
  switch (where.kind) {
    case 'period':
      return `${where.date} period ${where.year.id} OP${where.period.number}`;
    case 'between': {
      const previous = where.previous === null ? 'none' : `OP${where.previous.number}`;
      return `${where.date} between in ${where.year.id} after ${previous} next ${ref(where.next)}`;
    }
    case 'none':
      return `${where.date} none next ${ref(where.next)}`;
  }
}

type CandidateFile = typeof data;

/** A fresh, editable copy of the real data file. */
function candidate(): CandidateFile {
  return structuredClone(data);
}

function yearIn(file: CandidateFile, id: string): CandidateFile['schoolYears'][number] {
  const year = file.schoolYears.find((candidateYear) => candidateYear.id === id);
  if (year === undefined) throw new Error(`test setup: no school year ${id}`);
  return year;
}

function periodIn(file: CandidateFile, id: string, n: number): CandidateFile['schoolYears'][number]['periods'][number] {
  const period = yearIn(file, id).periods.find((candidatePeriod) => candidatePeriod.number === n);
  if (period === undefined) throw new Error(`test setup: no period ${n} in ${id}`);
  return period;
}

/** The error parseSchoolYears throws for a candidate; fails the test when it accepts it. */
function rejectionOf(file: unknown): CalendarDataError {
  try {
    parseSchoolYears(file);
  } catch (error) {
    if (error instanceof CalendarDataError) return error;
    throw error;
  }
  throw new Error('expected the candidate file to be rejected');
}

const yearPeriods = schoolYears.flatMap((year) =>
  year.periods.map((period) => ({ year, period, name: `${year.id} OP${period.number}` })),
);

describe('the school-years data file', () => {
  it('holds 2024-2025, 2025-2026 and a provisional 2026-2027, in order', () => {
    const summaryOfYears = schoolYears.map((year) => `${year.id}${year.provisional ? ' (voorlopig)' : ''}`);

    expect(summaryOfYears).toEqual(['2024-2025', '2025-2026', '2026-2027 (voorlopig)']);
  });

  it('gives the provisional year a Dutch note for pages', () => {
    const note = getSchoolYear('2026-2027')?.note;

    expect(note).toMatch(/^De datums voor 2026-2027 zijn nog niet gepubliceerd/);
  });

  it('has the 2024-2025 periods and portfolio deadline from seed 001', () => {
    const periods = getSchoolYear('2024-2025')?.periods.map(({ start, end, deadline }) => [start, end, deadline]);

    expect(periods).toEqual([
      ['2024-09-09', '2024-11-15', '2024-11-15'],
      ['2024-11-25', '2025-02-07', '2025-02-07'],
      ['2025-02-10', '2025-04-25', '2025-04-25'],
      ['2025-05-05', '2025-07-11', '2025-06-04'],
    ]);
  });

  it('has the 2025-2026 student deadlines from seed 000', () => {
    const deadlines = getSchoolYear('2025-2026')?.periods.map((period) => period.deadline);

    expect(deadlines).toEqual(['2025-11-12', '2026-02-04', '2026-04-22', '2026-05-29']);
  });

  it('shifts every 2026-2027 date exactly 52 weeks from 2025-2026', () => {
    const shifted = getSchoolYear('2025-2026')?.periods.map((period) =>
      [period.start, period.end, period.deadline].map((day) => plainDate(day).add({ weeks: 52 }).toString()),
    );

    const provisional = getSchoolYear('2026-2027')?.periods.map(({ start, end, deadline }) => [start, end, deadline]);

    expect(provisional).toEqual(shifted);
  });

  it.each(yearPeriods)('starts $name on a Monday and ends it on a Friday', ({ period }) => {
    const weekdays = [plainDate(period.start).dayOfWeek, plainDate(period.end).dayOfWeek];

    expect(weekdays).toEqual([1, 5]);
  });

  it('marks a 2024-2025 deadline without a seed source as derived', () => {
    const source = getPeriod('2024-2025', 2)?.sources.deadline;

    expect(source?.from).toBe('derived');
  });

  it('lists the forms requested automatically per period', () => {
    const requests = Object.fromEntries(
      schoolYears.map((year) => [year.id, year.periods.map((period) => period.autoRequests)]),
    );

    expect(requests).toEqual({
      '2024-2025': [['experiment-wpp7'], [], ['experiment-wpp9', 'advies-wpb'], ['experiment-wpp10']],
      '2025-2026': [[], [], [], ['advies-wpb']],
      '2026-2027': [[], [], [], ['advies-wpb']],
    });
  });

  it('requires all three kijkwijzer types by the end of period 3 from 2025-2026 on', () => {
    const required = schoolYears.map((year) => year.requiredKijkwijzers);

    expect(required).toEqual([
      null,
      { byEndOfPeriod: 3, types: ['pedagogiek', 'didactiek', 'vakdidactiek'] },
      { byEndOfPeriod: 3, types: ['pedagogiek', 'didactiek', 'vakdidactiek'] },
    ]);
  });

  it('quotes every seed value verbatim from its seed text', () => {
    const normalise = (text: string): string => text.replace(/\s+/g, ' ').trim();
    const provenances: Provenance[] = schoolYears.flatMap((year) => [
      ...Object.values(year.sources),
      ...year.periods.flatMap((period) => Object.values(period.sources).filter((source) => source !== undefined)),
    ]);
    const seedQuotes = provenances.flatMap((source) =>
      source.from === 'seed' ? source.quotes.map((quote) => ({ seed: source.seed, quote })) : [],
    );

    const missing = seedQuotes.filter(({ seed, quote }) => {
      const text = readFileSync(new URL(`../../shared/data/seeds/${seed}`, import.meta.url), 'utf8');
      return !normalise(text).includes(normalise(quote));
    });

    expect(seedQuotes.length).toBeGreaterThan(10);
    expect(missing).toEqual([]);
  });
});

describe('getSchoolYear and getPeriod', () => {
  it('find a period by school year and number', () => {
    const period = getPeriod('2025-2026', 2);

    expect(period?.start).toBe('2025-11-24');
  });

  it('answer undefined for an unknown school year', () => {
    const year = getSchoolYear('2019-2020');

    expect(year).toBeUndefined();
  });
});

describe('whereIs at the boundaries of every period', () => {
  describe.each(yearPeriods)('$name', ({ year, period }) => {
    const dayBeforeStart = plainDate(period.start).subtract({ days: 1 });
    const dayAfterEnd = plainDate(period.end).add({ days: 1 });

    it('is not yet in the period at 23:59:59.999 Amsterdam on the day before it starts', () => {
      const where = whereIs(amsterdam(`${dayBeforeStart}T23:59:59.999`));

      expect(where.kind).toBe('between');
      expect(where.kind === 'between' && where.next).toEqual({ year, period });
    });

    it('is in the period from 00:00 Amsterdam on its start day', () => {
      const where = whereIs(amsterdam(`${period.start}T00:00`));

      expect(where).toMatchObject({ kind: 'period', year: { id: year.id }, period: { number: period.number } });
    });

    it('is still in the period at 23:59:59.999 Amsterdam on its end day', () => {
      const where = whereIs(amsterdam(`${period.end}T23:59:59.999`));

      expect(where).toMatchObject({ kind: 'period', year: { id: year.id }, period: { number: period.number } });
    });

    it('has left the period at the midnight after its end day', () => {
      const where = whereIs(amsterdam(`${dayAfterEnd}T00:00`));

      expect(where.kind).toBe('between');
      expect(where.kind === 'between' && where.previous).toEqual(period);
    });
  });
});

describe('whereIs with raw UTC instants', () => {
  it.each([
    { instant: '2024-09-08T21:59:59.999Z', expected: '2024-09-08 between in 2024-2025 after none next 2024-2025 OP1' },
    { instant: '2024-09-08T22:00:00Z', expected: '2024-09-09 period 2024-2025 OP1' },
    { instant: '2024-11-24T22:59:59.999Z', expected: '2024-11-24 between in 2024-2025 after OP1 next 2024-2025 OP2' },
    { instant: '2024-11-24T23:00:00Z', expected: '2024-11-25 period 2024-2025 OP2' },
    { instant: '2025-11-14T22:59:59.999Z', expected: '2025-11-14 period 2025-2026 OP1' },
    { instant: '2025-11-14T23:00:00Z', expected: '2025-11-15 between in 2025-2026 after OP1 next 2025-2026 OP2' },
    { instant: '2026-04-26T21:59:59.999Z', expected: '2026-04-26 between in 2025-2026 after OP3 next 2025-2026 OP4' },
    { instant: '2026-04-26T22:00:00Z', expected: '2026-04-27 period 2025-2026 OP4' },
  ])('places $instant on the Amsterdam calendar date', ({ instant, expected }) => {
    const where = whereIs(utc(instant));

    expect(summary(where)).toBe(expected);
  });
});

describe('whereIs across daylight-saving changes', () => {
  it.each([
    // Spring forward on 2025-03-30 at 01:00 UTC (02:00 CET becomes 03:00 CEST).
    { instant: '2025-03-29T22:59:59.999Z', expected: '2025-03-29 period 2024-2025 OP3' },
    { instant: '2025-03-29T23:00:00Z', expected: '2025-03-30 period 2024-2025 OP3' },
    { instant: '2025-03-30T00:59:59.999Z', expected: '2025-03-30 period 2024-2025 OP3' },
    { instant: '2025-03-30T01:00:00Z', expected: '2025-03-30 period 2024-2025 OP3' },
    { instant: '2025-03-30T02:30:00Z', expected: '2025-03-30 period 2024-2025 OP3' },
    { instant: '2025-03-30T21:59:59.999Z', expected: '2025-03-30 period 2024-2025 OP3' },
    { instant: '2025-03-30T22:00:00Z', expected: '2025-03-31 period 2024-2025 OP3' },
    // Fall back on 2025-10-26 at 01:00 UTC (03:00 CEST becomes 02:00 CET); 02:30 happens twice.
    { instant: '2025-10-25T21:59:59.999Z', expected: '2025-10-25 period 2025-2026 OP1' },
    { instant: '2025-10-25T22:00:00Z', expected: '2025-10-26 period 2025-2026 OP1' },
    { instant: '2025-10-26T00:30:00Z', expected: '2025-10-26 period 2025-2026 OP1' },
    { instant: '2025-10-26T01:30:00Z', expected: '2025-10-26 period 2025-2026 OP1' },
    { instant: '2025-10-26T02:59:59.999Z', expected: '2025-10-26 period 2025-2026 OP1' },
    { instant: '2025-10-26T22:59:59.999Z', expected: '2025-10-26 period 2025-2026 OP1' },
    { instant: '2025-10-26T23:00:00Z', expected: '2025-10-27 period 2025-2026 OP1' },
    // Spring forward on 2026-03-29 and fall back on 2026-10-25 (provisional year).
    { instant: '2026-03-29T00:30:00Z', expected: '2026-03-29 period 2025-2026 OP3' },
    { instant: '2026-03-29T01:30:00Z', expected: '2026-03-29 period 2025-2026 OP3' },
    { instant: '2026-03-29T02:30:00Z', expected: '2026-03-29 period 2025-2026 OP3' },
    { instant: '2026-10-25T00:30:00Z', expected: '2026-10-25 period 2026-2027 OP1' },
    { instant: '2026-10-25T01:30:00Z', expected: '2026-10-25 period 2026-2027 OP1' },
    { instant: '2026-10-25T02:30:00Z', expected: '2026-10-25 period 2026-2027 OP1' },
  ])('places $instant in the right period and date', ({ instant, expected }) => {
    const where = whereIs(utc(instant));

    expect(summary(where)).toBe(expected);
  });

  it('treats the 23-hour day of 2025-03-30 as one calendar day', () => {
    const firstInstant = amsterdam('2025-03-30T00:00');
    const nextMidnight = amsterdam('2025-03-31T00:00');

    const hours = firstInstant.until(nextMidnight).total('hours');

    expect(hours).toBe(23);
    expect(amsterdamDate(nextMidnight.subtract({ milliseconds: 1 })).toString()).toBe('2025-03-30');
  });
});

describe('whereIs outside the periods', () => {
  it('puts 20 November 2024 between periods, with OP2 starting 25 November next', () => {
    const where = whereIs(amsterdam('2024-11-20T12:00'));

    expect(summary(where)).toBe('2024-11-20 between in 2024-2025 after OP1 next 2024-2025 OP2');
    expect(where.kind === 'between' && where.next?.period.start).toBe('2024-11-25');
  });

  it('points from the summer after OP4 of 2024-2025 to OP1 of 2025-2026', () => {
    const where = whereIs(amsterdam('2025-07-20T12:00'));

    expect(summary(where)).toBe('2025-07-20 between in 2024-2025 after OP4 next 2025-2026 OP1');
  });

  it('puts the start of a school year before OP1 between periods with no previous period', () => {
    const where = whereIs(amsterdam('2025-08-15T09:00'));

    expect(summary(where)).toBe('2025-08-15 between in 2025-2026 after none next 2025-2026 OP1');
  });

  it('puts today, 22 November 2026, between periods of the provisional 2026-2027 with OP2 next', () => {
    const where = whereIs(amsterdam('2026-11-22T10:00'));

    expect(summary(where)).toBe('2026-11-22 between in 2026-2027 after OP1 next 2026-2027 OP2');
    expect(where.kind === 'between' && where.year.provisional).toBe(true);
  });

  it('has no next period after OP4 of the last known school year', () => {
    const where = whereIs(amsterdam('2027-07-20T12:00'));

    expect(summary(where)).toBe('2027-07-20 between in 2026-2027 after OP4 next none');
  });

  it('answers none, with the first period next, for a date before every school year', () => {
    const where = whereIs(amsterdam('2023-01-01T12:00'));

    expect(summary(where)).toBe('2023-01-01 none next 2024-2025 OP1');
  });

  it('answers none, with nothing next, for a date after every school year', () => {
    const where = whereIs(amsterdam('2030-01-01T12:00'));

    expect(summary(where)).toBe('2030-01-01 none next none');
  });

  it('uses the school years it is given instead of the data file', () => {
    const onlyLastYear = schoolYears.filter((year) => year.id === '2026-2027');

    const where = whereIs(amsterdam('2025-10-01T12:00'), onlyLastYear);

    expect(summary(where)).toBe('2025-10-01 none next 2026-2027 OP1');
  });
});

describe('whereIs for any instant', () => {
  const first = schoolYears[0]?.start ?? '';
  const last = schoolYears.at(-1)?.end ?? '';

  it('answers with the Amsterdam date and a period that contains it, or a gap around it', () => {
    const instants = fc
      .date({ min: new Date(`${first}T00:00:00Z`), max: new Date(`${last}T12:00:00Z`), noInvalidDate: true })
      .map((moment) => Temporal.Instant.fromEpochMilliseconds(moment.getTime()));
    const contains = (period: Period, day: Temporal.PlainDate): boolean =>
      Temporal.PlainDate.compare(plainDate(period.start), day) <= 0 &&
      Temporal.PlainDate.compare(day, plainDate(period.end)) <= 0;

    fc.assert(
      fc.property(instants, (instant) => {
        const day = amsterdamDate(instant);
        const where = whereIs(instant);

        expect(where.date.equals(day)).toBe(true);
        if (where.kind === 'period') {
          expect(contains(where.period, day)).toBe(true);
        } else if (where.kind === 'between') {
          expect(yearPeriods.some(({ period }) => contains(period, day))).toBe(false);
          // No next period: none starts later; no previous one: none of this year has ended.
          if (where.next !== null) expect(Temporal.PlainDate.compare(plainDate(where.next.period.start), day)).toBe(1);
          else expect(yearPeriods.some(({ period }) => Temporal.PlainDate.compare(plainDate(period.start), day) > 0)).toBe(false);
          if (where.previous !== null) expect(Temporal.PlainDate.compare(plainDate(where.previous.end), day)).toBe(-1);
          else expect(where.year.periods.some((period) => Temporal.PlainDate.compare(plainDate(period.end), day) < 0)).toBe(false);
        }
      }),
    );
  });

  it('never throws for instants far outside the school years', () => {
    const instants = fc
      .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2200-01-01T00:00:00Z'), noInvalidDate: true })
      .map((moment) => Temporal.Instant.fromEpochMilliseconds(moment.getTime()));

    fc.assert(
      fc.property(instants, (instant) => {
        expect(['period', 'between', 'none']).toContain(whereIs(instant).kind);
      }),
    );
  });
});

describe('deadlineInstant', () => {
  it('ends the deadline day of 4 February 2026 at midnight Amsterdam winter time', () => {
    const deadline = deadlineInstant({ deadline: '2026-02-04' });

    expect(deadline.toString()).toBe('2026-02-04T23:00:00Z');
  });

  it('ends the deadline day of 29 May 2026 at midnight Amsterdam summer time', () => {
    const period = getPeriod('2025-2026', 4);
    if (period === undefined) throw new Error('test setup: no OP4 in 2025-2026');

    const deadline = deadlineInstant(period);

    expect(deadline.toString()).toBe('2026-05-29T22:00:00Z');
  });

  it.each(yearPeriods)('keeps the last millisecond of the $name deadline on the deadline day', ({ period }) => {
    const lastMoment = deadlineInstant(period).subtract({ milliseconds: 1 });

    expect(amsterdamDate(lastMoment).toString()).toBe(period.deadline);
  });
});

describe('formatDutchDate and periodLabel', () => {
  it.each([
    { day: '2026-02-04', expected: 'woensdag 4 februari 2026' },
    { day: '2024-08-26', expected: 'maandag 26 augustus 2024' },
    { day: '2027-05-28', expected: 'vrijdag 28 mei 2027' },
    // Around the DST changes and the turn of the year, and a year below 100 (not read as 19xx).
    { day: '2026-03-29', expected: 'zondag 29 maart 2026' },
    { day: '2026-10-25', expected: 'zondag 25 oktober 2026' },
    { day: '2025-12-31', expected: 'woensdag 31 december 2025' },
    { day: '0050-03-01', expected: 'dinsdag 1 maart 50' },
  ])('writes $day as "$expected"', ({ day, expected }) => {
    const text = formatDutchDate(day);

    expect(text).toBe(expected);
  });

  it('accepts a Temporal date as well as a string', () => {
    const text = formatDutchDate(plainDate('2025-11-12'));

    expect(text).toBe('woensdag 12 november 2025');
  });

  it('labels a period with its number and OP code', () => {
    const label = periodLabel({ number: 2 });

    expect(label).toBe('periode 2 (OP2)');
  });
});

describe('formatDutchInstant', () => {
  it.each([
    // 00:30 in Amsterdam is the day after in UTC's eyes: in winter (CET) and in summer (CEST).
    { instant: '2025-11-10T23:30:00Z', expected: 'dinsdag 11 november 2025', withTime: 'dinsdag 11 november 2025 om 00:30' },
    { instant: '2026-06-30T22:30:00Z', expected: 'woensdag 1 juli 2026', withTime: 'woensdag 1 juli 2026 om 00:30' },
    // The nights the clocks change, and the turn of the year.
    { instant: '2026-03-29T00:59:59Z', expected: 'zondag 29 maart 2026', withTime: 'zondag 29 maart 2026 om 01:59' },
    { instant: '2026-03-29T01:00:00Z', expected: 'zondag 29 maart 2026', withTime: 'zondag 29 maart 2026 om 03:00' },
    { instant: '2026-10-24T22:30:00Z', expected: 'zondag 25 oktober 2026', withTime: 'zondag 25 oktober 2026 om 00:30' },
    { instant: '2025-12-31T23:00:00Z', expected: 'donderdag 1 januari 2026', withTime: 'donderdag 1 januari 2026 om 00:00' },
    { instant: '2025-12-31T22:59:59.999Z', expected: 'woensdag 31 december 2025', withTime: 'woensdag 31 december 2025 om 23:59' },
  ])('writes $instant as "$withTime"', ({ instant, expected, withTime }) => {
    expect(formatDutchInstant(instant)).toBe(expected);
    expect(formatDutchInstant(instant, { time: 'minute' })).toBe(withTime);
  });

  it('gives seconds when asked, and takes a Temporal instant as well as a string', () => {
    const text = formatDutchInstant(Temporal.Instant.from('2025-11-10T08:00:05.123Z'), { time: 'second' });

    expect(text).toBe('maandag 10 november 2025 om 09:00:05');
  });

  it("gives the date Intl's own Amsterdam time zone gives, for any instant", () => {
    const intl = new Intl.DateTimeFormat('nl-NL', { timeZone: 'Europe/Amsterdam', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }), (date) => {
        expect(formatDutchInstant(date.toISOString())).toBe(intl.format(date));
      }),
    );
  });
});

describe('parseSchoolYears', () => {
  it('accepts the data file as it is', () => {
    const years = parseSchoolYears(candidate());

    expect(years.map((year) => year.id)).toEqual(['2024-2025', '2025-2026', '2026-2027']);
  });

  it('rejects overlapping periods, naming the school year', () => {
    const file = candidate();
    periodIn(file, '2025-2026', 2).start = '2025-11-10';

    const error = rejectionOf(file);

    expect(error.message).toContain('school year 2025-2026, period 1, end');
    expect(error.message).toContain('overlap');
  });

  it('rejects a deadline outside its period, naming the school year and field', () => {
    const file = candidate();
    periodIn(file, '2025-2026', 1).deadline = '2025-11-20';

    const error = rejectionOf(file);

    expect(error.message).toContain('school year 2025-2026, period 1, deadline: 2025-11-20 is outside the period');
  });

  it('rejects the impossible date 2025-02-30', () => {
    const file = candidate();
    periodIn(file, '2024-2025', 2).end = '2025-02-30';

    const error = rejectionOf(file);

    expect(error.message).toContain('school year 2024-2025, period 2, end: must be a real date');
  });

  it('rejects a period with a missing deadline', () => {
    const file = candidate();
    delete (periodIn(file, '2026-2027', 4) as { deadline?: string }).deadline;

    const error = rejectionOf(file);

    expect(error.message).toContain('school year 2026-2027, period 4, deadline: is missing');
  });

  it('rejects periods that are not numbered 1..4 in order', () => {
    const file = candidate();
    periodIn(file, '2024-2025', 3).number = 4;

    const error = rejectionOf(file);

    expect(error.message).toContain('school year 2024-2025, period 3, number');
  });

  it('rejects a period that runs past the end of its school year', () => {
    const file = candidate();
    periodIn(file, '2025-2026', 4).end = '2026-08-07';

    const error = rejectionOf(file);

    expect(error.message).toContain('school year 2025-2026, period 4, end: 2026-08-07 is after the school year ends');
  });

  it('rejects a school year without exactly four periods', () => {
    const file = candidate();
    yearIn(file, '2025-2026').periods.pop();

    const error = rejectionOf(file);

    expect(error.message).toContain('school year 2025-2026, periods: must list exactly 4 periods, got 3');
  });

  it('rejects a provisional school year without a note', () => {
    const file = candidate();
    (yearIn(file, '2026-2027') as { note: string | null }).note = null;

    const error = rejectionOf(file);

    expect(error.message).toContain('school year 2026-2027, note');
  });

  it('rejects an unknown form among the automatic requests', () => {
    const file = candidate();
    periodIn(file, '2025-2026', 4).autoRequests = ['advies-wpb', 'experiment-wpp8'];

    const error = rejectionOf(file);

    expect(error.message).toContain('school year 2025-2026, period 4, autoRequests');
  });

  it('rejects school years that are out of order', () => {
    const file = candidate();
    file.schoolYears.reverse();

    const error = rejectionOf(file);

    expect(error.message).toContain('school year 2025-2026, start');
  });

  it('rejects a file that is not a school-years file at all', () => {
    const error = rejectionOf({ years: [] });

    expect(error.message).toMatch(/^Invalid school-years data: /);
  });
});
