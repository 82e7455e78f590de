import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Temporal } from 'temporal-polyfill';
import { newSecretToken } from '../auth/tokens.ts';
import { hashToken } from '../links.ts';
import type { Session, SessionTimeouts } from '../model/auth.ts';
import { sessionKeys } from './keys.ts';
import { TTL_ATTRIBUTE } from './table.ts';

/** A touch moves the idle deadline at most this often, so a page with many requests writes once. */
const TOUCH_EVERY_MS = 60_000;

/**
 * Staff sessions in the single table. The cookie carries a random id; the table holds its hash,
 * the email and both deadlines; the TTL (`expiresAt`) removes an item once neither can be met.
 */
export class SessionStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly timeouts: SessionTimeouts,
  ) {}

  /** The idle and absolute timeouts of new sessions. */
  get settings(): SessionTimeouts {
    return this.timeouts;
  }

  /** Starts a session for an address with a new random id; returns the id (for the cookie only). */
  async create(email: string, now: Temporal.Instant): Promise<string> {
    const id = newSecretToken();
    const at = now.epochMilliseconds;
    const session: Session = {
      email,
      createdAt: now.toString(),
      absoluteUntilMs: at + this.timeouts.absoluteHours * 3_600_000,
      idleUntilMs: Math.min(at + this.timeouts.idleMinutes * 60_000, at + this.timeouts.absoluteHours * 3_600_000),
    };
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...sessionKeys(hashToken(id)), entity: 'session', ...session, touchedMs: at, [TTL_ATTRIBUTE]: ttl(session) },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
    return id;
  }

  /**
   * The live session of a cookie id, its idle deadline moved on; undefined for an unknown, ended
   * or timed-out session. The touch is conditional on the item still existing, so a session
   * ended elsewhere (sign-out) is never brought back.
   */
  async resume(id: string, now: Temporal.Instant): Promise<Session | undefined> {
    const key = sessionKeys(hashToken(id));
    const result = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    if (!result.Item) return undefined;
    const at = now.epochMilliseconds;
    const session: Session = {
      email: String(result.Item.email),
      createdAt: String(result.Item.createdAt),
      absoluteUntilMs: Number(result.Item.absoluteUntilMs),
      idleUntilMs: Number(result.Item.idleUntilMs),
    };
    if (at >= session.absoluteUntilMs || at >= session.idleUntilMs) return undefined;
    if (at - Number(result.Item.touchedMs ?? 0) < TOUCH_EVERY_MS) return session;
    const touched = { ...session, idleUntilMs: Math.min(at + this.timeouts.idleMinutes * 60_000, session.absoluteUntilMs) };
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'SET idleUntilMs = :idle, touchedMs = :at, #ttl = :ttl',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
          ExpressionAttributeValues: { ':idle': touched.idleUntilMs, ':at': at, ':ttl': ttl(touched) },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
    return touched;
  }

  /** Ends a session on the server (sign-out); a no-op for an unknown id. */
  async end(id: string): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: sessionKeys(hashToken(id)) }));
  }
}

function ttl(session: Session): number {
  return Math.floor(Math.min(session.idleUntilMs, session.absoluteUntilMs) / 1000) + 3600;
}
