import { loadConfig, type Config } from '#shared/config.ts';
import { clockFromConfig } from '#shared/clock.ts';
import type { AppDeps } from './app.ts';

/** Builds the app's dependencies, once per process. */
export function buildDeps(config: Config = loadConfig()): AppDeps {
  return {
    clock: clockFromConfig(config.NOW),
    publicOrigin: config.PUBLIC_ORIGIN,
  };
}
