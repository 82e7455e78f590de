import type { Context, MiddlewareHandler } from 'hono';
import { html } from 'hono/html';
import { hashToken } from '#shared/links.ts';
import { withoutUndefined } from '#shared/objects.ts';
import { page } from '#shared/web/layout.tsx';

/**
 * Rate limits as Hono middleware, in middy's shape: a `defaults` object and a factory.
 *
 * A fixed-window counter per key, kept in memory in this process. On Lambda that means per
 * instance: each warm container counts on its own, so the limit bounds what one client can make
 * one container do, and the total scales with the number of containers the attacker can keep warm
 * (bounded by the function's concurrency). That is enough against a script hammering a link; a
 * shared, exact limit would need a DynamoDB counter (an atomic `ADD` on `RATE#<key>#<window>` with
 * a TTL), which is the upgrade path if abuse ever shows up in the metrics.
 */

/** Options of {@link rateLimit}. */
export interface RateLimitOptions {
  /**
   * The bucket a request counts in, e.g. the client's address or a token's hash; undefined lets
   * the request through uncounted. Never return a secret: keys stay in memory for a window.
   */
  key: (c: Context) => string | undefined;
  /** Length of a window in milliseconds. @default 60_000 */
  windowMs?: number;
  /** Requests allowed per key and window; the next one gets a 429. @default 60 */
  max?: number;
  /** Only these methods count (upper case); the others pass uncounted. @default every method */
  methods?: readonly string[];
  /** Most keys held at once; beyond it, finished windows and then the oldest keys are dropped. @default 10_000 */
  maxKeys?: number;
  /** The clock, in epoch milliseconds (tests move it). @default Date.now */
  now?: () => number;
  /** The Dutch message of the 429 page. */
  message?: string;
}

/** The defaults of {@link rateLimit}. */
export const defaults = {
  windowMs: 60_000,
  max: 60,
  methods: undefined as readonly string[] | undefined,
  maxKeys: 10_000,
  now: (): number => Date.now(),
  message: 'Te veel verzoeken; probeer het over een minuut opnieuw.',
};

interface Window {
  start: number;
  count: number;
}

/**
 * A middleware that allows `max` requests per key in each window of `windowMs` (a key's window
 * starts with its first request). Over the limit it answers 429 with a Dutch page and a
 * `Retry-After` header (seconds until the key's window ends), without calling the route.
 */
export function rateLimit(options: RateLimitOptions): MiddlewareHandler {
  const { windowMs, max, methods, maxKeys, now, message } = { ...defaults, ...withoutUndefined(options) };
  const { key } = options;
  const windows = new Map<string, Window>();

  const prune = (at: number) => {
    for (const [k, w] of windows) if (at - w.start >= windowMs) windows.delete(k);
    // Still full: forget the oldest keys (a Map iterates in insertion order).
    for (const k of windows.keys()) {
      if (windows.size < maxKeys) break;
      windows.delete(k);
    }
  };

  return async function rateLimitMiddleware(c, next) {
    if (methods && !methods.includes(c.req.method)) return next();
    const k = key(c);
    if (k === undefined) return next();
    const at = now();
    let window = windows.get(k);
    if (!window || at - window.start >= windowMs) {
      windows.delete(k);
      if (windows.size >= maxKeys) prune(at);
      window = { start: at, count: 0 };
      windows.set(k, window);
    }
    window.count++;
    if (window.count > max) {
      const retryAfter = Math.max(1, Math.ceil((window.start + windowMs - at) / 1000));
      return c.html(
        page('Te veel verzoeken', html`<h1>Te veel verzoeken</h1><p>${message}</p>`),
        429,
        { 'Retry-After': String(retryAfter), 'Cache-Control': 'no-store' },
      );
    }
    return next();
  };
}

/**
 * The client's address as the platform saw it, without trusting any header: the source IP of a
 * Lambda function URL (or API Gateway) event, which `hono/aws-lambda` passes as `c.env`, or the
 * socket's remote address under `@hono/node-server`. Undefined elsewhere (`app.request()` in tests).
 */
export function platformAddress(c: Context): string | undefined {
  const env = c.env as
    | {
        requestContext?: { http?: { sourceIp?: string }; identity?: { sourceIp?: string } };
        incoming?: { socket?: { remoteAddress?: string } };
      }
    | undefined;
  return (
    env?.requestContext?.http?.sourceIp ??
    env?.requestContext?.identity?.sourceIp ??
    env?.incoming?.socket?.remoteAddress ??
    undefined
  );
}

