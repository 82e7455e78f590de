import { Temporal } from 'temporal-polyfill';
import * as z from 'zod';
import { getSchoolYear, whereIs, type Period, type SchoolYear } from '../calendar.ts';
import type { Clock } from '../clock.ts';
import { attachmentsWithVerdicts, type AttachmentServingDeps, type ShownAttachment } from '../attachments/serve.ts';
import type { CalendarCatalog } from '../content/calendar-catalog.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import type { FormCatalog } from '../forms/catalog.ts';
import { hasStaffOnlyPart, studentPart, type FormDefinition } from '../forms/definition.ts';
import { newLink, type LinkItem } from '../links.ts';
import { logger } from '../log.ts';
import type { Mailer } from '../mail/mailer.ts';
import { requestEmail, withdrawnEmail } from '../mail/request-emails.ts';
import {
  isWithdrawable,
  kijkwijzerForms,
  lessonDateProblem,
  linkValidUntil,
  newRequestId,
  NotWithdrawableError,
  periodForNewRequest,
  withdrawRefusal,
  type ObservationInput,
  type PeriodChoice,
} from '../model/request-rules.ts';
import { OBSERVER_ROLES, RequestExistsError, WithdrawConflictError, type RequestRecord, type SubmissionVersion } from '../model/requests.ts';
import { appointmentViews, type AppointmentView } from '../model/appointment-rules.ts';
import type { AppointmentRecord } from '../model/appointments.ts';
import type { AppointmentStore } from '../store/appointments.ts';
import { progressCounts, type ProgressCounts } from '../progress/counts.ts';
import type { Placement } from '../roster/placement.ts';
import { linkActor } from '../model/audit.ts';
import { keys, linkOwnerKeys } from '../store/keys.ts';
import type { PlacementStore } from '../store/placements.ts';
import type { RequestStore } from '../store/requests.ts';
import { safeLine, safeText } from '../text.ts';
import { recordAudit, type AuditDeps } from './audit.ts';
import { openLink, type OpenLinkDeps } from './links.ts';

/**
 * Asking for an observation and what follows from it: a request made (by the student, or
 * automatically by the calendar data) and emailed to its observer, its link reissued, and the
 * student's own page ("Mijn werkplekleren") with what it offers: ask, withdraw, read a submitted
 * form, the calendar feed.
 */

/** What making and changing requests needs; built once per process. */
export interface RequestDeps {
  requests: RequestStore;
  mailer: Mailer;
  clock: Clock;
  linkSecret: string;
  publicOrigin: string;
  /** Days a link keeps opening (read-only) after the deadline. */
  linkGraceDays: number;
  /** The forms' names, for the emails. */
  forms: Pick<FormCatalog, 'title' | 'reference'>;
  /** The school years and tasks (shipped and published): read `calendar.years` when used, never copied. */
  calendar: CalendarCatalog;
}

/**
 * A new form link for a request: its id and its item, for the observer's address (as keyed), valid
 * until the request's deadline and the grace days after it. Made for a new request, a reissued
 * link, a replaced WPB and each observer of a lesbezoek.
 */
export function newFormLink(
  deps: Pick<RequestDeps, 'linkSecret' | 'linkGraceDays'>,
  request: Pick<RequestRecord, 'schoolYear' | 'studentNumber' | 'requestId' | 'deadline'>,
  recipient: string,
): { linkId: string; link: LinkItem } {
  return newLink(deps.linkSecret, {
    purpose: 'form',
    ...linkOwnerKeys.request(request.schoolYear, request.studentNumber, request.requestId),
    recipient,
    validUntil: linkValidUntil(request.deadline, deps.linkGraceDays),
  });
}

/** What the student's page needs: the link, the placement, its requests, the audit log and attachments. */
export type StudentPageDeps = RequestDeps &
  OpenLinkDeps &
  AuditDeps &
  AttachmentServingDeps & { placements: Pick<PlacementStore, 'get'>; forms: FormCatalog; appointments: Pick<AppointmentStore, 'listForPlacement'> };

/**
 * Creates a request for a placement and emails its observer the link. `origin` says whether the
 * student asked, or the calendar data asked automatically (the id is then deterministic, so a
 * second run creates nothing).
 */
