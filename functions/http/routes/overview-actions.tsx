import { Hono } from 'hono';
import * as z from 'zod';
import type { RequestRecord } from '#shared/model/requests.ts';
import { openStudentOverview } from '#shared/usecases/overview.ts';
import { reissue, remind, replaceWpb, revoke } from '#shared/usecases/staff-actions.ts';
import type { AppEnv } from '../env.ts';
import { valid } from '../middleware/validate.ts';
import { backTo, noticeText } from '../views/overview-navigation.ts';
import { RevokeConfirmation } from '../views/overview-revoke.tsx';
import { StudentOverviewPage } from '../views/overview-student.tsx';

/**
 * Staff actions in the overview (all POST, CSRF-checked by the app, scoped like the overview: 403
 * for a student outside the person's scope) and the student page with the placement, its requests
 * and the student's audit log. Mounted inside `overviewRoutes`, after its `requireStaff`.
 *
 * - `POST /overzicht/aanvraag/<year>/<nr>/<requestId>/herinneren`: the request email again, same link
 * - `POST .../intrekken`: without `bevestigd=ja` a confirmation page; with it, revoke the link (410
 *   from then on) and email the observer why and whom to ask
 * - `POST .../nieuwe-link`: a new link by email, the old one 410
 * - `GET /overzicht/student/<year>/<nr>`: placement, history, requests, actions, audit log
 * - `POST /overzicht/student/<year>/<nr>/wpb`: replace the WPB (`naam`, `email`)
 *
 * Every action ends in a 303 back to where it was started (`terug`, only `/overzicht` paths) with
 * `melding=<code>`, which the page shows as a fixed Dutch notice (see views/overview-navigation.ts).
 */
export const overviewActionRoutes = new Hono<AppEnv>();

/** A text field of a posted form (`valid('form')` keeps the last value of a repeated field); absent when it is not text (a file). */
const field = z.preprocess((value) => (typeof value === 'string' ? value : undefined), z.string().optional());

const ActionForm = z.object({ terug: field });
const RevokeForm = z.object({ terug: field, reden: field, bevestigd: field });
const WpbForm = z.object({ terug: field, naam: field, email: field });

const requestPath = '/aanvraag/:year/:studentNumber/:requestId';
const requestFallback = (r: RequestRecord) => `/overzicht?jaar=${r.schoolYear}&periode=${r.period}`;

overviewActionRoutes.post(`${requestPath}/herinneren`, valid('form', ActionForm), async (c) => {
  const { year, studentNumber, requestId } = c.req.param();
  const { request } = await remind(c.get('deps'), { staff: c.get('staff')!, schoolYear: year, studentNumber, requestId });
  return c.redirect(backTo(c.req.valid('form').terug, requestFallback(request), 'herinnerd'), 303);
});

overviewActionRoutes.post(`${requestPath}/intrekken`, valid('form', RevokeForm), async (c) => {
  const { year, studentNumber, requestId } = c.req.param();
  const { terug, reden, bevestigd } = c.req.valid('form');
  const result = await revoke(c.get('deps'), { staff: c.get('staff')!, schoolYear: year, studentNumber, requestId, reason: reden, confirmed: bevestigd === 'ja' });
  if (result.kind === 'confirm') {
    return c.html(<RevokeConfirmation request={result.request} formReference={result.formReference} back={backTo(terug, requestFallback(result.request))} terug={terug ?? ''} />);
  }
  return c.redirect(backTo(terug, requestFallback(result.request), 'ingetrokken'), 303);
});

overviewActionRoutes.post(`${requestPath}/nieuwe-link`, valid('form', ActionForm), async (c) => {
  const { year, studentNumber, requestId } = c.req.param();
  const { request } = await reissue(c.get('deps'), { staff: c.get('staff')!, schoolYear: year, studentNumber, requestId });
  return c.redirect(backTo(c.req.valid('form').terug, requestFallback(request), 'nieuwe-link'), 303);
});

overviewActionRoutes.post('/student/:year/:studentNumber/wpb', valid('form', WpbForm), async (c) => {
  const { year, studentNumber } = c.req.param();
  const { terug, naam = '', email = '' } = c.req.valid('form');
  const result = await replaceWpb(c.get('deps'), { staff: c.get('staff')!, schoolYear: year, studentNumber, name: naam, email });
  if (result.kind === 'invalid') {
    return c.html(<StudentOverviewPage {...result.page} notice={noticeText(c.req.query('melding'))} form={{ values: { naam, email }, errors: result.errors }} />, 400);
  }
  const fallback = `/overzicht/student/${result.placement.schoolYear}/${result.placement.studentNumber}`;
  return c.redirect(backTo(terug, fallback, result.unsent > 0 ? 'wpb-vervangen-mail-mislukt' : 'wpb-vervangen'), 303);
});

overviewActionRoutes.get('/student/:year/:studentNumber', async (c) => {
  const { year, studentNumber } = c.req.param();
  const page = await openStudentOverview(c.get('deps'), { staff: c.get('staff')!, schoolYear: year, studentNumber });
  return c.html(<StudentOverviewPage {...page} notice={noticeText(c.req.query('melding'))} />);
});
