import { describe, expect, it } from 'vitest';
import { createSenderHandler } from '../../functions/digest-sender/handler.ts';
import { MemoryLedger } from '../../shared/store/ledger.ts';
import type { DigestMessage } from '../../shared/digest/queue.ts';
import { RateLimiter, type SenderDeps } from '../../shared/digest/sender.ts';
import { MemoryMailer, type EmailMessage } from '../../shared/mail/mailer.ts';
import { Temporal } from 'temporal-polyfill';

const RUN = 'weekly#2025-2026#op1#2025-W46';

const message = (to: string): DigestMessage => ({
  runKey: RUN,
  to,
  name: 'Iemand',
  roles: ['wpb'],
  subject: 'Uw taken in periode 1',
  text: 'Uw taken.',
  html: '<p>Uw taken.</p>',
});

const record = (id: string, body: unknown) => ({
  messageId: id,
  receiptHandle: `rh-${id}`,
  body: typeof body === 'string' ? body : JSON.stringify(body),
  attributes: { ApproximateReceiveCount: '1' },
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:digest',
  awsRegion: 'eu-west-1',
});

/** A mailer that fails for one address the way a network error does (outcome unknown). */
class BrokenFor extends MemoryMailer {
  constructor(private readonly broken: string) {
    super();
  }
  override async send(message: EmailMessage): Promise<string> {
    if (message.to === this.broken) throw new Error('socket hang up');
    return super.send(message);
  }
}

function deps(mailer = new BrokenFor('kapot@school.nl'), ledger = new MemoryLedger()): SenderDeps & { mailer: BrokenFor; ledger: MemoryLedger } {
  return { ledger, mailer, limiter: new RateLimiter(1000), clock: { now: () => Temporal.Now.instant() } };
}

describe('digest sender function', () => {
  it('reports only the record whose send throws in batchItemFailures', async () => {
    const d = deps();
    const handler = createSenderHandler(d);
    const event = { Records: [record('1', message('a@school.nl')), record('2', message('kapot@school.nl')), record('3', message('b@school.nl'))] };

    const response = await handler(event, {} as never);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '2' }] });
    expect(d.mailer.sent.map((m) => m.to)).toEqual(['a@school.nl', 'b@school.nl']);
  });

  it('reports a record whose body is not a digest message, and sends the rest', async () => {
    const d = deps();
    const handler = createSenderHandler(d);
    const event = { Records: [record('1', '{"to": 3}'), record('2', 'geen json'), record('3', message('a@school.nl'))] };

    const response = await handler(event, {} as never);

    expect(response.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['1', '2']);
    expect(d.mailer.sent).toHaveLength(1);
  });

  it('sends a redelivered record once: the second delivery is done without sending', async () => {
    const d = deps();
    const handler = createSenderHandler(d);
    const event = { Records: [record('1', message('a@school.nl'))] };

    await handler(event, {} as never);
    const again = await handler(event, {} as never);

    expect(again).toEqual({ batchItemFailures: [] });
    expect(d.mailer.sent).toHaveLength(1);
  });

  it('hands a record back while another worker holds its claim, so SQS delivers it again later', async () => {
    const d = deps();
    await d.ledger.claim(RUN, 'a@school.nl', 15 * 60_000, Temporal.Now.instant());
    const handler = createSenderHandler(d);

    const response = await handler({ Records: [record('1', message('a@school.nl'))] }, {} as never);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '1' }] });
    expect(d.mailer.sent).toHaveLength(0);
  });

  it('does not report a permanently rejected record: it is recorded, not retried', async () => {
    const ledger = new MemoryLedger();
    const mailer = new MemoryMailer();
    mailer.send = async () => {
      throw Object.assign(new Error('Address blacklisted.'), { name: 'MessageRejected', $metadata: { httpStatusCode: 400 } });
    };
    const handler = createSenderHandler({ ledger, mailer, limiter: new RateLimiter(1000), clock: { now: () => Temporal.Now.instant() } });

    const response = await handler({ Records: [record('1', message('weg@school.nl'))] }, {} as never);

    expect(response).toEqual({ batchItemFailures: [] });
    expect([...ledger.records.values()][0]).toMatchObject({ status: 'rejected' });
  });
});
