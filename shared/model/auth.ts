/*
 * Staff sign-in: emailed single-use sign-in links, and the sessions they start
 * (stored by store/sign-ins.ts and store/sessions.ts).
 */

/** How long an emailed sign-in link works. */
export const SIGN_IN_VALID_MINUTES = 10;

/** How many sign-in emails one address may get, per window. */
export interface SignInEmailBudget {
  /** Emails per window. */
  max: number;
  /** Length of the window in milliseconds; a window starts with its first email. */
  windowMs: number;
}

/** A stored sign-in token, as read back. */
export interface SignInRecord {
  /** The address the link was sent to, as entered (lower-cased). */
  email: string;
  /** Epoch milliseconds after which the token no longer signs anyone in. */
  validUntilMs: number;
}

/** Why a sign-in link does not open: unknown or tampered, or past its 10 minutes. */
export type SignInRefusal = 'unknown' | 'expired';

/** How long a session lasts: idle (since the last request) and absolute (since sign-in). */
export interface SessionTimeouts {
  idleMinutes: number;
  absoluteHours: number;
}

/** A live session. */
export interface Session {
  /** The signed-in address, lower-cased. */
  email: string;
  createdAt: string;
  /** Epoch milliseconds: the end of the session whatever happens. */
  absoluteUntilMs: number;
  /** Epoch milliseconds: the end of the session unless another request comes first. */
  idleUntilMs: number;
}
