import { Temporal } from 'temporal-polyfill';
import { placementInScope, type Staff } from '../auth/scope.ts';
import { formatDutchDate } from '../calendar.ts';
import { DomainError, NotFoundError, ValidationError } from '../errors.ts';
import { logger } from '../log.ts';
import { isEditable, linkValidUntil } from '../model/request-rules.ts';
import type { RequestRecord } from '../model/requests.ts';
import { requestEmail, revokedLinkEmail } from '../mail/request-emails.ts';
import { emailKey, Person } from '../roster/placement.ts';
import type { PlacementStore } from '../store/placements.ts';
import type { PlacementRecord } from '../model/placements.ts';
import { recordAudit, type AuditDeps } from './audit.ts';
import { newFormLink, reissueRequestLink, type RequestDeps } from './observation.ts';
import { studentOverviewOf, type StudentOverview, type StudentOverviewDeps } from './overview.ts';

/**
 * Staff actions on the overview: remind an observer, revoke or reissue a request's link, replace
 * a student's WPB. Each checks the scope (`placementInScope`: 404 for an unknown student, 403 for
 * one outside the person's scope), then what the request's state allows (refusals are Dutch
 * 409s), does the work and records it in the audit log (best-effort).
 */

/** What the staff actions need. */
export type StaffActionDeps = RequestDeps & AuditDeps & { placements: PlacementStore };

/** The request an action is about, as its path names it, and who acts. */
export interface RequestActionInput {
  staff: Staff;
  schoolYear: string;
  studentNumber: string;
  requestId: string;
}

/** The request's state does not allow this action now. */
export class ActionRefusedError extends DomainError {
  constructor(message: string) {
    super(message, 409);
  }
}

/** Why each action is refused for a request now; undefined where it is allowed. */
export interface RequestActionRefusals {
  remind?: string;
  revoke?: string;
  reissue?: string;
}

/** What staff may do with a request at `now` (the overview shows only what is allowed). */
export function requestActionRefusals(request: RequestRecord, now: Temporal.Instant, graceDays: number): RequestActionRefusals {
  const linkAlive = Temporal.Instant.compare(now, Temporal.Instant.from(linkValidUntil(request.deadline, graceDays))) < 0;
  const refusals: RequestActionRefusals = {};
  if (request.state === 'ingetrokken') {
    const withdrawn = 'De student heeft deze aanvraag ingetrokken.';
    return { remind: withdrawn, revoke: withdrawn, reissue: withdrawn };
  }
  if (request.state === 'ingediend') refusals.remind = 'Dit formulier is al ingediend: een herinnering is niet nodig.';
  else if (!isEditable(request, now)) refusals.remind = `De deadline (${formatDutchDate(request.deadline)}) is verstreken: een herinnering sturen kan niet meer.`;
  else if (request.linkRevokedAt) refusals.remind = 'De link van deze aanvraag is ingetrokken. Stuur een nieuwe link in plaats van een herinnering.';
  if (request.linkRevokedAt) refusals.revoke = 'Deze link is al ingetrokken.';
  else if (!linkAlive) refusals.revoke = 'Deze link werkt al niet meer: de termijn van deze aanvraag is voorbij.';
  if (!linkAlive) refusals.reissue = 'Een nieuwe link sturen kan niet meer: de termijn van deze aanvraag is voorbij.';
  return refusals;
}

/** The request of the input on a placement in the person's scope: 404 when either does not exist, 403 when not theirs. */
async function requestInScope(deps: Pick<StaffActionDeps, 'placements' | 'requests'>, input: RequestActionInput): Promise<RequestRecord> {
  const placement = placementInScope(input.staff, await deps.placements.get(input.schoolYear, input.studentNumber));
  const request = await deps.requests.get(placement.schoolYear, placement.studentNumber, input.requestId);
  if (!request) throw new NotFoundError('Deze aanvraag bestaat niet.');
  return request;
}

