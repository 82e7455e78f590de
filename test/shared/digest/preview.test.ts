import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { formCatalog } from '../../../forms/index.ts';
import { formatDutchDate, getSchoolYear, type SchoolYear } from '../../../shared/calendar.ts';
import { shippedCalendar, withYear } from '../../../shared/content/calendar-catalog.ts';
import { defaultPreviewMonday, EXAMPLE_STUDENT, previewDigests, previewMondayProblem } from '../../../shared/digest/preview.ts';
import { TASKS, tasksFor, type YearTasks } from '../../../shared/tasks.ts';

const ORIGIN = 'https://werkplekleren.test';
const SECRET = 'test-link-secret-of-at-least-32-characters';
const day = (iso: string) => Temporal.PlainDate.from(iso);

/** 2026-2027 moved on by 52 weeks, as 2027-2028, with a task text of its own for the student in OP1. */
function candidate(): { year: SchoolYear; tasks: YearTasks } {
  const source = getSchoolYear('2026-2027')!;
  const shift = (iso: string) => day(iso).add({ weeks: 52 }).toString();
  const year: SchoolYear = {
    ...source,
    id: '2027-2028',
    provisional: false,
    note: null,
    start: '2027-08-01',
    end: '2028-07-31',
    placementStart: source.placementStart === null ? null : shift(source.placementStart),
    periods: source.periods.map((p) => ({ ...p, start: shift(p.start), end: shift(p.end), deadline: shift(p.deadline) })),
  };
  const own = structuredClone(TASKS.years['2025-2026']!);
  own.student!.OP1[0] = { ...own.student!.OP1[0]!, id: '2027-2028.student.op1.kennismaken', text: "Maak kennis met je WPB op de Voorbeeldschool, met Zoë en 't team." };
  return { year, tasks: own };
}

