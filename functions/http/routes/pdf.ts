import { Hono } from 'hono';
import * as z from 'zod';
import { observerSubmissionPdf, studentBundlePdf, studentSubmissionPdf } from '#shared/usecases/pdf.ts';
import type { AppEnv } from '../env.ts';
import { valid } from '../middleware/validate.ts';
import { pdfResponse } from '../pdf-response.ts';

/**
 * The PDFs reached by a link (docs/groeidossier.md), mounted by app.tsx before the student's and
 * the observer's pages, whose `/formulieren/:requestId` would otherwise take `<id>.pdf` for an id:
 *
 * - `GET /s/<token>/formulieren/<requestId>.pdf?versie=`: the student's PDF of a submitted form
 * - `GET /s/<token>/groeidossier.pdf`: the student's bundle of the year
 * - `GET /f/<token>/formulier.pdf`: the observer's PDF of the form they submitted
 *
 * A form not submitted, another student's request or an unknown version is a Dutch 404 page. A GET
 * is logged as "gedownload"; a HEAD is not.
 */
export const pdfRoutes = new Hono<AppEnv>();

/** `versie` as the query gives it (the first when repeated); the use-case checks it (digits, a submitted version). */
const VersionQuery = z.object({ versie: z.string().optional() });

pdfRoutes.get('/s/:token/formulieren/:file{[^/]+\\.pdf}', valid('query', VersionQuery), async (c) => {
  const { token, file } = c.req.param();
  const { versie } = c.req.valid('query');
  const pdf = await studentSubmissionPdf(c.get('deps'), { token, requestId: file.slice(0, -'.pdf'.length), ...(versie === undefined ? {} : { version: versie }), record: c.req.method === 'GET' });
  return pdfResponse(c, pdf);
});

pdfRoutes.get('/s/:token/groeidossier.pdf', async (c) => pdfResponse(c, await studentBundlePdf(c.get('deps'), { token: c.req.param('token'), record: c.req.method === 'GET' })));

pdfRoutes.get('/f/:token/formulier.pdf', async (c) => pdfResponse(c, await observerSubmissionPdf(c.get('deps'), { token: c.req.param('token'), record: c.req.method === 'GET' })));
