import { Temporal } from 'temporal-polyfill';
import { getSchoolYear, type SchoolYear } from '../../shared/calendar.ts';
import { ownTasks } from '../../shared/content/calendar-catalog.ts';
import { ROLES, TASKS, type YearTasks } from '../../shared/tasks.ts';

/**
 * A school year made from a shipped one moved by whole years (2025-2026 → 2027-2028): every date
 * shifted, the tasks copied with ids of the new year. A valid year and tasks to publish in tests.
 */
export function shiftedYear(fromId: string, toId: string): { year: SchoolYear; tasks: YearTasks } {
  const from = getSchoolYear(fromId);
  if (!from) throw new Error(`no shipped school year ${fromId}`);
  const years = Number(toId.slice(0, 4)) - Number(fromId.slice(0, 4));
  const shift = <T extends string | null>(day: T): T => (day === null ? day : (Temporal.PlainDate.from(day).add({ years }).toString() as T));
  const year: SchoolYear = {
    ...from,
    id: toId,
    start: shift(from.start),
    end: shift(from.end),
    placementStart: shift(from.placementStart),
    periods: from.periods.map((period) => ({ ...period, start: shift(period.start), end: shift(period.end), deadline: shift(period.deadline) })),
  };
  const own = ownTasks(TASKS, fromId);
  const tasks: YearTasks = {};
  for (const role of ROLES) {
    const periods = own[role]!;
    tasks[role] = {
      OP1: periods.OP1.map((task) => ({ ...task, id: `${toId}${task.id.slice(fromId.length)}` })),
      OP2: periods.OP2.map((task) => ({ ...task, id: `${toId}${task.id.slice(fromId.length)}` })),
      OP3: periods.OP3.map((task) => ({ ...task, id: `${toId}${task.id.slice(fromId.length)}` })),
      OP4: periods.OP4.map((task) => ({ ...task, id: `${toId}${task.id.slice(fromId.length)}` })),
    };
  }
  return { year, tasks };
}
