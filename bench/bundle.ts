/**
 * Benchmark 1: bundle size and module-load time of each Lambda function (every
 * `functions/<name>/handler.ts`), bundled with esbuild with the settings CDK uses
 * (infra/bundling.ts), against a bundle of only the AWS SDK clients that function bundles (found in
 * its own esbuild metafile). Building and sizing is infra/bundle-size.ts, which the size budgets
 * (test/infra/bundles.test.ts, docs/bundles.md) use too.
 *
 * Run alone: `npx tsx bench/bundle.ts`.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { Metafile } from 'esbuild';
import { lambdaFunctions, measureBundle, readBudgets } from '../infra/bundle-size.ts';
import { fmtBytes, fmtMs, fmtRatio, isMain, median, runAlone, yesNo, type BenchContext } from './support.ts';

const run = promisify(execFile);

/** Times each module is loaded in a fresh node; the median counts. */
const LOAD_RUNS = 7;

/** The environment of a cold start: config the handlers read at import, endpoints that go nowhere real. */
function childEnv(endpoints?: { dynamodb: string; s3: string; ses: string }): NodeJS.ProcessEnv {
  const nowhere = 'http://127.0.0.1:9';
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    // As on Lambda (app-function.ts sets it for every function).
    NODE_OPTIONS: '--enable-source-maps',
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    TABLE_NAME: 'werkplekleren-bench',
    BUCKET_NAME: 'werkplekleren-bench',
    PUBLIC_ORIGIN: 'https://werkplekleren.example.nl',
    MAIL_FROM: 'werkplekleren@example.org',
    // Set, so the handlers' top-level await never asks Secrets Manager.
    LINK_SECRET: 'bench-link-secret-of-at-least-32-characters',
    SES_RATE: '14',
    DIGEST_QUEUE_URL: `${nowhere}/000000000000/digest`,
    AWS_ENDPOINT_URL_DYNAMODB: endpoints?.dynamodb ?? nowhere,
    AWS_ENDPOINT_URL_S3: endpoints?.s3 ?? nowhere,
    AWS_ENDPOINT_URL_SES: endpoints?.ses ?? nowhere,
    AWS_ENDPOINT_URL_SQS: nowhere,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: nowhere,
  };
}

/**
 * What the Lambda Node.js runtime puts on `globalThis` before it loads a handler: `awslambda`,
 * whose `streamifyResponse` a response-streaming handler (hono's `streamHandle`) calls at import.
 * Defined outside the timed part, for the handler and the baseline alike.
 */
const LAMBDA_GLOBALS =
  'globalThis.awslambda ??= {}; awslambda.streamifyResponse ??= (handler) => handler; awslambda.HttpResponseStream ??= { from: (stream) => stream };';

/** Milliseconds to `import()` the module in a fresh node, measured inside that process. */
async function loadTime(file: string, env: NodeJS.ProcessEnv): Promise<number> {
  const script = `${LAMBDA_GLOBALS} const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); console.log(performance.now() - t);`;
  let stdout: string;
  try {
    ({ stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { env, timeout: 30_000, maxBuffer: 16 * 1024 * 1024 }));
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '');
    const reason = stderr.split('\n').find((line) => /^\w*(Error|Exception)\b|^\w+ \[\w+\]:/.test(line.trim())) ?? (error as Error).message.split('\n')[0];
    throw new Error(`importing the bundle failed: ${reason?.trim().slice(0, 300)}`, { cause: error });
  }
  const ms = Number(stdout.trim().split('\n').at(-1));
  if (!Number.isFinite(ms)) throw new Error(`no load time from ${file}: ${stdout.slice(0, 200)}`);
  return ms;
}

