import { GetObjectTaggingCommand, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { SCAN_TAG } from '../../../shared/attachments/scan.ts';
import { ScanStatusReader } from '../../../shared/store/scans.ts';

describe('ScanStatusReader', () => {
  function readerWithTags(tags: { Key: string; Value: string }[]) {
    const s3 = mockClient(S3Client);
    s3.on(GetObjectTaggingCommand).resolves({ TagSet: tags });
    return { s3, reader: new ScanStatusReader(new S3Client({ region: 'eu-west-1' }), 'bucket') };
  }

  it('calls an object without a scan tag pending', async () => {
    const { reader } = readerWithTags([{ Key: 'other', Value: 'NO_THREATS_FOUND' }]);
    expect(await reader.verdict('attachments/a')).toBe('pending');
  });

  it.each([
    ['NO_THREATS_FOUND', 'clean'],
    ['THREATS_FOUND', 'threat'],
    ['UNSUPPORTED', 'unscannable'],
    ['ACCESS_DENIED', 'unscannable'],
    ['FAILED', 'unscannable'],
    ['SOMETHING_NEW', 'unscannable'],
    ['', 'unscannable'],
  ])('maps the GuardDuty tag value %j to %s', async (value, verdict) => {
    const { reader } = readerWithTags([{ Key: SCAN_TAG, Value: value }]);
    expect(await reader.verdict('attachments/a')).toBe(verdict);
  });

  it('reads the tags of the verified version, not of the key’s latest', async () => {
    const { s3, reader } = readerWithTags([{ Key: SCAN_TAG, Value: 'NO_THREATS_FOUND' }]);
    await reader.verdict('attachments/a', 'v1');
    expect(s3.commandCalls(GetObjectTaggingCommand)[0]?.args[0].input).toEqual({
      Bucket: 'bucket',
      Key: 'attachments/a',
      VersionId: 'v1',
    });
  });

  it('passes a missing object on as an error instead of a verdict', async () => {
    const s3 = mockClient(S3Client);
    s3.on(GetObjectTaggingCommand).rejects(new NoSuchKey({ message: 'gone', $metadata: {} }));
    const reader = new ScanStatusReader(new S3Client({ region: 'eu-west-1' }), 'bucket');
    await expect(reader.verdict('attachments/a')).rejects.toThrow('gone');
  });
});
