/**
 * In-memory stand-ins for the few store methods the form routes (`/f/<token>`) use (LinkStore.get,
 * RequestStore.readForm/getByKeys/getVersion/listAttachments/saveVersion/get/getStudentLink,
 * AuditStore.record/prepare, a MemoryMailer), so the form benchmark measures the app (routing,
 * middleware, validation, rendering) without DynamoDB.
 * Same rules as the real stores where the routes depend on them: versions are append-only and a
 * save on a stale basis is a VersionConflictError.
 */
import type { AppDeps } from '../functions/http/env.ts';
import type { Clock } from '../shared/clock.ts';
import type { LinkItem } from '../shared/links.ts';
import type { LinkStore } from '../shared/store/links.ts';
import { MemoryMailer } from '../shared/mail/mailer.ts';
import { offlineDeps } from '../test/support/app.ts';
import { auditInstant, newAuditId } from '../shared/store/audit.ts';
import { type AuditEvent, type AuditInput, type AuditTarget } from '../shared/model/audit.ts';
import type { TransactionWrite } from '../shared/store/table.ts';
import type { Temporal } from 'temporal-polyfill';
import { type FormRead, type RequestStore } from '../shared/store/requests.ts';
import { requestKeys } from '../shared/store/keys.ts';
import { VersionConflictError, type AttachmentRef, type RequestRecord, type StudentLinkRecord, type SubmissionVersion } from '../shared/model/requests.ts';

const keyOf = (key: { PK: string; SK: string }) => `${key.PK}|${key.SK}`;

/** LinkStore.get over a Map. */
export class MemoryLinkStore {
  readonly links = new Map<string, LinkItem>();

  async get(tokenHash: string): Promise<LinkItem | undefined> {
    const link = this.links.get(tokenHash);
    return link ? { ...link } : undefined;
  }

  put(link: LinkItem): void {
    this.links.set(link.hash, { ...link });
  }
}

/** The RequestStore methods of the form routes (and `create`/`createStudentLink` to seed them). */
export class MemoryRequestStore {
  private readonly requests = new Map<string, RequestRecord>();
  private readonly versions = new Map<string, SubmissionVersion[]>();
  private readonly studentLinks = new Map<string, StudentLinkRecord>();

  constructor(
    private readonly links: MemoryLinkStore,
    private readonly audit: MemoryAuditStore,
  ) {}

  async create(request: RequestRecord, link: LinkItem): Promise<void> {
    this.requests.set(keyOf(requestKeys.request(request.schoolYear, request.studentNumber, request.requestId)), { ...request });
    this.links.put(link);
  }

  async createStudentLink(record: StudentLinkRecord, link: LinkItem): Promise<boolean> {
    const key = keyOf(requestKeys.studentLink(record.schoolYear, record.studentNumber));
    if (this.studentLinks.has(key)) return false;
    this.studentLinks.set(key, { ...record });
    this.links.put(link);
    return true;
  }

  async getByKeys(key: { PK: string; SK: string }): Promise<RequestRecord | undefined> {
    const request = this.requests.get(keyOf(key));
    // A copy, as every read from DynamoDB is.
    return request ? { ...request } : undefined;
  }

  async readForm(link: Pick<LinkItem, 'ownerPk' | 'ownerSk'>, options: { studentLink?: boolean } = {}): Promise<FormRead | undefined> {
    const request = await this.getByKeys({ PK: link.ownerPk, SK: link.ownerSk });
    if (!request) return undefined;
    const studentLink = options.studentLink ? await this.getStudentLink(request.schoolYear, request.studentNumber) : undefined;
    return { request, latest: await this.getVersion(request, request.latestVersion), attachments: [], ...(studentLink ? { studentLink } : {}) };
  }

  async get(schoolYear: string, studentNumber: string, requestId: string): Promise<RequestRecord | undefined> {
    return this.getByKeys(requestKeys.request(schoolYear, studentNumber, requestId));
  }

  async getVersion(request: Pick<RequestRecord, 'schoolYear' | 'studentNumber' | 'requestId'>, version: number): Promise<SubmissionVersion | undefined> {
    if (version < 1) return undefined;
    const found = this.versions.get(this.versionsKey(request))?.[version - 1];
    return found ? { ...found } : undefined;
  }

  async listVersions(request: Pick<RequestRecord, 'schoolYear' | 'studentNumber' | 'requestId'>): Promise<SubmissionVersion[]> {
    return [...(this.versions.get(this.versionsKey(request)) ?? [])];
  }

  async listAttachments(_request: Pick<RequestRecord, 'schoolYear' | 'studentNumber' | 'requestId'>): Promise<AttachmentRef[]> {
    return [];
  }

