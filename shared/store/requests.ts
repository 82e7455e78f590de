import {
  BatchGetCommand,
  DeleteCommand,
  GetCommand,
  paginateQuery,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { MAX_FILES_PER_FORM, reasons } from '../attachments/policy.ts';
import { DomainError } from '../errors.ts';
import type { Person } from '../roster/placement.ts';
import { linkItem, linkKeys, type LinkItem } from '../links.ts';
import { GSI2 } from './table.ts';

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

/** What a save says when an attachment it lists was removed while it was under way. */
const ATTACHMENT_GONE = 'Een bijlage is intussen verwijderd, dus er is niets opgeslagen. Uw antwoorden staan hieronder nog; controleer de bijlagen en sla opnieuw op.';

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

const pad = (n: number) => String(n).padStart(6, '0');

/** Keys of requests, versions, attachments and student links (see docs/forms-and-links.md). */
export const requestKeys = {
  partition: (schoolYear: string, studentNumber: string) => `PLC#${schoolYear}#${studentNumber}`,
  request: (schoolYear: string, studentNumber: string, requestId: string) => ({
    PK: `PLC#${schoolYear}#${studentNumber}`,
    SK: `REQ#${requestId}`,
  }),
  version: (schoolYear: string, studentNumber: string, requestId: string, version: number) => ({
    PK: `PLC#${schoolYear}#${studentNumber}`,
    SK: `SUB#${requestId}#${pad(version)}`,
  }),
  attachment: (schoolYear: string, studentNumber: string, requestId: string, attachmentId: string) => ({
    PK: `PLC#${schoolYear}#${studentNumber}`,
    SK: `ATT#${requestId}#${attachmentId}`,
  }),
  pendingUpload: (schoolYear: string, studentNumber: string, requestId: string, attachmentId: string) => ({
    PK: `PLC#${schoolYear}#${studentNumber}`,
    SK: `UPL#${requestId}#${attachmentId}`,
  }),
  studentLink: (schoolYear: string, studentNumber: string) => ({
    PK: `PLC#${schoolYear}#${studentNumber}`,
    SK: 'STUDENTLINK',
  }),
  /**
   * Requests and student links also sit in the year index, right after their placement
   * (`SCHOOL#<school>#<nr>` sorts before `SCHOOL#<school>#<nr>#...`), so one paginated Query of
   * a school year reads placements with everything the digest planner needs.
   */
  yearIndex: (schoolYear: string, school: string, studentNumber: string, suffix: string) => ({
    GSI1PK: `YEAR#${schoolYear}`,
    GSI1SK: `SCHOOL#${school}#${studentNumber}#${suffix}`,
  }),
};

/** Requests, their append-only versions, attachments and student links, in the single table. */
export class RequestStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Stores a new request and its link together; fails with RequestExistsError if the id is taken. */
  async create(request: RequestRecord, link: LinkItem): Promise<void> {
    await this.transact(
      [
        {
          Put: {
            TableName: this.tableName,
            Item: {
              ...requestKeys.request(request.schoolYear, request.studentNumber, request.requestId),
              ...requestKeys.yearIndex(request.schoolYear, request.school, request.studentNumber, `REQ#${request.requestId}`),
              entity: 'request',
              ...request,
            },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        { Put: { TableName: this.tableName, Item: linkItem(link), ConditionExpression: 'attribute_not_exists(PK)' } },
      ],
      () => new RequestExistsError(),
    );
  }

  /** One request, or undefined. */
  async get(schoolYear: string, studentNumber: string, requestId: string): Promise<RequestRecord | undefined> {
    return this.getByKeys(requestKeys.request(schoolYear, studentNumber, requestId));
  }

  /** A request by its item keys (as a link stores them). */
  async getByKeys(key: { PK: string; SK: string }): Promise<RequestRecord | undefined> {
    const result = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: key }));
    return result.Item ? stripKeys<RequestRecord>(result.Item) : undefined;
  }

  /** Every request of a placement, oldest first. */
  async listForPlacement(schoolYear: string, studentNumber: string): Promise<RequestRecord[]> {
    return (await this.queryPrefix(requestKeys.partition(schoolYear, studentNumber), 'REQ#')).map((item) =>
      stripKeys<RequestRecord>(item),
    );
  }

  /**
   * Appends version `basis + 1` and moves the request's state, in one transaction: the version
   * must not exist and the request must still be at `basis`. Two saves on the same basis: one
   * wins, the other gets a VersionConflictError. Nothing is ever overwritten.
   */
  async saveVersion(request: RequestRecord, basis: number, version: Omit<SubmissionVersion, 'version' | 'requestId'>): Promise<SubmissionVersion> {
    const next: SubmissionVersion = { ...version, requestId: request.requestId, version: basis + 1 };
    const submitted = version.status === 'ingediend';
    const names: Record<string, string> = { '#state': 'state' };
    const values: Record<string, unknown> = {
      ':basis': basis,
      ':next': next.version,
      ':state': submitted ? 'ingediend' : 'concept',
      ':withdrawn': 'ingetrokken',
    };
    let update = 'SET #state = :state, latestVersion = :next';
    if (submitted) {
      update += ', submittedAt = :at, GSI2PK = :gsi2pk, GSI2SK = :gsi2sk';
      values[':at'] = version.savedAt;
      values[':gsi2pk'] = `PERIOD#${request.schoolYear}#${request.period}`;
      values[':gsi2sk'] = `${request.school}#${request.studentNumber}#${request.requestId}`;
    }
    await this.transact(
      [
        {
          Put: {
            TableName: this.tableName,
            Item: {
              ...requestKeys.version(request.schoolYear, request.studentNumber, request.requestId, next.version),
              entity: 'submission-version',
              ...next,
            },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        {
          Update: {
            TableName: this.tableName,
            Key: requestKeys.request(request.schoolYear, request.studentNumber, request.requestId),
            UpdateExpression: update,
            // A withdrawn request takes no more versions: a submit racing a withdrawal, one wins.
            ConditionExpression: 'latestVersion = :basis AND #state <> :withdrawn',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          },
        },
        // A submission lists its attachments (the CSV links them): each must still exist, so an
        // attachment removed while the submit was under way is never referenced by it.
        ...(submitted
          ? version.attachments.map((attachment) => ({
              ConditionCheck: {
                TableName: this.tableName,
                Key: requestKeys.attachment(request.schoolYear, request.studentNumber, request.requestId, attachment.id),
                ConditionExpression: 'attribute_exists(PK)',
              },
            }))
          : []),
      ],
      // Items 0 and 1 are the version and the request; a failed check after them is an attachment.
      (failed) => new VersionConflictError(failed.some((index) => index > 1) ? ATTACHMENT_GONE : undefined),
    );
    return next;
  }

  /** One version of a request's form, or undefined. */
  async getVersion(request: Pick<RequestRecord, 'schoolYear' | 'studentNumber' | 'requestId'>, version: number): Promise<SubmissionVersion | undefined> {
    if (version < 1) return undefined;
    const result = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: requestKeys.version(request.schoolYear, request.studentNumber, request.requestId, version),
      }),
    );
    return result.Item ? stripKeys<SubmissionVersion>(result.Item) : undefined;
  }

  /**
   * The submitted requests of a period, a page at a time, from GSI2 (`PERIOD#<year>#<n>`),
   * optionally only those whose `<school>#<studentnr>#<requestId>` starts with `prefix`.
   */
  async *submittedPages(schoolYear: string, period: number, options: { prefix?: string; pageSize?: number } = {}): AsyncGenerator<RequestRecord[]> {
    const pages = paginateQuery(
      { client: this.doc },
      {
        TableName: this.tableName,
        IndexName: GSI2,
        Limit: options.pageSize,
        KeyConditionExpression: options.prefix ? 'GSI2PK = :pk AND begins_with(GSI2SK, :prefix)' : 'GSI2PK = :pk',
        ExpressionAttributeValues: { ':pk': `PERIOD#${schoolYear}#${period}`, ...(options.prefix ? { ':prefix': options.prefix } : {}) },
      },
    );
    for await (const page of pages) yield (page.Items ?? []).map((item) => stripKeys<RequestRecord>(item));
  }

  /**
   * Given versions of many requests, 100 per BatchGetItem, unprocessed keys retried with backoff;
   * keyed by `<studentnr>#<requestId>#<version>` (see {@link versionRef}).
   */
  async getVersions(refs: readonly (Pick<RequestRecord, 'schoolYear' | 'studentNumber' | 'requestId'> & { version: number })[]): Promise<Map<string, SubmissionVersion>> {
    const found = new Map<string, SubmissionVersion>();
    for (let i = 0; i < refs.length; i += 100) {
      let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined = {
        [this.tableName]: { Keys: refs.slice(i, i + 100).map((r) => requestKeys.version(r.schoolYear, r.studentNumber, r.requestId, r.version)) },
      };
      for (let attempt = 0; request && Object.keys(request).length > 0; attempt++) {
        if (attempt > 8) throw new Error('DynamoDB left submission versions unprocessed');
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 50 * 2 ** attempt)));
        const result = await this.doc.send(new BatchGetCommand({ RequestItems: request }));
        for (const item of result.Responses?.[this.tableName] ?? []) {
          const [, , studentNumber = ''] = String(item.PK).split('#');
          const version = stripKeys<SubmissionVersion>(item);
          found.set(versionRef({ studentNumber, requestId: version.requestId, version: version.version }), version);
        }
        request = result.UnprocessedKeys as typeof request;
      }
    }
    return found;
  }

  /** Every version of a request's form, oldest first. */
  async listVersions(request: Pick<RequestRecord, 'schoolYear' | 'studentNumber' | 'requestId'>): Promise<SubmissionVersion[]> {
    const items = await this.queryPrefix(requestKeys.partition(request.schoolYear, request.studentNumber), `SUB#${request.requestId}#`);
    return items.map((item) => stripKeys<SubmissionVersion>(item));
  }

  /** Replaces a request's link: the new link is stored, the old one marked revoked. */
  async reissueLink(request: RequestRecord, link: LinkItem, linkId: string, at: string): Promise<void> {
    await this.transact(
      [
        {
          Update: {
            TableName: this.tableName,
            Key: requestKeys.request(request.schoolYear, request.studentNumber, request.requestId),
            UpdateExpression: `SET linkId = :id, linkHash = :hash, ${SUPERSEDED_APPEND} REMOVE linkRevokedAt`,
            // A withdrawn request stays without a working link.
            ConditionExpression: 'linkHash = :old AND attribute_not_exists(withdrawnAt)',
            ExpressionAttributeValues: { ':id': linkId, ':hash': link.hash, ':old': request.linkHash, ':oldList': [request.linkHash], ':none': [] },
          },
        },
        ...this.swapLinkItems(request.linkHash, link, at),
      ],
      () => new LinkChangedError(),
    );
  }

  /**
   * Revokes a request's current link: the link item answers 410 from now on and the request says
   * so (`linkRevokedAt`), in one transaction guarded by the link the caller saw.
   */
  async revokeRequestLink(request: RequestRecord, at: string): Promise<void> {
    await this.transact(
      [
        {
          Update: {
            TableName: this.tableName,
            Key: requestKeys.request(request.schoolYear, request.studentNumber, request.requestId),
            UpdateExpression: 'SET linkRevokedAt = :at',
            ConditionExpression: 'linkHash = :hash AND attribute_not_exists(linkRevokedAt)',
            ExpressionAttributeValues: { ':at': at, ':hash': request.linkHash },
          },
        },
        this.linkRevocation(request.linkHash, at),
      ],
      () => new LinkChangedError(),
    );
  }

  /**
   * Withdraws a request nothing has been submitted for (`gevraagd` or `concept`), in one
   * transaction: the request's state becomes `ingetrokken` only if it is still in one of those
   * states and still has the link the caller saw, and that link is revoked (410 from then on).
   * A submit racing it conflicts on the same item (`saveVersion` refuses a withdrawn request), so
   * exactly one of the two wins. Throws WithdrawConflictError when the condition fails; the caller
   * re-reads the request to tell a replay, a submission and a changed link apart.
   */
  async withdraw(request: RequestRecord, at: string): Promise<void> {
    await this.transact(
      [
        {
          Update: {
            TableName: this.tableName,
            Key: requestKeys.request(request.schoolYear, request.studentNumber, request.requestId),
            UpdateExpression: 'SET #state = :withdrawn, withdrawnAt = :at',
            ConditionExpression: '#state IN (:asked, :draft) AND linkHash = :hash',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':withdrawn': 'ingetrokken', ':at': at, ':asked': 'gevraagd', ':draft': 'concept', ':hash': request.linkHash },
          },
        },
        this.linkRevocation(request.linkHash, at),
      ],
      () => new WithdrawConflictError(),
    );
  }

  /**
   * Gives an open request another observer (a replaced WPB) with a new link, in one transaction:
   * the request's observer and link change only if it still has the link the caller saw and is
   * not submitted; the new link is stored and the old one marked revoked. Drafts stay with the
   * request.
   */
  async reassignObserver(request: RequestRecord, observer: Person, link: LinkItem, linkId: string, at: string): Promise<void> {
    await this.transact(
      [
        {
          Update: {
            TableName: this.tableName,
            Key: requestKeys.request(request.schoolYear, request.studentNumber, request.requestId),
            UpdateExpression: `SET observer = :observer, linkId = :id, linkHash = :hash, ${SUPERSEDED_APPEND} REMOVE linkRevokedAt`,
            ConditionExpression: 'linkHash = :old AND #state <> :submitted AND attribute_not_exists(withdrawnAt)',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: {
              ':observer': { name: observer.name, email: observer.email },
              ':id': linkId,
              ':hash': link.hash,
              ':old': request.linkHash,
              ':oldList': [request.linkHash],
              ':none': [],
              ':submitted': 'ingediend',
            },
          },
        },
        ...this.swapLinkItems(request.linkHash, link, at),
      ],
      () => new LinkChangedError(),
    );
  }

  /**
   * The two writes that replace a link: the new one stored, the old one revoked (kept revoked, so
   * it answers 410). The request remembers the old hash (`supersededLinkHashes`), so the retention
   * purge finds and deletes that link item with the rest of the school year.
   */
  private swapLinkItems(oldHash: string, link: LinkItem, at: string) {
    return [
      { Put: { TableName: this.tableName, Item: linkItem(link), ConditionExpression: 'attribute_not_exists(PK)' } },
      {
        Update: {
          TableName: this.tableName,
          Key: linkKeys(oldHash),
          UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :at)',
          ExpressionAttributeValues: { ':at': at },
        },
      },
    ];
  }

  /**
   * The write that revokes a stored link (410 from then on), for a transaction: only a link that
   * exists, and the first revocation's instant is kept.
   */
  private linkRevocation(hash: string, at: string) {
    return {
      Update: {
        TableName: this.tableName,
        Key: linkKeys(hash),
        UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :at)',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: { ':at': at },
      },
    };
  }

  /** Marks a link revoked: it answers 410 from now on. */
  async revokeLink(hash: string, at: string): Promise<void> {
    await this.transact(
      [
        this.linkRevocation(hash, at),
      ],
      () => new DomainError('Deze link bestaat niet.', 404),
    );
  }

  /** The student's page link of a placement, or undefined. */
  async getStudentLink(schoolYear: string, studentNumber: string): Promise<StudentLinkRecord | undefined> {
    const result = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: requestKeys.studentLink(schoolYear, studentNumber) }),
    );
    return result.Item ? stripKeys<StudentLinkRecord>(result.Item) : undefined;
  }

  /** Stores a student's page link once; returns false if the placement already had one. */
  async createStudentLink(record: StudentLinkRecord, link: LinkItem): Promise<boolean> {
    try {
      await this.transact(
        [
          {
            Put: {
              TableName: this.tableName,
              Item: {
                ...requestKeys.studentLink(record.schoolYear, record.studentNumber),
                ...requestKeys.yearIndex(record.schoolYear, record.school, record.studentNumber, 'LINK'),
                entity: 'student-link',
                ...record,
              },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
          { Put: { TableName: this.tableName, Item: linkItem(link), ConditionExpression: 'attribute_not_exists(PK)' } },
        ],
        () => new RequestExistsError(),
      );
      return true;
    } catch (error) {
      if (error instanceof RequestExistsError) return false;
      throw error;
    }
  }

  /** Records an upload the app presigned; it expires (TTL) a day after `validUntilMs`. */
  async addPendingUpload(request: RequestRecord, pending: PendingUpload): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...requestKeys.pendingUpload(request.schoolYear, request.studentNumber, request.requestId, pending.id),
          entity: 'pending-upload',
          requestId: request.requestId,
          ...pending,
          expiresAt: Math.floor(pending.validUntilMs / 1000) + 24 * 3600,
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  }

  /**
   * Claims a pending upload of this request: one conditional delete, so of any number of calls
   * for the same id exactly one gets it. Undefined when there is none (never issued, another
   * request's, already claimed) or it has expired (TTL deletes late; this checks `validUntilMs`).
   */
  async claimPendingUpload(
    request: Pick<RequestRecord, 'schoolYear' | 'studentNumber' | 'requestId'>,
    id: string,
    nowMs: number,
  ): Promise<PendingUpload | undefined> {
    try {
      const result = await this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: requestKeys.pendingUpload(request.schoolYear, request.studentNumber, request.requestId, id),
          ConditionExpression: 'attribute_exists(PK)',
          ReturnValues: 'ALL_OLD',
        }),
      );
      const { uploadKey, key, name, type, validUntilMs } = result.Attributes as PendingUpload;
      return validUntilMs >= nowMs ? { id, uploadKey, key, name, type, validUntilMs } : undefined;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  /**
   * Records a verified attachment of a request and counts it on the request item, in one
   * transaction whose condition keeps the count below `max`: parallel uploads can never store more.
   *
   * @param options.max at most this many, default {@link MAX_FILES_PER_FORM}
   * @param options.existing how many attachments the request had when it was read (default 0); it
   *   seeds the count of a request stored before the count existed
   * @throws TooManyAttachmentsError when the request already has `max`
   */
  async addAttachment(request: RequestRecord, attachment: AttachmentRef, options: { max?: number; existing?: number } = {}): Promise<void> {
    const { max = MAX_FILES_PER_FORM, existing = 0 } = options;
    if (existing >= max) throw new TooManyAttachmentsError(max);
    await this.transact(
      [
        {
          Update: {
            TableName: this.tableName,
            Key: requestKeys.request(request.schoolYear, request.studentNumber, request.requestId),
            UpdateExpression: 'SET attachmentCount = if_not_exists(attachmentCount, :existing) + :one',
            // Without a count yet, `existing` (checked above) seeds it.
            ConditionExpression: 'attribute_exists(PK) AND (attachmentCount < :max OR attribute_not_exists(attachmentCount))',
            ExpressionAttributeValues: { ':existing': existing, ':one': 1, ':max': max },
          },
        },
        {
          Put: {
            TableName: this.tableName,
            Item: {
              ...requestKeys.attachment(request.schoolYear, request.studentNumber, request.requestId, attachment.id),
              entity: 'attachment',
              requestId: request.requestId,
              ...attachment,
            },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
      ],
      // Item 0 is the request (its count), item 1 the attachment.
      (failed) => (failed.includes(0) ? new TooManyAttachmentsError(max) : new DomainError('Deze bijlage is al toegevoegd.', 409)),
    );
  }

  /**
   * Removes an attachment of a request that is not submitted yet, and lowers the count, in one
   * transaction. Once the request is submitted its attachments are part of the submitted record.
   *
   * @param options.existing how many attachments the request had when it was read (see {@link addAttachment})
   * @returns the removed attachment
   * @throws AttachmentNotRemovableError (409) after submission, 404 when it does not exist
   */
  async removeAttachment(request: RequestRecord, attachmentId: string, options: { existing: number }): Promise<AttachmentRef> {
    const key = requestKeys.attachment(request.schoolYear, request.studentNumber, request.requestId, attachmentId);
    const found = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: key }));
    if (!found.Item) throw new AttachmentNotRemovableError('Deze bijlage bestaat niet (meer).', 404);
    await this.transact(
      [
        {
          Update: {
            TableName: this.tableName,
            Key: requestKeys.request(request.schoolYear, request.studentNumber, request.requestId),
            UpdateExpression: 'SET attachmentCount = if_not_exists(attachmentCount, :existing) - :one',
            ConditionExpression: 'attribute_exists(PK) AND #state <> :submitted',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':existing': options.existing, ':one': 1, ':submitted': 'ingediend' },
          },
        },
        { Delete: { TableName: this.tableName, Key: key, ConditionExpression: 'attribute_exists(PK)' } },
      ],
      // Item 0 is the request (not submitted), item 1 the attachment.
      (failed) =>
        failed.includes(0)
          ? new AttachmentNotRemovableError(reasons.removeAfterSubmit, 409)
          : new AttachmentNotRemovableError('Deze bijlage bestaat niet (meer).', 404),
    );
    return attachmentOf(found.Item);
  }

  /** Records an attachment's final scan verdict once (a later, different one is ignored). */
  async recordScanVerdict(
    request: Pick<RequestRecord, 'schoolYear' | 'studentNumber' | 'requestId'>,
    attachmentId: string,
    verdict: FinalScanVerdict,
  ): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: requestKeys.attachment(request.schoolYear, request.studentNumber, request.requestId, attachmentId),
          UpdateExpression: 'SET scanVerdict = :verdict',
          ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(scanVerdict)',
          ExpressionAttributeValues: { ':verdict': verdict },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /** The verified attachments of a request. */
  async listAttachments(request: Pick<RequestRecord, 'schoolYear' | 'studentNumber' | 'requestId'>): Promise<AttachmentRef[]> {
    const items = await this.queryPrefix(requestKeys.partition(request.schoolYear, request.studentNumber), `ATT#${request.requestId}#`);
    return items.map(attachmentOf);
  }

  private async queryPrefix(pk: string, prefix: string): Promise<Record<string, unknown>[]> {
    const all: Record<string, unknown>[] = [];
    const pages = paginateQuery(
      { client: this.doc },
      {
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
      },
    );
    for await (const page of pages) all.push(...(page.Items ?? []));
    return all;
  }

  /**
   * One TransactWriteItems. A failed condition becomes the caller's domain error. A transaction
   * cancelled only because another one touched the same item at the same moment
   * (`TransactionConflict`, which real DynamoDB answers to two saves of one request at once and the
   * SDK does not retry) is tried again a few times after a short random pause, then answered with
   * a Dutch 409: the user tries again, nothing was written.
   */
  private async transact(
    items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>,
    onConditionFailed: (failed: number[]) => Error,
  ): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
        return;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const codes = (error.CancellationReasons ?? []).map((reason) => reason.Code);
        if (codes.includes('ConditionalCheckFailed')) {
          throw onConditionFailed(codes.flatMap((code, index) => (code === 'ConditionalCheckFailed' ? [index] : [])));
        }
        if (!codes.includes('TransactionConflict')) throw error;
        if (attempt >= TRANSACTION_CONFLICT_ATTEMPTS) throw new BusyError();
        await new Promise((resolve) => setTimeout(resolve, 20 * attempt + Math.random() * 50));
      }
    }
  }
}

