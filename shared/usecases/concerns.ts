import { Temporal } from 'temporal-polyfill';
import * as z from 'zod';
import { ForbiddenError, placementInScope, type Staff } from '../auth/scope.ts';
import { formatDutchInstant } from '../calendar.ts';
import { NotFoundError } from '../errors.ts';
import { logger } from '../log.ts';
import { concernRaisedEmail, type ConcernReaderRole } from '../mail/concern-emails.ts';
import type { Mailer } from '../mail/mailer.ts';
import { linkActor } from '../model/audit.ts';
import {
  CONCERN_ROLE_LABELS,
  CONCERN_STEP_LABELS,
  CONCERN_STEPS,
  CONCERN_TEXT_MAX,
  ConcernStateError,
  type ConcernActor,
  type ConcernRecord,
  type ConcernStep,
  type ConcernStepRecord,
} from '../model/concerns.ts';
import type { PlacementRecord } from '../model/placements.ts';
import { newRequestId } from '../model/request-rules.ts';
import { emailKey, type Person } from '../roster/placement.ts';
import { ConcernBusyError, ConcernChangedError, type ConcernStore } from '../store/concerns.ts';
import type { PlacementStore } from '../store/placements.ts';
import { safeText } from '../text.ts';
import { recordAudit, type AuditDeps } from './audit.ts';
import { openLink, type OpenLinkDeps } from './links.ts';

/*
 * Concerns about a student's progress (docs/workflow.md, "Concerns about progress"; seed 001, "Wat
 * te doen bij onvoldoende voortgang?"). The WPB raises one from any of their form links
 * (`/f/<token>/zorg`); the SO, IO or SCO raise one signed in, on the student's page, and record the
 * seed's steps there with date and who. At most one concern is open per student (a second is a
 * Dutch 409); a step on a closed concern is a 409; the same step by the same person within a minute
 * is a replay and changes nothing. On raising, the SO, IO and SCO are emailed, each once.
 */

/** What the concern use-cases need. */
export interface ConcernDeps extends AuditDeps {
  concerns: Pick<ConcernStore, 'raise' | 'recordStep' | 'get' | 'listForPlacement'>;
  placements: Pick<PlacementStore, 'get'>;
  mailer: Mailer;
  publicOrigin: string;
}

/** What the WPB's page (by their form link) needs besides. */
export type ConcernLinkDeps = ConcernDeps & OpenLinkDeps;

/** How long the same step by the same person counts as a replay (a double click, a resent form). */
const REPLAY_MS = 60_000;

/** A free text of a concern (a reason, a step's note): line breaks allowed, as browsers send them (CR LF) kept as LF, trimmed. */
function concernText(subject: string) {
  return z.preprocess(
    (value) => (typeof value === 'string' ? value.replace(/\r\n?/g, '\n').trim() : value),
    safeText(z.string({ error: `${subject} ontbreekt.` }).max(CONCERN_TEXT_MAX, `${subject} is langer dan ${CONCERN_TEXT_MAX} tekens; maak de tekst korter.`), subject),
  );
}

/** A concern's reason: required, at most {@link CONCERN_TEXT_MAX} characters, line breaks allowed, no control character. */
export const Reason = z.preprocess((value) => value ?? '', concernText('De reden')).pipe(z.string().min(1, 'Vul de reden in: wat gaat er niet goed in het werkplekleren?'));
/** A step's note: as a reason, but optional (empty when left out). */
export const Note = z.preprocess((value) => value ?? '', concernText('De notitie'));
/** One of the seed's steps; any other value is a forged form (400). */
export const Step = z.enum(CONCERN_STEPS, { error: 'Kies een van de stappen uit de lijst. Er is niets vastgelegd.' });

