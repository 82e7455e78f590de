import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Temporal } from 'temporal-polyfill';
import { hashToken } from '../links.ts';
import { TTL_ATTRIBUTE } from '../store/table.ts';
import { newSecretToken } from './tokens.ts';

/** How long an emailed sign-in link works. */
export const SIGN_IN_VALID_MINUTES = 10;

/** Keys of a sign-in token: only the token's hash is stored. */
export const signInKeys = (hash: string) => ({ PK: `SIGNIN#${hash}`, SK: '-' });

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
