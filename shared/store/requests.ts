import {
  BatchGetCommand,
  DeleteCommand,
  GetCommand,
  paginateQuery,
  PutCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import {
  ConditionalCheckFailedException,
  ResourceNotFoundException,
  TransactionCanceledException,
  TransactionConflictException,
} from '@aws-sdk/client-dynamodb';
import { MAX_FILES_PER_FORM, reasons } from '../attachments/policy.ts';
import { DomainError } from '../errors.ts';
import type { Person } from '../roster/placement.ts';
import type { LinkItem } from '../links.ts';
import {
  AttachmentNotRemovableError,
  BusyError,
  LinkChangedError,
  RequestExistsError,
  TooManyAttachmentsError,
  VersionConflictError,
  WithdrawConflictError,
  type AttachmentRef,
  type FinalScanVerdict,
  type PendingUpload,
  type RequestRecord,
  type StudentLinkRecord,
  type SubmissionVersion,
} from '../model/requests.ts';
import { keys, linkKeys, requestKeys } from './keys.ts';
import { linkItem } from './links.ts';
import { GSI2, transactWrite, type TransactionWrite } from './table.ts';

/** What a save says when an attachment it lists was removed while it was under way. */
const ATTACHMENT_GONE = 'Een bijlage is intussen verwijderd, dus er is niets opgeslagen. Uw antwoorden staan hieronder nog; controleer de bijlagen en sla opnieuw op.';

/** Requests, their append-only versions, attachments and student links, in the single table. */
export class RequestStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Stores a new request and its link together; fails with RequestExistsError if the id is taken. */
  async create(request: RequestRecord, link: LinkItem): Promise<void> {
    await this.transact(requestCreation(this.tableName, request, link), () => new RequestExistsError());
  }

  /** One request, or undefined. */
  async get(schoolYear: string, studentNumber: string, requestId: string): Promise<RequestRecord | undefined> {
    return this.getByKeys(requestKeys.request(schoolYear, studentNumber, requestId));
  }

  /** A request by its item keys (as a link stores them). */
  async getByKeys(key: { PK: string; SK: string }): Promise<RequestRecord | undefined> {
    // A key DynamoDB would refuse (a partition key over 2,048 bytes or a sort key over 1,024, from a
    // hand-made URL) names no request: not found, never a 500.
    if (Buffer.byteLength(key.PK) > 2048 || Buffer.byteLength(key.SK) > 1024) return undefined;
    const result = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: key }));
    return result.Item ? requestOf(result.Item) : undefined;
  }

  /** Every request of a placement, oldest first. */
  async listForPlacement(schoolYear: string, studentNumber: string): Promise<RequestRecord[]> {
    return (await this.queryPrefix(requestKeys.partition(schoolYear, studentNumber), requestKeys.requestPrefix())).map(requestOf);
  }

  /**
   * Appends version `basis + 1` and moves the request's state, in one transaction: the version
   * must not exist and the request must still be at `basis`. Two saves on the same basis: one
   * wins, the other gets a VersionConflictError. Nothing is ever overwritten. The request's link
   * learns the new version number and its observer's role (see {@link readForm}), as a hint only:
   * should the link item be missing, the version is saved without it. `options.also` are writes
   * of other stores that must happen if and only if the version is saved (its audit event).
   *
   * @throws VersionConflictError (a domain error) when another save or a withdrawal came first;
   *   CompanionWriteFailedError when the transaction was cancelled because of `options.also`
   *   alone, or refused because one of them names a table that does not exist: nothing was
   *   written, and the version can be saved without them
   */
  async saveVersion(
    request: RequestRecord,
    basis: number,
    version: Omit<SubmissionVersion, 'version' | 'requestId'>,
    options: { also?: readonly TransactionWrite[] } = {},
  ): Promise<SubmissionVersion> {
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
      const period = requestKeys.periodIndex(request);
      values[':gsi2pk'] = period.GSI2PK;
      values[':gsi2sk'] = period.GSI2SK;
    }
    const saves = [
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
    ];
    const hint = {
      Update: {
        TableName: this.tableName,
        Key: linkKeys(request.linkHash),
        // The role too, so a link stored before the hints learns it with its first save.
        UpdateExpression: 'SET latestVersion = :next, observerRole = if_not_exists(observerRole, :role)',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: { ':next': next.version, ':role': request.observerRole },
      },
    };
    // A submission lists its attachments (the CSV links them): each must still exist, so an
    // attachment removed while the submit was under way is never referenced by it.
    const checks = submitted
      ? version.attachments.map((attachment) => ({
          ConditionCheck: {
            TableName: this.tableName,
            Key: requestKeys.attachment(request.schoolYear, request.studentNumber, request.requestId, attachment.id),
            ConditionExpression: 'attribute_exists(PK)',
          },
        }))
      : [];
    const also = options.also ?? [];
    const save = async (withHint: boolean) => {
      // The version and the request, then (withHint) the link, the attachments' checks and the `also` writes.
      const hintAt = withHint ? saves.length : -1;
      const checksFrom = saves.length + (withHint ? 1 : 0);
      const alsoFrom = checksFrom + checks.length;
      try {
        await this.transact([...saves, ...(withHint ? [hint] : []), ...checks, ...also], (failed, error) => {
          const decisive = failed.filter((index) => index !== hintAt);
          if (decisive.length === 0) return new LinkHintFailed();
          if (decisive.every((index) => index >= alsoFrom)) return new CompanionWriteFailedError(error);
          return new VersionConflictError(decisive.some((index) => index >= checksFrom && index < alsoFrom) ? ATTACHMENT_GONE : undefined);
        });
      } catch (error) {
        if (also.length === 0) throw error;
        // Cancelled for another reason (throttled, invalid) than a condition or a conflict: by the `also` writes alone?
        if (error instanceof TransactionCanceledException) {
          const failing = (error.CancellationReasons ?? []).flatMap((reason, index) => (reason.Code && reason.Code !== 'None' ? [index] : []));
          if (failing.length > 0 && failing.every((index) => index >= alsoFrom)) throw new CompanionWriteFailedError(error);
        }
        // Refused before it ran because a carried write names a table that is not there (nothing written).
        if (error instanceof ResourceNotFoundException && also.some((write) => tableOf(write) !== this.tableName)) throw new CompanionWriteFailedError(error);
        throw error;
      }
    };
    try {
      await save(true);
    } catch (error) {
      // The link item is gone (or was never stored): the hint is optional, readForm falls back.
      if (!(error instanceof LinkHintFailed)) throw error;
      await save(false);
    }
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
   * What the form page needs of the request a form link opens, in one BatchGet after the link as a
   * rule: the request, its latest version (the number the link remembers, see {@link saveVersion})
   * and, for a save, the placement's student link (the receipt links to the student's page). The
   * attachments come from their copies on the request, added and removed in the transactions that
   * add and remove the attachment items. Where a hint is missing or behind (a link made before the
   * hint, a reissued link, a request stored before the copies, a read that met a newer save), the
   * version or the list is read directly, in one more round.
   *
   * @returns undefined when the request does not exist
   */
  async readForm(link: Pick<LinkItem, 'ownerPk' | 'ownerSk' | 'latestVersion'>, options: { studentLink?: boolean } = {}): Promise<FormRead | undefined> {
    const requestKey = { PK: link.ownerPk, SK: link.ownerSk };
    const { schoolYear, studentNumber, requestId } = requestKeys.requestOf(requestKey);
    const versionKey = link.latestVersion ? requestKeys.version(schoolYear, studentNumber, requestId, link.latestVersion) : undefined;
    const studentLinkKey = options.studentLink ? requestKeys.studentLink(schoolYear, studentNumber) : undefined;
    const items = await this.batchGet([requestKey, versionKey, studentLinkKey].filter((key) => key !== undefined));
    const find = (key: { PK: string; SK: string } | undefined) => (key ? items.find((item) => item.PK === key.PK && item.SK === key.SK) : undefined);
    const requestItem = find(requestKey);
    if (!requestItem) return undefined;
    const request = requestOf(requestItem);
    const versionItem = find(versionKey);
    const [latest, attachments] = await Promise.all([
      request.latestVersion < 1
        ? undefined
        : versionItem?.version === request.latestVersion
          ? stripKeys<SubmissionVersion>(versionItem)
          : this.getVersion(request, request.latestVersion),
      copiedAttachments(requestItem) ?? this.listAttachments(request),
    ]);
    const studentLinkItem = find(studentLinkKey);
    return { request, latest, attachments, ...(studentLinkItem ? { studentLink: stripKeys<StudentLinkRecord>(studentLinkItem) } : {}) };
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
        ExpressionAttributeValues: { ':pk': requestKeys.periodPartition(schoolYear, period), ...(options.prefix ? { ':prefix': options.prefix } : {}) },
      },
    );
    for await (const page of pages) yield (page.Items ?? []).map(requestOf);
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
          const { studentNumber } = keys.placementOf(String(item.PK));
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
    const items = await this.queryPrefix(requestKeys.partition(request.schoolYear, request.studentNumber), requestKeys.versionPrefix(request.requestId));
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
        ...this.swapLinkItems(request.linkHash, formLink(link, request), at),
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
    await this.transact(requestWithdrawal(this.tableName, request, at), () => new WithdrawConflictError());
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
        ...this.swapLinkItems(request.linkHash, formLink(link, request), at),
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
                ...requestKeys.studentLinkYearIndex(record.schoolYear, record.school, record.studentNumber),
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
            UpdateExpression: 'SET attachmentCount = if_not_exists(attachmentCount, :existing) + :one, #copy = :copy',
            // Without a count yet, `existing` (checked above) seeds it.
            ConditionExpression: 'attribute_exists(PK) AND (attachmentCount < :max OR attribute_not_exists(attachmentCount))',
            ExpressionAttributeNames: { '#copy': copyName(attachment.id) },
            ExpressionAttributeValues: { ':existing': existing, ':one': 1, ':max': max, ':copy': attachment },
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
            UpdateExpression: 'SET attachmentCount = if_not_exists(attachmentCount, :existing) - :one REMOVE #copy',
            ConditionExpression: 'attribute_exists(PK) AND #state <> :submitted',
            ExpressionAttributeNames: { '#state': 'state', '#copy': copyName(attachmentId) },
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

  /**
   * Records an attachment's final scan verdict once (a later, different one is ignored), on the
   * attachment and on its copy on the request (where there is one; skipped when a transaction on
   * the request item is under way at that moment).
   */
  async recordScanVerdict(
    request: Pick<RequestRecord, 'schoolYear' | 'studentNumber' | 'requestId'>,
    attachmentId: string,
    verdict: FinalScanVerdict,
  ): Promise<void> {
    const once = async (update: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName'>, options: { conflictOk?: boolean } = {}) => {
      try {
        await this.doc.send(new UpdateCommand({ TableName: this.tableName, ...update }));
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return;
        if (options.conflictOk && error instanceof TransactionConflictException) return;
        throw error;
      }
    };
    await Promise.all([
      once({
        Key: requestKeys.attachment(request.schoolYear, request.studentNumber, request.requestId, attachmentId),
        UpdateExpression: 'SET scanVerdict = :verdict',
        ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(scanVerdict)',
        ExpressionAttributeValues: { ':verdict': verdict },
      }),
      // A save's transaction on the request item at the same moment makes the copy's update fail
      // with a conflict: the copy stays without the verdict, so the next page view reads it from S3
      // and records it, as this one did.
      once(
        {
          Key: requestKeys.request(request.schoolYear, request.studentNumber, request.requestId),
          UpdateExpression: 'SET #copy.scanVerdict = :verdict',
          ConditionExpression: 'attribute_exists(#copy) AND attribute_not_exists(#copy.scanVerdict)',
          ExpressionAttributeNames: { '#copy': copyName(attachmentId) },
          ExpressionAttributeValues: { ':verdict': verdict },
        },
        { conflictOk: true },
      ),
    ]);
  }

  /** The verified attachments of a request. */
  async listAttachments(request: Pick<RequestRecord, 'schoolYear' | 'studentNumber' | 'requestId'>): Promise<AttachmentRef[]> {
    const items = await this.queryPrefix(requestKeys.partition(request.schoolYear, request.studentNumber), requestKeys.attachmentPrefix(request.requestId));
    return items.map(attachmentOf);
  }

  /** Items by key with BatchGetItem (at most 100 keys), unprocessed keys retried with backoff. */
  private async batchGet(keys: readonly { PK: string; SK: string }[]): Promise<Record<string, unknown>[]> {
    const found: Record<string, unknown>[] = [];
    let pending: Record<string, { Keys: Record<string, unknown>[] }> | undefined = { [this.tableName]: { Keys: [...keys] } };
    for (let attempt = 0; pending && Object.keys(pending).length > 0; attempt++) {
      if (attempt > 8) throw new Error('DynamoDB left items unprocessed');
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 50 * 2 ** attempt)));
      const result = await this.doc.send(new BatchGetCommand({ RequestItems: pending }));
      found.push(...(result.Responses?.[this.tableName] ?? []));
      pending = result.UnprocessedKeys as typeof pending;
    }
    return found;
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

  /** One TransactWriteItems (see {@link transactWrite}); a transaction that kept meeting others is a {@link BusyError}. */
  private transact(items: TransactionWrite[], onConditionFailed: (failed: number[], error: TransactionCanceledException) => Error): Promise<void> {
    return transactWrite(this.doc, items, { onConditionFailed, busy: () => new BusyError() });
  }
}

