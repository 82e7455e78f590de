import { DeleteObjectsCommand, ListObjectsCommand, type S3Client } from '@aws-sdk/client-s3';
import { BatchWriteCommand, paginateQuery, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import pRetry from 'p-retry';
import { ATTACHMENTS_PREFIX } from '../attachments/policy.ts';
import { linkKeys } from '../links.ts';
import { PLACEMENT_ROLES } from '../roster/placement.ts';
import { keys } from '../store/keys.ts';
import { GSI1 } from '../store/table.ts';
import type { Temporal } from 'temporal-polyfill';
import { dueSchoolYears, schoolYearStart } from './policy.ts';

/** What the purge talks to. */
export interface PurgeDeps {
  doc: DynamoDBDocumentClient;
  s3: S3Client;
  tableName: string;
  bucketName: string;
  /** Items per Query page and keys per S3 listing (tests make them small to page); defaults: DynamoDB's 1 MB, S3's 1,000. */
  pageSize?: number;
}

/** What was (or, in a dry run, would be) deleted for one school year. */
export interface PurgeCounts {
  schoolYear: string;
  /** Placements (students) whose partition was emptied. */
  placements: number;
  /** Items in those partitions: placement, history, requests, versions, attachments, audit, student link. */
  items: number;
  /** Role membership keys in the person index (`PERSON#<email>`), derived from the placement and its history; one already gone counts too. */
  memberships: number;
  /** Access link keys (`LINK#<hash>`): the current and replaced links of requests and the student page; one already gone counts too. */
  links: number;
  /** CSV export events of the year's periods (`AUDIT#EXPORT#<year>#<period>`). */
  exportEvents: number;
  /** Attachment objects under `attachments/<year>/`. */
  objects: number;
}

type Key = { PK: string; SK: string };

/** Thrown while DynamoDB leaves deletes unprocessed; retried with backoff. */
class UnprocessedDeletes extends Error {}

/** DynamoDB's BatchWriteItem limit. */
const BATCH = 25;
/** S3's DeleteObjects limit, and its largest listing page. */
const S3_BATCH = 1000;
/** The periods a school year may have export events for (four teaching periods, and room to spare). */
const EXPORT_PERIODS = [1, 2, 3, 4, 5, 6];

/**
 * Deletes everything stored for one school year (docs/retention.md): the attachments under
 * `attachments/<year>/`, every item of each placement's partition (`PLC#<year>#<nr>`), the role
 * memberships and access links derived from them, and the year's CSV export events.
 *
 * Safe to interrupt and run again: the attachments go first, and within a partition the items
 * the year index finds go last (the placement item very last), so a rerun finds whatever is left
 * and finishes it. With `dryRun` nothing is deleted and the counts say what would be.
 */
export async function purgeSchoolYear(schoolYear: string, deps: PurgeDeps, options: { dryRun?: boolean } = {}): Promise<PurgeCounts> {
  schoolYearStart(schoolYear); // throws on a malformed id, before anything is read
  const dryRun = options.dryRun === true;
  const counts: PurgeCounts = { schoolYear, placements: 0, items: 0, memberships: 0, links: 0, exportEvents: 0, objects: 0 };

  counts.objects = await purgeObjects(`${ATTACHMENTS_PREFIX}${schoolYear}/`, deps, dryRun);

  for (const partition of await yearPartitions(schoolYear, deps)) {
    const items = await queryAll(deps, partition);
    if (items.length === 0) continue;
    const memberships = new Map<string, Key>();
    const links = new Map<string, Key>();
    for (const item of items) {
      // The placement and its history name everyone who held a role on it.
      if (item.SK === 'PLACEMENT' || String(item.SK).startsWith('HIST#')) {
        for (const role of PLACEMENT_ROLES) {
          const email = (item[role] as { email?: unknown } | undefined)?.email;
          if (typeof email !== 'string') continue;
          const key = keys.membership(email, role, schoolYear, String(item.studentNumber));
          memberships.set(`${key.PK}|${key.SK}`, key);
        }
      }
      // Requests and the student link carry the hash of their current link, requests also those they replaced.
      const superseded = Array.isArray(item.supersededLinkHashes) ? item.supersededLinkHashes : [];
      for (const hash of [item.linkHash, ...superseded]) {
        if (typeof hash === 'string') links.set(hash, linkKeys(hash));
      }
    }
    // What the year index finds (placement, requests, student link) goes after everything else,
    // the placement item last: a run cut off anywhere leaves an indexed item behind, so the next
    // run finds this partition again and finishes it.
    const indexed = (item: Record<string, unknown>) => typeof item.GSI1PK === 'string';
    const unindexed = items.filter((item) => !indexed(item)).map(keyOf);
    const indexedFirst = items.filter((item) => indexed(item) && item.SK !== 'PLACEMENT').map(keyOf);
    const placement = items.filter((item) => item.SK === 'PLACEMENT').map(keyOf);
    counts.placements += placement.length;
    counts.items += items.length;
    counts.memberships += memberships.size;
    counts.links += links.size;
    if (dryRun) continue;
    await deleteKeys(deps, [...links.values(), ...memberships.values(), ...unindexed]);
    await deleteKeys(deps, indexedFirst);
    await deleteKeys(deps, placement);
  }

  for (const period of EXPORT_PERIODS) {
    const events = await queryAll(deps, `AUDIT#EXPORT#${schoolYear}#${period}`);
    counts.exportEvents += events.length;
    if (!dryRun) await deleteKeys(deps, events.map(keyOf));
  }
  return counts;
}

/** The distinct placement partitions of a school year, from its year index (placements, requests, student links). */
async function yearPartitions(schoolYear: string, deps: PurgeDeps): Promise<string[]> {
  const partitions = new Set<string>();
  const pages = paginateQuery(
    { client: deps.doc, pageSize: deps.pageSize },
    {
      TableName: deps.tableName,
      IndexName: GSI1,
      KeyConditionExpression: 'GSI1PK = :year',
      ExpressionAttributeValues: { ':year': keys.yearIndex(schoolYear) },
      ProjectionExpression: 'PK',
    },
  );
  for await (const page of pages) for (const item of page.Items ?? []) partitions.add(String(item.PK));
  return [...partitions];
}

async function queryAll(deps: PurgeDeps, partition: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  const pages = paginateQuery(
    { client: deps.doc, pageSize: deps.pageSize },
    { TableName: deps.tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': partition } },
  );
  for await (const page of pages) items.push(...(page.Items ?? []));
  return items;
}

function keyOf(item: Record<string, unknown>): Key {
  return { PK: String(item.PK), SK: String(item.SK) };
}

/** Deletes items 25 at a time, retrying what DynamoDB leaves unprocessed (throttling) with backoff. */
async function deleteKeys(deps: PurgeDeps, keysToDelete: readonly Key[]): Promise<void> {
  for (let start = 0; start < keysToDelete.length; start += BATCH) {
    let pending = keysToDelete.slice(start, start + BATCH).map((Key) => ({ DeleteRequest: { Key } }));
    await pRetry(
      async () => {
        const result = await deps.doc.send(new BatchWriteCommand({ RequestItems: { [deps.tableName]: pending } }));
        pending = (result.UnprocessedItems?.[deps.tableName] ?? []) as typeof pending;
        if (pending.length > 0) throw new UnprocessedDeletes(`${pending.length} deletes left unprocessed`);
      },
      { retries: 8, minTimeout: 50, maxTimeout: 2_000, shouldRetry: ({ error }) => error instanceof UnprocessedDeletes },
    );
  }
}

/**
 * Deletes the objects under a prefix, up to 1,000 per request. Listed with ListObjects (v1) and
 * `Marker` = the last key seen, which S3 and s3rver both page alike; s3rver's ListObjectsV2
 * continuation tokens need a cipher Node 22's OpenSSL no longer has, so any truncated V2 listing
 * fails locally. On the versioned bucket a delete leaves a delete
 * marker; the bucket's lifecycle removes the earlier versions 90 days later
 * (infra/constructs/data.ts), the window in which a mistaken purge can be undone.
 */
async function purgeObjects(prefix: string, deps: PurgeDeps, dryRun: boolean): Promise<number> {
  let count = 0;
  let marker: string | undefined;
  for (;;) {
    const page = await deps.s3.send(new ListObjectsCommand({ Bucket: deps.bucketName, Prefix: prefix, Marker: marker, MaxKeys: deps.pageSize ?? S3_BATCH }));
    const objects = (page.Contents ?? []).flatMap((object) => (object.Key ? [{ Key: object.Key }] : []));
    if (objects.length === 0) return count;
    count += objects.length;
    marker = objects.at(-1)!.Key;
    if (!dryRun) {
      const result = await deps.s3.send(new DeleteObjectsCommand({ Bucket: deps.bucketName, Delete: { Objects: objects, Quiet: true } }));
      const failed = result.Errors ?? [];
      if (failed.length > 0) {
        throw new Error(`S3 did not delete ${failed.length} of ${objects.length} objects under ${prefix}: ${failed[0]?.Code ?? 'unknown'}`);
      }
    }
    if (!page.IsTruncated) return count;
  }
}

/** Whether a purge found anything at all. */
export function foundAnything(counts: PurgeCounts): boolean {
  return counts.placements + counts.items + counts.memberships + counts.links + counts.exportEvents + counts.objects > 0;
}

/**
 * Purges every school year that is due at `now` (see {@link dueSchoolYears}), oldest first, and
 * returns the counts of those in which something was found. Years purged before cost a few
 * empty reads each.
 */
export async function purgeDueYears(
  now: Temporal.Instant,
  retentionYears: number,
  deps: PurgeDeps,
  options: { dryRun?: boolean } = {},
): Promise<PurgeCounts[]> {
  const results: PurgeCounts[] = [];
  for (const schoolYear of dueSchoolYears(now, retentionYears)) {
    const counts = await purgeSchoolYear(schoolYear, deps, options);
    if (foundAnything(counts)) results.push(counts);
  }
  return results;
}
