import * as z from 'zod';
import { attachmentKey, newAttachmentId, uploadKey } from '#shared/attachments/object-keys.ts';
import { checkDeclared, MAX_FILES_PER_FORM, reasons } from '#shared/attachments/policy.ts';
import { openForServing, type AttachmentServingDeps, type ServableAttachment } from '#shared/attachments/serve.ts';
import { DomainError, ValidationError } from '#shared/errors.ts';
import { logger } from '#shared/log.ts';
import { linkActor } from '#shared/model/audit.ts';
import type { AttachmentRef, RequestRecord } from '#shared/model/requests.ts';
import type { AttachmentStore } from '#shared/store/attachments.ts';
import type { RequestStore } from '#shared/store/requests.ts';
import { recordAudit, type AuditDeps } from './audit.ts';
import { DeadlinePassedError, loadForm, type FormDeps } from './form.ts';

/**
 * The attachments of an observer's form: an upload asked for (a presigned POST straight to S3),
 * verified once it is there, removed before submission, and opened for download (only clean,
 * verified bytes; the same path serves `/f`, `/s` and `/overzicht`).
 */

/** What the attachment use-cases of the form need. */
export interface FormAttachmentDeps extends Pick<FormDeps, 'links' | 'clock' | 'forms' | 'audit' | 'scans'> {
  requests: FormDeps['requests'] & Pick<RequestStore, 'addPendingUpload' | 'claimPendingUpload' | 'addAttachment' | 'removeAttachment'>;
  attachments: Pick<AttachmentStore, 'presignUpload' | 'accept' | 'remove' | 'removeAllVersions' | 'open' | 'uploadUrlTtlSeconds'>;
  /** Largest attachment accepted, in bytes. */
  maxUploadBytes: number;
}

/** An answer the upload script shows as it is: a Dutch reason and its status. */
export interface Refusal {
  kind: 'refused';
  status: 400 | 404 | 409;
  error: string;
}

/** The file the upload script declares before it uploads. */
const UploadRequest = z.object({
  name: z.string().max(1000),
  size: z.number().int().min(0),
  type: z.string().max(200),
});

/** Extra time to finish (verify) an upload after its presigned POST expired: a slow phone connection. */
const VERIFY_GRACE_SECONDS = 300;

/** Where the browser posts the file: the presigned POST and the name and type the app will keep. */
export interface UploadPlan {
  kind: 'planned';
  id: string;
  name: string;
  contentType: string;
  url: string;
  fields: Record<string, string>;
}

/**
 * Plans an upload of a declared file (`file`, the parsed JSON body): checks name, type, size and
 * the number of attachments, presigns a POST for exactly that, and records the pending upload
 * that verify acts on (the name and type declared now, never the ones sent later).
 */
export async function requestUpload(deps: FormAttachmentDeps, input: { token: string; file: unknown }): Promise<UploadPlan | Refusal> {
  const { request, attachments, editable } = await loadForm(deps, input.token);
  if (!editable) throw new DeadlinePassedError(request.deadline);
  const parsed = UploadRequest.safeParse(input.file);
  if (!parsed.success) throw new ValidationError('Kies een bestand om te uploaden.');
  const check = checkDeclared(parsed.data, { maxBytes: deps.maxUploadBytes, existingCount: attachments.length });
  if (!check.ok) return { kind: 'refused', status: 400, error: check.reason };
  const id = newAttachmentId();
  const parts = { schoolYear: request.schoolYear, studentNumber: request.studentNumber, requestId: request.requestId, attachmentId: id };
  const contentType = check.type.mimeTypes[0];
  const upload = await deps.attachments.presignUpload({ key: uploadKey(parts), contentType, maxBytes: deps.maxUploadBytes });
  await deps.requests.addPendingUpload(request, {
    id,
    uploadKey: uploadKey(parts),
    key: attachmentKey(parts),
    name: check.fileName,
    type: contentType,
    validUntilMs: deps.clock.now().epochMilliseconds + (deps.attachments.uploadUrlTtlSeconds + VERIFY_GRACE_SECONDS) * 1000,
  });
  return { kind: 'planned', id, name: check.fileName, contentType, url: upload.url, fields: upload.fields };
}

/**
 * Verifies an upload this app presigned for this form, once: the pending upload is claimed first
 * (a replay, a parallel call, an unknown id or another form's id finds nothing and touches
 * nothing; a verified attachment is never touched here). The checked bytes are copied to the key
 * they are served from, and the count on the request keeps the form at five attachments.
 */
