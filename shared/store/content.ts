import { randomBytes } from 'node:crypto';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, paginateQuery, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Temporal } from 'temporal-polyfill';
import { SchoolYearSchema, type SchoolYear } from '../calendar.ts';
import { DomainError } from '../errors.ts';
import { parseFormDefinition, type FormDefinition } from '../forms/definition.ts';
import { logger } from '../log.ts';
import { parseTasks, type YearTasks } from '../tasks.ts';
import type { AuditWrite } from './audit.ts';
import { contentKeys, type ContentKind } from './keys.ts';
import { transactWrite, TTL_ATTRIBUTE, type TransactionWrite } from './table.ts';

/**
 * The content a coordinator publishes (docs/year-content.md, "Data model"): published form
 * versions and school-year versions in the `CONTENT` partition (never changed once written),
 * concepts (a checked upload waiting for "Publiceren") in `CONTENTDRAFT` with a TTL, and the
 * uploaded workbooks in S3 under `content/<kind>/<subject>/<uploadId>.xlsx`, kept as evidence.
 * Definitions, years and tasks are stored as JSON strings and validated again when read: an item
 * that no longer validates is left out (and logged), never served.
 */

/** How long a concept waits for its publication. */
export const CONCEPT_VALID_DAYS = 7;

/** What an upload id looks like (16 random bytes, base64url); anything else is not looked up. */
const UPLOAD_ID = /^[A-Za-z0-9_-]{22}$/;

/** Who published a version, when, and from which file. */
export interface PublicationMeta {
  /** ISO instant. */
  publishedAt: string;
  /** The admin's lower-cased email. */
  publishedBy: string;
  /** The uploaded workbook's S3 key. */
  workbookKey: string;
  fileName: string;
}

/** One published version of a form. */
export interface StoredFormVersion extends PublicationMeta {
  formId: string;
  version: number;
  definition: FormDefinition;
}

/** One published version of a school year: its calendar and its tasks. */
export interface StoredYearVersion extends PublicationMeta {
  yearId: string;
  version: number;
  year: SchoolYear;
  tasks: YearTasks;
}

/** Every published version of one school year, oldest first, and the one that applies. */
export interface StoredYearHistory {
  yearId: string;
  latest: StoredYearVersion;
  versions: StoredYearVersion[];
}

/** Everything published, as one Query of `CONTENT` reads it. */
export interface StoredContent {
  /** Every published form version, by form id then version (oldest first). */
  forms: StoredFormVersion[];
  /** Every published school year, by id. */
  years: StoredYearHistory[];
}

/** What a concept holds: the checked definition of a form, or a school year with its tasks. */
export type ConceptContent = { kind: 'form'; definition: FormDefinition } | { kind: 'year'; year: SchoolYear; tasks: YearTasks };

/**
 * The most a form definition, or a school year with its tasks, may take as stored JSON (UTF-8
 * bytes): a DynamoDB item holds at most 400 KB, and the concept and version items carry their
 * other attributes too. A bigger upload is refused before anything is stored.
 */
export const MAX_CONTENT_BYTES = 300 * 1024;

/** The size of a concept's content as the concept and version items store it (UTF-8 bytes of its JSON). */
export function contentBytes(content: ConceptContent): number {
  const json = content.kind === 'form' ? JSON.stringify({ definition: content.definition }) : JSON.stringify({ year: content.year, tasks: content.tasks });
  return Buffer.byteLength(json, 'utf8');
}

/** A checked upload, waiting for its publication. */
export type Concept = {
  uploadId: string;
  /** The form id or school-year id. */
  subject: string;
  /** The version that was the latest when the workbook was uploaded (0: none). */
  baseVersion: number;
  uploadedBy: string;
  uploadedAt: string;
  workbookKey: string;
  fileName: string;
  /** Epoch seconds after which the concept is gone. */
  expiresAt: number;
} & ConceptContent;

/** A concept of one kind. */
export type ConceptOf<K extends ContentKind> = Concept & { kind: K };

/** What a publication that kept meeting other writes at the same moment is told. */
export const CONTENT_BUSY_MESSAGE = 'Er werd tegelijk iets anders gepubliceerd; probeer het opnieuw.';