export async function createRequest(
  deps: RequestDeps,
  placement: Placement,
  input: ObservationInput,
  options: { origin: 'student' | 'auto'; choice?: PeriodChoice },
): Promise<RequestRecord> {
  const now = deps.clock.now();
  const { year, period } = options.choice ?? periodForNewRequest(now, deps.calendar.years);
  if (year.id !== placement.schoolYear) {
    throw new ValidationError(`Je plaatsing hoort bij schooljaar ${placement.schoolYear}, maar een aanvraag van nu valt in schooljaar ${year.id}. Je kunt alleen aanvragen doen binnen je eigen schooljaar.`);
  }
  const lessonProblem = input.lessonDate ? lessonDateProblem(input.lessonDate, { year, period }) : undefined;
  if (lessonProblem) throw new ValidationError(lessonProblem);
  const observer = placement[input.observerRole];
  const requestId = options.origin === 'auto' ? `auto-${input.formId}-op${period.number}` : newRequestId(now);
  const { linkId, link } = newFormLink(deps, { ...placement, requestId, deadline: period.deadline }, observer.email.toLowerCase());
  const request: RequestRecord = {
    schoolYear: placement.schoolYear,
    studentNumber: placement.studentNumber,
    requestId,
    formId: input.formId,
    observerRole: input.observerRole,
    observer,
    ...(input.lessonDate ? { lessonDate: input.lessonDate } : {}),
    ...(input.className ? { className: input.className } : {}),
    ...(input.question ? { question: input.question } : {}),
    period: period.number,
    deadline: period.deadline,
    state: 'gevraagd',
    latestVersion: 0,
    linkId,
    linkHash: link.hash,
    createdAt: now.toString(),
    origin: options.origin,
    student: placement.student,
    school: placement.school,
    vak: placement.vak,
  };
  await deps.requests.create(request, link);
  await deps.mailer.send(requestEmail(deps, request));
  return request;
}

/**
 * Creates the requests the calendar data asks for automatically in a period (the WPB advice,
 * feedback on an experiment), each emailed to the WPB once. Idempotent: the request id is
 * deterministic per form and period, so a second run creates and sends nothing.
 */
export async function ensureAutoRequests(deps: RequestDeps, placement: Placement, choice: PeriodChoice): Promise<RequestRecord[]> {
  if (choice.year.id !== placement.schoolYear) return [];
  const created: RequestRecord[] = [];
  for (const formId of choice.period.autoRequests) {
    try {
      created.push(await createRequest(deps, placement, { formId, observerRole: 'wpb' }, { origin: 'auto', choice }));
    } catch (error) {
      if (!(error instanceof RequestExistsError)) throw error;
    }
  }
  return created;
}

/**
 * Replaces a request's link (say, it was forwarded by mistake): the old link answers 410 from
 * now on, and the observer gets the new one by email. Drafts stay: they belong to the request.
 */
export async function reissueRequestLink(deps: RequestDeps, request: RequestRecord): Promise<RequestRecord> {
  const { linkId, link } = newFormLink(deps, request, request.observer.email.toLowerCase());
  await deps.requests.reissueLink(request, link, linkId, deps.clock.now().toString());
  const reissued = { ...request, linkId, linkHash: link.hash };
  await deps.mailer.send(requestEmail(deps, reissued));
  return reissued;
}

/** A placement with its school year, requests and appointments, as the student's link opens it. */
export interface StudentPlacement {
  placement: Placement;
  year: SchoolYear;
  requests: RequestRecord[];
  appointments: AppointmentRecord[];
}

/** Opens the student's link (a 404 or 410 when it does not open) and reads their placement, requests and appointments. */
export async function openStudentLink(deps: StudentPageDeps, token: string): Promise<StudentPlacement> {
  const link = await openLink(deps, token, 'student');
  const { schoolYear, studentNumber } = keys.placementOf(link.ownerPk);
  const [placement, requests, appointments] = await Promise.all([
    deps.placements.get(schoolYear, studentNumber),
    deps.requests.listForPlacement(schoolYear, studentNumber),
    deps.appointments.listForPlacement(schoolYear, studentNumber),
  ]);
  const year = getSchoolYear(schoolYear, deps.calendar.years);
  if (!placement || !year) throw new NotFoundError('Deze plaatsing bestaat niet meer. Neem contact op met je instituutsopleider.');
  return { placement, year, requests, appointments };
}

/** One of the student's requests, as their page lists it. */
export interface StudentRequestRow {
  request: RequestRecord;
  /** The form's Dutch title. */
  title: string;
  /** Whether the page offers "Intrekken". */
  withdrawable: boolean;
  /** Whether the request's form version has a part for the SO and IO only, which the student does not read. */
  staffOnlyPart: boolean;
}

