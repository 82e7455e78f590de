import { Hono } from 'hono';
import type { AppDeps, AppEnv } from './env.ts';
import { notFound, onError } from './middleware/errors.ts';
import { BODY_LIMITS, readForm, RELOAD_UNREADABLE } from './middleware/body.ts';
import { loadSession, requireStaff } from './middleware/session.ts';
import { overviewRoutes } from './routes/overview.tsx';
import { overviewPdfRoutes } from './routes/overview-pdf.ts';
import { appointmentStaffRoutes } from './routes/appointment-staff.tsx';
import { overviewConcernRoutes } from './routes/overview-concerns.tsx';
import { contentRoutes } from './routes/content.tsx';
import { rosterRoutes } from './routes/roster.tsx';

/**
 * The staff and admin pages (`/overzicht`, `/beheer`) as one group: the overview, its CSV export,
 * the staff actions and the roster upload. It checks the session before any body is read, then
 * reads the body under the staff limit (roster.tsx checks the role and sets the upload's own
 * limit). app.tsx mounts it after its own middleware (headers, CSRF, the link pages' limits).
 *
 * Imported on first use (app.tsx): the http function is bundled with code splitting
 * (infra/bundling.ts), so this group is a chunk of its own that loads with the first staff request
 * (docs/bundles.md, "Code splitting of the http function").
 */
export const staffRoutes = new Hono<AppEnv>();

// '/overzicht/*' matches '/overzicht' itself too.
staffRoutes.use('/overzicht/*', loadSession);
staffRoutes.post('/overzicht/*', requireStaff, readForm(BODY_LIMITS.staffForm, { unreadable: RELOAD_UNREADABLE }));
// Before the overview: `/formulier/<year>/<nr>/<id>.pdf` is a PDF, not the page of a request `<id>.pdf`.
staffRoutes.route('/overzicht', overviewPdfRoutes);
staffRoutes.route('/overzicht', overviewConcernRoutes);
staffRoutes.route('/overzicht', overviewRoutes);
staffRoutes.route('/overzicht', appointmentStaffRoutes);
staffRoutes.route('/beheer', rosterRoutes);
staffRoutes.route('/beheer', contentRoutes);

/**
 * The staff group as an app of its own, which app.tsx hands its staff requests to: the same deps
 * and the same error pages as the main app, whose middleware (headers, CSRF, rate limits) has run.
 */
export function staffApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use(async (c, next) => {
    c.set('deps', deps);
    await next();
  });
  app.route('/', staffRoutes);
  app.notFound(notFound);
  app.onError(onError);
  return app;
}
