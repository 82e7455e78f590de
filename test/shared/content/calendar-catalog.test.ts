import { describe, expect, it } from 'vitest';
import { getSchoolYear, schoolYears, type SchoolYear } from '../../../shared/calendar.ts';
import { calendarCatalog, calendarDate, calendarDateWithReason, derivedNote, derivedReason, provisionalNote, shippedCalendar } from '../../../shared/content/calendar-catalog.ts';
import { TASKS, type TaskFile } from '../../../shared/tasks.ts';

describe('shippedCalendar', () => {
  it('holds the three shipped school years in order, with only 2026-2027 provisional', () => {
    expect(shippedCalendar.years.map((year) => [year.id, shippedCalendar.isProvisional(year.id)])).toEqual([
      ['2024-2025', false],
      ['2025-2026', false],
      ['2026-2027', true],
    ]);
  });

  it('gives 2026-2027 the tasks of 2025-2026 under its own ids (tasks.json: sameAs)', () => {
    const tasks = shippedCalendar.tasksFor('2026-2027', 'wpb', 1);

    expect(tasks.map((task) => task.text)).toEqual(shippedCalendar.tasksFor('2025-2026', 'wpb', 1).map((task) => task.text));
    expect(tasks.every((task) => task.id.startsWith('2026-2027.wpb.op1.'))).toBe(true);
  });

  it('knows no tasks and nothing provisional for a year it does not hold', () => {
    expect(shippedCalendar.tasksFor('2030-2031', 'student', 1)).toEqual([]);
    expect(shippedCalendar.isProvisional('2030-2031')).toBe(false);
  });
});

describe('calendarCatalog', () => {
  const later: SchoolYear = { ...getSchoolYear('2025-2026')!, id: '2027-2028', start: '2027-08-02', end: '2028-07-28' };

  it('lists the years it is given in chronological order', () => {
    const catalog = calendarCatalog([later, ...[...schoolYears].reverse()], TASKS);

    expect(catalog.years.map((year) => year.id)).toEqual(['2024-2025', '2025-2026', '2026-2027', '2027-2028']);
  });

  it('calls a year provisional when its calendar or its tasks say so', () => {
    const tasks: TaskFile = { years: { ...TASKS.years, '2027-2028': { sameAs: '2025-2026', provisional: true } } };

    expect(calendarCatalog([later], TASKS).isProvisional('2027-2028')).toBe(false);
    expect(calendarCatalog([later], tasks).isProvisional('2027-2028')).toBe(true);
    expect(calendarCatalog([{ ...later, provisional: true, note: 'Nog niet definitief.' }], TASKS).isProvisional('2027-2028')).toBe(true);
  });
});

describe('derived dates', () => {
  const year2024 = getSchoolYear('2024-2025')!;

  it('marks a derived date "(afgeleid)" and leaves a quoted one as it is', () => {
    const [op1, , , op4] = year2024.periods;

    expect(calendarDate(op1!.deadline, op1!.sources.deadline)).toBe('vrijdag 15 november 2024 (afgeleid)');
    expect(calendarDate(op4!.deadline, op4!.sources.deadline)).toBe('woensdag 4 juni 2025');
    expect(derivedReason(op1!.sources.deadline)).toBe('De tekst noemt geen deadline per periode; de laatste dag van de periode is gebruikt.');
    expect(derivedReason(op4!.sources.deadline)).toBeUndefined();
  });

  it('says why a date was derived: "afgeleid: <reason>", without the closing full stop', () => {
    const [op1, , , op4] = year2024.periods;

    expect(derivedNote(op1!.sources.deadline)).toBe('afgeleid: De tekst noemt geen deadline per periode; de laatste dag van de periode is gebruikt');
    expect(calendarDateWithReason(op1!.deadline, op1!.sources.deadline)).toBe(
      'vrijdag 15 november 2024 (afgeleid: De tekst noemt geen deadline per periode; de laatste dag van de periode is gebruikt)',
    );
    expect(derivedNote(op4!.sources.deadline)).toBeUndefined();
    expect(calendarDateWithReason(op4!.deadline, op4!.sources.deadline)).toBe('woensdag 4 juni 2025');
  });

  it('gives a provisional year without a note of its own a general one', () => {
    expect(provisionalNote({ note: null })).toBe('De planning van dit schooljaar kan nog veranderen.');
    expect(provisionalNote(getSchoolYear('2026-2027')!)).toBe('De datums voor 2026-2027 zijn nog niet gepubliceerd. Ze volgen het patroon van 2025-2026 en kunnen nog veranderen.');
  });
});
