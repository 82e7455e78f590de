import { randomBytes } from 'node:crypto';

/**
 * Secrets of staff sign-in: the emailed sign-in token and the session id in the cookie. Both are
 * 32 random bytes, base64url (43 characters). Unlike access links they are never sent twice, so
 * nothing is derived: only their SHA-256 hash (`hashToken` of shared/links.ts) is stored.
 */
export function newSecretToken(): string {
  return randomBytes(32).toString('base64url');
}
