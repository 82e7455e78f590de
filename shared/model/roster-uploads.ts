/*
 * Roster files between an admin's preview and confirmation (stored by store/roster-uploads.ts).
 */

/** How long a previewed roster file can be confirmed. */
export const ROSTER_UPLOAD_VALID_HOURS = 2;

/** A roster file waiting for its confirmation. */
export interface PendingRosterUpload {
  id: string;
  /** The admin who uploaded it (lower-cased); only they may confirm it. */
  uploadedBy: string;
  /** Hex SHA-256 of the bytes as previewed: the confirmation imports exactly these. */
  sha256: string;
  size: number;
  /** The object holding the bytes, and its version in a versioned bucket (undefined locally). */
  key: string;
  versionId: string | undefined;
  createdAt: string;
  validUntilMs: number;
}

/** Why a pending upload cannot be confirmed. */
export type RosterClaimRefusal = 'gone' | 'expired' | 'not-yours';

/** The bytes of a claimed upload no longer hash to what was previewed. */
export class RosterUploadChangedError extends Error {
  constructor() {
    super('roster upload bytes do not match their SHA-256');
    this.name = 'RosterUploadChangedError';
  }
}