/** What a field of a posted form holds as text, for showing it again: a file or nothing is empty. */
export function typed(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** What the WPB's concern page shows: the student, and the open concern if there is one. */
export interface ConcernLinkPage {
  schoolYear: string;
  student: Person;
  vak: string;
  school: string;
  /** The WPB as the placement names them. */
  wpb: Person;
  /** The concern already open for the student (raised by anyone): a new one cannot be raised. */
  open?: Pick<ConcernRecord, 'raisedAt' | 'raisedBy'>;
}

/** What a post of the WPB's concern page comes to. */
export type LinkRaiseResult =
  | { kind: 'raised'; concern: ConcernRecord }
  /** 400: the reason was refused; nothing stored, the page shows it again with the message. */
  | { kind: 'invalid'; page: ConcernLinkPage; reason: string; error: string };

/**
 * The placement a WPB's form link belongs to, with the WPB as the placement names them: 404/410 as
 * the form link itself answers (unknown, expired, revoked, withdrawn), 403 for an SO's or IO's form
 * link, or for a WPB who has been replaced since.
 */
async function placementOfWpbLink(deps: ConcernLinkDeps, token: string): Promise<PlacementRecord> {
  const link = await openLink(deps, token, 'form');
  const request = await deps.requests.getByKeys({ PK: link.ownerPk, SK: link.ownerSk });
  if (!request) throw new NotFoundError('Deze aanvraag bestaat niet meer.');
  if (request.observerRole !== 'wpb') {
    throw new ForbiddenError('Via een formulierlink kan alleen de werkplekbegeleider een zorg melden. Als SO of IO meldt u een zorg na inloggen, op de pagina van de student.');
  }
  const placement = await deps.placements.get(request.schoolYear, request.studentNumber);
  if (!placement) throw new NotFoundError('Deze student staat niet (meer) in het rooster van dit schooljaar.');
  if (emailKey(placement.wpb.email) !== emailKey(request.observer.email)) {
    throw new ForbiddenError(
      `U bent niet meer de werkplekbegeleider van ${placement.student.name}, dus via deze link kunt u geen zorg melden. Neem contact op met de schoolopleider, ${placement.so.name}.`,
    );
  }
  return placement;
}

/** The WPB's page of a placement. */
async function linkPageOf(deps: ConcernDeps, placement: PlacementRecord): Promise<ConcernLinkPage> {
  const open = (await deps.concerns.listForPlacement(placement.schoolYear, placement.studentNumber)).find((c) => c.state === 'open');
  return {
    schoolYear: placement.schoolYear,
    student: placement.student,
    vak: placement.vak,
    school: placement.school,
    wpb: placement.wpb,
    ...(open ? { open: { raisedAt: open.raisedAt, raisedBy: open.raisedBy } } : {}),
  };
}

/** Opens the WPB's concern page by one of their form links. */
export async function openConcernLinkPage(deps: ConcernLinkDeps, token: string): Promise<ConcernLinkPage> {
  return linkPageOf(deps, await placementOfWpbLink(deps, token));
}

/**
 * The WPB raises a concern from one of their form links: the link and the WPB first (404, 410,
 * 403), then the reason (the page again with a message; the 409 below when one is open, as that
 * page has no form), then the concern with its open marker
 * (409 when one is open already, and no email), then the emails to the SO, IO and SCO and the
 * audit event.
 */
export async function raiseConcernByLink(deps: ConcernLinkDeps, input: { token: string; reason: unknown }): Promise<LinkRaiseResult> {
  const placement = await placementOfWpbLink(deps, input.token);
  const reason = Reason.safeParse(input.reason);
  if (!reason.success) {
    const page = await linkPageOf(deps, placement);
    // While one is open the page has no form to show the message at: say why nothing can be raised.
    if (page.open) throw await alreadyOpenError(deps, placement);
    return { kind: 'invalid', page, reason: typed(input.reason), error: reason.error.issues[0]!.message };
  }
  const concern = await raiseFor(deps, placement, { role: 'wpb', name: placement.wpb.name, email: placement.wpb.email }, reason.data, linkActor('wpb'));
  return { kind: 'raised', concern };
}

/**
 * The role a staff member acts in on a placement: their own role on it (SO, IO or SCO), else SCO
 * (a coordinator, or an SO or SCO of the school who is not on this placement: their scope is the
 * school's). Named as the placement names them when they are on it.
 */
export function staffConcernActor(staff: Pick<Staff, 'email' | 'name'>, placement: Pick<PlacementRecord, 'so' | 'io' | 'sco'>): ConcernActor {
  const me = emailKey(staff.email);
  for (const role of ['so', 'io', 'sco'] as const) {
    const person = placement[role];
    if (emailKey(person.email) === me) return { role, name: person.name, email: person.email };
  }
  return { role: 'sco', name: staff.name, email: staff.email };
}

/**
 * Stores a new open concern on a placement (already checked: the WPB's link, or the staff member's
 * scope) raised by `raisedBy`, then emails the SO, IO and SCO and records the audit event (`actor`
 * as the log names them).
 *
 * @throws ConcernStateError (409) when a concern is open already: nothing stored, nobody emailed
 */
export async function raiseFor(deps: ConcernDeps, placement: PlacementRecord, raisedBy: ConcernActor, reason: string, actor: string): Promise<ConcernRecord> {
  const now = deps.clock.now();
  const concern: ConcernRecord = {
    schoolYear: placement.schoolYear,
    studentNumber: placement.studentNumber,
    concernId: newRequestId(now),
    reason,
    raisedBy,
    raisedAt: now.toString(),
    state: 'open',
    steps: [],
    rev: 0,
    student: { name: placement.student.name, email: placement.student.email },
    school: placement.school,
    vak: placement.vak,
  };
  try {
    await deps.concerns.raise(concern);
  } catch (error) {
    if (error instanceof ConcernStateError) throw await alreadyOpenError(deps, placement);
    throw error;
  }
  const sent = await sendRaisedEmails(deps, placement, concern);
  await recordAudit(deps, placement, {
    actor,
    action: 'zorg gemeld',
    detail: `door ${raisedBy.name} (${CONCERN_ROLE_LABELS[raisedBy.role]}); bericht aan ${sent.length > 0 ? sent.join(', ') : 'niemand'}`,
  });
  return concern;
}

/** The 409 for a second open concern, naming the one that is open. */
export async function alreadyOpenError(deps: ConcernDeps, placement: PlacementRecord): Promise<ConcernStateError> {
  const open = (await deps.concerns.listForPlacement(placement.schoolYear, placement.studentNumber)).find((c) => c.state === 'open');
  const about = open
    ? ` (gemeld op ${formatDutchInstant(open.raisedAt)} door ${open.raisedBy.name}, ${CONCERN_ROLE_LABELS[open.raisedBy.role]})`
    : '';
  return new ConcernStateError(
    `Er staat al een zorg open voor ${placement.student.name}${about}. Er is geen tweede zorg gemeld: de SO, de IO en de SCO weten ervan en leggen de stappen vast. Een nieuwe zorg kan pas als deze is afgesloten.`,
  );
}

/**
 * One email each to the placement's SO, IO and SCO: once per person (one person in two roles gets
 * one), none to the person who raised it. A failed email is logged; the concern stands. Returns
 * the roles emailed ("SO", "IO", "SCO").
 */
async function sendRaisedEmails(deps: Pick<ConcernDeps, 'mailer' | 'publicOrigin'>, placement: PlacementRecord, concern: ConcernRecord): Promise<string[]> {
  const seen = new Set([emailKey(concern.raisedBy.email)]);
  const sent: string[] = [];
  for (const role of ['so', 'io', 'sco'] as const satisfies readonly ConcernReaderRole[]) {
    const reader = placement[role];
    if (seen.has(emailKey(reader.email))) continue;
    seen.add(emailKey(reader.email));
    try {
      await deps.mailer.send(concernRaisedEmail(deps, { concern, reader, role }));
      sent.push(CONCERN_ROLE_LABELS[role]);
    } catch (error) {
      logger.error('concern email failed', { concernId: concern.concernId, error: String((error as Error).name) });
    }
  }
  return sent;
}

/** Whether the same person recorded the same step within the last minute (a double click, a resent form). */
function isReplay(concern: ConcernRecord, step: ConcernStep, by: ConcernActor, now: Temporal.Instant): boolean {
  return concern.steps.some((s) => {
    if (s.step !== step || emailKey(s.by.email) !== emailKey(by.email)) return false;
    const ago = now.epochMilliseconds - Temporal.Instant.from(s.at).epochMilliseconds;
    return ago >= 0 && ago < REPLAY_MS;
  });
}

/** How often a step is tried again when another write moved the concern on meanwhile. */
const STEP_ATTEMPTS = 3;

/**
 * Records one of the seed's steps on a concern of a placement (already checked to be in the
 * person's scope), by `by`, with the audit event (`actor` as the log names them). A replay (the
 * same step by the same person within a minute) changes nothing; a step on a closed concern is a
 * 409. When another write moved the concern on meanwhile, it is read again and decided anew.
 */
export async function recordStepOn(
  deps: ConcernDeps,
  placement: PlacementRecord,
  concern: ConcernRecord,
  input: { step: ConcernStep; note: string; by: ConcernActor; actor: string },
): Promise<{ kind: 'recorded' | 'unchanged'; concern: ConcernRecord }> {
  const { step, note, by } = input;
  const now = deps.clock.now();
  const record: ConcernStepRecord = { step, at: now.toString(), by, ...(note ? { note } : {}) };
  let current = concern;
  for (let attempt = 1; attempt <= STEP_ATTEMPTS; attempt++) {
    if (isReplay(current, step, by, now)) return { kind: 'unchanged', concern: current };
    if (current.state === 'gesloten') throw closedError(current);
    try {
      const recorded = await deps.concerns.recordStep(current, record);
      await recordAudit(deps, placement, {
        actor: input.actor,
        action: 'zorgstap vastgelegd',
        detail: `${CONCERN_STEP_LABELS[step]}, door ${by.name} (${CONCERN_ROLE_LABELS[by.role]}), bij de zorg van ${formatDutchInstant(current.raisedAt)}${note ? '; met notitie' : ''}`,
      });
      return { kind: 'recorded', concern: recorded };
    } catch (error) {
      if (!(error instanceof ConcernChangedError)) throw error;
      // Someone else recorded a step (or closed it) meanwhile: read it again and decide anew.
      const reread = await deps.concerns.get(placement.schoolYear, placement.studentNumber, current.concernId);
      if (!reread) throw new NotFoundError('Deze zorg bestaat niet bij deze student.');
      current = reread;
    }
  }
  throw new ConcernBusyError();
}

/** The 409 for a step on a closed concern. */
export function closedError(concern: ConcernRecord): ConcernStateError {
  const closed = [...concern.steps].reverse().find((s) => s.step === 'gesloten');
  const when = closed ? ` op ${formatDutchInstant(closed.at)} door ${closed.by.name}` : '';
  return new ConcernStateError(
    `Deze zorg over ${concern.student.name} is al afgesloten${when}: er kan geen stap meer bij. Is er opnieuw reden tot zorg, meld dan een nieuwe zorg.`,
  );
}

/** The concerns of a student in the person's scope (404 when unknown, 403 when not theirs), oldest first. */
export async function listConcerns(deps: ConcernDeps, input: { staff: Staff; schoolYear: string; studentNumber: string }): Promise<ConcernRecord[]> {
  const placement = placementInScope(input.staff, await deps.placements.get(input.schoolYear, input.studentNumber));
  return deps.concerns.listForPlacement(placement.schoolYear, placement.studentNumber);
}
