import { PutObjectCommand, PutObjectTaggingCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { SCAN_TAG } from '../../../shared/attachments/scan.ts';
import { ScanStatusReader } from '../../../shared/store/scans.ts';
import { freshBucket, localClients } from '../../support/aws.ts';
import { cleanPdf, infectedPdf, waitForScanTag } from '../../support/malware.ts';

/** The reader against s3rver, with tags written by the test stack's ClamAV tagger or by hand. */
describe('ScanStatusReader against s3rver', () => {
  const clients = localClients();
  let bucket: string;
  let reader: ScanStatusReader;

  beforeAll(async () => {
    bucket = await freshBucket(clients);
    reader = new ScanStatusReader(clients.s3, bucket);
  });

  async function put(key: string, body: Uint8Array): Promise<void> {
    await clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/pdf' }));
  }

  it('calls an object nobody has scanned pending', async () => {
    // Outside attachments/, so the local tagger never tags it.
    await put('uploads/2025-2026/1012001/r1/a', cleanPdf());
    expect(await reader.verdict('uploads/2025-2026/1012001/r1/a')).toBe('pending');
  });

  it('calls a clean attachment clean once it is scanned', async () => {
    await put('attachments/2025-2026/1012001/r1/clean', cleanPdf());
    await waitForScanTag(clients.s3, bucket, 'attachments/2025-2026/1012001/r1/clean');
    expect(await reader.verdict('attachments/2025-2026/1012001/r1/clean')).toBe('clean');
  });

  it('calls an infected attachment a threat once it is scanned', async () => {
    await put('attachments/2025-2026/1012001/r1/infected', infectedPdf());
    await waitForScanTag(clients.s3, bucket, 'attachments/2025-2026/1012001/r1/infected');
    expect(await reader.verdict('attachments/2025-2026/1012001/r1/infected')).toBe('threat');
  });

  it('calls a failed scan unscannable', async () => {
    await put('uploads/2025-2026/1012001/r1/failed', cleanPdf());
    await clients.s3.send(
      new PutObjectTaggingCommand({
        Bucket: bucket,
        Key: 'uploads/2025-2026/1012001/r1/failed',
        Tagging: { TagSet: [{ Key: SCAN_TAG, Value: 'FAILED' }] },
      }),
    );
    expect(await reader.verdict('uploads/2025-2026/1012001/r1/failed')).toBe('unscannable');
  });
});
