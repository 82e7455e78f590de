import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { dueSchoolYears, purgeDate, schoolYearEnd, schoolYearStart } from '#shared/retention/policy.ts';
import { loadConfig } from '#shared/config.ts';

const instant = (iso: string) => Temporal.Instant.from(iso);

describe('retention policy', () => {
  it('ends a school year at 1 September 00:00 in Amsterdam (summer time: 22:00 UTC the day before)', () => {
    expect(schoolYearEnd('2024-2025').toString()).toBe('2025-08-31T22:00:00Z');
    expect(schoolYearEnd('2025-2026').toString()).toBe('2026-08-31T22:00:00Z');
  });

  it('deletes a school year whole school years after its end', () => {
    expect(purgeDate('2024-2025', 1).toString()).toBe('2026-08-31T22:00:00Z');
    expect(purgeDate('2024-2025', 2).toString()).toBe('2027-08-31T22:00:00Z');
    expect(purgeDate('2025-2026', 10).toString()).toBe('2036-08-31T22:00:00Z');
  });

  it('lists the due years, oldest first, up to the exact instant', () => {
    // Today in this repository's life: 22 November 2026, two years kept → nothing of 2024-2025 yet.
    expect(dueSchoolYears(instant('2026-11-22T12:00:00Z'), 2)).toEqual(['2020-2021', '2021-2022', '2022-2023', '2023-2024']);
    expect(dueSchoolYears(instant('2026-11-22T12:00:00Z'), 1)).toEqual(['2020-2021', '2021-2022', '2022-2023', '2023-2024', '2024-2025']);
    expect(dueSchoolYears(instant('2027-08-31T21:59:59.999Z'), 2).at(-1)).toBe('2023-2024');
    expect(dueSchoolYears(instant('2027-08-31T22:00:00Z'), 2).at(-1)).toBe('2024-2025');
    expect(dueSchoolYears(instant('2026-11-22T12:00:00Z'), 2, 2024)).toEqual([]);
  });

  it('refuses what is not a school year id', () => {
    for (const bad of ['2024', '2024-2026', '24-25', '2024/2025', ' 2024-2025', '']) {
      expect(() => schoolYearStart(bad)).toThrow(/not a school year/);
    }
    expect(schoolYearStart('2025-2026')).toBe(2025);
  });

  it('reads RETENTION_YEARS from the environment: 2 by default, whole years from 1 to 10', () => {
    expect(loadConfig({}).RETENTION_YEARS).toBe(2);
    expect(loadConfig({ RETENTION_YEARS: '7' }).RETENTION_YEARS).toBe(7);
    expect(() => loadConfig({ RETENTION_YEARS: '-1' })).toThrow(/RETENTION_YEARS: moet minstens 1 schooljaar zijn/);
    expect(() => loadConfig({ RETENTION_YEARS: '0' })).toThrow(/RETENTION_YEARS: moet minstens 1/);
    expect(() => loadConfig({ RETENTION_YEARS: '1.5' })).toThrow(/RETENTION_YEARS: moet een heel aantal schooljaren zijn/);
    expect(() => loadConfig({ RETENTION_YEARS: '11' })).toThrow(/RETENTION_YEARS: mag hoogstens 10 schooljaren zijn/);
    expect(() => loadConfig({ RETENTION_YEARS: 'twee' })).toThrow(/RETENTION_YEARS/);
  });
});