/**
 * The address to count a client under. The platform's own address comes first: `X-Forwarded-For`
 * is written by the client as much as by proxies, so a client could pick a new value per request
 * and never hit its limit. Only when the platform gives no address is the header used, and then its
 * last entry (the one the nearest proxy appended), never the first. Without either, every such
 * request shares one bucket (fail closed).
 *
 * @param remote how to read the platform's address; inject your own for another runtime
 */
export function clientAddress(c: Context, remote: (c: Context) => string | undefined = platformAddress): string {
  const platform = remote(c);
  if (platform) return platform;
  const forwarded = c.req.header('x-forwarded-for')?.split(',').map((part) => part.trim()).filter((part) => part !== '');
  return forwarded?.at(-1) ?? 'unknown';
}

/**
 * The link a path belongs to, as `<kind>:<sha256 of the token>` for `/f/<token>/...`,
 * `/s/<token>/...` and `/a/<token>/...`; undefined for other paths. Hashed so that no token sits in memory as a key.
 */
export function linkKey(c: Context): string | undefined {
  const [, kind, token] = c.req.path.split('/');
  if ((kind !== 'f' && kind !== 's' && kind !== 'a') || !token) return undefined;
  return `${kind}:${hashToken(token)}`;
}

/** The limits on the link pages (`/f/*`, `/s/*`), per minute; see {@link linkRateLimits}. */
export interface LinkRateLimits {
  /** Requests (any method) per client address per minute. */
  perAddress: number;
  /** Requests (any method) per link token per minute. */
  perToken: number;
  /** Length of the window in milliseconds. */
  windowMs: number;
  /** How to find the client's address; see {@link clientAddress}. */
  clientAddress: (c: Context) => string;
  /** The clock (epoch milliseconds). */
  now: () => number;
}

/**
 * Generous enough for people, tight enough for scripts. Per address: a school or the Hogeschool
 * puts many people behind one NAT address, and a class opening their pages at once makes a few
 * requests each. Per token: one person saving, uploading and reloading makes well under 20 a
 * minute; mail scanners open a link a few times.
 */
export const LINK_RATE_LIMITS: LinkRateLimits = {
  perAddress: 300,
  perToken: 60,
  windowMs: 60_000,
  clientAddress: (c) => clientAddress(c),
  now: defaults.now,
};

/** The two limiters of the link pages: per client address, then per link token. */
export function linkRateLimits(overrides: Partial<LinkRateLimits> = {}): MiddlewareHandler[] {
  const limits = { ...LINK_RATE_LIMITS, ...withoutUndefined(overrides) };
  const common = { windowMs: limits.windowMs, now: limits.now };
  return [
    rateLimit({ ...common, max: limits.perAddress, key: (c) => `ip:${limits.clientAddress(c)}` }),
    rateLimit({ ...common, max: limits.perToken, key: linkKey }),
  ];
}

/**
 * The per-client limit on sign-in requests; overridable per app (tests). The per-address budget of
 * sign-in emails is the use-case's (`SIGN_IN_EMAIL_LIMITS` in shared/usecases/sign-in.ts).
 */
export interface SignInRateLimits {
  /** Sign-in requests (any POST under /inloggen) per client address per window. */
  perClient: number;
  windowMs: number;
  now: () => number;
}

/** More requests per client address (a school or the Hogeschool puts many people behind one NAT address) per 15 minutes. */
export const SIGN_IN_RATE_LIMITS: SignInRateLimits = {
  perClient: 50,
  windowMs: 15 * 60_000,
  now: () => Date.now(),
};

/** The rate limiter of `/inloggen`: per client address on every POST (the per-address limit is on emails, in the use-case). */
export function signInRateLimits(overrides: Partial<SignInRateLimits> = {}): { perClient: MiddlewareHandler } {
  const limits = { ...SIGN_IN_RATE_LIMITS, ...withoutUndefined(overrides) };
  return {
    perClient: rateLimit({
      windowMs: limits.windowMs,
      now: limits.now,
      methods: ['POST'],
      message: 'Te veel inlogverzoeken; probeer het over een kwartier opnieuw.',
      max: limits.perClient,
      key: (c) => `signin-ip:${clientAddress(c)}`,
    }),
  };
}