export async function benchBundles(ctx: BenchContext): Promise<void> {
  const outDir = await mkdtemp(join(tmpdir(), 'werkplekleren-bench-bundles-'));
  const env = childEnv(ctx.stack?.endpoints);
  const GOAL = (await readBudgets()).goal.maxRatio;
  const { stdout: nodeVersion } = await run(process.execPath, ['--version']);
  ctx.note(
    `1: bundles built with esbuild's API using the settings of infra/bundling.ts, which infra/constructs/app-function.ts gives CDK (ESM, minify, target node22, platform node, ` +
      `source map, main fields module,main, the require banner, AWS SDK bundled; the http function with code splitting, as CDK builds it: an index.mjs entry and its chunks); ` +
      `size = the .mjs files without their maps (of a split function all its files; its load is the import of its entry, which loads the chunks it imports statically). ` +
      `Load = median of ${LOAD_RUNS} fresh \`node ${nodeVersion.trim()} --input-type=module\` processes timing \`await import()\` (NODE_OPTIONS=--enable-source-maps as on Lambda), ` +
      `handler and baseline runs interleaved, with the Lambda runtime's \`awslambda\` global stubbed (the HTTP handler's \`streamHandle\` calls \`awslambda.streamifyResponse\` at import). Baseline = a bundle of an entry that imports and instantiates only the SDK packages with code in the function's bundle (its metafile); the size budgets are in infra/bundle-budgets.json.`,
  );
  try {
    for (const fn of lambdaFunctions()) {
      const label = `1 ${fn.name}`;
      let sizeReported = false;
      try {
        const measured = await measureBundle(fn.entry, { outDir, name: fn.name });
        const { outFile: fnFile, sdkFile, bytes: fnSize, sdkBytes: sdkSize, ratio: sizeRatio } = measured;
        const short = measured.sdkPackages.map((p) => p.replace('@aws-sdk/', '')).join(', ');
        ctx.report({
          benchmark: `${label}: bundle size`,
          figure: measured.files > 1 ? `${fmtBytes(fnSize)} in ${measured.files} files` : fmtBytes(fnSize),
          baseline: `${fmtBytes(sdkSize)} (SDK only: ${short})`,
          ratio: fmtRatio(sizeRatio),
          goal: `≤ ${GOAL}×`,
          met: yesNo(sizeRatio <= GOAL),
        });
        sizeReported = true;

        // Interleaved, so a noisy moment hits both sides alike; one unmeasured run of each first (disk cache).
        await loadTime(fnFile, env);
        await loadTime(sdkFile, env);
        const fnTimes: number[] = [];
        const sdkTimes: number[] = [];
        for (let i = 0; i < LOAD_RUNS; i++) {
          fnTimes.push(await loadTime(fnFile, env));
          sdkTimes.push(await loadTime(sdkFile, env));
        }
        const fnMs = median(fnTimes);
        const sdkMs = median(sdkTimes);
        const loadRatio = fnMs / sdkMs;
        ctx.report({
          benchmark: `${label}: module load`,
          figure: fmtMs(fnMs),
          baseline: fmtMs(sdkMs),
          ratio: fmtRatio(loadRatio),
          goal: `≤ ${GOAL}×`,
          met: yesNo(loadRatio <= GOAL),
        });
        const biggest = biggestNonSdkInputs(measured.metafile);
        if (biggest) ctx.note(`1 ${fn.name}: largest non-SDK parts of the bundle: ${biggest}`);
      } catch (error) {
        ctx.report({
          benchmark: `${label}: ${sizeReported ? 'module load' : 'bundle size and module load'}`,
          figure: `failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
          baseline: '',
          ratio: '',
          goal: `≤ ${GOAL}×`,
          met: 'failed',
        });
      }
    }
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

/**
 * The biggest packages (or source folders) outside the AWS SDK in a bundle, by bytes in the
 * output; the biggest one also by its own folders (what a fix would have to cut).
 */
function biggestNonSdkInputs(metafile: Metafile): string {
  // One .mjs output (and its map), or with code splitting the entry and its chunks: all of them.
  const inputs = Object.entries(metafile.outputs)
    .filter(([path]) => path.endsWith('.mjs'))
    .flatMap(([, output]) => Object.entries(output.inputs));
  if (inputs.length === 0) return '';
  const byPackage = new Map<string, number>();
  const byFolder = new Map<string, Map<string, number>>();
  for (const [input, { bytesInOutput }] of inputs) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(input);
    const key = match?.[1] ?? input.split('/').slice(0, 2).join('/');
    if (key.startsWith('@aws-sdk/') || key.startsWith('@smithy/') || key.startsWith('@aws-crypto/')) continue;
    byPackage.set(key, (byPackage.get(key) ?? 0) + bytesInOutput);
    const folder = match?.[2]?.split('/').slice(0, -1).join('/') || '.';
    const folders = byFolder.get(key) ?? new Map<string, number>();
    folders.set(folder, (folders.get(folder) ?? 0) + bytesInOutput);
    byFolder.set(key, folders);
  }
  const ranked = [...byPackage.entries()].sort((a, b) => b[1] - a[1]).slice(0, 6);
  return ranked
    .map(([key, bytes], i) => {
      const folders =
        i === 0 && byFolder.get(key)!.size > 1
          ? ` (${[...byFolder.get(key)!.entries()]
              .filter(([folder, n]) => folder !== '.' && n >= 1024)
              .sort((a, b) => b[1] - a[1])
              .slice(0, 4)
              .map(([folder, n]) => `${folder} ${fmtBytes(n)}`)
              .join(', ')})`
          : '';
      return `${key} ${fmtBytes(bytes)}${folders}`;
    })
    .join(', ');
}

if (isMain(import.meta.url)) await runAlone('bundle size and module load', benchBundles, { needsStack: false });
