import { Temporal } from 'temporal-polyfill';
import { formatDutchDate, type SchoolYear } from '../calendar.ts';
import { TIME_ZONE } from '../clock.ts';
import { capitalize } from '../dutch.ts';
import { withYear, type CalendarCatalog } from '../content/calendar-catalog.ts';
import type { FormCatalog } from '../forms/catalog.ts';
import { renderEmail } from '../mail/templates.ts';
import type { PlacementRecord } from '../model/placements.ts';
import type { RequestRecord } from '../model/requests.ts';
import { emailKey } from '../roster/placement.ts';
import { ROLES, type Role, type YearTasks } from '../tasks.ts';
import { digestFor, digestPeriod } from './content.ts';
import { recipients, type YearModel } from './model.ts';

/**
 * What each role's weekly digest says on a chosen Monday, for the school-year concept page
 * (docs/year-content.md, "Routes"): one example person per role on one example placement in that
 * year, run through the real digest code (`digestFor`, `renderEmail`), so the tasks, the deadline
 * and the provisional note in the preview are the ones the real digest sends.
 */

/** The hour of the weekly run in Amsterdam (infra/constructs/digest.ts: Monday 07:00). */
export const WEEKLY_RUN_HOUR = 7;

/** The student of the example placement, in previews (the digest and the form page). */
export const EXAMPLE_STUDENT = { name: "Zoë van 't Hoff", email: 'zoe.vanthoff@student.voorbeeld.nl' } as const;
/** The school and subject of the example placement. */
export const EXAMPLE_SCHOOL = 'Voorbeeldschool Rotterdam';
export const EXAMPLE_VAK = 'Nederlands';

/** One role's email of the preview. */
export interface DigestPreview {
  role: Role;
  subject: string;
  /** The plain-text body, as the real email has it. */
  text: string;
}

/** The first Monday on or after the start of a year's first period: the default day of the preview. */
export function defaultPreviewMonday(year: Pick<SchoolYear, 'periods' | 'start'>): Temporal.PlainDate {
  const start = Temporal.PlainDate.from(year.periods[0]?.start ?? year.start);
  return start.add({ days: (8 - start.dayOfWeek) % 7 });
}

/** Why a day cannot be previewed for a year (a Dutch sentence), or undefined when it can. */
export function previewMondayProblem(year: Pick<SchoolYear, 'id' | 'start' | 'end'>, day: Temporal.PlainDate): string | undefined {
  if (day.dayOfWeek !== 1) return `${capitalize(formatDutchDate(day))} is geen maandag. Kies een maandag: het weekoverzicht gaat op maandag om 07:00 uur de deur uit.`;
  const start = Temporal.PlainDate.from(year.start);
  const end = Temporal.PlainDate.from(year.end);
  if (Temporal.PlainDate.compare(day, start) < 0 || Temporal.PlainDate.compare(day, end) > 0) {
    return `${capitalize(formatDutchDate(day))} valt buiten schooljaar ${year.id} (${formatDutchDate(start)} tot en met ${formatDutchDate(end)}). Kies een maandag in dat schooljaar.`;
  }
  return undefined;
}

/**
 * Each role's weekly digest on `monday` at the run's hour, for the example placement in the school
 * year the calendar places that Monday in (its current period, or between periods the next one), in
 * `ROLES` order. With a `candidate`, the calendar is the one it would be once the candidate year is
 * published ({@link withYear}: the same rule as publishing). A role with nothing to say that week is
 * left out, as the real run sends it nothing; an empty list when the calendar knows no current or
 * coming period.
 */
