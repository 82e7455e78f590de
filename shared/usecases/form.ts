import * as z from 'zod';
import { attachmentsWithVerdicts, type AttachmentServingDeps, type ShownAttachment } from '#shared/attachments/serve.ts';
import { formatDutchDate, formatDutchInstant, getSchoolYear } from '#shared/calendar.ts';
import type { Clock } from '#shared/clock.ts';
import type { CalendarCatalog } from '#shared/content/calendar-catalog.ts';
import type { ContentRefresh } from '#shared/content/live.ts';
import { DomainError, NotFoundError, ValidationError } from '#shared/errors.ts';
import { formatAnswer, readAnswers, type AnswerErrors, type Answers } from '#shared/forms/answers.ts';
import type { FormCatalog } from '#shared/forms/catalog.ts';
import { answerItems, formPhrase, type FormDefinition } from '#shared/forms/definition.ts';
import { formUrl, studentUrl, type LinkItem } from '#shared/links.ts';
import { logger } from '#shared/log.ts';
import type { EmailMessage, Mailer } from '#shared/mail/mailer.ts';
import { adviceSubmittedEmail } from '#shared/mail/request-emails.ts';
import { renderEmail } from '#shared/mail/templates.ts';
import { linkActor, type AuditInput } from '#shared/model/audit.ts';
import { isEditable, OBSERVER_LABELS } from '#shared/model/request-rules.ts';
import {
  VersionConflictError,
  type AttachmentRef,
  type ObserverRole,
  type RequestRecord,
  type StudentLinkRecord,
  type SubmissionVersion,
} from '#shared/model/requests.ts';
import type { AuditStore } from '#shared/store/audit.ts';
import type { PlacementStore } from '#shared/store/placements.ts';
import { emailKey } from '#shared/roster/placement.ts';
import { requestKeys } from '#shared/store/keys.ts';
import { CompanionWriteFailedError, type RequestStore } from '#shared/store/requests.ts';
import { recordAudit } from './audit.ts';
import { openLink, RequestWithdrawnError, type OpenLinkDeps } from './links.ts';

/**
 * The observer's form, reached by the link in their email (`/f/<token>`): opened, viewed, saved as
 * a draft or submitted. Every use-case starts from the link and reads what the form needs with one
 * more call (see RequestStore.readForm and docs/architecture.md, "Round trips on the WPB's path").
 */

/** The deadline has passed: the form is read-only now. */
export class DeadlinePassedError extends DomainError {
  constructor(deadline: string) {
    super(`De deadline (${formatDutchDate(deadline)}) is verstreken: het formulier kan niet meer worden gewijzigd.`, 403);
  }
}

/** What the form's use-cases need. */
export interface FormDeps extends OpenLinkDeps, AttachmentServingDeps {
  requests: OpenLinkDeps['requests'] & AttachmentServingDeps['requests'] & Pick<RequestStore, 'readForm' | 'saveVersion' | 'get'>;
  audit: Pick<AuditStore, 'record' | 'prepare'>;
  mailer: Mailer;
  /** The placement's SO and IO, told when the WPB's advice is submitted. */
  placements: Pick<PlacementStore, 'get'>;
  forms: FormCatalog;
  clock: Clock;
  linkSecret: string;
  publicOrigin: string;
  /** The school years and tasks, for the calendar feed. */
  calendar: CalendarCatalog;
  /** The live content behind `forms`: reloaded at once when a request's form version is not in it yet (published elsewhere). */
  content: Pick<ContentRefresh, 'refresh'>;
}

/** What the form lookup needs; `content` is optional as the attachment use-cases' deps do not name it (the app's deps, which they get, carry it). */
type FormLookupDeps = Pick<FormDeps, 'clock' | 'requests' | 'forms'> & Partial<Pick<FormDeps, 'content'>>;

