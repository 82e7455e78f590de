import { GetCommand, paginateQuery, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AppointmentConflictError, AppointmentStateError, byDateAndStart, StoredAppointment, type AppointmentRecord } from '../model/appointments.ts';
import type { RequestRecord } from '../model/requests.ts';
import type { LinkItem } from '../links.ts';
import { linkKeys, requestKeys, workflowKeys } from './keys.ts';
import { linkItem } from './links.ts';
import { requestCreation, requestWithdrawal } from './requests.ts';
import { transactWrite, TTL_ATTRIBUTE, type TransactionWrite } from './table.ts';

/** A lesbezoek's form changed between read and write: submitted (or given another link) meanwhile. */
const FORM_CHANGED = 'Een kijkwijzer van deze afspraak is intussen ingediend of gewijzigd. Er is niets veranderd; laad de pagina opnieuw.';

/** Two writes kept meeting other writes of the same items; nothing was written. */
const BUSY = 'Er werd op hetzelfde moment iets anders aan deze afspraak gewijzigd. Er is niets veranderd; probeer het nog eens.';

/** A kijkwijzer of a lesbezoek that moves with it: its new lesson date, period and deadline, and its link's new end. */
export interface RequestMove {
  request: RequestRecord;
  lessonDate: string;
  period: number;
  deadline: string;
  /** The form link's new `validUntil` (the deadline plus the grace days). */
  linkValidUntil: string;
}

/**
 * The appointment item as stored: its keys, its place in the year index (right after its
 * placement, so the digest's one read of the year brings it along), `entity: 'appointment'` and
 * the record's attributes by their names in StoredAppointment.
 */
export function appointmentItem(appointment: AppointmentRecord): Record<string, unknown> {
  return {
    ...workflowKeys.appointment(appointment.schoolYear, appointment.studentNumber, appointment.appointmentId),
    ...workflowKeys.appointmentYearIndex(appointment.schoolYear, appointment.school, appointment.studentNumber, appointment.appointmentId),
    entity: 'appointment',
    ...appointment,
  };
}

/** An appointment by its item keys (as an appointment link stores them), or undefined. */
export async function readAppointment(doc: DynamoDBDocumentClient, tableName: string, key: { PK: string; SK: string }): Promise<AppointmentRecord | undefined> {
  const result = await doc.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
  return result.Item?.entity === 'appointment' ? StoredAppointment.parse(result.Item) : undefined;
}

/** Every appointment of a placement: one paginated Query of its partition (`APPT#` sort keys), by date and start. */
export async function listAppointments(doc: DynamoDBDocumentClient, tableName: string, schoolYear: string, studentNumber: string): Promise<AppointmentRecord[]> {
  const found: AppointmentRecord[] = [];
  const pages = paginateQuery(
    { client: doc },
    {
      TableName: tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': workflowKeys.appointment(schoolYear, studentNumber, '').PK, ':prefix': workflowKeys.appointmentPrefix() },
      ConsistentRead: true,
    },
  );
  for await (const page of pages) {
    for (const item of page.Items ?? []) if (item.entity === 'appointment') found.push(StoredAppointment.parse(item));
  }
  return found.sort(byDateAndStart);
}

/**
 * Appointments (lesbezoeken and driehoeksgesprekken, docs/workflow.md) in the single table: every
 * DynamoDB call of planning, moving and cancelling them. Each change is one TransactWriteItems
 * with the appointment written whole, conditional on the `rev` the caller read (and raising it),
 * together with the writes of what changes with it: a lesbezoek's kijkwijzer requests and their
 * form links, a gesprek's appointment links. A failed condition is a Dutch 409 (someone changed
 * the appointment, or a form was submitted meanwhile), never a 500; nothing is half-written.
 */
