import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { html } from 'hono/html';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { DomainError } from '#shared/errors.ts';
import { logger } from '#shared/log.ts';
import { LinkGoneError } from '#shared/usecases/links.ts';
import { page } from '#shared/web/layout.tsx';
import { CrossSiteError } from './csrf.ts';
import { INVALID_INPUT } from './validate.ts';

/** The Dutch 404 page of every path no route answers. */
export const notFound: NotFoundHandler = (c) =>
  c.html(page('Niet gevonden', html`<h1>Niet gevonden</h1><p>Deze pagina bestaat niet.</p><p><a href="/">Naar de startpagina</a></p>`), 404);

/**
 * The one error handler: a {@link LinkGoneError} is a 410 that says what the link's holder can
 * do; a `DomainError` below 500 shows its Dutch message; an `HTTPException` of Hono's middleware
 * (the CSRF 403, a malformed body's 400) becomes the same Dutch page; anything else is logged and
 * answered with a 500 that shows no internals.
 */
export const onError: ErrorHandler = (error, c) => {
  if (error instanceof LinkGoneError) {
    // A link that no longer opens: what happened and what this link's holder can do, not "something went wrong".
    const next = error.next ? html`<p><a href="${error.next.href}">${error.next.label}</a></p>` : '';
    return c.html(page(error.heading, html`<h1>${error.heading}</h1><p class="notice">${error.message}</p>${next}`), 410);
  }
  const shown = error instanceof HTTPException ? fromHttpException(error) : error;
  if (shown instanceof DomainError && shown.expose) {
    return c.html(page('Er ging iets mis', html`<h1>Er ging iets mis</h1><p class="error">${shown.message}</p>`), shown.status as ContentfulStatusCode);
  }
  logUnexpected(c, error);
  return c.html(
    page('Er ging iets mis', html`<h1>Er ging iets mis</h1><p>Probeer het later opnieuw. Blijft het misgaan, neem dan contact op met de schoolopleider.</p>`),
    500,
  );
};

/** The Dutch error for a 4xx of Hono's own middleware; a 5xx stays unexpected. */
function fromHttpException(error: HTTPException): DomainError | HTTPException {
  if (error.status === 403) return new CrossSiteError();
  if (error.status >= 400 && error.status < 500) return new DomainError(INVALID_INPUT, error.status);
  return error;
}

/** What a link token (43 base64url characters) or a longer such run looks like: masked in logs. */
const TOKEN_LIKE = /[A-Za-z0-9_-]{43,}/g;
/** An email address, as an SDK or SES error message may quote one: masked in logs. */
const ADDRESS_LIKE = /[^\s<>()[\]"',;:@]+@[^\s<>()[\]"',;:@]+/g;

/**
 * Logs an unexpected error: its name, message and stack (token-like runs and addresses masked)
 * and the route pattern (`/f/:token`). Never the path, query, headers or body: those carry link
 * tokens, answers and email addresses.
 */
function logUnexpected(c: Context, error: Error): void {
  const mask = (text: string | undefined) => text?.replace(TOKEN_LIKE, '[token]').replace(ADDRESS_LIKE, '[address]');
  logger.error('unexpected error', {
    method: c.req.method,
    route: c.req.routePath,
    error: { name: error.name, message: mask(error.message), stack: mask(error.stack) },
  });
}
