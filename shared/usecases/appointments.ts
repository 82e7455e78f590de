import { Temporal } from 'temporal-polyfill';
import * as z from 'zod';
import { formatDutchDate, type SchoolYear } from '../calendar.ts';
import { dutchList } from '../dutch.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import { hashToken, newLink, tokenFor } from '../links.ts';
import { logger } from '../log.ts';
import { cancellationEmail, invitationEmail } from '../mail/appointment-emails.ts';
import type { EmailMessage } from '../mail/mailer.ts';
import {
  appointmentStart,
  appointmentTitle,
  appointmentViews,
  hasEnded,
  inSchoolYear,
  isOpenRequest,
  periodOfDate,
  requestPeriodFor,
  timesOverlap,
  WALL_TIME,
  whenText,
  type AppointmentView,
  type ParticipantView,
} from '../model/appointment-rules.ts';
import {
  AppointmentConflictError,
  AppointmentStateError,
  invited,
  PARTICIPANT_ROLES,
  TALK_TYPES,
  type AppointmentKind,
  type AppointmentRecord,
  type Participant,
  type ParticipantRole,
} from '../model/appointments.ts';
import { linkActor } from '../model/audit.ts';
import { kijkwijzerForms, linkValidUntil, newRequestId } from '../model/request-rules.ts';
import type { RequestRecord } from '../model/requests.ts';
import type { Placement } from '../roster/placement.ts';
import type { AppointmentStore } from '../store/appointments.ts';
import { linkOwnerKeys } from '../store/keys.ts';
import { safeLine } from '../text.ts';
import { recordAudit } from './audit.ts';
import { newFormLink, openStudentLink, studentPage, type StudentPageData, type StudentPageDeps, type StudentPlacement } from './observation.ts';

/**
 * The student plans, moves and cancels lesbezoeken and driehoeksgesprekken from their page
 * (docs/workflow.md, "Appointments"), always by their own page link. Every change is one
 * transaction (shared/store/appointments.ts) and then one email per participant concerned, with
 * the calendar invitation: `METHOD:REQUEST` when planned or moved, `METHOD:CANCEL` when cancelled.
 * An email that fails is logged and never undoes the stored change.
 */

/** What planning, moving and cancelling need: the student's page and the appointment store. */
export type AppointmentDeps = StudentPageDeps & { appointments: AppointmentStore };

/** A posted form's fields: one value each, a checkbox group as a list. */
export type PostedFields = Readonly<Record<string, string | readonly string[] | undefined>>;

/** The Dutch message of each field that is not right, by field name. */
export type FieldErrors = Partial<Record<string, string>>;

/** A plan or move form shown again: what was posted, what is wrong, and the warnings to confirm. */
export interface FormState {
  values: PostedFields;
  errors: FieldErrors;
  /** Not refusals: the page shows them with "Toch plannen" (or "Toch verplaatsen"), which posts `bevestigd=ja`. */
  warnings: string[];
}

/** The student's page with a plan form shown again. */
export interface PlanningState extends FormState {
  kind: AppointmentKind;
}

/** The outcome of planning: planned, the page with what is wrong (400), or the page with warnings to confirm (200). */
export type PlanResult =
  | { kind: 'planned'; appointment: AppointmentRecord }
  | { kind: 'invalid' | 'warning'; page: StudentPageData; planning: PlanningState };

/** One participant on the appointment's page. */
export interface ParticipantRow extends ParticipantView {
  /** The kijkwijzer's Dutch title (a lesbezoek). */
  formTitle?: string;
  /** Why this part cannot be cancelled; absent when it can (or it is cancelled already). */
  cancelRefusal?: string;
}

/** Everything the appointment's page shows to the student. */
export interface AppointmentPageData {
  placement: Placement;
  year: SchoolYear;
  appointment: AppointmentRecord;
  view: AppointmentView;
  participants: ParticipantRow[];
  /** Why it cannot be moved; absent when it can. */
  moveRefusal?: string;
  /** Why it cannot be cancelled as a whole; absent when it can. */
  cancelRefusal?: string;
}

/** The outcome of moving: moved (or nothing to change), or the page with what is wrong (400) or warnings to confirm (200). */
export type MoveResult = { kind: 'moved'; changed: boolean } | { kind: 'invalid' | 'warning'; page: AppointmentPageData; move: FormState };

