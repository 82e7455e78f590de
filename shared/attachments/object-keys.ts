import { randomBytes } from 'node:crypto';
import { ATTACHMENTS_PREFIX, UPLOADS_PREFIX } from './policy.ts';

/*
 * The S3 object keys of attachments: where a browser uploads one, and where the verified copy is
 * served from (store/attachments.ts). Every part is made by the server.
 */

/** The parts of an attachment key; all made by the server, never taken from user input. */
export interface AttachmentKeyParts {
  /** "2025-2026" */
  schoolYear: string;
  /** "1012001" */
  studentNumber: string;
  /** The request (form) the attachment belongs to. */
  requestId: string;
  /** From {@link newAttachmentId}. */
  attachmentId: string;
}

const KEY_PART_PATTERNS: Record<keyof AttachmentKeyParts, RegExp> = {
  schoolYear: /^\d{4}-\d{4}$/,
  studentNumber: /^[A-Za-z0-9]{1,32}$/,
  requestId: /^[A-Za-z0-9_-]{1,64}$/,
  attachmentId: /^[A-Za-z0-9_-]{1,64}$/,
};

/**
 * The object key an attachment is served from: `attachments/<schoolYear>/<studentNumber>/<requestId>/<attachmentId>`.
 * Only `AttachmentStore.accept` (store/attachments.ts) writes it (a copy of verified bytes); no browser can post to it.
 * Every part is checked against a strict pattern, so a key can never carry a path or user text;
 * a bad part is a programming error and throws.
 */
export function attachmentKey(parts: AttachmentKeyParts): string {
  return keyUnder(ATTACHMENTS_PREFIX, parts);
}

/**
 * The object key a browser uploads an attachment to: `uploads/<schoolYear>/<studentNumber>/<requestId>/<attachmentId>`.
 * Never served: `AttachmentStore.accept` (store/attachments.ts) copies the verified bytes to {@link attachmentKey}.
 */
export function uploadKey(parts: AttachmentKeyParts): string {
  return keyUnder(UPLOADS_PREFIX, parts);
}

function keyUnder(prefix: string, parts: AttachmentKeyParts): string {
  for (const [name, pattern] of Object.entries(KEY_PART_PATTERNS)) {
    const value = parts[name as keyof AttachmentKeyParts];
    if (!pattern.test(value)) throw new Error(`attachmentKey: invalid ${name} ${JSON.stringify(value)}`);
  }
  return `${prefix}${parts.schoolYear}/${parts.studentNumber}/${parts.requestId}/${parts.attachmentId}`;
}

/** A new random attachment id: 16 random bytes, base64url (22 characters, URL- and key-safe). */
export function newAttachmentId(): string {
  return randomBytes(16).toString('base64url');
}

/** The parts of a verslag attachment's key (docs/workflow.md); all made by the server. */
export interface ReportAttachmentKeyParts {
  schoolYear: string;
  studentNumber: string;
  appointmentId: string;
  attachmentId: string;
}

/**
 * The keys of a verslag's attachment: where the app puts the posted bytes
 * (`uploads/<schoolYear>/<studentNumber>/appointments/<appointmentId>/<attachmentId>`) and where
 * `AttachmentStore.accept` copies them once verified (the same under `attachments/`). Each part is
 * checked as a request's is; `appointments/` keeps them apart from the forms' attachments.
 */
export function reportAttachmentKeys(parts: ReportAttachmentKeyParts): { upload: string; served: string } {
  const checks: [keyof ReportAttachmentKeyParts, RegExp][] = [
    ['schoolYear', KEY_PART_PATTERNS.schoolYear],
    ['studentNumber', KEY_PART_PATTERNS.studentNumber],
    ['appointmentId', KEY_PART_PATTERNS.requestId],
    ['attachmentId', KEY_PART_PATTERNS.attachmentId],
  ];
  for (const [name, pattern] of checks) {
    if (!pattern.test(parts[name])) throw new Error(`reportAttachmentKeys: invalid ${name} ${JSON.stringify(parts[name])}`);
  }
  const path = `${parts.schoolYear}/${parts.studentNumber}/appointments/${parts.appointmentId}/${parts.attachmentId}`;
  return { upload: `${UPLOADS_PREFIX}${path}`, served: `${ATTACHMENTS_PREFIX}${path}` };
}
