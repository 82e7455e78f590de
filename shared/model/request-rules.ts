import { randomBytes } from 'node:crypto';
import { Temporal } from 'temporal-polyfill';
import { deadlineInstant, formatDutchDate, getSchoolYear, periodLabel, type Period, type SchoolYear } from '../calendar.ts';
import { DomainError, ValidationError } from '../errors.ts';
import { WITHDRAWABLE_STATES, type ObserverRole, type RequestRecord } from './requests.ts';

/**
 * The rules of a request for an observation, as plain functions: which period a new request goes
 * into, which lesson dates fit it, how long its form stays editable and its link opens, and when
 * the student may withdraw it. The use-cases (shared/usecases/observation.ts) apply them.
 */

/** Dutch names of the observer roles, as the student picks them. */
export const OBSERVER_LABELS: Record<ObserverRole, string> = {
  wpb: 'werkplekbegeleider (WPB)',
  so: 'schoolopleider (SO)',
  io: 'instituutsopleider (IO)',
};

/** A period and its school year. */
export interface PeriodChoice {
  year: SchoolYear;
  period: Period;
}

/** What a student fills in to ask for an observation. */
export interface ObservationInput {
  formId: string;
  observerRole: ObserverRole;
  lessonDate?: string;
  className?: string;
  question?: string;
}

/** The kijkwijzer form ids a student can ask for in a school year. */
export function kijkwijzerForms(year: Pick<SchoolYear, 'kijkwijzerTypes'>): string[] {
  return year.kijkwijzerTypes.map((type) => `kijkwijzer-${type}`);
}

/**
 * The period a new request belongs to: the first period of `years` (the calendar of the deps), in
 * calendar order, whose deadline has not passed, i.e. the current one until its deadline, then the
 * next one (also between periods). Throws a 400 when the calendar has no such period.
 */
export function periodForNewRequest(now: Temporal.Instant, years: readonly SchoolYear[]): PeriodChoice {
  for (const year of years) {
    for (const period of year.periods) {
      if (Temporal.Instant.compare(now, deadlineInstant(period)) < 0) return { year, period };
    }
  }
  throw new ValidationError('Er is geen lopende of komende onderwijsperiode bekend; een aanvraag doen is nu niet mogelijk.');
}

/**
 * Why a lesson date does not fit a request that goes into `choice`, in Dutch for the student; or
 * undefined when it fits. The lesson lies in the request's school year and no later than its
 * period's deadline: the observer fills in the form after the lesson and before that deadline, so
 * a later lesson belongs to a later request (and a lesson of another school year to none).
 */
export function lessonDateProblem(lessonDate: string, choice: PeriodChoice): string | undefined {
  const day = Temporal.PlainDate.from(lessonDate);
  const { year, period } = choice;
  if (Temporal.PlainDate.compare(day, Temporal.PlainDate.from(year.start)) < 0) {
    return `De lesdatum ligt vóór schooljaar ${year.id}, dat begint op ${formatDutchDate(year.start)}. Kies een les uit dit schooljaar.`;
  }
  if (Temporal.PlainDate.compare(day, Temporal.PlainDate.from(period.deadline)) > 0) {
    return `De lesdatum ligt na de deadline van deze aanvraag. Een aanvraag van nu hoort bij ${periodLabel(period)}, met deadline ${formatDutchDate(period.deadline)}: kies een les op of vóór die dag. Een latere les vraag je aan na die deadline.`;
  }
  return undefined;
}

/** Whether a school year of `years` is over at `now`: its last day (Amsterdam) has passed. Unknown years count as over. */
export function schoolYearEnded(yearId: string, now: Temporal.Instant, years: readonly SchoolYear[]): boolean {
  const year = getSchoolYear(yearId, years);
  return !year || Temporal.Instant.compare(now, deadlineInstant({ deadline: year.end })) >= 0;
}

/** Whether a request's form can still be changed (until the end of its deadline day). */
export function isEditable(request: Pick<RequestRecord, 'schoolYear' | 'deadline'>, now: Temporal.Instant): boolean {
  return Temporal.Instant.compare(now, deadlineInstant({ deadline: request.deadline })) < 0;
}

/** Until when a request's link opens: the deadline plus the grace. */
export function linkValidUntil(deadline: string, graceDays: number): string {
  return deadlineInstant({ deadline }).add({ hours: 24 * graceDays }).toString();
}

/** A time-sortable, unguessable request id. */
export function newRequestId(now: Temporal.Instant): string {
  const stamp = now.toString().replace(/[-:.]/g, '').slice(0, 15);
  return `${stamp}-${randomBytes(6).toString('base64url')}`;
}

/** The student cannot withdraw this request (submitted, or asked by the calendar): a Dutch 409. */
export class NotWithdrawableError extends DomainError {
  constructor(message: string) {
    super(message, 409);
  }
}

/** Why the student cannot withdraw a request now; undefined when they can (or it is already withdrawn). */
export function withdrawRefusal(request: Pick<RequestRecord, 'state' | 'origin' | 'appointmentId'>): string | undefined {
  if (request.state === 'ingediend') return 'Deze aanvraag kan niet meer worden ingetrokken: het formulier is al ingediend.';
  if (request.appointmentId) return 'Deze kijkwijzer hoort bij een lesbezoek. Annuleer het lesbezoek, of het deel van deze observator, op de pagina van het lesbezoek: dan krijgt de observator ook de annulering voor de agenda.';
  if (request.origin !== 'student') return 'Deze aanvraag is automatisch voor deze periode aangemaakt en kan niet worden ingetrokken. Klopt de aanvraag niet? Neem dan contact op met je instituutsopleider.';
  return undefined;
}

/** Whether the student page offers "Intrekken" for a request. */
export function isWithdrawable(request: Pick<RequestRecord, 'state' | 'origin' | 'appointmentId'>): boolean {
  return (WITHDRAWABLE_STATES as readonly string[]).includes(request.state) && withdrawRefusal(request) === undefined;
}
