import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Temporal } from 'temporal-polyfill';
import type { ObserverRole } from './model/requests.ts';

/** What an access link opens: an observer's form for one request, a student's own page, or a participant's appointment (docs/workflow.md). */
export type LinkPurpose = 'form' | 'student' | 'appointment';

/** A stored access link. The token itself is never stored, only its SHA-256 hash. */
export interface LinkItem {
  hash: string;
  purpose: LinkPurpose;
  /** Keys of the item the link belongs to (a request, or a placement). */
  ownerPk: string;
  ownerSk: string;
  /** The email address the link was made for. */
  recipient: string;
  /** ISO instant after which the link no longer opens anything. */
  validUntil: string;
  revokedAt?: string;
  /**
   * A form link: the request's latest version when a version was last saved while this was its
   * link, written in the save's transaction. A hint that lets the form page read the request and
   * that version in one BatchGet; checked against the request, which stays the truth.
   */
  latestVersion?: number;
  /**
   * A form link: its request's observer role (which never changes, a replaced WPB is a WPB too), so
   * the form page can write its audit event ("link geopend", `link:<role>`) beside the read.
   */
  observerRole?: ObserverRole;
}

/** Why a link does not open: unknown or tampered (404), expired or revoked (410). */
export type LinkRefusal = { status: 404 } | { status: 410; reason: 'expired' | 'revoked' };

/** A new link id: 16 random bytes, stored on the link's owner. Reissuing draws a new one. */
export function newLinkId(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * The token of a link: 32 bytes, base64url, derived as HMAC-SHA256(secret, "link:" + linkId).
 * Deriving (rather than storing) lets every reminder carry the same link while the store holds
 * only the hash; without the secret, the stored link id yields nothing.
 */
export function tokenFor(secret: string, linkId: string): string {
  return createHmac('sha256', secret).update(`link:${linkId}`).digest('base64url');
}

/** The SHA-256 hash of a token, hex: the only form in which a token is stored. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A new link: the id its token is derived from (stored on its owner) and its item, which holds only the token's hash. */
export function newLink(secret: string, item: Omit<LinkItem, 'hash'>): { linkId: string; link: LinkItem } {
  const linkId = newLinkId();
  return { linkId, link: { hash: hashToken(tokenFor(secret, linkId)), ...item } };
}

/** Whether a string can be a token at all (43 base64url characters); others are not looked up. */
export function isWellFormedToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}

/** Compares two hashes in constant time. */
export function sameHash(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** Decides whether a stored link opens at `now`. */
export function checkLink(link: LinkItem | undefined, purpose: LinkPurpose, now: Temporal.Instant): LinkItem | LinkRefusal {
  if (!link || link.purpose !== purpose) return { status: 404 };
  if (link.revokedAt) return { status: 410, reason: 'revoked' };
  if (now.epochMilliseconds >= Date.parse(link.validUntil)) return { status: 410, reason: 'expired' };
  return link;
}

/** The observer's link of a request: `<origin>/f/<token>`, from the configured origin, never a Host header. */
export function formUrl(deps: { linkSecret: string; publicOrigin: string }, linkId: string): string {
  return `${deps.publicOrigin}/f/${tokenFor(deps.linkSecret, linkId)}`;
}

/** The student's own page link: `<origin>/s/<token>`. */
export function studentUrl(deps: { linkSecret: string; publicOrigin: string }, linkId: string): string {
  return `${deps.publicOrigin}/s/${tokenFor(deps.linkSecret, linkId)}`;
}
