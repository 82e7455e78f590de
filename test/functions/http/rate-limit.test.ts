import { Hono } from 'hono';
import type { Context } from 'hono';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../../functions/http/app.tsx';
import { clientAddress, defaults, LINK_RATE_LIMITS, linkKey, rateLimit, type RateLimitOptions } from '../../../functions/http/middleware/rate-limit.ts';
import { fixedClock, parseInstant } from '../../../shared/clock.ts';
import { hashToken, tokenFor } from '../../../shared/links.ts';
import { offlineDeps, TEST_LINK_SECRET } from '../../support/app.ts';

/** A clock the test moves, in epoch milliseconds. */
function manualClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

/** A bare app with one limited route; the key is the `k` query parameter. */
function limitedApp(options: Partial<RateLimitOptions> = {}) {
  const app = new Hono();
  app.use(rateLimit({ key: (c) => c.req.query('k'), ...options }));
  app.all('/', (c) => c.text('ok'));
  return app;
}

async function statuses(app: Hono, path: string, times: number, init?: RequestInit): Promise<number[]> {
  const result: number[] = [];
  for (let i = 0; i < times; i++) result.push((await app.request(path, init)).status);
  return result;
}

describe('rateLimit', () => {
  it('lets max requests through in a window and answers the next with a Dutch 429 and Retry-After', async () => {
    const clock = manualClock();
    const app = limitedApp({ max: 3, windowMs: 60_000, now: clock.now });

    const first = await statuses(app, '/?k=a', 3);
    clock.advance(20_000);
    const over = await app.request('/?k=a');

    expect(first).toEqual([200, 200, 200]);
    expect(over.status).toBe(429);
    expect(over.headers.get('retry-after')).toBe('40');
    const page = await over.text();
    expect(page).toContain('lang="nl"');
    expect(page).toContain('Te veel verzoeken; probeer het over een minuut opnieuw.');
  });

  it('does not call the route when over the limit', async () => {
    const app = new Hono();
    const route = vi.fn((c: Context) => c.text('ok'));
    app.use(rateLimit({ key: () => 'one', max: 1 }));
    app.get('/', route);

    await app.request('/');
    await app.request('/');

    expect(route).toHaveBeenCalledTimes(1);
  });

  it('starts counting afresh in a new window', async () => {
    const clock = manualClock();
    const app = limitedApp({ max: 2, windowMs: 60_000, now: clock.now });
    await statuses(app, '/?k=a', 3);

    clock.advance(60_000);

    expect(await statuses(app, '/?k=a', 3)).toEqual([200, 200, 429]);
  });

  it('counts every key on its own', async () => {
    const app = limitedApp({ max: 1 });

    const a = await statuses(app, '/?k=a', 2);
    const b = await statuses(app, '/?k=b', 2);

    expect(a).toEqual([200, 429]);
    expect(b).toEqual([200, 429]);
  });

  it('counts only the methods it is given', async () => {
    const app = limitedApp({ max: 1, methods: ['POST'] });

    const gets = await statuses(app, '/?k=a', 3);
    const posts = await statuses(app, '/?k=a', 2, { method: 'POST' });

    expect(gets).toEqual([200, 200, 200]);
    expect(posts).toEqual([200, 429]);
  });

  it('lets a request without a key through uncounted', async () => {
    expect(await statuses(limitedApp({ max: 1 }), '/', 3)).toEqual([200, 200, 200]);
  });

  it('holds at most maxKeys keys, forgetting the oldest first', async () => {
    const app = limitedApp({ max: 1, maxKeys: 2 });
    await statuses(app, '/?k=a', 1);
    await statuses(app, '/?k=b', 1);

    await statuses(app, '/?k=c', 1);

    expect(await statuses(app, '/?k=a', 1)).toEqual([200]);
    expect(await statuses(app, '/?k=c', 1)).toEqual([429]);
  });

  it('has middy-style defaults: a minute, 60 requests, every method', () => {
    expect(defaults).toMatchObject({ windowMs: 60_000, max: 60, methods: undefined, maxKeys: 10_000 });
  });
});

