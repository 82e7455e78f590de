/**
 * Benchmark 5: sending 2,000 digest emails at a configured 50 per second through the real sender
 * (sendAll: ledger claims on DynamoDB Local, RateLimiter(50), SesMailer over a real SESClient to
 * aws-ses-v2-local): the achieved rate must be between 0.9 and 1.0 of the configured one, and no
 * 1-second window may hold more than 50 sends. The baseline is the same pipeline without a limit,
 * to show the configured rate is the one thing holding it back.
 *
 * Run alone: `npx tsx bench/digest-sender.ts`.
 */
import { randomUUID } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { systemClock } from '../shared/clock.ts';
import { NotificationLedger } from '../shared/store/ledger.ts';
import type { DigestMessage } from '../shared/digest/queue.ts';
import { RateLimiter, sendAll, type SendLimiter } from '../shared/digest/sender.ts';
import { SesMailer, type EmailMessage, type Mailer } from '../shared/mail/mailer.ts';
import { renderEmail } from '../shared/mail/templates.ts';
import { clearInbox, fmtInt, fmtMs, fmtRatio, freshTable, isMain, percentile, runAlone, type BenchContext } from './support.ts';

const MESSAGES = 2000;
const RATE = 50;
const UNLIMITED_MESSAGES = 300;
const WARMUP_MESSAGES = 100;
/** Workers of sendAll: enough that the limiter, not the round trips, sets the pace. */
const CONCURRENCY = 8;

/** A Mailer that notes when each send starts (after the limiter let it through). */
class TimedMailer implements Mailer {
  readonly times: number[] = [];
  constructor(private readonly inner: Mailer) {}
  async send(message: EmailMessage): Promise<string> {
    this.times.push(Date.now());
    return this.inner.send(message);
  }
}

/**
 * The real RateLimiter, with a record of the slot each caller was given (read from the limiter
 * right after it reserved one) and of how late each caller actually went.
 */
class ObservedLimiter implements SendLimiter {
  readonly slots: number[] = [];
  readonly lateness: number[] = [];
  constructor(private readonly inner: RateLimiter) {}
  async take(): Promise<void> {
    const promise = this.inner.take();
    // take() reserves synchronously: nextSlot is now this caller's slot plus one interval.
    const next = (this.inner as unknown as { nextSlot?: unknown }).nextSlot;
    const slot = typeof next === 'number' ? next - 1000 / this.inner.perSecond : undefined;
    await promise;
    if (slot !== undefined) {
      this.slots.push(slot);
      this.lateness.push(Math.max(0, Date.now() - slot));
    }
  }
}

/** Digest-sized messages for one run key. */
function messages(runKey: string, count: number): DigestMessage[] {
  const email = renderEmail({
    to: 'x@example.org',
    subject: 'Je taken deze week: periode 1 (OP1)',
    greeting: 'Beste Student,',
    paragraphs: Array.from({ length: 6 }, (_, i) => `Taak ${i + 1}: lees de kijkwijzer, plan de les en vraag je werkplekbegeleider om feedback voor woensdag 12 november 2025.`),
    list: Array.from({ length: 8 }, (_, i) => ({ label: `Onderdeel ${i + 1}`, value: 'nog open' })),
    action: { label: 'Mijn werkplekleren', url: 'https://werkplekleren.example.nl/s/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' },
    footer: 'Je krijgt deze e-mail omdat je als student in het werkplekleren N2 (2025-2026) staat.',
  });
  return Array.from({ length: count }, (_, i) => ({
    runKey,
    to: `ontvanger${i}@bench.example.org`,
    name: `Ontvanger ${i}`,
    roles: ['student'],
    subject: email.subject,
    text: email.text,
    html: email.html,
  }));
}

/** The most sends inside any window of `windowMs` (a window [t, t + windowMs)). */
export function maxInWindow(times: readonly number[], windowMs = 1000): number {
  const sorted = [...times].sort((a, b) => a - b);
  let max = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= windowMs) start++;
    max = Math.max(max, end - start + 1);
  }
  return max;
}