/** A form as its link opens it. */
export interface LoadedForm {
  request: RequestRecord;
  latest: SubmissionVersion | undefined;
  /** The definition the form is filled in on: the one it was started in, or the latest for a new form. */
  def: FormDefinition;
  attachments: AttachmentRef[];
  /** Until the end of the deadline's day. */
  editable: boolean;
  /** The placement's student link, when asked for (a save: the receipt links to the student's page). */
  studentLink?: StudentLinkRecord;
}

/** What the form page shows, besides the token and the notices of the route. */
export interface FormPageData {
  request: RequestRecord;
  def: FormDefinition;
  /** With their scan verdicts where known (the GET); without, a recorded verdict or "wordt gecontroleerd" shows. */
  attachments: (AttachmentRef | ShownAttachment)[];
  editable: boolean;
  answers: Answers;
  errors?: AnswerErrors;
  /** Why nothing was saved: someone else saved first, or an attachment was removed meanwhile. */
  conflict?: string;
}

/**
 * Loads the form a link opens: the link (404/410), then the request with its latest version and
 * attachments in one read (404 when the request or its form no longer exists).
 */
export async function loadForm(deps: FormLookupDeps & Pick<FormDeps, 'links'>, token: string, options: { studentLink?: boolean } = {}): Promise<LoadedForm> {
  return formOfLink(deps, await openLink(deps, token, 'form'), options);
}

/** The form of a link that opens (see {@link loadForm}). */
async function formOfLink(deps: FormLookupDeps, link: LinkItem, options: { studentLink?: boolean } = {}): Promise<LoadedForm> {
  const read = await deps.requests.readForm(link, options);
  if (!read) throw new NotFoundError('Deze aanvraag bestaat niet meer.');
  const { request, latest, attachments, studentLink } = read;
  // A form continues in the version it was started in; a new one takes the latest definition.
  const lookup = () => (latest ? deps.forms.get(latest.formId, latest.formVersion) : deps.forms.get(request.formId));
  let def = lookup();
  if (!def && deps.content) {
    // Published in another process since this one loaded its content (the expiry is 60 s): look once more, in the table.
    await deps.content.refresh({ force: true });
    def = lookup();
  }
  if (!def) throw new NotFoundError('Dit formulier bestaat niet meer.');
  return { request, latest, def, attachments, editable: isEditable(request, deps.clock.now()), ...(studentLink ? { studentLink } : {}) };
}

/**
 * Opens the form page: the form, its latest answers, its attachments with their scan verdicts and,
 * when `recordOpened` (a GET, not a HEAD), the audit event "link geopend". Mail scanners GET links
 * too, so a GET is only "link geopend"; a person's first touch on the page is
 * {@link recordFormView}. The event is written beside the read when the link knows its observer's
 * role (every link stored since it does), else beside the verdict lookups; it is awaited before
 * the page is answered, never left running.
 */
export async function openForm(deps: FormDeps, input: { token: string; recordOpened: boolean }): Promise<FormPageData> {
  const link = await openLink(deps, input.token, 'form');
  const { schoolYear, studentNumber, requestId } = requestKeys.requestOf({ PK: link.ownerPk, SK: link.ownerSk });
  const opened = (role: ObserverRole) => recordAudit(deps, { schoolYear, studentNumber }, { actor: linkActor(role), action: 'link geopend', requestId });
  const early = input.recordOpened && link.observerRole ? opened(link.observerRole) : undefined;
  let form: LoadedForm;
  try {
    form = await formOfLink(deps, link);
  } catch (error) {
    // A failed read (a 404 too) still waits for the event's write: nothing runs on after the answer.
    await Promise.allSettled([early]);
    throw error;
  }
  const { request, def, latest, editable } = form;
  // Settled, not Promise.all, for the same reason.
  const [shown] = await Promise.allSettled([
    attachmentsWithVerdicts(deps, request, form.attachments),
    early ?? (input.recordOpened ? opened(request.observerRole) : undefined),
  ]);
  if (shown.status === 'rejected') throw shown.reason;
  return { request, def, attachments: shown.value, editable, answers: latest?.answers ?? {} };
}

