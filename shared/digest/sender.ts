import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import pRetry from 'p-retry';
import * as z from 'zod';
import type { Clock } from '../clock.ts';
import { logger } from '../log.ts';
import type { Mailer } from '../mail/mailer.ts';
import type { Ledger } from '../model/notifications.ts';
import { DigestMessageSchema, type DigestMessage } from './queue.ts';

/**
 * Sends one digest message exactly once per (run key, recipient): claim in the ledger, send
 * through the Mailer under the rate limit (throttling retried with backoff and jitter), record the
 * outcome. See docs/digest.md for the policy on the one message in flight when a run dies.
 */

/** How long a claim protects a message that is being sent (docs/digest.md: 15 minutes). */
export const DEFAULT_LEASE_MS = 15 * 60 * 1000;

/** What happened to one message. Only 'sent' means an email went out now. */
export type SendOutcome = 'sent' | 'already-sent' | 'already-rejected' | 'in-flight' | 'rejected';

/** Waits for a send slot. */
export interface SendLimiter {
  take(): Promise<void>;
}

/** Retry of SES throttling within one delivery attempt. */
export interface RetryOptions {
  /** Attempts in all (first try included). */
  attempts: number;
  /** Backoff before the second attempt; doubles each time, capped at maxDelayMs, with jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

/** What the sender needs. */
export interface SenderDeps {
  ledger: Ledger;
  mailer: Mailer;
  limiter: SendLimiter;
  /** The real clock: claims and outcomes are stamped with it (never the run's planning date). */
  clock: Clock;
  leaseMs?: number;
  retry?: Partial<RetryOptions>;
}

/**
 * SES refused for a reason that says nothing was sent and that may pass (throttling beyond our
 * retries, sending paused, credentials): the claim is given back and the caller retries later
 * (over SQS: the message becomes visible again).
 */
export class SendLaterError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SendLaterError';
  }
}

/** Another worker is sending this message right now (or died doing so, within its lease). */
export class MessageInFlightError extends Error {
  constructor(runKey: string) {
    super(`digest ${runKey} for this recipient is in flight elsewhere; retry after the lease`);
    this.name = 'MessageInFlightError';
  }
}

/** How an SES error is handled. */
export type SesErrorKind = 'throttling' | 'permanent' | 'account' | 'unknown';

const THROTTLING = new Set(['Throttling', 'ThrottlingException', 'TooManyRequestsException']);
const PERMANENT = new Set(['MessageRejected', 'MailFromDomainNotVerifiedException', 'MailFromDomainNotVerified', 'InvalidParameterValue']);
/** 4xx errors about the account or the credentials, not the message: nothing was sent, nothing to record. */
const ACCOUNT = new Set([
  'AccountSendingPausedException',
  'ConfigurationSetSendingPausedException',
  'ConfigurationSetDoesNotExistException',
  'AccessDenied',
  'AccessDeniedException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'ExpiredTokenException',
  'MissingAuthenticationToken',
  'RequestExpired',
]);

/**
 * Classifies an SES error: throttling (retry soon), permanent (MessageRejected,
 * MailFromDomainNotVerified, InvalidParameterValue, or any other 4xx: record, never retry),
 * account-wide 4xx (sending paused, credentials: nothing was sent, retry later), or unknown
 * (5xx, network: SES may or may not have accepted it).
 */
export function classifySesError(error: unknown): SesErrorKind {
  if (!(error instanceof Error)) return 'unknown';
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (THROTTLING.has(error.name) || /maximum sending rate exceeded/i.test(error.message) || status === 429) return 'throttling';
  if (ACCOUNT.has(error.name)) return 'account';
  if (PERMANENT.has(error.name)) return 'permanent';
  if (status !== undefined && status >= 400 && status < 500) return 'permanent';
  return 'unknown';
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends one message: claim → send (throttling retried) → record. Returns what happened; throws
 * when the message should be tried again later: SendLaterError when SES certainly did not take it
 * (the claim is released), any other error when the outcome is unknown (the claim stays until its
 * lease ends, then a retry or a later run re-sends: the at-least-once exception of docs/digest.md).
 */
export async function sendDigestMessage(message: DigestMessage, deps: SenderDeps): Promise<SendOutcome> {
  const retry: RetryOptions = { attempts: 5, baseDelayMs: 250, maxDelayMs: 8000, sleep: defaultSleep, random: Math.random, ...deps.retry };
  const claimedAt = deps.clock.now();
  const claim = await deps.ledger.claim(message.runKey, message.to, deps.leaseMs ?? DEFAULT_LEASE_MS, claimedAt);
  if (claim !== 'claimed') return claim;

  let messageId: string;
  try {
    messageId = await pRetry(
      async () => {
        await deps.limiter.take();
        return deps.mailer.send({ to: message.to, subject: message.subject, text: message.text, html: message.html });
      },
      {
        retries: Math.max(0, retry.attempts - 1),
        // The backoff happens in onFailedAttempt, through the injectable sleep.
        minTimeout: 0,
        maxTimeout: 0,
        shouldRetry: ({ error }) => classifySesError(error) === 'throttling',
        onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
          if (classifySesError(error) !== 'throttling' || retriesLeft === 0) return;
          const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attemptNumber - 1));
          // "Equal jitter": half the delay fixed, half random, so retries of many workers spread out.
          await retry.sleep(ceiling / 2 + (retry.random() * ceiling) / 2);
        },
      },
    );
  } catch (error) {
    const kind = classifySesError(error);
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    if (kind === 'permanent') {
      await deps.ledger.recordRejected(message.runKey, message.to, reason, deps.clock.now());
      // The reason (SES's message) may name the address: the ledger keeps it, the log only its name.
      logger.warn('digest rejected for good', { runKey: message.runKey, error: error instanceof Error ? error.name : 'unknown' });
      return 'rejected';
    }
    if (kind === 'throttling' || kind === 'account') {
      await deps.ledger.release(message.runKey, message.to, claimedAt);
      throw new SendLaterError(`SES did not take the digest ${message.runKey}: ${reason}`, { cause: error });
    }
    throw error;
  }

  // Sent: record it. A lost record would make a later run re-send, so try a little harder.
  await pRetry(() => deps.ledger.recordSent(message.runKey, message.to, messageId, deps.clock.now()), {
    retries: 3,
    minTimeout: 100,
    randomize: true,
  });
  return 'sent';
}

