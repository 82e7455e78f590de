import { Temporal } from 'temporal-polyfill';
import { ForbiddenError, maySignIn, scopeOf, type Staff } from '#shared/auth/scope.ts';
import type { SessionStore } from '#shared/store/sessions.ts';
import { SIGN_IN_VALID_MINUTES } from '#shared/model/auth.ts';
import type { SignInStore } from '#shared/store/sign-ins.ts';
import type { Clock } from '#shared/clock.ts';
import { DomainError } from '#shared/errors.ts';
import { isWellFormedToken } from '#shared/links.ts';
import { logger } from '#shared/log.ts';
import { withoutUndefined } from '#shared/objects.ts';
import type { Mailer } from '#shared/mail/mailer.ts';
import { renderEmail } from '#shared/mail/templates.ts';
import { emailKey } from '#shared/roster/placement.ts';
import type { PlacementStore } from '#shared/store/placements.ts';
import { LinkGoneError } from '#shared/usecases/links.ts';

/**
 * Staff sign-in by emailed link: ask for a link, open it, spend it for a session, sign out. The
 * HTTP layer (functions/http/routes/auth.tsx) only parses, sets the cookie and renders.
 */

/** The per-address budget of sign-in emails; the per-client request limit is HTTP middleware (rate-limit.ts). */
export interface SignInEmailLimits {
  /**
   * Sign-in emails sent per address per {@link SignInEmailLimits.perAddressWindowMs}. Beyond it the
   * page answers exactly as before and sends nothing: asking for someone's address slows an
   * attacker down without locking its owner out (a link already received keeps working).
   */
  perAddress: number;
  /** The window of `perAddress`, in milliseconds. */
  perAddressWindowMs: number;
  /** The clock of the budget in epoch milliseconds: real elapsed time, never a demo's fixed clock. */
  now: () => number;
}

/** A person needs one link, maybe a second: three emails per address per hour. */
export const SIGN_IN_EMAIL_LIMITS: SignInEmailLimits = {
  perAddress: 3,
  perAddressWindowMs: 60 * 60_000,
  now: () => Date.now(),
};

/**
 * How long a sign-in request takes at least, in milliseconds. A known address costs a write and
 * an email (a few hundred milliseconds with SES), an unknown one a single read: without a floor
 * the answer's timing would tell a visitor which addresses belong to staff. One second covers
 * SES's usual latency; a slower send still answers, and logs that the floor was passed.
 */
export const SIGN_IN_ANSWER_MS = 1000;

/** What the sign-in use-cases need. */
export interface SignInDeps {
  placements: Pick<PlacementStore, 'membershipsOf'>;
  signIns: Pick<SignInStore, 'takeEmail' | 'create' | 'peek' | 'spend'>;
  sessions: Pick<SessionStore, 'create' | 'resume' | 'end'>;
  mailer: Mailer;
  clock: Clock;
  publicOrigin: string;
  /** Coordinators from config: they may sign in and see everything. */
  adminEmails: readonly string[];
  /** Overrides of {@link SIGN_IN_EMAIL_LIMITS} (tests). */
  signInRateLimits?: Partial<SignInEmailLimits>;
  /** Override of {@link SIGN_IN_ANSWER_MS} (tests: 0). */
  signInAnswerMs?: number;
}

/** An unknown or tampered sign-in link. */
export class SignInLinkNotFoundError extends DomainError {
  constructor() {
    super('Deze inloglink is niet geldig. Controleer of u de hele link uit de e-mail heeft gebruikt, of vraag een nieuwe aan.', 404);
  }
}

/** A sign-in link that was used already or is older than ten minutes. */
export class SignInLinkGoneError extends LinkGoneError {
  constructor() {
    super('staff', `Deze inloglink werkt niet meer: hij is al gebruikt of ouder dan ${SIGN_IN_VALID_MINUTES} minuten. Vraag een nieuwe inloglink aan.`);
  }
}

/**
 * Emails a sign-in link if the address may sign in, within its email budget; says nothing either
 * way, and takes at least the answer floor (see {@link SIGN_IN_ANSWER_MS}), so that neither the
 * answer nor its timing tells whether the address is known.
 *
 * @param input.email the address as entered (validated by the route)
 */
export async function requestSignIn(
  deps: Pick<SignInDeps, 'placements' | 'signIns' | 'mailer' | 'clock' | 'publicOrigin' | 'adminEmails' | 'signInRateLimits' | 'signInAnswerMs'>,
  input: { email: string },
): Promise<void> {
  const started = performance.now();
  await sendSignInLink(deps, input.email);
  const floor = deps.signInAnswerMs ?? SIGN_IN_ANSWER_MS;
  const left = started + floor - performance.now();
  if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
  else if (floor > 0) logger.warn('sign-in took longer than its answer floor', { ms: Math.round(floor - left) });
}

