import { Hono } from 'hono';
import * as z from 'zod';
import { staffBundlePdf, staffSubmissionPdf } from '#shared/usecases/pdf.ts';
import type { AppEnv } from '../env.ts';
import { requireStaff } from '../middleware/session.ts';
import { valid } from '../middleware/validate.ts';
import { pdfResponse } from '../pdf-response.ts';

/**
 * The PDFs of a student for signed-in staff in scope (docs/groeidossier.md), mounted at
 * `/overzicht` by staff.ts before the overview's routes, whose `/formulier/<year>/<nr>/:requestId`
 * would otherwise take `<id>.pdf` for an id (403 outside the person's scope, 404 for what does
 * not exist or is not submitted):
 *
 * - `GET /overzicht/formulier/<year>/<nr>/<requestId>.pdf?versie=`: a submitted form
 * - `GET /overzicht/student/<year>/<nr>/groeidossier.pdf`: the student's bundle of the year
 */
export const overviewPdfRoutes = new Hono<AppEnv>();

overviewPdfRoutes.use(requireStaff);

/** `versie` as the query gives it (the first when repeated); the use-case checks it (digits, a submitted version). */
const VersionQuery = z.object({ versie: z.string().optional() });

overviewPdfRoutes.get('/formulier/:year/:studentNumber/:file{[^/]+\\.pdf}', valid('query', VersionQuery), async (c) => {
  const { year, studentNumber, file } = c.req.param();
  const { versie } = c.req.valid('query');
  const pdf = await staffSubmissionPdf(c.get('deps'), {
    staff: c.get('staff')!,
    schoolYear: year,
    studentNumber,
    requestId: file.slice(0, -'.pdf'.length),
    ...(versie === undefined ? {} : { version: versie }),
    record: c.req.method === 'GET',
  });
  return pdfResponse(c, pdf);
});

overviewPdfRoutes.get('/student/:year/:studentNumber/groeidossier.pdf', async (c) => {
  const { year, studentNumber } = c.req.param();
  return pdfResponse(c, await staffBundlePdf(c.get('deps'), { staff: c.get('staff')!, schoolYear: year, studentNumber, record: c.req.method === 'GET' }));
});
