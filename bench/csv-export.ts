/**
 * Benchmark 3: a period's CSV export (issue 5) of 1,000 and of 10,000 submissions through the real
 * HTTP route in process (`app.request('/overzicht/export.csv?…')` with a coordinator's session
 * cookie: session lookup, scope, audit event, the streamed body read to the end and its rows
 * counted), over the real SDK and DynamoDB Local, against a raw paginated Query of GSI2 for the
 * same period plus a BatchGetItem of the same latest versions through the same DocumentClient.
 * Peak memory of the export at each size is measured in a child process of its own (one per size,
 * so the two do not pollute each other): RSS and heap sampled every 10 ms, minus the figure
 * before the export.
 *
 * Run alone: `npx tsx bench/csv-export.ts` (BENCH_PROFILE_DIR=<dir> makes each child write a CPU
 * profile there). The child is this file with `--child` (config in
 * BENCH_CSV_CHILD), forked with the same node and tsx loader plus `--expose-gc`.
 */
import { BatchGetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createApp } from '../functions/http/app.tsx';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../infra/local/stack.ts';
import { createAwsClients, type AwsClients } from '../shared/store/clients.ts';
import { requestKeys } from '../shared/store/keys.ts';
import { GSI2 } from '../shared/store/table.ts';
import { appDeps } from '../test/support/app.ts';
import { requestItem } from '../test/support/year-items.ts';
import { childMain, mb, peakMemoryRow, runChild, withPeakMemory } from './child.ts';
import { batchWrite } from './digest-planner.ts';
import { BENCH_ORIGIN, benchClock, benchSubmission } from './fixtures.ts';
import { fmtInt, fmtMs, fmtRatio, freshTable, isMain, median, runAlone, yesNo, type BenchContext } from './support.ts';

const SCHOOL_YEAR = '2025-2026';
const PERIOD = 1;
/** A period of the same year with nothing in it: the warm-up export reads it. */
const EMPTY_PERIOD = 4;
const SIZES = [1000, 10_000] as const;
/** The children run the large size first, so DynamoDB Local's read path is warm for the small one too. */
const RUN_ORDER = [10_000, 1000] as const;
/** Interleaved timed runs (export, raw; the order flips each round) per size, after the warm-ups. */
const TIMED_RUNS: Record<number, number> = { 1000: 9, 10_000: 5 };
/** Untimed rounds (export, raw) before those: the memory run and one raw read warm up 10,000 enough. */
const WARMUP_ROUNDS: Record<number, number> = { 1000: 3, 10_000: 0 };
/** What csv.ts asks per GSI2 page and BatchGetItem when the route gives no page size. */
const EXPORT_PAGE_SIZE = 100;
const TIME_GOAL = 1.5;
const MEMORY_GOAL_MB = 50;
const ADMIN = 'coordinator@bench.example.org';

/** What the parent passes the child in BENCH_CSV_CHILD. */
interface ChildConfig {
  size: number;
  table: string;
  endpoints: { dynamodb: string; s3: string; ses: string };
}

/** What the child reports back. */
interface ChildResult {
  size: number;
  rows: number;
  bytes: number;
  /** Peak minus the figure right before the memory run, in bytes. */
  peakRss: number;
  peakHeap: number;
  baselineRss: number;
  samples: number;
  memoryRunMs: number;
  exportMs: number[];
  rawMs: number[];
  rawPages: number;
}

/**
 * The items of `count` submitted requests (benchSubmission), as the stores write them: the request
 * item (RequestStore.create plus the GSI2 keys saveVersion sets on submit) and its latest version
 * (`SUB#<requestId>#000001`, saveVersion's Put). Placements are not read by the export and not written.
 */
function submittedItems(count: number): Record<string, unknown>[] {
  const items: Record<string, unknown>[] = [];
  for (let n = 1; n <= count; n++) {
    const { request, version } = benchSubmission(n, { idPrefix: 'csv', period: PERIOD, text: `Student ${n} legde duidelijk uit; de klas werkte actief mee` });
    items.push(requestItem(request));
    items.push({ ...requestKeys.version(request.schoolYear, request.studentNumber, request.requestId, 1), entity: 'submission-version', ...version });
  }
  return items;
}

/**
 * The raw read the export cannot beat: GSI2 of the period a page at a time and, per page, one
 * BatchGetItem of the requests' latest versions (unprocessed keys retried), no stripping or CSV:
 * the same requests the export makes, with the same page size.
 */
