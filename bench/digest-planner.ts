/**
 * Benchmark 4: one digest planning run (the real planner, content and wiring from
 * shared/digest/deps.ts, an in-process queue so nothing is sent) for 3,000 placements on DynamoDB
 * Local: the DynamoDB requests it makes, counted on the wire and compared with the same run for
 * 1,000 placements (they must grow with pages of data, not with people), and its time against a
 * raw paginated Query of the same year-index items.
 *
 * Run alone: `npx tsx bench/digest-planner.ts`.
 */
import { BatchWriteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { formCatalog } from '../forms/index.ts';
import { shippedCalendar } from '../shared/content/calendar-catalog.ts';
import { parseInstant } from '../shared/clock.ts';
import { plannerDeps } from '../shared/digest/deps.ts';
import { planRun, type PlanResult } from '../shared/digest/planner.ts';
import { InProcessQueue } from '../shared/digest/queue.ts';
import { hashToken, tokenFor } from '../shared/links.ts';
import type { AwsClients } from '../shared/store/clients.ts';
import { keys } from '../shared/store/keys.ts';
import type { RequestState } from '../shared/model/requests.ts';
import { PlacementStore } from '../shared/store/placements.ts';
import { GSI1 } from '../shared/store/table.ts';
import { placementItem, requestItem, studentLinkItem } from '../test/support/year-items.ts';
import { BENCH_LINK_SECRET, BENCH_ORIGIN, benchPlacement, benchRequest } from './fixtures.ts';
import { fmtInt, fmtMs, fmtRatio, freshTable, isMain, median, runAlone, yesNo, type BenchContext, type BenchStack } from './support.ts';

/** Monday 10 November 2025, 07:00 in Amsterdam, when the weekly schedule fires: period 1 of 2025-2026. */
const RUN_AT = parseInstant('2025-11-10T07:00');
const SCHOOL_YEAR = '2025-2026';
const TIMED_RUNS = 5;
const TIME_GOAL = 2;

/**
 * The year-index items of `count` placements, as the stores write them: each placement, its
 * student's page link, and requests for two of every three placements (a kijkwijzer asked of the
 * WPB, as asked, draft or submitted) plus a second one (of the SO) for every seventh.
 */
export function yearIndexItems(count: number): Record<string, unknown>[] {
  const items: Record<string, unknown>[] = [];
  const states: RequestState[] = ['gevraagd', 'concept', 'ingediend'];
  for (let n = 1; n <= count; n++) {
    const p = benchPlacement(n);
    items.push(placementItem({ ...p, rev: 1, updatedAt: '2025-09-01T00:00:00Z' }));
    const studentLinkId = `student-link-${n}`;
    items.push(
      studentLinkItem({
        schoolYear: p.schoolYear,
        studentNumber: p.studentNumber,
        school: p.school,
        linkId: studentLinkId,
        linkHash: hashToken(tokenFor(BENCH_LINK_SECRET, studentLinkId)),
      }),
    );
    const asked: { formId: string; observerRole: 'wpb' | 'so' }[] = [];
    if (n % 3 !== 0) asked.push({ formId: 'kijkwijzer-pedagogiek', observerRole: 'wpb' });
    if (n % 7 === 0) asked.push({ formId: 'kijkwijzer-didactiek', observerRole: 'so' });
    asked.forEach((ask, k) => {
      const state = states[(n + k) % states.length]!;
      const linkId = `request-link-${n}-${k}`;
      const request = benchRequest(p, {
        requestId: `20251001T080000-bench${n}x${k}`,
        formId: ask.formId,
        observerRole: ask.observerRole,
        period: 1,
        state,
        latestVersion: state === 'gevraagd' ? 0 : state === 'concept' ? 1 : 2,
        ...(state === 'ingediend' ? { submittedAt: '2025-10-20T12:00:00Z' } : {}),
        linkId,
      });
      items.push(requestItem(request));
    });
  }
  return items;
}

/** Writes items with BatchWriteItem, 25 a call, `concurrency` calls at a time, unprocessed items retried. */
export async function batchWrite(clients: AwsClients, table: string, items: readonly Record<string, unknown>[], concurrency = 8): Promise<void> {
  const chunks: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25));
  let next = 0;
  const worker = async () => {
    while (next < chunks.length) {
      const chunk = chunks[next++]!;
      let pending: { PutRequest: { Item: Record<string, unknown> } }[] = chunk.map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** attempt)));
        if (attempt > 8) throw new Error('BatchWriteItem kept leaving items unprocessed');
        const result = await clients.doc.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
        pending = (result.UnprocessedItems?.[table] ?? []) as typeof pending;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, chunks.length) }, worker));
}

