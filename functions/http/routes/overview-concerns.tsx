import { Hono } from 'hono';
import * as z from 'zod';
import { raiseConcern, recordConcernStep } from '#shared/usecases/concern-actions.ts';
import type { AppEnv } from '../env.ts';
import { requireStaff } from '../middleware/session.ts';
import { valid } from '../middleware/validate.ts';
import { backTo, noticeText } from '../views/overview-navigation.ts';
import { StudentOverviewPage } from '../views/overview-student.tsx';

/**
 * Concerns about a student's progress on the staff student page (signed in, in scope: 404 for an
 * unknown student, 403 for one outside the person's scope; CSRF-checked by the app, the body read
 * under the staff limit by staff.ts). Mounted in staff.ts under `/overzicht`.
 *
 * - `POST /overzicht/student/<year>/<nr>/zorgen`: raise a concern (`reden`)
 * - `POST /overzicht/student/<year>/<nr>/zorgen/<id>/stappen`: record a step (`stap`, `notitie`)
 *
 * Each ends in a 303 back to the student's page (`terug`, only `/overzicht` paths) with a notice;
 * a refused text shows the page again with the message at its form (400).
 */
export const overviewConcernRoutes = new Hono<AppEnv>();

/** A text field of a posted form (the last value of a repeated field); absent when it is not text (a file). */
const field = z.preprocess((value) => (typeof value === 'string' ? value : undefined), z.string().optional());

const RaiseForm = z.object({ terug: field, reden: field });
const StepForm = z.object({ terug: field, stap: field, notitie: field });

const studentPath = '/student/:year/:studentNumber';

overviewConcernRoutes.post(`${studentPath}/zorgen`, requireStaff, valid('form', RaiseForm), async (c) => {
  const { year, studentNumber } = c.req.param();
  const { terug, reden } = c.req.valid('form');
  const result = await raiseConcern(c.get('deps'), { staff: c.get('staff')!, schoolYear: year, studentNumber, reason: reden });
  if (result.kind === 'invalid') return c.html(<StudentOverviewPage {...result.page} notice={noticeText(c.req.query('melding'))} concernForm={result.form} />, 400);
  return c.redirect(backTo(terug, `/overzicht/student/${result.concern.schoolYear}/${result.concern.studentNumber}`, 'zorg-gemeld'), 303);
});

overviewConcernRoutes.post(`${studentPath}/zorgen/:id/stappen`, requireStaff, valid('form', StepForm), async (c) => {
  const { year, studentNumber, id } = c.req.param();
  const { terug, stap, notitie } = c.req.valid('form');
  const result = await recordConcernStep(c.get('deps'), { staff: c.get('staff')!, schoolYear: year, studentNumber, concernId: id, step: stap, note: notitie });
  if (result.kind === 'invalid') return c.html(<StudentOverviewPage {...result.page} notice={noticeText(c.req.query('melding'))} concernForm={result.form} />, 400);
  return c.redirect(backTo(terug, `/overzicht/student/${result.concern.schoolYear}/${result.concern.studentNumber}`, 'zorgstap-vastgelegd'), 303);
});
