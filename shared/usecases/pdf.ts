import { placementInScope, type Staff } from '../auth/scope.ts';
import type { ContentRefresh } from '../content/live.ts';
import { NotFoundError } from '../errors.ts';
import type { FormCatalog } from '../forms/catalog.ts';
import type { FormDefinition } from '../forms/definition.ts';
import { linkActor } from '../model/audit.ts';
import type { AppointmentRecord } from '../model/appointments.ts';
import type { RequestRecord, SubmissionVersion } from '../model/requests.ts';
import type { PdfAudience, SubmissionPdfInput } from '../pdf/submission.ts';
import type { Placement } from '../roster/placement.ts';
import type { PlacementStore } from '../store/placements.ts';
import { versionRef, type RequestStore } from '../store/requests.ts';
import { appointmentsOfPlacement, type StaffReportDeps } from './appointment-reports.ts';
import { recordAudit, type AuditDeps } from './audit.ts';
import { loadForm } from './form.ts';
import { openStudentLink, type StudentPageDeps } from './observation.ts';

/**
 * The groeidossier's PDFs (docs/groeidossier.md): one submitted form, for the student (by their
 * link), for its observer (by the form's link, once submitted) and for staff in scope; and the
 * year's bundle of a student, for the student and for staff in scope. A form renders in the
 * version of its definition it was submitted in. A request that is not submitted, another
 * student's request or a version that does not exist (or is not submitted) is a Dutch 404.
 *
 * The document definitions and pdfmake with the font load on first use (`import()`): a chunk of
 * their own that no page loads (docs/bundles.md).
 */

const pdfModules = () => Promise.all([import('../pdf/submission.ts'), import('../pdf/bundle.ts'), import('../pdf/render.ts')]);

/** A PDF to send: its file name (letters of any script; the HTTP layer adds an ASCII fallback) and bytes. */
export interface PdfFile {
  fileName: string;
  bytes: Uint8Array;
}

const NOT_SUBMITTED = 'Dit formulier is (nog) niet ingediend.';
const NO_VERSION = 'Deze versie van het formulier bestaat niet of is niet ingediend.';
const FORM_GONE = 'Dit formulier bestaat niet meer.';

/** What finding a submitted version and its definition needs. */
interface VersionDeps {
  requests: Pick<RequestStore, 'listVersions'>;
  forms: Pick<FormCatalog, 'get'>;
  /** The live content: reloaded once when a version's definition was published in another process (as the form page does). */
  content?: Pick<ContentRefresh, 'refresh'>;
}

/**
 * The submitted version `asked` of a submitted request (`versie` as the query gives it: digits),
 * or its latest submitted version when none is asked, with the definition it was submitted in.
 */
async function submittedVersion(deps: VersionDeps, request: RequestRecord, asked: string | undefined): Promise<{ version: SubmissionVersion; def: FormDefinition }> {
  if (request.state !== 'ingediend') throw new NotFoundError(NOT_SUBMITTED);
  if (asked !== undefined && !/^\d{1,9}$/.test(asked)) throw new NotFoundError(NO_VERSION);
  const versions = (await deps.requests.listVersions(request)).filter((v) => v.status === 'ingediend');
  const version = asked === undefined ? versions.at(-1) : versions.find((v) => v.version === Number(asked));
  if (!version) throw new NotFoundError(asked === undefined ? NOT_SUBMITTED : NO_VERSION);
  return { version, def: await definitionOf(deps, version) };
}

/** The definition a version was submitted in; never the latest one instead. */
async function definitionOf(deps: Omit<VersionDeps, 'requests'>, version: Pick<SubmissionVersion, 'formId' | 'formVersion'>): Promise<FormDefinition> {
  let def = deps.forms.get(version.formId, version.formVersion);
  if (!def && deps.content) {
    await deps.content.refresh({ force: true });
    def = deps.forms.get(version.formId, version.formVersion);
  }
  if (!def) throw new NotFoundError(FORM_GONE);
  return def;
}