describe('the digest preview of a chosen Monday', () => {
  it('says per role what the real weekly digest says: the tasks and the deadline of the period', () => {
    const monday = day('2025-09-15');

    const previews = previewDigests({ calendar: shippedCalendar, forms: formCatalog, monday, origin: ORIGIN, linkSecret: SECRET });

    expect(previews.map((p) => p.role)).toEqual(['student', 'wpb', 'so', 'io', 'sco']);
    const student = previews.find((p) => p.role === 'student')!;
    expect(student.subject).toBe('Werkplekleren N2: jouw taken in periode 1 (OP1)');
    expect(student.text).toContain(`Beste ${EXAMPLE_STUDENT.name},`);
    expect(student.text).toContain('De deadline is woensdag 12 november 2025.');
    for (const task of tasksFor('2025-2026', 'student', 1)) expect(student.text).toContain(task.text);
    const wpb = previews.find((p) => p.role === 'wpb')!;
    for (const task of tasksFor('2025-2026', 'wpb', 1)) expect(wpb.text).toContain(task.text);
  });

  it('lists the automatic requests of the period to the WPB, as the run makes them first', () => {
    const previews = previewDigests({ calendar: shippedCalendar, forms: formCatalog, monday: day('2026-05-04'), origin: ORIGIN, linkSecret: SECRET });

    const wpb = previews.find((p) => p.role === 'wpb')!;
    expect(wpb.text).toContain('Formulieren die op u wachten');
    expect(wpb.text).toContain(`${formCatalog.title('advies-wpb')} voor ${EXAMPLE_STUDENT.name}`);
  });

  it('shows a candidate year with its own tasks and deadline once the catalog holds it', () => {
    const { year, tasks } = candidate();
    const monday = defaultPreviewMonday(year);

    const previews = previewDigests({ calendar: shippedCalendar, candidate: { year, tasks }, forms: formCatalog, monday, origin: ORIGIN, linkSecret: SECRET });

    expect(monday.toString()).toBe('2027-09-06');
    const student = previews.find((p) => p.role === 'student')!;
    expect(student.text).toContain("Maak kennis met je WPB op de Voorbeeldschool, met Zoë en 't team.");
    expect(student.text).toContain(`De deadline is ${formatDutchDate(year.periods[0]!.deadline)}`);
    expect(student.text).toContain('schooljaar 2027-2028');
    expect(student.text).not.toContain('voorlopige planning');
  });

  it('lets a candidate replace a year of the same id: a provisional year published as final loses its note', () => {
    const source = getSchoolYear('2026-2027')!;
    const final: SchoolYear = { ...source, provisional: false, note: null };
    const own = structuredClone(TASKS.years['2025-2026']!);
    const monday = day('2026-09-14');

    const before = previewDigests({ calendar: shippedCalendar, forms: formCatalog, monday, origin: ORIGIN, linkSecret: SECRET });
    const after = previewDigests({ calendar: shippedCalendar, candidate: { year: final, tasks: own }, forms: formCatalog, monday, origin: ORIGIN, linkSecret: SECRET });

    expect(before.find((p) => p.role === 'student')!.text).toContain('voorlopige planning');
    expect(after.find((p) => p.role === 'student')!.text).not.toContain('voorlopige planning');
    expect(withYear(shippedCalendar, final, own).years.map((y) => y.id)).toEqual(['2024-2025', '2025-2026', '2026-2027']);
  });

  it('leaves a year that copied its tasks from the candidate\'s year as it was, as publishing does', () => {
    const year = getSchoolYear('2025-2026')!;
    const own = structuredClone(TASKS.years['2025-2026']!);
    const text = "Maak kennis met je WPB en met 't team van Zoë Çelik.\nNeem je rooster mee.";
    own.student!.OP1[0] = { ...own.student!.OP1[0]!, text };
    const shipped = tasksFor('2026-2027', 'student', 1).map((task) => task.text);

    const [in2025, in2026] = ['2025-09-08', '2026-09-14'].map((monday) =>
      previewDigests({ calendar: shippedCalendar, candidate: { year, tasks: own }, forms: formCatalog, monday: day(monday), origin: ORIGIN, linkSecret: SECRET }),
    );

    expect(TASKS.years['2026-2027']?.sameAs).toBe('2025-2026');
    expect(in2025!.find((p) => p.role === 'student')!.text).toContain('Maak kennis met je WPB en met');
    const student2026 = in2026!.find((p) => p.role === 'student')!.text;
    expect(student2026).not.toContain('Maak kennis met je WPB en met');
    for (const task of shipped) expect(student2026).toContain(task);
    expect(student2026).toContain('voorlopige planning');
    const calendar = withYear(shippedCalendar, year, own);
    expect(calendar.tasksFor('2026-2027', 'student', 1).map((task) => task.text)).toEqual(shipped);
    expect(calendar.isProvisional('2026-2027')).toBe(true);
  });

  it('tells a coming period between periods, with its start', () => {
    const previews = previewDigests({ calendar: shippedCalendar, forms: formCatalog, monday: day('2025-11-17'), origin: ORIGIN, linkSecret: SECRET });

    const student = previews.find((p) => p.role === 'student')!;
    expect(student.subject).toBe('Werkplekleren N2: periode 2 (OP2) begint maandag 24 november 2025');
  });

  it('takes the first Monday of OP1 as the default, and refuses a day that is not a Monday or outside the year', () => {
    const year = getSchoolYear('2025-2026')!;

    expect(defaultPreviewMonday(year).toString()).toBe('2025-09-08');
    expect(defaultPreviewMonday(getSchoolYear('2024-2025')!).toString()).toBe('2024-09-09');
    expect(previewMondayProblem(year, day('2025-09-08'))).toBeUndefined();
    expect(previewMondayProblem(year, day('2025-09-10'))).toBe(
      'Woensdag 10 september 2025 is geen maandag. Kies een maandag: het weekoverzicht gaat op maandag om 07:00 uur de deur uit.',
    );
    expect(previewMondayProblem(year, day('2026-08-03'))).toContain('valt buiten schooljaar 2025-2026');
  });
});
