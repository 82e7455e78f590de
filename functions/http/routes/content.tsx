import { Hono } from 'hono';
import type { Context } from 'hono';
import * as z from 'zod';
import { digestPeriod } from '#shared/digest/content.ts';
import { choosePreviewMonday, previewDigests } from '#shared/digest/preview.ts';
import { ContentConflictError } from '#shared/store/content.ts';
import {
  exportForm,
  exportYear,
  getFormConcept,
  getYearConcept,
  listForms,
  listYears,
  publishForm,
  publishYear,
  uploadForm,
  uploadYear,
} from '#shared/usecases/content.ts';
import { toSafeLine } from '#shared/text.ts';
import { WORKBOOK_MAX_BYTES } from '#shared/xlsx/workbook.ts';
import type { AppEnv } from '../env.ts';
import { BODY_LIMITS, PayloadTooLargeError, readForm, RELOAD_UNREADABLE } from '../middleware/body.ts';
import { loadSession, requireAdmin, requireStaff } from '../middleware/session.ts';
import { formSchema } from '../middleware/validate.ts';
import { ContentFormConceptPage } from '../views/content-form-concept-page.tsx';
import { FormPreviewPage } from '../views/content-form-preview.tsx';
import { ContentFormsPage, formConceptPath } from '../views/content-forms-page.tsx';
import {
  ContentConflictPage,
  ContentPublishedPage,
  FORM_AREA,
  WORKBOOK_LIMIT_TEXT,
  WorkbookProblemsPage,
  YEAR_AREA,
} from '../views/content-parts.tsx';
import { ContentYearConceptPage } from '../views/content-year-concept-page.tsx';
import { ContentYearsPage, yearConceptPath } from '../views/content-years-page.tsx';

/**
 * Forms and school years as workbooks, for admins (docs/year-content.md, "Routes"): the lists with
 * their downloads, an upload (checked; a 422 with every problem, or a concept), the concept with
 * its preview, and Publiceren (a 409 when someone else was first). Mounted at /beheer.
 */
export const contentRoutes = new Hono<AppEnv>();

// Admins only, before any body is read; '/formulieren/*' matches '/formulieren' too.
contentRoutes.use('/formulieren/*', loadSession, requireStaff, requireAdmin);
contentRoutes.use('/schooljaren/*', loadSession, requireStaff, requireAdmin);

/** The workbook and its multipart framing; anything larger is refused unread (413). */
const UPLOAD_LIMIT = WORKBOOK_MAX_BYTES + 64 * 1024;

const readUpload = readForm(UPLOAD_LIMIT, {
  tooLarge: () =>
    new PayloadTooLargeError(
      `Het bestand is groter dan ${WORKBOOK_LIMIT_TEXT}. Een werkmap met een formulier of een schooljaar is hooguit enkele tientallen kilobytes; controleer of u het goede bestand kiest.`,
    ),
  unreadable: 'Het formulier kon niet worden gelezen. Laad de pagina opnieuw en kies het bestand nog eens.',
});
const readPublish = readForm(BODY_LIMITS.staffForm, { unreadable: RELOAD_UNREADABLE });

const NO_FILE = 'Kies een werkmap (.xlsx-bestand) om te uploaden.';
const UploadForm = formSchema(z.object({ bestand: z.file().min(1) }));

/** The uploaded file (the body was read by readUpload); undefined for none or an empty one. A file sent twice counts with its last one. */
async function uploadedFile(c: Context<AppEnv>): Promise<File | undefined> {
  const parsed = UploadForm.safeParse(await c.req.parseBody());
  return parsed.success ? parsed.data.bestand : undefined;
}

/**
 * The name of a refused upload as its page shows it: one line without bidi overrides or other
 * refused characters, as a concept keeps its name (nothing is stored, so the use-case never cleans it).
 */
const shownFileName = (file: File): string => toSafeLine(file.name) || 'de werkmap';

