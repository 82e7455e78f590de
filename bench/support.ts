/**
 * What every benchmark shares: the row format of the table, timing helpers, and a local stack of
 * its own (DynamoDB Local, s3rver, aws-ses-v2-local on free ports, in memory, in a temp folder).
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freePort, LOCAL_CREDENTIALS, LOCAL_REGION, startLocalStack, type LocalEndpoints } from '../infra/local/stack.ts';
import { ensureBucket } from '../shared/store/bucket.ts';
import { createAwsClients, type AwsClients } from '../shared/store/clients.ts';
import { ensureTable } from '../shared/store/table.ts';

/** The repository root. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** One line of the results table. */
export interface Row {
  benchmark: string;
  figure: string;
  baseline: string;
  ratio: string;
  goal: string;
  /** 'yes', 'no', or a word such as 'n/a' / 'failed'. */
  met: string;
}

/** A running local stack with SDK clients pointed at it. */
export interface BenchStack {
  endpoints: LocalEndpoints;
  clients: AwsClients;
  /** New SDK clients over the same stand-ins (e.g. to count one run's requests on their own). */
  newClients(): AwsClients;
  stop(): Promise<void>;
}

/** What a benchmark gets from the runner. */
export interface BenchContext {
  /** Absent for benchmarks that need none (bundles, in-process form). */
  stack?: BenchStack;
  /** Prints a progress line. */
  log(line: string): void;
  /** Reports a finished row (printed at once; collected for the table). */
  report(row: Row): void;
  /** Adds a line to the notes under the table (how a figure was measured, what holds it back). */
  note(line: string): void;
  /** Seconds of load per autocannon run (benchmark 6). */
  loadSeconds?: number;
}

/** A benchmark: measures and reports its rows through the context. */
export type Benchmark = (ctx: BenchContext) => Promise<void>;

