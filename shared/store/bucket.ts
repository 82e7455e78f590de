import { CreateBucketCommand, HeadBucketCommand, PutBucketCorsCommand, type S3Client } from '@aws-sdk/client-s3';

/**
 * Creates the bucket when it does not exist yet (local stack only; CDK owns it on AWS) and, given
 * the app's origin, lets browsers on that origin (only) post uploads to it.
 */
export async function ensureBucket(client: S3Client, bucketName: string, appOrigin?: string): Promise<boolean> {
  let created = false;
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucketName }));
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status !== 404) throw error;
    await client.send(new CreateBucketCommand({ Bucket: bucketName }));
    created = true;
  }
  if (appOrigin) {
    await client.send(
      new PutBucketCorsCommand({
        Bucket: bucketName,
        CORSConfiguration: {
          CORSRules: [{ AllowedOrigins: [appOrigin], AllowedMethods: ['POST'], AllowedHeaders: ['*'], MaxAgeSeconds: 600 }],
        },
      }),
    );
  }
  return created;
}
