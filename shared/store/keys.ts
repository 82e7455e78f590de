import type { AuditTarget } from '../model/audit.ts';
import { emailKey } from '../roster/placement.ts';

/*
 * Every key of the single table: each `PK`, `SK`, `GSI1*` and `GSI2*` value of every item is built
 * here and nowhere else (README, Data model), so keys never drift between the repositories, the
 * retention purge and the tests. The formats are fixed: real data is stored under them.
 */

/** Version numbers are zero-padded, so the sort keys of a request's versions sort by number. */
const pad = (n: number) => String(n).padStart(6, '0');

/** The partition of a placement: the placement, its history, requests, versions, attachments, audit, student link. */
const placementPartition = (schoolYear: string, studentNumber: string) => `PLC#${schoolYear}#${studentNumber}`;

/** The year index (GSI1) of a school year: placements, requests and student links, by school and student. */
const yearIndexPartition = (schoolYear: string) => `YEAR#${schoolYear}`;

const PLACEMENT_SORT = 'PLACEMENT';
const HISTORY_PREFIX = 'HIST#';

/** Placements, their history and the person index (role memberships). */
export const keys = {
  placement: (schoolYear: string, studentNumber: string) => ({
    PK: placementPartition(schoolYear, studentNumber),
    SK: PLACEMENT_SORT,
  }),
  placementPartition,
  /** The school year and student number of a placement partition key (`PLC#<year>#<nr>`). */
  placementOf: (partition: string): { schoolYear: string; studentNumber: string } => {
    const [, schoolYear = '', studentNumber = ''] = partition.split('#');
    return { schoolYear, studentNumber };
  },
  /** Whether a sort key is the placement item's own. */
  isPlacementSort: (sk: string) => sk === PLACEMENT_SORT,
  history: (schoolYear: string, studentNumber: string, at: string, rev: number) => ({
    PK: placementPartition(schoolYear, studentNumber),
    SK: `${HISTORY_PREFIX}${at}#${pad(rev)}`,
  }),
  historyPrefix: () => HISTORY_PREFIX,
  /** Whether a sort key is one of a placement's earlier versions. */
  isHistorySort: (sk: string) => sk.startsWith(HISTORY_PREFIX),
  yearIndex: yearIndexPartition,
  yearIndexSort: (school: string, studentNumber: string) => `SCHOOL#${school}#${studentNumber}`,
  schoolPrefix: (school: string) => `SCHOOL#${school}#`,
  /** A placement's place in the year index. */
  placementYearIndex: (schoolYear: string, school: string, studentNumber: string) => ({
    GSI1PK: yearIndexPartition(schoolYear),
    GSI1SK: keys.yearIndexSort(school, studentNumber),
  }),
  membership: (email: string, role: string, schoolYear: string, studentNumber: string) => ({
    PK: `PERSON#${emailKey(email)}`,
    SK: `ROLE#${role}#${schoolYear}#${studentNumber}`,
  }),
  personPartition: (email: string) => `PERSON#${emailKey(email)}`,
  /** The sort key prefix of a person's memberships, optionally of one role, and then of one school year. */
  membershipPrefix: (role?: string, schoolYear?: string) => ['ROLE', role, role && schoolYear].filter(Boolean).join('#') + '#',
};

const REQUEST_PREFIX = 'REQ#';

