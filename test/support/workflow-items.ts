import type { AppointmentRecord, Participant } from '../../shared/model/appointments.ts';
import type { ConcernRecord } from '../../shared/model/concerns.ts';
import type { Placement } from '../../shared/roster/placement.ts';
import { workflowKeys } from '../../shared/store/keys.ts';

/*
 * Appointment and concern items as the stores write them (docs/workflow.md: keys, year-index keys,
 * `entity`, then the record), for the digest's and the overview's tests: pure tests hand them to
 * yearModel, integration tests put them into the table with the document client.
 */

/** An appointment item (`PLC#<year>#<nr>` / `APPT#<id>`, in the year index). */
export function appointmentItem(record: AppointmentRecord): Record<string, unknown> {
  return {
    ...workflowKeys.appointment(record.schoolYear, record.studentNumber, record.appointmentId),
    ...workflowKeys.appointmentYearIndex(record.schoolYear, record.school, record.studentNumber, record.appointmentId),
    entity: 'appointment',
    ...record,
  };
}

/** A concern item (`PLC#<year>#<nr>` / `CONCERN#<id>`, in the year index). */
export function concernItem(record: ConcernRecord): Record<string, unknown> {
  return {
    ...workflowKeys.concern(record.schoolYear, record.studentNumber, record.concernId),
    ...workflowKeys.concernYearIndex(record.schoolYear, record.school, record.studentNumber, record.concernId),
    entity: 'concern',
    ...record,
  };
}

/** A participant of a placement's appointment, by role, invited unless said otherwise. */
export function participantOf(placement: Placement, role: Participant['role'], state: Participant['state'] = 'uitgenodigd'): Participant {
  return { role, person: placement[role], state };
}

/** An appointment of a placement: planned, sequence 0, with the student's copies; `extra` overrides. */
export function appointmentOf(
  placement: Placement,
  appointmentId: string,
  fields: Pick<AppointmentRecord, 'kind' | 'date' | 'start' | 'end' | 'period' | 'participants'> & Partial<AppointmentRecord>,
): AppointmentRecord {
  return {
    schoolYear: placement.schoolYear,
    studentNumber: placement.studentNumber,
    appointmentId,
    state: 'gepland',
    sequence: 0,
    rev: 1,
    createdAt: '2024-08-01T08:00:00Z',
    updatedAt: '2024-08-01T08:00:00Z',
    student: placement.student,
    school: placement.school,
    vak: placement.vak,
    ...fields,
  };
}

/** A concern about a placement's student, open with no steps unless `extra` says otherwise. */
export function concernOf(placement: Placement, concernId: string, fields: Pick<ConcernRecord, 'reason' | 'raisedBy' | 'raisedAt'> & Partial<ConcernRecord>): ConcernRecord {
  return {
    schoolYear: placement.schoolYear,
    studentNumber: placement.studentNumber,
    concernId,
    state: 'open',
    steps: [],
    rev: 1,
    student: placement.student,
    school: placement.school,
    vak: placement.vak,
    ...fields,
  };
}