/**
 * The two writes that store a new request and its form link, both only if new (RequestStore.create;
 * the appointment store plans a lesbezoek's kijkwijzers with them, in its own transaction).
 */
export function requestCreation(tableName: string, request: RequestRecord, link: LinkItem): TransactionWrite[] {
  return [
    {
      Put: {
        TableName: tableName,
        Item: {
          ...requestKeys.request(request.schoolYear, request.studentNumber, request.requestId),
          ...requestKeys.requestYearIndex(request.schoolYear, request.school, request.studentNumber, request.requestId),
          entity: 'request',
          ...request,
          // No attachments yet: the count and the copies beside it are complete from the start (see readForm).
          attachmentCount: 0,
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    },
    { Put: { TableName: tableName, Item: linkItem(formLink(link, request)), ConditionExpression: 'attribute_not_exists(PK)' } },
  ];
}

/**
 * The two writes that withdraw a request nothing was submitted for (RequestStore.withdraw; the
 * appointment store cancels a lesbezoek's parts with them): the request becomes `ingetrokken` only
 * if it is still asked or a draft with the link the caller saw, and that link is revoked.
 */
export function requestWithdrawal(tableName: string, request: RequestRecord, at: string): TransactionWrite[] {
  return [
    {
      Update: {
        TableName: tableName,
        Key: requestKeys.request(request.schoolYear, request.studentNumber, request.requestId),
        UpdateExpression: 'SET #state = :withdrawn, withdrawnAt = :at',
        ConditionExpression: '#state IN (:asked, :draft) AND linkHash = :hash',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':withdrawn': 'ingetrokken', ':at': at, ':asked': 'gevraagd', ':draft': 'concept', ':hash': request.linkHash },
      },
    },
    {
      Update: {
        TableName: tableName,
        Key: linkKeys(request.linkHash),
        UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :at)',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: { ':at': at },
      },
    },
  ];
}

