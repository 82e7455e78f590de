import { Temporal } from 'temporal-polyfill';
import { formatDutchDate } from '../calendar.ts';
import { DomainError, ValidationError } from '../errors.ts';
import { hashToken, newLinkId, tokenFor } from '../links.ts';
import { renderEmail } from '../mail/templates.ts';
import { isEditable, linkValidUntil, OBSERVER_LABELS, reissueRequestLink, requestEmail, type FormTitle, type RequestDeps } from '../requests.ts';
import { emailKey, type Person } from '../roster/placement.ts';
import type { PlacementRecord, PlacementStore } from '../store/placements.ts';
import { requestKeys, type RequestRecord } from '../store/requests.ts';

/**
 * Staff actions on the overview: remind an observer, revoke or reissue a request's link, replace
 * a student's WPB. The scope check is the caller's (the route); these check what the request's
 * state allows and do the work. Refusals are Dutch 409s.
 */

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

/** Emails the observer the request again, with its existing link (a draft carries over). */
export async function sendReminder(deps: RequestDeps, request: RequestRecord, formTitle: FormTitle): Promise<void> {
  const refusal = requestActionRefusals(request, deps.clock.now(), deps.linkGraceDays).remind;
  if (refusal) throw new ActionRefusedError(refusal);
  await deps.mailer.send(requestEmail(deps, request, formTitle(request.formId), { reminder: true }));
}

/**
 * Revokes the request's link: it answers 410 from now on. The observer is told by email that the
 * link no longer works, why (the staff member's `reason`, when given) and whom to contact (`by`,
 * the staff member's address). Returns whether that email went out: the revocation stands either way.
 */
export async function revokeRequestLink(deps: RequestDeps, request: RequestRecord, options: { by: string; reason?: string | undefined; formTitle: FormTitle }): Promise<{ emailed: boolean }> {
  const refusal = requestActionRefusals(request, deps.clock.now(), deps.linkGraceDays).revoke;
  if (refusal) throw new ActionRefusedError(refusal);
  await deps.requests.revokeRequestLink(request, deps.clock.now().toString());
  try {
    await deps.mailer.send(revokedLinkEmail(request, options));
    return { emailed: true };
  } catch (error) {
    console.error(JSON.stringify({ level: 'error', msg: 'revoked-link email failed', requestId: request.requestId, error: String((error as Error).name) }));
    return { emailed: false };
  }
}

/** The email that tells an observer staff revoked their link: what stopped working, why, and whom to ask. */
export function revokedLinkEmail(request: RequestRecord, options: { by: string; reason?: string | undefined; formTitle: FormTitle }) {
  const title = options.formTitle(request.formId);
  const lesson = request.lessonDate ? ` (les van ${formatDutchDate(request.lessonDate)})` : '';
  return renderEmail({
    to: request.observer.email,
    subject: `Link ingetrokken: ${title} voor ${request.student.name}`,
    greeting: `Beste ${request.observer.name},`,
    paragraphs: [
      `De link naar het formulier "${title}" voor ${request.student.name}${lesson} is ingetrokken door de opleiding en werkt niet meer.`,
      options.reason ? `Reden: ${options.reason}` : 'Dat gebeurt bijvoorbeeld als een link per ongeluk is doorgestuurd of als de aanvraag niet meer nodig is.',
      request.state === 'ingediend'
        ? `Uw ingediende formulier blijft bewaard; alleen corrigeren via deze link kan niet meer. Moet u toch iets corrigeren, dan krijgt u een nieuwe link. Vragen? Neem contact op met ${options.by}.`
        : request.latestVersion > 0
          ? `Uw opgeslagen concept is bewaard. Moet u het formulier toch invullen, dan krijgt u een nieuwe link. Vragen? Neem contact op met ${options.by}.`
          : `Moet u het formulier toch invullen, dan krijgt u een nieuwe link. Vragen? Neem contact op met ${options.by}.`,
    ],
    footer: `U krijgt deze e-mail als ${OBSERVER_LABELS[request.observerRole]} van ${request.student.name} (${request.vak}, ${request.school}) bij werkplekleren N2 van Hogeschool Rotterdam.`,
  });
}

