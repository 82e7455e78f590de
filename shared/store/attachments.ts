import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import {
  allowedTypeByDetected,
  allowedTypeByMime,
  assertMaxBytes,
  canonicalMime,
  DEFAULT_MAX_BYTES,
  officeTypeFromZipEntries,
  reasons,
  UPLOADS_PREFIX,
  type AllowedType,
} from '../attachments/policy.ts';
import { zipEntryNames } from '../attachments/zip.ts';

/** How many leading bytes are read for magic-byte detection (file-type's own sample size). */
export const SNIFF_BYTES = 4100;

/** Options of an {@link AttachmentStore}. */
export interface AttachmentStoreOptions {
  /** Largest attachment in bytes, unless a call passes its own. @default DEFAULT_MAX_BYTES (20 MB) */
  maxBytes?: number;
  /** How long a presigned upload (POST) stays usable. @default 600 */
  uploadUrlTtlSeconds?: number;
}

/** A presigned POST: the browser posts `fields` (in this order) and then the file, as `file`, to `url`. */
export interface PresignedUpload {
  url: string;
  fields: Record<string, string>;
}

/** Why {@link AttachmentStore.verify} refused an upload (the Dutch `reason` is for the user). */
export type RejectionCode =
  | 'not-found'
  | 'empty'
  | 'too-large'
  | 'upload-type'
  | 'not-allowed'
  | 'mismatch'
  | 'changed';

/** Outcome of {@link AttachmentStore.verify}. */
export type VerifyResult =
  | {
      ok: true;
      /** Size in bytes, as stored. */
      size: number;
      /** The verified type (the allowed type's canonical extension and MIME type). */
      type: { ext: string; mime: string };
      /** ETag of the verified object ({@link AttachmentStore.accept}: of the served copy). */
      etag: string | undefined;
      /**
       * The verified version in a versioned bucket (undefined locally: s3rver keeps no versions).
       * From {@link AttachmentStore.accept} it is the served copy's version: store it and pass it
       * to {@link AttachmentStore.open}, so only those bytes are ever served.
       */
      versionId: string | undefined;
    }
  | { ok: false; code: RejectionCode; reason: string };

/** The pinned bytes of an attachment, from {@link AttachmentStore.open}. */
export interface OpenedAttachment {
  /** The bytes, streamed from S3. */
  body: ReadableStream<Uint8Array>;
  /** Their length in bytes. */
  size: number | undefined;
}

/** The stored attachment is not the verified one any more (its ETag changed): it is not served. */
export class AttachmentChangedError extends Error {
  constructor(key: string) {
    super(`attachment ${key} no longer matches its verified ETag`);
    this.name = 'AttachmentChangedError';
  }
}

/**
 * The attachments adapter over S3: presigned uploads straight from the browser (to `uploads/`),
 * verification of what arrived (the real gate: S3 policy conditions are not enforced by every S3,
 * s3rver ignores them) and its copy to the served key (`attachments/`), reading exactly the
 * verified version back, removal of every version.
 */
export class AttachmentStore {
  readonly #s3: S3Client;
  readonly #bucket: string;
  readonly #maxBytes: number;
  readonly #uploadUrlTtlSeconds: number;

  constructor(s3: S3Client, bucket: string, options: AttachmentStoreOptions = {}) {
    this.#s3 = s3;
    this.#bucket = bucket;
    this.#maxBytes = assertMaxBytes(options.maxBytes ?? DEFAULT_MAX_BYTES);
    this.#uploadUrlTtlSeconds = options.uploadUrlTtlSeconds ?? 600;
  }

  /** How long a presigned upload stays usable, in seconds. */
  get uploadUrlTtlSeconds(): number {
    return this.#uploadUrlTtlSeconds;
  }

  /**
   * A presigned POST for exactly one key, one content type and 1..maxBytes bytes (policy
   * conditions that real S3 enforces). `contentType` must be an allowed type's canonical MIME type
   * (from `checkDeclared(...).type`); it is returned in `fields`, so the browser cannot choose it.
   *
   * @param input.successActionRedirect where S3 sends the browser (303) after a plain HTML form
   *   post; S3 appends `bucket`, `key` and `etag` to it. Without it S3 answers 204.
   */
  async presignUpload(input: {
    key: string;
    contentType: string;
    maxBytes?: number;
    successActionRedirect?: string;
  }): Promise<PresignedUpload> {
    const maxBytes = assertMaxBytes(input.maxBytes ?? this.#maxBytes);
    const type = allowedTypeByMime(input.contentType);
    if (!type || canonicalMime(type) !== input.contentType) {
      throw new Error(`presignUpload: ${input.contentType} is not a canonical allowed type`);
    }
    const fields: Record<string, string> = { 'Content-Type': input.contentType };
    if (input.successActionRedirect !== undefined) fields.success_action_redirect = input.successActionRedirect;
    // createPresignedPost adds an exact-match condition for every field (Content-Type, redirect)
    // and for the key; the explicit ones below say what we rely on.
    return createPresignedPost(this.#s3, {
      Bucket: this.#bucket,
      Key: input.key,
      Conditions: [
        { key: input.key },
        ['content-length-range', 1, maxBytes],
        ['eq', '$Content-Type', input.contentType],
      ],
      Fields: fields,
      Expires: this.#uploadUrlTtlSeconds,
    });
  }

