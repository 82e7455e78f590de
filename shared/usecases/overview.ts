import type { Temporal } from 'temporal-polyfill';
import * as z from 'zod';
import { attachmentsWithVerdicts, type AttachmentServingDeps, type ShownAttachment } from '../attachments/serve.ts';
import { placementInScope, type Staff } from '../auth/scope.ts';
import type { Clock } from '../clock.ts';
import type { CalendarCatalog } from '../content/calendar-catalog.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import type { FormCatalog } from '../forms/catalog.ts';
import type { FormDefinition } from '../forms/definition.ts';
import type { RequestRecord, SubmissionVersion } from '../model/requests.ts';
import { exportCsv } from '../overview/csv.ts';
import { exportFileName, planExport } from '../overview/export-rows.ts';
import { loadOverview, type OverviewRow } from '../overview/model.ts';
import { choosePeriod, type PeriodChoice } from '../overview/period.ts';
import type { AuditStore } from '../store/audit.ts';
import type { AuditEvent } from '../model/audit.ts';
import type { ConcernRecord } from '../model/concerns.ts';
import type { ConcernStore } from '../store/concerns.ts';
import type { AppointmentRecord } from '../model/appointments.ts';
import type { AppointmentReportStore } from '../store/appointment-reports.ts';
import type { PlacementStore } from '../store/placements.ts';
import type { PlacementRecord } from '../model/placements.ts';
import type { RequestStore } from '../store/requests.ts';
import { recordAudit } from './audit.ts';
import { getSchoolYear } from '../calendar.ts';
import { progressCounts, type ProgressCounts } from '../progress/counts.ts';

/**
 * The staff overview, within the signed-in person's scope: a period's students against the forms
 * due, a submitted form, a student's page, and the period as CSV, as a workbook and as a calendar feed.
 */

/** The state filter of the overview, with how the page names each. */
export const STATUS_FILTERS = {
  ingediend: 'met iets ingediend',
  concept: 'met een concept',
  gevraagd: 'met iets gevraagd',
  ontbreekt: 'met ontbrekende kijkwijzers',
  niets: 'met niets ingediend',
  signaal: 'met een signaal',
} as const;
export type StatusFilter = keyof typeof STATUS_FILTERS;

/**
 * One query value, as the HTTP layer hands it over (the first when a key repeats, as
 * `c.req.query()` reads it: functions/http/middleware/validate.ts); empty counts as absent.
 */
function queryValue<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === '' ? undefined : value), schema.optional());
}

/**
 * The overview's query: the period (`jaar`, `periode`), the filters (`school`, `status`), and for
 * the calendar feed and the CSV their own choice (`rol`, `scheiding`, checked after the period).
 */
export const OverviewQuery = z.object({
  jaar: queryValue(z.string().max(20, 'Kies een schooljaar zoals 2025-2026.')),
  periode: queryValue(z.string().max(4, 'Kies een periode van 1 tot en met 4.')),
  school: queryValue(z.string().max(200, 'Kies een school uit de lijst.')),
  status: queryValue(z.enum(Object.keys(STATUS_FILTERS) as [StatusFilter, ...StatusFilter[]], { message: 'Kies een geldige status.' })),
  rol: queryValue(z.string()),
  scheiding: queryValue(z.string()),
});
export type OverviewQuery = z.infer<typeof OverviewQuery>;

/** Who asks, and what. */
export type OverviewInput = OverviewQuery & { staff: Staff };

/** What the overview needs. */
export interface OverviewDeps {
  placements: PlacementStore;
  requests: RequestStore;
  audit: AuditStore;
  clock: Clock;
  forms: FormCatalog;
  linkGraceDays: number;
  publicOrigin: string;
  /** The school years the periods are chosen from, and the tasks of the calendar feed. */
  calendar: CalendarCatalog;
}

/** The Dutch title of every form by id (from its latest version), for the pages. */
export function formTitles(forms: Pick<FormCatalog, 'all' | 'title'>): Record<string, string> {
  return Object.fromEntries([...new Set(forms.all.map((def) => def.id))].map((id) => [id, forms.title(id)]));
}

function matches(row: OverviewRow, status: StatusFilter | undefined): boolean {
  switch (status) {
    case undefined:
      return true;
    case 'ontbreekt':
      return row.missing.length > 0;
    case 'niets':
      return row.nothingIn;
    case 'signaal':
      return row.signal !== undefined;
    default:
      return row.requests.some((r) => r.state === status);
  }
}

/** The overview page of a period: its rows after the filters, and what the page shows around them. */
export interface OverviewPageData {
  staff: Staff;
  choice: PeriodChoice;
  /** The ids of every school year of the calendar, chronological (the year filter). */
  years: string[];
  rows: OverviewRow[];
  /** Rows before the status filter. */
  total: number;
  schools: string[];
  school: string | undefined;
  status: StatusFilter | undefined;
  now: Temporal.Instant;
  graceDays: number;
  titles: Record<string, string>;
  /** The period's CSV downloads (coordinators only). */
  exports: AuditEvent[] | undefined;
}