/** SDK clients whose DynamoDB requests are counted (every command sent, as the planner's count means it). */
function countedClients(stack: BenchStack): { clients: AwsClients; count: () => number; reset: () => void } {
  const clients = stack.newClients();
  let requests = 0;
  clients.doc.middlewareStack.add(
    (next) => async (args) => {
      requests++;
      return next(args);
    },
    { step: 'initialize', name: 'benchCountRequests' },
  );
  return { clients, count: () => requests, reset: () => (requests = 0) };
}

/** The raw read the planner cannot beat: every item of the year index, a page at a time. */
async function rawYearQuery(clients: AwsClients, table: string): Promise<{ items: number; pages: number }> {
  let start: Record<string, unknown> | undefined;
  let items = 0;
  let pages = 0;
  do {
    const result = await clients.doc.send(
      new QueryCommand({
        TableName: table,
        IndexName: GSI1,
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.yearIndex(SCHOOL_YEAR) },
        ExclusiveStartKey: start,
      }),
    );
    pages++;
    items += result.Items?.length ?? 0;
    start = result.LastEvaluatedKey;
  } while (start);
  return { items, pages };
}

interface SizeResult {
  placements: number;
  items: number;
  plan: PlanResult;
  /** Requests counted on the wire during one planning run. */
  wireRequests: number;
  planMs: number;
  rawMs: number;
  rawPages: number;
  /** The content side alone (compose every digest from the items read). */
  composeMs: number;
}

async function measureSize(ctx: BenchContext, stack: BenchStack, table: string, placements: number, items: number): Promise<SizeResult> {
  const counted = countedClients(stack);
  try {
    const config = {
      TABLE_NAME: table,
      PUBLIC_ORIGIN: BENCH_ORIGIN,
      LINK_SECRET: BENCH_LINK_SECRET,
      LINK_GRACE_DAYS: 14,
      MAIL_FROM: 'werkplekleren@example.org',
      MAIL_REPLY_TO: undefined,
      NOW: undefined,
    };
    const deps = (queue: InProcessQueue) => plannerDeps(config, counted.clients, queue, { forms: formCatalog, calendar: shippedCalendar });
    // One unmeasured run of each warms the JIT and DynamoDB Local alike.
    await planRun({ now: RUN_AT, kind: 'weekly' }, deps(new InProcessQueue()));
    await rawYearQuery(counted.clients, table);

    counted.reset();
    const queue = new InProcessQueue();
    const plan = await planRun({ now: RUN_AT, kind: 'weekly' }, deps(queue));
    const wireRequests = counted.count();
    if (plan.skipped) throw new Error(`the planner skipped the run: ${plan.skipped}`);
    if (queue.messages.length !== plan.enqueued) throw new Error(`enqueued ${plan.enqueued}, queue holds ${queue.messages.length}`);

    const planTimes: number[] = [];
    const rawTimes: number[] = [];
    const composeTimes: number[] = [];
    let rawPages = 0;
    const content = deps(new InProcessQueue()).content;
    const target = content.period(RUN_AT)!;
    const run = { kind: 'weekly' as const, now: RUN_AT, runKey: plan.runKey!, ...target, undeliverable: new Map() };
    const allItems: Record<string, unknown>[] = [];
    for await (const page of new PlacementStore(counted.clients.doc, table).yearItems(SCHOOL_YEAR)) allItems.push(...page);
    for (let i = 0; i < TIMED_RUNS; i++) {
      const composeStart = performance.now();
      content.compose(allItems, run);
      composeTimes.push(performance.now() - composeStart);
      let start = performance.now();
      await planRun({ now: RUN_AT, kind: 'weekly' }, deps(new InProcessQueue()));
      planTimes.push(performance.now() - start);
      start = performance.now();
      const raw = await rawYearQuery(counted.clients, table);
      rawTimes.push(performance.now() - start);
      rawPages = raw.pages;
      if (raw.items !== items) throw new Error(`the year index holds ${raw.items} items, ${items} were written`);
    }
    ctx.log(
      `${fmtInt(placements)} placements: ${fmtInt(items)} items in ${plan.yearPages} pages, ${fmtInt(plan.recipients)} recipients, ` +
        `${wireRequests} DynamoDB requests; plan ${fmtMs(median(planTimes))}, raw Query ${fmtMs(median(rawTimes))}`,
    );
    return { placements, items, plan, wireRequests, planMs: median(planTimes), rawMs: median(rawTimes), rawPages, composeMs: median(composeTimes) };
  } finally {
    counted.clients.dynamodb.destroy();
    counted.clients.ses.destroy();
    counted.clients.s3.destroy();
  }
}

