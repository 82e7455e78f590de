import type { Temporal } from 'temporal-polyfill';
import { TALK_RHYTHM, type AppointmentRecord } from '../model/appointments.ts';
import type { Person } from '../roster/placement.ts';

/**
 * What an appointment's calendar invitation says (docs/workflow.md, "Email and calendar"): its
 * summary, location and UID, which the emails and pages use too. The iCalendar text itself is
 * written by invitation-ics.ts, which the emails import on first use: ical-generator and the
 * VTIMEZONE data then load only when an invitation is sent, not with every request
 * (docs/bundles.md).
 */

/** What an invitation is about and for whom. */
export interface InvitationInput {
  appointment: AppointmentRecord;
  /** The participant it goes to: the only ATTENDEE. */
  recipient: Person;
  method: 'REQUEST' | 'CANCEL';
  /** The service's public origin: its host is the UID's domain. */
  publicOrigin: string;
  /** When the invitation is made (DTSTAMP). */
  now: Temporal.Instant;
  /** The recipient's link: their kijkwijzer (lesbezoek) or the appointment's page (gesprek). */
  link?: { label: string; url: string };
  /** Lines of the description before the link (the details in Dutch). */
  details?: readonly string[];
}

/** The UID of an appointment's event: `<appointmentId>@<host of the public origin>`. */
export function appointmentUid(appointmentId: string, publicOrigin: string): string {
  return `${appointmentId}@${new URL(publicOrigin).host}`;
}

/**
 * The event's summary, from the participant's side: "Lesbezoek bij <student>, klas 2B",
 * "Driehoeksgesprek (kennismakingsgesprek) met <student>".
 */
export function invitationSummary(appointment: Pick<AppointmentRecord, 'kind' | 'talkType' | 'className' | 'student'>): string {
  const student = appointment.student.name;
  if (appointment.kind === 'lesbezoek') return `Lesbezoek bij ${student}${appointment.className ? `, klas ${appointment.className}` : ''}`;
  return `Driehoeksgesprek${appointment.talkType ? ` (${TALK_RHYTHM[appointment.talkType].label})` : ''} met ${student}`;
}

/** The event's location: the school, and the place within it (or elsewhere) when given. */
export function invitationLocation(appointment: Pick<AppointmentRecord, 'school' | 'location'>): string {
  return [appointment.school, appointment.location].filter(Boolean).join(', ');
}
