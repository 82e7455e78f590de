import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  budgetsSchema,
  budgetViolation,
  sdkViolation,
  lambdaFunctions,
  measureBundle,
  readBudgets,
  type BundleBudgets,
  type BundleMeasurement,
} from '#infra/bundle-size.ts';

/**
 * The size budgets of infra/bundle-budgets.json (see docs/bundles.md): every
 * `functions/<name>/handler.ts` is bundled like CDK bundles it, once, with its SDK-only baseline.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const functions = lambdaFunctions(root);

let outDir = '';
let budgets: BundleBudgets;
/** Per function: its measurement, or why building it failed (so one broken build fails one test). */
const measured = new Map<string, PromiseSettledResult<BundleMeasurement>>();

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'werkplekleren-bundles-test-'));
  budgets = await readBudgets();
  const results = await Promise.allSettled(functions.map((fn) => measureBundle(fn.entry, { outDir, name: fn.name })));
  functions.forEach((fn, i) => measured.set(fn.name, results[i]!));
}, 120_000);

afterAll(async () => {
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

function measurementOf(name: string): BundleMeasurement {
  const result = measured.get(name);
  if (!result) throw new Error(`${name} was not measured`);
  if (result.status === 'rejected') throw new Error(`bundling functions/${name}/handler.ts failed`, { cause: result.reason });
  return result.value;
}

describe('bundle size budgets (infra/bundle-budgets.json)', () => {
  it('finds the Lambda functions by their functions/*/handler.ts', () => {
    expect(functions.map((fn) => fn.name)).toEqual(expect.arrayContaining(['digest-planner', 'digest-sender', 'http', 'retention', 'ses-events']));
  });

  it.each(functions.map((fn) => fn.name))('%s: the bundle is within its budget', (name) => {
    const measurement = measurementOf(name);
    const violation = budgetViolation(name, measurement, budgets.functions[name]);
    if (violation) expect.fail(violation);
  });

  it.each(functions.map((fn) => fn.name))('%s: bundles exactly the AWS SDK packages its budget lists', (name) => {
    const budget = budgets.functions[name];
    if (!budget) return expect.fail(`functions/${name}/handler.ts has no budget`);
    const violation = sdkViolation(name, measurementOf(name), budget);
    if (violation) expect.fail(violation);
  });

  it('builds the http function with code splitting, as CDK does: an index.mjs entry, its chunks counted, the staff group in a chunk of its own', () => {
    const http = measurementOf('http');
    expect(http.outFile).toBe(join(outDir, 'http', 'index.mjs'));
    const files = readdirSync(join(outDir, 'http'), { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.mjs'));
    expect(files).toContain('index.mjs');
    expect(files.length).toBe(http.files);
    expect(http.files).toBeGreaterThan(1);
    expect(http.bytes).toBe(files.reduce((sum, file) => sum + statSync(join(outDir, 'http', file)).size, 0));
    const staffChunks = Object.entries(http.metafile.outputs).filter(([, output]) => Object.keys(output.inputs).includes('functions/http/staff.ts'));
    expect(staffChunks.map(([path]) => path)).toEqual([expect.stringMatching(/\/chunks\/staff-\w+\.mjs$/)]);
    // The other functions stay one file.
    expect(measurementOf('ses-events').files).toBe(1);
  });

  it('reports an SDK client a function bundles without needing it', () => {
    // The real ses-events bundle, against a list without one of its packages and with one it lacks.
    const sesEvents = measurementOf('ses-events');
    const [first, ...rest] = sesEvents.sdkPackages;
    expect(first).toBeDefined();
    const violation = sdkViolation('ses-events', sesEvents, { sdk: [...rest, '@aws-sdk/client-sqs'] });
    expect(violation).toContain(`extra ${first}`);
    expect(violation).toContain('missing @aws-sdk/client-sqs');
    expect(sdkViolation('ses-events', sesEvents, { sdk: sesEvents.sdkPackages })).toBeUndefined();
  });

  it('has no budget for a function that does not exist', () => {
    const stale = Object.keys(budgets.functions).filter((name) => !existsSync(join(root, 'functions', name, 'handler.ts')));
    expect(stale, `budgets in infra/bundle-budgets.json without a functions/<name>/handler.ts: ${stale.join(', ')}`).toEqual([]);
  });

  it('reports a bundle over its budget, and a function without one, with the figures', () => {
    // Real figures: the http bundle as just built, against a budget 0.01 below its measured ratio.
    const http = measurementOf('http');
    const below = Math.floor(http.ratio * 100) / 100 - 0.01;
    const over = budgetViolation('http', http, { maxRatio: below });
    expect(over).toBeDefined();
    expect(over).toContain(`${http.bytes} bytes`);
    expect(over).toContain(`${http.sdkBytes} bytes`);
    expect(over).toContain(`ratio ${http.ratio.toFixed(3)}`);
    expect(over).toContain(`maxRatio ${below}`);

    // The same figures pass a budget just above the ratio.
    expect(budgetViolation('http', http, { maxRatio: Math.ceil(http.ratio * 100) / 100 })).toBeUndefined();

    const missing = budgetViolation('some-new-function', http, undefined);
    expect(missing).toMatch(/^functions\/some-new-function\/handler\.ts has no size budget/);
    expect(missing).toContain(`${http.bytes} bytes`);
  });

  it('requires a reason for a budget above the goal', () => {
    const file = (functions: BundleBudgets['functions']) => ({ about: [], goal: { maxRatio: 1.3 }, functions });
    const sdk = ['@aws-sdk/client-dynamodb'];
    expect(budgetsSchema.safeParse(file({ a: { maxRatio: 1.2, sdk } })).success).toBe(true);
    expect(budgetsSchema.safeParse(file({ a: { maxRatio: 1.5, sdk, reason: 'zod' } })).success).toBe(true);
    expect(budgetsSchema.safeParse(file({ a: { maxRatio: 1.2, sdk: ['left-pad'] } })).success).toBe(false);
    const noReason = budgetsSchema.safeParse(file({ a: { maxRatio: 1.5, sdk } }));
    expect(noReason.success).toBe(false);
    expect(noReason.error?.issues[0]?.message).toContain('needs a reason');
  });
});
