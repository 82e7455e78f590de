import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { ForbiddenError } from '../../../shared/auth/scope.ts';
import { MemoryMailer } from '../../../shared/mail/mailer.ts';
import { ROSTER_UPLOAD_PREFIX } from '../../../shared/store/roster-uploads.ts';
import type { AwsClients } from '../../../shared/store/clients.ts';
import { rosterUploadKeys } from '../../../shared/store/keys.ts';
import {
  confirmRosterUpload,
  previewRoster,
  ROSTER_MAX_BYTES,
  RosterChangedSincePreviewError,
  RosterTooLargeError,
  RosterUploadGoneError,
} from '../../../shared/usecases/roster.ts';
import { appDeps } from '../../support/app.ts';
import { freshBucket, freshTable, localClients } from '../../support/aws.ts';
import { row, rosterCsv, rowOf, type RosterRow } from '../../support/roster.ts';
import { movableClock, staffPlacement } from '../../support/staff.ts';

const ADMIN = 'admin.ucr@hr.example.nl';
const OTHER_ADMIN = 'admin2.ucr@hr.example.nl';

/** A roster row that says exactly what `staffPlacement(nr, 'ucr')` says. */
const staffRow = (nr: string, overrides: RosterRow = {}) => rowOf(staffPlacement(nr, 'ucr'), overrides);

