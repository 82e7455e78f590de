import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { DeleteCommand, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { Temporal } from 'temporal-polyfill';
import { beforeEach, describe, expect, it } from 'vitest';
import { attachmentKey, newAttachmentId } from '#shared/attachments/object-keys.ts';
import { getSchoolYear } from '#shared/calendar.ts';
import { fixedClock } from '#shared/clock.ts';
import { hashToken, tokenFor } from '#shared/links.ts';
import { MemoryMailer } from '#shared/mail/mailer.ts';
import { createRequest, reissueRequestLink, type RequestDeps } from '#shared/usecases/observation.ts';
import { ensureStudentLink } from '#shared/usecases/welcome.ts';
import { formCatalog } from '#forms/index.ts';
import { shippedCalendar } from '#shared/content/calendar-catalog.ts';
import { purgeDueYears, purgeSchoolYear, type PurgeDeps } from '#shared/retention/purge.ts';
import type { Placement } from '#shared/roster/placement.ts';
import { AuditStore } from '#shared/store/audit.ts';
import type { AwsClients } from '#shared/store/clients.ts';
import { keys, linkKeys } from '#shared/store/keys.ts';
import { PlacementStore } from '#shared/store/placements.ts';
import { RequestStore } from '#shared/store/requests.ts';
import { type RequestRecord } from '#shared/model/requests.ts';
import { createRetentionHandler } from '#functions/retention/handler.ts';
import { freshBucket, freshTable, localClients } from '../../support/aws.ts';
import { appDeps, TEST_LINK_SECRET } from '../../support/app.ts';
import { planGesprek } from '#shared/usecases/appointments.ts';

const person = (name: string, email: string) => ({ name, email });

function placement(schoolYear: string, n: number, wpbEmail = `mentor${n}@wolfert.nl`): Placement {
  return {
    schoolYear,
    studentNumber: String(1_000_000 + n),
    student: person(`Student ${n}`, `student${n}@hr.nl`),
    vak: 'Nederlands',
    school: 'Wolfert van Borselen',
    wpb: person(`Mentor ${n}`, wpbEmail),
    so: person('Saskia Opleider', 'so@wolfert.nl'),
    io: person('Ivo Instituut', 'io@hr.nl'),
    sco: person('Sanne Coördinator', 'sco@wolfert.nl'),
  };
}

const clients: AwsClients = localClients();
let tableName: string;
let bucketName: string;
let deps: PurgeDeps;

async function allItems(): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await clients.doc.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

async function objectKeys(): Promise<string[]> {
  const listed = await clients.s3.send(new ListObjectsV2Command({ Bucket: bucketName }));
  return (listed.Contents ?? []).map((object) => object.Key ?? '').sort();
}

/** Whether an item belongs to a school year: by its keys, or (a link) by the keys of its owner. */
const ofYear = (year: string) => (item: Record<string, unknown>) =>
  [item.PK, item.SK, item.GSI1PK, item.GSI2PK, item.ownerPk].some((key) => typeof key === 'string' && key.includes(year));

/**
 * Everything one school year can hold, written through the app's own stores: placements (one
 * changed, so with history and a moved WPB membership), requests with links (one reissued),
 * versions (draft and submitted), an attachment in S3, the student page link, audit events and a
 * CSV export event.
 */
async function seedYear(schoolYear: string, students: number): Promise<{ requests: RequestRecord[]; studentLinkIds: string[] }> {
  const year = getSchoolYear(schoolYear)!;
  const period = year.periods[0]!;
  const clock = fixedClock(Temporal.Instant.from(`${period.start}T09:00:00+01:00`));
  const placements = new PlacementStore(clients.doc, tableName);
  const requestDeps: RequestDeps = {
    requests: new RequestStore(clients.doc, tableName),
    mailer: new MemoryMailer(),
    clock,
    linkSecret: TEST_LINK_SECRET,
    publicOrigin: 'https://werkplekleren.test',
    linkGraceDays: 14,
    forms: formCatalog,
    calendar: shippedCalendar,
  };
  const audit = new AuditStore(clients.doc, tableName);
  const requests: RequestRecord[] = [];
  const studentLinkIds: string[] = [];
  for (let n = 1; n <= students; n++) {
    const p = placement(schoolYear, n);
    await placements.create(p, clock.now().toString());
    if (n === 1) {
      const before = (await placements.get(schoolYear, p.studentNumber))!;
      await placements.update(before, placement(schoolYear, n, 'nieuwe.mentor@wolfert.nl'), clock.now().toString());
    }
    const current = (await placements.get(schoolYear, p.studentNumber))!;
    studentLinkIds.push((await ensureStudentLink(requestDeps, current)).linkId);
    if (n === 1) {
      // A driehoeksgesprek: each participant's /a/<token> link item is owned by the appointment.
      const gesprekDeps = { ...appDeps(clients, { tableName, bucket: bucketName }, clock), mailer: new MemoryMailer() };
      const planned = await planGesprek(gesprekDeps, {
        token: tokenFor(TEST_LINK_SECRET, studentLinkIds.at(-1)!),
        fields: { talkType: 'kennismaking', date: Temporal.PlainDate.from(period.start).add({ days: 7 }).toString(), start: '10:00', end: '11:00', participants: ['wpb', 'so'], bevestigd: 'ja' },
      });
      if (planned.kind !== 'planned') throw new Error(`the gesprek was not planned: ${planned.kind}`);
    }
    let request = await createRequest(
      requestDeps,
      current,
      { formId: 'kijkwijzer-pedagogiek', observerRole: 'wpb', lessonDate: period.start, className: '2B' },
      { origin: 'student', choice: { year, period } },
    );
    if (n === 1) request = await reissueRequestLink(requestDeps, request);
    const attachmentId = newAttachmentId();
    const key = attachmentKey({ schoolYear, studentNumber: p.studentNumber, requestId: request.requestId, attachmentId });
    await clients.s3.send(new PutObjectCommand({ Bucket: bucketName, Key: key, Body: `%PDF-1.4 ${schoolYear} ${n}`, ContentType: 'application/pdf' }));
    const attachment = { id: attachmentId, key, name: 'verslag.pdf', size: 20, type: 'application/pdf', addedAt: clock.now().toString() };
    await requestDeps.requests.addAttachment(request, attachment);
    // A draft, then the submitted version on top of it.
    const version = (status: 'concept' | 'ingediend', opmerking: string) => ({
      formId: request.formId,
      formVersion: 1,
      answers: { opmerking },
      status,
      savedAt: clock.now().toString(),
      savedBy: 'link:wpb',
      attachments: [attachment],
    });
    const draft = await requestDeps.requests.saveVersion(request, 0, version('concept', 'Goed begin'));
    await requestDeps.requests.saveVersion({ ...request, latestVersion: draft.version }, draft.version, version('ingediend', 'Goed gedaan'));
    await audit.record({ schoolYear, studentNumber: p.studentNumber }, { actor: 'link:wpb', action: 'ingediend', requestId: request.requestId }, clock.now());
    requests.push((await requestDeps.requests.get(schoolYear, p.studentNumber, request.requestId))!);
  }
  await audit.record({ schoolYear, exportPeriod: 1 }, { actor: 'io@hr.nl', action: 'CSV gedownload' }, clock.now());
  return { requests, studentLinkIds };
}

beforeEach(async () => {
  tableName = await freshTable(clients);
  bucketName = await freshBucket(clients);
  deps = { doc: clients.doc, s3: clients.s3, tableName, bucketName };
});

describe('purging a school year (DynamoDB Local, s3rver)', () => {
  it('deletes everything of 2024-2025 and leaves 2025-2026 exactly as it was', async () => {
    const old = await seedYear('2024-2025', 3);
    await seedYear('2025-2026', 2);
    const before = await allItems();
    const keptBefore = before.filter((item) => !ofYear('2024-2025')(item));
    expect(before.filter(ofYear('2024-2025')).length).toBeGreaterThan(20);
    // Links of both years are there to begin with, one of 2024-2025 replaced (revoked, kept for its
    // 410), and the three participants' links of each year's driehoeksgesprek.
    expect(before.filter((item) => String(item.PK).startsWith('LINK#') && ofYear('2024-2025')(item))).toHaveLength(7 + 3);
    expect(before.filter((item) => String(item.PK).startsWith('LINK#') && ofYear('2025-2026')(item))).toHaveLength(5 + 3);

    const counts = await purgeSchoolYear('2024-2025', deps);

    const after = await allItems();
    // No item of the purged year is left: partitions, index entries, export events, memberships,
    // links (current and replaced).
    expect(after.filter(ofYear('2024-2025'))).toEqual([]);
    // Its current links are gone (the form link and the student page link of every student).
    for (const request of old.requests) {
      expect((await clients.doc.send(new GetCommand({ TableName: tableName, Key: linkKeys(request.linkHash) }))).Item).toBeUndefined();
    }
    for (const linkId of old.studentLinkIds) {
      const key = linkKeys(hashToken(tokenFor(TEST_LINK_SECRET, linkId)));
      expect((await clients.doc.send(new GetCommand({ TableName: tableName, Key: key }))).Item).toBeUndefined();
    }
    // The other year is untouched, item for item: partitions, index entries, links, memberships.
    expect(after).toEqual(expect.arrayContaining(keptBefore));
    expect(after).toHaveLength(keptBefore.length);
    const people = after.filter((item) => String(item.PK).startsWith('PERSON#'));
    expect(people.length).toBe(2 * 5);
    expect(people.every((item) => String(item.SK).includes('#2025-2026#'))).toBe(true);
    // Attachments: only the other year's objects remain, and they still read.
    const remaining = await objectKeys();
    expect(remaining).toHaveLength(2);
    expect(remaining.every((key) => key.startsWith('attachments/2025-2026/'))).toBe(true);
    const body = await (await clients.s3.send(new GetObjectCommand({ Bucket: bucketName, Key: remaining[0] }))).Body!.transformToString();
    expect(body).toContain('2025-2026');

    // Memberships: 5 roles × 3, plus the key of the replaced mentor (derived from the history, already gone).
    // Links: 3 form links, 3 student page links, the one replaced form link and the gesprek's 3.
    expect(counts).toMatchObject({ schoolYear: '2024-2025', placements: 3, memberships: 3 * 5 + 1, links: 7 + 3, exportEvents: 1, objects: 3 });
    // Per student: placement, student link, request, attachment, two versions, audit event; one
    // history entry; the gesprek and its audit event.
    expect(counts.items).toBe(3 * 7 + 1 + 2);
  });

  it('a dry run counts the same and deletes nothing', async () => {
    await seedYear('2024-2025', 2);
    const before = await allItems();
    const objectsBefore = await objectKeys();

    const dry = await purgeSchoolYear('2024-2025', deps, { dryRun: true });

    expect(await allItems()).toHaveLength(before.length);
    expect(await objectKeys()).toEqual(objectsBefore);
    const real = await purgeSchoolYear('2024-2025', deps);
    expect(real).toEqual(dry);
    expect((await allItems()).filter(ofYear('2024-2025'))).toEqual([]);
  });

  it('a second run finds nothing, and a run broken off halfway is finished by the next', async () => {
    await seedYear('2024-2025', 2);
    // S3 refuses the first delete: the run stops before any item is deleted.
    let refuse = true;
    clients.s3.middlewareStack.add(
      (next, context) => async (args) => {
        if (refuse && context.commandName === 'DeleteObjectsCommand') {
          refuse = false;
          throw Object.assign(new Error('We encountered an internal error. Please try again.'), { name: 'InternalError', $fault: 'server' });
        }
        return next(args);
      },
      { step: 'initialize', name: 'refuseFirstDelete' },
    );
    try {
      await expect(purgeSchoolYear('2024-2025', deps)).rejects.toThrow(/internal error/);
      expect((await allItems()).filter(ofYear('2024-2025')).length).toBeGreaterThan(0);

      const resumed = await purgeSchoolYear('2024-2025', deps);
      expect(resumed.placements).toBe(2);
      expect((await allItems()).filter(ofYear('2024-2025'))).toEqual([]);
      expect(await objectKeys()).toEqual([]);

      const again = await purgeSchoolYear('2024-2025', deps);
      expect(again).toEqual({ schoolYear: '2024-2025', placements: 0, items: 0, memberships: 0, links: 0, exportEvents: 0, objects: 0 });
    } finally {
      clients.s3.middlewareStack.remove('refuseFirstDelete');
    }
  });

  it('a run cut off after the unindexed items is finished from the year index', async () => {
    const { requests } = await seedYear('2024-2025', 1);
    const request = requests[0]!;
    // As the purge leaves a partition when it dies after its first batch of deletes: links,
    // memberships, versions, attachments, history and audit gone; requests, the student link and
    // the placement (what the year index finds) still there.
    const stateAfterFirstBatch = (await allItems()).filter(
      (item) =>
        ofYear('2024-2025')(item) &&
        !(item.PK === keys.placementPartition('2024-2025', request.studentNumber) && typeof item.GSI1PK === 'string') &&
        !String(item.PK).startsWith('AUDIT#EXPORT#'),
    );
    for (const item of stateAfterFirstBatch) {
      await clients.doc.send(new DeleteCommand({ TableName: tableName, Key: { PK: item.PK, SK: item.SK } }));
    }
    expect((await allItems()).filter(ofYear('2024-2025')).map((item) => String(item.SK).split('#')[0]).sort()).toEqual(
      ['APPT', 'AUDIT', 'PLACEMENT', 'REQ', 'STUDENTLINK'],
    );

    const counts = await purgeSchoolYear('2024-2025', deps);

    expect(counts.placements).toBe(1);
    expect((await allItems()).filter(ofYear('2024-2025'))).toEqual([]);
  });

  it('a run that fails in the middle of the DynamoDB deletes is finished by the next', async () => {
    await seedYear('2024-2025', 3);
    await seedYear('2025-2026', 1);
    const otherYear = (await allItems()).filter(ofYear('2025-2026'));
    // The fourth batch delete fails the way a lost connection does: not retried by the purge.
    let batches = 0;
    clients.doc.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'BatchWriteItemCommand' && ++batches === 4) {
          throw Object.assign(new Error('socket hang up'), { name: 'NetworkingError' });
        }
        return next(args);
      },
      { step: 'initialize', name: 'failFourthBatch' },
    );
    try {
      await expect(purgeSchoolYear('2024-2025', deps)).rejects.toThrow(/socket hang up/);
      const left = (await allItems()).filter(ofYear('2024-2025'));
      expect(left.length).toBeGreaterThan(0);
      // Whatever is left, a placement item is among it, so the year index leads the next run there.
      expect(left.some((item) => item.SK === 'PLACEMENT')).toBe(true);
    } finally {
      clients.doc.middlewareStack.remove('failFourthBatch');
    }

    await purgeSchoolYear('2024-2025', deps);

    expect((await allItems()).filter(ofYear('2024-2025'))).toEqual([]);
    expect((await allItems()).filter(ofYear('2025-2026'))).toEqual(otherYear);
  });

  it('reads every page: year index, partitions and the attachment listing in pages of 2', async () => {
    await seedYear('2024-2025', 3);
    const paged = { ...deps, pageSize: 2 };
    let queries = 0;
    let listings = 0;
    clients.doc.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'QueryCommand') queries++;
        return next(args);
      },
      { step: 'initialize', name: 'countQueries' },
    );
    clients.s3.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'ListObjectsCommand') listings++;
        return next(args);
      },
      { step: 'initialize', name: 'countListings' },
    );
    try {
      const dry = await purgeSchoolYear('2024-2025', paged, { dryRun: true });
      expect(dry).toMatchObject({ placements: 3, items: 3 * 7 + 1 + 2, objects: 3 });
      // 3 objects in pages of 2; 3 students' index entries (9) and partitions (7 or 8 items) in pages of 2.
      expect(listings).toBe(2);
      expect(queries).toBeGreaterThan(3 + 1 + 6);

      const real = await purgeSchoolYear('2024-2025', paged);
      expect(real).toEqual(dry);
      expect((await allItems()).filter(ofYear('2024-2025'))).toEqual([]);
      expect(await objectKeys()).toEqual([]);
    } finally {
      clients.doc.middlewareStack.remove('countQueries');
      clients.s3.middlewareStack.remove('countListings');
    }
  });

  it('purges only the years that are due: 2024-2025 from 1 September 2027 with two years kept', async () => {
    await seedYear('2024-2025', 1);
    await seedYear('2025-2026', 1);
    const justBefore = Temporal.Instant.from('2027-08-31T21:59:59.999Z');
    const onTime = Temporal.Instant.from('2027-08-31T22:00:00Z'); // 1 September 00:00 in Amsterdam (summer time)

    expect(await purgeDueYears(justBefore, 2, deps)).toEqual([]);
    expect((await allItems()).filter(ofYear('2024-2025')).length).toBeGreaterThan(0);

    const purged = await purgeDueYears(onTime, 2, deps);

    expect(purged.map((counts) => counts.schoolYear)).toEqual(['2024-2025']);
    expect((await allItems()).filter(ofYear('2024-2025'))).toEqual([]);
    expect((await allItems()).filter(ofYear('2025-2026')).length).toBeGreaterThan(0);
  });

  it('refuses a malformed school year before touching anything', async () => {
    await seedYear('2024-2025', 1);
    const before = await allItems();
    await expect(purgeSchoolYear('2024', deps)).rejects.toThrow(/not a school year/);
    await expect(purgeSchoolYear('2024-2026', deps)).rejects.toThrow(/not a school year/);
    expect(await allItems()).toHaveLength(before.length);
  });
});

