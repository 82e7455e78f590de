import { BatchGetCommand, GetCommand, PutCommand, paginateQuery, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Suppression, SuppressionKind } from '../model/suppressions.ts';
import { emailKey } from '../roster/placement.ts';
import { suppressionKeys } from './keys.ts';
import { GSI1 } from './table.ts';

/** Largest BatchGetItem DynamoDB accepts. */
const BATCH_GET_LIMIT = 100;

/** Suppressed addresses in the single table. */
export class SuppressionStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  /** Marks an address; a later event for the same address replaces the earlier one. */
  async suppress(email: string, kind: SuppressionKind, detail: string, at: string): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...suppressionKeys.item(email),
          ...suppressionKeys.index(email),
          entity: 'suppression',
          email: email.trim(),
          kind,
          detail: detail.slice(0, 1000),
          at,
        },
      }),
    );
  }

  /** Whether an address is suppressed. */
  async isSuppressed(email: string): Promise<boolean> {
    const result = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: suppressionKeys.item(email), ProjectionExpression: 'PK' }),
    );
    return result.Item !== undefined;
  }

  /**
   * Which of these addresses are suppressed, as lower-cased keys: BatchGetItem, 100 keys per
   * call, unprocessed keys retried with backoff.
   */
  async suppressedAmong(emails: Iterable<string>): Promise<Set<string>> {
    const unique = [...new Set([...emails].map(emailKey).filter((email) => email !== ''))];
    const found = new Set<string>();
    for (let i = 0; i < unique.length; i += BATCH_GET_LIMIT) {
      let request: Record<string, { Keys: Record<string, unknown>[]; ProjectionExpression?: string }> | undefined = {
        [this.tableName]: {
          Keys: unique.slice(i, i + BATCH_GET_LIMIT).map(suppressionKeys.item),
          ProjectionExpression: 'PK',
        },
      };
      for (let attempt = 0; request && Object.keys(request).length > 0; attempt++) {
        if (attempt > 0) await this.sleep(Math.min(2000, 50 * 2 ** attempt) * (0.5 + Math.random() / 2));
        if (attempt > 8) throw new Error(`DynamoDB left ${request[this.tableName]?.Keys.length ?? 0} suppression keys unprocessed`);
        const result = await this.doc.send(new BatchGetCommand({ RequestItems: request }));
        for (const item of result.Responses?.[this.tableName] ?? []) found.add(suppressionKeys.emailOf(String(item.PK)));
        request = result.UnprocessedKeys as typeof request;
      }
    }
    return found;
  }

  /**
   * Every suppressed address (lower-cased), read from the index a page at a time; `onRequest` is
   * called once per DynamoDB request, so a caller can count them.
   */
  async all(options: { pageSize?: number; onRequest?: () => void } = {}): Promise<Map<string, Suppression>> {
    const all = new Map<string, Suppression>();
    const pages = paginateQuery(
      { client: this.doc },
      {
        TableName: this.tableName,
        IndexName: GSI1,
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': suppressionKeys.indexPartition() },
        Limit: options.pageSize,
      },
    );
    for await (const page of pages) {
      options.onRequest?.();
      for (const item of page.Items ?? []) {
        all.set(emailKey(String(item.email)), {
          email: String(item.email),
          kind: item.kind === 'complaint' ? 'complaint' : 'bounce',
          detail: String(item.detail ?? ''),
          at: String(item.at ?? ''),
        });
      }
    }
    return all;
  }
}
