import { Hono } from 'hono';
import type { Context, MiddlewareHandler } from 'hono';
import { html } from 'hono/html';
import { secureHeaders } from 'hono/secure-headers';
import type { AttachmentStore } from '#shared/attachments/store.ts';
import type { AuditStore } from '#shared/store/audit.ts';
import type { LinkStore } from '#shared/links.ts';
import type { RequestDeps } from '#shared/requests.ts';
import type { PlacementStore } from '#shared/store/placements.ts';
import type { SessionStore } from '#shared/auth/session-store.ts';
import type { SignInStore } from '#shared/auth/sign-in-store.ts';
import type { Staff } from '#shared/auth/scope.ts';
import { DomainError, ValidationError } from '#shared/errors.ts';
import { page } from '#shared/web/layout.tsx';
import { calendarRoutes } from './routes/calendar.ts';
import { studentRoutes } from './routes/student.tsx';
import { formRoutes } from './routes/form.tsx';
import { authRoutes, readSignInEmail, signInRateLimits, type SignInRateLimits } from './routes/auth.tsx';
import { overviewRoutes } from './routes/overview.tsx';
import { rosterRoutes } from './routes/roster.tsx';
import { loadSession } from './session.ts';
import { linkRateLimits, type LinkRateLimits } from './rate-limit.ts';
import { sameOrigin } from './same-origin.ts';
import { UPLOAD_JS } from './static/upload.ts';

/** What the HTTP app needs from the outside world; built once per process (see deps.ts). */
export interface AppDeps extends RequestDeps {
  placements: PlacementStore;
  links: LinkStore;
  attachments: AttachmentStore;
  /** Largest attachment accepted, in bytes. */
  maxUploadBytes: number;
  /** The origin browsers upload attachments to (S3), allowed in the CSP's connect-src. */
  uploadOrigin: string;
  /** Overrides of the link pages' rate limits (tests); defaults in `LINK_RATE_LIMITS`. */
  rateLimits?: Partial<LinkRateLimits>;
  /** Staff sign-in tokens (emailed links). */
  signIns: SignInStore;
  /** Staff sessions, with their idle and absolute timeouts. */
  sessions: SessionStore;
  /** Coordinators from config, lower-cased: they may sign in and see everything. */
  adminEmails: readonly string[];
  /** Overrides of the sign-in rate limits (tests); defaults in `SIGN_IN_RATE_LIMITS`. */
  signInRateLimits?: Partial<SignInRateLimits>;
  /** Override of the sign-in answer floor in ms (tests: 0); default `SIGN_IN_ANSWER_MS`. */
  signInAnswerMs?: number;
  /** The append-only audit log (written best-effort, see audit.ts). */
  audit: AuditStore;
}

/** Hono's context variables for this app. */
export type AppEnv = {
  Variables: {
    deps: AppDeps;
    /** The signed-in staff member, set by `loadSession` on staff routes. */
    staff: Staff | undefined;
    /** The lower-cased address a sign-in request names (for its rate limit). */
    signInEmail: string | undefined;
  };
};

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
    }),
  );
  app.use(async (c, next) => {
    c.set('deps', deps);
    await next();
  });

  const limits = linkRateLimits(deps.rateLimits);
  app.use('/f/*', ...limits);
  app.use('/s/*', ...limits);
  const signIn = signInRateLimits(deps.signInRateLimits);
  // '/inloggen/*' matches '/inloggen' itself too.
  app.use('/inloggen/*', signIn.perClient);
  app.use(sameOrigin(deps.publicOrigin));
  app.use(readableForm);
  app.post('/inloggen', readSignInEmail, signIn.perAddress);
  app.use('/overzicht', loadSession);
  app.use('/overzicht/*', loadSession);

  app.get('/health', (c) => c.json({ ok: true }));
  app.get('/static/upload.js', (c) => {
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=300');
    return c.body(UPLOAD_JS);
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

/**
 * A form post whose body cannot be read (a broken multipart body, a multipart type without a
 * boundary) is the sender's fault: a Dutch 400, not a 500 from deep inside a route. The body is
 * parsed here once; Hono keeps the parsed form, so the route's own `parseBody()` reuses it.
 */
const readableForm: MiddlewareHandler = async (c, next) => {
  if (c.req.method === 'POST') {
    try {
      await c.req.parseBody();
    } catch {
      throw new ValidationError('Het formulier kon niet worden gelezen. Open de pagina opnieuw via de link in uw e-mail en probeer het nog eens.');
    }
  }
  await next();
};

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
