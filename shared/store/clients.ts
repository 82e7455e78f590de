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

type ClientConfig = Pick<Config, 'AWS_REGION' | 'AWS_ENDPOINT_URL_DYNAMODB' | 'AWS_ENDPOINT_URL_S3' | 'AWS_ENDPOINT_URL_SES'>;
type Credentials = { accessKeyId: string; secretAccessKey: string };

/*
 * One factory per service, so a Lambda function bundles only the SDK clients it calls: the SDK
 * packages declare `sideEffects: false`, and esbuild drops the import of a factory nobody calls
 * (test/infra/bundles.test.ts holds each function to its size budget).
 *
 * Endpoints come from the SDK's standard `AWS_ENDPOINT_URL_*` variables (parsed into config); on
 * Lambda they are unset and the SDK uses the real services. Credentials are only passed locally;
 * on AWS the SDK's default chain finds them.
 */

function common(config: ClientConfig, credentials?: Credentials) {
  return { region: config.AWS_REGION, ...(credentials ? { credentials } : {}) };
}

/** The DynamoDB client and the document client over it (undefined attributes are left out). */
export function createDynamoClients(config: ClientConfig, credentials?: Credentials): Pick<AwsClients, 'dynamodb' | 'doc'> {
  const dynamodb = new DynamoDBClient({ ...common(config, credentials), endpoint: config.AWS_ENDPOINT_URL_DYNAMODB });
  const doc = DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } });
  return { dynamodb, doc };
}

/** The S3 client; s3rver (and any local S3) needs path-style addressing, real S3 prefers virtual hosts. */
export function createS3Client(config: ClientConfig, credentials?: Credentials): S3Client {
  return new S3Client({
    ...common(config, credentials),
    endpoint: config.AWS_ENDPOINT_URL_S3,
    forcePathStyle: config.AWS_ENDPOINT_URL_S3 !== undefined,
  });
}

/** The SES client. */
export function createSesClient(config: ClientConfig, credentials?: Credentials): SESClient {
  return new SESClient({ ...common(config, credentials), endpoint: config.AWS_ENDPOINT_URL_SES });
}

/** Every client: for the HTTP function, the local stack, the command-line tools and the tests. */
export function createAwsClients(config: ClientConfig, credentials?: Credentials): AwsClients {
  return { ...createDynamoClients(config, credentials), s3: createS3Client(config, credentials), ses: createSesClient(config, credentials) };
}
