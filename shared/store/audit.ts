import { randomBytes } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, paginateQuery, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Temporal } from 'temporal-polyfill';
import type { AuditEvent, AuditInput, AuditTarget } from '../model/audit.ts';
import { auditKeys } from './keys.ts';
import type { TransactionWrite } from './table.ts';

/** The put of one audit event, as {@link AuditStore.prepare} hands it to another store's transaction. */
export type AuditWrite = TransactionWrite & { Put: { TableName: string; Item: Record<string, unknown>; ConditionExpression: string } };

/**
 * The audit log: append-only events of who viewed, saved, submitted, downloaded, reminded,
 * revoked, reissued and replaced. Events of a student sit in the placement's partition
 * (`PLC#<year>#<nr>`, `AUDIT#<instant>#<id>`), so one Query reads a student's log; a CSV export
 * is one event on `AUDIT#EXPORT#<year>#<period>` (it can hold thousands of students: one write,
 * not one per student). Every write is a PutItem with `attribute_not_exists(PK)`: an event is
 * never overwritten, and a clash of ids (two events in the same millisecond with the same id,
 * which the random part makes all but impossible) is retried with a new id, never lost.
 */

/** An instant as the log stores it: UTC, always with milliseconds (`2025-11-10T08:00:00.000Z`). */
export function auditInstant(instant: Temporal.Instant): string {
  return instant.toString({ fractionalSecondDigits: 3 });
}

/** The last sequence number {@link newAuditId} gave out in this process. */
let sequence = 0;

/**
 * A new event id: a sequence number of this process (base 36, fixed width), so that events the
 * app clock puts at the same instant (a fixed clock, see NOW, or the same millisecond) still list
 * in the order they were recorded, then 9 random bytes against clashes between processes. No wall
 * clock: the instant of an event is the Clock's alone (see {@link AuditStore.record}).
 */
export function newAuditId(): string {
  sequence++;
  return sequence.toString(36).padStart(10, '0') + randomBytes(9).toString('base64url');
}

/** How often a clash of ids is retried with a new id. */
const MAX_ATTEMPTS = 5;

/** The audit log in the single table. */
export class AuditStore {
  private readonly newId: () => string;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: { newId?: () => string } = {},
  ) {
    this.newId = options.newId ?? newAuditId;
  }

  /** Appends one event; never overwrites one. Returns the stored event. */
  async record(target: AuditTarget, input: AuditInput, now: Temporal.Instant): Promise<AuditEvent> {
    for (let attempt = 1; ; attempt++) {
      const { event, write } = this.prepare(target, input, now);
      try {
        await this.doc.send(new PutCommand(write.Put));
        return event;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  /**
   * An event as one write of another store's transaction, the same put {@link record} makes: a
   * form save carries its "concept opgeslagen" or "ingediend" in the save's own TransactWriteItems,
   * so the event is written if and only if the version is. A clash of ids fails that transaction
   * (all but impossible, see {@link newAuditId}); the caller decides what then.
   */
  prepare(target: AuditTarget, input: AuditInput, now: Temporal.Instant): { event: AuditEvent; write: AuditWrite } {
    const event: AuditEvent = { at: auditInstant(now), id: this.newId(), ...input };
    return {
      event,
      write: {
        Put: {
          TableName: this.tableName,
          Item: { PK: auditKeys.partition(target), SK: auditKeys.sort(event.at, event.id), entity: 'audit', ...event },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
    };
  }

  /** A student's events, newest first; only those of one request when `requestId` is given. */
  async listForPlacement(schoolYear: string, studentNumber: string, options: { requestId?: string; limit?: number } = {}): Promise<AuditEvent[]> {
    return this.list({ schoolYear, studentNumber }, options);
  }

  /** The CSV exports of a period, newest first. */
  async listExports(schoolYear: string, period: number, options: { limit?: number } = {}): Promise<AuditEvent[]> {
    return this.list({ schoolYear, exportPeriod: period }, options);
  }

  private async list(target: AuditTarget, options: { requestId?: string; limit?: number }): Promise<AuditEvent[]> {
    const limit = options.limit ?? 500;
    const events: AuditEvent[] = [];
    const pages = paginateQuery(
      { client: this.doc },
      {
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ...(options.requestId ? { FilterExpression: 'requestId = :request' } : {}),
        ExpressionAttributeValues: {
          ':pk': auditKeys.partition(target),
          ':prefix': auditKeys.prefix(),
          ...(options.requestId ? { ':request': options.requestId } : {}),
        },
        ScanIndexForward: false,
        ConsistentRead: true,
        Limit: Math.min(limit, 200),
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        const { at, id, actor, action, requestId, detail } = item as AuditEvent;
        events.push({ at, id, actor, action, ...(requestId ? { requestId } : {}), ...(detail ? { detail } : {}) });
      }
      if (events.length >= limit) break;
    }
    return events.slice(0, limit);
  }
}