/**
 * A release leaves a window this much later than a second: the send itself starts a moment after
 * its release, and that moment varies, so the margin keeps the sends (not only the releases) at N.
 */
const RELEASE_MARGIN_MS = 10;

/**
 * Paces sends at N per second. Callers reserve evenly spaced slots in order (so concurrent callers
 * never share one and a late caller does not lose the pace), and before letting a caller go the
 * limiter checks the real clock: timers fire late under load and would bunch the reserved slots,
 * so a caller is only released while fewer than N releases lie in the last second. No 1-second
 * window ever holds more than N sends, measured on the clock, not on the plan.
 */
export class RateLimiter implements SendLimiter {
  private readonly interval: number;
  private readonly window: number;
  /** When callers were actually let go, within the last second. */
  private readonly released: number[] = [];
  private nextSlot = Number.NEGATIVE_INFINITY;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    readonly perSecond: number,
    options: { now?: () => number; sleep?: (ms: number) => Promise<void> } = {},
  ) {
    if (!(perSecond > 0)) throw new RangeError('the send rate must be above 0');
    this.interval = 1000 / perSecond;
    this.window = Math.max(1, Math.floor(perSecond));
    this.now = options.now ?? (() => Date.now());
    this.sleep = options.sleep ?? defaultSleep;
  }

  /** Resolves when the caller may send. */
  async take(): Promise<void> {
    const now = this.now();
    const slot = Math.max(now, Math.ceil(this.nextSlot));
    this.nextSlot = slot + this.interval;
    if (slot > now) await this.sleep(slot - now);
    for (;;) {
      const at = this.now();
      while (this.released.length > 0 && this.released[0]! + 1000 + RELEASE_MARGIN_MS <= at) this.released.shift();
      if (this.released.length < this.window) {
        this.released.push(at);
        return;
      }
      // Whole milliseconds: a fractional wait could round to no progress at all.
      await this.sleep(Math.max(1, Math.ceil(this.released[0]! + 1000 + RELEASE_MARGIN_MS - at)));
    }
  }
}

/** Counts of one sending pass. */
export interface SendSummary {
  sent: number;
  alreadySent: number;
  alreadyRejected: number;
  rejected: number;
  inFlight: number;
  /** Not sent now and to be retried: SES refused for now, or the outcome is unknown. */
  failed: { to: string; error: string }[];
  /** Not started because the pass was aborted. */
  notStarted: number;
}

/**
 * Sends messages in-process with bounded concurrency (the local run; on AWS the SQS sender does
 * this). A failing message does not stop the others; an aborted signal stops starting new ones.
 */
export async function sendAll(
  messages: readonly DigestMessage[],
  deps: SenderDeps,
  options: { concurrency?: number; signal?: AbortSignal } = {},
): Promise<SendSummary> {
  const summary: SendSummary = { sent: 0, alreadySent: 0, alreadyRejected: 0, rejected: 0, inFlight: 0, failed: [], notStarted: 0 };
  const field = {
    sent: 'sent',
    'already-sent': 'alreadySent',
    'already-rejected': 'alreadyRejected',
    rejected: 'rejected',
    'in-flight': 'inFlight',
  } as const;
  let next = 0;
  const worker = async () => {
    while (next < messages.length && !options.signal?.aborted) {
      const message = messages[next++];
      if (!message) continue;
      try {
        summary[field[await sendDigestMessage(message, deps)]]++;
      } catch (error) {
        summary.failed.push({ to: message.to, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
      }
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency ?? 4, messages.length));
  await Promise.all(Array.from({ length: workers }, worker));
  summary.notStarted = messages.length - next;
  return summary;
}

/** The part of an SQS event the sender reads; the body is validated per record. */
const SqsEventSchema = z.object({
  Records: z.array(z.object({ messageId: z.string(), body: z.string() }).loose()),
});

/** The SQS batch response: the records to deliver again. */
export interface SqsBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

/**
 * The sender function's work: each SQS record is one digest message (zod-validated), sent with
 * sendDigestMessage. A record that throws (bad body, SES refused for now, unknown outcome, in
 * flight elsewhere) is reported in batchItemFailures so SQS delivers only that one again (and to
 * the DLQ after the queue's maxReceiveCount); the others are done.
 */
export async function processSqsBatch(event: unknown, deps: SenderDeps): Promise<SqsBatchResponse> {
  const parsed = SqsEventSchema.parse(event);
  const processor = new BatchProcessor(EventType.SQS);
  const handleRecord = async (record: { body: string }): Promise<SendOutcome> => {
    const message = DigestMessageSchema.parse(JSON.parse(record.body));
    const outcome = await sendDigestMessage(message, deps);
    // Deleting an in-flight duplicate could lose the email if its sender died: come back later.
    if (outcome === 'in-flight') throw new MessageInFlightError(message.runKey);
    return outcome;
  };
  return processPartialResponse(parsed, handleRecord, processor, { throwOnFullBatchFailure: false });
}
