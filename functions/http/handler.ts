import { handle } from 'hono/aws-lambda';
import { createApp } from './app.tsx';
import { buildDeps } from './deps.ts';

const app = createApp(buildDeps());

/** Lambda entry point for the function URL. */
export const handler = handle(app);
