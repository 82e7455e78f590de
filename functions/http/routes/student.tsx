import { Hono } from 'hono';
import * as z from 'zod';
import { linkActor } from '#shared/model/audit.ts';
import {
  askForObservation,
  openStudentPage,
  openStudentSubmission,
  recordSubmissionViewed,
  studentAttachmentRequest,
  studentCalendar,
  withdrawRequest,
} from '#shared/usecases/observation.ts';
import type { AppEnv } from '../env.ts';
import { serveAttachment } from '../attachment-response.ts';
import { valid } from '../middleware/validate.ts';
import { StudentPage } from '../views/student-page.tsx';
import { StudentSubmissionPage } from '../views/student-submission.tsx';
import { StudentWithdrawPage } from '../views/student-withdraw.tsx';

/** The student's own page ("Mijn werkplekleren"), reached by the student's link. */
export const studentRoutes = new Hono<AppEnv>();

/**
 * A posted field as the page reads it (`valid('form')` keeps the last value of a repeated field): a
 * file as empty text (it then fails its check with the field's own Dutch message, in the use-case).
 * A field left out stays absent.
 */
const field = z
  .unknown()
  .transform((value): string => (typeof value === 'string' ? value : ''))
  .optional();

/** What the request form posts; the use-case checks each field and says what is wrong in Dutch. */
const AskBody = z.object({ formId: field, observerRole: field, lessonDate: field, className: field, question: field });

/** The withdrawal: without `bevestigd=ja`, only the question what would be withdrawn. */
const WithdrawBody = z.object({ bevestigd: field });

studentRoutes.get('/:token', async (c) => {
  const page = await openStudentPage(c.get('deps'), { token: c.req.param('token') });
  return c.html(<StudentPage {...page} token={c.req.param('token')} requested={c.req.query('aangevraagd') === '1'} withdrawn={c.req.query('ingetrokken') === '1'} />);
});

studentRoutes.get('/:token/agenda.ics', async (c) => {
  const { yearId, ics } = await studentCalendar(c.get('deps'), { token: c.req.param('token') });
  c.header('Content-Type', 'text/calendar; charset=utf-8');
  c.header('Content-Disposition', `attachment; filename="werkplekleren-${yearId}.ics"`);
  c.header('Cache-Control', 'no-store');
  return c.body(ics);
});

studentRoutes.post('/:token/aanvragen', valid('form', AskBody), async (c) => {
  const token = c.req.param('token');
  const result = await askForObservation(c.get('deps'), { token, fields: c.req.valid('form') });
  if (result.kind === 'invalid') return c.html(<StudentPage {...result.page} token={token} values={result.values} errors={result.errors} />, 400);
  return c.redirect(`/s/${token}?aangevraagd=1`, 303);
});

/**
 * The student withdraws a request asked by mistake: first a page that asks to confirm, then the
 * withdrawal (see withdrawRequest). A replay lands on the same page; a submitted request is a
 * Dutch 409; another placement's request id is a 404.
 */
studentRoutes.post('/:token/aanvragen/:requestId/intrekken', valid('form', WithdrawBody), async (c) => {
  const token = c.req.param('token');
  const confirmed = c.req.valid('form').bevestigd === 'ja';
  const result = await withdrawRequest(c.get('deps'), { token, requestId: c.req.param('requestId'), confirmed });
  if (result.kind === 'confirm') return c.html(<StudentWithdrawPage token={token} request={result.request} reference={result.reference} />);
  return c.redirect(`/s/${token}?ingetrokken=1`, 303);
});

studentRoutes.get('/:token/formulieren/:requestId', async (c) => {
  const { token, requestId } = c.req.param();
  // A GET may be a scanner's: "link geopend"; a person's first touch posts to /bekeken (static/viewed.ts).
  const submission = await openStudentSubmission(c.get('deps'), { token, requestId, countAsOpened: c.req.method === 'GET' });
  return c.html(<StudentSubmissionPage {...submission} token={token} />);
});

/** The student acted on the read-only view of a submission (static/viewed.ts): the real view. */
studentRoutes.post('/:token/formulieren/:requestId/bekeken', async (c) => {
  await recordSubmissionViewed(c.get('deps'), c.req.param());
  return c.body(null, 204);
});

studentRoutes.get('/:token/bijlagen/:requestId/:attachmentId', async (c) => {
  const { token, requestId, attachmentId } = c.req.param();
  const request = await studentAttachmentRequest(c.get('deps'), { token, requestId });
  return serveAttachment(c, request, attachmentId, linkActor('student'));
});
