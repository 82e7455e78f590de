import { Hono } from 'hono';
import type { Context } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { logger } from '#shared/log.ts';
import type { AppDeps, AppEnv } from './env.ts';
import { calendarRoutes } from './routes/calendar.ts';
import { studentRoutes } from './routes/student.tsx';
import { pdfRoutes } from './routes/pdf.ts';
import { appointmentRoutes } from './routes/appointments.tsx';
import { appointmentReportRoutes } from './routes/appointment-reports.tsx';
import { appointmentLinkRoutes } from './routes/appointment-link.tsx';
import { formRoutes } from './routes/form.tsx';
import { concernLinkRoutes } from './routes/concerns.tsx';
import { authRoutes } from './routes/auth.tsx';
import { BODY_LIMITS, limitBody, readForm, RELOAD_UNREADABLE, STUDENT_UNREADABLE } from './middleware/body.ts';
import { csrfProtection } from './middleware/csrf.ts';
import { notFound, onError } from './middleware/errors.ts';
import { lambdaContext } from './middleware/lambda-context.ts';
import { noStore } from './middleware/no-store.ts';
import { linkRateLimits, signInRateLimits } from './middleware/rate-limit.ts';
import { UPLOAD_JS } from './static/upload.ts';
import { VIEWED_JS } from './static/viewed.ts';

/**
 * Builds the Hono app: the middleware in order, the route groups, the error pages. Knows nothing
 * of Lambda or of the local server.
 */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use(lambdaContext);
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
  app.use('/a/*', noStore);
  const limits = linkRateLimits(deps.rateLimits);
  app.use('/f/*', ...limits);
  app.use('/s/*', ...limits);
  app.use('/a/*', ...limits);
  const signIn = signInRateLimits(deps.signInRateLimits);
  // '/inloggen/*' matches '/inloggen' itself too.
  app.use('/inloggen/*', signIn.perClient);
  app.use(csrfProtection(deps.publicOrigin));
  // Every POST's body limit, then its parse: nothing reads a body before (see middleware/body.ts).
  // The first limit a request meets wins: routes with their own limit first, then the catch-alls.
  // The staff pages (staff.ts) check the session before they read a body. test/functions/http/
  // body-limits.int.test.ts sends 50 MB to every POST route of the app.
  app.post('/f/:token/bijlagen', limitBody(BODY_LIMITS.json));
  app.post('/f/:token/bijlagen/:id', limitBody(BODY_LIMITS.json));
  app.post('/f/:token/bekeken', limitBody(BODY_LIMITS.beacon));
  app.post('/s/:token/formulieren/:requestId/bekeken', limitBody(BODY_LIMITS.beacon));
  app.post('/s/:token/afspraken/:id/verslag', readForm(BODY_LIMITS.report, { unreadable: STUDENT_UNREADABLE }));
  app.post('/f/*', readForm(BODY_LIMITS.form));
  app.post('/s/*', readForm(BODY_LIMITS.request, { unreadable: STUDENT_UNREADABLE }));
  app.post('/inloggen/*', readForm(BODY_LIMITS.signIn, { unreadable: RELOAD_UNREADABLE }));
  app.post('/uitloggen', readForm(BODY_LIMITS.signIn, { unreadable: RELOAD_UNREADABLE }));

  app.get('/health', (c) => c.json({ ok: true }));
  app.get('/static/upload.js', (c) => script(c, UPLOAD_JS));
  app.get('/static/bekeken.js', (c) => script(c, VIEWED_JS));
  // The published forms and school years, reloaded when older than the expiry (a comparison when
  // fresh). A failed load keeps what was loaded: content never takes a page down.
  app.use(async (_c, next) => {
    await deps.content.refresh().catch((error: unknown) => logger.error('content refresh failed', { error: String((error as Error | undefined)?.name) }));
    await next();
  });
  app.route('/', calendarRoutes);
  // Before the pages: `/s/<token>/formulieren/<id>.pdf` is a PDF, not the page of a request `<id>.pdf`.
  app.route('/', pdfRoutes);
  app.route('/s', studentRoutes);
  app.route('/s', appointmentRoutes);
  app.route('/s', appointmentReportRoutes);
  app.route('/a', appointmentLinkRoutes);
  app.route('/f', concernLinkRoutes);
  app.route('/f', formRoutes);
  app.route('/', authRoutes);
  // The staff group (staff.ts) is imported on first use: with code splitting it is a chunk of its
  // own that a student's request never loads (docs/bundles.md). It runs as an app of its own, with
  // the same deps and error pages, behind this app's middleware (headers, CSRF, the limits above).
  let staff: Promise<Hono<AppEnv>> | undefined;
  const lazyStaff = async (c: Context<AppEnv>) => {
    staff ??= import('./staff.ts').then((m) => m.staffApp(deps));
    return (await staff).fetch(c.req.raw, c.env);
  };
  for (const path of STAFF_PATHS) app.all(path, lazyStaff);

  app.notFound(notFound);
  app.onError(onError);
  return app;
}

/** The paths the staff group (staff.ts) answers ('/overzicht/*' matches '/overzicht' too; listed for clarity). */
const STAFF_PATHS = ['/overzicht', '/overzicht/*', '/beheer', '/beheer/*'] as const;

/** One of the two small scripts, cacheable for five minutes. */
function script(c: Context<AppEnv>, source: string): Response {
  c.header('Content-Type', 'text/javascript; charset=utf-8');
  c.header('Cache-Control', 'public, max-age=300');
  return c.body(source);
}
