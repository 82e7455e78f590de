import { randomUUID } from 'node:crypto';
import { SendEmailCommand, SESClient, type SendEmailCommandInput } from '@aws-sdk/client-ses';
import { mockClient } from 'aws-sdk-client-mock';
import { Temporal } from 'temporal-polyfill';
import { afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../infra/local/stack.ts';
import { NotificationLedger } from '../../../shared/store/ledger.ts';
import type { DigestMessage } from '../../../shared/digest/queue.ts';
import { DEFAULT_LEASE_MS, RateLimiter, sendAll, sendDigestMessage, type SenderDeps } from '../../../shared/digest/sender.ts';
import { SesMailer, type EmailMessage, type Mailer } from '../../../shared/mail/mailer.ts';
import type { AwsClients } from '../../../shared/store/clients.ts';
import { freshTable, localClients } from '../../support/aws.ts';
import { inboxOf } from '../../support/inbox.ts';

let clients: AwsClients;
let ledger: NotificationLedger;

beforeAll(async () => {
  clients = localClients();
  ledger = new NotificationLedger(clients.doc, await freshTable(clients));
});

/** A run of its own per test, with addresses of its own: the local inbox is shared by every test file. */
function run(count: number, label: string): DigestMessage[] {
  const id = randomUUID().slice(0, 8);
  return Array.from({ length: count }, (_, i) => ({
    runKey: `weekly#2025-2026#op1#2025-W46-${id}`,
    to: `${label}-${i}-${id}@digest.test`,
    name: `Persoon ${i}`,
    roles: ['wpb'],
    subject: `Uw taken in periode 1 (${label} ${i})`,
    text: 'Uw taken.',
    html: '<p>Uw taken.</p>',
  }));
}

/** An SES client whose calls are faked by `fake`; the real calls go to the local inbox. */
function faultySes(fake: (input: SendEmailCommandInput, real: SESClient) => Promise<unknown>) {
  const real = clients.ses;
  const faulty = new SESClient({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, endpoint: inject('endpoints').ses });
  const mock = mockClient(faulty);
  mock.on(SendEmailCommand).callsFake((input: SendEmailCommandInput) => fake(input, real));
  mocks.push(mock);
  return { client: faulty, mock };
}
const mocks: { restore(): void }[] = [];
afterEach(() => mocks.splice(0).forEach((mock) => mock.restore()));

const forward = (input: SendEmailCommandInput, real: SESClient) => real.send(new SendEmailCommand(input));

function sesError(name: string, message: string, status = 400): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
}

function deps(mailer: Mailer, clock: () => Temporal.Instant = () => Temporal.Now.instant()): SenderDeps {
  return {
    ledger,
    mailer,
    limiter: new RateLimiter(1000),
    clock: { now: clock },
    retry: { attempts: 10, baseDelayMs: 2, maxDelayMs: 20 },
  };
}

async function inboxCounts(messages: DigestMessage[]): Promise<number[]> {
  return Promise.all(messages.map(async (m) => (await inboxOf(m.to)).length));
}

