import { DomainError } from '../errors.ts';
import { reasons } from '../attachments/policy.ts';
import type { Person } from '../roster/placement.ts';

/*
 * Requests: a form asked of an observer for one student in one period, its append-only
 * versions and attachments, and the errors their writes answer with (store/requests.ts).
 */

/** Who may be asked to fill in a form. */
export const OBSERVER_ROLES = ['wpb', 'so', 'io'] as const;
export type ObserverRole = (typeof OBSERVER_ROLES)[number];

/** Where a request stands: asked, a draft saved, submitted, or withdrawn by the student before any submission. */
export type RequestState = 'gevraagd' | 'concept' | 'ingediend' | 'ingetrokken';

/** The states in which nothing has been submitted yet and the student may still withdraw the request. */
export const WITHDRAWABLE_STATES = ['gevraagd', 'concept'] as const satisfies readonly RequestState[];

/** A form asked of an observer for one student in one period. */
export interface RequestRecord {
  schoolYear: string;
  studentNumber: string;
  requestId: string;
  formId: string;
  observerRole: ObserverRole;
  observer: Person;
  lessonDate?: string;
  className?: string;
  question?: string;
  period: number;
  /** The period's student deadline (YYYY-MM-DD): editable until the end of that day. */
  deadline: string;
  state: RequestState;
  latestVersion: number;
  submittedAt?: string;
  linkId: string;
  linkHash: string;
  /** Set when staff revoked the request's link (the link item says so too); a reissue clears it. */
  linkRevokedAt?: string;
  /** When the student withdrew the request (state `ingetrokken`); its link is revoked then too. */
  withdrawnAt?: string;
  createdAt: string;
  origin: 'student' | 'auto';
  /** The lesbezoek this request belongs to, when the student planned it as one (docs/workflow.md). */
  appointmentId?: string;
  student: Person;
  school: string;
  vak: string;
}

/** An uploaded, verified attachment of a request. */
export interface AttachmentRef {
  id: string;
  key: string;
  name: string;
  size: number;
  type: string;
  addedAt: string;
  /** The S3 object version that was verified; downloads serve exactly that one. */
  versionId?: string;
  /** The ETag of the verified bytes; downloads serve them only while it matches (also where S3 keeps no versions). */
  etag?: string;
  /**
   * The malware scan's final verdict, recorded the first time it is read, so pages need not ask
   * S3 again. Absent while the scan is pending (and on attachments stored before scanning).
   */
  scanVerdict?: FinalScanVerdict;
}

/** A malware scan verdict that no longer changes. */
export type FinalScanVerdict = 'clean' | 'threat' | 'unscannable';

/**
 * An upload the app presigned and has not verified yet. Verify acts only on one of these, and
 * claims it with one conditional delete: a replay, a parallel call or an id of another form
 * finds nothing and changes nothing.
 */
export interface PendingUpload {
  id: string;
  /** Where the browser posts the bytes (`uploads/...`). */
  uploadKey: string;
  /** Where the verified bytes will be served from (`attachments/...`). */
  key: string;
  /** The safe file name, as declared. */
  name: string;
  /** The canonical MIME type the upload was presigned with. */
  type: string;
  /** Verify is refused after this instant (epoch ms): a little after the presigned POST expires. */
  validUntilMs: number;
}

/** The form already has the most attachments allowed. */
export class TooManyAttachmentsError extends DomainError {
  constructor(max: number) {
    super(reasons.tooMany(max), 409);
  }
}

/** The attachment cannot be removed: the form was submitted, or the attachment is gone. */
export class AttachmentNotRemovableError extends DomainError {}

/** One saved version of a form: append-only. */
export interface SubmissionVersion {
  requestId: string;
  version: number;
  formId: string;
  formVersion: number;
  answers: Record<string, string>;
  status: 'concept' | 'ingediend';
  savedAt: string;
  savedBy: string;
  attachments: AttachmentRef[];
}

/** A student's own page link, kept beside the placement. */
export interface StudentLinkRecord {
  schoolYear: string;
  studentNumber: string;
  school: string;
  linkId: string;
  linkHash: string;
}

/** Someone saved the same form at the same time; the caller shows the user their values again. */
export class VersionConflictError extends DomainError {
  constructor(message = 'Dit formulier is intussen door iemand anders opgeslagen. Uw antwoorden staan hieronder nog; controleer ze en sla opnieuw op.') {
    super(message, 409);
  }
}

/** The request's link or observer changed between read and write (two staff members at once). */
export class LinkChangedError extends DomainError {
  constructor() {
    super('De link van deze aanvraag is intussen door iemand anders gewijzigd. Laad de pagina opnieuw en kijk of de actie nog nodig is.', 409);
  }
}

/** The request was submitted, withdrawn or given another link between read and write. */
export class WithdrawConflictError extends DomainError {
  constructor() {
    super('Deze aanvraag is intussen gewijzigd. Laad de pagina opnieuw.', 409);
  }
}

/** The request already exists (an automatic request made twice). */
export class RequestExistsError extends DomainError {
  constructor() {
    super('Deze aanvraag bestaat al.', 409);
  }
}

/** Another save of the same form kept getting in the way; nothing was written. */
export class BusyError extends DomainError {
  constructor() {
    super('Er werd op hetzelfde moment iets anders aan dit formulier opgeslagen. Er is niets gewijzigd; probeer het nog eens.', 409);
  }
}