/** What a submission's PDF shows of a request and one of its versions. */
function pdfInput(request: RequestRecord, version: SubmissionVersion, def: FormDefinition): Omit<SubmissionPdfInput, 'audience'> {
  return { request, version, def, attachments: version.attachments.map((a) => ({ name: a.name })) };
}

async function renderSubmission(input: SubmissionPdfInput): Promise<PdfFile> {
  const [{ submissionDocument, submissionFileName }, , { renderPdf }] = await pdfModules();
  return { fileName: submissionFileName(input), bytes: await renderPdf(submissionDocument(input)) };
}

/** What the student's PDFs need: their link, placement, requests and appointments. */
export type StudentPdfDeps = StudentPageDeps & Partial<Pick<VersionDeps, 'content'>>;

/** A request id as the path gives it: anything else names no request (and never reaches DynamoDB as a key). */
const REQUEST_ID = /^[A-Za-z0-9_-]{1,100}$/;

/**
 * The student's PDF of one of their submitted forms (`/s/<token>/formulieren/<id>.pdf`), without
 * the sections for the SO and IO only. `version`: a submitted version (the latest by default).
 * `record`: a GET, logged as "gedownload".
 */
export async function studentSubmissionPdf(deps: StudentPdfDeps, input: { token: string; requestId: string; version?: string; record: boolean }): Promise<PdfFile> {
  const opened = await openStudentLink(deps, input.token);
  const request = REQUEST_ID.test(input.requestId) ? opened.requests.find((r) => r.requestId === input.requestId) : undefined;
  if (!request) throw new NotFoundError(NOT_SUBMITTED);
  const { version, def } = await submittedVersion(deps, request, input.version);
  const file = await renderSubmission({ ...pdfInput(request, version, def), audience: 'student' });
  if (input.record) await recordAudit(deps, request, { actor: linkActor('student'), action: 'gedownload', requestId: request.requestId, detail: `pdf van versie ${version.version}` });
  return file;
}

/** What the observer's PDF needs: the form's link and the request's versions. */
export type ObserverPdfDeps = Parameters<typeof loadForm>[0] & AuditDeps & { requests: Pick<RequestStore, 'listVersions'> };

/**
 * The observer's PDF of the form they submitted (`/f/<token>/formulier.pdf`): its latest submitted
 * version, every section (they wrote the part for the SO and IO too). Before it is submitted, a 404.
 */
export async function observerSubmissionPdf(deps: ObserverPdfDeps, input: { token: string; record: boolean }): Promise<PdfFile> {
  const { request } = await loadForm(deps, input.token);
  const { version, def } = await submittedVersion(deps, request, undefined);
  const file = await renderSubmission({ ...pdfInput(request, version, def), audience: 'staff' });
  if (input.record) await recordAudit(deps, request, { actor: linkActor(request.observerRole), action: 'gedownload', requestId: request.requestId, detail: `pdf van versie ${version.version}` });
  return file;
}

/** What the staff PDFs need. */
export type StaffPdfDeps = AuditDeps &
  Partial<Pick<VersionDeps, 'content'>> &
  Pick<StaffReportDeps, 'appointmentReports'> & {
    placements: Pick<PlacementStore, 'get'>;
    requests: Pick<RequestStore, 'get' | 'listForPlacement' | 'listVersions' | 'getVersions'>;
    forms: Pick<FormCatalog, 'get' | 'title'>;
  };

/**
 * Staff in scope read a submitted form as PDF (`/overzicht/formulier/<year>/<nr>/<id>.pdf`):
 * every section, version `version` (the latest submitted by default; an unknown one is a 404).
 * 403 outside the person's scope. `record`: a GET, logged as "gedownload" by them.
 */
