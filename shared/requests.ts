import { randomBytes } from 'node:crypto';
import { Temporal } from 'temporal-polyfill';
import {
  deadlineInstant,
  formatDutchDate,
  getSchoolYear,
  periodLabel,
  schoolYears,
  type Period,
  type SchoolYear,
} from './calendar.ts';
import type { Clock } from './clock.ts';
import { formReference } from '#forms/index.ts';
import { DomainError, ValidationError } from './errors.ts';
import { formUrl, hashToken, newLinkId, studentUrl, tokenFor, type LinkItem } from './links.ts';
import type { Mailer } from './mail/mailer.ts';
import { renderEmail } from './mail/templates.ts';
import type { Placement } from './roster/placement.ts';
import type { ObserverRole, RequestRecord, RequestStore } from './store/requests.ts';
import { RequestExistsError, requestKeys, WithdrawConflictError, WITHDRAWABLE_STATES } from './store/requests.ts';

/** What the request domain needs; built once per process. */
export interface RequestDeps {
  requests: RequestStore;
  mailer: Mailer;
  clock: Clock;
  linkSecret: string;
  publicOrigin: string;
  /** Days a link keeps opening (read-only) after the deadline. */
  linkGraceDays: number;
}

/** Dutch names of the observer roles, as the student picks them. */
export const OBSERVER_LABELS: Record<ObserverRole, string> = {
  wpb: 'werkplekbegeleider (WPB)',
  so: 'schoolopleider (SO)',
  io: 'instituutsopleider (IO)',
};

/** Whom an observer asks about a request, by role (an SO is not sent to the school's SO). */
const REQUEST_CONTACT: Record<ObserverRole, string> = {
  wpb: 'de schoolopleider van uw school',
  so: 'de instituutsopleider van de student',
  io: 'de schoolopleider van de school',
};

/** A period and its school year. */
export interface PeriodChoice {
  year: SchoolYear;
  period: Period;
}

/**
 * The period a new request belongs to: the first period, in calendar order, whose deadline has not
 * passed, i.e. the current one until its deadline, then the next one (also between periods).
 * Throws a 400 when the calendar data has no such period.
 */
export function periodForNewRequest(now: Temporal.Instant, years: readonly SchoolYear[] = schoolYears): PeriodChoice {
  for (const year of years) {
    for (const period of year.periods) {
      if (Temporal.Instant.compare(now, deadlineInstant(period)) < 0) return { year, period };
    }
  }
  throw new ValidationError('Er is geen lopende of komende onderwijsperiode bekend; een aanvraag doen is nu niet mogelijk.');
}

/**
 * Why a lesson date does not fit a request that goes into `choice`, in Dutch for the student; or
 * undefined when it fits. The lesson lies in the request's school year and no later than its
 * period's deadline: the observer fills in the form after the lesson and before that deadline, so
 * a later lesson belongs to a later request (and a lesson of another school year to none).
 */
export function lessonDateProblem(lessonDate: string, choice: PeriodChoice): string | undefined {
  const day = Temporal.PlainDate.from(lessonDate);
  const { year, period } = choice;
  if (Temporal.PlainDate.compare(day, Temporal.PlainDate.from(year.start)) < 0) {
    return `De lesdatum ligt vóór schooljaar ${year.id}, dat begint op ${formatDutchDate(year.start)}. Kies een les uit dit schooljaar.`;
  }
  if (Temporal.PlainDate.compare(day, Temporal.PlainDate.from(period.deadline)) > 0) {
    return `De lesdatum ligt na de deadline van deze aanvraag. Een aanvraag van nu hoort bij ${periodLabel(period)}, met deadline ${formatDutchDate(period.deadline)}: kies een les op of vóór die dag. Een latere les vraag je aan na die deadline.`;
  }
  return undefined;
}

/** Whether a school year is over at `now`: its last day (Amsterdam) has passed. Unknown years count as over. */
export function schoolYearEnded(yearId: string, now: Temporal.Instant, years: readonly SchoolYear[] = schoolYears): boolean {
  const year = getSchoolYear(yearId, years);
  return !year || Temporal.Instant.compare(now, deadlineInstant({ deadline: year.end })) >= 0;
}

/** Whether a request's form can still be changed (until the end of its deadline day). */
export function isEditable(request: Pick<RequestRecord, 'schoolYear' | 'deadline'>, now: Temporal.Instant): boolean {
  return Temporal.Instant.compare(now, deadlineInstant({ deadline: request.deadline })) < 0;
}

