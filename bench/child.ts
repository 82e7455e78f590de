/**
 * What the benchmarks that measure peak memory share (3 CSV export, 8 .xlsx export): each size runs
 * in a child process of its own, so sizes do not pollute each other, and the child samples its
 * memory while the measured run goes.
 */
import { fork } from 'node:child_process';
import { fmtInt, yesNo, type Row } from './support.ts';

/** The peak memory of one run: peaks minus the figures right before it, in bytes. */
export interface PeakMemory {
  peakRss: number;
  peakHeap: number;
  /** RSS right before the run. */
  baselineRss: number;
  samples: number;
  ms: number;
}

/**
 * Runs `run` after a gc() (the child has `--expose-gc`), sampling process.memoryUsage() every
 * 10 ms: its result, and its peak RSS and heap above the figures before it.
 */
export async function withPeakMemory<T>(run: () => Promise<T>): Promise<{ result: T; memory: PeakMemory }> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  await new Promise((resolve) => setTimeout(resolve, 50));
  gc?.();
  const before = process.memoryUsage();
  let peakRss = before.rss;
  let peakHeap = before.heapUsed;
  let samples = 0;
  const sample = () => {
    const now = process.memoryUsage();
    samples++;
    if (now.rss > peakRss) peakRss = now.rss;
    if (now.heapUsed > peakHeap) peakHeap = now.heapUsed;
  };
  const sampler = setInterval(sample, 10);
  const start = performance.now();
  let result: T;
  try {
    result = await run();
  } finally {
    clearInterval(sampler);
  }
  const ms = performance.now() - start;
  sample();
  return { result, memory: { peakRss: peakRss - before.rss, peakHeap: peakHeap - before.heapUsed, baselineRss: before.rss, samples, ms } };
}

/** Bytes as megabytes with one decimal: "12.3 MB". */
export const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** The row of a peak-memory goal: the peaks at the larger size against those at the smaller, at most `goalMb` apart. */
export function peakMemoryRow(benchmark: string, sizes: { large: number; small: number }, large: Pick<PeakMemory, 'peakRss' | 'peakHeap'>, small: Pick<PeakMemory, 'peakRss' | 'peakHeap'>, goalMb: number): Row {
  const spread = Math.abs(large.peakRss - small.peakRss);
  return {
    benchmark,
    figure: `+${mb(large.peakRss)} RSS (+${mb(large.peakHeap)} heap) at ${fmtInt(sizes.large)}`,
    baseline: `+${mb(small.peakRss)} RSS (+${mb(small.peakHeap)} heap) at ${fmtInt(sizes.small)}`,
    ratio: `${mb(spread)} apart`,
    goal: `within ${goalMb} MB of each other`,
    met: yesNo(spread <= goalMb * 1024 * 1024),
  };
}

type ChildMessage<R> = { type: 'result'; result: R } | { type: 'failed'; error: string };

/**
 * Runs the benchmark file `url` as a child (`--child`, the same node and tsx loader plus
 * `--expose-gc`; `--cpu-prof` into BENCH_PROFILE_DIR when set) with `config` in the environment
 * variable `envName`, and waits for what {@link childMain} sends back.
 */
export function runChild<C, R>(url: string, envName: string, config: C & { size: number }, what: string, timeoutMs: number): Promise<R> {
  const profileDir = process.env.BENCH_PROFILE_DIR;
  const proc = fork(new URL(url), ['--child'], {
    execArgv: [...process.execArgv, '--expose-gc', ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])],
    env: { ...process.env, [envName]: JSON.stringify(config) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const label = `the ${fmtInt(config.size)} ${what} child`;
  return new Promise<R>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      proc.kill();
      reject(new Error(`${label} took more than ${timeoutMs / 1000} s`));
    }, timeoutMs);
    proc.on('message', (message: ChildMessage<R>) => {
      settled = true;
      clearTimeout(timer);
      if (message.type === 'result') resolve(message.result);
      else reject(new Error(message.error));
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      if (!settled) reject(new Error(`${label} exited (${code}) without a result`));
    });
  });
}

/** The child's side of {@link runChild}: runs `child` with the config from `envName` and sends its result, or why it failed. */
export async function childMain<C, R>(envName: string, child: (config: C) => Promise<R>): Promise<void> {
  try {
    const result = await child(JSON.parse(process.env[envName] ?? '{}') as C);
    process.send?.({ type: 'result', result } satisfies ChildMessage<R>);
  } catch (error) {
    process.send?.({ type: 'failed', error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) } satisfies ChildMessage<R>);
    process.exitCode = 1;
  }
  process.disconnect?.();
}