/** Everything the student's page shows, at the clock's now. */
export interface StudentPageData {
  placement: Placement;
  year: SchoolYear;
  /** The period the page is about: this year's current one, else its next one; absent when there is neither. */
  period?: { period: Period; current: boolean; tasks: string[] };
  /** Without a period: whether the school year has yet to begin (else none is left in it). */
  yearAhead: boolean;
  requests: StudentRequestRow[];
  /** The kijkwijzers the student can ask for this year. */
  kijkwijzers: { id: string; title: string }[];
  /** The lesson dates a request made now accepts: this year's start up to its period's deadline. */
  lessonRange?: { min: string; max: string; period: number };
  /** The lesbezoeken and driehoeksgesprekken the student planned, by date, with their participants' forms. */
  appointments: AppointmentView[];
  /** The counts of the school year (lesbezoeken, driehoeksgesprekken, kijkwijzer types) at the clock's now. */
  counts: ProgressCounts;
}

/** The period a request made now goes into, or undefined when the calendar has none (createRequest then says so). */
function choiceAt(now: Temporal.Instant, years: readonly SchoolYear[]): PeriodChoice | undefined {
  try {
    return periodForNewRequest(now, years);
  } catch {
    return undefined;
  }
}

/** The page over an opened placement. */
export function studentPage(
  deps: Pick<RequestDeps, 'clock' | 'forms' | 'calendar'>,
  { placement, year, requests, appointments }: StudentPlacement,
  /** The requests whose form version has a part for the SO and IO only ({@link requestsWithStaffOnlyPart}). */
  staffOnly: ReadonlySet<string> = new Set(),
): StudentPageData {
  const now = deps.clock.now();
  const years = deps.calendar.years;
  const here = whereIs(now, years);
  const current = here.kind === 'period' && here.year.id === year.id ? here.period : undefined;
  const upcoming = here.kind !== 'period' && here.next?.year.id === year.id ? here.next.period : undefined;
  const shown = current ?? upcoming;
  const choice = choiceAt(now, years);
  return {
    placement,
    year,
    ...(shown ? { period: { period: shown, current: current !== undefined, tasks: deps.calendar.tasksFor(year.id, 'student', shown.number).map((task) => task.text) } } : {}),
    yearAhead: Temporal.PlainDate.compare(here.date, Temporal.PlainDate.from(year.start)) < 0,
    requests: requests.map((request) => ({ request, title: deps.forms.title(request.formId), withdrawable: isWithdrawable(request), staffOnlyPart: staffOnly.has(request.requestId) })),
    kijkwijzers: kijkwijzerForms(year).map((id) => ({ id, title: deps.forms.title(id) })),
    ...(choice?.year.id === year.id ? { lessonRange: { min: year.start, max: choice.period.deadline, period: choice.period.number } } : {}),
    appointments: appointmentViews(appointments, requests, now),
    counts: progressCounts(year, requests, appointments, now),
  };
}

/** The student's own page, opened by their link. */
export async function openStudentPage(deps: StudentPageDeps, input: { token: string }): Promise<StudentPageData> {
  const opened = await openStudentLink(deps, input.token);
  return studentPage(deps, opened, await requestsWithStaffOnlyPart(deps, opened.requests));
}

/**
 * The ids of the requests whose form version has a part for the SO and IO only: the version they
 * were saved in, or the latest for a request nobody has saved yet. One read per saved request of a
 * form that has such a part in some version (the WPB's advice), none for the others.
 */
export async function requestsWithStaffOnlyPart(deps: Pick<StudentPageDeps, 'forms' | 'requests'>, requests: readonly RequestRecord[]): Promise<ReadonlySet<string>> {
  const found = await Promise.all(
    requests.map(async (request) => {
      if (request.state === 'ingetrokken' || !deps.forms.all.some((def) => def.id === request.formId && hasStaffOnlyPart(def))) return undefined;
      const saved = request.latestVersion > 0 ? await deps.requests.getVersion(request, request.latestVersion) : undefined;
      const def = saved ? deps.forms.get(saved.formId, saved.formVersion) : deps.forms.get(request.formId);
      return def && hasStaffOnlyPart(def) ? request.requestId : undefined;
    }),
  );
  return new Set(found.filter((id) => id !== undefined));
}

/** The calendar file of the student's school year (its periods, deadlines and tasks), opened by their link. */
export async function studentCalendar(deps: StudentPageDeps, input: { token: string }): Promise<{ yearId: string; ics: string }> {
  const { placement, year } = await openStudentLink(deps, input.token);
  // ical-generator loads with the first calendar file, not with every request (docs/bundles.md).
  const { calendarFeed } = await import('../digest/ics.ts');
  return { yearId: year.id, ics: calendarFeed({ year, role: 'student', name: placement.student.name, now: deps.clock.now(), calendar: deps.calendar }) };
}

