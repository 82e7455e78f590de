import { loadConfig, type Config } from '#shared/config.ts';
import { clockFromConfig } from '#shared/clock.ts';
import { createAwsClients } from '#shared/store/clients.ts';
import { PlacementStore } from '#shared/store/placements.ts';
import type { AppDeps } from './app.ts';

/**
 * Builds the app's dependencies, once per process. Credentials are passed only by the local
 * stack; on Lambda the SDK's default chain finds them.
 */
export function buildDeps(
  config: Config = loadConfig(),
  credentials?: { accessKeyId: string; secretAccessKey: string },
): AppDeps {
  const clients = createAwsClients(config, credentials);
  return {
    clock: clockFromConfig(config.NOW),
    publicOrigin: config.PUBLIC_ORIGIN,
    placements: new PlacementStore(clients.doc, config.TABLE_NAME),
  };
}
