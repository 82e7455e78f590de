import { randomBytes } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, paginateQuery, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Temporal } from 'temporal-polyfill';
import type { ObserverRole } from './requests.ts';

/**
 * The audit log: append-only events of who viewed, saved, submitted, downloaded, reminded,
 * revoked, reissued and replaced. Events of a student sit in the placement's partition
 * (`PLC#<year>#<nr>`, `AUDIT#<instant>#<id>`), so one Query reads a student's log; a CSV export
 * is one event on `AUDIT#EXPORT#<year>#<period>` (it can hold thousands of students: one write,
 * not one per student). Every write is a PutItem with `attribute_not_exists(PK)`: an event is
 * never overwritten, and a clash of ids (two events in the same millisecond with the same id,
 * which the random part makes all but impossible) is retried with a new id, never lost.
 */

/**
 * What happened, in Dutch as the log shows it. "link geopend" is a GET of a link page, which a
 * mail scanner makes as readily as a person; "bekeken" is a person's action on the page (the first
 * touch, click or key, posted by /static/bekeken.js) or a signed-in staff member's view.
 */
export const AUDIT_ACTIONS = [
  'link geopend',
  'bekeken',
  'concept opgeslagen',
  'ingediend',
  'gedownload',
  'bijlage verwijderd',
  'herinnerd',
  'link ingetrokken',
  'nieuwe link',
  'WPB vervangen',
  'aanvraag ingetrokken',
  'CSV gedownload',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** One stored event. */
export interface AuditEvent {
  /** ISO instant with milliseconds (UTC), fixed width so the sort keys sort by time. */
  at: string;
  id: string;
  /** A staff member's (lower-cased) email, or `link:<role>` for someone who came by an emailed link: never a token. */
  actor: string;
  action: AuditAction;
  requestId?: string;
  /** A short Dutch explanation (version, file name, old and new WPB); never a token. */
  detail?: string;
}

/** What a caller records; the store adds the instant and the id. */
export type AuditInput = Omit<AuditEvent, 'at' | 'id'>;

/** Where an event goes: a student's placement, or a period's CSV exports. */
export type AuditTarget = { schoolYear: string; studentNumber: string } | { schoolYear: string; exportPeriod: number };

/** Keys of audit events (see README, Data model). */
export const auditKeys = {
  partition: (target: AuditTarget) =>
    'exportPeriod' in target ? `AUDIT#EXPORT#${target.schoolYear}#${target.exportPeriod}` : `PLC#${target.schoolYear}#${target.studentNumber}`,
  sort: (at: string, id: string) => `AUDIT#${at}#${id}`,
};

/** The actor of someone who came by an emailed link: their role only. */
export function linkActor(role: ObserverRole | 'student'): string {
  return `link:${role}`;
}

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
    const at = auditInstant(now);
    for (let attempt = 1; ; attempt++) {
      const event: AuditEvent = { at, id: this.newId(), ...input };
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { PK: auditKeys.partition(target), SK: auditKeys.sort(at, event.id), entity: 'audit', ...event },
            ConditionExpression: 'attribute_not_exists(PK)',
          }),
        );
        return event;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
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
          ':prefix': 'AUDIT#',
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