/** Until when a request's link opens: the deadline plus the grace. */
export function linkValidUntil(deadline: string, graceDays: number): string {
  return deadlineInstant({ deadline }).add({ hours: 24 * graceDays }).toString();
}

// The link builders live in links.ts (the digest sender needs them without the form registry).
export { formUrl, studentUrl };

/** A time-sortable, unguessable request id. */
export function newRequestId(now: Temporal.Instant): string {
  const stamp = now.toString().replace(/[-:.]/g, '').slice(0, 15);
  return `${stamp}-${randomBytes(6).toString('base64url')}`;
}

/** What a student fills in to ask for an observation. */
export interface ObservationInput {
  formId: string;
  observerRole: ObserverRole;
  lessonDate?: string;
  className?: string;
  question?: string;
}

/** Titles of the forms, for emails and pages; provided by the caller from the form registry. */
export type FormTitle = (formId: string) => string;

/**
 * Creates a request for a placement and emails its observer the link. `origin` says whether the
 * student asked, or the calendar data asked automatically (the id is then deterministic, so a
 * second run creates nothing).
 */
export async function createRequest(
  deps: RequestDeps,
  placement: Placement,
  input: ObservationInput,
  options: { origin: 'student' | 'auto'; formTitle: FormTitle; choice?: PeriodChoice },
): Promise<RequestRecord> {
  const now = deps.clock.now();
  const { year, period } = options.choice ?? periodForNewRequest(now);
  if (year.id !== placement.schoolYear) {
    throw new ValidationError(`Je plaatsing hoort bij schooljaar ${placement.schoolYear}, maar een aanvraag van nu valt in schooljaar ${year.id}. Je kunt alleen aanvragen doen binnen je eigen schooljaar.`);
  }
  const lessonProblem = input.lessonDate ? lessonDateProblem(input.lessonDate, { year, period }) : undefined;
  if (lessonProblem) throw new ValidationError(lessonProblem);
  const observer = placement[input.observerRole];
  const linkId = newLinkId();
  const requestId =
    options.origin === 'auto' ? `auto-${input.formId}-op${period.number}` : newRequestId(now);
  const link: LinkItem = {
    hash: hashToken(tokenFor(deps.linkSecret, linkId)),
    purpose: 'form',
    ...prefixKeys(requestKeys.request(placement.schoolYear, placement.studentNumber, requestId)),
    recipient: observer.email.toLowerCase(),
    validUntil: linkValidUntil(period.deadline, deps.linkGraceDays),
  };
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
  await deps.mailer.send(requestEmail(deps, request, options.formTitle(request.formId)));
  return request;
}

function prefixKeys(key: { PK: string; SK: string }): { ownerPk: string; ownerSk: string } {
  return { ownerPk: key.PK, ownerSk: key.SK };
}

/**
 * The email that asks an observer to fill in a form. A reminder (staff's "Herinnering sturen")
 * is the same email with the same link, so a saved draft carries over.
 */
export function requestEmail(deps: Pick<RequestDeps, 'linkSecret' | 'publicOrigin'>, request: RequestRecord, title: string, options: { reminder?: boolean } = {}) {
  const lesson = request.lessonDate ? ` van ${formatDutchDate(request.lessonDate)}` : '';
  const paragraphs =
    request.origin === 'student'
      ? [`${request.student.name} vraagt u ${formReference(request.formId)} in te vullen over de les${lesson}${request.className ? ` in klas ${request.className}` : ''}.`]
      : [`In ${periodLabel({ number: request.period })} vragen we u ${formReference(request.formId)} in te vullen voor ${request.student.name}.`];
  if (options.reminder) {
    paragraphs.unshift(
      request.state === 'concept'
        ? 'Een herinnering: dit formulier is nog niet ingediend. Uw concept is bewaard; met dezelfde link gaat u verder waar u was gebleven.'
        : 'Een herinnering: dit formulier staat nog voor u open.',
    );
  }
  if (request.question) paragraphs.push(`Vraag van de student: ${request.question}`);
  paragraphs.push(
    `U kunt een concept opslaan en later verdergaan. Invullen kan tot en met ${formatDutchDate(request.deadline)}. U heeft geen account nodig. De link hieronder is persoonlijk: stuur hem niet door.`,
  );
  return renderEmail({
    to: request.observer.email,
    subject: `${options.reminder ? 'Herinnering: ' : ''}${title} voor ${request.student.name}`,
    greeting: `Beste ${request.observer.name},`,
    paragraphs,
    action: { label: 'Formulier openen', url: formUrl(deps, request.linkId) },
    footer: `U krijgt deze e-mail als ${OBSERVER_LABELS[request.observerRole]} van ${request.student.name} (${request.vak}, ${request.school}) bij werkplekleren N2 van Hogeschool Rotterdam. Vragen? Neem contact op met ${REQUEST_CONTACT[request.observerRole]}.`,
  });
}

