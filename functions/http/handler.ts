import { handle } from 'hono/aws-lambda';
import { createApp } from './app.tsx';
import { resolveLinkSecret } from '#shared/secrets.ts';
import { buildDeps } from './deps.ts';

// Top-level await: the link secret is read from Secrets Manager once, at cold start.
const app = createApp(buildDeps(await resolveLinkSecret()));

/** Lambda entry point for the function URL. */
export const handler = handle(app);