async function sendSignInLink(
  deps: Pick<SignInDeps, 'placements' | 'signIns' | 'mailer' | 'clock' | 'publicOrigin' | 'adminEmails' | 'signInRateLimits'>,
  entered: string,
): Promise<void> {
  const email = emailKey(entered);
  const memberships = await deps.placements.membershipsOf(email);
  if (!maySignIn(email, memberships, deps.adminEmails)) return;
  try {
    const limits = { ...SIGN_IN_EMAIL_LIMITS, ...withoutUndefined(deps.signInRateLimits ?? {}) };
    // Elapsed real time, as for every rate limit: a demo's fixed clock (NOW) must not freeze the window.
    const elapsed = Temporal.Instant.fromEpochMilliseconds(limits.now());
    if (!(await deps.signIns.takeEmail(email, elapsed, { max: limits.perAddress, windowMs: limits.perAddressWindowMs }))) {
      logger.warn('sign-in email budget of an address spent; nothing sent');
      return;
    }
    const token = await deps.signIns.create(email, deps.clock.now());
    const url = `${deps.publicOrigin}/inloggen/${token}`;
    await deps.mailer.send(
      renderEmail({
        to: entered,
        subject: 'Inloggen bij Werkplekleren N2',
        greeting: 'Beste collega,',
        paragraphs: [
          `Met de link hieronder logt u in bij Werkplekleren N2. De link is ${SIGN_IN_VALID_MINUTES} minuten geldig en werkt maar één keer.`,
          'Heeft u niet om deze e-mail gevraagd? Dan kunt u hem negeren; er gebeurt niets.',
        ],
        action: { label: 'Inloggen', url },
        footer: 'U krijgt deze e-mail omdat iemand met uw e-mailadres heeft gevraagd om in te loggen bij Werkplekleren N2 van Hogeschool Rotterdam.',
      }),
    );
  } catch (error) {
    // The same answer either way: a failed write or email must not tell the visitor the address is known.
    logger.error('sign-in link not sent', { error: String((error as Error).name) });
  }
}

/**
 * Opens a sign-in link without spending it (the page with the Inloggen button: mail scanners that
 * follow links must not use it up). Returns the address it signs in.
 */
export async function peekSignInLink(deps: Pick<SignInDeps, 'signIns' | 'clock'>, input: { token: string }): Promise<{ email: string }> {
  if (!isWellFormedToken(input.token)) throw new SignInLinkNotFoundError();
  const found = await deps.signIns.peek(input.token, deps.clock.now());
  if (found === 'unknown') throw new SignInLinkNotFoundError();
  if (found === 'expired') throw new SignInLinkGoneError();
  return { email: found.email };
}

/**
 * Spends a sign-in link for a new session: once only, within its ten minutes, and only while the
 * address may still sign in. Ends the session the browser had (`previousSession`).
 *
 * @returns the new session's id, for the cookie only
 */
export async function spendSignInLink(
  deps: Pick<SignInDeps, 'signIns' | 'sessions' | 'placements' | 'clock' | 'adminEmails'>,
  input: { token: string; previousSession?: string | undefined },
): Promise<{ sessionId: string }> {
  if (!isWellFormedToken(input.token)) throw new SignInLinkNotFoundError();
  const now = deps.clock.now();
  const spent = await deps.signIns.spend(input.token, now);
  if (!spent) throw new SignInLinkGoneError();
  // Roles may have changed in the ten minutes since the link was sent.
  if (!maySignIn(spent.email, await deps.placements.membershipsOf(spent.email), deps.adminEmails)) {
    throw new ForbiddenError('Dit e-mailadres heeft geen toegang (meer) tot het overzicht.');
  }
  // A new id at every sign-in: a session id planted before sign-in is worth nothing after it.
  if (input.previousSession) await deps.sessions.end(input.previousSession);
  return { sessionId: await deps.sessions.create(spent.email, now) };
}

/**
 * Resumes a session (moving its idle deadline): the signed-in person with their scope from their
 * current role memberships, or undefined when the session is unknown or over.
 */
export async function resumeSession(
  deps: Pick<SignInDeps, 'sessions' | 'placements' | 'clock' | 'adminEmails'>,
  input: { sessionId: string },
): Promise<Staff | undefined> {
  const session = await deps.sessions.resume(input.sessionId, deps.clock.now());
  if (!session) return undefined;
  const memberships = await deps.placements.membershipsOf(session.email);
  return {
    email: session.email,
    name: memberships.find((m) => m.role !== 'student')?.name ?? session.email,
    scope: scopeOf(session.email, memberships, deps.adminEmails),
  };
}

/** Ends a session on the server, so its cookie opens nothing any more. */
export async function signOut(deps: Pick<SignInDeps, 'sessions'>, input: { sessionId?: string | undefined }): Promise<void> {
  if (input.sessionId) await deps.sessions.end(input.sessionId);
}