function refuseUnless(deps: Pick<StaffActionDeps, 'clock' | 'linkGraceDays'>, request: RequestRecord, action: keyof RequestActionRefusals): void {
  const refusal = requestActionRefusals(request, deps.clock.now(), deps.linkGraceDays)[action];
  if (refusal) throw new ActionRefusedError(refusal);
}

const observerText = (r: RequestRecord) => `${r.observer.name} (${r.observer.email})`;

/** Emails the observer the request again, with its existing link (a draft carries over). */
export async function remind(deps: StaffActionDeps, input: RequestActionInput): Promise<{ request: RequestRecord }> {
  const request = await requestInScope(deps, input);
  refuseUnless(deps, request, 'remind');
  await deps.mailer.send(requestEmail(deps, request, { reminder: true }));
  await recordAudit(deps, request, { actor: input.staff.email, action: 'herinnerd', requestId: request.requestId, detail: `aan ${observerText(request)}` });
  return { request };
}

/** The longest reason for a revocation that goes into the observer's email. */
export const MAX_REASON = 500;

/** What {@link revoke} did: asked for a confirmation first, or revoked the link. */
export type RevokeResult =
  | { kind: 'confirm'; request: RequestRecord; /** How a sentence names the form. */ formReference: string }
  | { kind: 'revoked'; request: RequestRecord; /** Whether the observer's email went out (the revocation stands either way). */ emailed: boolean };

/**
 * Revokes the request's link, once `confirmed` (until then it only answers what would happen):
 * the link answers 410 from now on, and the observer is told by email that it no longer works, why
 * (`reason`, when given) and whom to contact (the staff member's address).
 */
export async function revoke(deps: StaffActionDeps, input: RequestActionInput & { reason?: string | undefined; confirmed: boolean }): Promise<RevokeResult> {
  const request = await requestInScope(deps, input);
  refuseUnless(deps, request, 'revoke');
  const reason = (input.reason ?? '').trim().replace(/\s+/g, ' ').slice(0, MAX_REASON);
  if (!input.confirmed) return { kind: 'confirm', request, formReference: deps.forms.reference(request.formId) };
  const by = input.staff.email;
  await deps.requests.revokeRequestLink(request, deps.clock.now().toString());
  let emailed = true;
  try {
    await deps.mailer.send(revokedLinkEmail(deps, request, { by, reason: reason || undefined }));
  } catch (error) {
    logger.error('revoked-link email failed', { requestId: request.requestId, error: String((error as Error).name) });
    emailed = false;
  }
  await recordAudit(deps, request, {
    actor: by,
    action: 'link ingetrokken',
    requestId: request.requestId,
    detail: `link van ${observerText(request)}${reason ? `; reden: ${reason}` : ''}${emailed ? '; bericht gestuurd' : '; bericht niet verstuurd'}`,
  });
  return { kind: 'revoked', request, emailed };
}

/** Replaces the request's link and emails the new one; the old one answers 410. Drafts stay. */
export async function reissue(deps: StaffActionDeps, input: RequestActionInput): Promise<{ request: RequestRecord }> {
  const request = await requestInScope(deps, input);
  refuseUnless(deps, request, 'reissue');
  const reissued = await reissueRequestLink(deps, request);
  await recordAudit(deps, request, { actor: input.staff.email, action: 'nieuwe link', requestId: request.requestId, detail: `aan ${observerText(request)}` });
  return { request: reissued };
}

/** Whether a request moves to a new WPB: a WPB's, not submitted, still editable, not theirs yet. */
function movesToNewWpb(request: RequestRecord, wpb: Person, now: Temporal.Instant): boolean {
  return request.observerRole === 'wpb' && (request.state === 'gevraagd' || request.state === 'concept') && isEditable(request, now) && emailKey(request.observer.email) !== emailKey(wpb.email);
}

