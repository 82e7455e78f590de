import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceNotFoundException,
  TransactionCanceledException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type DynamoDBDocumentClient, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';

/** The TTL attribute: epoch seconds after which DynamoDB may delete the item. */
export const TTL_ATTRIBUTE = 'expiresAt';

/** Names of the global secondary indexes (see README, Data model). */
export const GSI1 = 'GSI1';
export const GSI2 = 'GSI2';

/**
 * The table's key schema, indexes and billing mode. infra/constructs/data.ts defines the same
 * table for AWS; a test holds the two together.
 */
export function tableDefinition(tableName: string): CreateTableCommandInput {
  const stringKey = (name: string) => ({ AttributeName: name, AttributeType: 'S' as const });
  const index = (name: string) => ({
    IndexName: name,
    KeySchema: [
      { AttributeName: `${name}PK`, KeyType: 'HASH' as const },
      { AttributeName: `${name}SK`, KeyType: 'RANGE' as const },
    ],
    Projection: { ProjectionType: 'ALL' as const },
  });
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: ['PK', 'SK', 'GSI1PK', 'GSI1SK', 'GSI2PK', 'GSI2SK'].map(stringKey),
    KeySchema: [
      { AttributeName: 'PK', KeyType: 'HASH' },
      { AttributeName: 'SK', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [index(GSI1), index(GSI2)],
  };
}

/** Creates the table (with TTL) when it does not exist yet. Returns whether it created it. */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<boolean> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return false;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  await client.send(new CreateTableCommand(tableDefinition(tableName)));
  await waitUntilTableExists({ client, maxWaitTime: 60 }, { TableName: tableName });
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
    }),
  );
  return true;
}

/**
 * One write of a TransactWriteItems, in the document client's shapes: how one store's write rides
 * in another store's transaction (a form save carries its audit event, see AuditStore.prepare).
 */
export type TransactionWrite = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** How often a transaction cancelled by a conflicting one is tried. */
const TRANSACTION_CONFLICT_ATTEMPTS = 4;

/**
 * One TransactWriteItems. A failed condition becomes the caller's domain error
 * (`onConditionFailed`, with the indexes of the writes whose condition failed). A transaction
 * cancelled only because another one touched the same item at the same moment
 * (`TransactionConflict`, which real DynamoDB answers to two writes of one item at once and the SDK
 * does not retry) is tried again a few times after a short random pause, then answered with the
 * caller's `busy` error (a Dutch 409: the user tries again, nothing was written).
 */
export async function transactWrite(
  doc: DynamoDBDocumentClient,
  items: TransactionWrite[],
  handlers: { onConditionFailed: (failed: number[], error: TransactionCanceledException) => Error; busy: () => Error },
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await doc.send(new TransactWriteCommand({ TransactItems: items }));
      return;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const codes = (error.CancellationReasons ?? []).map((reason) => reason.Code);
      if (codes.includes('ConditionalCheckFailed')) {
        throw handlers.onConditionFailed(
          codes.flatMap((code, index) => (code === 'ConditionalCheckFailed' ? [index] : [])),
          error,
        );
      }
      if (!codes.includes('TransactionConflict')) throw error;
      if (attempt >= TRANSACTION_CONFLICT_ATTEMPTS) throw handlers.busy();
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt + Math.random() * 50));
    }
  }
}