describe('the retention function', () => {
  const lines: string[] = [];
  const handler = (now = '2026-11-22T12:00:00Z') => createRetentionHandler(deps, 2, fixedClock(Temporal.Instant.from(now)), (line) => lines.push(line));

  it('purges what is due at the scheduled time, and logs counts without names or addresses', async () => {
    await seedYear('2024-2025', 2);
    lines.length = 0;

    const result = await handler('2027-09-01T01:00:05Z')({ at: '2027-09-01T03:00:00+02:00' }, {} as never);

    expect(result.purged.map((counts) => counts.schoolYear)).toEqual(['2024-2025']);
    expect((await allItems()).filter(ofYear('2024-2025'))).toEqual([]);
    expect(lines.map((line) => JSON.parse(line).message)).toEqual(['school year purged']);
    expect(lines.join('\n')).not.toMatch(/@|Student 1|Mentor/);
  });

  it('without a time, decides with its clock: on 22 November 2026 nothing is due with two years kept', async () => {
    await seedYear('2024-2025', 1);
    const before = await allItems();

    const result = await handler()({}, {} as never);

    expect(result).toEqual({ retentionYears: 2, dryRun: false, purged: [] });
    expect(await allItems()).toHaveLength(before.length);
  });

  it('a dry run deletes nothing and says what it would', async () => {
    await seedYear('2024-2025', 1);
    const before = await allItems();

    const result = await handler()({ at: '2030-01-01T00:00:00Z', dryRun: true }, {} as never);

    expect(result.purged).toMatchObject([{ schoolYear: '2024-2025', placements: 1 }]);
    expect(await allItems()).toHaveLength(before.length);
  });

  it('rejects a malformed payload before touching anything', async () => {
    await seedYear('2024-2025', 1);
    const before = await allItems();

    await expect(handler()({ at: 'gisteren' }, {} as never)).rejects.toThrow(/at/);
    await expect(handler()({ at: '2030-01-01T00:00:00Z', dryRun: 'ja' }, {} as never)).rejects.toThrow(/dryRun/);
    // A mistyped key must not turn a dry run into a real one.
    await expect(handler()({ at: '2030-01-01T00:00:00Z', dryrun: true }, {} as never)).rejects.toThrow(/dryrun/);
    // Only a dry run may look ahead: a real run with a time in the future would delete the current year.
    await expect(handler()({ at: '2030-01-01T00:00:00Z' }, {} as never)).rejects.toThrow(/lies in the future/);
    expect(await allItems()).toHaveLength(before.length);
  });
});
