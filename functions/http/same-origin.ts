import type { MiddlewareHandler } from 'hono';
import { DomainError } from '#shared/errors.ts';

/** A state-changing request that did not come from our own pages. */
export class CrossSiteError extends DomainError {
  constructor() {
    super('Dit formulier is niet vanaf deze website verstuurd en is daarom niet verwerkt. Open de pagina opnieuw en probeer het nog eens.', 403);
  }
}

/**
 * CSRF protection for every POST (and any other unsafe method): the browser must say it comes
 * from our own origin, by `Sec-Fetch-Site: same-origin` or an `Origin` equal to the configured
 * public origin. Pages send `Referrer-Policy: same-origin`, so browsers keep sending a real
 * Origin on form posts (with `no-referrer` they send `Origin: null`).
 */
export function sameOrigin(publicOrigin: string): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && c.req.method !== 'OPTIONS') {
      const site = c.req.header('sec-fetch-site');
      const origin = c.req.header('origin');
      if (site !== 'same-origin' && origin !== publicOrigin) throw new CrossSiteError();
    }
    await next();
  };
}
