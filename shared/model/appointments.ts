import * as z from 'zod';
import { DomainError } from '../errors.ts';
import { StoredPerson, type Person } from '../roster/placement.ts';

/*
 * Appointments (issue 14, docs/workflow.md): the lesbezoeken and driehoeksgesprekken a student
 * plans, with their participants, their calendar sequence and (a gesprek's) verslag. The stored
 * shape is the zod schema below: the store, the digest's year model and the overview parse with it.
 */

/** A lesson visit (observers fill in a kijkwijzer) or a three-way conversation (driehoeksgesprek). */
export const APPOINTMENT_KINDS = ['lesbezoek', 'gesprek'] as const;
export type AppointmentKind = (typeof APPOINTMENT_KINDS)[number];

/**
 * The driehoeksgesprekken of the seeds' rhythm: the kennismaking in OP1, the interim one in OP2 or
 * OP3, one in OP4, and the final eindgesprek (CGI) at the end of the year.
 */
export const TALK_TYPES = ['kennismaking', 'tussentijds', 'op4', 'eind'] as const;
export type TalkType = (typeof TALK_TYPES)[number];

/** Each talk type: its Dutch name and the periods it belongs in (the last one is its due period). */
export const TALK_RHYTHM: Readonly<Record<TalkType, { label: string; periods: readonly number[] }>> = {
  kennismaking: { label: 'kennismakingsgesprek', periods: [1] },
  tussentijds: { label: 'tussentijds gesprek', periods: [2, 3] },
  op4: { label: 'gesprek in OP4', periods: [4] },
  eind: { label: 'eindgesprek (CGI)', periods: [4] },
};

/** Who can take part besides the student. */
export const PARTICIPANT_ROLES = ['wpb', 'so', 'io'] as const;
export type ParticipantRole = (typeof PARTICIPANT_ROLES)[number];

/** One participant's part in an appointment. */
export const StoredParticipant = z.object({
  role: z.enum(PARTICIPANT_ROLES),
  person: StoredPerson,
  state: z.enum(['uitgenodigd', 'geannuleerd']),
  /** A lesbezoek: the kijkwijzer this observer uses, and its request. */
  formId: z.string().optional(),
  requestId: z.string().optional(),
  /** A gesprek: the id the participant's appointment link token is derived from. */
  linkId: z.string().optional(),
  /** A gesprek: the hash of that link's token, the key of its link item (the retention purge deletes it by this). */
  linkHash: z.string().optional(),
  cancelledAt: z.string().optional(),
});
export type Participant = z.infer<typeof StoredParticipant>;

/** A verified attachment of a verslag (as a form's attachment is stored). */
export const StoredReportAttachment = z.object({
  id: z.string(),
  key: z.string(),
  name: z.string(),
  size: z.number().int().nonnegative(),
  type: z.string(),
  versionId: z.string().optional(),
  etag: z.string().optional(),
  scanVerdict: z.enum(['clean', 'threat', 'unscannable']).optional(),
});
export type ReportAttachment = z.infer<typeof StoredReportAttachment>;

/** A gesprek's verslag: written by the student, sent to the participants from the service. */
export const StoredReport = z.object({
  text: z.string(),
  writtenAt: z.string(),
  /** When it was last sent; a later `writtenAt` means the sent text has changed since. */
  sentAt: z.string().optional(),
  attachment: StoredReportAttachment.optional(),
});
export type AppointmentReport = z.infer<typeof StoredReport>;

/** A stored appointment (keys and `entity` dropped). */
export const StoredAppointment = z.object({
  schoolYear: z.string().min(1),
  studentNumber: z.string().min(1),
  appointmentId: z.string().min(1),
  kind: z.enum(APPOINTMENT_KINDS),
  talkType: z.enum(TALK_TYPES).optional(),
  /** YYYY-MM-DD, and HH:MM wall times in Europe/Amsterdam. */
  date: z.iso.date(),
  start: z.string().regex(/^\d{2}:\d{2}$/),
  end: z.string().regex(/^\d{2}:\d{2}$/),
  /** The period the date falls in, else the next one. */
  period: z.number().int().min(1).max(4),
  className: z.string().optional(),
  location: z.string().optional(),
  note: z.string().optional(),
  participants: z.array(StoredParticipant),
  state: z.enum(['gepland', 'geannuleerd']),
  /** The iCalendar SEQUENCE: 0 when planned, raised by every change that is sent. */
  sequence: z.number().int().nonnegative(),
  /** Every write is conditional on it. */
  rev: z.number().int().nonnegative(),
  createdAt: z.string(),
  updatedAt: z.string(),
  cancelledAt: z.string().optional(),
  student: StoredPerson,
  school: z.string().min(1),
  vak: z.string().min(1),
  report: StoredReport.optional(),
});
export type AppointmentRecord = z.infer<typeof StoredAppointment>;

/** Appointments in the order every list shows them: by date, then start, then id. */
export function byDateAndStart(a: AppointmentRecord, b: AppointmentRecord): number {
  return a.date.localeCompare(b.date) || a.start.localeCompare(b.start) || a.appointmentId.localeCompare(b.appointmentId);
}

/** The participants still invited. */
export function invited(appointment: Pick<AppointmentRecord, 'participants'>): Participant[] {
  return appointment.participants.filter((p) => p.state === 'uitgenodigd');
}

/** A person as the invitation names them. */
export type InvitationPerson = Person;

/** Someone else changed the appointment between read and write; nothing was written. */
export class AppointmentConflictError extends DomainError {
  constructor() {
    super('Deze afspraak is intussen gewijzigd. Laad de pagina opnieuw en kijk of de wijziging nog nodig is.', 409);
  }
}

/** The change is not allowed in the appointment's state (held, cancelled, form submitted). */
export class AppointmentStateError extends DomainError {
  constructor(message: string) {
    super(message, 409);
  }
}