describe('sending digests', () => {
  it('delivers each of 50 emails exactly once when a third of the SES calls are throttled', async () => {
    const messages = run(50, 'throttled');
    let calls = 0;
    let throttled = 0;
    const { client } = faultySes(async (input, real) => {
      // Deterministic: calls 1, 4, 7, … are refused the way SES refuses them.
      if (calls++ % 3 === 0) {
        throttled++;
        throw sesError('Throttling', 'Maximum sending rate exceeded.');
      }
      return forward(input, real);
    });

    const summary = await sendAll(messages, deps(new SesMailer(client, 'werkplekleren@example.org')), { concurrency: 5 });

    expect(summary).toMatchObject({ sent: 50, failed: [], rejected: 0 });
    expect(throttled).toBeGreaterThanOrEqual(Math.floor(calls / 3));
    expect(throttled).toBeGreaterThanOrEqual(25);
    expect(await inboxCounts(messages)).toEqual(messages.map(() => 1));
    const ledgerEntries = await ledger.listRun(messages[0]!.runKey);
    expect(ledgerEntries.filter((entry) => entry.status === 'sent')).toHaveLength(50);
  });

  it('records a permanent rejection once and never retries it, in this run or the next', async () => {
    const messages = run(3, 'rejected');
    const refused = messages[1]!.to;
    const attemptsFor = new Map<string, number>();
    const { client } = faultySes(async (input, real) => {
      const to = input.Destination?.ToAddresses?.[0] ?? '';
      attemptsFor.set(to, (attemptsFor.get(to) ?? 0) + 1);
      if (to === refused) throw sesError('MessageRejected', 'Email address is not verified.');
      return forward(input, real);
    });
    const senderDeps = deps(new SesMailer(client, 'werkplekleren@example.org'));

    const first = await sendAll(messages, senderDeps);
    const second = await sendAll(messages, senderDeps);

    expect(first).toMatchObject({ sent: 2, rejected: 1, failed: [] });
    expect(second).toMatchObject({ sent: 0, alreadySent: 2, alreadyRejected: 1 });
    expect(attemptsFor.get(refused)).toBe(1);
    expect(await ledger.get(messages[0]!.runKey, refused)).toMatchObject({
      status: 'rejected',
      reason: 'MessageRejected: Email address is not verified.',
    });
    expect(await inboxCounts(messages)).toEqual([1, 0, 1]);
  });

  it('skips a message whose claim another worker holds (a conditional write that fails), and sends nothing', async () => {
    const [message] = run(1, 'taken');
    const otherWorker = Temporal.Now.instant();
    expect(await ledger.claim(message!.runKey, message!.to, DEFAULT_LEASE_MS, otherWorker)).toBe('claimed');
    const mailer = new CountingMailer(new SesMailer(clients.ses, 'werkplekleren@example.org'));

    const outcome = await sendDigestMessage(message!, deps(mailer));

    expect(outcome).toBe('in-flight');
    expect(mailer.calls).toBe(0);
    expect(await inboxOf(message!.to)).toHaveLength(0);
  });

  it('gives the claim back when throttling outlasts the retries, so the next delivery sends it once', async () => {
    const [message] = run(1, 'busy');
    let refuse = true;
    const { client } = faultySes(async (input, real) => {
      if (refuse) throw sesError('ThrottlingException', 'Rate exceeded');
      return forward(input, real);
    });
    const senderDeps = deps(new SesMailer(client, 'werkplekleren@example.org'));

    await expect(sendDigestMessage(message!, { ...senderDeps, retry: { attempts: 3, baseDelayMs: 1 } })).rejects.toThrow(/SES did not take/);
    expect(await ledger.get(message!.runKey, message!.to)).toBeUndefined();
    refuse = false;
    expect(await sendDigestMessage(message!, senderDeps)).toBe('sent');
    expect(await inboxOf(message!.to)).toHaveLength(1);
  });

  it('resumes a run killed after N of M sends: the rest goes out, nothing twice', async () => {
    const messages = run(12, 'killed');
    const N = 5;
    const abort = new AbortController();
    const real = new SesMailer(clients.ses, 'werkplekleren@example.org');
    let dyingCalls = 0;
    // The process dies while handing message N+1 to SES: it never got there, the claim stays.
    const dying: Mailer = {
      send: async (message) => {
        if (dyingCalls++ >= N) {
          abort.abort();
          throw new Error('killed');
        }
        return real.send(message);
      },
    };
    let now = Temporal.Instant.from('2025-11-10T06:00:00Z');

    const killed = await sendAll(messages, deps(dying, () => now), { concurrency: 1, signal: abort.signal });
    expect(killed).toMatchObject({ sent: N, notStarted: messages.length - N - 1 });
    expect(killed.failed).toHaveLength(1);

    // Resumed within the lease: the message in flight is left alone (it may have reached SES).
    now = now.add({ minutes: 1 });
    const early = new CountingMailer(real);
    const resumedEarly = await sendAll(messages, deps(early, () => now));
    expect(resumedEarly).toMatchObject({ sent: messages.length - N - 1, alreadySent: N, inFlight: 1 });

    // After the lease: that one message is re-sent (the at-least-once exception), nothing else.
    now = now.add({ milliseconds: DEFAULT_LEASE_MS });
    const late = new CountingMailer(real);
    const resumedLate = await sendAll(messages, deps(late, () => now));
    expect(resumedLate).toMatchObject({ sent: 1, alreadySent: messages.length - 1, inFlight: 0 });

    expect(early.calls + late.calls).toBe(messages.length - N);
    expect(await inboxCounts(messages)).toEqual(messages.map(() => 1));
    const entries = await ledger.listRun(messages[0]!.runKey);
    expect(entries.every((entry) => entry.status === 'sent')).toBe(true);
    expect(entries.filter((entry) => entry.attempts === 2)).toHaveLength(1);
  });
});

class CountingMailer implements Mailer {
  calls = 0;
  constructor(private readonly inner: Mailer) {}
  send(message: EmailMessage): Promise<string> {
    this.calls++;
    return this.inner.send(message);
  }
}
