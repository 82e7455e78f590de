import * as z from 'zod';
import { formatDutchInstant, type KijkwijzerType, type Period, type SchoolYear } from '../calendar.ts';
import { emailKey, StoredPerson, StoredPlacement } from '../roster/placement.ts';
import type { PlacementRecord } from '../model/placements.ts';
import { OBSERVER_ROLES, type RequestRecord, type StudentLinkRecord } from '../model/requests.ts';
import { ROLES, type Role } from '../tasks.ts';
import { byDateAndStart, StoredAppointment, type AppointmentRecord } from '../model/appointments.ts';
import { StoredConcern, type ConcernRecord } from '../model/concerns.ts';

/**
 * One school year as the digest sees it, built from the raw items of the year index
 * (`PlacementStore.yearItems`): placements, their requests, appointments and concerns, and the students' page links. Pure
 * functions only; the planner reads the pages and passes the items in.
 */

/** A stored placement item: the placement plus its revision. */
const PlacementItem = StoredPlacement.extend({
  rev: z.number().int().nonnegative().default(0),
  updatedAt: z.string().default(''),
}) satisfies z.ZodType<PlacementRecord>;

/** A stored request item (keys and `entity` are dropped). */
const RequestItem = z.object({
  schoolYear: z.string().min(1),
  studentNumber: z.string().min(1),
  requestId: z.string().min(1),
  formId: z.string().min(1),
  observerRole: z.enum(OBSERVER_ROLES),
  observer: StoredPerson,
  lessonDate: z.string().optional(),
  className: z.string().optional(),
  question: z.string().optional(),
  period: z.number().int().min(1).max(4),
  deadline: z.iso.date(),
  state: z.enum(['gevraagd', 'concept', 'ingediend', 'ingetrokken']),
  latestVersion: z.number().int().nonnegative(),
  submittedAt: z.string().optional(),
  linkId: z.string().min(1),
  linkHash: z.string().min(1),
  linkRevokedAt: z.string().optional(),
  withdrawnAt: z.string().optional(),
  createdAt: z.string(),
  origin: z.enum(['student', 'auto']),
  appointmentId: z.string().optional(),
  student: StoredPerson,
  school: z.string().min(1),
  vak: z.string().min(1),
}) satisfies z.ZodType<RequestRecord>;

/** A stored student page link item. */
const StudentLinkItem = z.object({
  schoolYear: z.string().min(1),
  studentNumber: z.string().min(1),
  school: z.string().min(1),
  linkId: z.string().min(1),
  linkHash: z.string().min(1),
}) satisfies z.ZodType<StudentLinkRecord>;

/** An item of a known kind that did not parse; the rest of the year still goes out. */
export interface InvalidItem {
  entity: string;
  pk: string;
  sk: string;
  reason: string;
}