/** The outcome of cancelling: what to confirm first, or done (`changed` false for a replay). */
export type CancelResult =
  | { kind: 'confirm'; page: AppointmentPageData; role?: ParticipantRole }
  | { kind: 'cancelled'; changed: boolean; role?: ParticipantRole; whole: boolean };

const NOT_FOUND = 'Deze afspraak bestaat niet.';

/** The last value of a field (a field sent twice keeps its last value, as elsewhere); a list field as its values. */
const one = (value: string | readonly string[] | undefined): string | undefined => (typeof value === 'string' ? value : value?.at(-1));
const many = (value: string | readonly string[] | undefined): string[] => (value === undefined ? [] : typeof value === 'string' ? [value] : [...value]);

/**
 * The id a plan form carries (`planId`, fresh on every page; views/student-appointments.tsx): it
 * becomes the appointment's id, so a double click or a replay of the same form plans once. A post
 * without one (an older page) gets a new id.
 */
const PlanId = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/);

function planIdOf(fields: PostedFields, now: Temporal.Instant): string {
  const posted = PlanId.safeParse(one(fields.planId));
  return posted.success ? posted.data : newRequestId(now);
}

/** The appointment an earlier post of the same plan form made, if any (a replay: nothing to plan or send). */
function plannedBefore(opened: StudentPlacement, fields: PostedFields): AppointmentRecord | undefined {
  const posted = PlanId.safeParse(one(fields.planId));
  return posted.success ? opened.appointments.find((a) => a.appointmentId === posted.data) : undefined;
}

/**
 * Stores a new appointment; when a post of the same plan form stored it first (two clicks at
 * once), that one is the outcome and nothing more is sent. Undefined when this call stored it.
 */
async function createOnce(deps: AppointmentDeps, appointment: AppointmentRecord, parts: Parameters<AppointmentStore['create']>[1]): Promise<AppointmentRecord | undefined> {
  try {
    await deps.appointments.create(appointment, parts);
    return undefined;
  } catch (error) {
    if (!(error instanceof AppointmentConflictError)) throw error;
    const first = await deps.appointments.get(appointment.schoolYear, appointment.studentNumber, appointment.appointmentId);
    if (!first) throw error;
    return first;
  }
}

