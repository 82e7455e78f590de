import { Hono } from 'hono';
import * as z from 'zod';
import { openStudentReportAttachment, saveReport, sendReport, type PostedFile } from '#shared/usecases/appointment-reports.ts';
import { attachmentResponse } from '../attachment-response.ts';
import type { AppEnv } from '../env.ts';
import { valid } from '../middleware/validate.ts';
import { ReportFormPage } from '../views/appointment-report.tsx';

/**
 * The verslag of a driehoeksgesprek, by the student's page link (mounted at `/s`, beside the
 * student's routes; the work is in shared/usecases/appointment-reports.ts):
 *
 * - `POST /s/<token>/afspraken/<id>/verslag`: save (multipart: `tekst`, optional file `bijlage`,
 *   `bijlageVerwijderen=ja`); its body limit is `BODY_LIMITS.report` (app.tsx)
 * - `POST /s/<token>/afspraken/<id>/verslag/versturen`: send it to the participants
 * - `GET /s/<token>/afspraken/<id>/verslag/bijlage`: its attachment (only clean, verified bytes)
 *
 * Both POSTs end in a 303 to the appointment page with `verslag=<notice>` (views/appointment-report.tsx).
 */
export const appointmentReportRoutes = new Hono<AppEnv>();

/** A posted text field; a file or a missing field as empty text (the use-case says what is wrong). */
const text = z
  .unknown()
  .transform((value): string => (typeof value === 'string' ? value : ''))
  .optional();

/** The verslag form: the text, the remove box and the file (a File, or an empty text when none was chosen). */
const ReportBody = z.object({ tekst: text, bijlageVerwijderen: text, bijlage: z.unknown().optional() });

/** The chosen file; a file field left empty arrives as a nameless, empty file (or not at all). */
async function postedFile(value: unknown): Promise<PostedFile | undefined> {
  if (!(value instanceof File) || (value.size === 0 && value.name === '')) return undefined;
  return { name: value.name, type: value.type, bytes: new Uint8Array(await value.arrayBuffer()) };
}

appointmentReportRoutes.post('/:token/afspraken/:id/verslag', valid('form', ReportBody), async (c) => {
  const { token, id } = c.req.param();
  const { tekst, bijlageVerwijderen, bijlage } = c.req.valid('form');
  const result = await saveReport(c.get('deps'), { token, appointmentId: id, fields: { tekst, bijlageVerwijderen }, file: await postedFile(bijlage) });
  if (result.kind === 'invalid') return c.html(<ReportFormPage {...result.page} />, 400);
  return c.redirect(`/s/${token}/afspraken/${id}?verslag=${result.changed ? 'opgeslagen' : 'ongewijzigd'}#verslag`, 303);
});

appointmentReportRoutes.post('/:token/afspraken/:id/verslag/versturen', async (c) => {
  const { token, id } = c.req.param();
  const result = await sendReport(c.get('deps'), { token, appointmentId: id });
  const notice = result.kind === 'unchanged' ? 'al-verstuurd' : result.unsent > 0 ? 'niet-alles-verstuurd' : result.updated ? 'bijgewerkt' : 'verstuurd';
  return c.redirect(`/s/${token}/afspraken/${id}?verslag=${notice}#verslag`, 303);
});

appointmentReportRoutes.get('/:token/afspraken/:id/verslag/bijlage', async (c) =>
  attachmentResponse(c, () => openStudentReportAttachment(c.get('deps'), { token: c.req.param('token'), appointmentId: c.req.param('id'), record: c.req.method === 'GET' })),
);
