import { streamHandle } from 'hono/aws-lambda';
import { createApp } from './app.tsx';
import { resolveLinkSecret } from '#shared/secrets.ts';
import { buildDeps } from './deps.ts';

// Top-level await: the link secret is read from Secrets Manager once, at cold start.
const app = createApp(buildDeps(await resolveLinkSecret()));

/**
 * Lambda entry point for the function URL (invoke mode RESPONSE_STREAM). `streamHandle` sends the
 * status, the headers and the cookies (Set-Cookie as the URL's `cookies` list) first, then pipes
 * the body as the app produces it: the CSV export streams, every other response is one chunk.
 */
export const handler = streamHandle(app);
