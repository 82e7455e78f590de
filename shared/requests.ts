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
import { DomainError, ValidationError } from './errors.ts';
import { hashToken, newLinkId, tokenFor, type LinkItem } from './links.ts';
import type { Mailer } from './mail/mailer.ts';
import { renderEmail } from './mail/templates.ts';
import type { Placement } from './roster/placement.ts';
import type { ObserverRole, RequestRecord, RequestStore } from './store/requests.ts';
import { RequestExistsError, requestKeys } from './store/requests.ts';

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
  throw new ValidationError('Er is geen lopende of komende onderwijsperiode bekend; een aanvraag kan nu niet.');
}

/** Whether a request's form can still be changed (until the end of its deadline day). */
export function isEditable(request: Pick<RequestRecord, 'schoolYear' | 'deadline'>, now: Temporal.Instant): boolean {
  return Temporal.Instant.compare(now, deadlineInstant({ deadline: request.deadline })) < 0;
}

/** Until when a request's link opens: the deadline plus the grace. */
export function linkValidUntil(deadline: string, graceDays: number): string {
  return deadlineInstant({ deadline }).add({ hours: 24 * graceDays }).toString();
}

/** The observer's link of a request. */
export function formUrl(deps: Pick<RequestDeps, 'linkSecret' | 'publicOrigin'>, linkId: string): string {
  return `${deps.publicOrigin}/f/${tokenFor(deps.linkSecret, linkId)}`;
}

/** The student's own page link. */
export function studentUrl(deps: Pick<RequestDeps, 'linkSecret' | 'publicOrigin'>, linkId: string): string {
  return `${deps.publicOrigin}/s/${tokenFor(deps.linkSecret, linkId)}`;
}

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
    throw new ValidationError(`Je plaatsing hoort bij schooljaar ${placement.schoolYear}; de komende periode valt in ${year.id}.`);
  }
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
      ? [`${request.student.name} vraagt u de ${title.toLowerCase()} in te vullen over de les${lesson}${request.className ? ` in klas ${request.className}` : ''}.`]
      : [`In ${periodLabel({ number: request.period })} vragen we u de ${title.toLowerCase()} in te vullen voor ${request.student.name}.`];
  if (options.reminder) {
    paragraphs.unshift(
      request.state === 'concept'
        ? 'Een herinnering: dit formulier is nog niet ingediend. Uw concept is bewaard; met dezelfde link gaat u verder waar u was gebleven.'
        : 'Een herinnering: dit formulier staat nog voor u open.',
    );
  }
  if (request.question) paragraphs.push(`Vraag van de student: ${request.question}`);
  paragraphs.push(
    `U kunt een concept opslaan en later verdergaan. Invullen kan tot en met ${formatDutchDate(request.deadline)}. U heeft geen account nodig: de knop hieronder is uw persoonlijke link; stuur deze niet door.`,
  );
  return renderEmail({
    to: request.observer.email,
    subject: `${options.reminder ? 'Herinnering: ' : ''}${title} voor ${request.student.name}`,
    greeting: `Beste ${request.observer.name},`,
    paragraphs,
    action: { label: 'Formulier openen', url: formUrl(deps, request.linkId) },
    footer: `U krijgt deze e-mail als ${OBSERVER_LABELS[request.observerRole]} van ${request.student.name} (${request.vak}, ${request.school}) in het werkplekleren N2 van Hogeschool Rotterdam. Vragen? Neem contact op met de schoolopleider van uw school.`,
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
