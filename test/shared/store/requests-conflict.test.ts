import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { RequestStore } from '../../../shared/store/requests.ts';
import { BusyError, type RequestRecord } from '../../../shared/model/requests.ts';

// Real DynamoDB cancels a transaction with `TransactionConflict` when another one touches the same
// item at that moment (two saves of one form); DynamoDB Local serialises them, so the fault is
// injected here.
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1', endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }));
const mock = mockClient(doc);
afterEach(() => mock.reset());

const conflict = () =>
  new TransactionCanceledException({
    message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [None, TransactionConflict]',
    $metadata: {},
    CancellationReasons: [{ Code: 'None' }, { Code: 'TransactionConflict' }],
  });

const request = {
  schoolYear: '2025-2026',
  studentNumber: '1012001',
  requestId: 'r1',
  period: 1,
  school: 'Wolfert van Borselen',
} as RequestRecord;

const save = (store: RequestStore) =>
  store.saveVersion(request, 0, { formId: 'kijkwijzer-pedagogiek', formVersion: 1, answers: { FEEDBACK: 'Goede les\nMeer tijd' }, status: 'concept', savedAt: '2025-11-10T09:00:00Z', savedBy: 'jan@example.nl', attachments: [] });

describe('a transaction another one got in the way of', () => {
  it('is tried again and saves when the conflict is over', async () => {
    mock.on(TransactWriteCommand).rejectsOnce(conflict()).rejectsOnce(conflict()).resolves({});

    const version = await save(new RequestStore(doc, 't'));

    expect(version.version).toBe(1);
    expect(mock.commandCalls(TransactWriteCommand)).toHaveLength(3);
  });

  it('answers a Dutch 409 when the conflict keeps coming, after a few tries', async () => {
    mock.on(TransactWriteCommand).rejects(conflict());

    const outcome = save(new RequestStore(doc, 't'));

    await expect(outcome).rejects.toBeInstanceOf(BusyError);
    await expect(outcome).rejects.toMatchObject({ status: 409, message: expect.stringContaining('probeer het nog eens') });
    expect(mock.commandCalls(TransactWriteCommand)).toHaveLength(4);
  });

  it('holds for adding an attachment too: retried, then stored', async () => {
    mock.on(TransactWriteCommand).rejectsOnce(conflict()).resolves({});

    await new RequestStore(doc, 't').addAttachment(request, { id: 'a1', key: 'attachments/x', name: 'lesplan.pdf', size: 10, type: 'application/pdf', addedAt: '2025-11-10T09:00:00Z' });

    expect(mock.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });
});