/** A person acted on the form page (static/viewed.ts): the real view, after a GET that a scanner may have made. */
export async function recordFormView(deps: Pick<FormDeps, 'links' | 'clock' | 'requests' | 'forms' | 'audit'>, token: string): Promise<void> {
  const { request } = await loadForm(deps, token);
  await recordAudit(deps, request, { actor: linkActor(request.observerRole), action: 'bekeken', requestId: request.requestId });
}

/** The school year's deadlines and the observer's tasks as a calendar file (ICS), opened by the form's link. */
export async function formCalendar(deps: Pick<FormDeps, 'links' | 'clock' | 'requests' | 'forms' | 'calendar'>, token: string): Promise<{ yearId: string; ics: string }> {
  const link = await openLink(deps, token, 'form');
  const request = await deps.requests.getByKeys({ PK: link.ownerPk, SK: link.ownerSk });
  const year = request && getSchoolYear(request.schoolYear, deps.calendar.years);
  if (!request || !year) throw new NotFoundError('Deze aanvraag bestaat niet meer.');
  // ical-generator loads with the first calendar file, not with every request (docs/bundles.md).
  const { calendarFeed } = await import('#shared/digest/ics.ts');
  return { yearId: year.id, ics: calendarFeed({ year, role: request.observerRole, name: request.observer.name, now: deps.clock.now(), calendar: deps.calendar }) };
}

const Action = z.enum(['concept', 'versturen']);

/** `basis`, the version the page was loaded at, as the page writes it: a plain decimal safe integer. */
const Basis = z
  .string()
  .regex(/^\d{1,16}$/)
  .transform(Number)
  .pipe(z.int().nonnegative());

/** What a save of the form comes to. */
export type SaveFormResult =
  | { kind: 'saved'; status: SubmissionVersion['status'] }
  /** 400: answers that do not pass; nothing saved, the page shows them with their errors. */
  | { kind: 'invalid'; page: FormPageData }
  /** 409: someone else saved first (or an attachment went meanwhile); nothing saved, the answers are kept. */
  | { kind: 'conflict'; page: FormPageData };

/**
 * Saves the form as a draft (`actie=concept`) or submits it (`actie=versturen`) on the version the
 * page was loaded at (`basis`), as version `basis + 1` with its audit event in the same
 * transaction. A submit emails the observer a receipt and tells the student. The link, the
 * deadline and then the body are checked, in that order: a link that no longer opens says so
 * whatever was posted.
 *
 * @throws DeadlinePassedError after the deadline; ValidationError for a malformed post;
 *   RequestWithdrawnError when the student withdrew the request while the form was open
 */
export async function saveForm(deps: FormDeps, input: { token: string; body: Record<string, unknown> }): Promise<SaveFormResult> {
  const form = await loadForm(deps, input.token, { studentLink: true });
  const { request, def, attachments } = form;
  if (!form.editable) throw new DeadlinePassedError(request.deadline);
  const action = Action.safeParse(lastValue(input.body.actie));
  if (!action.success) throw new ValidationError('Kies "Opslaan als concept" of "Versturen".');
  const basis = Basis.safeParse(lastValue(input.body.basis));
  if (!basis.success) throw new ValidationError('Het formulier is onvolledig verstuurd; open de link opnieuw.');
  if (action.data === 'concept' && request.state === 'ingediend') {
    throw new ValidationError('Dit formulier is al ingediend. Een correctie verstuurt u met "Correctie versturen".');
  }
  const result = readAnswers(def, input.body, action.data === 'versturen' ? 'submit' : 'draft');
  if (!result.ok) return { kind: 'invalid', page: { request, def, attachments, editable: true, answers: result.answers, errors: result.errors } };
  const status = action.data === 'versturen' ? 'ingediend' : 'concept';
  const audit: AuditInput = {
    actor: linkActor(request.observerRole),
    action: status === 'ingediend' ? 'ingediend' : 'concept opgeslagen',
    requestId: request.requestId,
    detail: `versie ${basis.data + 1}`,
  };
  const version = { formId: def.id, formVersion: def.version, answers: result.answers, status, savedAt: deps.clock.now().toString(), savedBy: request.observer.email, attachments } as const;
  let saved: SubmissionVersion;
  try {
    saved = await saveWithAudit(deps, request, basis.data, version, audit);
  } catch (error) {
    if (!(error instanceof VersionConflictError)) throw error;
    const current = await deps.requests.get(request.schoolYear, request.studentNumber, request.requestId);
    // The student withdrew the request while this form was open: say so, not "someone else saved".
    if (current?.state === 'ingetrokken') throw new RequestWithdrawnError(current, deps.forms);
    return { kind: 'conflict', page: { request: current ?? request, def, attachments, editable: true, answers: result.answers, conflict: error.message } };
  }
  if (saved.status === 'ingediend') await sendSubmittedEmails(deps, { request, def, version: saved, attachments, studentLink: form.studentLink });
  return { kind: 'saved', status: saved.status };
}

