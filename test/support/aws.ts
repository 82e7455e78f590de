import { randomUUID } from 'node:crypto';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { inject } from 'vitest';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../infra/local/stack.ts';
import { createAwsClients, type AwsClients } from '../../shared/store/clients.ts';
import { ensureTable } from '../../shared/store/table.ts';
import { ensureBucket } from '../../shared/store/bucket.ts';

/** SDK clients pointed at the emulators the global setup started. */
export function localClients(): AwsClients {
  const endpoints = inject('endpoints');
  return createAwsClients(
    {
      AWS_REGION: LOCAL_REGION,
      AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
      AWS_ENDPOINT_URL_S3: endpoints.s3,
      AWS_ENDPOINT_URL_SES: endpoints.ses,
    },
    LOCAL_CREDENTIALS,
  );
}

/** A fresh table (and bucket) of its own for one test file, so files never see each other's data. */
export async function freshTable(clients: AwsClients): Promise<string> {
  const name = `test-${randomUUID().slice(0, 8)}`;
  await ensureTable(clients.dynamodb, name);
  return name;
}

/** A fresh bucket for one test file. */
export async function freshBucket(clients: AwsClients): Promise<string> {
  const name = `test-${randomUUID().slice(0, 8)}`;
  await ensureBucket(clients.s3, name);
  return name;
}

/** Whether an object is in the bucket (HeadObject: 404 is no, any other failure throws). */
export async function objectExists(clients: Pick<AwsClients, 's3'>, bucket: string, key: string): Promise<boolean> {
  try {
    await clients.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (error) {
    if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
    throw error;
  }
}