/** Replaces the request's link and emails the new one; the old one answers 410. */
export async function sendNewLink(deps: RequestDeps, request: RequestRecord, formTitle: FormTitle): Promise<RequestRecord> {
  const refusal = requestActionRefusals(request, deps.clock.now(), deps.linkGraceDays).reissue;
  if (refusal) throw new ActionRefusedError(refusal);
  return reissueRequestLink(deps, request, formTitle);
}

/** What replacing a WPB did. */
export interface WpbReplacement {
  previous: Person;
  /** Whether the placement itself changed (false when only stragglers of an earlier attempt moved). */
  placementChanged: boolean;
  /** The open requests that now belong to the new WPB, as they are now. */
  moved: RequestRecord[];
  /** Moved requests whose email to the new WPB failed (staff can send a new link). */
  unsent: RequestRecord[];
}

/** Whether a request moves to a new WPB: a WPB's, not submitted, still editable, not theirs yet. */
export function movesToNewWpb(request: RequestRecord, wpb: Person, now: Temporal.Instant): boolean {
  return request.observerRole === 'wpb' && (request.state === 'gevraagd' || request.state === 'concept') && isEditable(request, now) && emailKey(request.observer.email) !== emailKey(wpb.email);
}

/**
 * Replaces a student's WPB: the placement is updated through `PlacementStore.update` (the old
 * version kept as history, role memberships moved, guarded by the revision), then each open
 * request of the WPB (gevraagd or concept, before its deadline) gets the new WPB as observer and a
 * new link in one transaction, and the new WPB an email with it; the old links answer 410.
 * Submitted requests stay with the WPB who submitted them. Running it again with the same WPB
 * finishes what an interrupted run left (requests not yet moved).
 */
export async function replaceWpb(
  deps: RequestDeps & { placements: PlacementStore },
  placement: PlacementRecord,
  wpb: Person,
  formTitle: FormTitle,
): Promise<WpbReplacement> {
  const now = deps.clock.now();
  const same = emailKey(placement.wpb.email) === emailKey(wpb.email) && placement.wpb.name === wpb.name;
  const requests = await deps.requests.listForPlacement(placement.schoolYear, placement.studentNumber);
  const toMove = requests.filter((r) => movesToNewWpb(r, wpb, now));
  if (same && toMove.length === 0) throw new ValidationError('Dit is al de WPB van deze student.');
  if (!same) await deps.placements.update(placement, { ...placement, wpb }, now.toString());

  const moved: RequestRecord[] = [];
  const unsent: RequestRecord[] = [];
  for (const request of toMove) {
    const linkId = newLinkId();
    const hash = hashToken(tokenFor(deps.linkSecret, linkId));
    const key = requestKeys.request(request.schoolYear, request.studentNumber, request.requestId);
    await deps.requests.reassignObserver(
      request,
      wpb,
      { hash, purpose: 'form', ownerPk: key.PK, ownerSk: key.SK, recipient: emailKey(wpb.email), validUntil: linkValidUntil(request.deadline, deps.linkGraceDays) },
      linkId,
      now.toString(),
    );
    const { linkRevokedAt: _revoked, ...rest } = request;
    const reassigned = { ...rest, observer: { name: wpb.name, email: wpb.email }, linkId, linkHash: hash };
    moved.push(reassigned);
    try {
      await deps.mailer.send(requestEmail(deps, reassigned, formTitle(request.formId)));
    } catch (error) {
      // The request is moved; a failed email must not stop the others. Staff can send a new link.
      console.error(JSON.stringify({ level: 'error', msg: 'request email to new WPB failed', requestId: request.requestId, error: String((error as Error).name) }));
      unsent.push(reassigned);
    }
  }
  return { previous: placement.wpb, placementChanged: !same, moved, unsent };
}
