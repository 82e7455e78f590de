import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

/**
 * The real Lambda entry point (functions/http/handler.ts) under a stand-in for the Lambda Node.js
 * runtime's response streaming: `awslambda.streamifyResponse` marks the handler as streaming (the
 * runtime then calls it with the event, a writable response stream and the context), and
 * `awslambda.HttpResponseStream.from` writes the metadata prelude a function URL expects before the
 * body: the JSON of status, headers and cookies, then eight NUL bytes.
 */
const awslambda = {
  streamifyResponse: vi.fn((fn: (event: unknown, stream: Writable, context: unknown) => Promise<void>) => fn),
  HttpResponseStream: {
    from(stream: Writable, metadata: unknown): Writable {
      stream.write(JSON.stringify(metadata));
      stream.write(new Uint8Array(8));
      return stream;
    },
  },
};

/** A response stream that keeps what is written, as the function URL receives it. */
class CollectingStream extends Writable {
  readonly chunks: Buffer[] = [];
  readonly finished = new Promise<void>((resolve) => this.on('finish', () => resolve()));
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
    this.chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    callback();
  }
}

interface Prelude {
  statusCode: number;
  headers: Record<string, string>;
  cookies: string[];
}

const ORIGIN = 'https://werkplekleren.example.org';
const DOMAIN = 'abcdefghijklmnop.lambda-url.eu-west-1.on.aws';

/** A function URL event (payload format 2.0), as Lambda hands it over. */
function functionUrlEvent(method: string, path: string, options: { headers?: Record<string, string>; body?: string } = {}) {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: { host: DOMAIN, 'user-agent': 'vitest', ...options.headers },
    requestContext: {
      accountId: 'anonymous',
      apiId: 'abcdefghijklmnop',
      domainName: DOMAIN,
      domainPrefix: 'abcdefghijklmnop',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.9', userAgent: 'vitest' },
      requestId: 'req-1',
      routeKey: '$default',
      stage: '$default',
      time: '10/Nov/2025:09:00:00 +0000',
      timeEpoch: 1762765200000,
    },
    ...(options.body !== undefined ? { body: Buffer.from(options.body).toString('base64'), isBase64Encoded: true } : { isBase64Encoded: false }),
  };
}

type StreamingHandler = (event: unknown, stream: Writable, context: unknown) => Promise<void>;

describe('the HTTP Lambda handler, streaming through a function URL', () => {
  let handler: StreamingHandler;

  async function invoke(event: unknown): Promise<{ prelude: Prelude; body: string }> {
    const stream = new CollectingStream();
    await handler(event, stream, { awsRequestId: 'req-1' });
    await stream.finished;
    const all = Buffer.concat(stream.chunks);
    const split = all.indexOf(Buffer.alloc(8));
    expect(split).toBeGreaterThan(0);
    return { prelude: JSON.parse(all.subarray(0, split).toString('utf8')) as Prelude, body: all.subarray(split + 8).toString('utf8') };
  }

  beforeAll(async () => {
    vi.stubGlobal('awslambda', awslambda);
    // LINK_SECRET is set, so the module makes no Secrets Manager call at import.
    vi.stubEnv('LINK_SECRET', 'handler-test-link-secret-of-32-characters-or-more');
    vi.stubEnv('LINK_SECRET_ARN', '');
    vi.stubEnv('PUBLIC_ORIGIN', ORIGIN);
    vi.stubEnv('NOW', '2025-11-10T09:00');
    for (const name of ['AWS_ENDPOINT_URL_DYNAMODB', 'AWS_ENDPOINT_URL_S3', 'AWS_ENDPOINT_URL_SES']) vi.stubEnv(name, '');
    ({ handler } = (await import('../../../functions/http/handler.ts')) as unknown as { handler: StreamingHandler });
  });

  afterAll(() => {
    vi.unstubAllGlobals();
    vi.unstubAllEnvs();
  });

  it('is a streaming handler (made by streamifyResponse) that writes a page with its status and headers', async () => {
    expect(awslambda.streamifyResponse).toHaveBeenCalledTimes(1);
    expect(awslambda.streamifyResponse.mock.results[0]?.value).toBe(handler);

    const { prelude, body } = await invoke(functionUrlEvent('GET', '/kalender'));

    expect(prelude.statusCode).toBe(200);
    expect(prelude.headers['content-type']).toBe('text/html; charset=UTF-8');
    expect(prelude.headers['content-security-policy']).toContain("default-src 'self'");
    expect(prelude.headers['referrer-policy']).toBe('same-origin');
    expect(prelude.cookies).toEqual([]);
    expect(body).toMatch(/^<!doctype html>/);
    expect(body).toContain('2025-2026');
  });

  it('sends a redirect with its Location and the Set-Cookie as a function URL cookie, not as a header', async () => {
    const { prelude, body } = await invoke(
      functionUrlEvent('POST', '/uitloggen', {
        headers: { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'niets=1',
      }),
    );

    expect(prelude.statusCode).toBe(303);
    expect(prelude.headers.location).toBe('/inloggen?uitgelogd=1');
    expect(prelude.headers['cache-control']).toBe('no-store');
    expect(prelude.headers['set-cookie']).toBeUndefined();
    expect(prelude.cookies).toHaveLength(1);
    expect(prelude.cookies[0]).toMatch(/^__Host-sessie=; Max-Age=0; Path=\/; .*Secure/);
    expect(body).toBe('');
  });

  it('sends error pages with their status: a cross-site POST is a Dutch 403, an unknown path a 404', async () => {
    const crossSite = await invoke(functionUrlEvent('POST', '/uitloggen', { headers: { origin: 'https://evil.example' } }));
    expect(crossSite.prelude.statusCode).toBe(403);
    expect(crossSite.body).toContain('niet vanaf deze website verstuurd');

    const missing = await invoke(functionUrlEvent('GET', '/bestaat-niet'));
    expect(missing.prelude.statusCode).toBe(404);
    expect(missing.body).toContain('Deze pagina bestaat niet.');
  });
});
