import { DomainError, NotFoundError } from '../errors.ts';
import { logger } from '../log.ts';
import type { RequestStore } from '../store/requests.ts';
import type { AttachmentRef, FinalScanVerdict, RequestRecord } from '../model/requests.ts';
import { isInlineType } from './policy.ts';
import type { ScanVerdict } from './scan.ts';
import type { ScanStatusReader } from '../store/scans.ts';
import { AttachmentChangedError, type AttachmentStore, type OpenedAttachment } from '../store/attachments.ts';

/**
 * Serving attachments, the one path every download route takes (`/f`, `/s` and `/overzicht`):
 * find the attachment of this request, ask its malware scan verdict about exactly the verified
 * version, and open exactly that version, only when the verdict is `clean`.
 */

/** What serving attachments needs. */
export interface AttachmentServingDeps {
  requests: Pick<RequestStore, 'listAttachments' | 'recordScanVerdict'>;
  attachments: Pick<AttachmentStore, 'open'>;
  scans: Pick<ScanStatusReader, 'verdict'>;
}

/** An attachment with its current scan verdict, for the lists on the pages. */
export type ShownAttachment = AttachmentRef & { verdict: ScanVerdict };

type RequestKey = Pick<RequestRecord, 'schoolYear' | 'studentNumber' | 'requestId'>;

/** The malware scan has not finished yet; the page asks to try again in a minute. */
export class ScanPendingError extends DomainError {
  /** Seconds after which trying again makes sense (the Retry-After header). */
  readonly retryAfterSeconds = 60;
  constructor() {
    // 409: the attachment exists but its current state (not yet scanned) does not allow serving it;
    // nothing is wrong with the server, so not a 5xx (which the alarms and logs count as faults).
    super('Deze bijlage wordt nog gecontroleerd op virussen; probeer het over een minuut opnieuw.', 409);
  }
}

/** The scan found a threat, or could not judge the file: it is never served. */
export class AttachmentBlockedError extends DomainError {
  constructor(verdict: 'threat' | 'unscannable') {
    super(
      verdict === 'threat'
        ? 'Deze bijlage is geblokkeerd: bij de controle is mogelijk een virus gevonden. Het bestand wordt niet getoond.'
        : 'Deze bijlage is geblokkeerd: het bestand kon niet op virussen worden gecontroleerd en wordt daarom niet getoond.',
      // 410: quarantined for good; 403: it exists, but nobody may have it.
      verdict === 'threat' ? 410 : 403,
    );
  }
}

/**
 * The scan verdict of one attachment: the one recorded on its item when final, else the S3 tag of
 * its verified version (then recorded when final, best-effort, so pages stop asking S3).
 */
export async function verdictOf(deps: AttachmentServingDeps, request: RequestKey, attachment: AttachmentRef): Promise<ScanVerdict> {
  if (attachment.scanVerdict) return attachment.scanVerdict;
  const verdict = await deps.scans.verdict(attachment.key, attachment.versionId);
  if (verdict !== 'pending') {
    await deps.requests.recordScanVerdict(request, attachment.id, verdict satisfies FinalScanVerdict).catch((error: unknown) => {
      logger.error('recording a scan verdict failed', { requestId: request.requestId, error: String((error as Error).name) });
    });
  }
  return verdict;
}

/**
 * The attachments of a request with their scan verdicts, for the lists on the pages. A verdict
 * that cannot be read shows as pending: the list then offers no link, and nothing is served.
 */
export async function attachmentsWithVerdicts(
  deps: AttachmentServingDeps,
  request: RequestKey,
  attachments?: AttachmentRef[],
): Promise<ShownAttachment[]> {
  const list = attachments ?? (await deps.requests.listAttachments(request));
  return Promise.all(
    list.map(async (attachment) => {
      const verdict = await verdictOf(deps, request, attachment).catch((error: unknown) => {
        logger.error('reading a scan verdict failed', { requestId: request.requestId, error: String((error as Error).name) });
        return 'pending' as const;
      });
      return { ...attachment, verdict };
    }),
  );
}

/** An attachment ready to be served: exactly its verified, clean bytes. */
export interface ServableAttachment {
  attachment: AttachmentRef;
  opened: OpenedAttachment;
  /** PDF, JPEG and PNG are shown in the browser; everything else is downloaded. */
  inline: boolean;
}

/**
 * Opens an attachment of a request for serving, or throws the Dutch reason it is not served.
 * `attachments`, the request's list when the caller has read it already, saves reading it again.
 *
 * @throws NotFoundError when the request has no such attachment
 * @throws ScanPendingError while the malware scan has no verdict
 * @throws AttachmentBlockedError when the scan found a threat or could not judge the file
 */
export async function openForServing(
  deps: AttachmentServingDeps,
  request: RequestKey,
  attachmentId: string,
  attachments?: readonly AttachmentRef[],
): Promise<ServableAttachment> {
  const attachment = (attachments ?? (await deps.requests.listAttachments(request))).find((a) => a.id === attachmentId);
  if (!attachment) throw new NotFoundError('Deze bijlage bestaat niet.');
  let verdict: ScanVerdict;
  try {
    verdict = await verdictOf(deps, request, attachment);
  } catch (error) {
    // The recorded object (version) is gone from the bucket: nothing to serve.
    if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) {
      throw new NotFoundError('Deze bijlage is niet meer beschikbaar.');
    }
    throw error;
  }
  if (verdict === 'pending') throw new ScanPendingError();
  if (verdict !== 'clean') throw new AttachmentBlockedError(verdict);
  try {
    const opened = await deps.attachments.open(attachment.key, { versionId: attachment.versionId, etag: attachment.etag });
    return { attachment, opened, inline: isInlineType(attachment.type) };
  } catch (error) {
    if (error instanceof AttachmentChangedError) throw new DomainError('Deze bijlage is na de controle gewijzigd en wordt daarom niet getoond.', 409);
    throw error;
  }
}
