import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SESClient } from '@aws-sdk/client-ses';
import type { Config } from '../config.ts';

/** The AWS SDK clients of one process, built once and passed in. */
export interface AwsClients {
  dynamodb: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  s3: S3Client;
  ses: SESClient;
}

/**
 * Builds the SDK clients. Endpoints come from the SDK's standard `AWS_ENDPOINT_URL_*` variables
 * (parsed into config); on Lambda they are unset and the SDK uses the real services.
 * Credentials are only passed locally; on AWS the SDK's default chain finds them.
 */
export function createAwsClients(
  config: Pick<Config, 'AWS_REGION' | 'AWS_ENDPOINT_URL_DYNAMODB' | 'AWS_ENDPOINT_URL_S3' | 'AWS_ENDPOINT_URL_SES'>,
  credentials?: { accessKeyId: string; secretAccessKey: string },
): AwsClients {
  const common = { region: config.AWS_REGION, ...(credentials ? { credentials } : {}) };
  const dynamodb = new DynamoDBClient({ ...common, endpoint: config.AWS_ENDPOINT_URL_DYNAMODB });
  const doc = DynamoDBDocumentClient.from(dynamodb, {
    marshallOptions: { removeUndefinedValues: true },
  });
  // s3rver (and any local S3) needs path-style addressing; real S3 prefers virtual hosts.
  const s3 = new S3Client({
    ...common,
    endpoint: config.AWS_ENDPOINT_URL_S3,
    forcePathStyle: config.AWS_ENDPOINT_URL_S3 !== undefined,
  });
  const ses = new SESClient({ ...common, endpoint: config.AWS_ENDPOINT_URL_SES });
  return { dynamodb, doc, s3, ses };
}