/**
 * Saves a version with its audit event in one transaction, so the event is neither lost nor
 * written for a save that failed. Only when that transaction was cancelled because of the event
 * alone, or refused for the audit log's table (CompanionWriteFailedError: either way nothing was
 * written), is the version saved without it and its event recorded best-effort afterwards: a
 * failing audit write never costs the observer their answers. Any other failure is the save's, as
 * before: a timeout may hide a save that went through, which a second attempt would take for
 * someone else's.
 */
async function saveWithAudit(
  deps: Pick<FormDeps, 'requests' | 'audit' | 'clock'>,
  request: RequestRecord,
  basis: number,
  version: Omit<SubmissionVersion, 'version' | 'requestId'>,
  audit: AuditInput,
): Promise<SubmissionVersion> {
  const { write } = deps.audit.prepare(request, audit, deps.clock.now());
  try {
    return await deps.requests.saveVersion(request, basis, version, { also: [write] });
  } catch (error) {
    if (!(error instanceof CompanionWriteFailedError)) throw error;
    logger.warn('saving with the audit event failed; saving without it', { requestId: request.requestId, reasons: error.reasons.join(',') });
  }
  const saved = await deps.requests.saveVersion(request, basis, version);
  await recordAudit(deps, request, audit);
  return saved;
}

/**
 * Emails the observer a receipt with a copy of the answers, and tells the student it is in; for
 * the WPB's advice, also the placement's SO and IO (see {@link adviceEmails}).
 */
async function sendSubmittedEmails(
  deps: Pick<FormDeps, 'mailer' | 'linkSecret' | 'publicOrigin' | 'placements'>,
  input: { request: RequestRecord; def: FormDefinition; version: SubmissionVersion; attachments: AttachmentRef[]; studentLink: StudentLinkRecord | undefined },
): Promise<void> {
  let advice: EmailMessage[] = [];
  try {
    advice = await adviceEmails(deps, input);
  } catch (error) {
    // The placement could not be read: the submission is stored all the same.
    logger.error('reading the placement for the advice emails failed', { requestId: input.request.requestId, error: String((error as Error).name) });
  }
  for (const message of [...submittedEmails(deps, input), ...advice]) {
    try {
      await deps.mailer.send(message);
    } catch (error) {
      // The submission is stored; a failed notification must not turn it into an error page.
      logger.error('notification email failed', { requestId: input.request.requestId, error: String((error as Error).name) });
    }
  }
}

/** The form whose submission the placement's SO and IO are told about. */
export const ADVICE_FORM_ID = 'advies-wpb';

/**
 * The WPB's advice is in: one email each to the placement's SO and IO (one when they are the same
 * person, none to the observer themself, who has the receipt), naming the student and linking to
 * the staff page, without the answers. A correction sends the same short note, saying
 * "gecorrigeerd". Other forms: none. Reads the placement (one GetItem), as the request does not
 * name its SO and IO.
 */
