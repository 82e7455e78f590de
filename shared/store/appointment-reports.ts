import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NotFoundError } from '../errors.ts';
import {
  AppointmentConflictError,
  AppointmentStateError,
  StoredAppointment,
  type AppointmentRecord,
  type AppointmentReport,
  type ReportAttachment,
} from '../model/appointments.ts';
import { listAppointments, readAppointment } from './appointments.ts';
import { workflowKeys } from './keys.ts';

/** Why a verslag cannot be written or sent: the gesprek was cancelled (the student reads it, so "je"). */
export const CANCELLED_REPORT = 'Dit gesprek is geannuleerd. Bij een geannuleerd gesprek hoort geen verslag.';

/** An appointment's keys and the `rev` a write is conditional on. */
type Basis = Pick<AppointmentRecord, 'schoolYear' | 'studentNumber' | 'appointmentId' | 'rev'>;

/**
 * The verslag of a driehoeksgesprek on its appointment item (docs/workflow.md, "Appointments"):
 * read an appointment, save the verslag, mark it sent, record its attachment's scan verdict. Every
 * write of the verslag is one UpdateItem conditional on the appointment's `rev` (and raises it),
 * on its state `gepland` and on its kind `gesprek`; a failed condition is a Dutch 409 (the
 * appointment was cancelled, or changed meanwhile), never a 500.
 */
export class AppointmentReportStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** One appointment, or undefined. */
  async get(schoolYear: string, studentNumber: string, appointmentId: string): Promise<AppointmentRecord | undefined> {
    return this.getByKeys(workflowKeys.appointment(schoolYear, studentNumber, appointmentId));
  }

  /** An appointment by its item keys (as an appointment link stores them), or undefined. */
  async getByKeys(key: { PK: string; SK: string }): Promise<AppointmentRecord | undefined> {
    return readAppointment(this.doc, this.tableName, key);
  }

  /** Every appointment of a placement, by date and start time. */
  async listForPlacement(schoolYear: string, studentNumber: string): Promise<AppointmentRecord[]> {
    return listAppointments(this.doc, this.tableName, schoolYear, studentNumber);
  }

  /**
   * Saves the verslag (text, when written, the attachment or none) in place of the one stored,
   * keeping when it was last sent.
   *
   * @returns the appointment as stored now
   * @throws AppointmentStateError (409) when it was cancelled meanwhile; AppointmentConflictError
   *   (409) when anything else changed it since `basis` was read; NotFoundError when it is gone
   */
  async saveReport(basis: Basis, report: AppointmentReport, at: string): Promise<AppointmentRecord> {
    return this.update(basis, {
      UpdateExpression: 'SET #report = :report, #rev = :next, updatedAt = :at',
      ExpressionAttributeValues: { ':report': report, ':at': at },
    });
  }

  /**
   * Marks the verslag sent at `sentAt`: only the verslag that was read (`basis.rev`) and only while
   * it has one.
   *
   * @returns the appointment as stored now
   * @throws as {@link saveReport}
   */
  async markSent(basis: Basis, sentAt: string): Promise<AppointmentRecord> {
    return this.update(basis, {
      UpdateExpression: 'SET #report.sentAt = :sentAt, #rev = :next, updatedAt = :sentAt',
      ExpressionAttributeValues: { ':sentAt': sentAt },
      condition: 'attribute_exists(#report)',
    });
  }

  /**
   * Records the final scan verdict of the verslag's attachment, once, and only while that
   * attachment is still the verslag's. Not a change of the appointment: `rev` stays (a page open
   * meanwhile is not out of date), and a failed condition is ignored (a later verdict or another
   * attachment has taken its place).
   */
  async recordScanVerdict(appointment: Pick<AppointmentRecord, 'schoolYear' | 'studentNumber' | 'appointmentId'>, attachmentId: string, verdict: NonNullable<ReportAttachment['scanVerdict']>): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: workflowKeys.appointment(appointment.schoolYear, appointment.studentNumber, appointment.appointmentId),
          UpdateExpression: 'SET #report.attachment.scanVerdict = :verdict',
          ConditionExpression: '#report.attachment.id = :id AND attribute_not_exists(#report.attachment.scanVerdict)',
          ExpressionAttributeNames: { '#report': 'report' },
          ExpressionAttributeValues: { ':id': attachmentId, ':verdict': verdict },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /** One conditional UpdateItem of a gesprek's verslag; a failed condition is explained by reading the item again. */
  private async update(
    basis: Basis,
    input: { UpdateExpression: string; ExpressionAttributeValues: Record<string, unknown>; condition?: string },
  ): Promise<AppointmentRecord> {
    const key = workflowKeys.appointment(basis.schoolYear, basis.studentNumber, basis.appointmentId);
    try {
      const result = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: input.UpdateExpression,
          ConditionExpression: ['#rev = :rev', '#state = :planned', 'kind = :gesprek', 'entity = :entity', input.condition].filter(Boolean).join(' AND '),
          ExpressionAttributeNames: { '#report': 'report', '#rev': 'rev', '#state': 'state' },
          ExpressionAttributeValues: {
            ...input.ExpressionAttributeValues,
            ':rev': basis.rev,
            ':next': basis.rev + 1,
            ':planned': 'gepland',
            ':gesprek': 'gesprek',
            ':entity': 'appointment',
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return StoredAppointment.parse(result.Attributes);
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const now = await this.getByKeys(key);
      if (!now) throw new NotFoundError('Deze afspraak bestaat niet (meer).');
      if (now.state === 'geannuleerd') throw new AppointmentStateError(CANCELLED_REPORT);
      throw new AppointmentConflictError();
    }
  }
}
