import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Temporal } from 'temporal-polyfill';
import { hashToken } from '../links.ts';
import { TTL_ATTRIBUTE } from '../store/table.ts';
import { newSecretToken } from './tokens.ts';

/** How long an emailed sign-in link works. */
export const SIGN_IN_VALID_MINUTES = 10;

/** Keys of a sign-in token: only the token's hash is stored. */
export const signInKeys = (hash: string) => ({ PK: `SIGNIN#${hash}`, SK: '-' });

/** Keys of the sign-in email budget of an address: only the address's hash is in the key. */
export const signInBudgetKeys = (emailHash: string) => ({ PK: `SIGNINMAIL#${emailHash}`, SK: '-' });

/** How many sign-in emails one address may get, per window. */
export interface SignInEmailBudget {
  /** Emails per window. */
  max: number;
  /** Length of the window in milliseconds; a window starts with its first email. */
  windowMs: number;
}

/** A stored sign-in token, as read back. */
export interface SignInRecord {
  /** The address the link was sent to, as entered (lower-cased). */
  email: string;
  /** Epoch milliseconds after which the token no longer signs anyone in. */
  validUntilMs: number;
}

/** Why a sign-in link does not open: unknown or tampered, or past its 10 minutes. */
export type SignInRefusal = 'unknown' | 'expired';

/**
 * Single-use sign-in tokens in the single table. The TTL removes them a day after expiry; the
 * expiry itself is checked on every read (TTL deletion can lag by days).
 */
export class SignInStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Stores a new token for an address and returns the token (to be emailed, never stored). */
  async create(email: string, now: Temporal.Instant): Promise<string> {
    const token = newSecretToken();
    const validUntilMs = now.epochMilliseconds + SIGN_IN_VALID_MINUTES * 60_000;
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...signInKeys(hashToken(token)),
          entity: 'signin',
          email,
          createdAt: now.toString(),
          validUntilMs,
          [TTL_ATTRIBUTE]: Math.floor(validUntilMs / 1000) + 24 * 3600,
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
    return token;
  }

  /**
   * Takes one email from the address's budget: true when a sign-in email may be sent now, false
   * when `max` were sent in the current window (which starts with its first email). One counter
   * per address in the table, changed only by conditional updates, so every process and every
   * concurrent request counts in the same window: requests from many clients cannot fill an
   * inbox, and they never lock the owner out (the page answers alike, and links already sent
   * keep working).
   *
   * @param now the time of the rate limit (real elapsed time, not a demo's fixed clock)
   */
  async takeEmail(email: string, now: Temporal.Instant, budget: SignInEmailBudget): Promise<boolean> {
    const key = signInBudgetKeys(hashToken(email));
    const nowMs = now.epochMilliseconds;
    const expiresAt = Math.floor((nowMs + budget.windowMs) / 1000) + 24 * 3600;
    // Two rounds at most: a window that another request has just started is counted in.
    for (let round = 0; round < 2; round++) {
      try {
        await this.doc.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: key,
            UpdateExpression: 'SET sent = sent + :one',
            ConditionExpression: 'windowStartMs > :windowOpen AND sent < :max',
            ExpressionAttributeValues: { ':one': 1, ':windowOpen': nowMs - budget.windowMs, ':max': budget.max },
          }),
        );
        return true;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
      try {
        // No window yet, or the last one has passed: this email starts a new one.
        await this.doc.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: key,
            UpdateExpression: 'SET entity = :entity, windowStartMs = :now, sent = :one, #ttl = :ttl',
            ConditionExpression: 'attribute_not_exists(PK) OR windowStartMs <= :windowOpen',
            ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
            ExpressionAttributeValues: { ':entity': 'signin-budget', ':now': nowMs, ':one': 1, ':windowOpen': nowMs - budget.windowMs, ':ttl': expiresAt },
          }),
        );
        return budget.max >= 1;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    return false;
  }

  /** Reads a token without spending it (the GET page): the record, or why it does not open. */
  async peek(token: string, now: Temporal.Instant): Promise<SignInRecord | SignInRefusal> {
    const result = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: signInKeys(hashToken(token)), ConsistentRead: true }));
    if (!result.Item) return 'unknown';
    const record = { email: String(result.Item.email), validUntilMs: Number(result.Item.validUntilMs) };
    return now.epochMilliseconds < record.validUntilMs ? record : 'expired';
  }

  /**
   * Spends a token: one conditional delete that succeeds only while the token exists and has not
   * expired, so of two posts at the same moment exactly one gets the record back.
   */
  async spend(token: string, now: Temporal.Instant): Promise<SignInRecord | undefined> {
    try {
      const result = await this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: signInKeys(hashToken(token)),
          ConditionExpression: 'attribute_exists(PK) AND validUntilMs > :now',
          ExpressionAttributeValues: { ':now': now.epochMilliseconds },
          ReturnValues: 'ALL_OLD',
        }),
      );
      if (!result.Attributes) return undefined;
      return { email: String(result.Attributes.email), validUntilMs: Number(result.Attributes.validUntilMs) };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }
}
