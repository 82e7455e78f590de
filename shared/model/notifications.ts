import type { Temporal } from 'temporal-polyfill';

/*
 * The notification ledger's records: one per (run key, recipient), written before an email is
 * sent and updated with the outcome after (docs/digest.md, store/ledger.ts).
 */

/** Where one recipient of a run stands. */
export type NotificationStatus = 'sending' | 'sent' | 'rejected';

/** The answer to a claim. Only 'claimed' lets the caller send. */
export type ClaimResult = 'claimed' | 'already-sent' | 'already-rejected' | 'in-flight';

/** A ledger entry as read back. */
export interface NotificationRecord {
  runKey: string;
  email: string;
  status: NotificationStatus;
  /** When the current claim was taken (ISO instant); a takeover replaces it. */
  claimedAt: string;
  /** How many claims were taken: more than 1 means a lease expired and the message was re-sent. */
  attempts: number;
  messageId?: string;
  sentAt?: string;
  reason?: string;
  rejectedAt?: string;
}

/** The ledger as the sender uses it (a port, so unit tests can use a fake). */
export interface Ledger {
  claim(runKey: string, email: string, leaseMs: number, now: Temporal.Instant): Promise<ClaimResult>;
  /** Gives back a claim taken at `claimedAt` when it is certain nothing was sent. */
  release(runKey: string, email: string, claimedAt: Temporal.Instant): Promise<void>;
  recordSent(runKey: string, email: string, messageId: string, now: Temporal.Instant): Promise<void>;
  recordRejected(runKey: string, email: string, reason: string, now: Temporal.Instant): Promise<void>;
}
