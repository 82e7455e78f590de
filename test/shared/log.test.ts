import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Temporal } from 'temporal-polyfill';
import { createApp } from '../../functions/http/app.tsx';
import { createSenderHandler } from '../../functions/digest-sender/handler.ts';
import { createSesEventsHandler } from '../../functions/ses-events/handler.ts';
import { fixedClock, parseInstant } from '../../shared/clock.ts';
import type { DigestMessage } from '../../shared/digest/queue.ts';
import { RateLimiter } from '../../shared/digest/sender.ts';
import { MemoryMailer } from '../../shared/mail/mailer.ts';
import { MemoryLedger } from '../../shared/store/ledger.ts';
import { recordAudit } from '../../shared/usecases/audit.ts';
import type { AppDeps } from '../../functions/http/env.ts';
import { offlineDeps, TEST_ORIGIN } from '../support/app.ts';

/**
 * What reaches a log line. The logger (shared/log.ts, Powertools) writes JSON lines; these tests
 * capture the console and the output streams while real code paths log (an unexpected error on a link page,
 * an email SES refuses, an audit write that fails, a bounce) and check that no link token, email
 * address, email body or answer is in them, even when the error itself quotes one.
 */

const TOKEN = randomBytes(32).toString('base64url');
const ADDRESS = 'jan.de.wpb@wolfert.example.nl';
const ANSWER = 'Zoë gaf een heel sterke les over breuken';
const BODY = 'Beste Jan, er staat een kijkwijzer voor u klaar';

let lines: string[] = [];

beforeEach(() => {
  lines = [];
  const capture = (...chunks: unknown[]) => {
    lines.push(chunks.map(String).join(' '));
    return true;
  };
  // Off Lambda the logger writes through the global console (shared/log.ts); the streams too, in case.
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) vi.spyOn(console, method).mockImplementation(capture);
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** The captured JSON log entries (other output, if any, is left out). */
function entries(): Record<string, unknown>[] {
  return lines
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The deps with every store method failing, its error quoting a link and an address (the clock and the catalog still work). */
function failingStores(deps: AppDeps): AppDeps {
  const failing = (store: object) =>
    new Proxy(store, {
      get(target, key, receiver) {
        const value: unknown = Reflect.get(target, key, receiver);
        if (typeof value !== 'function') return value;
        return async () => {
          throw new Error(`lookup of https://werkplekleren.test/f/${TOKEN} for ${ADDRESS} failed`);
        };
      },
    });
  const entries = Object.entries(deps).map(([name, value]) =>
    name !== 'clock' && name !== 'forms' && value !== null && typeof value === 'object' && !Array.isArray(value) ? [name, failing(value)] : [name, value],
  );
  return Object.fromEntries(entries) as AppDeps;
}

/** Nothing captured holds a secret or personal text. */
function expectNothingPersonal(): void {
  const all = lines.join('');
  for (const secret of [TOKEN, ADDRESS, ANSWER, BODY, 'wolfert.example.nl']) expect(all).not.toContain(secret);
}

describe('log lines', () => {
  it('an unexpected error on a link page logs the route pattern and the error, not the token, the address or the answer', async () => {
    // The worst case: every store fails with an error that quotes the link and an address.
    const app = createApp(failingStores(offlineDeps(fixedClock(parseInstant('2025-11-10')))));

    const get = await app.request(`/f/${TOKEN}`);
    const post = await app.request(`/f/${TOKEN}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: TEST_ORIGIN },
      body: new URLSearchParams({ 'a.FEEDBACK': ANSWER, basis: '0', actie: 'versturen' }).toString(),
    });

    expect([get.status, post.status]).toEqual([500, 500]);
    const logged = entries().filter((entry) => entry.message === 'unexpected error');
    expect(logged).toHaveLength(2);
    expect(logged.map((entry) => entry.route)).toEqual(['/f/:token', '/f/:token']);
    expect(logged[0]).toMatchObject({ level: 'ERROR', service: 'werkplekleren', error: { name: 'Error' } });
    expect(JSON.stringify(logged[0])).toContain('[token]');
    expectNothingPersonal();
  });

  it('an email SES refuses for good logs the run and the error name, not the address or the body', async () => {
    const mailer = new MemoryMailer();
    mailer.send = async () => {
      throw Object.assign(new Error(`Email address is not verified. The following identities failed the check: ${ADDRESS}`), {
        name: 'MessageRejected',
        $metadata: { httpStatusCode: 400 },
      });
    };
    const ledger = new MemoryLedger();
    const message: DigestMessage = { runKey: 'weekly#2025-2026#op1#2025-W46', to: ADDRESS, name: 'Jan', roles: ['wpb'], subject: 'Uw taken', text: BODY, html: `<p>${BODY}</p>` };
    const handler = createSenderHandler({ ledger, mailer, limiter: new RateLimiter(1000), clock: { now: () => Temporal.Now.instant() } });

    const response = await handler({ Records: [{ messageId: '1', body: JSON.stringify(message) }] }, {} as never);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(entries()).toContainEqual(expect.objectContaining({ level: 'WARN', message: 'digest rejected for good', runKey: message.runKey, error: 'MessageRejected' }));
    expectNothingPersonal();
  });

  it('an audit write that fails is logged with its action and error name, and the request goes on', async () => {
    const failing = {
      record: async () => {
        throw Object.assign(new Error(`ConditionalCheckFailed for link:${TOKEN} by ${ADDRESS}`), { name: 'ProvisionedThroughputExceededException' });
      },
    };

    await expect(
      recordAudit(
        { audit: failing, clock: fixedClock(parseInstant('2025-11-10')) },
        { schoolYear: '2025-2026', studentNumber: '1234567' },
        { actor: ADDRESS, action: 'ingediend', requestId: 'r1', detail: ANSWER },
      ),
    ).resolves.toBeUndefined();

    expect(entries()).toContainEqual(expect.objectContaining({ level: 'ERROR', message: 'audit write failed', action: 'ingediend', error: 'ProvisionedThroughputExceededException' }));
    expectNothingPersonal();
  });

  it('an SES event that is ignored is logged without the addresses it names', async () => {
    const store = { suppress: async () => undefined };
    const transient = { notificationType: 'Bounce', bounce: { bounceType: 'Transient', bouncedRecipients: [{ emailAddress: ADDRESS }] }, mail: { destination: [ADDRESS] } };

    const result = await createSesEventsHandler(store)({ Records: [{ Sns: { MessageId: 'm1', Message: JSON.stringify(transient) } }] }, {} as never);

    expect(result).toEqual({ suppressed: 0, ignored: 1 });
    expect(entries()).toContainEqual(expect.objectContaining({ level: 'INFO', message: 'SES event ignored', bounceType: 'Transient' }));
    expectNothingPersonal();
  });
});