export async function benchDigestSender(ctx: BenchContext): Promise<void> {
  const stack = ctx.stack;
  if (!stack) throw new Error('needs the local stack');
  const table = await freshTable(stack.clients, 'send');
  const ledger = new NotificationLedger(stack.clients.doc, table);
  const ses = new SesMailer(stack.clients.ses, 'werkplekleren@example.org');

  // Baseline: the same pipeline with no limit, so we know 50/s is within reach (after a warm-up).
  const unlimitedMailer = new TimedMailer(ses);
  const noLimit: SendLimiter = { take: async () => undefined };
  await sendAll(messages(`bench#${randomUUID()}`, WARMUP_MESSAGES), { ledger, mailer: ses, limiter: noLimit, clock: systemClock }, { concurrency: CONCURRENCY });
  const unlimitedStart = performance.now();
  const unlimited = await sendAll(messages(`bench#${randomUUID()}`, UNLIMITED_MESSAGES), { ledger, mailer: unlimitedMailer, limiter: noLimit, clock: systemClock }, { concurrency: CONCURRENCY });
  const unlimitedSeconds = (performance.now() - unlimitedStart) / 1000;
  if (unlimited.sent !== UNLIMITED_MESSAGES) throw new Error(`unlimited pass sent ${unlimited.sent} of ${UNLIMITED_MESSAGES}: ${JSON.stringify(unlimited.failed.slice(0, 2))}`);
  const capacity = UNLIMITED_MESSAGES / unlimitedSeconds;
  ctx.log(`unlimited pipeline: ${UNLIMITED_MESSAGES} sends in ${unlimitedSeconds.toFixed(1)} s (${capacity.toFixed(0)}/s); now ${fmtInt(MESSAGES)} at ${RATE}/s (~${Math.round(MESSAGES / RATE)} s)`);
  await clearInbox(stack.endpoints);

  const mailer = new TimedMailer(ses);
  const limiter = new ObservedLimiter(new RateLimiter(RATE));
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const summary = await sendAll(messages(`bench#${randomUUID()}`, MESSAGES), { ledger, mailer, limiter, clock: systemClock }, { concurrency: CONCURRENCY });
  loopDelay.disable();
  if (summary.sent !== MESSAGES) throw new Error(`sent ${summary.sent} of ${MESSAGES}: ${JSON.stringify(summary.failed.slice(0, 2))}`);
  const times = [...mailer.times].sort((a, b) => a - b);
  const spanSeconds = (times.at(-1)! - times[0]!) / 1000;
  // n sends span n − 1 intervals: 2,000 sends at exactly 50/s take 39.98 s.
  const achieved = (times.length - 1) / spanSeconds;
  const naive = times.length / spanSeconds;
  const peak = maxInWindow(times);
  const fraction = achieved / RATE;
  const ok = fraction >= 0.9 && fraction <= 1.0 && peak <= RATE;
  await clearInbox(stack.endpoints);

  ctx.report({
    benchmark: `5 digest send, ${fmtInt(MESSAGES)} emails at ${RATE}/s (local SES)`,
    figure: `${achieved.toFixed(2)}/s over ${spanSeconds.toFixed(2)} s; max ${peak} sends in any 1 s window`,
    baseline: `configured ${RATE}/s (unlimited pipeline: ${capacity.toFixed(0)}/s)`,
    ratio: fmtRatio(fraction),
    goal: `0.9–1.0× and never above ${RATE} in 1 s`,
    met: ok ? 'yes' : 'no',
  });
  ctx.note(
    `5: sendAll with ${CONCURRENCY} workers, NotificationLedger on DynamoDB Local, RateLimiter(${RATE}), SesMailer over a real SESClient to aws-ses-v2-local; ` +
      `send times taken when the Mailer is called (after the limiter). Achieved rate = (sends − 1) / (last − first) = ${achieved.toFixed(3)}/s ` +
      `(${fmtInt(MESSAGES)} / (last − first) would read ${naive.toFixed(3)}/s: it counts one interval too many). ` +
      `Baseline: ${UNLIMITED_MESSAGES} sends through the same pipeline without a limiter, after ${WARMUP_MESSAGES} unmeasured ones. ` +
      `The limiter's reserved slots peak at ${maxInWindow(limiter.slots)} per 1 s window; the sends went up to ${fmtMs(Math.max(...limiter.lateness))} after their slot ` +
      `(p99 ${fmtMs(percentile(limiter.lateness, 0.99))}; event-loop delay of this process max ${fmtMs(loopDelay.max / 1e6)}, p99 ${fmtMs(loopDelay.percentile(99) / 1e6)}), ` +
      `so late timers bunch sends into windows the slots kept apart.`,
  );
}

if (isMain(import.meta.url)) await runAlone('digest sending', benchDigestSender, { needsStack: true });
