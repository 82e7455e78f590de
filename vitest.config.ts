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
