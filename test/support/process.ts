import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The project root, where npm scripts run. */
export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

/** A child process whose output is collected, with a way to wait for a line. */
export interface Running {
  child: ChildProcess;
  output: () => string;
  waitFor: (text: string, timeoutMs?: number) => Promise<void>;
  exit: Promise<number | null>;
  /** Kills the process and everything it started (DynamoDB Local's JVM), if still running. */
  killAll: () => void;
}

/** Runs a TypeScript entry with tsx, as the npm scripts do, with extra environment variables. */
export function runTsx(entry: string, args: string[], env: Record<string, string>, options: { tsx?: boolean } = {}): Running {
  const child = spawn(process.execPath, [...(options.tsx === false ? [] : ['--import', 'tsx']), entry, ...args], {
    cwd: projectRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so a failed test can kill the JVM it started too.
    detached: true,
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const waitFor = async (text: string, timeoutMs = 60_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!output.includes(text)) {
      if (child.exitCode !== null) throw new Error(`process ended before "${text}":\n${output}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for "${text}":\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const killAll = () => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  return { child, output: () => output, waitFor, exit, killAll };
}

const bundles = new Map<string, Promise<string>>();

/**
 * Runs a TypeScript entry as {@link runTsx} does, but from a bundle that esbuild builds once per
 * test process, packages included: the same code without tsx compiling it and without resolving
 * hundreds of package files on every start, for tests that start a command many times (about
 * 0.6 s a start instead of 2.2 s).
 */
export async function runBundled(entry: string, args: string[], env: Record<string, string>): Promise<Running> {
  let bundle = bundles.get(entry);
  if (!bundle) {
    bundle = (async () => {
      const { build } = await import('esbuild');
      const outfile = `${projectRoot}node_modules/.cache/test-bundles/${process.pid}-${entry.replaceAll('/', '_')}.mjs`;
      await build({
        entryPoints: [`${projectRoot}${entry}`],
        outfile,
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        logLevel: 'error',
        // The CommonJS packages in an ESM bundle need a require, as in infra/bundling.ts.
        banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
      });
      process.once('exit', () => rmSync(outfile, { force: true }));
      return outfile;
    })();
    bundles.set(entry, bundle);
  }
  return runTsx(await bundle, args, env, { tsx: false });
}
