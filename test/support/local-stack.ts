import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { freePort, LOCAL_CREDENTIALS, LOCAL_REGION } from '../../infra/local/stack.ts';
import { createAwsClients } from '../../shared/store/clients.ts';
import { keys } from '../../shared/store/keys.ts';

/**
 * For tests that run `npm start`'s entry as a user would: a data folder and free ports of their
 * own, and a look into the table it made.
 */

/**
 * JVM flags for DynamoDB Local under test, passed as JAVA_TOOL_OPTIONS (its launcher takes no
 * others): the C1 compiler only, and the serial collector. On two cores the C2 compiler's threads
 * compete with the tests, and the JVM answers in about half the time (11 s → 5 s here); a
 * DynamoDB-heavy set of integration files runs about a third faster.
 */
export const TEST_JAVA_OPTIONS = '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC';

/** A fresh data folder and the environment that puts the stack on free ports with the clock at `now`. */
export async function localStackEnv(prefix: string, now: string): Promise<{ dataDir: string; env: Record<string, string> }> {
  const dataDir = await mkdtemp(join(tmpdir(), prefix));
  return {
    dataDir,
    env: {
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      DYNAMODB_PORT: String(await freePort()),
      S3_PORT: String(await freePort()),
      SES_PORT: String(await freePort()),
      NOW: now,
      JAVA_TOOL_OPTIONS: TEST_JAVA_OPTIONS,
    },
  };
}

/** The document client of the stack's DynamoDB Local. */
export function stackDocumentClient(env: Record<string, string>) {
  return createAwsClients({ AWS_REGION: LOCAL_REGION, AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${env.DYNAMODB_PORT}` }, LOCAL_CREDENTIALS).doc;
}

/** The placement items of a school year in the stack's table (`werkplekleren`), from the year index. */
export async function placementItemsOf(env: Record<string, string>, schoolYear: string): Promise<Record<string, unknown>[]> {
  const result = await stackDocumentClient(env).send(
    new QueryCommand({
      TableName: 'werkplekleren',
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      FilterExpression: 'entity = :placement',
      ExpressionAttributeValues: { ':pk': keys.yearIndex(schoolYear), ':placement': 'placement' },
    }),
  );
  return result.Items ?? [];
}
