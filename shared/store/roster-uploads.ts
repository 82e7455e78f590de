import { createHash, randomBytes } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Temporal } from 'temporal-polyfill';
import {
  ROSTER_UPLOAD_VALID_HOURS,
  RosterUploadChangedError,
  type PendingRosterUpload,
  type RosterClaimRefusal,
} from '../model/roster-uploads.ts';
import { emailKey } from '../roster/placement.ts';
import { rosterUploadKeys } from './keys.ts';
import { TTL_ATTRIBUTE } from './table.ts';

/** Where uploaded roster files wait for their confirmation; the bucket's lifecycle clears the prefix after a day. */
export const ROSTER_UPLOAD_PREFIX = 'roster-uploads/';

/** What an upload id looks like (32 random bytes, base64url); anything else is not looked up. */
const UPLOAD_ID = /^[A-Za-z0-9_-]{43}$/;

/**
 * Roster files between preview and confirmation. The bytes go to S3 (the attachments bucket,
 * under `roster-uploads/`): a roster may be up to 2 MB, beyond DynamoDB's 400 KB item limit. What
 * the confirmation trusts lives in the table, never in the browser: a pending item with the
 * uploader, the SHA-256 and the object version, valid {@link ROSTER_UPLOAD_VALID_HOURS} hours,
 * removed by TTL a day later. A confirmation claims the item with one conditional delete, so of
 * two confirmations (a double click, two tabs) exactly one imports.
 */
export class RosterUploadStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Stores a file for a later confirmation by `uploadedBy`. */
  async put(bytes: Uint8Array, uploadedBy: string, now: Temporal.Instant): Promise<PendingRosterUpload> {
    const id = randomBytes(32).toString('base64url');
    const key = `${ROSTER_UPLOAD_PREFIX}${id}`;
    const stored = await this.s3.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: bytes, ContentType: 'text/csv', CacheControl: 'no-store' }),
    );
    const validUntilMs = now.epochMilliseconds + ROSTER_UPLOAD_VALID_HOURS * 3_600_000;
    const upload: PendingRosterUpload = {
      id,
      uploadedBy: emailKey(uploadedBy),
      sha256: sha256(bytes),
      size: bytes.byteLength,
      key,
      versionId: stored.VersionId,
      createdAt: now.toString(),
      validUntilMs,
    };
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...rosterUploadKeys(id), entity: 'rosterupload', ...upload, [TTL_ATTRIBUTE]: Math.floor(validUntilMs / 1000) + 24 * 3600 },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
    return upload;
  }

  /**
   * Claims a pending upload for its confirmation: one conditional delete that succeeds only while
   * the upload exists, is still valid and belongs to `email`. Otherwise, why not.
   */
  async claim(id: string, email: string, now: Temporal.Instant): Promise<PendingRosterUpload | RosterClaimRefusal> {
    if (!UPLOAD_ID.test(id)) return 'gone';
    try {
      const result = await this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: rosterUploadKeys(id),
          ConditionExpression: 'attribute_exists(PK) AND uploadedBy = :email AND validUntilMs > :now',
          ExpressionAttributeValues: { ':email': emailKey(email), ':now': now.epochMilliseconds },
          ReturnValues: 'ALL_OLD',
        }),
      );
      if (!result.Attributes) return 'gone';
      return toUpload(result.Attributes);
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const found = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: rosterUploadKeys(id), ConsistentRead: true }));
      if (!found.Item) return 'gone';
      return String(found.Item.uploadedBy) !== emailKey(email) ? 'not-yours' : 'expired';
    }
  }

  /** Puts a claimed upload back (the import failed), so its owner can confirm it again. */
  async release(upload: PendingRosterUpload): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...rosterUploadKeys(upload.id),
          entity: 'rosterupload',
          ...upload,
          [TTL_ATTRIBUTE]: Math.floor(upload.validUntilMs / 1000) + 24 * 3600,
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  }

  /** The exact bytes that were previewed: the stored version, checked against its SHA-256. */
  async read(upload: PendingRosterUpload): Promise<Uint8Array> {
    const result = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: upload.key, VersionId: upload.versionId }));
    if (!result.Body) throw new Error(`GetObject ${upload.key} returned no body`);
    const bytes = await result.Body.transformToByteArray();
    if (sha256(bytes) !== upload.sha256) throw new RosterUploadChangedError();
    return bytes;
  }

  /** Deletes the stored bytes for good (the version itself, in a versioned bucket). */
  async remove(upload: PendingRosterUpload): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: upload.key, VersionId: upload.versionId }));
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function toUpload(item: Record<string, unknown>): PendingRosterUpload {
  return {
    id: String(item.id),
    uploadedBy: String(item.uploadedBy),
    sha256: String(item.sha256),
    size: Number(item.size),
    key: String(item.key),
    versionId: typeof item.versionId === 'string' ? item.versionId : undefined,
    createdAt: String(item.createdAt),
    validUntilMs: Number(item.validUntilMs),
  };
}
