import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { Temporal } from 'temporal-polyfill';
import * as z from 'zod';
import { clockFromConfig, type Clock } from '#shared/clock.ts';
import { purgeDueYears, type PurgeCounts, type PurgeDeps } from '#shared/retention/purge.ts';
import { createDynamoClients, createS3Client } from '#shared/store/clients.ts';
import { loadConfig } from '#shared/config.ts';
import { logger, logInfo, type LogSink } from '#shared/log.ts';

/**
 * The scheduler's payload: `at` is `<aws.scheduler.scheduled-time>`, so a retried run decides with
 * the time it was due; `dryRun` (for a manual test invocation) only counts. Strict: a mistyped key
 * (`dryrun`) must fail, not quietly run a real purge.
 */
export const RetentionPayloadSchema = z.strictObject({
  at: z.iso.datetime({ offset: true }).optional(),
  dryRun: z.boolean().optional(),
});

/** What a run did: the school years it purged, with counts (no names, no addresses). */
export interface RetentionResult {
  retentionYears: number;
  dryRun: boolean;
  purged: PurgeCounts[];
}

/**
 * How far `at` may lie ahead of the clock for a real run: Scheduler's own time and Lambda's may
 * differ a little. Further ahead only with `dryRun`, to look at what a later run would delete.
 */
const FUTURE_SLACK_MS = 5 * 60_000;

/** The retention function over its dependencies (exported for tests, which may read its log lines through `log`). */
export function createRetentionHandler(deps: PurgeDeps, retentionYears: number, clock: Clock, log?: LogSink) {
  return middy<unknown, RetentionResult>()
    .use(injectLambdaContext(logger, { logEvent: false }))
    .handler(async (event) => {
      const payload = RetentionPayloadSchema.parse(event ?? {});
      const dryRun = payload.dryRun === true;
      const now = payload.at ? Temporal.Instant.from(payload.at) : clock.now();
      if (!dryRun && now.epochMilliseconds > clock.now().epochMilliseconds + FUTURE_SLACK_MS) {
        throw new Error(`retention: "at" ${payload.at} lies in the future; only a dry run may look ahead`);
      }
      const purged = await purgeDueYears(now, retentionYears, deps, { dryRun });
      for (const counts of purged) logInfo(log, dryRun ? 'retention dry run' : 'school year purged', { retentionYears, ...counts });
      if (purged.length === 0) logInfo(log, 'retention: nothing due', { retentionYears, at: now.toString() });
      return { retentionYears, dryRun, purged };
    });
}

// Built once per process.
const config = loadConfig();

/** Lambda entry point for the monthly retention schedule. */
export const handler = createRetentionHandler(
  {
    doc: createDynamoClients(config).doc,
    s3: createS3Client(config),
    tableName: config.TABLE_NAME,
    bucketName: config.BUCKET_NAME,
  },
  config.RETENTION_YEARS,
  clockFromConfig(config.NOW),
);
