import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  paginateQuery,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { Temporal } from 'temporal-polyfill';
import type { ClaimResult, Ledger, NotificationRecord, NotificationStatus } from '../model/notifications.ts';
import { emailKey } from '../roster/placement.ts';
import { ledgerKeys } from './keys.ts';

/**
 * The notification ledger: one item per (run key, recipient), written before an email is sent and
 * updated with the outcome after (docs/digest.md). It is what makes a digest run exactly-once per
 * person: a second run of the same key, a redelivered queue message or a second worker finds the
 * item and sends nothing.
 */

/** How long ledger items are kept: long enough to cover a school year and a rerun after it. */
export const LEDGER_RETENTION_DAYS = 400;

const isConditionalFailure = (error: unknown): boolean =>
  error instanceof ConditionalCheckFailedException ||
  (error instanceof Error && error.name === 'ConditionalCheckFailedException');

/** The notification ledger over the single table. */
export class NotificationLedger implements Ledger {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Claims the right to send `runKey` to `email`. A new recipient is claimed with a conditional
   * put; a claim of an earlier worker that is still `sending` after `leaseMs` is taken over with
   * an update conditioned on its old `claimedAt`, so of any number of concurrent callers exactly
   * one gets 'claimed'.
   */
  async claim(runKey: string, email: string, leaseMs: number, now: Temporal.Instant): Promise<ClaimResult> {
    // A claim released between our put and our read is simply tried again.
    for (let round = 0; round < 3; round++) {
      if (await this.putClaim(runKey, email, now)) return 'claimed';
      const existing = await this.get(runKey, email);
      if (!existing) continue;
      if (existing.status === 'sent') return 'already-sent';
      if (existing.status === 'rejected') return 'already-rejected';
      if (now.epochMilliseconds < Date.parse(existing.claimedAt) + leaseMs) return 'in-flight';
      if (await this.takeOver(runKey, email, existing.claimedAt, now)) return 'claimed';
      // Someone else took it over or recorded its outcome in the meantime.
      const after = await this.get(runKey, email);
      if (after?.status === 'sent') return 'already-sent';
      if (after?.status === 'rejected') return 'already-rejected';
      return 'in-flight';
    }
    return 'in-flight';
  }

  private async putClaim(runKey: string, email: string, now: Temporal.Instant): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...ledgerKeys.item(runKey, email),
            entity: 'notification',
            runKey,
            email,
            status: 'sending',
            claimedAt: iso(now),
            attempts: 1,
            expiresAt: expiresAt(now),
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalFailure(error)) return false;
      throw error;
    }
  }

  private async takeOver(runKey: string, email: string, oldClaimedAt: string, now: Temporal.Instant): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: ledgerKeys.item(runKey, email),
          UpdateExpression: 'SET claimedAt = :now, attempts = attempts + :one, expiresAt = :expires',
          ConditionExpression: '#status = :sending AND claimedAt = :old',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':now': iso(now),
            ':one': 1,
            ':expires': expiresAt(now),
            ':sending': 'sending',
            ':old': oldClaimedAt,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalFailure(error)) return false;
      throw error;
    }
  }

  /**
   * Gives a claim (taken at `claimedAt`) back when it is certain nothing was sent (SES refused with
   * throttling, or an account-wide refusal), so a retry can claim it at once instead of waiting
   * for the lease.
   */
  async release(runKey: string, email: string, claimedAt: Temporal.Instant): Promise<void> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: ledgerKeys.item(runKey, email),
          // Only our own claim: not one another worker took over, not a recorded outcome.
          ConditionExpression: '#status = :sending AND claimedAt = :mine',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':sending': 'sending', ':mine': iso(claimedAt) },
        }),
      );
    } catch (error) {
      if (!isConditionalFailure(error)) throw error;
    }
  }

  /** Records that SES accepted the email. */
  async recordSent(runKey: string, email: string, messageId: string, now: Temporal.Instant): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: ledgerKeys.item(runKey, email),
        UpdateExpression: 'SET #status = :sent, messageId = :id, sentAt = :at, expiresAt = :expires REMOVE reason, rejectedAt',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':sent': 'sent', ':id': messageId, ':at': iso(now), ':expires': expiresAt(now) },
      }),
    );
  }

  /** Records that SES refused the email for good; it is not tried again in this run. */
  async recordRejected(runKey: string, email: string, reason: string, now: Temporal.Instant): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: ledgerKeys.item(runKey, email),
        // A message SES already accepted (another worker) stays 'sent'.
        UpdateExpression: 'SET #status = :rejected, reason = :reason, rejectedAt = :at, expiresAt = :expires',
        ConditionExpression: 'attribute_not_exists(#status) OR #status <> :sent',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':rejected': 'rejected',
          ':sent': 'sent',
          ':reason': reason.slice(0, 1000),
          ':at': iso(now),
          ':expires': expiresAt(now),
        },
      }),
    ).catch((error: unknown) => {
      if (!isConditionalFailure(error)) throw error;
    });
  }

  /** One recipient's entry, or undefined (strongly consistent). */
  async get(runKey: string, email: string): Promise<NotificationRecord | undefined> {
    const result = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: ledgerKeys.item(runKey, email), ConsistentRead: true }),
    );
    return result.Item ? toRecord(result.Item) : undefined;
  }

  /** Every entry of a run, a page at a time under the hood. */
  async listRun(runKey: string): Promise<NotificationRecord[]> {
    const records: NotificationRecord[] = [];
    const pages = paginateQuery(
      { client: this.doc },
      {
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': ledgerKeys.partition(runKey) },
        ConsistentRead: true,
      },
    );
    for await (const page of pages) records.push(...(page.Items ?? []).map(toRecord));
    return records;
  }
}

