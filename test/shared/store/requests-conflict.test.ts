import { DynamoDBClient, TransactionCanceledException, TransactionConflictException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { CompanionWriteFailedError, RequestStore } from '../../../shared/store/requests.ts';
import { BusyError, VersionConflictError, type RequestRecord } from '../../../shared/model/requests.ts';

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
  linkHash: 'h1',
  observerRole: 'wpb',
} as RequestRecord;

const save = (store: RequestStore, also: { Put: { TableName: string; Item: Record<string, unknown> } }[] = []) =>
  store.saveVersion(
    request,
    0,
    { formId: 'kijkwijzer-pedagogiek', formVersion: 1, answers: { FEEDBACK: 'Goede les\nMeer tijd' }, status: 'concept', savedAt: '2025-11-10T09:00:00Z', savedBy: 'jan@example.nl', attachments: [] },
    { also },
  );

/** A cancellation with these codes, one per item of the transaction. */
const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`,
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

const auditPut = { Put: { TableName: 't', Item: { PK: 'PLC#2025-2026#1012001', SK: 'AUDIT#x' } } };

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

describe('a save whose transaction fails on an item that is not the save itself', () => {
  const itemKinds = (call: number) =>
    (mock.commandCalls(TransactWriteCommand)[call]!.args[0].input.TransactItems ?? []).map((item) => Object.keys(item)[0]);

  it('is tried again without the link hint when only the link item is missing', async () => {
    mock.on(TransactWriteCommand).rejectsOnce(cancelled('None', 'None', 'ConditionalCheckFailed', 'None')).resolves({});

    const version = await save(new RequestStore(doc, 't'), [auditPut]);

    expect(version.version).toBe(1);
    expect(itemKinds(0)).toEqual(['Put', 'Update', 'Update', 'Put']);
    // The version, the request and the audit event: no update of the link.
    expect(itemKinds(1)).toEqual(['Put', 'Update', 'Put']);
  });

  it('is a conflict when the request failed its condition too, whatever the link', async () => {
    mock.on(TransactWriteCommand).rejects(cancelled('None', 'ConditionalCheckFailed', 'ConditionalCheckFailed', 'None'));

    await expect(save(new RequestStore(doc, 't'), [auditPut])).rejects.toBeInstanceOf(VersionConflictError);
    expect(mock.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it('says so (nothing written, not a conflict) when only a carried write failed, by its condition or otherwise', async () => {
    mock.on(TransactWriteCommand).rejectsOnce(cancelled('None', 'None', 'None', 'ConditionalCheckFailed')).rejectsOnce(cancelled('None', 'None', 'None', 'ValidationError'));
    const store = new RequestStore(doc, 't');

    await expect(save(store, [auditPut])).rejects.toBeInstanceOf(CompanionWriteFailedError);
    const second = save(store, [auditPut]);
    await expect(second).rejects.toBeInstanceOf(CompanionWriteFailedError);
    await expect(second).rejects.toMatchObject({ reasons: ['None', 'None', 'None', 'ValidationError'] });
  });

  it('passes any other failure on as it is', async () => {
    const throttled = cancelled('None', 'ThrottlingError', 'None', 'None');
    const timeout = Object.assign(new Error('socket timed out'), { name: 'TimeoutError' });
    mock.on(TransactWriteCommand).rejectsOnce(throttled).rejectsOnce(timeout);
    const store = new RequestStore(doc, 't');

    await expect(save(store, [auditPut])).rejects.toBe(throttled);
    await expect(save(store, [auditPut])).rejects.toBe(timeout);
    expect(mock.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });
});

describe('recording a scan verdict while a save holds the request item', () => {
  it('leaves the copy for the next read when its update conflicts with a transaction', async () => {
    mock
      .on(UpdateCommand)
      .callsFake((input: { Key: { SK: string } }) => {
        if (input.Key.SK.startsWith('REQ#')) throw new TransactionConflictException({ message: 'Transaction is ongoing for the item', $metadata: {} });
        return {};
      });

    await expect(new RequestStore(doc, 't').recordScanVerdict(request, 'a1', 'clean')).resolves.toBeUndefined();
    expect(mock.commandCalls(UpdateCommand)).toHaveLength(2);
  });
});
