import { Hono } from 'hono';
import type { AppEnv } from './env.ts';
import { BODY_LIMITS, readForm, RELOAD_UNREADABLE } from './middleware/body.ts';
import { loadSession, requireStaff } from './middleware/session.ts';
import { overviewRoutes } from './routes/overview.tsx';
import { rosterRoutes } from './routes/roster.tsx';

/**
 * The staff and admin pages (`/overzicht`, `/beheer`) as one group: the overview, its CSV export,
 * the staff actions and the roster upload. It checks the session before any body is read, then
 * reads the body under the staff limit (roster.tsx checks the role and sets the upload's own
 * limit). app.tsx mounts it after its own middleware (headers, CSRF, the link pages' limits).
 *
 * Mounted eagerly, not imported on first use: in the one esbuild bundle a lazy `import()` costs
 * more module load than it saves (docs/bundles.md, "Why the staff pages are not loaded lazily").
 */
export const staffRoutes = new Hono<AppEnv>();

// '/overzicht/*' matches '/overzicht' itself too.
staffRoutes.use('/overzicht/*', loadSession);
staffRoutes.post('/overzicht/*', requireStaff, readForm(BODY_LIMITS.staffForm, { unreadable: RELOAD_UNREADABLE }));
staffRoutes.route('/overzicht', overviewRoutes);
staffRoutes.route('/beheer', rosterRoutes);
