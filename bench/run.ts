/**
 * `npm run bench`: starts a local stack of its own (free ports, in memory, temp folder), runs every
 * benchmark in bench/ one after the other, prints each row as it is measured and one table at the
 * end, and writes the table with the date and machine to bench-results/latest.md (not committed).
 * Every figure is a ratio against a baseline measured in the same run. A benchmark that fails
 * shows "failed: <reason>" in its row; the others still run.
 *
 * Each benchmark also runs alone: `npx tsx bench/<name>.ts`.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { benchBundles } from './bundle.ts';
import { benchCsvExport } from './csv-export.ts';
import { benchXlsxExport } from './xlsx-export.ts';
import { benchDigestPlanner } from './digest-planner.ts';
import { benchDigestSender } from './digest-sender.ts';
import { benchForm, benchFormCalls } from './form.ts';
import { benchLoad } from './load.ts';
import { benchPdf } from './pdf.ts';
import { failedRow, markdownTable, PROJECT_ROOT, rowLine, startBenchStack, type BenchContext, type BenchStack, type Benchmark, type Row } from './support.ts';

/** The whole run must stay under 10 minutes on 2 cores; the load runs get 60 s each when that fits. */
const BUDGET_SECONDS = 9.5 * 60;
const LOAD_SECONDS = 60;
const SHORT_LOAD_SECONDS = 30;
/** Seeding, warm-up and counting around the two load runs. */
const LOAD_OVERHEAD_SECONDS = 40;

const BENCHMARKS: { name: string; run: Benchmark; needsStack: boolean }[] = [
  { name: '1 bundle size and module load', run: benchBundles, needsStack: false },
  { name: '2 form render and submit', run: benchForm, needsStack: false },
  { name: '2 DynamoDB calls per form GET and POST', run: benchFormCalls, needsStack: true },
  { name: '3 CSV export', run: benchCsvExport, needsStack: true },
  { name: '4 digest planning', run: benchDigestPlanner, needsStack: true },
  { name: '5 digest sending', run: benchDigestSender, needsStack: true },
  { name: '6 load', run: benchLoad, needsStack: true },
  { name: '7 PDF of a form and a groeidossier', run: benchPdf, needsStack: false },
  { name: '8 .xlsx export', run: benchXlsxExport, needsStack: false },
];

const started = performance.now();
const elapsedSeconds = () => (performance.now() - started) / 1000;
const date = new Date();
const nodeVersion = execFileSync(process.execPath, ['--version']).toString().trim();
const cpuList = cpus();
const machine = `${cpuList[0]?.model.trim() ?? 'unknown CPU'}, ${cpuList.length} cores`;

console.log(`npm run bench — ${date.toISOString()}, node ${nodeVersion}, ${machine}`);

const rows: Row[] = [];
const notes: string[] = [];
let stack: BenchStack | undefined;
let stackError: unknown;
try {
  console.log('Starting the local stack (DynamoDB Local, s3rver, aws-ses-v2-local) on free ports, in memory…');
  stack = await startBenchStack();
} catch (error) {
  stackError = error;
  console.error(`The local stack did not start: ${error instanceof Error ? error.message : String(error)}`);
}
process.once('SIGINT', () => {
  void (stack?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
});

for (const bench of BENCHMARKS) {
  const benchStart = performance.now();
  console.log(`\n${bench.name}…`);
  const reported: Row[] = [];
  let loadSeconds: number | undefined;
  if (bench.run === benchLoad) {
    const fits = elapsedSeconds() + 2 * LOAD_SECONDS + LOAD_OVERHEAD_SECONDS <= BUDGET_SECONDS;
    loadSeconds = fits ? LOAD_SECONDS : SHORT_LOAD_SECONDS;
    notes.push(
      fits
        ? `6: each load run took the full ${LOAD_SECONDS} s of issue 7.`
        : `6: each load run took ${SHORT_LOAD_SECONDS} s instead of issue 7's ${LOAD_SECONDS} s, to keep the whole run under 10 minutes (${Math.round(elapsedSeconds())} s had passed).`,
    );
  }
  const ctx: BenchContext = {
    stack,
    log: (line) => console.log(`  … ${line}`),
    report: (row) => {
      reported.push(row);
      rows.push(row);
      console.log(rowLine(row));
    },
    note: (line) => notes.push(line),
    ...(loadSeconds ? { loadSeconds } : {}),
  };
  try {
    if (bench.needsStack && !stack) throw stackError ?? new Error('the local stack is not running');
    await bench.run(ctx);
    if (reported.length === 0) throw new Error('reported no rows');
  } catch (error) {
    ctx.report(failedRow(bench.name, error));
  }
  console.log(`  (${bench.name}: ${((performance.now() - benchStart) / 1000).toFixed(0)} s)`);
}

await stack?.stop().catch(() => undefined);
const wall = elapsedSeconds();
const minutes = `${Math.floor(wall / 60)} min ${Math.round(wall % 60)} s`;
const table = markdownTable(rows);
console.log(`\n${table}\n\nTotal wall time: ${minutes}.`);

const report = [
  '# Benchmarks (`npm run bench`)',
  '',
  `- date: ${date.toISOString()}`,
  `- node: ${nodeVersion}`,
  `- machine: ${machine}`,
  `- total wall time: ${minutes}`,
  '',
  'Every figure is measured against its baseline in the same run (see bench/ for how).',
  '',
  table,
  '',
  '## Notes',
  '',
  ...notes.map((line) => `- ${line}`),
  '',
].join('\n');
const outDir = join(PROJECT_ROOT, 'bench-results');
await mkdir(outDir, { recursive: true });
await writeFile(join(outDir, 'latest.md'), report);
console.log(`Written to bench-results/latest.md.`);
process.exit(rows.some((row) => row.met === 'failed') ? 1 : 0);
