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
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.int.test.ts'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/**/*.int.test.ts'],
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