export async function staffSubmissionPdf(
  deps: StaffPdfDeps,
  input: { staff: Staff; schoolYear: string; studentNumber: string; requestId: string; version?: string; record: boolean },
): Promise<PdfFile> {
  // Not overview.ts's submittedRequestInScope: that module belongs to the staff chunk, this one is also the student's.
  const placement = placementInScope(input.staff, await deps.placements.get(input.schoolYear, input.studentNumber));
  const request = REQUEST_ID.test(input.requestId) ? await deps.requests.get(placement.schoolYear, placement.studentNumber, input.requestId) : undefined;
  if (!request) throw new NotFoundError(NOT_SUBMITTED);
  const { version, def } = await submittedVersion(deps, request, input.version);
  const file = await renderSubmission({ ...pdfInput(request, version, def), audience: 'staff' });
  if (input.record) await recordAudit(deps, request, { actor: input.staff.email, action: 'gedownload', requestId: request.requestId, detail: `pdf van versie ${version.version}` });
  return file;
}

/**
 * The submitted forms of a placement's year, each in its latest submitted version with its
 * definition: the latest versions in one batch read (after a submission a form is only ever
 * submitted again, so the latest is the one), a request's versions listed only should it not be.
 */
async function submittedForms(deps: VersionDeps & { requests: Pick<RequestStore, 'getVersions'> }, requests: readonly RequestRecord[]): Promise<Omit<SubmissionPdfInput, 'audience'>[]> {
  const submitted = requests.filter((r) => r.state === 'ingediend');
  const latest = await deps.requests.getVersions(submitted.map((r) => ({ ...r, version: r.latestVersion })));
  return Promise.all(
    submitted.map(async (request) => {
      const read = latest.get(versionRef({ ...request, version: request.latestVersion }));
      const { version, def } = read?.status === 'ingediend' ? { version: read, def: await definitionOf(deps, read) } : await submittedVersion(deps, request, undefined);
      return pdfInput(request, version, def);
    }),
  );
}

async function renderBundle(
  deps: { forms: Pick<FormCatalog, 'title'>; clock: AuditDeps['clock'] },
  input: { placement: Placement; submissions: Omit<SubmissionPdfInput, 'audience'>[]; appointments: AppointmentRecord[]; audience: PdfAudience },
): Promise<PdfFile> {
  const [, { bundleDocument, bundleFileName }, { renderPdf }] = await pdfModules();
  const bundle = { ...input, formTitle: (id: string) => deps.forms.title(id), now: deps.clock.now() };
  return { fileName: bundleFileName(bundle), bytes: await renderPdf(bundleDocument(bundle)) };
}

/**
 * The student's groeidossier of the year (`/s/<token>/groeidossier.pdf`): every submitted form
 * (without the parts for the SO and IO only), the lesbezoeken and driehoeksgesprekken with their
 * verslagen once written. `record`: a GET, logged as "gedownload".
 */
export async function studentBundlePdf(deps: StudentPdfDeps, input: { token: string; record: boolean }): Promise<PdfFile> {
  const { placement, requests, appointments } = await openStudentLink(deps, input.token);
  const file = await renderBundle(deps, { placement, submissions: await submittedForms(deps, requests), appointments, audience: 'student' });
  if (input.record) await recordAudit(deps, placement, { actor: linkActor('student'), action: 'gedownload', detail: 'groeidossier als pdf' });
  return file;
}

/**
 * Staff in scope download a student's groeidossier (`/overzicht/student/<year>/<nr>/groeidossier.pdf`):
 * every section of every submitted form, the appointments with their verslagen once sent (as the
 * staff pages show them). 404 for an unknown student, 403 outside the person's scope.
 */
export async function staffBundlePdf(deps: StaffPdfDeps, input: { staff: Staff; schoolYear: string; studentNumber: string; record: boolean }): Promise<PdfFile> {
  const placement = placementInScope(input.staff, await deps.placements.get(input.schoolYear, input.studentNumber));
  const [requests, appointments] = await Promise.all([deps.requests.listForPlacement(placement.schoolYear, placement.studentNumber), appointmentsOfPlacement(deps, placement)]);
  const file = await renderBundle(deps, { placement, submissions: await submittedForms(deps, requests), appointments, audience: 'staff' });
  if (input.record) await recordAudit(deps, placement, { actor: input.staff.email, action: 'gedownload', detail: 'groeidossier als pdf' });
  return file;
}