async function rawRead(clients: AwsClients, table: string, pageSize: number): Promise<{ items: number; versions: number; pages: number }> {
  let start: Record<string, unknown> | undefined;
  let items = 0;
  let versions = 0;
  let pages = 0;
  do {
    const page = await clients.doc.send(
      new QueryCommand({
        TableName: table,
        IndexName: GSI2,
        Limit: pageSize,
        KeyConditionExpression: 'GSI2PK = :pk',
        ExpressionAttributeValues: { ':pk': requestKeys.periodPartition(SCHOOL_YEAR, PERIOD) },
        ExclusiveStartKey: start,
      }),
    );
    pages++;
    const found = page.Items ?? [];
    items += found.length;
    if (found.length > 0) {
      let keys: Record<string, unknown>[] = found.map((r) => requestKeys.version(String(r.schoolYear), String(r.studentNumber), String(r.requestId), Number(r.latestVersion)));
      for (let attempt = 0; keys.length > 0; attempt++) {
        if (attempt > 8) throw new Error('BatchGetItem kept leaving keys unprocessed');
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 50 * 2 ** attempt)));
        const got = await clients.doc.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: keys } } }));
        versions += got.Responses?.[table]?.length ?? 0;
        keys = (got.UnprocessedKeys?.[table]?.Keys ?? []) as Record<string, unknown>[];
      }
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return { items, versions, pages };
}

