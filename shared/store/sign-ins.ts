import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Temporal } from 'temporal-polyfill';
import { newSecretToken } from '../auth/tokens.ts';
import { hashToken } from '../links.ts';
import { SIGN_IN_VALID_MINUTES, type SignInEmailBudget, type SignInRecord, type SignInRefusal } from '../model/auth.ts';
import { signInBudgetKeys, signInKeys } from './keys.ts';
import { TTL_ATTRIBUTE } from './table.ts';

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