/** The overview of the asked (or current) period in the person's scope. */
export async function openOverview(deps: OverviewDeps, input: OverviewInput): Promise<OverviewPageData> {
  const { staff, school, status } = input;
  const choice = choosePeriod(input.jaar, input.periode, deps.clock.now(), deps.calendar.years);
  const overview = await loadOverview(deps, staff.scope, choice, school);
  const rows = overview.rows.filter((row) => matches(row, status));
  // Who downloaded this period's CSV: for coordinators only (one event per export, see README).
  const exports = staff.scope.admin ? await deps.audit.listExports(choice.year.id, choice.period.number, { limit: 50 }) : undefined;
  return {
    staff,
    choice,
    years: deps.calendar.years.map((year) => year.id),
    rows,
    total: overview.rows.length,
    schools: overview.schools,
    school,
    status,
    now: deps.clock.now(),
    graceDays: deps.linkGraceDays,
    titles: formTitles(deps.forms),
    exports,
  };
}

const AgendaRole = z.enum(['io', 'so', 'sco'], { message: 'Kies een rol: io, so of sco.' });

/** The school year's deadlines and a staff role's tasks (`rol`, by default IO when the person is one, else SO) as ICS. */
export async function agendaFeed(deps: Pick<OverviewDeps, 'clock' | 'calendar'>, input: OverviewInput): Promise<{ fileName: string; body: string }> {
  const { staff } = input;
  const { year } = choosePeriod(input.jaar, input.periode, deps.clock.now(), deps.calendar.years);
  const fallback = Object.keys(staff.scope.io).length > 0 ? 'io' : 'so';
  const role = AgendaRole.safeParse(input.rol ?? fallback);
  if (!role.success) throw new ValidationError(role.error.issues[0]?.message ?? 'Kies een rol.');
  // ical-generator loads with the first calendar file, not with every request (docs/bundles.md).
  const { calendarFeed } = await import('../digest/ics.ts');
  return {
    fileName: `werkplekleren-${year.id}-${role.data}.ics`,
    body: calendarFeed({ year, role: role.data, name: staff.name, now: deps.clock.now(), calendar: deps.calendar }),
  };
}

const CsvSeparator = z.enum([';', ','], { message: 'Kies ; of , als scheidingsteken.' });

/**
 * A period's submissions in the person's scope as CSV (see overview/csv.ts), streamed. A download
 * (`download`: a GET, not a HEAD) is recorded as one event of the period.
 */
export async function exportOverview(deps: OverviewDeps, input: OverviewInput & { download: boolean }): Promise<{ fileName: string; body: ReadableStream<Uint8Array> }> {
  const { staff, school } = input;
  const choice = choosePeriod(input.jaar, input.periode, deps.clock.now(), deps.calendar.years);
  const separator = CsvSeparator.optional().safeParse(input.scheiding);
  if (!separator.success) throw new ValidationError(separator.error.issues[0]?.message ?? 'Ongeldig scheidingsteken.');
  const delimiter = separator.data ?? ';';
  const plan = planExport(staff.scope, choice, school);
  if (input.download) {
    await recordAudit(
      deps,
      { schoolYear: choice.year.id, exportPeriod: choice.period.number },
      { actor: staff.email, action: 'CSV gedownload', detail: `${school ?? 'alle scholen in bereik'}; scheidingsteken ${delimiter}` },
    );
  }
  return { fileName: exportFileName(choice, 'csv'), body: exportCsv(deps, plan, { delimiter, origin: deps.publicOrigin }) };
}

/** The workbook writer (exceljs, about a megabyte) loads on first use, as the content workbooks do (usecases/content.ts). */
const workbookWriter = () => import('../overview/xlsx.ts');

/**
 * The same submissions as an Excel workbook (see overview/xlsx.ts), streamed; the CSV's query
 * (`scheiding` means nothing here and is not read). A download (a GET) is recorded as one event of
 * the period, as the CSV's is.
 */
export async function exportOverviewXlsx(deps: OverviewDeps, input: OverviewInput & { download: boolean }): Promise<{ fileName: string; body: ReadableStream<Uint8Array> }> {
  const { staff, school } = input;
  const choice = choosePeriod(input.jaar, input.periode, deps.clock.now(), deps.calendar.years);
  const plan = planExport(staff.scope, choice, school);
  const { exportXlsx } = await workbookWriter();
  if (input.download) {
    await recordAudit(
      deps,
      { schoolYear: choice.year.id, exportPeriod: choice.period.number },
      { actor: staff.email, action: 'Excel gedownload', detail: school ?? 'alle scholen in bereik' },
    );
  }
  return { fileName: exportFileName(choice, 'xlsx'), body: exportXlsx(deps, plan, { origin: deps.publicOrigin }) };
}