/** One school year's placements, requests and student links, indexed for the digest. */
export interface YearModel {
  /** Placements by student number. */
  placements: ReadonlyMap<string, PlacementRecord>;
  /** Requests by student number, oldest first; only students whose placement is present. */
  requests: ReadonlyMap<string, readonly RequestRecord[]>;
  /** Requests by their observer's lower-cased email, oldest first; only of present placements. */
  requestsByObserver: ReadonlyMap<string, readonly RequestRecord[]>;
  /** The link id of each student's page, by student number. */
  studentLinks: ReadonlyMap<string, string>;
  /** Appointments (lesbezoeken, driehoeksgesprekken) by student number, by date and start; only of present placements. */
  appointments: ReadonlyMap<string, readonly AppointmentRecord[]>;
  /** Concerns about progress by student number, oldest first; only of present placements. */
  concerns: ReadonlyMap<string, readonly ConcernRecord[]>;
  /** Requests whose placement is not among the items: kept aside, never shown. */
  orphanRequests: readonly RequestRecord[];
  /** Items that did not parse (with the reason), for the planner's log. */
  invalid: readonly InvalidItem[];
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

const byCreation = (a: RequestRecord, b: RequestRecord): number =>
  a.createdAt.localeCompare(b.createdAt) || a.requestId.localeCompare(b.requestId);

/**
 * Builds the model of one school year from raw year-index items (as DynamoDB returns them, pages
 * concatenated in any order). Items of other kinds are ignored; an item of a known kind that does
 * not parse is listed in `invalid` rather than failing the whole year.
 */
export function yearModel(items: readonly Record<string, unknown>[]): YearModel {
  const placements = new Map<string, PlacementRecord>();
  const allRequests: RequestRecord[] = [];
  const studentLinks = new Map<string, string>();
  const allAppointments: AppointmentRecord[] = [];
  const allConcerns: ConcernRecord[] = [];
  const invalid: InvalidItem[] = [];
  const parse = <T>(schema: z.ZodType<T>, item: Record<string, unknown>): T | undefined => {
    const result = schema.safeParse(item);
    if (result.success) return result.data;
    invalid.push({
      entity: String(item.entity),
      pk: String(item.PK ?? ''),
      sk: String(item.SK ?? ''),
      reason: result.error.issues.map((issue) => `${issue.path.join('.') || '(item)'}: ${issue.message}`).join('; '),
    });
    return undefined;
  };

  for (const item of items) {
    switch (item.entity) {
      case 'placement': {
        const placement = parse(PlacementItem, item);
        if (placement) placements.set(placement.studentNumber, placement);
        break;
      }
      case 'request': {
        const request = parse(RequestItem, item);
        if (request) allRequests.push(request);
        break;
      }
      case 'student-link': {
        const link = parse(StudentLinkItem, item);
        if (link) studentLinks.set(link.studentNumber, link.linkId);
        break;
      }
      case 'appointment': {
        const appointment = parse(StoredAppointment, item);
        if (appointment) allAppointments.push(appointment);
        break;
      }
      case 'concern': {
        const concern = parse(StoredConcern, item);
        if (concern) allConcerns.push(concern);
        break;
      }
      default:
        // Other kinds may share the index later; the digest has no use for them.
        break;
    }
  }

  const requests = new Map<string, RequestRecord[]>();
  const requestsByObserver = new Map<string, RequestRecord[]>();
  const orphanRequests: RequestRecord[] = [];
  for (const request of allRequests.sort(byCreation)) {
    if (!placements.has(request.studentNumber)) {
      orphanRequests.push(request);
      continue;
    }
    push(requests, request.studentNumber, request);
    push(requestsByObserver, emailKey(request.observer.email), request);
  }
  const appointments = new Map<string, AppointmentRecord[]>();
  for (const appointment of allAppointments.sort(byDateAndStart)) {
    if (placements.has(appointment.studentNumber)) push(appointments, appointment.studentNumber, appointment);
  }
  const concerns = new Map<string, ConcernRecord[]>();
  for (const concern of allConcerns.sort((a, b) => a.raisedAt.localeCompare(b.raisedAt) || a.concernId.localeCompare(b.concernId))) {
    if (placements.has(concern.studentNumber)) push(concerns, concern.studentNumber, concern);
  }
  return { placements, requests, requestsByObserver, studentLinks, appointments, concerns, orphanRequests, invalid };
}

/** A person's role on some placements. */
export interface RoleAssignment {
  role: Role;
  /** Ordered by school, then student name. */
  placements: PlacementRecord[];
}

/** One person who gets one email: every role and placement of theirs together. */
export interface Recipient {
  /** The lower-cased address: the key of the person (one email per key per run). */
  email: string;
  /** The address as first written in the roster: where the email goes. */
  address: string;
  /** The name as first written in the roster. */
  name: string;
  /** The person's roles in `ROLES` order, each with its placements. */
  roles: RoleAssignment[];
}

/** What {@link recipients} leaves out. */
export interface RecipientOptions {
  /** Lower-cased addresses that bounced or complained: they get nothing. */
  suppressed?: ReadonlySet<string>;
}

const placementOrder = (a: PlacementRecord, b: PlacementRecord): number =>
  a.school.localeCompare(b.school, 'nl') ||
  a.student.name.localeCompare(b.student.name, 'nl') ||
  a.studentNumber.localeCompare(b.studentNumber);

/**
 * Everyone on the year's placements, one entry per email address (compared case-insensitively),
 * each with all their roles and placements: a WPB with a duo, an IO with 30 students, someone who
 * is both SO and WPB. Suppressed addresses are left out. Ordered by email.
 */
export function recipients(model: YearModel, options: RecipientOptions = {}): Recipient[] {
  const suppressed = options.suppressed ?? new Set<string>();
  const people = new Map<string, { address: string; name: string; roles: Map<Role, PlacementRecord[]> }>();
  for (const placement of [...model.placements.values()].sort(placementOrder)) {
    for (const role of ROLES) {
      const person = placement[role];
      const key = emailKey(person.email);
      if (suppressed.has(key)) continue;
      let entry = people.get(key);
      if (!entry) {
        entry = { address: person.email.trim(), name: person.name, roles: new Map() };
        people.set(key, entry);
      }
      push(entry.roles, role, placement);
    }
  }
  return [...people.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([email, entry]) => ({
      email,
      address: entry.address,
      name: entry.name,
      roles: ROLES.flatMap((role) => {
        const placements = entry.roles.get(role);
        return placements ? [{ role, placements }] : [];
      }),
    }));
}

const KIJKWIJZER_PREFIX = 'kijkwijzer-';

/** A student's kijkwijzers against the year's requirement. */
export interface KijkwijzerProgress {
  /** The kijkwijzer types submitted at least once, in the year's order of types. */
  submitted: string[];
  /** The required types not yet submitted; empty when the year requires none. */
  missing: KijkwijzerType[];
}

/**
 * Which kijkwijzer types a student has in (a request of that form submitted, in any period) and
 * which of the year's required types are still missing. The student page and the digest share
 * this rule.
 */
export function kijkwijzerProgress(
  year: Pick<SchoolYear, 'requiredKijkwijzers' | 'kijkwijzerTypes'>,
  requests: readonly Pick<RequestRecord, 'state' | 'formId'>[],
): KijkwijzerProgress {
  const types = new Set(
    requests
      .filter((r) => r.state === 'ingediend' && r.formId.startsWith(KIJKWIJZER_PREFIX))
      .map((r) => r.formId.slice(KIJKWIJZER_PREFIX.length)),
  );
  const known: string[] = year.kijkwijzerTypes.filter((type) => types.has(type));
  const submitted = [...known, ...[...types].filter((type) => !known.includes(type))];
  const missing = (year.requiredKijkwijzers?.types ?? []).filter((type) => !types.has(type));
  return { submitted, missing };
}

/** The WPB's advice: the form whose submission the SO's and IO's digests and the overview show. */
export const ADVICE_FORM = 'advies-wpb';

/** Whether a student's advice is in: when it was last submitted, or nothing yet. */
export interface AdviceStatus {
  /** The latest submission's instant; absent while nothing has been submitted. */
  submittedAt?: string;
}

/**
 * Whether the WPB's advice of a student is in, in a period whose automatic requests (the year's
 * own rule) include the advice; undefined in other periods, where it is not asked. In any period
 * of the year, the latest submission counts. "Nog niet ingediend" is what is missing, never a
 * judgement that the student is behind.
 */
export function adviceStatus(
  period: Pick<Period, 'autoRequests'>,
  requests: readonly Pick<RequestRecord, 'formId' | 'state' | 'submittedAt'>[],
): AdviceStatus | undefined {
  if (!period.autoRequests.includes(ADVICE_FORM)) return undefined;
  const submitted = requests
    .filter((r) => r.formId === ADVICE_FORM && r.state === 'ingediend' && r.submittedAt)
    .map((r) => r.submittedAt!)
    .sort();
  const latest = submitted.at(-1);
  return latest ? { submittedAt: latest } : {};
}

/** The advice's status in Dutch: "Advies WPB: ingediend op <datum>" or "Advies WPB: nog niet ingediend". */
export function adviceText(status: AdviceStatus): string {
  return status.submittedAt ? `Advies WPB: ingediend op ${formatDutchInstant(status.submittedAt)}` : 'Advies WPB: nog niet ingediend';
}

/**
 * The advice line of a student in the SO's and IO's digests: one line during a period in which
 * the advice is asked, none between periods (nothing is asked yet) or in other periods.
 */
export function adviceLines(
  run: { between: boolean; period: Pick<Period, 'autoRequests'> },
  requests: readonly Pick<RequestRecord, 'formId' | 'state' | 'submittedAt'>[],
): string[] {
  if (run.between) return [];
  const status = adviceStatus(run.period, requests);
  return status ? [adviceText(status)] : [];
}