function expiresAt(now: Temporal.Instant): number {
  return Math.floor(now.epochMilliseconds / 1000) + LEDGER_RETENTION_DAYS * 24 * 60 * 60;
}

function toRecord(item: Record<string, unknown>): NotificationRecord {
  const optional = (name: string) => (typeof item[name] === 'string' ? (item[name] as string) : undefined);
  return {
    runKey: String(item.runKey),
    email: String(item.email),
    status: item.status as NotificationStatus,
    claimedAt: String(item.claimedAt),
    attempts: Number(item.attempts ?? 1),
    messageId: optional('messageId'),
    sentAt: optional('sentAt'),
    reason: optional('reason'),
    rejectedAt: optional('rejectedAt'),
  };
}

/** An instant as stored: ISO, millisecond precision, so a string comparison matches exactly. */
function iso(instant: Temporal.Instant): string {
  return instant.toString({ smallestUnit: 'millisecond' });
}

/** The ledger in memory, with the same claim rules: for unit tests of code that sends. */
export class MemoryLedger implements Ledger {
  readonly records = new Map<string, NotificationRecord>();

  private key(runKey: string, email: string): string {
    return `${runKey}|${emailKey(email)}`;
  }

  async claim(runKey: string, email: string, leaseMs: number, now: Temporal.Instant): Promise<ClaimResult> {
    const key = this.key(runKey, email);
    const existing = this.records.get(key);
    if (!existing) {
      this.records.set(key, { runKey, email, status: 'sending', claimedAt: iso(now), attempts: 1 });
      return 'claimed';
    }
    if (existing.status === 'sent') return 'already-sent';
    if (existing.status === 'rejected') return 'already-rejected';
    if (now.epochMilliseconds < Date.parse(existing.claimedAt) + leaseMs) return 'in-flight';
    this.records.set(key, { ...existing, claimedAt: iso(now), attempts: existing.attempts + 1 });
    return 'claimed';
  }

  async release(runKey: string, email: string, claimedAt: Temporal.Instant): Promise<void> {
    const key = this.key(runKey, email);
    const existing = this.records.get(key);
    if (existing?.status === 'sending' && existing.claimedAt === iso(claimedAt)) this.records.delete(key);
  }

  async recordSent(runKey: string, email: string, messageId: string, now: Temporal.Instant): Promise<void> {
    const key = this.key(runKey, email);
    const existing = this.records.get(key) ?? { runKey, email, status: 'sending', claimedAt: iso(now), attempts: 1 };
    this.records.set(key, { ...existing, status: 'sent', messageId, sentAt: iso(now) });
  }

  async recordRejected(runKey: string, email: string, reason: string, now: Temporal.Instant): Promise<void> {
    const key = this.key(runKey, email);
    const existing = this.records.get(key) ?? { runKey, email, status: 'sending', claimedAt: iso(now), attempts: 1 };
    if (existing.status !== 'sent') this.records.set(key, { ...existing, status: 'rejected', reason, rejectedAt: iso(now) });
  }
}
