/**
 * The server of benchmark 6, in a process of its own (forked by bench/load.ts, so the load
 * generator does not share its event loop): @hono/node-server serving createApp with appDeps over
 * the local stand-ins, the link pages' rate limits lifted, plus a hello route at /hallo. It counts
 * the answers to POSTs (303 = a version saved) and reports them over IPC when asked.
 *
 * Not meant to be run by hand; its configuration comes in BENCH_LOAD_SERVER (JSON).
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createApp } from '../functions/http/app.tsx';
import { createAwsClients } from '../shared/store/clients.ts';
import { appDeps } from '../test/support/app.ts';
import { BENCH_ORIGIN, benchClock } from './fixtures.ts';

/** What bench/load.ts passes in BENCH_LOAD_SERVER. */
export interface LoadServerConfig {
  port: number;
  endpoints: { dynamodb: string; s3: string; ses: string };
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  tableName: string;
  bucket: string;
  rateLimits: { perAddress: number; perToken: number };
}

/** Messages between bench/load.ts and this server. */
export type LoadServerMessage =
  | { type: 'ready'; port: number }
  | { type: 'stats'; posts: Record<string, number>; errors: number }
  | { type: 'failed'; error: string };

const config = JSON.parse(process.env.BENCH_LOAD_SERVER ?? '{}') as LoadServerConfig;
const send = (message: LoadServerMessage) => process.send?.(message);

try {
  const clients = createAwsClients(
    {
      AWS_REGION: config.region,
      AWS_ENDPOINT_URL_DYNAMODB: config.endpoints.dynamodb,
      AWS_ENDPOINT_URL_S3: config.endpoints.s3,
      AWS_ENDPOINT_URL_SES: config.endpoints.ses,
    },
    config.credentials,
  );
  const deps = {
    ...appDeps(clients, { tableName: config.tableName, bucket: config.bucket }, benchClock(), { publicOrigin: BENCH_ORIGIN, endpoints: config.endpoints }),
    rateLimits: config.rateLimits,
  };
  const app = createApp(deps);
  const hello = new Hono().get('/hallo', (c) => c.text('hallo'));

  const posts: Record<string, number> = {};
  let errors = 0;
  const fetch = async (request: Request, env: unknown): Promise<Response> => {
    const path = request.url.slice(request.url.indexOf('/', request.url.indexOf('//') + 2));
    if (path === '/hallo') return hello.fetch(request, env);
    try {
      const response = await app.fetch(request, env);
      if (request.method === 'POST') posts[response.status] = (posts[response.status] ?? 0) + 1;
      return response;
    } catch (error) {
      errors++;
      throw error;
    }
  };

  const server = serve({ fetch, port: config.port, hostname: '127.0.0.1' }, () => send({ type: 'ready', port: config.port }));
  server.once('error', (error) => {
    send({ type: 'failed', error: String(error) });
    process.exit(1);
  });
  process.on('message', (message: unknown) => {
    if (message === 'stats') send({ type: 'stats', posts: { ...posts }, errors });
    if (message === 'stop') {
      server.close(() => process.exit(0));
      setTimeout(() => process.exit(0), 2000).unref();
    }
  });
  process.on('disconnect', () => process.exit(0));
} catch (error) {
  send({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
}