/** A download of a generated workbook. */
function workbook(c: Context<AppEnv>, file: { fileName: string; bytes: Uint8Array }): Response {
  c.header('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  c.header('Content-Disposition', `attachment; filename="${file.fileName}"`);
  return c.body(file.bytes as Uint8Array<ArrayBuffer>);
}

/**
 * The policy of the form preview: framed by our own pages only, and inert. It may show itself as
 * the WPB's page does (its styles and scripts), but its form posts nowhere and its scripts reach
 * nothing (no save, no attachment, no "bekeken").
 */
const PREVIEW_CSP = [
  "default-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "script-src 'self'",
  "connect-src 'none'",
  "img-src 'self' data:",
  "form-action 'none'",
  "frame-ancestors 'self'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ');

// ---------------------------------------------------------------------------------------------
// Forms

const formsPage = async (c: Context<AppEnv>, error?: string) => c.html(<ContentFormsPage forms={await listForms(c.get('deps'))} {...(error ? { error } : {})} />, error ? 400 : 200);

contentRoutes.get('/formulieren', (c) => formsPage(c));

contentRoutes.get('/formulieren/:formId/:file{[0-9]{1,4}\\.xlsx}', async (c) => {
  const version = Number.parseInt(c.req.param('file'), 10);
  return workbook(c, await exportForm(c.get('deps'), { formId: c.req.param('formId'), version }));
});

contentRoutes.post('/formulieren', readUpload, async (c) => {
  const file = await uploadedFile(c);
  if (!file) return formsPage(c, NO_FILE);
  const result = await uploadForm(c.get('deps'), { fileName: file.name, bytes: new Uint8Array(await file.arrayBuffer()), by: c.get('staff')!.email });
  if (result.kind === 'invalid') return c.html(<WorkbookProblemsPage area={FORM_AREA} fileName={shownFileName(file)} problems={result.problems} />, 422);
  return c.redirect(formConceptPath(result.uploadId), 303);
});

contentRoutes.get('/formulieren/concept/:uploadId', async (c) => {
  return c.html(<ContentFormConceptPage {...await getFormConcept(c.get('deps'), c.req.param('uploadId'))} />);
});

contentRoutes.get('/formulieren/concept/:uploadId/voorbeeld', async (c) => {
  const deps = c.get('deps');
  const concept = await getFormConcept(deps, c.req.param('uploadId'));
  // The period of today (or the next one): what a WPB asked today would see.
  const years = deps.calendar.years;
  const found = digestPeriod(deps.clock.now(), years) ?? { year: years.at(-1)!, period: years.at(-1)!.periods[0]! };
  c.header('Content-Security-Policy', PREVIEW_CSP);
  c.header('X-Frame-Options', 'SAMEORIGIN');
  return c.html(<FormPreviewPage def={concept.definition} year={found.year} period={found.period} />);
});

contentRoutes.post('/formulieren/concept/:uploadId/publiceren', readPublish, async (c) => {
  const deps = c.get('deps');
  try {
    const { formId, version } = await publishForm(deps, { uploadId: c.req.param('uploadId'), by: c.get('staff')!.email });
    const title = deps.forms.title(formId);
    return c.html(
      <ContentPublishedPage
        area={FORM_AREA}
        heading={`${title}: versie ${version} is gepubliceerd`}
        lines={[
          `Versie ${version} van ${title} geldt vanaf nu voor nieuwe aanvragen.`,
          'Formulieren waaraan al begonnen is (ook opgeslagen concepten), houden hun eigen versie.',
        ]}
      />,
    );
  } catch (error) {
    if (error instanceof ContentConflictError) return c.html(<ContentConflictPage area={FORM_AREA} message={error.message} />, 409);
    throw error;
  }
});

// ---------------------------------------------------------------------------------------------
// School years

const yearsPage = async (c: Context<AppEnv>, error?: string) => c.html(<ContentYearsPage years={await listYears(c.get('deps'))} {...(error ? { error } : {})} />, error ? 400 : 200);

contentRoutes.get('/schooljaren', (c) => yearsPage(c));

contentRoutes.get('/schooljaren/:file{[0-9]{4}-[0-9]{4}\\.xlsx}', async (c) => {
  return workbook(c, await exportYear(c.get('deps'), { yearId: c.req.param('file').slice(0, 9) }));
});

contentRoutes.post('/schooljaren', readUpload, async (c) => {
  const file = await uploadedFile(c);
  if (!file) return yearsPage(c, NO_FILE);
  const result = await uploadYear(c.get('deps'), { fileName: file.name, bytes: new Uint8Array(await file.arrayBuffer()), by: c.get('staff')!.email });
  if (result.kind === 'invalid') return c.html(<WorkbookProblemsPage area={YEAR_AREA} fileName={shownFileName(file)} problems={result.problems} />, 422);
  return c.redirect(yearConceptPath(result.uploadId), 303);
});

contentRoutes.get('/schooljaren/concept/:uploadId', async (c) => {
  const deps = c.get('deps');
  const concept = await getYearConcept(deps, c.req.param('uploadId'));
  const chosen = choosePreviewMonday(concept.year, c.req.query('maandag'));
  const digests = chosen.problem
    ? []
    : previewDigests({
        calendar: deps.calendar,
        candidate: concept,
        forms: deps.forms,
        monday: chosen.monday,
        origin: deps.publicOrigin,
        linkSecret: deps.linkSecret,
      });
  const formTitles = Object.fromEntries(concept.year.periods.flatMap((p) => p.autoRequests).map((id) => [id, deps.forms.title(id)]));
  return c.html(
    <ContentYearConceptPage {...concept} monday={chosen.monday.toString()} mondayProblem={chosen.problem} digests={digests} formTitles={formTitles} />,
    chosen.problem ? 400 : 200,
  );
});

contentRoutes.post('/schooljaren/concept/:uploadId/publiceren', readPublish, async (c) => {
  const deps = c.get('deps');
  try {
    const { yearId, version } = await publishYear(deps, { uploadId: c.req.param('uploadId'), by: c.get('staff')!.email });
    const provisional = deps.calendar.isProvisional(yearId);
    return c.html(
      <ContentPublishedPage
        area={YEAR_AREA}
        heading={`Schooljaar ${yearId}: versie ${version} is gepubliceerd`}
        lines={[
          `Schooljaar ${yearId} geldt vanaf nu zoals gepubliceerd (${provisional ? 'voorlopig' : 'definitief'}): voor nieuwe aanvragen, het volgende weekoverzicht, de kalender en de agenda-bestanden.`,
          'Formulieren waaraan al begonnen is, houden hun deadline.',
        ]}
      />,
    );
  } catch (error) {
    if (error instanceof ContentConflictError) return c.html(<ContentConflictPage area={YEAR_AREA} message={error.message} />, 409);
    throw error;
  }
});