/**
 * Makes sure the student has a page link; on first creation emails them a welcome with it.
 * Returns the link id (new or existing).
 */
export async function ensureStudentLink(deps: RequestDeps, placement: Placement): Promise<{ linkId: string; created: boolean }> {
  const existing = await deps.requests.getStudentLink(placement.schoolYear, placement.studentNumber);
  if (existing) return { linkId: existing.linkId, created: false };
  const year = getSchoolYear(placement.schoolYear);
  if (!year) throw new DomainError(`Onbekend schooljaar ${placement.schoolYear}.`, 400);
  const linkId = newLinkId();
  const hash = hashToken(tokenFor(deps.linkSecret, linkId));
  const created = await deps.requests.createStudentLink(
    { schoolYear: placement.schoolYear, studentNumber: placement.studentNumber, school: placement.school, linkId, linkHash: hash },
    {
      hash,
      purpose: 'student',
      ...prefixKeys(requestKeys.studentLink(placement.schoolYear, placement.studentNumber)),
      recipient: placement.student.email.toLowerCase(),
      validUntil: linkValidUntil(year.end, deps.linkGraceDays),
    },
  );
  if (!created) {
    const raced = await deps.requests.getStudentLink(placement.schoolYear, placement.studentNumber);
    return { linkId: raced!.linkId, created: false };
  }
  await deps.mailer.send(
    renderEmail({
      to: placement.student.email,
      subject: `Welkom bij werkplekleren N2 ${placement.schoolYear}`,
      greeting: `Beste ${placement.student.name},`,
      paragraphs: [
        `Je bent geplaatst bij ${placement.school} voor ${placement.vak}, met ${placement.wpb.name} als werkplekbegeleider.`,
        'Op je eigen pagina zie je de taken en de deadline van deze periode, vraag je een lesobservatie aan en zie je welke kijkwijzers binnen zijn en welke nog ontbreken.',
        'De link is persoonlijk: stuur hem niet door. Bewaar deze e-mail; je krijgt de link ook in elke wekelijkse e-mail.',
      ],
      action: { label: 'Mijn werkplekleren', url: studentUrl(deps, linkId) },
      footer: `Je krijgt deze e-mail omdat je als student in het rooster van werkplekleren N2 (${placement.schoolYear}) staat. Vragen? Neem contact op met je instituutsopleider, ${placement.io.name}.`,
    }),
  );
  return { linkId, created: true };
}

/**
 * Gives every student of the placements a page link, emailing a welcome to those who had none
 * yet. Idempotent: run after every import, it also finishes what an interrupted run left.
 */
export async function welcomeStudents(deps: RequestDeps, placements: readonly Placement[]): Promise<number> {
  let welcomed = 0;
  for (const placement of placements) {
    if ((await ensureStudentLink(deps, placement)).created) welcomed++;
  }
  return welcomed;
}

/**
 * Creates the requests the calendar data asks for automatically in a period (the WPB advice,
 * feedback on an experiment), each emailed to the WPB once. Idempotent: the request id is
 * deterministic per form and period, so a second run creates and sends nothing.
 */
export async function ensureAutoRequests(
  deps: RequestDeps,
  placement: Placement,
  choice: PeriodChoice,
  formTitle: FormTitle,
): Promise<RequestRecord[]> {
  if (choice.year.id !== placement.schoolYear) return [];
  const created: RequestRecord[] = [];
  for (const formId of choice.period.autoRequests) {
    try {
      created.push(await createRequest(deps, placement, { formId, observerRole: 'wpb' }, { origin: 'auto', formTitle, choice }));
    } catch (error) {
      if (!(error instanceof RequestExistsError)) throw error;
    }
  }
  return created;
}

/**
 * What follows an import: every student gets their page link (a welcome email the first time),
 * and the automatic requests of the period a new request would fall in are made.
 */
export async function afterImport(
  deps: RequestDeps,
  placements: readonly Placement[],
  formTitle: FormTitle,
): Promise<{ welcomed: number; autoRequests: number }> {
  const welcomed = await welcomeStudents(deps, placements);
  let choice: PeriodChoice | undefined;
  try {
    choice = periodForNewRequest(deps.clock.now());
  } catch {
    return { welcomed, autoRequests: 0 };
  }
  let autoRequests = 0;
  for (const placement of placements) autoRequests += (await ensureAutoRequests(deps, placement, choice, formTitle)).length;
  return { welcomed, autoRequests };
}

