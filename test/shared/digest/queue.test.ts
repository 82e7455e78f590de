import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { InProcessQueue, SqsDigestQueue, type DigestMessage } from '../../../shared/digest/queue.ts';

const sqs = new SQSClient({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const mock = mockClient(sqs);
afterEach(() => mock.reset());

const URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/digest';
const noWait = async () => undefined;

function messages(count: number, html = '<p>Uw taken.</p>'): DigestMessage[] {
  return Array.from({ length: count }, (_, i) => ({
    runKey: 'weekly#2025-2026#op1#2025-W46',
    to: `p${i}@school.nl`,
    name: `Persoon ${i}`,
    roles: ['wpb'],
    subject: 'Uw taken',
    text: 'Uw taken.',
    html,
  }));
}

const bodies = () =>
  mock.commandCalls(SendMessageBatchCommand).flatMap((call) => (call.args[0].input.Entries ?? []).map((e) => JSON.parse(e.MessageBody!).to as string));

describe('SqsDigestQueue', () => {
  it('sends 25 messages in batches of at most 10', async () => {
    mock.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    await new SqsDigestQueue(sqs, URL, { sleep: noWait }).sendBatch(messages(25));
    const sizes = mock.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input.Entries?.length);
    expect(sizes.sort()).toEqual([10, 10, 5]);
    expect(bodies().sort()).toEqual(messages(25).map((m) => m.to).sort());
  });

  it('keeps each batch within the SQS size limit', async () => {
    mock.on(SendMessageBatchCommand).resolves({ Failed: [] });
    await new SqsDigestQueue(sqs, URL, { sleep: noWait }).sendBatch(messages(10, `<p>${'x'.repeat(60_000)}</p>`));
    for (const call of mock.commandCalls(SendMessageBatchCommand)) {
      const bytes = (call.args[0].input.Entries ?? []).reduce((sum, e) => sum + Buffer.byteLength(e.MessageBody!), 0);
      expect(bytes).toBeLessThanOrEqual(256 * 1024);
    }
    expect(bodies()).toHaveLength(10);
  });

  it('retries only the entries SQS failed, until they are in', async () => {
    mock
      .on(SendMessageBatchCommand)
      .resolvesOnce({ Failed: [{ Id: '1', Code: 'InternalError', SenderFault: false }, { Id: '3', Code: 'InternalError', SenderFault: false }] })
      .resolves({ Failed: [] });
    await new SqsDigestQueue(sqs, URL, { sleep: noWait }).sendBatch(messages(4));
    const calls = mock.commandCalls(SendMessageBatchCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.args[0].input.Entries?.map((e) => JSON.parse(e.MessageBody!).to)).toEqual(['p1@school.nl', 'p3@school.nl']);
  });

  it('fails loudly when SQS keeps failing, rather than losing messages silently', async () => {
    mock.on(SendMessageBatchCommand).resolves({ Failed: [{ Id: '0', Code: 'InternalError', SenderFault: false }] });
    await expect(new SqsDigestQueue(sqs, URL, { sleep: noWait, maxAttempts: 3 }).sendBatch(messages(1))).rejects.toThrow(/after 3 attempts/);
  });
});

describe('InProcessQueue', () => {
  it('keeps the messages when a drain fails, and hands them over again', async () => {
    const queue = new InProcessQueue();
    await queue.sendBatch(messages(3));
    await expect(queue.drain(async () => Promise.reject(new Error('weg')))).rejects.toThrow('weg');
    expect(await queue.drain(async (taken) => taken.length)).toBe(3);
    expect(queue.messages).toHaveLength(0);
  });

  it('refuses a message the queue schema rejects, as SQS consumers would', async () => {
    const [bad] = messages(1);
    await expect(new InProcessQueue().sendBatch([{ ...bad!, to: 'geen adres' }])).rejects.toThrow();
  });
});