describe('clientAddress', () => {
  const at = async (headers: Record<string, string>, env?: object) => {
    let seen = '';
    const app = new Hono();
    app.get('/', (c) => c.text((seen = clientAddress(c))));
    await app.request('/', { headers }, env);
    return seen;
  };

  it("takes the Lambda function URL's source IP over any X-Forwarded-For the client wrote", async () => {
    const env = { requestContext: { http: { sourceIp: '203.0.113.7' } } };

    expect(await at({ 'X-Forwarded-For': '198.51.100.1' }, env)).toBe('203.0.113.7');
  });

  it("takes the Node socket's remote address when there is one", async () => {
    expect(await at({}, { incoming: { socket: { remoteAddress: '127.0.0.1' } } })).toBe('127.0.0.1');
  });

  it('falls back to the last X-Forwarded-For entry (the one the nearest proxy appended), then to one shared bucket', async () => {
    expect(await at({ 'X-Forwarded-For': '198.51.100.1, 203.0.113.9' })).toBe('203.0.113.9');
    expect(await at({})).toBe('unknown');
  });

  it('takes an injected way of reading the remote address', async () => {
    const app = new Hono();
    let seen = '';
    app.get('/', (c) => c.text((seen = clientAddress(c, () => '192.0.2.55'))));
    await app.request('/');
    expect(seen).toBe('192.0.2.55');
  });
});

describe('linkKey', () => {
  const keyOf = async (path: string) => {
    let seen: string | undefined;
    const app = new Hono();
    app.all('*', (c) => {
      seen = linkKey(c);
      return c.text('ok');
    });
    await app.request(path);
    return seen;
  };

  it('keys /f/ and /s/ paths by the hash of their token, never the token itself', async () => {
    const token = tokenFor(TEST_LINK_SECRET, 'some-link');

    expect(await keyOf(`/f/${token}`)).toBe(`f:${hashToken(token)}`);
    expect(await keyOf(`/f/${token}/bijlagen/x`)).toBe(`f:${hashToken(token)}`);
    expect(await keyOf(`/s/${token}/aanvragen`)).toBe(`s:${hashToken(token)}`);
  });

  it('leaves other paths unkeyed', async () => {
    expect(await keyOf('/kalender')).toBeUndefined();
    expect(await keyOf('/f/')).toBeUndefined();
  });
});

describe('the link pages of the app', () => {
  const clock = fixedClock(parseInstant('2025-11-10'));
  const appWith = (rateLimits: Parameters<typeof createApp>[0]['rateLimits']) => createApp({ ...offlineDeps(clock), rateLimits });
  const from = (ip: string) => ({ requestContext: { http: { sourceIp: ip } } });

  it('limit requests per link token, whoever sends them', async () => {
    const app = appWith({ perToken: 2 });

    const one = [await app.request('/f/abc', {}, from('203.0.113.1')), await app.request('/f/abc', {}, from('203.0.113.2'))];
    const third = await app.request('/f/abc', {}, from('203.0.113.3'));
    const other = await app.request('/s/abc', {}, from('203.0.113.3'));

    expect(one.map((r) => r.status)).toEqual([404, 404]);
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(third.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(other.status).toBe(404);
  });

  it('limit requests per client address across tokens', async () => {
    const app = appWith({ perAddress: 2 });

    await app.request('/f/a', {}, from('203.0.113.1'));
    await app.request('/s/b', {}, from('203.0.113.1'));
    const third = await app.request('/f/c', {}, from('203.0.113.1'));
    const elsewhere = await app.request('/f/c', {}, from('203.0.113.2'));

    expect(third.status).toBe(429);
    expect(elsewhere.status).toBe(404);
  });

  it('leave other pages alone', async () => {
    const app = appWith({ perAddress: 1, perToken: 1 });

    expect(await statuses(app as unknown as Hono, '/health', 3)).toEqual([200, 200, 200]);
  });

  it('are generous enough for people: 300 a minute per address, 60 per token', () => {
    expect(LINK_RATE_LIMITS).toMatchObject({ perAddress: 300, perToken: 60, windowMs: 60_000 });
  });
});

describe('error logging', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('logs an unexpected error with the route pattern, never the token in the path', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const token = tokenFor(TEST_LINK_SECRET, 'logged-link');
    // The offline deps point the SDK at a closed port: looking up the link fails.
    const app = createApp(offlineDeps(fixedClock(parseInstant('2025-11-10'))));

    const response = await app.request(`/f/${token}?opgeslagen=concept`);

    expect(response.status).toBe(500);
    const logged = log.mock.calls.flat().map(String).join('\n');
    expect(logged).toContain('"route":"/f/:token"');
    expect(logged).not.toContain(token);
    expect(logged).not.toContain(hashToken(token));
  });
});
