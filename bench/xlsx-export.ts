/**
 * Benchmark 8: the IO's workbook (issue 15). The .xlsx writer (shared/overview/xlsx.ts: exceljs's
 * streaming WorkbookWriter, a committed row at a time) against the CSV writer (shared/overview/csv.ts)
 * on the same 10,000 submitted kijkwijzers, and the workbook's peak memory at 1,000 and at 10,000.
 *
 * Both writers read the same rows from the same in-memory RequestStore stand-in (the two methods an
 * export reads, 100-request pages as the route asks), built before any run, and each stream is read
 * to the end: the figures are the writers' own cost, not DynamoDB's (bench 3 measures the CSV route
 * over DynamoDB Local; the workbook's route reads the same pages the same way). Every request has a
 * complete kijkwijzer (each item answered, the free texts several lines long) and every tenth an
 * attachment, as in bench 3.
 *
 * Each size runs in a child process of its own (`--expose-gc`): warm-ups of both writers on 100
 * rows, a gc(), then the memory run (the first workbook of the size; process.memoryUsage() sampled
 * every 10 ms, peak minus the figure before), then the timed runs, interleaved, the order flipped
 * each round; last, the workbook is read back with exceljs and its rows counted.
 *
 * Run alone: `npx tsx bench/xlsx-export.ts`. The child is this file with `--child` (config in
 * BENCH_XLSX_CHILD; bench/child.ts).
 */
import ExcelJS from 'exceljs';
import { formCatalog } from '../forms/index.ts';
import { getPeriod, getSchoolYear } from '../shared/calendar.ts';
import type { RequestRecord, SubmissionVersion } from '../shared/model/requests.ts';
import { exportCsv } from '../shared/overview/csv.ts';
import type { ExportDeps, ExportPlan } from '../shared/overview/export-rows.ts';
import { exportXlsx, SHEET_NAME } from '../shared/overview/xlsx.ts';
import { versionRef, type RequestStore } from '../shared/store/requests.ts';
import { childMain, mb, peakMemoryRow, runChild, withPeakMemory } from './child.ts';
import { BENCH_ORIGIN, benchSubmission } from './fixtures.ts';
import { fmtInt, fmtMs, fmtRatio, isMain, median, runAlone, yesNo, type BenchContext } from './support.ts';

const SCHOOL_YEAR = '2025-2026';
const PERIOD = 1;
const SIZES = [1000, 10_000] as const;
/** Timed runs of each writer (interleaved) per size, after the memory run. */
const TIMED_RUNS: Record<number, number> = { 1000: 9, 10_000: 5 };
const PAGE_SIZE = 100;
const TIME_GOAL = 2;
const MEMORY_GOAL_MB = 50;
const plan: ExportPlan = { choice: { year: getSchoolYear(SCHOOL_YEAR)!, period: getPeriod(SCHOOL_YEAR, PERIOD)! }, queries: [{}] };

/** What the parent passes the child in BENCH_XLSX_CHILD. */
interface ChildConfig {
  size: number;
}

/** What the child reports back. */
interface ChildResult {
  size: number;
  /** Data rows of the workbook read back with exceljs. */
  rows: number;
  xlsxBytes: number;
  csvBytes: number;
  /** Peak minus the figure right before the memory run, in bytes. */
  peakRss: number;
  peakHeap: number;
  baselineRss: number;
  samples: number;
  memoryRunMs: number;
  xlsxMs: number[];
  csvMs: number[];
}

/** `count` submitted requests (benchSubmission; the free texts run over three lines) with their latest versions, as the stores return them. */
function submissions(count: number): { requests: RequestRecord[]; versions: Map<string, SubmissionVersion> } {
  const requests: RequestRecord[] = [];
  const versions = new Map<string, SubmissionVersion>();
  for (let n = 1; n <= count; n++) {
    const text = `Student ${n} legde duidelijk uit; de klas werkte actief mee.\nDe instructie was kort en helder.\nVolgende keer: meer tijd voor vragen`;
    const { request, version } = benchSubmission(n, { idPrefix: 'xlsx', period: PERIOD, text });
    requests.push(request);
    versions.set(versionRef({ ...request, version: 1 }), version);
  }
  return { requests, versions };
}

/** The two RequestStore methods an export reads, over arrays: GSI2 pages of requests, a BatchGet of their versions. */
function memoryStore(data: ReturnType<typeof submissions>, limit = data.requests.length): ExportDeps['requests'] {
  const store: Pick<RequestStore, 'submittedPages' | 'getVersions'> = {
    async *submittedPages(_year, _period, options) {
      const pageSize = options?.pageSize ?? PAGE_SIZE;
      for (let i = 0; i < limit; i += pageSize) yield data.requests.slice(i, Math.min(i + pageSize, limit)).map((r) => ({ ...r }));
    },
    async getVersions(refs) {
      return new Map(refs.flatMap((ref) => {
        const key = versionRef(ref);
        const version = data.versions.get(key);
        return version ? [[key, version] as const] : [];
      }));
    },
  };
  return store;
}

/** Reads a stream to the end; its bytes, or the bytes themselves when `keep`. */
async function drain(body: ReadableStream<Uint8Array>, keep = false): Promise<{ bytes: number; chunks: Uint8Array[] }> {
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.length;
    if (keep) chunks.push(value);
  }
  return { bytes, chunks };
}

