import type { Context, MiddlewareHandler } from 'hono';
import { csrf } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import { DomainError } from '#shared/errors.ts';

/** A state-changing request that did not come from our own pages: the 403 `onError` shows for a CSRF refusal. */
export class CrossSiteError extends DomainError {
  constructor() {
    super('Dit formulier is niet vanaf deze website verstuurd en is daarom niet verwerkt. Open de pagina opnieuw en probeer het nog eens.', 403);
  }
}

/** The body types `hono/csrf` checks: those a cross-site `<form>` or beacon can send without a preflight. */
const FORM_BODY = /^\b(application\/x-www-form-urlencoded|multipart\/form-data|text\/(?:plain|ping))\b/i;
const SAFE_METHOD = /^(GET|HEAD|OPTIONS)$/;

/**
 * CSRF protection for every POST (and any other unsafe method): `hono/csrf` with the configured
 * public origin. The browser must say it comes from our own origin, by `Sec-Fetch-Site:
 * same-origin` or an `Origin` equal to the public origin; a refusal is an `HTTPException(403)`
 * that `onError` renders as the Dutch {@link CrossSiteError} page. Pages send `Referrer-Policy:
 * same-origin`, so browsers keep sending a real Origin on form posts (with `no-referrer` they send
 * `Origin: null`).
 *
 * `hono/csrf` leaves other body types alone (a browser preflights a cross-site JSON POST, and this
 * app answers no preflight). The attachment script's JSON calls are held to the same rule here all
 * the same, so no unsafe request from elsewhere reaches a route, whatever its body type.
 */
export function csrfProtection(publicOrigin: string): MiddlewareHandler {
  const check = csrf({ origin: publicOrigin });
  const fromOurOrigin = (c: Context) => c.req.header('sec-fetch-site') === 'same-origin' || c.req.header('origin') === publicOrigin;
  return async (c, next) => {
    const otherBody = !SAFE_METHOD.test(c.req.method) && !FORM_BODY.test(c.req.header('content-type') || 'text/plain');
    if (otherBody && !fromOurOrigin(c)) throw new HTTPException(403);
    return check(c, next);
  };
}
