import { DeleteObjectsCommand, ListObjectsCommand, type S3Client } from '@aws-sdk/client-s3';
import { BatchWriteCommand, paginateQuery, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import pRetry from 'p-retry';
import { auditKeys, keys } from './keys.ts';
import { GSI1 } from './table.ts';

/** The primary key of an item. */
export type ItemKey = { PK: string; SK: string };

/** Where the retention purge reads and deletes. */
export interface RetentionStoreOptions {
  doc: DynamoDBDocumentClient;
  s3: S3Client;
  tableName: string;
  bucketName: string;
  /** Items per Query page and keys per S3 listing (tests make them small to page); defaults: DynamoDB's 1 MB, S3's 1,000. */
  pageSize?: number;
}

/** Thrown while DynamoDB leaves deletes unprocessed; retried with backoff. */
class UnprocessedDeletes extends Error {}

/** DynamoDB's BatchWriteItem limit. */
const BATCH = 25;
/** S3's DeleteObjects limit, and its largest listing page. */
const S3_BATCH = 1000;

/**
 * The reads and deletes of the retention purge (shared/retention/purge.ts decides what goes, in
 * which order): a school year's placement partitions from the year index, every item of a
 * partition, a period's CSV export events, batch deletes of items, and the objects under a prefix.
 */
export class RetentionStore {
  constructor(private readonly options: RetentionStoreOptions) {}

  /** The distinct placement partitions of a school year, from its year index (placements, requests, student links). */
  async yearPartitions(schoolYear: string): Promise<string[]> {
    const partitions = new Set<string>();
    const pages = paginateQuery(
      { client: this.options.doc, pageSize: this.options.pageSize },
      {
        TableName: this.options.tableName,
        IndexName: GSI1,
        KeyConditionExpression: 'GSI1PK = :year',
        ExpressionAttributeValues: { ':year': keys.yearIndex(schoolYear) },
        ProjectionExpression: 'PK',
      },
    );
    for await (const page of pages) for (const item of page.Items ?? []) partitions.add(String(item.PK));
    return [...partitions];
  }

  /** Every item of a partition. */
  async partitionItems(partition: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    const pages = paginateQuery(
      { client: this.options.doc, pageSize: this.options.pageSize },
      { TableName: this.options.tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': partition } },
    );
    for await (const page of pages) items.push(...(page.Items ?? []));
    return items;
  }

  /** The keys of a period's CSV export events. */
  async exportEvents(schoolYear: string, period: number): Promise<ItemKey[]> {
    return (await this.partitionItems(auditKeys.partition({ schoolYear, exportPeriod: period }))).map(keyOf);
  }

  /** Deletes items 25 at a time, retrying what DynamoDB leaves unprocessed (throttling) with backoff. */
  async deleteItems(keysToDelete: readonly ItemKey[]): Promise<void> {
    const { doc, tableName } = this.options;
    for (let start = 0; start < keysToDelete.length; start += BATCH) {
      let pending = keysToDelete.slice(start, start + BATCH).map((Key) => ({ DeleteRequest: { Key } }));
      await pRetry(
        async () => {
          const result = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
          pending = (result.UnprocessedItems?.[tableName] ?? []) as typeof pending;
          if (pending.length > 0) throw new UnprocessedDeletes(`${pending.length} deletes left unprocessed`);
        },
        { retries: 8, minTimeout: 50, maxTimeout: 2_000, shouldRetry: ({ error }) => error instanceof UnprocessedDeletes },
      );
    }
  }

  /**
   * The object keys under a prefix, a page (up to 1,000) at a time; the next page is listed after
   * the caller is done with this one, so it may delete them first. Listed with ListObjects (v1)
   * and `Marker` = the last key seen, which S3 and s3rver both page alike; s3rver's ListObjectsV2
   * continuation tokens need a cipher Node 22's OpenSSL no longer has, so any truncated V2
   * listing fails locally.
   */
  async *objectPages(prefix: string): AsyncGenerator<string[]> {
    const { s3, bucketName, pageSize } = this.options;
    let marker: string | undefined;
    for (;;) {
      const page = await s3.send(new ListObjectsCommand({ Bucket: bucketName, Prefix: prefix, Marker: marker, MaxKeys: pageSize ?? S3_BATCH }));
      const objects = (page.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : []));
      if (objects.length === 0) return;
      marker = objects.at(-1);
      yield objects;
      if (!page.IsTruncated) return;
    }
  }

  /**
   * Deletes objects (up to 1,000, one listing page). On the versioned bucket a delete leaves a
   * delete marker; the bucket's lifecycle removes the earlier versions 90 days later
   * (infra/constructs/data.ts), the window in which a mistaken purge can be undone.
   */
  async deleteObjects(objectKeys: readonly string[]): Promise<void> {
    const { s3, bucketName } = this.options;
    const result = await s3.send(
      new DeleteObjectsCommand({ Bucket: bucketName, Delete: { Objects: objectKeys.map((Key) => ({ Key })), Quiet: true } }),
    );
    const failed = result.Errors ?? [];
    if (failed.length > 0) {
      const prefix = objectKeys[0]?.split('/').slice(0, -1).join('/') ?? '';
      throw new Error(`S3 did not delete ${failed.length} of ${objectKeys.length} objects under ${prefix}: ${failed[0]?.Code ?? 'unknown'}`);
    }
  }
}

/** The primary key of a stored item. */
export function keyOf(item: Record<string, unknown>): ItemKey {
  return { PK: String(item.PK), SK: String(item.SK) };
}