export function previewDigests(input: {
  calendar: CalendarCatalog;
  candidate?: { year: SchoolYear; tasks: YearTasks };
  forms: FormCatalog;
  monday: Temporal.PlainDate;
  origin: string;
  linkSecret: string;
}): DigestPreview[] {
  const calendar = input.candidate ? withYear(input.calendar, input.candidate.year, input.candidate.tasks) : input.calendar;
  const now = input.monday.toZonedDateTime({ timeZone: TIME_ZONE, plainTime: Temporal.PlainTime.from({ hour: WEEKLY_RUN_HOUR }) }).toInstant();
  const found = digestPeriod(now, calendar.years);
  if (!found) return [];
  const placement = examplePlacement(found.year.id, now);
  // The weekly run inside a period makes the period's automatic requests first (deps.ts, autoRequestStep).
  const requests = found.between ? [] : found.period.autoRequests.map((formId) => autoRequest(placement, formId, found.period.number, found.period.deadline, now));
  const model = exampleModel(placement, requests);
  const previews = recipients(model).flatMap((person): DigestPreview[] => {
    const digest = digestFor(person, {
      kind: 'weekly',
      now,
      year: found.year,
      period: found.period,
      between: found.between,
      model,
      origin: input.origin,
      linkSecret: input.linkSecret,
      formTitle: (id) => input.forms.title(id),
      calendar,
      suppressed: new Set(),
    });
    if (!digest) return [];
    const email = renderEmail(digest.content);
    return person.roles.map(({ role }) => ({ role, subject: email.subject, text: email.text }));
  });
  return previews.sort((a, b) => ROLES.indexOf(a.role) - ROLES.indexOf(b.role));
}

/** One placement whose five people are five example persons, in `yearId`. */
function examplePlacement(yearId: string, now: Temporal.Instant): PlacementRecord {
  return {
    schoolYear: yearId,
    studentNumber: 'VOORBEELD1',
    student: { ...EXAMPLE_STUDENT },
    vak: EXAMPLE_VAK,
    school: EXAMPLE_SCHOOL,
    wpb: { name: 'Karin de Wit', email: 'k.dewit@voorbeeldschool.nl' },
    so: { name: 'Saskia Bakker', email: 's.bakker@voorbeeldschool.nl' },
    io: { name: 'Ivo Jansen', email: 'i.jansen@hr.voorbeeld.nl' },
    sco: { name: 'Fatima El Amrani', email: 'f.elamrani@voorbeeldschool.nl' },
    rev: 1,
    updatedAt: now.toString(),
  };
}

/** An automatic request of the period to the example WPB, not yet filled in. */
function autoRequest(placement: PlacementRecord, formId: string, period: number, deadline: string, now: Temporal.Instant): RequestRecord {
  return {
    schoolYear: placement.schoolYear,
    studentNumber: placement.studentNumber,
    requestId: `auto-${formId}-op${period}`,
    formId,
    observerRole: 'wpb',
    observer: placement.wpb,
    period,
    deadline,
    state: 'gevraagd',
    latestVersion: 0,
    linkId: `voorbeeld-${formId}`,
    linkHash: 'voorbeeld',
    createdAt: now.toString(),
    origin: 'auto',
    student: placement.student,
    school: placement.school,
    vak: placement.vak,
  };
}

function exampleModel(placement: PlacementRecord, requests: RequestRecord[]): YearModel {
  return {
    placements: new Map([[placement.studentNumber, placement]]),
    requests: new Map([[placement.studentNumber, requests]]),
    requestsByObserver: new Map(requests.length > 0 ? [[emailKey(placement.wpb.email), requests]] : []),
    studentLinks: new Map([[placement.studentNumber, 'voorbeeld-student']]),
    appointments: new Map(),
    concerns: new Map(),
    orphanRequests: [],
    invalid: [],
  };
}

/**
 * The Monday a preview asks for (`maandag=YYYY-MM-DD`), or by default the first Monday of the
 * year's OP1; with the Dutch reason when that day cannot be previewed.
 */
export function choosePreviewMonday(
  year: Pick<SchoolYear, 'id' | 'start' | 'end' | 'periods'>,
  asked: string | undefined,
): { monday: Temporal.PlainDate; problem?: string } {
  if (asked === undefined || asked.trim() === '') return { monday: defaultPreviewMonday(year) };
  let day: Temporal.PlainDate;
  try {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(asked.trim())) throw new RangeError('not a date');
    day = Temporal.PlainDate.from(asked.trim(), { overflow: 'reject' });
  } catch {
    return { monday: defaultPreviewMonday(year), problem: 'Dat is geen datum. Kies een maandag in de kalender (dag, maand en jaar).' };
  }
  const problem = previewMondayProblem(year, day);
  return problem === undefined ? { monday: day } : { monday: day, problem };
}