/** One size, in a process of its own: warm-ups, the memory run, the timed runs, the read-back. */
async function child(config: ChildConfig): Promise<ChildResult> {
  const data = submissions(config.size);
  const deps = (limit?: number): ExportDeps => ({ requests: memoryStore(data, limit), forms: formCatalog });
  const xlsx = (limit?: number) => exportXlsx(deps(limit), plan, { origin: BENCH_ORIGIN, pageSize: PAGE_SIZE });
  const csv = (limit?: number) => exportCsv(deps(limit), plan, { delimiter: ';', origin: BENCH_ORIGIN, pageSize: PAGE_SIZE });

  // Warm-ups: both writers' code paths (exceljs loaded, the JIT warm) on 100 rows.
  for (let i = 0; i < 2; i++) {
    await drain(xlsx(100));
    await drain(csv(100));
  }

  // The memory run: the first workbook of the full size in this process.
  const { result: memoryRun, memory } = await withPeakMemory(() => drain(xlsx()));

  const xlsxMs: number[] = [];
  const csvMs: number[] = [];
  let csvBytes = 0;
  const timeXlsx = async () => {
    const start = performance.now();
    await drain(xlsx());
    xlsxMs.push(performance.now() - start);
  };
  const timeCsv = async () => {
    const start = performance.now();
    csvBytes = (await drain(csv())).bytes;
    csvMs.push(performance.now() - start);
  };
  for (let i = 0; i < (TIMED_RUNS[config.size] ?? 3); i++) {
    if (i % 2 === 0) {
      await timeXlsx();
      await timeCsv();
    } else {
      await timeCsv();
      await timeXlsx();
    }
  }

  // The workbook read back: one row per submission under the header.
  const { chunks } = await drain(xlsx(), true);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
  const sheet = workbook.getWorksheet(SHEET_NAME);
  const rows = (sheet?.actualRowCount ?? 0) - 1;
  if (rows !== config.size) throw new Error(`the workbook has ${rows} rows of ${config.size} submissions`);

  return {
    size: config.size,
    rows,
    xlsxBytes: memoryRun.bytes,
    csvBytes,
    peakRss: memory.peakRss,
    peakHeap: memory.peakHeap,
    baselineRss: memory.baselineRss,
    samples: memory.samples,
    memoryRunMs: memory.ms,
    xlsxMs,
    csvMs,
  };
}

export async function benchXlsxExport(ctx: BenchContext): Promise<void> {
  const results = new Map<number, ChildResult>();
  for (const size of SIZES) {
    const result = await runChild<ChildConfig, ChildResult>(import.meta.url, 'BENCH_XLSX_CHILD', { size }, 'workbook', 180_000);
    ctx.log(
      `${fmtInt(size)}: ${fmtInt(result.rows)} rows read back, ${mb(result.xlsxBytes)} of .xlsx, ${mb(result.csvBytes)} of CSV; ` +
        `xlsx ${fmtMs(median(result.xlsxMs))} [${result.xlsxMs.map(fmtMs).join(', ')}], csv ${fmtMs(median(result.csvMs))} [${result.csvMs.map(fmtMs).join(', ')}]; ` +
        `peak +${mb(result.peakRss)} RSS, +${mb(result.peakHeap)} heap (${result.samples} samples in ${fmtMs(result.memoryRunMs)})`,
    );
    results.set(size, result);
  }
  const small = results.get(1000)!;
  const large = results.get(10_000)!;
  const ratioOf = (r: ChildResult) => median(r.xlsxMs) / median(r.csvMs);
  ctx.report({
    benchmark: '8 .xlsx export, 10,000 submissions: time',
    figure: `${fmtMs(median(large.xlsxMs))} for 10,000 (${mb(large.xlsxBytes)}); ${fmtMs(median(small.xlsxMs))} for 1,000`,
    baseline: `the CSV writer on the same rows: ${fmtMs(median(large.csvMs))} (${mb(large.csvBytes)}) / ${fmtMs(median(small.csvMs))}`,
    ratio: `${fmtRatio(ratioOf(large))} / ${fmtRatio(ratioOf(small))}`,
    goal: `≤ ${TIME_GOAL}× at 10,000`,
    met: yesNo(ratioOf(large) <= TIME_GOAL),
  });
  ctx.report(peakMemoryRow('8 .xlsx export: peak memory', { large: 10_000, small: 1000 }, large, small, MEMORY_GOAL_MB));
  ctx.note(
    `8: the writers alone (shared/overview/xlsx.ts against shared/overview/csv.ts), each stream read to the end, over the same in-memory pages of ` +
      `${PAGE_SIZE} submitted kijkwijzers (complete answers, three-line free texts, every tenth with an attachment), built before the runs; no DynamoDB ` +
      `(bench 3 has the CSV route over DynamoDB Local). Time = median of ${TIMED_RUNS[10_000]} (10,000) / ${TIMED_RUNS[1000]} (1,000) interleaved runs ` +
      `(order flipped each round) after warm-ups. Memory: each size in a child process of its own (--expose-gc), after warm-ups on 100 rows and a gc(); ` +
      `process.memoryUsage() sampled every 10 ms during the first full workbook, peak minus the figure before it (baseline RSS ${mb(small.baselineRss)} / ` +
      `${mb(large.baselineRss)}, which holds the rows). Checked: the workbook read back with exceljs has one row per submission.`,
  );
}

if (isMain(import.meta.url)) {
  if (process.argv.includes('--child')) {
    await childMain('BENCH_XLSX_CHILD', child);
  } else {
    await runAlone('.xlsx export', benchXlsxExport, { needsStack: false });
  }
}
