import { Hono } from 'hono';
import type { Clock } from '#shared/clock.ts';

/** What the HTTP app needs from the outside world; built once per process. */
export interface AppDeps {
  clock: Clock;
}

/** Builds the Hono app. Knows nothing of Lambda or of the local server. */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  app.get('/health', (c) => c.json({ ok: true, now: deps.clock.now().toString() }));
  return app;
}
