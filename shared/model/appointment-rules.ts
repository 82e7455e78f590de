import { Temporal } from 'temporal-polyfill';
import { deadlineInstant, formatDutchDate, type Period, type SchoolYear } from '../calendar.ts';
import { TIME_ZONE } from '../clock.ts';
import { byDateAndStart, TALK_RHYTHM, type AppointmentKind, type AppointmentRecord, type Participant, type ParticipantRole } from './appointments.ts';
import type { RequestRecord, RequestState } from './requests.ts';

/**
 * The rules of appointments (docs/workflow.md, "Rules") as plain functions: when an appointment
 * starts and ends, whether it was held, which period a date and a lesbezoek's forms go into, which
 * appointments overlap, and what the student's page shows of each. The use-cases
 * (shared/usecases/appointments.ts) apply them.
 */

/** Dutch names of the participant roles, as the pages and emails name them. */
export const PARTICIPANT_LABELS: Readonly<Record<ParticipantRole, string>> = {
  wpb: 'werkplekbegeleider (WPB)',
  so: 'schoolopleider (SO)',
  io: 'instituutsopleider (IO)',
};

/** The Dutch name of each kind, at the start of a sentence or a heading. */
export const KIND_LABELS: Readonly<Record<AppointmentKind, string>> = {
  lesbezoek: 'Lesbezoek',
  gesprek: 'Driehoeksgesprek',
};

/** A wall time written as HH:MM, 00:00 to 23:59. */
export const WALL_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** An appointment's start, as an instant (its date and start time in Amsterdam). */
export function appointmentStart(appointment: Pick<AppointmentRecord, 'date' | 'start'>): Temporal.Instant {
  return wallInstant(appointment.date, appointment.start);
}

/** An appointment's end, as an instant. */
export function appointmentEnd(appointment: Pick<AppointmentRecord, 'date' | 'end'>): Temporal.Instant {
  return wallInstant(appointment.date, appointment.end);
}

/** The instant of an Amsterdam wall time (a time that does not exist on a DST day moves forward). */
function wallInstant(date: string, time: string): Temporal.Instant {
  return Temporal.PlainDate.from(date).toPlainDateTime(Temporal.PlainTime.from(time)).toZonedDateTime(TIME_ZONE).toInstant();
}

/** Whether the appointment was held: planned (not cancelled) and its end has passed at `now`. */
export function isHeld(appointment: Pick<AppointmentRecord, 'date' | 'end' | 'state'>, now: Temporal.Instant): boolean {
  return appointment.state === 'gepland' && Temporal.Instant.compare(appointmentEnd(appointment), now) <= 0;
}

/** Whether the appointment's end has passed at `now` (held, or would have been). */
export function hasEnded(appointment: Pick<AppointmentRecord, 'date' | 'end'>, now: Temporal.Instant): boolean {
  return Temporal.Instant.compare(appointmentEnd(appointment), now) <= 0;
}

const compareDates = (a: string, b: string) => Temporal.PlainDate.compare(Temporal.PlainDate.from(a), Temporal.PlainDate.from(b));

/** Whether a date lies in the school year (its first day up to and including its last). */
export function inSchoolYear(date: string, year: Pick<SchoolYear, 'start' | 'end'>): boolean {
  return compareDates(year.start, date) <= 0 && compareDates(date, year.end) <= 0;
}

/**
 * The period an appointment on `date` belongs to: the period of the school year the date falls
 * in, else the next one of that year; undefined after the last period (or outside the year).
 */
export function periodOfDate(date: string, year: Pick<SchoolYear, 'periods'>): Period | undefined {
  return year.periods.find((period) => compareDates(date, period.end) <= 0);
}

/**
 * The period a lesbezoek's kijkwijzers go into: the first period of the year whose deadline is on
 * or after the lesson (the observer fills in the form after it) and has not passed at `now` (a
 * past lesson, planned afterwards, goes into the current period, as a request made now does).
 * Undefined when the year has none left: the form could not be filed.
 */
export function requestPeriodFor(date: string, year: Pick<SchoolYear, 'periods'>, now: Temporal.Instant): Period | undefined {
  return year.periods.find((period) => compareDates(date, period.deadline) <= 0 && Temporal.Instant.compare(now, deadlineInstant(period)) < 0);
}

/** Whether two appointments on the same day overlap in time (touching ends do not). */
export function timesOverlap(a: Pick<AppointmentRecord, 'date' | 'start' | 'end'>, b: Pick<AppointmentRecord, 'date' | 'start' | 'end'>): boolean {
  return a.date === b.date && a.start < b.end && b.start < a.end;
}

/** "woensdag 12 november 2025, 09:30–10:30". */
export function whenText(appointment: Pick<AppointmentRecord, 'date' | 'start' | 'end'>): string {
  return `${formatDutchDate(appointment.date)}, ${appointment.start}–${appointment.end}`;
}

/** What the appointment is, without the student: "Lesbezoek in klas 2B", "Driehoeksgesprek (kennismakingsgesprek)". */
export function appointmentTitle(appointment: Pick<AppointmentRecord, 'kind' | 'talkType' | 'className'>): string {
  if (appointment.kind === 'lesbezoek') return `Lesbezoek${appointment.className ? ` in klas ${appointment.className}` : ''}`;
  return `Driehoeksgesprek${appointment.talkType ? ` (${TALK_RHYTHM[appointment.talkType].label})` : ''}`;
}

/** Where an appointment stands for the pages: planned, held (its end passed) or cancelled. */
export type AppointmentStatus = 'gepland' | 'gehouden' | 'geannuleerd';

/** The appointment's status at `now`. */
export function appointmentStatus(appointment: Pick<AppointmentRecord, 'date' | 'end' | 'state'>, now: Temporal.Instant): AppointmentStatus {
  if (appointment.state === 'geannuleerd') return 'geannuleerd';
  return isHeld(appointment, now) ? 'gehouden' : 'gepland';
}

/** One participant as the pages show them: their part and, for a lesbezoek, their kijkwijzer's request. */
export interface ParticipantView {
  participant: Participant;
  request?: RequestRecord;
}

/** One appointment as the student's page lists it. */
export interface AppointmentView {
  appointment: AppointmentRecord;
  title: string;
  status: AppointmentStatus;
  participants: ParticipantView[];
}

/** The appointments of a placement for the pages, by date and start, each with its participants' requests. */
export function appointmentViews(appointments: readonly AppointmentRecord[], requests: readonly RequestRecord[], now: Temporal.Instant): AppointmentView[] {
  return [...appointments]
    .sort(byDateAndStart)
    .map((appointment) => ({
      appointment,
      title: appointmentTitle(appointment),
      status: appointmentStatus(appointment, now),
      participants: appointment.participants.map((participant) => {
        const request = participant.requestId ? requests.find((r) => r.requestId === participant.requestId) : undefined;
        return { participant, ...(request ? { request } : {}) };
      }),
    }));
}

/** The request states in which a kijkwijzer of a lesbezoek can still be moved or withdrawn. */
const OPEN_REQUEST_STATES: readonly RequestState[] = ['gevraagd', 'concept'];

/** Whether a lesbezoek request is still open (asked or a draft): it moves and is withdrawn with its appointment. */
export function isOpenRequest(request: Pick<RequestRecord, 'state'>): boolean {
  return OPEN_REQUEST_STATES.includes(request.state);
}