export async function verifyUpload(
  deps: FormAttachmentDeps,
  input: { token: string; id: string },
): Promise<{ kind: 'verified'; attachment: AttachmentRef } | Refusal> {
  const { request, attachments, editable } = await loadForm(deps, input.token);
  if (!editable) throw new DeadlinePassedError(request.deadline);
  const pending = await deps.requests.claimPendingUpload(request, input.id, deps.clock.now().epochMilliseconds);
  if (!pending) return { kind: 'refused', status: 404, error: reasons.unknownUpload };
  if (attachments.length >= MAX_FILES_PER_FORM) {
    await deps.attachments.remove(pending.uploadKey);
    return { kind: 'refused', status: 409, error: reasons.tooMany() };
  }
  const verified = await deps.attachments.accept(pending.uploadKey, pending.key, { declaredType: pending.type, maxBytes: deps.maxUploadBytes });
  if (!verified.ok) return { kind: 'refused', status: 400, error: verified.reason };
  const attachment: AttachmentRef = {
    id: pending.id,
    key: pending.key,
    name: pending.name,
    size: verified.size,
    type: verified.type.mime,
    addedAt: deps.clock.now().toString(),
    ...(verified.versionId ? { versionId: verified.versionId } : {}),
    ...(verified.etag ? { etag: verified.etag } : {}),
  };
  try {
    await deps.requests.addAttachment(request, attachment, { max: MAX_FILES_PER_FORM, existing: attachments.length });
  } catch (error) {
    // The copy is listed nowhere: remove it, whatever stopped the write.
    await deps.attachments.removeAllVersions(pending.key);
    if (error instanceof DomainError && error.expose) return { kind: 'refused', status: error.status as 409, error: error.message };
    throw error;
  }
  return { kind: 'verified', attachment };
}

/**
 * Removes an attachment while the form is not submitted yet (after that it is part of the
 * submitted record): the item and the count first, then every S3 version of the bytes. Why the
 * removal was refused (submitted meanwhile, already gone) comes back as `refused`, with the error
 * a page shows; a link or deadline that stops it is thrown.
 *
 * @throws DeadlinePassedError, and the link's 404/410
 */
export async function removeAttachment(
  deps: FormAttachmentDeps,
  input: { token: string; id: string },
): Promise<{ kind: 'removed'; attachment: AttachmentRef } | (Refusal & { cause: DomainError })> {
  const { request, attachments, editable } = await loadForm(deps, input.token);
  if (!editable) throw new DeadlinePassedError(request.deadline);
  let removed: AttachmentRef;
  try {
    removed = await deps.requests.removeAttachment(request, input.id, { existing: attachments.length });
  } catch (error) {
    if (error instanceof DomainError && error.expose) return { kind: 'refused', status: error.status as 404 | 409, error: error.message, cause: error };
    throw error;
  }
  try {
    await deps.attachments.removeAllVersions(removed.key);
  } catch (error) {
    // The attachment has left the form; bytes left behind go with the school year's retention purge.
    logger.error('deleting attachment versions failed', { requestId: request.requestId, error: String((error as Error).name) });
  }
  await recordAudit(deps, request, { actor: linkActor(request.observerRole), action: 'bijlage verwijderd', requestId: request.requestId, detail: removed.name });
  return { kind: 'removed', attachment: removed };
}

/**
 * Opens an attachment of a request for download, or throws the Dutch reason it is not served
 * (see openForServing), and records "gedownload" after the checks when `record` (a GET, not a
 * HEAD). `attachments`, the request's list when the caller has read it, saves reading it again.
 */
export async function openAttachment(
  deps: AttachmentServingDeps & AuditDeps,
  input: { request: RequestRecord; attachmentId: string; actor: string; record: boolean; attachments?: readonly AttachmentRef[] },
): Promise<ServableAttachment> {
  const { request } = input;
  const served = await openForServing(deps, request, input.attachmentId, input.attachments);
  if (input.record) await recordAudit(deps, request, { actor: input.actor, action: 'gedownload', requestId: request.requestId, detail: served.attachment.name });
  return served;
}

/** Opens an attachment of the form a link opens, for its observer (see {@link openAttachment}). */
export async function openFormAttachment(deps: FormAttachmentDeps, input: { token: string; attachmentId: string; record: boolean }): Promise<ServableAttachment> {
  const { request, attachments } = await loadForm(deps, input.token);
  return openAttachment(deps, { request, attachmentId: input.attachmentId, actor: linkActor(request.observerRole), record: input.record, attachments });
}