/**
 * A save's transaction was cancelled because of the writes of other stores it carried
 * (`options.also` of {@link RequestStore.saveVersion}) and nothing else: a cancelled transaction
 * writes nothing, so the version can be saved without them. Not a DomainError: nobody else saved.
 */
export class CompanionWriteFailedError extends Error {
  /** The cancellation reason of each write of the transaction (`None` for those that were fine), or the error's name. */
  readonly reasons: string[];
  constructor(cause: TransactionCanceledException | ResourceNotFoundException) {
    super('the writes carried by the save failed; nothing was written', { cause });
    this.name = 'CompanionWriteFailedError';
    this.reasons = cause instanceof TransactionCanceledException ? (cause.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None') : [cause.name];
  }
}

/** The table one write of a transaction goes to. */
function tableOf(write: TransactionWrite): string | undefined {
  return (write.Put ?? write.Update ?? write.Delete ?? write.ConditionCheck)?.TableName;
}

/** Within saveVersion: only the link's hints failed their condition (the link item is missing). */
class LinkHintFailed extends Error {}

/** An attachment item's stored fields, without keys or absent optional ones. */
function attachmentOf(item: Record<string, unknown>): AttachmentRef {
  const { id, key, name, size, type, addedAt, versionId, etag, scanVerdict } = item as unknown as AttachmentRef;
  return { id, key, name, size, type, addedAt, ...(versionId ? { versionId } : {}), ...(etag ? { etag } : {}), ...(scanVerdict ? { scanVerdict } : {}) };
}

/**
 * A request's link as stored: with the hints the form page reads with it (see
 * {@link RequestStore.readForm}): the observer's role and, once there is one, the latest version.
 */
function formLink(link: LinkItem, request: Pick<RequestRecord, 'observerRole' | 'latestVersion'>): LinkItem {
  return { ...link, observerRole: request.observerRole, ...(request.latestVersion > 0 ? { latestVersion: request.latestVersion } : {}) };
}

/** What {@link RequestStore.readForm} reads for the form page. */
export interface FormRead {
  request: RequestRecord;
  /** The latest version, undefined before the first save. */
  latest: SubmissionVersion | undefined;
  /** The verified attachments, in the order of their ids (as a Query of their items lists them). */
  attachments: AttachmentRef[];
  /** The placement's student link, when asked for and there is one. */
  studentLink?: StudentLinkRecord;
}

/**
 * The attribute of the request item that holds a copy of one of its attachments. The copies are
 * written with the attachment items (one transaction), so the form page needs no Query of them;
 * with at most five small references they add little to the request's index entries.
 */
const COPY_PREFIX = 'attachment#';
const copyName = (attachmentId: string) => `${COPY_PREFIX}${attachmentId}`;

/**
 * The attachments copied on a request item, or undefined when the copies may be incomplete: a
 * request stored before them has attachments without a copy, which its count (`attachmentCount`,
 * kept in the same transactions) then exceeds. A request made since starts at 0 with no copies.
 */
function copiedAttachments(item: Record<string, unknown>): AttachmentRef[] | undefined {
  const copies = Object.entries(item)
    .filter(([name]) => name.startsWith(COPY_PREFIX))
    .map(([, value]) => attachmentOf(value as Record<string, unknown>));
  if (item.attachmentCount !== copies.length) return undefined;
  return copies.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** A request item's record: without keys, count or attachment copies (those are the store's). */
function requestOf(item: Record<string, unknown>): RequestRecord {
  const record = stripKeys<Record<string, unknown>>(item);
  for (const name of Object.keys(record)) if (name === 'attachmentCount' || name.startsWith(COPY_PREFIX)) delete record[name];
  return record as unknown as RequestRecord;
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