/** The fields of the WPB form a replacement was refused for, with their Dutch messages. */
export type WpbErrors = Partial<Record<'name' | 'email', string>>;

/** What {@link replaceWpb} did: refused the input (with the student's page to show again), or replaced the WPB. */
export type WpbReplacement =
  | { kind: 'invalid'; page: StudentOverview; errors: WpbErrors }
  | {
      kind: 'replaced';
      placement: PlacementRecord;
      /** The open requests that now belong to the new WPB. */
      moved: number;
      /** Moved requests whose email to the new WPB failed (staff can send a new link). */
      unsent: number;
    };

/**
 * Replaces a student's WPB: the placement is updated through `PlacementStore.update` (the old
 * version kept as history, role memberships moved, guarded by the revision), then each open
 * request of the WPB (gevraagd or concept, before its deadline) gets the new WPB as observer and a
 * new link in one transaction, and the new WPB an email with it; the old links answer 410.
 * Submitted requests stay with the WPB who submitted them. Running it again with the same WPB
 * finishes what an interrupted run left (requests not yet moved).
 */
export async function replaceWpb(
  deps: StaffActionDeps & StudentOverviewDeps,
  input: { staff: Staff; schoolYear: string; studentNumber: string; name: string; email: string },
): Promise<WpbReplacement> {
  const placement = placementInScope(input.staff, await deps.placements.get(input.schoolYear, input.studentNumber));
  const parsed = Person.safeParse({ name: input.name, email: input.email });
  if (!parsed.success) {
    const errors: WpbErrors = {};
    for (const issue of parsed.error.issues) {
      if (issue.path[0] === 'name') errors.name ??= `De naam ${issue.message}.`;
      else errors.email ??= `Het e-mailadres ${issue.message}.`;
    }
    return { kind: 'invalid', page: await studentOverviewOf(deps, placement), errors };
  }
  const wpb = parsed.data;
  const now = deps.clock.now();
  const same = emailKey(placement.wpb.email) === emailKey(wpb.email) && placement.wpb.name === wpb.name;
  const requests = await deps.requests.listForPlacement(placement.schoolYear, placement.studentNumber);
  const toMove = requests.filter((r) => movesToNewWpb(r, wpb, now));
  if (same && toMove.length === 0) throw new ValidationError('Dit is al de WPB van deze student.');
  if (!same) await deps.placements.update(placement, { ...placement, wpb }, now.toString());

  const moved: RequestRecord[] = [];
  let unsent = 0;
  for (const request of toMove) {
    const { linkId, link } = newFormLink(deps, request, emailKey(wpb.email));
    await deps.requests.reassignObserver(request, wpb, link, linkId, now.toString());
    const { linkRevokedAt: _revoked, ...rest } = request;
    const reassigned = { ...rest, observer: { name: wpb.name, email: wpb.email }, linkId, linkHash: link.hash };
    moved.push(reassigned);
    try {
      await deps.mailer.send(requestEmail(deps, reassigned));
    } catch (error) {
      // The request is moved; a failed email must not stop the others. Staff can send a new link.
      logger.error('request email to new WPB failed', { requestId: request.requestId, error: String((error as Error).name) });
      unsent++;
    }
  }

  const actor = input.staff.email;
  const from = `${placement.wpb.name} (${placement.wpb.email})`;
  const to = `${wpb.name} (${wpb.email})`;
  await recordAudit(deps, placement, {
    actor,
    action: 'WPB vervangen',
    detail: `${from} → ${to}; ${moved.length} open ${moved.length === 1 ? 'aanvraag' : 'aanvragen'} naar de nieuwe WPB${same ? ' (plaatsing was al aangepast)' : ''}`,
  });
  for (const request of moved) {
    await recordAudit(deps, request, { actor, action: 'WPB vervangen', requestId: request.requestId, detail: `observator ${from} → ${to}, nieuwe link verstuurd` });
  }
  return { kind: 'replaced', placement, moved: moved.length, unsent };
}