  /**
   * Puts bytes the app received itself (a verslag's attachment, posted through the app, at most a
   * few MB) at an upload key, as a browser's presigned POST would: {@link accept} then verifies
   * them and copies them to the served key. Only under `uploads/`, which nothing serves.
   */
  async putUpload(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    if (!key.startsWith(UPLOADS_PREFIX)) throw new Error(`putUpload: ${key} is not an upload key`);
    await this.#s3.send(new PutObjectCommand({ Bucket: this.#bucket, Key: key, Body: bytes, ContentType: contentType, ContentLength: bytes.byteLength }));
  }

  /**
   * Checks an uploaded object before it counts: it exists, its size is within 1..maxBytes, its
   * stored Content-Type is the declared one, and its first bytes are an allowed type that matches
   * the declared type. Anything refused is deleted, and the Dutch reason returned.
   *
   * docx and pptx are zip packages; file-type names them when `[Content_Types].xml` lies within
   * the first {@link SNIFF_BYTES} bytes (as Word and PowerPoint write them). When it only says
   * "zip", the zip's central directory (read from the end of the object) decides, by the same rule
   * file-type uses: `[Content_Types].xml` plus parts under `word/` or `ppt/`, and no macros.
   *
   * @param options.declaredType the canonical MIME type the upload was presigned with
   */
  async verify(key: string, options: { declaredType: string; maxBytes?: number }): Promise<VerifyResult> {
    const maxBytes = assertMaxBytes(options.maxBytes ?? this.#maxBytes);
    const head = await this.#head(key);
    if (!head) return { ok: false, code: 'not-found', reason: reasons.notFound };

    const pin = { VersionId: head.VersionId, IfMatch: head.ETag };
    const reject = async (code: RejectionCode, reason: string): Promise<VerifyResult> => {
      // With a version id this deletes the refused bytes for good; without (locally) it deletes the object.
      await this.#s3.send(new DeleteObjectCommand({ Bucket: this.#bucket, Key: key, VersionId: head.VersionId }));
      return { ok: false, code, reason };
    };

    const size = head.ContentLength ?? 0;
    if (size < 1) return reject('empty', reasons.empty);
    if (size > maxBytes) return reject('too-large', reasons.tooLarge(maxBytes));

    const declared = allowedTypeByMime(options.declaredType);
    if (!declared) return reject('not-allowed', reasons.typeNotAllowed);
    if ((head.ContentType ?? '').toLowerCase() !== options.declaredType.toLowerCase()) {
      return reject('upload-type', reasons.uploadTypeChanged);
    }

    let detected: AllowedType | undefined;
    try {
      const read = (start: number, end: number) => this.#range(key, pin, start, end);
      const sample = await read(0, Math.min(size, SNIFF_BYTES) - 1);
      // file-type (with strtok3, about 50 kB) loads with the first upload checked, not with every request.
      const { fileTypeFromBuffer } = await import('file-type');
      const sniffed = await fileTypeFromBuffer(sample);
      detected = sniffed && allowedTypeByDetected(sniffed);
      if (!detected && sniffed?.ext === 'zip' && declared.officeZip) {
        const names = await zipEntryNames(read, size);
        detected = names && officeTypeFromZipEntries(names);
      }
    } catch (error) {
      if (statusOf(error) === 412) return reject('changed', reasons.changedDuringCheck);
      throw error;
    }

    if (!detected) return reject('not-allowed', reasons.contentNotAllowed);
    if (detected !== declared) return reject('mismatch', reasons.contentMismatch(declared, detected));
    return {
      ok: true,
      size,
      type: { ext: detected.ext, mime: canonicalMime(detected) },
      etag: head.ETag,
      versionId: head.VersionId,
    };
  }

  /**
   * Verifies an upload ({@link verify}) and, when it passes, makes it an attachment: the exact
   * verified version is copied to `servedKey` (only if its ETag is still the verified one) and the
   * upload is deleted. The upload key is thereby spent: its presigned POST stays usable until it
   * expires, but whatever is posted with it again lands at a key nothing serves.
   *
   * The copy starts without tags (`TaggingDirective: REPLACE`), so the served object gets a malware
   * scan of its own (GuardDuty scans `attachments/` only; locally the ClamAV tagger does the same),
   * and no tag the upload may carry can pass for a scan result.
   *
   * @returns the verify result, with the served copy's ETag and version
   */
  async accept(
    uploadKey: string,
    servedKey: string,
    options: { declaredType: string; maxBytes?: number },
  ): Promise<VerifyResult> {
    const verified = await this.verify(uploadKey, options);
    if (!verified.ok) return verified;
    const source = `${this.#bucket}/${uploadKey}${verified.versionId ? `?versionId=${encodeURIComponent(verified.versionId)}` : ''}`;
    let copy;
    try {
      copy = await this.#s3.send(
        new CopyObjectCommand({
          Bucket: this.#bucket,
          Key: servedKey,
          CopySource: source,
          CopySourceIfMatch: verified.etag,
          MetadataDirective: 'COPY',
          TaggingDirective: 'REPLACE',
        }),
      );
    } catch (error) {
      if (statusOf(error) !== 412) throw error;
      await this.#deleteVersion(uploadKey, verified.versionId);
      return { ok: false, code: 'changed', reason: reasons.changedDuringCheck };
    }
    await this.#deleteVersion(uploadKey, verified.versionId);
    return { ...verified, etag: copy.CopyObjectResult?.ETag ?? verified.etag, versionId: copy.VersionId };
  }

