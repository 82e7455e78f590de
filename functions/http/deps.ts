import { loadConfig } from '#shared/config.ts';
import { clockFromConfig } from '#shared/clock.ts';
import type { AppDeps } from './app.ts';

/** Builds the app's dependencies from the environment, once per process. */
export function buildDeps(): AppDeps {
  const config = loadConfig();
  return { clock: clockFromConfig(config.NOW) };
}