describe('the roster use-cases, against the local table and bucket', () => {
  const clock = movableClock('2025-11-10T09:00');
  const mailer = new MemoryMailer();
  let clients: AwsClients;
  let tableName: string;
  let bucket: string;
  let deps: ReturnType<typeof appDeps>;

  async function placementCount(): Promise<number> {
    const result = await clients.doc.send(
      new ScanCommand({ TableName: tableName, Select: 'COUNT', FilterExpression: 'SK = :sk', ExpressionAttributeValues: { ':sk': 'PLACEMENT' }, ConsistentRead: true }),
    );
    return result.Count ?? 0;
  }

  async function storedUploads(): Promise<string[]> {
    const listed = await clients.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: ROSTER_UPLOAD_PREFIX }));
    return (listed.Contents ?? []).map((o) => o.Key!);
  }

  const preview = (bytes: Uint8Array, uploadedBy = ADMIN) => previewRoster(deps, { fileName: 'rooster.csv', bytes, uploadedBy });

  async function uploadIdOf(bytes: Uint8Array): Promise<string> {
    const result = await preview(bytes);
    if (result.kind !== 'ready') throw new Error('the file did not preview');
    return result.uploadId;
  }

  beforeAll(async () => {
    clients = localClients();
    tableName = await freshTable(clients);
    bucket = await freshBucket(clients);
    deps = appDeps(clients, { tableName, bucket }, clock, { mailer, adminEmails: [ADMIN, OTHER_ADMIN] });
    for (const nr of ['830001', '830002']) await deps.placements.create(staffPlacement(nr, 'ucr'), clock.now().toString());
  });

  it('previews a bad file with its problems and stores nothing', async () => {
    const before = await placementCount();

    const result = await preview(rosterCsv([row(1), row(2, { wpb_email: 'geen-adres' })]));

    expect(result.kind).toBe('invalid');
    expect(result.parsed.ok).toBe(false);
    expect(result.parsed.ok ? [] : result.parsed.problems.map((p) => [p.line, p.column])).toEqual([[3, 'wpb_email']]);
    expect(await placementCount()).toBe(before);
    expect(await storedUploads()).toEqual([]);
  });

  it('refuses a file over the limit', async () => {
    await expect(preview(new Uint8Array(ROSTER_MAX_BYTES + 1).fill(0x41))).rejects.toBeInstanceOf(RosterTooLargeError);
    expect(await storedUploads()).toEqual([]);
  });

  it('previews a good file row by row and stores only its bytes; the confirmation imports it and welcomes the new student', async () => {
    const bytes = rosterCsv([
      staffRow('830001'),
      staffRow('830002', { wpb_naam: 'Nieuwe Mentor', wpb_email: 'nieuw.830002@wolfert.example.nl' }),
      staffRow('830003', { student_email: 'zoe.830003@student.example.nl' }),
    ]);
    const before = await placementCount();

    const result = await preview(bytes);

    if (result.kind !== 'ready') throw new Error('expected a ready preview');
    expect(result.rows.map((r) => [r.placement.studentNumber, r.status, r.changes])).toEqual([
      ['830001', 'ongewijzigd', []],
      ['830002', 'gewijzigd', ['wpb_naam', 'wpb_email']],
      ['830003', 'nieuw', []],
    ]);
    expect(await placementCount()).toBe(before);
    expect(await storedUploads()).toHaveLength(1);

    const done = await confirmRosterUpload(deps, { uploadId: result.uploadId, email: ADMIN });

    expect(done.kind).toBe('imported');
    if (done.kind !== 'imported') return;
    expect(done.summary).toEqual({ created: 1, updated: 1, unchanged: 1 });
    expect(await placementCount()).toBe(before + 1);
    expect((await deps.placements.get('2025-2026', '830002'))?.wpb.name).toBe('Nieuwe Mentor');
    expect(mailer.sent.filter((m) => m.to === 'zoe.830003@student.example.nl').map((m) => m.subject)).toContain('Welkom bij werkplekleren N2 2025-2026');
    expect(await storedUploads()).toEqual([]);
  });

  it('imports once: a second confirmation is refused as gone', async () => {
    const id = await uploadIdOf(rosterCsv([staffRow('830004', { student_email: 'zoe.830004@student.example.nl' })]));

    const results = await Promise.allSettled([confirmRosterUpload(deps, { uploadId: id, email: ADMIN }), confirmRosterUpload(deps, { uploadId: id, email: ADMIN })]);

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((r) => r.status === 'rejected')?.reason).toBeInstanceOf(RosterUploadGoneError);
    expect((await deps.placements.get('2025-2026', '830004'))?.rev).toBe(1);
    expect(mailer.sent.filter((m) => m.to === 'zoe.830004@student.example.nl')).toHaveLength(1);
  });

  it('lets only the uploader confirm, and only within two hours', async () => {
    const id = await uploadIdOf(rosterCsv([staffRow('830005', { student_email: 'zoe.830005@student.example.nl' })]));

    await expect(confirmRosterUpload(deps, { uploadId: id, email: OTHER_ADMIN })).rejects.toBeInstanceOf(ForbiddenError);
    clock.advance(2 * 3600_000 + 1000);
    try {
      await expect(confirmRosterUpload(deps, { uploadId: id, email: ADMIN })).rejects.toThrow(/verlopen/);
    } finally {
      clock.set('2025-11-10T09:00');
    }
    expect(await deps.placements.get('2025-2026', '830005')).toBeUndefined();
  });

  it('refuses an unknown upload id as gone', async () => {
    await expect(confirmRosterUpload(deps, { uploadId: 'x'.repeat(43), email: ADMIN })).rejects.toBeInstanceOf(RosterUploadGoneError);
  });

  it('imports nothing when the stored bytes no longer match the previewed ones, and removes them', async () => {
    // An expired upload of an earlier test is still there (the bucket's lifecycle rule removes it).
    const before = await storedUploads();
    const id = await uploadIdOf(rosterCsv([staffRow('830006', { student_email: 'zoe.830006@student.example.nl' })]));
    // A versioned bucket keeps the previewed version; an unversioned one could be overwritten: the hash tells.
    await clients.doc.send(
      new UpdateCommand({ TableName: tableName, Key: rosterUploadKeys(id), UpdateExpression: 'SET sha256 = :other', ExpressionAttributeValues: { ':other': '0'.repeat(64) } }),
    );

    await expect(confirmRosterUpload(deps, { uploadId: id, email: ADMIN })).rejects.toBeInstanceOf(RosterChangedSincePreviewError);

    expect(await deps.placements.get('2025-2026', '830006')).toBeUndefined();
    expect(await storedUploads()).toEqual(before);
  });
});