/**
 * A publication that lost: the version exists already (someone else published it first), the
 * concept was published or removed meanwhile, or the transaction kept meeting other writes at the
 * same moment (`busy`: nobody won, trying again works). Nothing was written.
 */
export class ContentConflictError extends DomainError {
  constructor(
    message = 'Iemand anders heeft intussen een nieuwe versie gepubliceerd. Upload uw werkmap opnieuw om te zien wat er veranderd is.',
    /** Which condition failed: the version item existed, the concept was gone, or the transaction met others (or its audit event's id clashed). */
    readonly reason: 'version-taken' | 'concept-gone' | 'busy' = 'version-taken',
  ) {
    super(message, 409);
  }
}

/**
 * The published content alone, for a process that only reads it (the digest planner): no S3
 * client, nothing else of the store.
 */
export function publishedContent(doc: DynamoDBDocumentClient, tableName: string): { loadAll(): Promise<StoredContent> } {
  return { loadAll: () => loadPublished(doc, tableName) };
}

/** Everything published: one paginated, consistent Query of the `CONTENT` partition. */
async function loadPublished(doc: DynamoDBDocumentClient, tableName: string): Promise<StoredContent> {
  const forms: StoredFormVersion[] = [];
  const years = new Map<string, StoredYearVersion[]>();
  const pages = paginateQuery(
    { client: doc },
    {
      TableName: tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': contentKeys.partition() },
      ConsistentRead: true,
    },
  );
  for await (const page of pages) {
    for (const item of page.Items ?? []) {
      const key = contentKeys.versionOf(String(item.SK));
      if (!key) continue;
      if (key.kind === 'form') {
        const form = toFormVersion(item, key.subject, key.version);
        if (form) forms.push(form);
      } else {
        const year = toYearVersion(item, key.subject, key.version);
        if (year) years.set(year.yearId, [...(years.get(year.yearId) ?? []), year]);
      }
    }
  }
  forms.sort((a, b) => a.formId.localeCompare(b.formId) || a.version - b.version);
  return {
    forms,
    years: [...years.entries()].map(([yearId, versions]) => {
      const sorted = versions.sort((a, b) => a.version - b.version);
      return { yearId, latest: sorted[sorted.length - 1]!, versions: sorted };
    }),
  };
}

