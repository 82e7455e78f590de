import ical, { ICalEventTransparency } from 'ical-generator';
import { Temporal } from 'temporal-polyfill';
import { periodLabel, type SchoolYear } from '../calendar.ts';
import { TIME_ZONE } from '../clock.ts';
import { calendarDateWithReason, derivedReason, provisionalNote, type CalendarCatalog } from '../content/calendar-catalog.ts';
import { ROLE_LABELS, type Role } from '../tasks.ts';
import { toSafeLine, toSafeText } from '../text.ts';

/**
 * The calendar feed (ICS) of a school year for one role: each period's student deadline as an
 * all-day event with the role's tasks of that period, and each period itself. Made with
 * ical-generator; dates are Amsterdam calendar dates.
 *
 * Every text passes `shared/text.ts` on its way in: a CR or LF ends an ICS property, so a name with
 * one (stored before names were checked) could add events of its own. Names are refused with such
 * characters at every entry point; this makes old or foreign data harmless too.
 */

/** The domain of every event's UID. */
const UID_DOMAIN = 'werkplekleren-n2';

/** What the feed is for. */
export interface CalendarFeedInput {
  year: SchoolYear;
  role: Role;
  /** The person's name, shown in the calendar's name. */
  name?: string;
  /** When the feed is made (DTSTAMP); defaults to the start of the school year, so output is stable. */
  now?: Temporal.Instant;
  /** The role's tasks and whether the year is provisional (deps.calendar). */
  calendar: Pick<CalendarCatalog, 'tasksFor' | 'isProvisional'>;
}

/** The stable UID of a period's deadline event: re-importing the feed updates, never duplicates. */
export function deadlineUid(yearId: string, period: number): string {
  return `${yearId}-op${period}-deadline@${UID_DOMAIN}`;
}

/** The stable UID of a period's event. */
export function periodUid(yearId: string, period: number): string {
  return `${yearId}-op${period}@${UID_DOMAIN}`;
}

const nextDay = (date: string): Temporal.PlainDate => Temporal.PlainDate.from(date).add({ days: 1 });

/** The marks after a summary: " (voorlopig)" for a provisional year, " (afgeleid)" for a derived date. */
function summaryMark(provisional: boolean, derived: boolean): string {
  return `${provisional ? ' (voorlopig)' : ''}${derived ? ' (afgeleid)' : ''}`;
}

/**
 * The ICS text of a school year's deadlines and periods for a role. A provisional year is marked
 * "(voorlopig)" in the calendar's name and every summary, with its note in every description; an
 * event whose date was derived (not published) is marked "(afgeleid)" in its summary, and each
 * derived date "(afgeleid: <reason>)" in its description.
 */
export function calendarFeed(input: CalendarFeedInput): string {
  const { year, role, calendar: catalog } = input;
  const provisional = catalog.isProvisional(year.id);
  const mark = provisional ? ' (voorlopig)' : '';
  const note = provisional ? [provisionalNote(year)] : [];
  const stamp = input.now ?? Temporal.PlainDate.from(year.start).toZonedDateTime({ timeZone: TIME_ZONE }).toInstant();
  const name = input.name ? toSafeLine(input.name) : '';
  const calendar = ical({
    // ical-generator writes NAME and X-WR-CALNAME as given, unescaped (it escapes event texts).
    name: escapeText(`Werkplekleren N2 ${year.id}${name ? ` – ${name}` : ''}${mark}`),
    description: escapeText(`Deadlines en taken van werkplekleren N2, schooljaar ${year.id}. Rol: ${ROLE_LABELS[role]}.`),
    prodId: { company: 'Hogeschool Rotterdam', product: 'werkplekleren-n2', language: 'NL' },
  });
  // Every event is an all-day date, which has no time zone; the calendar names Amsterdam for
  // clients that show one. (The library's `timezone` option would write DTSTAMP without its
  // required UTC "Z".)
  calendar.x('X-WR-TIMEZONE', TIME_ZONE);

  for (const period of year.periods) {
    const label = periodLabel(period);
    const tasks = catalog.tasksFor(year.id, role, period.number);
    const { sources } = period;
    const taskLines = tasks.length > 0 ? tasks.map((task) => `- ${task.text}`) : ['(geen taken bekend)'];
    calendar.createEvent({
      id: deadlineUid(year.id, period.number),
      start: Temporal.PlainDate.from(period.deadline),
      end: nextDay(period.deadline),
      allDay: true,
      stamp,
      transparency: ICalEventTransparency.TRANSPARENT,
      summary: toSafeLine(`Deadline OP${period.number} werkplekleren N2${summaryMark(provisional, derivedReason(sources.deadline) !== undefined)}`),
      description: toSafeText(
        [
          `Deadline van ${label}: ${calendarDateWithReason(period.deadline, sources.deadline)} (schooljaar ${year.id}).`,
          ...note,
          '',
          `Taken in ${label} voor de rol ${ROLE_LABELS[role]}:`,
          ...taskLines,
        ].join('\n'),
      ),
    });
    calendar.createEvent({
      id: periodUid(year.id, period.number),
      start: Temporal.PlainDate.from(period.start),
      end: nextDay(period.end),
      allDay: true,
      stamp,
      transparency: ICalEventTransparency.TRANSPARENT,
      summary: toSafeLine(
        `OP${period.number} werkplekleren N2${summaryMark(provisional, derivedReason(sources.start) !== undefined || derivedReason(sources.end) !== undefined)}`,
      ),
      description: toSafeText(
        [
          `${capitalizeFirst(label)}: ${calendarDateWithReason(period.start, sources.start)} tot en met ${calendarDateWithReason(period.end, sources.end)}; deadline ${calendarDateWithReason(period.deadline, sources.deadline)}.`,
          ...note,
        ].join('\n'),
      ),
    });
  }
  return calendar.toString();
}

/** RFC 5545 TEXT escaping (section 3.3.11) of one line: backslash, semicolon and comma. */
function escapeText(line: string): string {
  return line.replace(/[\\;,]/g, (char) => `\\${char}`);
}

function capitalizeFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
