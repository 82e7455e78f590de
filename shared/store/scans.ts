import { GetObjectTaggingCommand, type S3Client } from '@aws-sdk/client-s3';
import { SCAN_TAG, verdictOf, type ScanVerdict } from '../attachments/scan.ts';

/** Reads the malware scan verdict of attachment objects from their {@link SCAN_TAG} tag. */
export class ScanStatusReader {
  /**
   * @param s3 the client of the attachments bucket
   * @param bucket the attachments bucket
   */
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  /**
   * The scan verdict of one object.
   *
   * @param key the object key (under `attachments/`)
   * @param versionId the verified version: pass it whenever it is known, so the verdict is about
   *   the bytes that will be served and not about a later version of the key
   * @throws the S3 error when the object (version) does not exist or cannot be read
   */
  async verdict(key: string, versionId?: string): Promise<ScanVerdict> {
    const out = await this.s3.send(
      new GetObjectTaggingCommand({ Bucket: this.bucket, Key: key, VersionId: versionId }),
    );
    return verdictOf(out.TagSet?.find((tag) => tag.Key === SCAN_TAG)?.Value);
  }
}