/** How often a transaction cancelled by a conflicting one is tried. */
const TRANSACTION_CONFLICT_ATTEMPTS = 4;

/** Another save of the same form kept getting in the way; nothing was written. */
export class BusyError extends DomainError {
  constructor() {
    super('Er werd op hetzelfde moment iets anders aan dit formulier opgeslagen. Er is niets gewijzigd; probeer het nog eens.', 409);
  }
}

/** An attachment item's stored fields, without keys or absent optional ones. */
function attachmentOf(item: Record<string, unknown>): AttachmentRef {
  const { id, key, name, size, type, addedAt, versionId, etag, scanVerdict } = item as unknown as AttachmentRef;
  return { id, key, name, size, type, addedAt, ...(versionId ? { versionId } : {}), ...(etag ? { etag } : {}), ...(scanVerdict ? { scanVerdict } : {}) };
}

/** The key of a version in {@link RequestStore.getVersions}' answer. */
export function versionRef(ref: { studentNumber: string; requestId: string; version: number }): string {
  return `${ref.studentNumber}#${ref.requestId}#${ref.version}`;
}

/** The update clause that adds the replaced link's hash (`:oldList`) to the request's list of them. */
const SUPERSEDED_APPEND = 'supersededLinkHashes = list_append(if_not_exists(supersededLinkHashes, :none), :oldList)';

function stripKeys<T>(item: Record<string, unknown>): T {
  const { PK: _pk, SK: _sk, GSI1PK: _g1, GSI1SK: _g1s, GSI2PK: _g2, GSI2SK: _g2s, entity: _entity, supersededLinkHashes: _superseded, ...rest } = item;
  return rest as T;
}
