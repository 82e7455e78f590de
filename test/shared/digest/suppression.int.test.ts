import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, describe, expect, it } from 'vitest';
import { suppressionKeys } from '../../../shared/store/keys.ts';
import { SuppressionStore } from '../../../shared/store/suppressions.ts';
import type { AwsClients } from '../../../shared/store/clients.ts';
import { freshTable, localClients } from '../../support/aws.ts';

let clients: AwsClients;
let store: SuppressionStore;

beforeAll(async () => {
  clients = localClients();
  store = new SuppressionStore(clients.doc, await freshTable(clients));
  await store.suppress('Weg@School.nl', 'bounce', 'Permanent/General', '2025-11-10T07:00:00Z');
  await store.suppress('boos@school.nl', 'complaint', 'abuse', '2025-11-10T08:00:00Z');
});

describe('SuppressionStore', () => {
  it('knows a suppressed address, whatever its case', async () => {
    expect(await store.isSuppressed('weg@school.nl')).toBe(true);
    expect(await store.isSuppressed('WEG@school.nl')).toBe(true);
    expect(await store.isSuppressed('welkom@school.nl')).toBe(false);
  });

  it('finds the suppressed addresses among 250, 100 keys per BatchGet', async () => {
    const calls: number[] = [];
    const counted = localClients();
    counted.doc.middlewareStack.add(
      (next) => async (args) => {
        const input = args.input as { RequestItems?: Record<string, { Keys: unknown[] }> };
        if (input.RequestItems) calls.push(Object.values(input.RequestItems)[0]?.Keys.length ?? 0);
        return next(args);
      },
      { step: 'initialize', name: 'countBatchGets' },
    );
    const countedStore = new SuppressionStore(counted.doc, (store as unknown as { tableName: string }).tableName);
    const emails = [...Array.from({ length: 248 }, (_, i) => `p${i}@school.nl`), 'WEG@school.nl', 'boos@school.nl'];

    const found = await countedStore.suppressedAmong(emails);

    expect([...found].sort()).toEqual(['boos@school.nl', 'weg@school.nl']);
    expect(calls).toEqual([100, 100, 50]);
  });

  it('retries the keys DynamoDB leaves unprocessed', async () => {
    const doc = DynamoDBDocumentClient.from(localClients().dynamodb);
    const mock = mockClient(doc);
    const key = suppressionKeys.item('weg@school.nl');
    mock
      .on(BatchGetCommand)
      .resolvesOnce({ Responses: { t: [] }, UnprocessedKeys: { t: { Keys: [key] } } })
      .resolvesOnce({ Responses: { t: [{ PK: key.PK }] } });
    const flaky = new SuppressionStore(doc, 't', async () => undefined);

    expect([...(await flaky.suppressedAmong(['weg@school.nl', 'ander@school.nl']))]).toEqual(['weg@school.nl']);
    expect(mock.commandCalls(BatchGetCommand)).toHaveLength(2);
    mock.restore();
  });

  it('lists every suppressed address from the index, with the reason', async () => {
    const all = await store.all({ pageSize: 1 });
    expect([...all.keys()].sort()).toEqual(['boos@school.nl', 'weg@school.nl']);
    expect(all.get('weg@school.nl')).toMatchObject({ email: 'Weg@School.nl', kind: 'bounce' });
  });
});