/** The content repository over the single table and the bucket. */
export class ContentStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  /** Everything published: one paginated, consistent Query of the `CONTENT` partition. */
  loadAll(): Promise<StoredContent> {
    return loadPublished(this.doc, this.tableName);
  }

  /** The highest published version of a form or school year in the table (consistent read); 0 when there is none. */
  async latestVersion(kind: ContentKind, subject: string): Promise<number> {
    const result = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': contentKeys.partition(), ':prefix': contentKeys.versionPrefix(kind, subject) },
        ProjectionExpression: 'SK',
        ScanIndexForward: false,
        ConsistentRead: true,
        Limit: 1,
      }),
    );
    const sk = result.Items?.[0]?.SK;
    return typeof sk === 'string' ? (contentKeys.versionOf(sk)?.version ?? 0) : 0;
  }

  /**
   * Stores a concept and then the uploaded workbook's bytes it points to, valid
   * {@link CONCEPT_VALID_DAYS} days. The item goes first: a refused item (too big, say) leaves no
   * bytes behind, and when the bytes cannot be stored the item is removed again. Either way the
   * error is thrown and nothing stays.
   */
  async putConcept(
    input: { subject: string; baseVersion: number; fileName: string; uploadedBy: string; bytes: Uint8Array } & ConceptContent,
    now: Temporal.Instant,
  ): Promise<Concept> {
    const uploadId = randomBytes(16).toString('base64url');
    const workbookKey = contentKeys.workbookObject(input.kind, input.subject, uploadId);
    const common = {
      uploadId,
      subject: input.subject,
      baseVersion: input.baseVersion,
      uploadedBy: input.uploadedBy,
      uploadedAt: now.toString(),
      workbookKey,
      fileName: input.fileName,
      expiresAt: Math.floor(now.epochMilliseconds / 1000) + CONCEPT_VALID_DAYS * 24 * 3600,
    };
    const concept: Concept =
      input.kind === 'form'
        ? { ...common, kind: 'form', definition: input.definition }
        : { ...common, kind: 'year', year: input.year, tasks: input.tasks };
    const content = concept.kind === 'form' ? { definition: concept.definition } : { year: concept.year, tasks: concept.tasks };
    const key = contentKeys.draft(concept.kind, uploadId);
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...key,
          entity: 'contentdraft',
          kind: concept.kind,
          subject: concept.subject,
          baseVersion: concept.baseVersion,
          content: JSON.stringify(content),
          uploadedBy: concept.uploadedBy,
          uploadedAt: concept.uploadedAt,
          workbookKey,
          fileName: concept.fileName,
          [TTL_ATTRIBUTE]: concept.expiresAt,
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
    try {
      await this.s3.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: workbookKey,
          Body: input.bytes,
          ContentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          CacheControl: 'no-store',
        }),
      );
    } catch (error) {
      // No concept without its workbook: a concept whose bytes are missing could be published without evidence.
      await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: key })).catch((cleanup: unknown) => {
        logger.error('concept without its workbook not removed', { sk: key.SK, error: (cleanup as Error).name });
      });
      throw error;
    }
    return concept;
  }

  /** A concept that has not expired, or undefined (unknown id, published, expired, or no longer valid). */
  async getConcept<K extends ContentKind>(kind: K, uploadId: string, now: Temporal.Instant): Promise<ConceptOf<K> | undefined> {
    if (!UPLOAD_ID.test(uploadId)) return undefined;
    const result = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: contentKeys.draft(kind, uploadId), ConsistentRead: true }));
    const concept = result.Item ? toConcept(result.Item) : undefined;
    if (!concept || concept.kind !== kind || expired(concept, now)) return undefined;
    return concept as ConceptOf<K>;
  }

  /** Every concept that has not expired, newest first. */
  async listConcepts(now: Temporal.Instant): Promise<Concept[]> {
    const concepts: Concept[] = [];
    const pages = paginateQuery(
      { client: this.doc },
      {
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': contentKeys.draftPartition() },
        ConsistentRead: true,
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        const concept = toConcept(item);
        if (concept && !expired(concept, now)) concepts.push(concept);
      }
    }
    return concepts.sort((a, b) => b.uploadedAt.localeCompare(a.uploadedAt));
  }

  /** Removes a concept (its bytes stay in S3, as evidence). */
  async deleteConcept(kind: ContentKind, uploadId: string): Promise<void> {
    if (!UPLOAD_ID.test(uploadId)) return;
    await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: contentKeys.draft(kind, uploadId) }));
  }

  /**
   * Publishes a form version: one TransactWriteItems of the version item (only if that version
   * does not exist), the audit event and, when given, the removal of the concept it came from
   * (only if it is still there). Either all of it is written or nothing.
   *
   * @throws ContentConflictError when the version exists already or the concept is gone
   */
  async publishForm(form: StoredFormVersion, audit: AuditWrite, concept?: { uploadId: string }): Promise<void> {
    await this.publish(
      {
        ...contentKeys.version('form', form.formId, form.version),
        entity: 'contentform',
        formId: form.formId,
        version: form.version,
        definition: JSON.stringify(form.definition),
        ...meta(form),
      },
      audit,
      concept && contentKeys.draft('form', concept.uploadId),
    );
  }

  /**
   * Publishes a school-year version, as {@link publishForm} does a form version.
   *
   * @throws ContentConflictError when the version exists already or the concept is gone
   */
  async publishYear(year: StoredYearVersion, audit: AuditWrite, concept?: { uploadId: string }): Promise<void> {
    await this.publish(
      {
        ...contentKeys.version('year', year.yearId, year.version),
        entity: 'contentyear',
        yearId: year.yearId,
        version: year.version,
        year: JSON.stringify(year.year),
        tasks: JSON.stringify(year.tasks),
        ...meta(year),
      },
      audit,
      concept && contentKeys.draft('year', concept.uploadId),
    );
  }

  private async publish(item: Record<string, unknown>, audit: AuditWrite, concept: { PK: string; SK: string } | undefined): Promise<void> {
    const items: TransactionWrite[] = [
      { Put: { TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(PK)' } },
      audit,
      ...(concept ? [{ Delete: { TableName: this.tableName, Key: concept, ConditionExpression: 'attribute_exists(PK)' } }] : []),
    ];
    await transactWrite(this.doc, items, {
      onConditionFailed: (failed) => {
        if (failed.includes(0)) return new ContentConflictError(undefined, 'version-taken');
        if (failed.includes(2)) return new ContentConflictError(undefined, 'concept-gone');
        // Only the audit event's id clashed (all but impossible): nothing was written, trying again works.
        return new ContentConflictError(CONTENT_BUSY_MESSAGE, 'busy');
      },
      // Another transaction on the same items at the same moment, every time it was tried.
      busy: () => new ContentConflictError(CONTENT_BUSY_MESSAGE, 'busy'),
    });
  }
}

function meta(value: PublicationMeta): PublicationMeta {
  return { publishedAt: value.publishedAt, publishedBy: value.publishedBy, workbookKey: value.workbookKey, fileName: value.fileName };
}

function expired(concept: Concept, now: Temporal.Instant): boolean {
  return concept.expiresAt * 1000 <= now.epochMilliseconds;
}

function readMeta(item: Record<string, unknown>): PublicationMeta {
  return {
    publishedAt: String(item.publishedAt),
    publishedBy: String(item.publishedBy),
    workbookKey: String(item.workbookKey),
    fileName: String(item.fileName),
  };
}

/** Runs a validation; a stored item that fails it is logged by its key and left out. */
function validated<T>(item: Record<string, unknown>, parse: () => T): T | undefined {
  try {
    return parse();
  } catch (error) {
    logger.error('content item left out: no longer valid', { pk: String(item.PK), sk: String(item.SK), error: (error as Error).name });
    return undefined;
  }
}

function toFormVersion(item: Record<string, unknown>, formId: string, version: number): StoredFormVersion | undefined {
  const definition = validated(item, () => parseFormDefinition(JSON.parse(String(item.definition))));
  if (!definition) return undefined;
  if (definition.id !== formId || definition.version !== version) {
    logger.error('content item left out: key and definition differ', { pk: String(item.PK), sk: String(item.SK) });
    return undefined;
  }
  return { formId, version, definition, ...readMeta(item) };
}

function parseYear(yearId: string, yearJson: unknown, tasksJson: unknown): { year: SchoolYear; tasks: YearTasks } {
  const year = SchoolYearSchema.parse(JSON.parse(String(yearJson)));
  if (year.id !== yearId) throw new Error('year id differs from key');
  const tasks = parseTasks({ years: { [yearId]: JSON.parse(String(tasksJson)) } }).years[yearId]!;
  return { year, tasks };
}

function toYearVersion(item: Record<string, unknown>, yearId: string, version: number): StoredYearVersion | undefined {
  const parsed = validated(item, () => parseYear(yearId, item.year, item.tasks));
  return parsed && { yearId, version, ...parsed, ...readMeta(item) };
}

function toConcept(item: Record<string, unknown>): Concept | undefined {
  const common = {
    uploadId: String(item.SK).slice(String(item.SK).indexOf('#') + 1),
    subject: String(item.subject),
    baseVersion: Number(item.baseVersion),
    uploadedBy: String(item.uploadedBy),
    uploadedAt: String(item.uploadedAt),
    workbookKey: String(item.workbookKey),
    fileName: String(item.fileName),
    expiresAt: Number(item[TTL_ATTRIBUTE]),
  };
  if (item.kind === 'form') {
    const definition = validated(item, () => parseFormDefinition((JSON.parse(String(item.content)) as { definition: unknown }).definition));
    return definition && { ...common, kind: 'form', definition };
  }
  if (item.kind === 'year') {
    const parsed = validated(item, () => {
      const content = JSON.parse(String(item.content)) as { year: unknown; tasks: unknown };
      return parseYear(common.subject, JSON.stringify(content.year), JSON.stringify(content.tasks));
    });
    return parsed && { ...common, kind: 'year', ...parsed };
  }
  return undefined;
}