/** Keys of requests, versions, attachments, pending uploads and student links (see docs/forms-and-links.md). */
export const requestKeys = {
  partition: placementPartition,
  request: (schoolYear: string, studentNumber: string, requestId: string) => ({
    PK: placementPartition(schoolYear, studentNumber),
    SK: `${REQUEST_PREFIX}${requestId}`,
  }),
  /** The sort key prefix of every request of a placement. */
  requestPrefix: () => REQUEST_PREFIX,
  version: (schoolYear: string, studentNumber: string, requestId: string, version: number) => ({
    PK: placementPartition(schoolYear, studentNumber),
    SK: `SUB#${requestId}#${pad(version)}`,
  }),
  /** The sort key prefix of every version of one request. */
  versionPrefix: (requestId: string) => `SUB#${requestId}#`,
  attachment: (schoolYear: string, studentNumber: string, requestId: string, attachmentId: string) => ({
    PK: placementPartition(schoolYear, studentNumber),
    SK: `ATT#${requestId}#${attachmentId}`,
  }),
  /** The sort key prefix of every attachment of one request. */
  attachmentPrefix: (requestId: string) => `ATT#${requestId}#`,
  pendingUpload: (schoolYear: string, studentNumber: string, requestId: string, attachmentId: string) => ({
    PK: placementPartition(schoolYear, studentNumber),
    SK: `UPL#${requestId}#${attachmentId}`,
  }),
  studentLink: (schoolYear: string, studentNumber: string) => ({
    PK: placementPartition(schoolYear, studentNumber),
    SK: 'STUDENTLINK',
  }),
  /** The school year, student number and request id of a request's keys (as a link stores them). */
  requestOf: (key: { PK: string; SK: string }): { schoolYear: string; studentNumber: string; requestId: string } => {
    const { schoolYear, studentNumber } = keys.placementOf(key.PK);
    return { schoolYear, studentNumber, requestId: key.SK.startsWith(REQUEST_PREFIX) ? key.SK.slice(REQUEST_PREFIX.length) : '' };
  },
  /**
   * Requests and student links also sit in the year index, right after their placement
   * (`SCHOOL#<school>#<nr>` sorts before `SCHOOL#<school>#<nr>#...`), so one paginated Query of
   * a school year reads placements with everything the digest planner needs.
   */
  yearIndex: (schoolYear: string, school: string, studentNumber: string, suffix: string) => ({
    GSI1PK: yearIndexPartition(schoolYear),
    GSI1SK: `SCHOOL#${school}#${studentNumber}#${suffix}`,
  }),
  /** A request's place in the year index. */
  requestYearIndex: (schoolYear: string, school: string, studentNumber: string, requestId: string) =>
    requestKeys.yearIndex(schoolYear, school, studentNumber, `${REQUEST_PREFIX}${requestId}`),
  /** A student link's place in the year index. */
  studentLinkYearIndex: (schoolYear: string, school: string, studentNumber: string) => requestKeys.yearIndex(schoolYear, school, studentNumber, 'LINK'),
  /** The period index (GSI2) of a submitted request: `PERIOD#<year>#<n>` / `<school>#<nr>#<requestId>`. */
  periodIndex: (request: { schoolYear: string; period: number; school: string; studentNumber: string; requestId: string }) => ({
    GSI2PK: requestKeys.periodPartition(request.schoolYear, request.period),
    GSI2SK: `${request.school}#${request.studentNumber}#${request.requestId}`,
  }),
  periodPartition: (schoolYear: string, period: number) => `PERIOD#${schoolYear}#${period}`,
  /** The period index sort key prefix of a school's submitted requests, or of one student's. */
  periodPrefix: (school: string, studentNumber?: string) => (studentNumber === undefined ? `${school}#` : `${school}#${studentNumber}#`),
};

/**
 * Keys of appointments and concerns (issue 14, docs/workflow.md): in the placement's partition, and
 * in the year index right after their placement, like requests.
 */
export const workflowKeys = {
  appointment: (schoolYear: string, studentNumber: string, appointmentId: string) => ({
    PK: placementPartition(schoolYear, studentNumber),
    SK: `APPT#${appointmentId}`,
  }),
  /** The sort key prefix of every appointment of a placement. */
  appointmentPrefix: () => 'APPT#',
  appointmentYearIndex: (schoolYear: string, school: string, studentNumber: string, appointmentId: string) =>
    requestKeys.yearIndex(schoolYear, school, studentNumber, `APPT#${appointmentId}`),
  concern: (schoolYear: string, studentNumber: string, concernId: string) => ({
    PK: placementPartition(schoolYear, studentNumber),
    SK: `CONCERN#${concernId}`,
  }),
  /** The sort key prefix of every concern of a placement (the open marker shares it: skip `entity` other than concern). */
  concernPrefix: () => 'CONCERN#',
  /** The marker that makes one open concern per student: put with attribute_not_exists, deleted on closing. */
  openConcernMarker: (schoolYear: string, studentNumber: string) => ({
    PK: placementPartition(schoolYear, studentNumber),
    SK: 'CONCERNOPEN',
  }),
  concernYearIndex: (schoolYear: string, school: string, studentNumber: string, concernId: string) =>
    requestKeys.yearIndex(schoolYear, school, studentNumber, `CONCERN#${concernId}`),
};

/** Keys of audit events (see store/audit.ts). */
export const auditKeys = {
  partition: (target: AuditTarget) =>
    'content' in target
      ? 'AUDIT#CONTENT'
      : 'exportPeriod' in target
        ? `AUDIT#EXPORT#${target.schoolYear}#${target.exportPeriod}`
        : placementPartition(target.schoolYear, target.studentNumber),
  sort: (at: string, id: string) => `AUDIT#${at}#${id}`,
  /** The sort key prefix of every audit event of a partition. */
  prefix: () => 'AUDIT#',
};

/** Keys of an access link: only the token's hash is stored. */
export const linkKeys = (hash: string) => ({ PK: `LINK#${hash}`, SK: 'LINK' });