const RealDate = z
  .string({ message: 'Vul een datum in.' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Vul een geldige datum in (dag, maand en jaar).')
  .refine((value) => {
    try {
      Temporal.PlainDate.from(value, { overflow: 'reject' });
      return true;
    } catch {
      return false;
    }
  }, 'Vul een geldige datum in (dag, maand en jaar).');

const WallTime = (what: string) => z.string({ message: `Vul ${what} in.` }).regex(WALL_TIME, `Vul ${what} in als uu:mm, bijvoorbeeld 09:30.`);

/** When: the date and times every form posts, each with a Dutch message. */
const When = z.object({ date: RealDate, start: WallTime('de begintijd'), end: WallTime('de eindtijd') });

const ClassName = safeLine(z.string().trim().max(40, 'De klas mag hoogstens 40 tekens lang zijn.'), 'De klas');
const Location = safeLine(z.string().trim().max(100, 'De plek mag hoogstens 100 tekens lang zijn.'), 'De plek');

/** A checked date and times, with the period they go into; or the messages per field. */
type CheckedWhen = { date: string; start: string; end: string; period: number; requestPeriod?: { number: number; deadline: string } };

/**
 * Checks the date and times against the rules: a real date and HH:MM times, the start before the
 * end, the date in the placement's school year and in or before one of its periods; a lesbezoek
 * also needs a period whose deadline lies on or after the lesson and has not passed (its
 * kijkwijzers go there). Adds messages to `errors`.
 */
function checkWhen(fields: PostedFields, year: SchoolYear, kind: AppointmentKind, now: Temporal.Instant, errors: FieldErrors): CheckedWhen | undefined {
  const parsed = When.safeParse({ date: one(fields.date), start: one(fields.start), end: one(fields.end) });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
    return undefined;
  }
  const { date, start, end } = parsed.data;
  if (start >= end) {
    errors.end = `De eindtijd (${end}) ligt niet na de begintijd (${start}).`;
    return undefined;
  }
  if (!inSchoolYear(date, year)) {
    errors.date = `De datum ligt buiten schooljaar ${year.id}, dat loopt van ${formatDutchDate(year.start)} tot en met ${formatDutchDate(year.end)}. Kies een datum in dit schooljaar.`;
    return undefined;
  }
  const period = periodOfDate(date, year);
  if (!period) {
    errors.date = `De datum ligt na de laatste onderwijsperiode van schooljaar ${year.id}: er is geen periode meer om de afspraak onder te brengen. Kies een datum uiterlijk op ${formatDutchDate(year.periods.at(-1)?.end ?? year.end)}.`;
    return undefined;
  }
  if (kind === 'gesprek') return { date, start, end, period: period.number };
  const requestPeriod = requestPeriodFor(date, year, now);
  if (!requestPeriod) {
    errors.date = `Voor een lesbezoek op deze datum kan geen kijkwijzer meer worden ingevuld: de laatste deadline van schooljaar ${year.id} is dan voorbij. Kies een eerdere datum.`;
    return undefined;
  }
  return { date, start, end, period: period.number, requestPeriod: { number: requestPeriod.number, deadline: requestPeriod.deadline } };
}

/**
 * The warnings of a planned time, which the student may confirm ("Toch plannen"): it lies in the
 * past, or it overlaps another planned appointment of the student (every appointment is the
 * student's), naming the participants the two share.
 */
function warningsFor(
  appointments: readonly AppointmentRecord[],
  candidate: { date: string; start: string; end: string; roles: readonly ParticipantRole[]; appointmentId?: string },
  placement: Placement,
  now: Temporal.Instant,
): string[] {
  const warnings: string[] = [];
  if (Temporal.Instant.compare(appointmentStart(candidate), now) < 0) warnings.push(`Dit tijdstip ligt in het verleden: ${whenText(candidate)}.`);
  for (const other of appointments) {
    if (other.appointmentId === candidate.appointmentId || other.state !== 'gepland' || !timesOverlap(candidate, other)) continue;
    const shared = invited(other).filter((p) => candidate.roles.includes(p.role));
    const names = shared.map((p) => `${placement[p.role].name} (${p.role.toUpperCase()})`);
    warnings.push(
      `Op dat moment heb je al een afspraak: ${appointmentTitle(other).toLowerCase()} op ${whenText(other)}${names.length > 0 ? `, ook met ${dutchList(names)}` : ''}.`,
    );
  }
  return warnings;
}

/** The roles of a checkbox group: each must be one of `offered`, else a message. */
function rolesOf(values: readonly string[], offered: readonly ParticipantRole[]): { roles: ParticipantRole[]; forged: boolean } {
  const forged = values.some((value) => !(offered as readonly string[]).includes(value));
  return { roles: offered.filter((role) => values.includes(role)), forged };
}

/** Sends one email, logging a failure: the stored change stands (as a withdrawal's email does). */
async function sendLogged(deps: Pick<AppointmentDeps, 'mailer'>, message: EmailMessage, appointment: AppointmentRecord, role: ParticipantRole): Promise<boolean> {
  try {
    await deps.mailer.send(message);
    return true;
  } catch (error) {
    logger.error('appointment email failed', { appointmentId: appointment.appointmentId, role, method: message.calendar?.method, error: String((error as Error | undefined)?.name) });
    return false;
  }
}

/** The page again with a plan form: the values, the messages, the warnings. */
function planPage(deps: AppointmentDeps, opened: StudentPlacement, planning: PlanningState, kind: 'invalid' | 'warning'): PlanResult {
  return { kind, page: studentPage(deps, opened), planning };
}

/**
 * The student plans a lesbezoek: a date and times in their school year, a class, and one or more
 * observers of their placement (WPB, SO, IO), each with a kijkwijzer of the year. A field that is
 * not right (or a forged role or form) gives the page again with a message per field (400); a
 * past time or an overlap gives it with warnings (200) until `bevestigd=ja` confirms them.
 * Planned: one transaction stores the appointment and each observer's request with its form link
 * (into the period whose deadline is on or after the lesson); each observer gets one email with
 * their form link and the calendar invitation. Another post of the same form (its `planId`: a
 * double click, a replay) plans and sends nothing and answers with the appointment planned first.
 */
export async function planLesbezoek(deps: AppointmentDeps, input: { token: string; fields: PostedFields }): Promise<PlanResult> {
  const opened = await openStudentLink(deps, input.token);
  const { placement, year } = opened;
  const now = deps.clock.now();
  const fields = input.fields;
  const replayed = plannedBefore(opened, fields);
  if (replayed) return { kind: 'planned', appointment: replayed };
  const errors: FieldErrors = {};
  const when = checkWhen(fields, year, 'lesbezoek', now, errors);
  const className = ClassName.safeParse(one(fields.className) ?? '');
  if (!className.success) errors.className = className.error.issues[0]?.message;
  const { roles, forged } = rolesOf(many(fields.observers), PARTICIPANT_ROLES);
  if (forged) errors.observers = 'Kies de observatoren uit de lijst: de werkplekbegeleider, de schoolopleider en/of de instituutsopleider.';
  else if (roles.length === 0) errors.observers = 'Kies wie de les observeert: de werkplekbegeleider, de schoolopleider en/of de instituutsopleider.';
  const forms = kijkwijzerForms(year);
  const formOf: Partial<Record<ParticipantRole, string>> = {};
  for (const role of roles) {
    const formId = one(fields[`formId-${role}`]);
    if (!formId || !forms.includes(formId)) errors[`formId-${role}`] = `Kies een kijkwijzer uit de lijst voor ${placement[role].name}.`;
    else formOf[role] = formId;
  }
  const planning = (warnings: string[] = []): PlanningState => ({ kind: 'lesbezoek', values: fields, errors, warnings });
  if (!when || !when.requestPeriod || Object.keys(errors).length > 0) return planPage(deps, opened, planning(), 'invalid');
  const warnings = one(fields.bevestigd) === 'ja' ? [] : warningsFor(opened.appointments, { ...when, roles }, placement, now);
  if (warnings.length > 0) return planPage(deps, opened, planning(warnings), 'warning');

  const at = now.toString();
  const appointmentId = planIdOf(fields, now);
  const { requestPeriod } = when;
  const parts = roles.map((role) => {
    const person = { name: placement[role].name, email: placement[role].email };
    const requestId = newRequestId(now);
    const formId = formOf[role]!;
    const { linkId, link } = newFormLink(deps, { ...placement, requestId, deadline: requestPeriod.deadline }, person.email.toLowerCase());
    const request: RequestRecord = {
      schoolYear: placement.schoolYear,
      studentNumber: placement.studentNumber,
      requestId,
      formId,
      observerRole: role,
      observer: person,
      lessonDate: when.date,
      ...(className.data ? { className: className.data } : {}),
      period: requestPeriod.number,
      deadline: requestPeriod.deadline,
      state: 'gevraagd',
      latestVersion: 0,
      linkId,
      linkHash: link.hash,
      createdAt: at,
      origin: 'student',
      appointmentId,
      student: placement.student,
      school: placement.school,
      vak: placement.vak,
    };
    const participant: Participant = { role, person, state: 'uitgenodigd', formId, requestId };
    return { request, link, participant };
  });
  const appointment: AppointmentRecord = {
    ...base(placement, appointmentId, at),
    kind: 'lesbezoek',
    date: when.date,
    start: when.start,
    end: when.end,
    period: when.period,
    ...(className.data ? { className: className.data } : {}),
    participants: parts.map((part) => part.participant),
  };
  const first = await createOnce(deps, appointment, { requests: parts });
  if (first) return { kind: 'planned', appointment: first };
  for (const { participant, request } of parts) {
    await sendLogged(deps, await invitationEmail(deps, { appointment, participant, request, now, change: 'gepland' }), appointment, participant.role);
  }
  await audit(deps, appointment, 'afspraak gepland', `${appointmentTitle(appointment)} op ${whenText(appointment)}; uitgenodigd: ${names(appointment.participants)}`);
  return { kind: 'planned', appointment };
}

/** The roles a driehoeksgesprek may have besides the IO, who is always there. */
const TALK_PARTNERS: readonly ParticipantRole[] = ['wpb', 'so'];

/**
 * The student plans a driehoeksgesprek: its type (kennismaking, tussentijds, OP4, eind), a date
 * and times in their school year, optionally a place, with the WPB and/or the SO of their
 * placement and always their IO. As {@link planLesbezoek}: messages per field (400), warnings to
 * confirm (200). Planned: one transaction stores the appointment and each participant's
 * appointment link (`/a/<token>`, open until the end of the school year plus the grace days);
 * each participant gets one email with that link and the calendar invitation. A replay of the
 * same form plans and sends nothing, as for a lesbezoek.
 */
export async function planGesprek(deps: AppointmentDeps, input: { token: string; fields: PostedFields }): Promise<PlanResult> {
  const opened = await openStudentLink(deps, input.token);
  const { placement, year } = opened;
  const now = deps.clock.now();
  const fields = input.fields;
  const replayed = plannedBefore(opened, fields);
  if (replayed) return { kind: 'planned', appointment: replayed };
  const errors: FieldErrors = {};
  const talkType = z.enum(TALK_TYPES).safeParse(one(fields.talkType));
  if (!talkType.success) errors.talkType = 'Kies welk gesprek het is: kennismaking, tussentijds, OP4 of eindgesprek.';
  const when = checkWhen(fields, year, 'gesprek', now, errors);
  const location = Location.safeParse(one(fields.location) ?? '');
  if (!location.success) errors.location = location.error.issues[0]?.message;
  // The IO is always there; a posted `io` is accepted as the page's own checked box.
  const { roles: partners, forged } = rolesOf(many(fields.participants), PARTICIPANT_ROLES);
  if (forged) errors.participants = 'Kies de deelnemers uit de lijst: de werkplekbegeleider en/of de schoolopleider.';
  else if (!partners.some((role) => TALK_PARTNERS.includes(role))) errors.participants = 'Kies wie er naast de instituutsopleider bij is: de werkplekbegeleider en/of de schoolopleider.';
  const planning = (warnings: string[] = []): PlanningState => ({ kind: 'gesprek', values: fields, errors, warnings });
  if (!when || !talkType.success || Object.keys(errors).length > 0) return planPage(deps, opened, planning(), 'invalid');
  const roles = PARTICIPANT_ROLES.filter((role) => role === 'io' || partners.includes(role));
  const warnings = one(fields.bevestigd) === 'ja' ? [] : warningsFor(opened.appointments, { ...when, roles }, placement, now);
  if (warnings.length > 0) return planPage(deps, opened, planning(warnings), 'warning');

  const at = now.toString();
  const appointmentId = planIdOf(fields, now);
  const validUntil = linkValidUntil(year.end, deps.linkGraceDays);
  const parts = roles.map((role) => {
    const person = { name: placement[role].name, email: placement[role].email };
    const { linkId, link } = newLink(deps.linkSecret, {
      purpose: 'appointment',
      ...linkOwnerKeys.appointment(placement.schoolYear, placement.studentNumber, appointmentId),
      recipient: person.email.toLowerCase(),
      validUntil,
    });
    const participant: Participant = { role, person, state: 'uitgenodigd', linkId, linkHash: link.hash };
    return { link, participant };
  });
  const appointment: AppointmentRecord = {
    ...base(placement, appointmentId, at),
    kind: 'gesprek',
    talkType: talkType.data,
    date: when.date,
    start: when.start,
    end: when.end,
    period: when.period,
    ...(location.data ? { location: location.data } : {}),
    participants: parts.map((part) => part.participant),
  };
  const first = await createOnce(deps, appointment, { links: parts.map((part) => part.link) });
  if (first) return { kind: 'planned', appointment: first };
  for (const { participant } of parts) {
    await sendLogged(deps, await invitationEmail(deps, { appointment, participant, now, change: 'gepland' }), appointment, participant.role);
  }
  await audit(deps, appointment, 'afspraak gepland', `${appointmentTitle(appointment)} op ${whenText(appointment)}; uitgenodigd: ${names(appointment.participants)}`);
  return { kind: 'planned', appointment };
}

/** The fields every new appointment starts with. */
function base(placement: Placement, appointmentId: string, at: string) {
  return {
    schoolYear: placement.schoolYear,
    studentNumber: placement.studentNumber,
    appointmentId,
    state: 'gepland' as const,
    sequence: 0,
    rev: 0,
    createdAt: at,
    updatedAt: at,
    student: placement.student,
    school: placement.school,
    vak: placement.vak,
  };
}

const names = (participants: readonly Participant[]) => participants.map((p) => `${p.person.name} (${p.role.toUpperCase()})`).join(', ');

async function audit(deps: AppointmentDeps, appointment: AppointmentRecord, action: 'afspraak gepland' | 'afspraak verplaatst' | 'afspraak geannuleerd', detail: string) {
  await recordAudit(deps, appointment, { actor: linkActor('student'), action, detail: `${detail} (afspraak ${appointment.appointmentId})` });
}

/** The student's appointment `appointmentId`, or a Dutch 404 (another placement's id finds nothing). */
function appointmentOf(opened: StudentPlacement, appointmentId: string): AppointmentRecord {
  const appointment = opened.appointments.find((a) => a.appointmentId === appointmentId);
  if (!appointment) throw new NotFoundError(NOT_FOUND);
  return appointment;
}

/** The request of a lesbezoek participant, as read with the placement. */
function requestOf(opened: StudentPlacement, participant: Participant): RequestRecord | undefined {
  return participant.requestId ? opened.requests.find((r) => r.requestId === participant.requestId) : undefined;
}

/**
 * The appointment with each invited lesbezoek observer as their kijkwijzer's request names them
 * now. Staff may have given an open request to a new WPB ("WPB vervangen": a new observer and a
 * new form link); the move's invitation, with that link, and the cancellation go to the new WPB,
 * never to the one who was planned, and the stored appointment names the new WPB from then on.
 */
function withCurrentObservers(appointment: AppointmentRecord, opened: StudentPlacement): AppointmentRecord {
  if (appointment.kind !== 'lesbezoek') return appointment;
  let changed = false;
  const participants = appointment.participants.map((participant): Participant => {
    const observer = participant.state === 'uitgenodigd' ? requestOf(opened, participant)?.observer : undefined;
    if (!observer || (observer.email === participant.person.email && observer.name === participant.person.name)) return participant;
    changed = true;
    return { ...participant, person: { name: observer.name, email: observer.email } };
  });
  return changed ? { ...appointment, participants } : appointment;
}

/** Why the appointment cannot be moved at `now`; undefined when it can. */
export function moveRefusal(appointment: AppointmentRecord, requests: readonly RequestRecord[], now: Temporal.Instant): string | undefined {
  if (appointment.state === 'geannuleerd') return 'Deze afspraak is geannuleerd en kan niet meer worden verplaatst.';
  if (hasEnded(appointment, now)) return 'Deze afspraak is al geweest en kan niet meer worden verplaatst.';
  const submitted = submittedParts(appointment, requests, invited(appointment));
  if (submitted.length > 0) return `Deze afspraak kan niet meer worden verplaatst: de kijkwijzer van ${dutchList(submitted.map((p) => p.person.name))} is al ingediend.`;
  return undefined;
}

/** Why `parts` (the whole appointment when absent) cannot be cancelled at `now`; undefined when they can. */
export function cancelRefusal(appointment: AppointmentRecord, requests: readonly RequestRecord[], now: Temporal.Instant, parts?: readonly Participant[]): string | undefined {
  if (appointment.state === 'geannuleerd') return undefined;
  if (hasEnded(appointment, now)) return 'Deze afspraak is al geweest en kan niet meer worden geannuleerd.';
  const submitted = submittedParts(appointment, requests, parts ?? invited(appointment));
  if (submitted.length > 0) {
    return `Dit kan niet meer worden geannuleerd: de kijkwijzer van ${dutchList(submitted.map((p) => p.person.name))} is al ingediend.`;
  }
  return undefined;
}

/**
 * Why one participant's part cannot be cancelled on its own, by the seeds' rule for a
 * driehoeksgesprek (the IO, and the WPB or the SO): the IO, or the last of the WPB and the SO, is
 * only cancelled with the whole gesprek. Undefined when the part can go (or for a lesbezoek).
 */
export function partRefusal(appointment: AppointmentRecord, participant: Participant): string | undefined {
  if (appointment.kind !== 'gesprek') return undefined;
  if (participant.role === 'io') return 'De instituutsopleider is bij elk driehoeksgesprek. Gaat het gesprek niet door, annuleer dan het hele gesprek.';
  const partners = invited(appointment).filter((p) => p.role !== 'io' && p.role !== participant.role);
  if (partners.length === 0) return 'Bij een driehoeksgesprek is de werkplekbegeleider of de schoolopleider nodig. Gaat het gesprek niet door, annuleer dan het hele gesprek.';
  return undefined;
}

/** The participants among `parts` whose kijkwijzer was submitted. */
function submittedParts(appointment: AppointmentRecord, requests: readonly RequestRecord[], parts: readonly Participant[]): Participant[] {
  return parts.filter((p) => p.requestId && requests.some((r) => r.requestId === p.requestId && r.state === 'ingediend' && r.appointmentId === appointment.appointmentId));
}

/** The appointment's page data over an opened placement. */
function appointmentPage(deps: AppointmentDeps, opened: StudentPlacement, appointment: AppointmentRecord): AppointmentPageData {
  const now = deps.clock.now();
  const [view] = appointmentViews([appointment], opened.requests, now);
  const participants = view!.participants.map((row): ParticipantRow => {
    const refusal =
      row.participant.state === 'uitgenodigd' ? (cancelRefusal(appointment, opened.requests, now, [row.participant]) ?? partRefusal(appointment, row.participant)) : undefined;
    return { ...row, ...(row.participant.formId ? { formTitle: deps.forms.title(row.participant.formId) } : {}), ...(refusal ? { cancelRefusal: refusal } : {}) };
  });
  const move = moveRefusal(appointment, opened.requests, now);
  const cancel = cancelRefusal(appointment, opened.requests, now);
  return {
    placement: opened.placement,
    year: opened.year,
    appointment,
    view: view!,
    participants,
    ...(move ? { moveRefusal: move } : {}),
    ...(cancel ? { cancelRefusal: cancel } : {}),
  };
}

/** The student's appointment page (details, participants and their forms, move and cancel), opened by their link. */
export async function openStudentAppointment(deps: AppointmentDeps, input: { token: string; appointmentId: string }): Promise<AppointmentPageData> {
  const opened = await openStudentLink(deps, input.token);
  return appointmentPage(deps, opened, appointmentOf(opened, input.appointmentId));
}

/**
 * The student moves an appointment to another date or time. Refused (409) when it was cancelled,
 * has been held (its end passed) or a kijkwijzer of it was submitted. The new time is checked as
 * when planning (messages per field, 400; warnings to confirm, 200). Moved: the appointment (its
 * period, a raised sequence) and each open kijkwijzer (lesson date, period, deadline, its link's
 * end) in one transaction, and every invited participant gets the update (`METHOD:REQUEST`). The
 * same date and times again (a replay, or a second click that lost the race) change and send nothing.
 */
export async function moveAppointment(deps: AppointmentDeps, input: { token: string; appointmentId: string; fields: PostedFields }): Promise<MoveResult> {
  const opened = await openStudentLink(deps, input.token);
  const current = withCurrentObservers(appointmentOf(opened, input.appointmentId), opened);
  const now = deps.clock.now();
  const refusal = moveRefusal(current, opened.requests, now);
  if (refusal) throw new AppointmentStateError(refusal);
  const errors: FieldErrors = {};
  const when = checkWhen(input.fields, opened.year, current.kind, now, errors);
  if (!when) return { kind: 'invalid', page: appointmentPage(deps, opened, current), move: { values: input.fields, errors, warnings: [] } };
  if (when.date === current.date && when.start === current.start && when.end === current.end) return { kind: 'moved', changed: false };
  const stillInvited = invited(current);
  const warnings =
    one(input.fields.bevestigd) === 'ja'
      ? []
      : warningsFor(opened.appointments, { ...when, roles: stillInvited.map((p) => p.role), appointmentId: current.appointmentId }, opened.placement, now);
  if (warnings.length > 0) return { kind: 'warning', page: appointmentPage(deps, opened, current), move: { values: input.fields, errors, warnings } };

  const at = now.toString();
  const next: AppointmentRecord = { ...current, date: when.date, start: when.start, end: when.end, period: when.period, sequence: current.sequence + 1, rev: current.rev + 1, updatedAt: at };
  const moves = stillInvited.flatMap((participant) => {
    const request = requestOf(opened, participant);
    if (!request || !isOpenRequest(request) || !when.requestPeriod) return [];
    const { number, deadline } = when.requestPeriod;
    return [{ participant, request, lessonDate: when.date, period: number, deadline, linkValidUntil: linkValidUntil(deadline, deps.linkGraceDays) }];
  });
  try {
    await deps.appointments.move(next, moves);
  } catch (error) {
    // A double click: the other click made this very move first. Anything else stands.
    if (!(error instanceof AppointmentConflictError)) throw error;
    const reread = await deps.appointments.get(current.schoolYear, current.studentNumber, current.appointmentId);
    if (reread?.state === 'gepland' && reread.date === next.date && reread.start === next.start && reread.end === next.end) return { kind: 'moved', changed: false };
    throw error;
  }
  for (const participant of stillInvited) {
    const moved = moves.find((m) => m.participant.role === participant.role);
    const request = moved ? { ...moved.request, lessonDate: moved.lessonDate, period: moved.period, deadline: moved.deadline } : requestOf(opened, participant);
    await sendLogged(deps, await invitationEmail(deps, { appointment: next, participant, ...(request ? { request } : {}), now, change: 'verplaatst' }), next, participant.role);
  }
  await audit(deps, next, 'afspraak verplaatst', `${appointmentTitle(next)} van ${whenText(current)} naar ${whenText(next)}`);
  return { kind: 'moved', changed: true };
}

/**
 * The student cancels an appointment, or one participant's part (`role`). Unconfirmed, this only
 * asks what would be cancelled. Refused (409) once it was held, or for a part whose kijkwijzer was
 * submitted (the whole: any part's). Cancelled: the parts `geannuleerd` (the appointment too when
 * no one is left), their open kijkwijzers withdrawn and links revoked, a gesprek participant's
 * link revoked, the sequence raised, in one transaction; each removed participant gets
 * `METHOD:CANCEL`. A replay (already cancelled) changes and sends nothing; a role that is not on
 * the appointment is a 400; another placement's appointment id is a 404.
 */
export async function cancelAppointment(
  deps: AppointmentDeps,
  input: { token: string; appointmentId: string; role?: string | undefined; confirmed: boolean },
): Promise<CancelResult> {
  const opened = await openStudentLink(deps, input.token);
  const current = withCurrentObservers(appointmentOf(opened, input.appointmentId), opened);
  const wholeAsked = !input.role;
  const part = input.role ? current.participants.find((p) => p.role === input.role) : undefined;
  if (input.role && !part) throw new ValidationError('Deze deelnemer hoort niet bij deze afspraak.');
  const role = part?.role;
  const roleField = role ? { role } : {};
  if (current.state === 'geannuleerd' || part?.state === 'geannuleerd') return { kind: 'cancelled', changed: false, whole: current.state === 'geannuleerd', ...roleField };
  const now = deps.clock.now();
  const affected = part ? [part] : invited(current);
  const refusal = cancelRefusal(current, opened.requests, now, affected) ?? (part ? partRefusal(current, part) : undefined);
  if (refusal) throw new AppointmentStateError(refusal);
  if (!input.confirmed) return { kind: 'confirm', page: appointmentPage(deps, opened, current), ...roleField };

  const at = now.toString();
  const cancelledRoles = new Set(affected.map((p) => p.role));
  const participants = current.participants.map((p): Participant => (cancelledRoles.has(p.role) ? { ...p, state: 'geannuleerd', cancelledAt: at } : p));
  const nobodyLeft = participants.every((p) => p.state === 'geannuleerd');
  const next: AppointmentRecord = {
    ...current,
    participants,
    ...(nobodyLeft ? { state: 'geannuleerd' as const, cancelledAt: at } : {}),
    sequence: current.sequence + 1,
    rev: current.rev + 1,
    updatedAt: at,
  };
  const withdrawals = affected.flatMap((p) => {
    const request = requestOf(opened, p);
    return request && isOpenRequest(request) ? [request] : [];
  });
  const revoked = affected.flatMap((p) => (p.linkId ? [hashToken(tokenFor(deps.linkSecret, p.linkId))] : []));
  try {
    await deps.appointments.cancel(next, withdrawals, revoked, at);
  } catch (error) {
    // A double click: the other click cancelled it first. Anything else stands.
    if (!(error instanceof AppointmentConflictError)) throw error;
    const reread = await deps.appointments.get(current.schoolYear, current.studentNumber, current.appointmentId);
    const done = reread && (reread.state === 'geannuleerd' || (role && reread.participants.find((p) => p.role === role)?.state === 'geannuleerd'));
    if (!done) throw error;
    return { kind: 'cancelled', changed: false, whole: reread.state === 'geannuleerd', ...roleField };
  }
  const whole = wholeAsked || nobodyLeft;
  for (const participant of affected) {
    const request = requestOf(opened, participant);
    await sendLogged(deps, await cancellationEmail(deps, { appointment: next, participant, ...(request ? { request } : {}), now, whole }), next, participant.role);
  }
  await audit(
    deps,
    next,
    'afspraak geannuleerd',
    whole
      ? `${appointmentTitle(next)} op ${whenText(next)}; bericht gestuurd aan ${names(affected)}`
      : `deel van ${names(affected)} in ${appointmentTitle(next).toLowerCase()} op ${whenText(next)}`,
  );
  return { kind: 'cancelled', changed: true, whole, ...roleField };
}