async function adviceEmails(
  deps: Pick<FormDeps, 'publicOrigin' | 'placements'>,
  input: { request: RequestRecord; def: FormDefinition; version: SubmissionVersion },
): Promise<EmailMessage[]> {
  const { request, def, version } = input;
  if (request.formId !== ADVICE_FORM_ID) return [];
  const placement = await deps.placements.get(request.schoolYear, request.studentNumber);
  if (!placement) return [];
  const correction = version.version > 1 && request.state === 'ingediend';
  const seen = new Set([emailKey(request.observer.email)]);
  const messages: EmailMessage[] = [];
  for (const role of ['so', 'io'] as const) {
    const reader = placement[role];
    if (seen.has(emailKey(reader.email))) continue;
    seen.add(emailKey(reader.email));
    messages.push(adviceSubmittedEmail(deps, { request, title: def.title, reader, role, submittedAt: version.savedAt, correction }));
  }
  return messages;
}

/** The receipt to the observer and the notice to the student of a submitted form. */
function submittedEmails(
  deps: Pick<FormDeps, 'linkSecret' | 'publicOrigin'>,
  input: { request: RequestRecord; def: FormDefinition; version: SubmissionVersion; attachments: AttachmentRef[]; studentLink: StudentLinkRecord | undefined },
): EmailMessage[] {
  const { request, def, version, attachments, studentLink } = input;
  const list = answerItems(def).map((item) => ({ label: item.label, value: formatAnswer(def, item.code, version.answers[item.code]) }));
  if (attachments.length > 0) list.push({ label: 'Bijlagen', value: attachments.map((a) => a.name).join(', ') });
  const correction = version.version > 1 && request.state === 'ingediend';
  const received = formatDutchInstant(version.savedAt, { time: 'minute' });
  return [
    renderEmail({
      to: request.observer.email,
      subject: `Ontvangen: ${def.title} voor ${request.student.name}`,
      greeting: `Beste ${request.observer.name},`,
      // No version numbers: a first submission is version 2 after a draft, which means nothing to the reader.
      paragraphs: [
        correction
          ? `Dank u wel. Uw correctie voor ${request.student.name} is ontvangen op ${received}; deze vervangt wat u eerder had ingediend. Hieronder staat een kopie van uw antwoorden.`
          : `Dank u wel. Uw formulier voor ${request.student.name} is ontvangen op ${received}. Hieronder staat een kopie van uw antwoorden.`,
        `Wilt u nog iets aanpassen? Dat kan tot en met ${formatDutchDate(request.deadline)} met de link hieronder (dezelfde persoonlijke link als in de eerste e-mail; stuur hem niet door).`,
      ],
      list,
      action: { label: 'Formulier openen om te corrigeren', url: formUrl(deps, request.linkId) },
      footer: `U krijgt deze bevestiging omdat u het formulier heeft ingediend als ${OBSERVER_LABELS[request.observerRole]} bij werkplekleren N2 van Hogeschool Rotterdam.`,
    }),
    renderEmail({
      to: request.student.email,
      subject: `${def.title} is ingediend door ${request.observer.name}`,
      greeting: `Beste ${request.student.name},`,
      paragraphs: [
        `${request.observer.name} heeft ${formPhrase(def)} ${correction ? 'gecorrigeerd' : 'ingediend'}${request.lessonDate ? ` voor de les van ${formatDutchDate(request.lessonDate)}` : ''}. Je vindt het formulier op je eigen pagina.`,
      ],
      ...(studentLink ? { action: { label: 'Mijn werkplekleren', url: studentUrl(deps, studentLink.linkId) } } : {}),
      footer: `Je krijgt deze e-mail omdat je als student in het rooster van werkplekleren N2 (${request.schoolYear}) staat.`,
    }),
  ];
}

/** A field sent twice counts with its last value, as elsewhere (the body is read with `all: true` for multi items). */
function lastValue(value: unknown): unknown {
  return Array.isArray(value) ? (value as unknown[]).at(-1) : value;
}