export class AppointmentStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Stores a new appointment (`rev` 0) with, for a lesbezoek, each observer's request and form link
   * (as RequestStore.create writes them), or, for a gesprek, each participant's appointment link.
   */
  async create(appointment: AppointmentRecord, parts: { requests?: readonly { request: RequestRecord; link: LinkItem }[]; links?: readonly LinkItem[] }): Promise<void> {
    await this.transact([
      { Put: { TableName: this.tableName, Item: appointmentItem(appointment), ConditionExpression: 'attribute_not_exists(PK)' } },
      ...(parts.requests ?? []).flatMap(({ request, link }) => requestCreation(this.tableName, request, link)),
      ...(parts.links ?? []).map((link) => ({ Put: { TableName: this.tableName, Item: linkItem(link), ConditionExpression: 'attribute_not_exists(PK)' } })),
    ]);
  }

  /** One appointment, or undefined (an id of another placement finds nothing in this partition). */
  async get(schoolYear: string, studentNumber: string, appointmentId: string): Promise<AppointmentRecord | undefined> {
    return readAppointment(this.doc, this.tableName, workflowKeys.appointment(schoolYear, studentNumber, appointmentId));
  }

  /** Every appointment of a placement, by date and start. */
  async listForPlacement(schoolYear: string, studentNumber: string): Promise<AppointmentRecord[]> {
    return listAppointments(this.doc, this.tableName, schoolYear, studentNumber);
  }

  /**
   * Moves an appointment: `next` (its new date, times, period, sequence and `rev`) replaces the
   * stored one if that still has `next.rev - 1`; each open kijkwijzer gets the new lesson date,
   * period and deadline if it is still not submitted and has the link the caller saw, and its form
   * link the matching end.
   *
   * @throws AppointmentConflictError when the appointment changed meanwhile;
   *   AppointmentStateError when a kijkwijzer was submitted (or relinked) meanwhile
   */
  async move(next: AppointmentRecord, requests: readonly RequestMove[]): Promise<void> {
    await this.transact([
      this.replace(next),
      ...requests.flatMap((move) => [
        {
          Update: {
            TableName: this.tableName,
            Key: requestKeys.request(move.request.schoolYear, move.request.studentNumber, move.request.requestId),
            UpdateExpression: 'SET lessonDate = :date, period = :period, deadline = :deadline',
            ConditionExpression: '#state <> :submitted AND #state <> :withdrawn AND linkHash = :hash',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: {
              ':date': move.lessonDate,
              ':period': move.period,
              ':deadline': move.deadline,
              ':submitted': 'ingediend',
              ':withdrawn': 'ingetrokken',
              ':hash': move.request.linkHash,
            },
          },
        },
        {
          Update: {
            TableName: this.tableName,
            Key: linkKeys(move.request.linkHash),
            UpdateExpression: `SET validUntil = :until, ${TTL_ATTRIBUTE} = :ttl`,
            ConditionExpression: 'attribute_exists(PK)',
            ExpressionAttributeValues: { ':until': move.linkValidUntil, ':ttl': linkItem({ ...linkStub, validUntil: move.linkValidUntil })[TTL_ATTRIBUTE] },
          },
        },
      ]),
    ]);
  }

  /**
   * Cancels an appointment or some participants' parts: `next` (their state `geannuleerd`, the
   * raised sequence and `rev`) replaces the stored one if that still has `next.rev - 1`; each of
   * `withdrawals` is withdrawn as RequestStore.withdraw does it (state `ingetrokken`, only if
   * still not submitted; its form link revoked), and each link of `revokedLinks` (a gesprek
   * participant's) is revoked.
   *
   * @throws AppointmentConflictError when the appointment changed meanwhile;
   *   AppointmentStateError when a kijkwijzer was submitted (or relinked) meanwhile
   */
  async cancel(next: AppointmentRecord, withdrawals: readonly RequestRecord[], revokedLinks: readonly string[], at: string): Promise<void> {
    await this.transact([
      this.replace(next),
      ...withdrawals.flatMap((request) => requestWithdrawal(this.tableName, request, at)),
      ...revokedLinks.map((hash) => ({
        Update: {
          TableName: this.tableName,
          Key: linkKeys(hash),
          UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :at)',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':at': at },
        },
      })),
    ]);
  }

  /** The write that replaces the appointment whole, only over the `rev` before `next`'s. */
  private replace(next: AppointmentRecord): TransactionWrite {
    return {
      Put: {
        TableName: this.tableName,
        Item: appointmentItem(next),
        ConditionExpression: 'rev = :basis',
        ExpressionAttributeValues: { ':basis': next.rev - 1 },
      },
    };
  }

  /** One transaction; the appointment is its first write, so a failure there is a conflict and elsewhere a changed form. */
  private transact(items: TransactionWrite[]): Promise<void> {
    return transactWrite(this.doc, items, {
      onConditionFailed: (failed) => (failed.includes(0) ? new AppointmentConflictError() : new AppointmentStateError(FORM_CHANGED)),
      busy: () => new AppointmentStateError(BUSY),
    });
  }
}

/** A link's fields that do not matter for its TTL (see linkItem): only `validUntil` does. */
const linkStub: LinkItem = { hash: '-', purpose: 'form', ownerPk: '-', ownerSk: '-', recipient: '-', validUntil: '' };