  /**
   * Opens exactly the verified bytes of an attachment for serving: the given version (versioned
   * buckets), and only while its ETag is the verified one (also where there are no versions).
   *
   * @throws AttachmentChangedError when the object's ETag is no longer `etag`
   */
  async open(key: string, pin: { versionId?: string | undefined; etag?: string | undefined }): Promise<OpenedAttachment> {
    let result;
    try {
      result = await this.#s3.send(new GetObjectCommand({ Bucket: this.#bucket, Key: key, VersionId: pin.versionId, IfMatch: pin.etag }));
    } catch (error) {
      if (statusOf(error) === 412) throw new AttachmentChangedError(key);
      throw error;
    }
    if (!result.Body) throw new Error(`GetObject ${key} returned no body`);
    const body = result.Body.transformToWebStream();
    // S3 answers 412 itself; s3rver ignores If-Match, so the ETag it returns is checked too.
    if (pin.etag !== undefined && result.ETag !== pin.etag) {
      await body.cancel();
      throw new AttachmentChangedError(key);
    }
    return { body, size: result.ContentLength };
  }

  /**
   * Deletes an object (an upload that will not be used). In a versioned bucket this adds a delete
   * marker; older versions go by the bucket's lifecycle rule.
   */
  async remove(key: string): Promise<void> {
    await this.#s3.send(new DeleteObjectCommand({ Bucket: this.#bucket, Key: key }));
  }

  /**
   * Deletes an object with every version and delete marker it has (ListObjectVersions, then
   * DeleteObject per version), so no copy of the bytes stays in the bucket's history. Only the
   * exact key: the listing is by prefix, and a longer key sharing it is left alone.
   *
   * s3rver keeps no versions and answers ListObjectVersions with MethodNotAllowed; there one plain
   * delete removes the bytes for good.
   *
   * @returns how many versions (and delete markers) were deleted
   */
  async removeAllVersions(key: string): Promise<number> {
    const versions: (string | undefined)[] = [];
    try {
      let markers: { KeyMarker?: string; VersionIdMarker?: string } = {};
      for (;;) {
        const page = await this.#s3.send(new ListObjectVersionsCommand({ Bucket: this.#bucket, Prefix: key, ...markers }));
        for (const entry of [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]) {
          if (entry.Key === key) versions.push(entry.VersionId);
        }
        if (!page.IsTruncated) break;
        markers = { KeyMarker: page.NextKeyMarker, VersionIdMarker: page.NextVersionIdMarker };
      }
    } catch (error) {
      if ((error as { name?: string }).name !== 'MethodNotAllowed') throw error;
      await this.remove(key);
      return 1;
    }
    for (const versionId of versions) await this.#deleteVersion(key, versionId);
    return versions.length;
  }

  /** Deletes one version for good (with a version id), or the object (without, as locally). */
  async #deleteVersion(key: string, versionId: string | undefined): Promise<void> {
    await this.#s3.send(new DeleteObjectCommand({ Bucket: this.#bucket, Key: key, VersionId: versionId }));
  }

  async #head(key: string) {
    try {
      return await this.#s3.send(new HeadObjectCommand({ Bucket: this.#bucket, Key: key }));
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  async #range(
    key: string,
    pin: { VersionId: string | undefined; IfMatch: string | undefined },
    start: number,
    end: number,
  ): Promise<Uint8Array> {
    const result = await this.#s3.send(
      new GetObjectCommand({ Bucket: this.#bucket, Key: key, Range: `bytes=${start}-${end}`, ...pin }),
    );
    if (!result.Body) throw new Error(`GetObject ${key} returned no body`);
    return result.Body.transformToByteArray();
  }
}

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
}