/** One size, in a process of its own: the memory run first, then the timed runs. */
async function child(config: ChildConfig): Promise<ChildResult> {
  const clients = createAwsClients(
    {
      AWS_REGION: LOCAL_REGION,
      AWS_ENDPOINT_URL_DYNAMODB: config.endpoints.dynamodb,
      AWS_ENDPOINT_URL_S3: config.endpoints.s3,
      AWS_ENDPOINT_URL_SES: config.endpoints.ses,
    },
    LOCAL_CREDENTIALS,
  );
  const clock = benchClock();
  const deps = appDeps(clients, { tableName: config.table, bucket: 'bench-csv-unused' }, clock, { publicOrigin: BENCH_ORIGIN, adminEmails: [ADMIN], endpoints: config.endpoints });
  const app = createApp(deps);
  // What POST /inloggen/<token> does once the emailed token is spent; the route then resumes it
  // through the cookie like any request (loadSession: session, memberships, admin scope).
  const session = await deps.sessions.create(ADMIN, clock.now());
  const cookie = `__Host-sessie=${session}`;

  /** GETs the export, reads the streamed body to the end and counts its records (CRLF; no value holds a CR). */
  const exportOnce = async (period: number): Promise<{ rows: number; bytes: number }> => {
    const response = await app.request(`/overzicht/export.csv?jaar=${SCHOOL_YEAR}&periode=${period}`, { headers: { cookie } });
    if (response.status !== 200 || !response.body) throw new Error(`GET /overzicht/export.csv answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
    if (!response.headers.get('content-type')?.startsWith('text/csv')) throw new Error(`the export answered ${response.headers.get('content-type')}`);
    const reader = response.body.getReader();
    let rows = 0;
    let bytes = 0;
    let previous = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.length;
      for (let i = 0; i < value.length; i++) {
        const byte = value[i]!;
        if (byte === 0x0a && previous === 0x0d) rows++;
        previous = byte;
      }
    }
    return { rows: rows - 1, bytes };
  };
  const check = (what: string, got: number) => {
    if (got !== config.size) throw new Error(`${what}: ${got} of ${config.size} submissions`);
  };

  // Warm-up: the whole route (session, scope, audit, CSV header) on an empty period of the same
  // year, and the SDK's connections; nothing of the seeded period is read yet.
  await exportOnce(EMPTY_PERIOD);
  await exportOnce(EMPTY_PERIOD);

  // The memory run: the first export of the period in this process.
  const { result: memoryRun, memory } = await withPeakMemory(() => exportOnce(PERIOD));
  check('the export (memory run)', memoryRun.rows);

  // Warm-ups, then the timed runs, interleaved, the order flipped every round so that a drift of
  // the machine or of DynamoDB Local's JIT hits both alike.
  for (let i = 0; i < (WARMUP_ROUNDS[config.size] ?? 1); i++) check('the export (warm-up)', (await exportOnce(PERIOD)).rows);
  for (let i = 0; i < (WARMUP_ROUNDS[config.size] ?? 1) + 1; i++) check('the raw read (warm-up)', (await rawRead(clients, config.table, EXPORT_PAGE_SIZE)).versions);
  const exportMs: number[] = [];
  const rawMs: number[] = [];
  let rawPages = 0;
  const timeExport = async () => {
    const start = performance.now();
    check('the export', (await exportOnce(PERIOD)).rows);
    exportMs.push(performance.now() - start);
  };
  const timeRaw = async () => {
    const start = performance.now();
    const raw = await rawRead(clients, config.table, EXPORT_PAGE_SIZE);
    rawMs.push(performance.now() - start);
    check('the raw Query', raw.items);
    check('the raw BatchGet', raw.versions);
    rawPages = raw.pages;
  };
  for (let i = 0; i < (TIMED_RUNS[config.size] ?? 3); i++) {
    if (i % 2 === 0) {
      await timeExport();
      await timeRaw();
    } else {
      await timeRaw();
      await timeExport();
    }
  }
  for (const client of [clients.dynamodb, clients.s3, clients.ses]) client.destroy();
  return {
    size: config.size,
    rows: memoryRun.rows,
    bytes: memoryRun.bytes,
    peakRss: memory.peakRss,
    peakHeap: memory.peakHeap,
    baselineRss: memory.baselineRss,
    samples: memory.samples,
    memoryRunMs: memory.ms,
    exportMs,
    rawMs,
    rawPages,
  };
}

export async function benchCsvExport(ctx: BenchContext): Promise<void> {
  const stack = ctx.stack;
  if (!stack) throw new Error('needs the local stack');
  const tables = await Promise.all(SIZES.map((n) => freshTable(stack.clients, `csv${n}`)));
  const seedStart = performance.now();
  await Promise.all(SIZES.map((n, i) => batchWrite(stack.clients, tables[i]!, submittedItems(n))));
  ctx.log(`seeded ${SIZES.map((n) => `${fmtInt(n)}`).join(' and ')} submitted requests with their versions (one table each) in ${fmtMs(performance.now() - seedStart)}`);

  const results = new Map<number, ChildResult>();
  for (const size of RUN_ORDER) {
    const result = await runChild<ChildConfig, ChildResult>(import.meta.url, 'BENCH_CSV_CHILD', { size, table: tables[SIZES.indexOf(size)]!, endpoints: stack.endpoints }, 'export', 120_000);
    ctx.log(
      `${fmtInt(size)}: ${fmtInt(result.rows)} rows, ${mb(result.bytes)} of CSV; export ${fmtMs(median(result.exportMs))}, ` +
        `[${result.exportMs.map(fmtMs).join(', ')}], raw ${fmtMs(median(result.rawMs))} [${result.rawMs.map(fmtMs).join(', ')}] (${result.rawPages} pages); ` +
        `peak +${mb(result.peakRss)} RSS, +${mb(result.peakHeap)} heap (${result.samples} samples in ${fmtMs(result.memoryRunMs)})`,
    );
    results.set(size, result);
  }
  const small = results.get(1000)!;
  const large = results.get(10_000)!;
  const ratioOf = (r: ChildResult) => median(r.exportMs) / median(r.rawMs);
  const worst = Math.max(ratioOf(small), ratioOf(large));
  ctx.report({
    benchmark: '3 CSV export, 1,000 / 10,000 submissions: time',
    figure: `${fmtMs(median(large.exportMs))} for 10,000 (${mb(large.bytes)}); ${fmtMs(median(small.exportMs))} for 1,000`,
    baseline: `raw GSI2 Query + BatchGet, same ${EXPORT_PAGE_SIZE}-item pages: ${fmtMs(median(large.rawMs))} / ${fmtMs(median(small.rawMs))}`,
    ratio: `${fmtRatio(ratioOf(large))} / ${fmtRatio(ratioOf(small))}`,
    goal: `≤ ${TIME_GOAL}×`,
    met: yesNo(worst <= TIME_GOAL),
  });
  ctx.report(peakMemoryRow('3 CSV export: peak memory', { large: 10_000, small: 1000 }, large, small, MEMORY_GOAL_MB));
  ctx.note(
    `3: the real route GET /overzicht/export.csv?jaar=${SCHOOL_YEAR}&periode=${PERIOD} through app.request() (createApp + appDeps over DynamoDB Local) ` +
      `with a coordinator's session cookie (session made by SessionStore.create, as the sign-in POST does; loadSession resumes it, admin scope, ` +
      `one audit event per export), the streamed body read to the end and its records counted (checked: every submission, once). ` +
      `Seeded with BatchWriteItem in the shape the stores write (request item with GSI2 keys + its latest version; every tenth with an attachment), ` +
      `one table per size. Baseline: a raw paginated Query of GSI2 for the period (Limit ${EXPORT_PAGE_SIZE}, as the export) with one BatchGetItem of ` +
      `the page's latest versions, through the same DocumentClient, no CSV (${large.rawPages} pages at 10,000). Time = median of ` +
      `${TIMED_RUNS[10_000]} (10,000) / ${TIMED_RUNS[1000]} (1,000) interleaved runs (order flipped each round) after warm-ups; ` +
      `10,000 runs first so DynamoDB Local is warm for 1,000. Memory: each size in a child process of ` +
      `its own (--expose-gc), after two warm-up exports of an empty period and a gc(); process.memoryUsage() sampled every 10 ms during the first ` +
      `export of the period, peak minus the figure before it (baseline RSS ${mb(small.baselineRss)} / ${mb(large.baselineRss)}).`,
  );
}

if (isMain(import.meta.url)) {
  if (process.argv.includes('--child')) {
    await childMain('BENCH_CSV_CHILD', child);
  } else {
    await runAlone('CSV export', benchCsvExport, { needsStack: true });
  }
}
