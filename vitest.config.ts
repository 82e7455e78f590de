import { defineConfig } from 'vitest/config';

/**
 * Two projects: fast unit tests (domain, HTTP through app.request(), infra templates), and
 * integration tests (`*.int.test.ts`) that talk to the local emulators through the real AWS SDK;
 * the emulators are started once by the integration project's global setup.
 */
export default defineConfig({
  // Pages are Hono JSX (tsconfig: jsxImportSource hono/jsx); vite's transformer needs telling too.
  oxc: { jsx: { runtime: 'automatic', importSource: 'hono/jsx' } },
  test: {
    // vitest's default is one worker less than the cores: one file at a time on the 2-core
    // machine. The integration files mostly wait on the emulators (DynamoDB Local's JVM, s3rver,
    // clamd) and the browser, so two files side by side finish sooner: 10 integration files took
    // 30 s with two workers, 39 s with one and 32 s with three.
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          // The files of a worker share one module graph instead of importing the app, the AWS SDK
          // and the test support anew for each file (projects do not inherit the root's options,
          // so each says it). On the 2-core machine that import was 157 s of the integration
          // project's 360 s (68 files, about 2.3 s each), and the project took 235 s without it;
          // the unit project went from 68 s to 49 s. The cost: a file must leave no state behind
          // in a shared module (stubs undone, clocks and middleware removed), as every file does.
          isolate: false,
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.int.test.ts'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          isolate: false,
          include: ['test/**/*.int.test.ts'],
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