/** Starts the local stand-ins on free ports, in memory, with their files in a temp folder. */
export async function startBenchStack(): Promise<BenchStack> {
  const dataDir = await mkdtemp(join(tmpdir(), 'werkplekleren-bench-'));
  const stack = await startLocalStack({
    ports: { dynamodb: await freePort(), s3: await freePort(), ses: await freePort() },
    dataDir,
    inMemory: true,
  });
  const newClients = () =>
    createAwsClients(
      {
        AWS_REGION: LOCAL_REGION,
        AWS_ENDPOINT_URL_DYNAMODB: stack.endpoints.dynamodb,
        AWS_ENDPOINT_URL_S3: stack.endpoints.s3,
        AWS_ENDPOINT_URL_SES: stack.endpoints.ses,
      },
      LOCAL_CREDENTIALS,
    );
  const clients = newClients();
  return {
    endpoints: stack.endpoints,
    clients,
    newClients,
    async stop() {
      for (const client of [clients.dynamodb, clients.s3, clients.ses]) client.destroy();
      await stack.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A fresh table of its own. */
export async function freshTable(clients: AwsClients, prefix: string): Promise<string> {
  const name = `bench-${prefix}-${randomUUID().slice(0, 8)}`;
  await ensureTable(clients.dynamodb, name);
  return name;
}

/** A fresh bucket of its own. */
export async function freshBucket(clients: AwsClients, prefix: string): Promise<string> {
  const name = `bench-${prefix}-${randomUUID().slice(0, 8)}`;
  await ensureBucket(clients.s3, name);
  return name;
}

/** Empties the local inbox (aws-ses-v2-local keeps every email in memory). */
export async function clearInbox(endpoints: LocalEndpoints): Promise<void> {
  await fetch(`${endpoints.ses}/clear-store`, { method: 'POST' }).catch(() => undefined);
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The value below which a fraction `q` (0–1) of the values lie (nearest rank). */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/**
 * Time per call of each function, in milliseconds, measured interleaved so that a noisy moment
 * of the machine hits every one alike: a warm-up of each (which also sizes its batches to at
 * least `minBatchMs`), then `batches` rounds of one batch of each, and per function the median
 * of its batches' per-call times.
 */
export async function compareTimes<K extends string>(
  fns: Record<K, (i: number) => Promise<unknown>>,
  options: { warmupMs?: number; minBatchMs?: number; batches?: number } = {},
): Promise<Record<K, { ms: number; calls: number }>> {
  const { warmupMs = 500, minBatchMs = 100, batches = 15 } = options;
  const names = Object.keys(fns) as K[];
  const state = new Map<K, { i: number; perBatch: number; times: number[] }>();
  for (const name of names) {
    const fn = fns[name];
    let i = 0;
    const warmStart = performance.now();
    while (performance.now() - warmStart < warmupMs) await fn(i++);
    const perCall = (performance.now() - warmStart) / Math.max(1, i);
    state.set(name, { i, perBatch: Math.max(10, Math.ceil(minBatchMs / Math.max(perCall, 1e-4))), times: [] });
  }
  for (let b = 0; b < batches; b++) {
    for (const name of names) {
      const fn = fns[name];
      const s = state.get(name)!;
      const start = performance.now();
      for (let k = 0; k < s.perBatch; k++) await fn(s.i++);
      s.times.push((performance.now() - start) / s.perBatch);
    }
  }
  return Object.fromEntries(names.map((name) => [name, { ms: median(state.get(name)!.times), calls: state.get(name)!.i }])) as Record<
    K,
    { ms: number; calls: number }
  >;
}

export const fmtMs = (ms: number): string =>
  ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : ms >= 10 ? `${ms.toFixed(0)} ms` : ms >= 1 ? `${ms.toFixed(1)} ms` : `${(ms * 1000).toFixed(0)} µs`;

export const fmtBytes = (bytes: number): string =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(2)} MB` : `${(bytes / 1024).toFixed(0)} kB`;

export const fmtRatio = (ratio: number): string => (Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : 'n/a');

export const fmtInt = (n: number): string => n.toLocaleString('en-US');

export const yesNo = (ok: boolean): string => (ok ? 'yes' : 'no');

/** A row for a benchmark that threw. */
export function failedRow(benchmark: string, error: unknown): Row {
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { benchmark, figure: `failed: ${reason.split('\n')[0]!.slice(0, 200)}`, baseline: '', ratio: '', goal: '', met: 'failed' };
}

/** The rows as one markdown table. */
export function markdownTable(rows: readonly Row[]): string {
  const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
  const lines = [
    '| benchmark | figure | baseline | ratio | goal | met? |',
    '|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${[r.benchmark, r.figure, r.baseline, r.ratio, r.goal, r.met].map(cell).join(' | ')} |`),
  ];
  return lines.join('\n');
}

/** One row as a progress line. */
export function rowLine(row: Row): string {
  return `  ✔ ${row.benchmark}: ${row.figure} | baseline ${row.baseline || '—'} | ${row.ratio || '—'} | goal ${row.goal || '—'} | met: ${row.met}`;
}

/** Whether the module at `metaUrl` is the script node was started with (`npx tsx bench/<name>.ts`). */
export function isMain(metaUrl: string): boolean {
  const script = process.argv[1];
  return script !== undefined && pathToFileURL(resolve(script)).href === metaUrl;
}

/**
 * Runs one benchmark on its own (`npx tsx bench/<name>.ts`): starts a stack when it needs one,
 * prints the rows as they come and the table at the end.
 */
export async function runAlone(name: string, bench: Benchmark, options: { needsStack: boolean }): Promise<void> {
  const rows: Row[] = [];
  const notes: string[] = [];
  const stack = options.needsStack ? await startBenchStack() : undefined;
  const ctx: BenchContext = {
    stack,
    log: (line) => console.log(`  … ${line}`),
    report: (row) => {
      rows.push(row);
      console.log(rowLine(row));
    },
    note: (line) => notes.push(line),
    loadSeconds: process.env.BENCH_LOAD_SECONDS ? Number(process.env.BENCH_LOAD_SECONDS) : undefined,
  };
  try {
    console.log(`${name}:`);
    await bench(ctx);
  } catch (error) {
    ctx.report(failedRow(name, error));
    process.exitCode = 1;
  } finally {
    await stack?.stop();
  }
  console.log(`\n${markdownTable(rows)}\n`);
  for (const line of notes) console.log(`- ${line}`);
}
