/**
 * Bundle size budgets: each Lambda function's minified bundle may be at most `maxRatio` times a
 * bundle of only the AWS SDK clients it imports (the baseline), as written in
 * infra/bundle-budgets.json. Measured by building both with esbuild's JS API and the settings of
 * infra/bundling.ts; checked by test/infra/bundles.test.ts, reported by `npm run bench`
 * (bench/bundle.ts). See docs/bundles.md.
 */
import { existsSync, readdirSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import * as z from 'zod';
import { isSplitFunction, lambdaEsbuildOptions, lambdaFiles, lambdaSplitEsbuildOptions } from './bundling.ts';

/** The repository root. */
const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Where the budgets are written. */
export const BUDGETS_FILE = fileURLToPath(new URL('./bundle-budgets.json', import.meta.url));

/** How to import and instantiate each AWS SDK package a function may bundle. */
export const SDK_CLIENTS: Record<string, { imports: string; create: string }> = {
  '@aws-sdk/client-dynamodb': { imports: "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';", create: 'new DynamoDBClient({ region })' },
  '@aws-sdk/lib-dynamodb': {
    imports: "import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';\nimport { DynamoDBClient as DdbForDoc } from '@aws-sdk/client-dynamodb';",
    create: 'DynamoDBDocumentClient.from(new DdbForDoc({ region }))',
  },
  '@aws-sdk/client-s3': { imports: "import { S3Client } from '@aws-sdk/client-s3';", create: 'new S3Client({ region })' },
  '@aws-sdk/s3-presigned-post': { imports: "import { createPresignedPost } from '@aws-sdk/s3-presigned-post';", create: 'createPresignedPost' },
  '@aws-sdk/client-ses': { imports: "import { SESClient } from '@aws-sdk/client-ses';", create: 'new SESClient({ region })' },
  '@aws-sdk/client-sqs': { imports: "import { SQSClient } from '@aws-sdk/client-sqs';", create: 'new SQSClient({ region })' },
  '@aws-sdk/client-secrets-manager': {
    imports: "import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';",
    create: 'new SecretsManagerClient({ region })',
  },
};

/**
 * The top-level AWS SDK packages (clients, document client, presigners) a bundle contains: those
 * with code in the output. A client that is imported somewhere but tree-shaken away entirely
 * (e.g. `shared/store/clients.ts` makes an S3 client the function never calls) is an input of the
 * build but not part of the bundle, so it is not in the baseline either.
 */
export function sdkPackagesIn(metafile: Metafile): string[] {
  const found = new Set<string>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const match = /node_modules\/(@aws-sdk\/[^/]+)\//.exec(input);
      if (bytesInOutput > 0 && match?.[1] && match[1] in SDK_CLIENTS) found.add(match[1]);
    }
  }
  return [...found].sort();
}

/** A tiny entry that imports and instantiates only these SDK clients. */
export function sdkOnlyEntry(packages: readonly string[]): string {
  const lines = packages.map((pkg) => SDK_CLIENTS[pkg]!.imports);
  lines.push("const region = process.env.AWS_REGION ?? 'eu-west-1';");
  lines.push(`export const clients = [${packages.map((pkg) => SDK_CLIENTS[pkg]!.create).join(', ')}];`);
  return lines.join('\n');
}

/**
 * The Lambda functions: every `functions/<name>/handler.ts`, by name, sorted. Found on disk, so a
 * new function is measured (and needs a budget) without being listed anywhere.
 */
