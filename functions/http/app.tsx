import { Hono } from 'hono';
import type { AppDeps, AppEnv } from './env.ts';
import type { Context, MiddlewareHandler } from 'hono';
import { html } from 'hono/html';
import { secureHeaders } from 'hono/secure-headers';
import type { AttachmentStore } from '#shared/attachments/store.ts';
import type { ScanStatusReader } from '#shared/attachments/scan.ts';
import type { AuditStore } from '#shared/store/audit.ts';
import type { LinkStore } from '#shared/links.ts';
import type { RequestDeps } from '#shared/requests.ts';
import type { PlacementStore } from '#shared/store/placements.ts';
import type { SessionStore } from '#shared/auth/session-store.ts';
import type { SignInStore } from '#shared/auth/sign-in-store.ts';
import type { Staff } from '#shared/auth/scope.ts';
import { DomainError } from '#shared/errors.ts';
import { page } from '#shared/web/layout.tsx';
import { calendarRoutes } from './routes/calendar.ts';
import { studentRoutes } from './routes/student.tsx';
import { formRoutes } from './routes/form.tsx';
import { authRoutes } from './routes/auth.tsx';
import { overviewRoutes } from './routes/overview.tsx';
import { rosterRoutes } from './routes/roster.tsx';
import { loadSession, requireStaff } from './session.ts';
import { BODY_LIMITS, limitBody, readForm } from './body.ts';
import { linkRateLimits, signInRateLimits } from './rate-limit.ts';
import { sameOrigin } from './same-origin.ts';
import { LinkGoneError } from './links.ts';
import { UPLOAD_JS } from './static/upload.ts';
import { VIEWED_JS } from './static/viewed.ts';

/** Builds the Hono app. Knows nothing of Lambda or of the local server. */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use(
    secureHeaders({
      referrerPolicy: 'same-origin',
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'", deps.uploadOrigin],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
      strictTransportSecurity: 'max-age=31536000; includeSubDomains',
      xFrameOptions: 'DENY',
      // A route may send its own, stricter policy: an attachment is served under a sandboxing CSP.
      overwrite: false,
    }),
  );
  app.use(async (c, next) => {
    c.set('deps', deps);
    await next();
  });

  // A link in the path and personal data on the page: no cache may keep any answer, errors included.
  app.use('/f/*', noStore);
  app.use('/s/*', noStore);
  const limits = linkRateLimits(deps.rateLimits);
  app.use('/f/*', ...limits);
  app.use('/s/*', ...limits);
  const signIn = signInRateLimits(deps.signInRateLimits);
  // '/inloggen/*' matches '/inloggen' itself too.
  app.use('/inloggen/*', signIn.perClient);
  app.use(sameOrigin(deps.publicOrigin));
  // Every POST's body limit, then its parse: nothing reads a body before (see body.ts). The first
  // limit a request meets wins: routes with their own limit first, then the catch-alls. Staff routes
  // check the session (and /beheer the role, in roster.tsx) first. test/functions/http/
  // body-limits.int.test.ts sends 50 MB to every POST route of the app.
  app.post('/f/:token/bijlagen', limitBody(BODY_LIMITS.json));
  app.post('/f/:token/bijlagen/:id', limitBody(BODY_LIMITS.json));
  app.post('/f/:token/bekeken', limitBody(BODY_LIMITS.beacon));
  app.post('/s/:token/formulieren/:requestId/bekeken', limitBody(BODY_LIMITS.beacon));
  app.post('/f/*', readForm(BODY_LIMITS.form));
  app.post('/s/*', readForm(BODY_LIMITS.request, { unreadable: STUDENT_UNREADABLE }));
  app.post('/inloggen/*', readForm(BODY_LIMITS.signIn, { unreadable: RELOAD_UNREADABLE }));
  app.post('/uitloggen', readForm(BODY_LIMITS.signIn, { unreadable: RELOAD_UNREADABLE }));
  app.use('/overzicht', loadSession);
  app.use('/overzicht/*', loadSession);
  app.post('/overzicht/*', requireStaff, readForm(BODY_LIMITS.staffForm, { unreadable: RELOAD_UNREADABLE }));

  app.get('/health', (c) => c.json({ ok: true }));
  app.get('/static/upload.js', (c) => {
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=300');
    return c.body(UPLOAD_JS);
  });
  app.get('/static/bekeken.js', (c) => {
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=300');
    return c.body(VIEWED_JS);
  });
  app.route('/', calendarRoutes);
  app.route('/s', studentRoutes);
  app.route('/f', formRoutes);
  app.route('/', authRoutes);
  app.route('/overzicht', overviewRoutes);
  app.route('/beheer', rosterRoutes);

  app.notFound((c) =>
    c.html(page('Niet gevonden', html`<h1>Niet gevonden</h1><p>Deze pagina bestaat niet.</p><p><a href="/">Naar de startpagina</a></p>`), 404),
  );
  app.onError((error, c) => {
    if (error instanceof LinkGoneError) {
      // A link that no longer opens: what happened and what this link's holder can do, not "something went wrong".
      const next = error.next ? html`<p><a href="${error.next.href}">${error.next.label}</a></p>` : '';
      return c.html(page(error.heading, html`<h1>${error.heading}</h1><p class="notice">${error.message}</p>${next}`), 410);
    }
    if (error instanceof DomainError && error.expose) {
      return c.html(page('Er ging iets mis', html`<h1>Er ging iets mis</h1><p class="error">${error.message}</p>`), error.status as 400);
    }
    logUnexpected(c, error);
    return c.html(
      page('Er ging iets mis', html`<h1>Er ging iets mis</h1><p>Probeer het later opnieuw. Blijft het misgaan, neem dan contact op met de schoolopleider.</p>`),
      500,
    );
  });
  return app;
}

/** Marks every answer private: set after the route, so error pages and 429s get it too. */
const noStore: MiddlewareHandler = async (c, next) => {
  await next();
  c.header('Cache-Control', 'no-store');
};

/** The 400 for an unreadable body on the sign-in and staff pages (no emailed link to go back to). */
const RELOAD_UNREADABLE = 'Het formulier kon niet worden gelezen. Laad de pagina opnieuw en probeer het nog eens.';

/** The 400 for an unreadable body on a student's page (students are addressed with "je"). */
const STUDENT_UNREADABLE = 'Het formulier kon niet worden gelezen. Open je pagina opnieuw via de link in je e-mail en probeer het nog eens.';

/** What a link token (43 base64url characters) or a longer such run looks like: masked in logs. */
const TOKEN_LIKE = /[A-Za-z0-9_-]{43,}/g;

/**
 * Logs an unexpected error as one JSON line: its name, message and stack (token-like runs masked)
 * and the route pattern (`/f/:token`). Never the path, query, headers or body: those carry link
 * tokens, answers and email addresses.
 */
function logUnexpected(c: Context, error: Error): void {
  const mask = (text: string | undefined) => text?.replace(TOKEN_LIKE, '[token]');
  console.error(
    JSON.stringify({
      level: 'error',
      msg: 'unexpected error',
      method: c.req.method,
      route: c.req.routePath,
      error: { name: error.name, message: mask(error.message), stack: mask(error.stack) },
    }),
  );
}