const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Vul een geldige lesdatum in.')
  .refine((value) => {
    try {
      Temporal.PlainDate.from(value, { overflow: 'reject' });
      return true;
    } catch {
      return false;
    }
  }, 'Vul een geldige lesdatum in.');

/** What the request form posts, checked field by field with Dutch messages. */
const RequestForm = z.object({
  formId: z.string({ message: 'Kies een kijkwijzer.' }).min(1, 'Kies een kijkwijzer.'),
  observerRole: z.enum(OBSERVER_ROLES, { message: 'Kies wie de les observeert.' }),
  lessonDate: IsoDate,
  className: safeLine(z.string().trim().max(40, 'De klas mag hoogstens 40 tekens lang zijn.'), 'De klas').optional().default(''),
  question: safeText(z.string().trim().max(1000, 'De vraag mag hoogstens 1000 tekens lang zijn.'), 'De vraag').optional().default(''),
});

/** The fields of the request form. */
export type RequestField = keyof z.infer<typeof RequestForm>;

/** What the student filled in, as sent (a field left out is absent). */
export type RequestFields = Partial<Record<RequestField, string>>;

/** The Dutch message of each field that is not right, the first one found per field. */
export type RequestFormErrors = Partial<Record<RequestField, string>>;

/** The outcome of asking: the request made, or the page again with what is wrong. */
export type AskResult =
  | { kind: 'asked'; request: RequestRecord }
  | { kind: 'invalid'; page: StudentPageData; values: RequestFields; errors: RequestFormErrors };

/**
 * The student asks for an observation: a kijkwijzer of their school year, an observer of their
 * placement and a lesson that fits the period a request made now goes into. When a field is not
 * right, nothing is asked and the page comes back with a message per field; otherwise the request
 * is made and its observer emailed.
 */
export async function askForObservation(deps: StudentPageDeps, input: { token: string; fields: RequestFields }): Promise<AskResult> {
  const opened = await openStudentLink(deps, input.token);
  const parsed = RequestForm.safeParse(input.fields);
  const errors: RequestFormErrors = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) errors[issue.path[0] as RequestField] ??= issue.message;
  } else {
    if (!kijkwijzerForms(opened.year).includes(parsed.data.formId)) errors.formId = 'Kies een kijkwijzer uit de lijst.';
    const choice = choiceAt(deps.clock.now(), deps.calendar.years);
    const problem = choice && lessonDateProblem(parsed.data.lessonDate, choice);
    if (problem) errors.lessonDate = problem;
  }
  if (!parsed.success || Object.keys(errors).length > 0) {
    return { kind: 'invalid', page: studentPage(deps, opened, await requestsWithStaffOnlyPart(deps, opened.requests)), values: input.fields, errors };
  }
  const { formId, observerRole, lessonDate, className, question } = parsed.data;
  const observation: ObservationInput = { formId, observerRole, lessonDate, ...(className ? { className } : {}), ...(question ? { question } : {}) };
  return { kind: 'asked', request: await createRequest(deps, opened.placement, observation, { origin: 'student' }) };
}

/** The student's request `requestId`, or a Dutch 404 with `message` (another placement's id finds nothing). */
function requestOf(opened: StudentPlacement, requestId: string, message: string, submittedOnly = false): RequestRecord {
  const request = opened.requests.find((r) => r.requestId === requestId);
  if (!request || (submittedOnly && request.state !== 'ingediend')) throw new NotFoundError(message);
  return request;
}

/** The outcome of a withdrawal: what to confirm first, or done (now or by an earlier replay). */
export type WithdrawResult = { kind: 'confirm'; request: RequestRecord; reference: string } | { kind: 'withdrawn' };

/**
 * The student withdraws a request asked by mistake. Unconfirmed, this only says what would be
 * withdrawn; confirmed, one conditional write makes the request `ingetrokken` and revokes its link
 * (see `RequestStore.withdraw`), the observer is emailed and the audit log says so. A replay
 * (already withdrawn) changes and sends nothing; a submitted or automatic request is a
 * NotWithdrawableError (409), also when it was submitted meanwhile; another placement's request id is a 404.
 */
