import { SendMessageBatchCommand, SQSClient, type SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs';
import * as z from 'zod';
import { ConfigError } from '../errors.ts';

/**
 * The hop between the planner and the sender: one message per recipient of a run. On AWS an SQS
 * queue (the sender function drains it under the SES rate); locally and in tests an in-process
 * queue behind the same port.
 */

/** One recipient's digest of one run, as it travels through the queue (zod: the queue is a trust boundary). */
export const DigestMessageSchema = z.object({
  runKey: z.string().min(1).max(200),
  to: z.email(),
  name: z.string(),
  /** The person's roles in this run (student, wpb, so, io, sco); for logs and the dry run. */
  roles: z.array(z.string()).default([]),
  subject: z.string().min(1),
  text: z.string().min(1),
  html: z.string().min(1),
});

/** One recipient's digest of one run. */
export type DigestMessage = z.infer<typeof DigestMessageSchema>;

/** The queue port the planner enqueues to. */
export interface DigestQueue {
  sendBatch(messages: readonly DigestMessage[]): Promise<void>;
}

/** SQS limits: 10 entries per SendMessageBatch, and the whole batch within the message size limit. */
const SQS_BATCH_ENTRIES = 10;
const SQS_BATCH_BYTES = 256 * 1024;

/** Sends through SQS: SendMessageBatch of up to 10, failed entries retried with backoff. */
export class SqsDigestQueue implements DigestQueue {
  private readonly concurrency: number;
  private readonly maxAttempts: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    options: { concurrency?: number; maxAttempts?: number; sleep?: (ms: number) => Promise<void> } = {},
  ) {
    this.concurrency = options.concurrency ?? 8;
    this.maxAttempts = options.maxAttempts ?? 6;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async sendBatch(messages: readonly DigestMessage[]): Promise<void> {
    const batches = chunk(messages.map((message) => JSON.stringify(message)));
    let next = 0;
    const worker = async () => {
      while (next < batches.length) {
        const batch = batches[next++];
        if (batch) await this.sendOne(batch);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, batches.length) }, worker));
  }

  private async sendOne(bodies: string[]): Promise<void> {
    let entries: SendMessageBatchRequestEntry[] = bodies.map((body, index) => ({ Id: String(index), MessageBody: body }));
    for (let attempt = 1; entries.length > 0; attempt++) {
      const result = await this.sqs.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }));
      const failed = new Set((result.Failed ?? []).map((failure) => failure.Id));
      const senderFault = (result.Failed ?? []).filter((failure) => failure.SenderFault);
      if (senderFault.length > 0) {
        // A malformed entry will never succeed; failing loudly beats retrying it.
        throw new Error(`SQS refused ${senderFault.length} digest message(s): ${senderFault.map((f) => f.Code).join(', ')}`);
      }
      entries = entries.filter((entry) => failed.has(entry.Id));
      if (entries.length === 0) return;
      if (attempt >= this.maxAttempts) throw new Error(`SQS kept failing ${entries.length} digest message(s) after ${attempt} attempts`);
      await this.sleep(Math.min(5000, 100 * 2 ** attempt) * (0.5 + Math.random() / 2));
    }
  }
}

/** Splits message bodies into SendMessageBatch-sized groups (count and bytes). */
function chunk(bodies: string[]): string[][] {
  const batches: string[][] = [];
  let current: string[] = [];
  let bytes = 0;
  for (const body of bodies) {
    const size = Buffer.byteLength(body);
    if (current.length > 0 && (current.length === SQS_BATCH_ENTRIES || bytes + size > SQS_BATCH_BYTES)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(body);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** The SQS queue named by DIGEST_QUEUE_URL; fails fast when it is not set. */
export function createSqsDigestQueue(config: { DIGEST_QUEUE_URL?: string; AWS_REGION: string }): SqsDigestQueue {
  if (!config.DIGEST_QUEUE_URL) throw new ConfigError('Invalid configuration: DIGEST_QUEUE_URL: is required for the digest planner on AWS');
  return new SqsDigestQueue(new SQSClient({ region: config.AWS_REGION }), config.DIGEST_QUEUE_URL);
}

/** Keeps messages in memory: the local run and tests. Messages leave only when a drain succeeds. */
export class InProcessQueue implements DigestQueue {
  private pending: DigestMessage[] = [];

  async sendBatch(messages: readonly DigestMessage[]): Promise<void> {
    // Through the schema, as over SQS, so a bad message fails here as it would there.
    this.pending.push(...messages.map((message) => DigestMessageSchema.parse(JSON.parse(JSON.stringify(message)))));
  }

  /** Messages waiting. */
  get messages(): readonly DigestMessage[] {
    return this.pending;
  }

  /** Hands every waiting message to `handler`; if it throws, the messages stay queued. */
  async drain<T>(handler: (messages: DigestMessage[]) => Promise<T>): Promise<T> {
    const taken = this.pending;
    this.pending = [];
    try {
      return await handler(taken);
    } catch (error) {
      this.pending = [...taken, ...this.pending];
      throw error;
    }
  }
}