/** The item a link opens, as the link item stores it (`ownerPk`, `ownerSk`): an observer's request, or a student's page link. */
export const linkOwnerKeys = {
  request: (schoolYear: string, studentNumber: string, requestId: string) => ownerOf(requestKeys.request(schoolYear, studentNumber, requestId)),
  studentLink: (schoolYear: string, studentNumber: string) => ownerOf(requestKeys.studentLink(schoolYear, studentNumber)),
  appointment: (schoolYear: string, studentNumber: string, appointmentId: string) => ownerOf(workflowKeys.appointment(schoolYear, studentNumber, appointmentId)),
};

const ownerOf = (key: { PK: string; SK: string }) => ({ ownerPk: key.PK, ownerSk: key.SK });

/** Keys of a session: only the hash of the cookie's id is stored. */
export const sessionKeys = (hash: string) => ({ PK: `SESSION#${hash}`, SK: '-' });

/** Keys of a sign-in token: only the token's hash is stored. */
export const signInKeys = (hash: string) => ({ PK: `SIGNIN#${hash}`, SK: '-' });

/** Keys of the sign-in email budget of an address: only the address's hash is in the key. */
export const signInBudgetKeys = (emailHash: string) => ({ PK: `SIGNINMAIL#${emailHash}`, SK: '-' });

/** Keys of a pending roster upload. */
export const rosterUploadKeys = (id: string) => ({ PK: `ROSTERUPLOAD#${id}`, SK: '-' });

/** Keys of a notification ledger item; the email is lower-cased, as everywhere in keys. */
export const ledgerKeys = {
  partition: (runKey: string) => `RUN#${runKey}`,
  item: (runKey: string, email: string) => ({ PK: `RUN#${runKey}`, SK: `TO#${emailKey(email)}` }),
};

const SUPPRESSION_PREFIX = 'SUPPRESS#';

/**
 * Keys of a suppressed address: `SUPPRESS#<email>` / `SUPPRESS` for the lookups by address, plus
 * one year-independent partition of the overloaded GSI1 (`SUPPRESSED` / `<email>`) so the planner
 * reads every suppressed address with one paginated Query: requests that grow with the (few)
 * suppressed addresses, not with the recipients.
 */
export const suppressionKeys = {
  item: (email: string) => ({ PK: `${SUPPRESSION_PREFIX}${emailKey(email)}`, SK: 'SUPPRESS' }),
  index: (email: string) => ({ GSI1PK: suppressionKeys.indexPartition(), GSI1SK: emailKey(email) }),
  indexPartition: () => 'SUPPRESSED',
  /** The lower-cased address of a suppression item's partition key. */
  emailOf: (pk: string) => pk.slice(SUPPRESSION_PREFIX.length),
};

/** The kinds of content a coordinator publishes: a form (a new version) or a school year. */
export type ContentKind = 'form' | 'year';

const CONTENT_PARTITION = 'CONTENT';
const CONTENT_DRAFT_PARTITION = 'CONTENTDRAFT';
const CONTENT_PREFIX: Record<ContentKind, string> = { form: 'FORM#', year: 'YEAR#' };

/**
 * Keys of the published content (docs/year-content.md, "Data model"): every published form
 * version and school-year version in one partition, `CONTENT` / `FORM#<formId>#V#<000n>` and
 * `YEAR#<yearId>#V#<000n>`, so one paginated Query reads them all; concepts (checked, not yet
 * published) in `CONTENTDRAFT` / `<kind>#<uploadId>`; the uploaded bytes in S3 under
 * `content/<kind>/<subject>/<uploadId>.xlsx`.
 */
export const contentKeys = {
  partition: () => CONTENT_PARTITION,
  version: (kind: ContentKind, subject: string, version: number) => ({
    PK: CONTENT_PARTITION,
    SK: `${contentKeys.versionPrefix(kind, subject)}${String(version).padStart(4, '0')}`,
  }),
  /** The sort key prefix of every version of one form or year. */
  versionPrefix: (kind: ContentKind, subject: string) => `${CONTENT_PREFIX[kind]}${subject}#V#`,
  /** The kind, subject and version of a `CONTENT` sort key; undefined for any other sort key. */
  versionOf: (sk: string): { kind: ContentKind; subject: string; version: number } | undefined => {
    const match = /^(FORM|YEAR)#(.+)#V#(\d+)$/.exec(sk);
    if (!match) return undefined;
    return { kind: match[1] === 'FORM' ? 'form' : 'year', subject: match[2]!, version: Number(match[3]) };
  },
  draftPartition: () => CONTENT_DRAFT_PARTITION,
  draft: (kind: ContentKind, uploadId: string) => ({ PK: CONTENT_DRAFT_PARTITION, SK: `${kind}#${uploadId}` }),
  /** Where the uploaded bytes of a workbook are kept (S3 object key). */
  workbookObject: (kind: ContentKind, subject: string, uploadId: string) => `content/${kind}/${subject}/${uploadId}.xlsx`,
};
