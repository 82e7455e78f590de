import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { MemoryLedger } from '../../../shared/store/ledger.ts';
import type { DigestMessage } from '../../../shared/digest/queue.ts';
import { RateLimiter, sendAll } from '../../../shared/digest/sender.ts';
import type { EmailMessage, Mailer } from '../../../shared/mail/mailer.ts';
import { FakeTime } from '../../support/fake-time.ts';

/** The largest number of times in any half-open window [t, t + 1000 ms). */
function busiestSecond(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while ((sorted[end] ?? 0) - (sorted[start] ?? 0) >= 1000) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

function messages(count: number): DigestMessage[] {
  return Array.from({ length: count }, (_, i) => ({
    runKey: 'weekly#2025-2026#op1#2025-W46',
    to: `persoon${i}@example.org`,
    name: `Persoon ${i}`,
    roles: ['wpb'],
    subject: 'Uw taken',
    text: 'Tekst',
    html: '<p>Tekst</p>',
  }));
}

/** A mailer that notes the fake time of every send. */
class TimedMailer implements Mailer {
  readonly times: number[] = [];
  constructor(private readonly time: FakeTime) {}
  async send(_message: EmailMessage): Promise<string> {
    this.times.push(this.time.now());
    return `id-${this.times.length}`;
  }
}

describe('RateLimiter', () => {
  it('never lets more than N through in any 1-second window, however callers arrive', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 60 }),
        fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 150 }),
        async (rate, gaps) => {
          const time = new FakeTime();
          const limiter = new RateLimiter(rate, { now: time.now, sleep: time.sleep });
          const passed: number[] = [];
          // Callers arrive with the given gaps and do not wait for each other.
          const callers = (async () => {
            const all: Promise<void>[] = [];
            for (const gap of gaps) {
              await time.sleep(gap);
              all.push(limiter.take().then(() => void passed.push(time.now())));
            }
            await Promise.all(all);
          })();
          await time.run(callers);
          expect(passed).toHaveLength(gaps.length);
          expect(busiestSecond(passed)).toBeLessThanOrEqual(rate);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('keeps the limit on the real clock when timers fire late (an event loop under load)', async () => {
    const time = new FakeTime();
    let n = 0;
    // Every wake-up is 0 to 290 ms late, in a fixed pattern: late timers bunch planned slots.
    const lateSleep = (ms: number) => time.sleep(ms + ((n++ * 37) % 300));
    const limiter = new RateLimiter(50, { now: time.now, sleep: lateSleep });
    const passed: number[] = [];

    await time.run(Promise.all(Array.from({ length: 400 }, () => limiter.take().then(() => void passed.push(time.now())))));

    expect(passed).toHaveLength(400);
    expect(busiestSecond(passed)).toBeLessThanOrEqual(50);
  });

  it('reaches the configured rate when callers keep up', async () => {
    const time = new FakeTime();
    const limiter = new RateLimiter(14, { now: time.now, sleep: time.sleep });
    const passed: number[] = [];
    await time.run(Promise.all(Array.from({ length: 141 }, () => limiter.take().then(() => void passed.push(time.now())))));

    const elapsed = Math.max(...passed) - Math.min(...passed);
    expect(busiestSecond(passed)).toBe(14);
    // 140 intervals of 1000/14 ms: 10 s, plus at most the 10 ms release margin per second.
    expect(elapsed).toBeGreaterThanOrEqual(10_000);
    expect(elapsed).toBeLessThanOrEqual(10_100);
  });
});

describe('sendAll under the rate limit', () => {
  it('takes at least 3.98 s of fake time for 200 messages at 50 per second, and never exceeds 50 in a second', async () => {
    const time = new FakeTime();
    const mailer = new TimedMailer(time);
    const ledger = new MemoryLedger();
    const limiter = new RateLimiter(50, { now: time.now, sleep: time.sleep });
    const clock = { now: () => Temporal.Instant.fromEpochMilliseconds(1_762_754_400_000 + time.now()) };

    const summary = await time.run(sendAll(messages(200), { ledger, mailer, limiter, clock }, { concurrency: 16 }));

    expect(summary.sent).toBe(200);
    expect(mailer.times).toHaveLength(200);
    const elapsed = Math.max(...mailer.times) - Math.min(...mailer.times);
    expect(elapsed).toBeGreaterThanOrEqual(3980);
    expect(busiestSecond(mailer.times)).toBeLessThanOrEqual(50);
    const achieved = ((mailer.times.length - 1) / elapsed) * 1000;
    // The configured rate less at most the 10 ms release margin per second (1 %).
    expect(achieved).toBeGreaterThanOrEqual(49.5);
    expect(achieved).toBeLessThanOrEqual(50);
  });
});