export async function withdrawRequest(deps: StudentPageDeps, input: { token: string; requestId: string; confirmed: boolean }): Promise<WithdrawResult> {
  const opened = await openStudentLink(deps, input.token);
  const request = requestOf(opened, input.requestId, 'Deze aanvraag bestaat niet.');
  const refusal = request.state === 'ingetrokken' ? undefined : withdrawRefusal(request);
  if (refusal) throw new NotWithdrawableError(refusal);
  if (!input.confirmed && request.state !== 'ingetrokken') return { kind: 'confirm', request, reference: deps.forms.reference(request.formId) };
  const withdrawn = await withdraw(deps, request);
  if (withdrawn) {
    await recordAudit(deps, request, {
      actor: linkActor('student'),
      action: 'aanvraag ingetrokken',
      requestId: request.requestId,
      detail: `door ${opened.placement.student.name}; ${request.observer.name} (${request.observer.email}) bericht gestuurd`,
    });
  }
  return { kind: 'withdrawn' };
}

/** Withdraws the request and emails its observer; false when it was withdrawn already (a replay). */
async function withdraw(deps: RequestDeps, request: RequestRecord): Promise<boolean> {
  let current = request;
  // A staff member may give the request a new link between our read and write: read again, retry.
  for (let attempt = 1; ; attempt++) {
    if (current.state === 'ingetrokken') return false;
    const refusal = withdrawRefusal(current);
    if (refusal) throw new NotWithdrawableError(refusal);
    const at = deps.clock.now().toString();
    try {
      await deps.requests.withdraw(current, at);
      current = { ...current, state: 'ingetrokken', withdrawnAt: at };
      break;
    } catch (error) {
      if (!(error instanceof WithdrawConflictError) || attempt >= 3) throw error;
      const reread = await deps.requests.get(current.schoolYear, current.studentNumber, current.requestId);
      if (!reread) throw error;
      current = reread;
    }
  }
  try {
    await deps.mailer.send(withdrawnEmail(deps, current));
  } catch (error) {
    // The withdrawal is stored and the link answers 410 with its reason; a failed email must not undo that.
    logger.error('withdrawal email failed', { requestId: current.requestId, error: String((error as Error).name) });
  }
  return true;
}

/** A submitted form as the student reads it: without the sections for the SO and IO only, nor their answers. */
export interface StudentSubmission {
  placement: Placement;
  request: RequestRecord;
  /** The submitted version, its answers only those the student reads. */
  version: SubmissionVersion;
  /** The form version it was submitted with, without its sections for the SO and IO only. */
  def: FormDefinition;
  /** Whether sections were left out: the page says such a part exists. */
  staffOnlyPart: boolean;
  attachments: ShownAttachment[];
}

const NOT_SUBMITTED = 'Dit formulier is (nog) niet ingediend.';

/**
 * A submitted form of the student's, read-only, with its attachments. `countAsOpened` records
 * "link geopend": a GET may be a link scanner's, so a person's first touch is recorded apart
 * ({@link recordSubmissionViewed}); a HEAD records nothing.
 */
export async function openStudentSubmission(deps: StudentPageDeps, input: { token: string; requestId: string; countAsOpened: boolean }): Promise<StudentSubmission> {
  const opened = await openStudentLink(deps, input.token);
  const request = requestOf(opened, input.requestId, NOT_SUBMITTED, true);
  const version = await deps.requests.getVersion(request, request.latestVersion);
  const def = version && deps.forms.get(version.formId, version.formVersion);
  if (!version || !def) throw new NotFoundError(NOT_SUBMITTED);
  const attachments = await attachmentsWithVerdicts(deps, request);
  if (input.countAsOpened) await recordAudit(deps, request, { actor: linkActor('student'), action: 'link geopend', requestId: request.requestId, detail: `versie ${version.version}` });
  // The part for the SO and IO only never leaves the use-case: the view gets the student's part alone.
  const part = studentPart(def, version.answers);
  return { placement: opened.placement, request, version: { ...version, answers: part.answers }, def: part.def, staffOnlyPart: part.staffOnlyPart, attachments };
}

/** The student acted on the read-only view of a submission (static/viewed.ts): "bekeken", each time. */
export async function recordSubmissionViewed(deps: StudentPageDeps, input: { token: string; requestId: string }): Promise<void> {
  const request = requestOf(await openStudentLink(deps, input.token), input.requestId, NOT_SUBMITTED, true);
  await recordAudit(deps, request, { actor: linkActor('student'), action: 'bekeken', requestId: request.requestId, detail: `versie ${request.latestVersion}` });
}

/**
 * The submitted request whose attachment the student opens: as their view of the form (and the
 * staff route), only what was submitted is served, never the observer's draft.
 */
export async function studentAttachmentRequest(deps: StudentPageDeps, input: { token: string; requestId: string }): Promise<RequestRecord> {
  return requestOf(await openStudentLink(deps, input.token), input.requestId, 'Deze bijlage bestaat niet.', true);
}