/** A request as a path names it, and who asks. */
export interface RequestInput {
  staff: Staff;
  schoolYear: string;
  studentNumber: string;
  requestId: string;
}

/** A submitted request the person may see: 404 when it does not exist or is not submitted, 403 when it is not theirs. */
export async function submittedRequestInScope(deps: Pick<OverviewDeps, 'placements' | 'requests'>, input: RequestInput): Promise<RequestRecord> {
  const placement = placementInScope(input.staff, await deps.placements.get(input.schoolYear, input.studentNumber));
  const request = await deps.requests.get(placement.schoolYear, placement.studentNumber, input.requestId);
  if (!request || request.state !== 'ingediend') throw new NotFoundError('Dit formulier is (nog) niet ingediend.');
  return request;
}

/** A submitted form as staff read it. */
export interface SubmissionPageData {
  request: RequestRecord;
  def: FormDefinition;
  /** The version shown. */
  version: SubmissionVersion;
  /** Every submitted version, oldest first. */
  versions: SubmissionVersion[];
  attachments: ShownAttachment[];
  /** The request's audit log, newest first. */
  events: AuditEvent[];
}

/**
 * A submitted form in the person's scope: version `version` (a query value; the latest when it
 * names none of the submitted ones), its attachments and its log. A view (`view`: a GET, not a
 * HEAD) is recorded as "bekeken" first, so the log shows it.
 */
export async function openSubmission(deps: OverviewDeps & AttachmentServingDeps, input: RequestInput & { version: string | undefined; view: boolean }): Promise<SubmissionPageData> {
  const request = await submittedRequestInScope(deps, input);
  const versions = (await deps.requests.listVersions(request)).filter((v) => v.status === 'ingediend');
  const asked = Number(input.version ?? request.latestVersion);
  const version = versions.find((v) => v.version === asked) ?? versions.at(-1);
  const def = version && deps.forms.get(version.formId, version.formVersion);
  if (!version || !def) throw new NotFoundError('Dit formulier is (nog) niet ingediend.');
  const attachments = await attachmentsWithVerdicts(deps, request);
  if (input.view) await recordAudit(deps, request, { actor: input.staff.email, action: 'bekeken', requestId: request.requestId, detail: `versie ${version.version}` });
  const events = await deps.audit.listForPlacement(request.schoolYear, request.studentNumber, { requestId: request.requestId });
  return { request, def, version, versions, attachments, events };
}

/** What a student's page needs. */
export type StudentOverviewDeps = Pick<OverviewDeps, 'placements' | 'requests' | 'audit' | 'clock' | 'linkGraceDays' | 'forms' | 'calendar'> & { concerns: Pick<ConcernStore, 'listForPlacement'> } & { appointmentReports: Pick<AppointmentReportStore, 'listForPlacement'> };

/** A student's page: the placement and its history, every request of the year, the log. */
export interface StudentOverview {
  placement: PlacementRecord;
  /** Earlier versions of the placement, oldest first. */
  history: PlacementRecord[];
  requests: RequestRecord[];
  events: AuditEvent[];
  now: Temporal.Instant;
  graceDays: number;
  titles: Record<string, string>;
  /** Concerns about the student's progress, oldest first (issue 14). */
  concerns: ConcernRecord[];
  /** The student's lesbezoeken and driehoeksgesprekken, by date (issue 14). */
  appointments: AppointmentRecord[];
  /** The counts of the school year at the clock's now; absent when the calendar no longer has the year. */
  counts?: ProgressCounts;
}

/** The page of a placement already checked to be in scope. */
export async function studentOverviewOf(deps: StudentOverviewDeps, placement: PlacementRecord): Promise<StudentOverview> {
  const [history, requests, events, concerns, appointments] = await Promise.all([
    deps.placements.history(placement.schoolYear, placement.studentNumber),
    deps.requests.listForPlacement(placement.schoolYear, placement.studentNumber),
    deps.audit.listForPlacement(placement.schoolYear, placement.studentNumber),
    deps.concerns.listForPlacement(placement.schoolYear, placement.studentNumber),
    deps.appointmentReports.listForPlacement(placement.schoolYear, placement.studentNumber),
  ]);
  const now = deps.clock.now();
  const year = getSchoolYear(placement.schoolYear, deps.calendar.years);
  const counts = year && progressCounts(year, requests, appointments, now);
  return { placement, history, requests, events, now, graceDays: deps.linkGraceDays, titles: formTitles(deps.forms), concerns, appointments, ...(counts ? { counts } : {}) };
}

/** A student's page, when the student is in the person's scope (404 when unknown, 403 when not theirs). */
export async function openStudentOverview(deps: StudentOverviewDeps, input: { staff: Staff; schoolYear: string; studentNumber: string }): Promise<StudentOverview> {
  const placement = placementInScope(input.staff, await deps.placements.get(input.schoolYear, input.studentNumber));
  return studentOverviewOf(deps, placement);
}