  async saveVersion(
    request: RequestRecord,
    basis: number,
    version: Omit<SubmissionVersion, 'version' | 'requestId'>,
    options: { also?: readonly TransactionWrite[] } = {},
  ): Promise<SubmissionVersion> {
    const key = keyOf(requestKeys.request(request.schoolYear, request.studentNumber, request.requestId));
    const stored = this.requests.get(key);
    const list = this.versions.get(this.versionsKey(request)) ?? [];
    if (!stored || stored.latestVersion !== basis || list.length !== basis) throw new VersionConflictError();
    const next: SubmissionVersion = { ...version, requestId: request.requestId, version: basis + 1 };
    list.push(next);
    this.versions.set(this.versionsKey(request), list);
    for (const write of options.also ?? []) this.audit.commit(write);
    const submitted = version.status === 'ingediend';
    this.requests.set(key, {
      ...stored,
      state: submitted ? 'ingediend' : 'concept',
      latestVersion: next.version,
      ...(submitted ? { submittedAt: version.savedAt } : {}),
    });
    return next;
  }

  async getStudentLink(schoolYear: string, studentNumber: string): Promise<StudentLinkRecord | undefined> {
    const record = this.studentLinks.get(keyOf(requestKeys.studentLink(schoolYear, studentNumber)));
    return record ? { ...record } : undefined;
  }

  private versionsKey(request: Pick<RequestRecord, 'schoolYear' | 'studentNumber' | 'requestId'>): string {
    return `${request.schoolYear}#${request.studentNumber}#${request.requestId}`;
  }
}

type MemoryAuditWrite = TransactionWrite & { Put: { TableName: string; Item: Record<string, unknown>; ConditionExpression: string } };

/** AuditStore.record and prepare, kept in memory (only the count and the last few events). */
export class MemoryAuditStore {
  recorded = 0;
  readonly recent: AuditEvent[] = [];

  async record(target: AuditTarget, input: AuditInput, now: Temporal.Instant): Promise<AuditEvent> {
    const { event, write } = this.prepare(target, input, now);
    this.commit(write);
    return event;
  }

  /** AuditStore.prepare: the event as a write of a save's transaction, kept by {@link commit}. */
  prepare(_target: AuditTarget, input: AuditInput, now: Temporal.Instant): { event: AuditEvent; write: MemoryAuditWrite } {
    const event: AuditEvent = { at: auditInstant(now), id: newAuditId(), ...input };
    return { event, write: { Put: { TableName: 'memory', Item: { ...event }, ConditionExpression: 'attribute_not_exists(PK)' } } };
  }

  /** Keeps an event whose write was committed (by `record`, or by the save that carried it). */
  commit(write: TransactionWrite): void {
    this.recorded++;
    this.recent.push(write.Put!.Item as unknown as AuditEvent);
    if (this.recent.length > 100) this.recent.shift();
  }
}

/**
 * A store the form benchmark does not fake: any method call is noted in `calls` and throws, so a
 * route that starts using one shows up as a failed row instead of a silently different figure.
 */
function unfaked(name: string, calls: string[]): object {
  return new Proxy(
    {},
    {
      get(_target, property) {
        // Not a thenable, not a primitive: only named methods count.
        if (typeof property !== 'string' || property === 'then' || property === 'toJSON') return undefined;
        return () => {
          calls.push(`${name}.${property}`);
          throw new Error(`bench/memory-stores.ts has no in-memory ${name}.${property}`);
        };
      },
    },
  );
}

/**
 * AppDeps over the in-memory stores (links, requests, audit, a MemoryMailer). Plain settings come
 * from the tests' `offlineDeps`, which keeps up with AppDeps as it grows; every other store in it
 * is replaced by a guard that records and refuses calls (see `unfakedCalls`).
 */
export function memoryAppDeps(options: {
  clock: Clock;
  publicOrigin: string;
  linkSecret: string;
  rateLimits?: AppDeps['rateLimits'];
}): { deps: AppDeps; links: MemoryLinkStore; requests: MemoryRequestStore; audit: MemoryAuditStore; mailer: MemoryMailer; unfakedCalls: string[] } {
  const links = new MemoryLinkStore();
  const audit = new MemoryAuditStore();
  const requests = new MemoryRequestStore(links, audit);
  const mailer = new MemoryMailer();
  const unfakedCalls: string[] = [];
  const offline = offlineDeps(options.clock) as unknown as Record<string, unknown>;
  const guarded = Object.fromEntries(
    Object.entries(offline).map(([key, value]) => {
      const isStore = typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) !== Object.prototype;
      return [key, isStore ? unfaked(key, unfakedCalls) : value];
    }),
  );
  const deps: AppDeps = {
    ...(guarded as unknown as AppDeps),
    clock: options.clock,
    publicOrigin: options.publicOrigin,
    linkSecret: options.linkSecret,
    requests: requests as unknown as RequestStore,
    links: links as unknown as LinkStore,
    audit: audit as unknown as AppDeps['audit'],
    mailer,
    ...(options.rateLimits ? { rateLimits: options.rateLimits } : {}),
  };
  return { deps, links, requests, audit, mailer, unfakedCalls };
}