export function lambdaFunctions(root = PROJECT_ROOT): { name: string; entry: string }[] {
  const dir = join(root, 'functions');
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'handler.ts')))
    .map((d) => ({ name: d.name, entry: `functions/${d.name}/handler.ts` }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** A function's bundle against its SDK-only baseline. */
export interface BundleMeasurement {
  /**
   * Size of the function's minified `.mjs` (without its source map), in bytes; for a function
   * bundled with code splitting, of the entry and all its chunks together.
   */
  bytes: number;
  /** How many `.mjs` files that is: 1, or the entry and its chunks of a split function. */
  files: number;
  /** Size of the SDK-only baseline `.mjs`, in bytes. */
  sdkBytes: number;
  /** `bytes / sdkBytes`. */
  ratio: number;
  /** The AWS SDK packages found in the function's bundle, which the baseline imports. */
  sdkPackages: string[];
  /** The function's bundle (`<outDir>/<name>/index.mjs`; of a split function its entry, chunks in `chunks/`). */
  outFile: string;
  /** The baseline bundle (`<outDir>/<name>-sdk-only/index.mjs`). */
  sdkFile: string;
  /** esbuild's metafile of the function's bundle (what is in it, `bytesInOutput` per input). */
  metafile: Metafile;
}

/**
 * Builds a function's bundle, then a bundle of an entry that imports and instantiates only the
 * AWS SDK packages found in it (the baseline), both with the Lambda esbuild settings, and returns
 * their sizes. The files go to `outDir` (default: a new temp folder, which the caller removes).
 * A function in `LAMBDA_SPLITTING.functions` (infra/bundling.ts) is built split, as CDK builds it;
 * the baseline stays one file.
 *
 * @param entry The handler, relative to the repository root (or absolute).
 */
export async function measureBundle(entry: string, options: { outDir?: string; name?: string } = {}): Promise<BundleMeasurement> {
  const outDir = options.outDir ?? (await mkdtemp(join(tmpdir(), 'werkplekleren-bundle-')));
  const name = options.name ?? entry.split('/').at(-2) ?? 'function';
  const outFile = join(outDir, name, 'index.mjs');
  const buildOptions = isSplitFunction(name) ? lambdaSplitEsbuildOptions(join(outDir, name), PROJECT_ROOT) : lambdaEsbuildOptions(outFile, PROJECT_ROOT);
  const fnBuild = await build({ ...buildOptions, entryPoints: [join(PROJECT_ROOT, entry)] });
  const metafile = fnBuild.metafile!;
  // The files it reads beside its bundle, as CDK copies them: the output runs as the asset does (they are not `.mjs`: not counted).
  await copyLambdaFiles(name, join(outDir, name));
  const outputs = Object.entries(metafile.outputs).filter(([path]) => path.endsWith('.mjs'));
  const sdkPackages = sdkPackagesIn(metafile);
  const sdkFile = join(outDir, `${name}-sdk-only`, 'index.mjs');
  await build({
    ...lambdaEsbuildOptions(sdkFile, PROJECT_ROOT),
    stdin: { contents: sdkOnlyEntry(sdkPackages), resolveDir: PROJECT_ROOT, sourcefile: `${name}-sdk-only.mjs`, loader: 'js' },
  });
  const bytes = outputs.reduce((sum, [, output]) => sum + output.bytes, 0);
  const sdkBytes = (await stat(sdkFile)).size;
  return { bytes, files: outputs.length, sdkBytes, ratio: bytes / sdkBytes, sdkPackages, outFile, sdkFile, metafile };
}

/** Copies function `name`'s files (infra/bundling.ts, `LAMBDA_FILES`) into its output folder, as CDK's `afterBundling` hook does. */
export async function copyLambdaFiles(name: string, dir: string): Promise<void> {
  for (const { from, to } of lambdaFiles(name)) {
    await mkdir(dirname(join(dir, to)), { recursive: true });
    await copyFile(from, join(dir, to));
  }
}

const budgetSchema = z.strictObject({
  /** Largest allowed `bytes / sdkBytes`. */
  maxRatio: z.number().positive(),
  /** The AWS SDK packages the bundle may contain: exactly these (see {@link sdkViolation}). */
  sdk: z.array(z.string().refine((pkg) => pkg in SDK_CLIENTS, 'is not an AWS SDK package the measurement knows (SDK_CLIENTS)')),
  /** Why the budget is above the goal (what the bundle holds beyond the SDK). */
  reason: z.string().min(1).optional(),
});

/** The shape of infra/bundle-budgets.json. */
export const budgetsSchema = z
  .strictObject({
    about: z.array(z.string()),
    goal: z.strictObject({ maxRatio: z.number().positive() }),
    functions: z.record(z.string().regex(/^[a-z0-9-]+$/), budgetSchema),
  })
  .superRefine((budgets, ctx) => {
    for (const [name, budget] of Object.entries(budgets.functions)) {
      if (budget.maxRatio > budgets.goal.maxRatio && !budget.reason) {
        ctx.addIssue({
          code: 'custom',
          path: ['functions', name, 'reason'],
          message: `${name}: a budget above the goal (${budget.maxRatio} > ${budgets.goal.maxRatio}) needs a reason`,
        });
      }
    }
  });

export type BundleBudgets = z.infer<typeof budgetsSchema>;
export type BundleBudget = z.infer<typeof budgetSchema>;

/** Reads and validates infra/bundle-budgets.json (or another file of that shape). */
export async function readBudgets(file = BUDGETS_FILE): Promise<BundleBudgets> {
  const json: unknown = JSON.parse(await readFile(file, 'utf8'));
  const parsed = budgetsSchema.safeParse(json);
  if (!parsed.success) throw new Error(`${file} is not a valid budgets file:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

const kB = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;

/** One line about a measurement: bytes, baseline, ratio. */
export function describeMeasurement(m: Pick<BundleMeasurement, 'bytes' | 'sdkBytes' | 'ratio' | 'sdkPackages'> & { files?: number }): string {
  const sdk = m.sdkPackages.map((p) => p.replace('@aws-sdk/', '')).join(', ') || 'none';
  const files = m.files !== undefined && m.files > 1 ? ` in ${m.files} files` : '';
  return `${m.bytes} bytes (${kB(m.bytes)}${files}) against an SDK-only baseline of ${m.sdkBytes} bytes (${kB(m.sdkBytes)}; ${sdk}): ratio ${m.ratio.toFixed(3)}`;
}

/**
 * Compares a measurement with a function's budget: `undefined` when within it, else why not (a
 * missing budget is a violation too). Pure: no building, no files.
 */
export function budgetViolation(
  name: string,
  measurement: Pick<BundleMeasurement, 'bytes' | 'sdkBytes' | 'ratio' | 'sdkPackages'> & { files?: number },
  budget: Pick<BundleBudget, 'maxRatio'> | undefined,
): string | undefined {
  if (!budget) {
    return (
      `functions/${name}/handler.ts has no size budget: add "${name}": { "maxRatio": … } to infra/bundle-budgets.json ` +
      `(measured now: ${describeMeasurement(measurement)}; see docs/bundles.md)`
    );
  }
  if (measurement.ratio <= budget.maxRatio) return undefined;
  return (
    `${name}: bundle over its size budget: ${describeMeasurement(measurement)} > maxRatio ${budget.maxRatio} ` +
    `(allows ${Math.floor(budget.maxRatio * measurement.sdkBytes)} bytes; over by ${Math.ceil(measurement.bytes - budget.maxRatio * measurement.sdkBytes)} bytes). ` +
    `Trim the bundle, or raise the budget in infra/bundle-budgets.json with a reason in the commit`
  );
}

/**
 * Compares the SDK packages in a bundle with those its budget allows: `undefined` when they are
 * the same, else which are extra or missing. The baseline is built from what is in the bundle, so
 * a client pulled in by mistake would not show in the ratio; this check catches it.
 */
export function sdkViolation(name: string, measurement: Pick<BundleMeasurement, 'sdkPackages'>, budget: Pick<BundleBudget, 'sdk'>): string | undefined {
  const allowed = new Set(budget.sdk);
  const found = new Set(measurement.sdkPackages);
  const extra = [...found].filter((pkg) => !allowed.has(pkg));
  const missing = [...allowed].filter((pkg) => !found.has(pkg));
  if (extra.length === 0 && missing.length === 0) return undefined;
  return (
    `${name}: the bundle's AWS SDK packages differ from its budget's "sdk" list in infra/bundle-budgets.json: ` +
    [extra.length > 0 ? `extra ${extra.join(', ')}` : '', missing.length > 0 ? `missing ${missing.join(', ')}` : ''].filter(Boolean).join('; ') +
    '. Build only the clients the function calls (shared/store/clients.ts has one factory per service), or change the list with a reason'
  );
}