/**
 * Replaces a request's link (say, it was forwarded by mistake): the old link answers 410 from
 * now on, and the observer gets the new one by email. Drafts stay: they belong to the request.
 */
export async function reissueRequestLink(deps: RequestDeps, request: RequestRecord, formTitle: FormTitle): Promise<RequestRecord> {
  const linkId = newLinkId();
  const hash = hashToken(tokenFor(deps.linkSecret, linkId));
  await deps.requests.reissueLink(
    request,
    {
      hash,
      purpose: 'form',
      ...prefixKeys(requestKeys.request(request.schoolYear, request.studentNumber, request.requestId)),
      recipient: request.observer.email.toLowerCase(),
      validUntil: linkValidUntil(request.deadline, deps.linkGraceDays),
    },
    linkId,
    deps.clock.now().toString(),
  );
  const reissued = { ...request, linkId, linkHash: hash };
  await deps.mailer.send(requestEmail(deps, reissued, formTitle(request.formId)));
  return reissued;
}

/** The student cannot withdraw this request (submitted, or asked by the calendar): a Dutch 409. */
export class NotWithdrawableError extends DomainError {
  constructor(message: string) {
    super(message, 409);
  }
}

/** Why the student cannot withdraw a request now; undefined when they can (or it is already withdrawn). */
export function withdrawRefusal(request: Pick<RequestRecord, 'state' | 'origin'>): string | undefined {
  if (request.state === 'ingediend') return 'Deze aanvraag kan niet meer worden ingetrokken: het formulier is al ingediend.';
  if (request.origin !== 'student') return 'Deze aanvraag is automatisch voor deze periode aangemaakt en kan niet worden ingetrokken. Klopt de aanvraag niet? Neem dan contact op met je instituutsopleider.';
  return undefined;
}

/** Whether the student page offers "Intrekken" for a request. */
export function isWithdrawable(request: Pick<RequestRecord, 'state' | 'origin'>): boolean {
  return (WITHDRAWABLE_STATES as readonly string[]).includes(request.state) && withdrawRefusal(request) === undefined;
}

/**
 * The student withdraws a request they asked for by mistake, while nothing has been submitted:
 * one conditional write makes it `ingetrokken` and revokes its link (see `RequestStore.withdraw`),
 * then the observer is told by email. A replay (already withdrawn) changes and sends nothing and
 * answers `withdrawn: false`; a request submitted meanwhile is a NotWithdrawableError (409).
 */
export async function withdrawRequest(
  deps: RequestDeps,
  request: RequestRecord,
  formTitle: FormTitle,
): Promise<{ request: RequestRecord; withdrawn: boolean }> {
  let current = request;
  // A staff member may give the request a new link between our read and write: read again, retry.
  for (let attempt = 1; ; attempt++) {
    if (current.state === 'ingetrokken') return { request: current, withdrawn: false };
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
    await deps.mailer.send(withdrawnEmail(current, formTitle(current.formId)));
  } catch (error) {
    // The withdrawal is stored and the link answers 410 with its reason; a failed email must not undo that.
    console.error(JSON.stringify({ level: 'error', msg: 'withdrawal email failed', requestId: current.requestId, error: String((error as Error).name) }));
  }
  return { request: current, withdrawn: true };
}

/** The email that tells an observer a request was withdrawn and their link no longer opens. */
export function withdrawnEmail(request: RequestRecord, title: string) {
  const lesson = request.lessonDate ? ` voor de les van ${formatDutchDate(request.lessonDate)}${request.className ? ` in klas ${request.className}` : ''}` : '';
  return renderEmail({
    to: request.observer.email,
    subject: `Ingetrokken: ${title} voor ${request.student.name}`,
    greeting: `Beste ${request.observer.name},`,
    paragraphs: [
      `${request.student.name} heeft de aanvraag ingetrokken: u hoeft ${formReference(request.formId)}${lesson} niet in te vullen.`,
      request.latestVersion > 0
        ? 'De link uit de eerdere e-mail werkt niet meer. Uw opgeslagen concept wordt niet ingediend.'
        : 'De link uit de eerdere e-mail werkt niet meer.',
      `Was dit niet de bedoeling? Neem dan contact op met ${request.student.name}; bij een nieuwe aanvraag krijgt u een nieuwe link.`,
    ],
    footer: `U krijgt deze e-mail als ${OBSERVER_LABELS[request.observerRole]} van ${request.student.name} (${request.vak}, ${request.school}) bij werkplekleren N2 van Hogeschool Rotterdam.`,
  });
}
