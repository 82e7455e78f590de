import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { Temporal } from 'temporal-polyfill';
import * as z from 'zod';
import { clockFromConfig, type Clock } from '#shared/clock.ts';
import { plannerDeps } from '#shared/digest/deps.ts';
import { planRun, type PlannerDeps, type PlanResult } from '#shared/digest/planner.ts';
import { createSqsDigestQueue } from '#shared/digest/queue.ts';
import { logger } from '#shared/log.ts';
import { createDynamoClients, createSesClient } from '#shared/store/clients.ts';
import { allForms } from '#forms/index.ts';
import { liveContent, type ContentRefresh } from '#shared/content/live.ts';
import { publishedContent } from '#shared/store/content.ts';
import { resolveLinkSecret } from '#shared/secrets.ts';

/**
 * The scheduler's payload. `at` is optional: EventBridge Scheduler can pass
 * `<aws.scheduler.scheduled-time>`, so a retried or late invocation plans for the time it was due.
 */
export const SchedulePayloadSchema = z.object({
  kind: z.enum(['weekly', 'deadline']),
  at: z.iso.datetime({ offset: true }).optional(),
});

/**
 * The planner function over its dependencies (exported for tests). `content`, the live forms and
 * school years behind `deps`, is reloaded at the start of each run: a run always sees what was
 * published before it.
 */
export function createPlannerHandler(deps: PlannerDeps, clock: Clock, content?: ContentRefresh) {
  return middy<unknown, PlanResult>()
    .use(injectLambdaContext(logger, { logEvent: false }))
    .handler(async (event) => {
      const payload = SchedulePayloadSchema.parse(event);
      const now = payload.at ? Temporal.Instant.from(payload.at) : clock.now();
      await content?.refresh();
      const result = await planRun({ now, kind: payload.kind }, deps);
      // Counts only: addresses stay out of the logs.
      const { undeliverable, invalid, ...counts } = result;
      logger.info('digest planned', { kind: payload.kind, ...counts, undeliverable: undeliverable.length, invalid: invalid.length });
      return result;
    });
}

// Built once per process, at cold start; the link secret comes from Secrets Manager on AWS.
const config = await resolveLinkSecret();
const clients = { ...createDynamoClients(config), ses: createSesClient(config) };

// The shipped forms and school years plus what was published; expiry 0: every run reloads.
const content = liveContent({ forms: allForms }, publishedContent(clients.doc, config.TABLE_NAME), { ttlMs: 0 });

/** Lambda entry point for the digest schedules (weekly, deadline). */
export const handler = createPlannerHandler(
  plannerDeps(config, clients, createSqsDigestQueue(config), { forms: content.forms, calendar: content.calendar }),
  clockFromConfig(config.NOW),
  content,
);
