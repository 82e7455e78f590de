import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Temporal } from 'temporal-polyfill';
import { TTL_ATTRIBUTE } from './store/table.ts';

/** What an access link opens: an observer's form for one request, or a student's own page. */
export type LinkPurpose = 'form' | 'student';

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

/** Keys and item shape of a link in the single table. */
export const linkKeys = (hash: string) => ({ PK: `LINK#${hash}`, SK: 'LINK' });

/** How long after expiry a link item is kept, so that it answers 410 rather than 404. */
const KEEP_AFTER_EXPIRY_SECONDS = 365 * 24 * 3600;

/** The DynamoDB item of a link; the table's TTL removes it a year after it stopped opening. */
export function linkItem(link: LinkItem): Record<string, unknown> {
  return {
    ...linkKeys(link.hash),
    entity: 'link',
    ...link,
    [TTL_ATTRIBUTE]: Math.floor(Date.parse(link.validUntil) / 1000) + KEEP_AFTER_EXPIRY_SECONDS,
  };
}

/** Reads links by hash. */
export class LinkStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** The link with this hash, or undefined. */
  async get(tokenHash: string): Promise<LinkItem | undefined> {
    const result = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: linkKeys(tokenHash) }));
    if (!result.Item) return undefined;
    const { hash, purpose, ownerPk, ownerSk, recipient, validUntil, revokedAt } = result.Item as LinkItem;
    return { hash, purpose, ownerPk, ownerSk, recipient, validUntil, ...(revokedAt ? { revokedAt } : {}) };
  }
}

/** The observer's link of a request: `<origin>/f/<token>`, from the configured origin, never a Host header. */
export function formUrl(deps: { linkSecret: string; publicOrigin: string }, linkId: string): string {
  return `${deps.publicOrigin}/f/${tokenFor(deps.linkSecret, linkId)}`;
}

/** The student's own page link: `<origin>/s/<token>`. */
export function studentUrl(deps: { linkSecret: string; publicOrigin: string }, linkId: string): string {
  return `${deps.publicOrigin}/s/${tokenFor(deps.linkSecret, linkId)}`;
}