export async function benchDigestPlanner(ctx: BenchContext): Promise<void> {
  const stack = ctx.stack;
  if (!stack) throw new Error('needs the local stack');
  const sizes = [1000, 3000];
  const tables = await Promise.all(sizes.map((n) => freshTable(stack.clients, `plan${n}`)));
  const itemSets = sizes.map(yearIndexItems);
  const seedStart = performance.now();
  await Promise.all(sizes.map((_, i) => batchWrite(stack.clients, tables[i]!, itemSets[i]!)));
  ctx.log(`seeded ${sizes.map((n, i) => `${fmtInt(n)} placements (${fmtInt(itemSets[i]!.length)} items)`).join(' and ')} in ${fmtMs(performance.now() - seedStart)}`);

  const [small, large] = [
    await measureSize(ctx, stack, tables[0]!, sizes[0]!, itemSets[0]!.length),
    await measureSize(ctx, stack, tables[1]!, sizes[1]!, itemSets[1]!.length),
  ] as const;

  const describe = (r: SizeResult) =>
    `${r.wireRequests} requests = ${r.plan.yearPages} year-index pages + ${r.plan.dynamoRequests - r.plan.yearPages} suppression page(s)`;
  const proportional = (r: SizeResult) => r.wireRequests === r.plan.dynamoRequests && r.plan.yearPages === r.rawPages;
  ctx.report({
    benchmark: '4 digest plan, 3,000 placements: DynamoDB requests',
    figure: `${describe(large)} (${fmtInt(large.items)} items, ${fmtInt(large.plan.recipients)} recipients)`,
    baseline: `1,000 placements: ${describe(small)} (${fmtInt(small.items)} items, ${fmtInt(small.plan.recipients)} recipients)`,
    ratio:
      `${(large.wireRequests / large.plan.yearPages).toFixed(2)} requests/page (1,000: ${(small.wireRequests / small.plan.yearPages).toFixed(2)}); ` +
      `requests ×${(large.wireRequests / small.wireRequests).toFixed(2)} for pages ×${(large.plan.yearPages / small.plan.yearPages).toFixed(2)}, recipients ×${(large.plan.recipients / small.plan.recipients).toFixed(2)}`,
    goal: 'grows with pages, not people (requests = pages read)',
    met: yesNo(proportional(small) && proportional(large)),
  });
  const ratio = large.planMs / large.rawMs;
  ctx.report({
    benchmark: '4 digest plan, 3,000 placements: time',
    figure: `${fmtMs(large.planMs)} (1,000: ${fmtMs(small.planMs)})`,
    baseline: `raw paginated Query ${fmtMs(large.rawMs)} (1,000: ${fmtMs(small.rawMs)})`,
    ratio: `${fmtRatio(ratio)} (1,000: ${fmtRatio(small.planMs / small.rawMs)})`,
    goal: `≤ ${TIME_GOAL}×`,
    met: yesNo(ratio <= TIME_GOAL),
  });
  ctx.note(
    `4: weekly run of ${RUN_AT.toString()} (Monday 07:00 Amsterdam, period 1 of 2025-2026: no automatic requests to make) with plannerDeps() ` +
      `(real content, suppression list, DynamoDB's default 1 MB pages) and an InProcessQueue. Seeded with BatchWriteItem: year-index items only ` +
      `(placements, student links, requests); role memberships and versions are not read by the planner. Requests counted by a middleware on the ` +
      `DocumentClient and checked against planRun's own dynamoRequests. Time = median of ${TIMED_RUNS} runs after one warm-up, interleaved with ` +
      `the raw Query (same DocumentClient, same pages, no compose). Enqueued ${fmtInt(large.plan.enqueued)} messages at 3,000. ` +
      `Of the planner's ${fmtMs(large.planMs)} at 3,000, composing the ${fmtInt(large.plan.recipients)} digests (content.compose alone, on the same items) takes ` +
      `${fmtMs(large.composeMs)}; the rest is the read, the suppression page and the queue's schema check.`,
  );
}

if (isMain(import.meta.url)) await runAlone('digest planning', benchDigestPlanner, { needsStack: true });
