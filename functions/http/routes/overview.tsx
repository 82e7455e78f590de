import { Hono } from 'hono';
import * as z from 'zod';
import { agendaFeed, exportOverview, exportOverviewXlsx, openOverview, openSubmission, OverviewQuery, submittedRequestInScope } from '#shared/usecases/overview.ts';
import { serveAttachment } from '../attachment-response.ts';
import type { AppEnv } from '../env.ts';
import { requireStaff } from '../middleware/session.ts';
import { valid } from '../middleware/validate.ts';
import { noticeText, pageWithoutNotice } from '../views/overview-navigation.ts';
import { OverviewPage } from '../views/overview-page.tsx';
import { SubmissionPage } from '../views/overview-submission.tsx';
import { overviewActionRoutes } from './overview-actions.tsx';

/**
 * The staff overview (`/overzicht`), for a signed-in IO, SO, SCO or coordinator, within their scope:
 *
 * - `GET /overzicht?jaar&periode&school&status`: a period's students against the forms due
 * - `GET /overzicht/agenda.ics?jaar&rol`: the year's deadlines and a role's tasks as a calendar feed
 * - `GET /overzicht/export.csv?jaar&periode&school&scheiding`: the period's submissions as CSV
 * - `GET /overzicht/export.xlsx?jaar&periode&school`: the same as an Excel workbook
 * - `GET /overzicht/formulier/<year>/<nr>/<requestId>?versie`: a submitted form
 * - `GET /overzicht/bijlage/<year>/<nr>/<requestId>/<attachmentId>`: one of its attachments
 *
 * and the staff actions and student page of overview-actions.tsx.
 */
export const overviewRoutes = new Hono<AppEnv>();

overviewRoutes.use(requireStaff);
overviewRoutes.route('/', overviewActionRoutes);

const query = valid('query', OverviewQuery, 'Ongeldige keuze.');

/** A request's path parameters as the use-cases name them. */
function requestOf(params: { year: string; studentNumber: string; requestId: string }) {
  return { schoolYear: params.year, studentNumber: params.studentNumber, requestId: params.requestId };
}

overviewRoutes.get('/agenda.ics', query, async (c) => {
  const { fileName, body } = await agendaFeed(c.get('deps'), { staff: c.get('staff')!, ...c.req.valid('query') });
  c.header('Content-Type', 'text/calendar; charset=utf-8');
  c.header('Content-Disposition', `attachment; filename="${fileName}"`);
  c.header('Cache-Control', 'no-store');
  return c.body(body);
});

overviewRoutes.get('/', query, async (c) => {
  const page = await openOverview(c.get('deps'), { staff: c.get('staff')!, ...c.req.valid('query') });
  return c.html(<OverviewPage {...page} back={pageWithoutNotice(c.req.url)} notice={noticeText(c.req.query('melding'))} />);
});

overviewRoutes.get('/export.csv', query, async (c) => {
  const download = c.req.method === 'GET';
  const { fileName, body } = await exportOverview(c.get('deps'), { staff: c.get('staff')!, ...c.req.valid('query'), download });
  c.header('Content-Type', 'text/csv; charset=utf-8');
  c.header('Content-Disposition', `attachment; filename="${fileName}"`);
  c.header('Cache-Control', 'no-store');
  return c.body(body);
});

overviewRoutes.get('/export.xlsx', query, async (c) => {
  const download = c.req.method === 'GET';
  const { fileName, body } = await exportOverviewXlsx(c.get('deps'), { staff: c.get('staff')!, ...c.req.valid('query'), download });
  c.header('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  c.header('Content-Disposition', `attachment; filename="${fileName}"`);
  c.header('Cache-Control', 'no-store');
  return c.body(body);
});

/** `versie` as `c.req.query('versie')` reads it (`valid('query')` keeps the first when it repeats), kept as typed (a page falls back to the latest version). */
const SubmissionQuery = z.object({ versie: z.string().optional() });

overviewRoutes.get('/formulier/:year/:studentNumber/:requestId', valid('query', SubmissionQuery), async (c) => {
  const view = c.req.method === 'GET';
  const page = await openSubmission(c.get('deps'), { staff: c.get('staff')!, ...requestOf(c.req.param()), version: c.req.valid('query').versie, view });
  return c.html(<SubmissionPage {...page} />);
});

overviewRoutes.get('/bijlage/:year/:studentNumber/:requestId/:attachmentId', async (c) => {
  const staff = c.get('staff')!;
  const request = await submittedRequestInScope(c.get('deps'), { staff, ...requestOf(c.req.param()) });
  return serveAttachment(c, request, c.req.param('attachmentId'), staff.email);
});
