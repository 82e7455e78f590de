import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { Role } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { ContextAttribute, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import type { Schedule } from 'aws-cdk-lib/aws-scheduler';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { InfraConfig } from '../config.ts';
import type { Alarms } from './alarms.ts';
import { AppFunction, bindQueue, bindSecret, bindTable } from './app-function.ts';
import { bindMailSending } from './mail.ts';
import { newDeadLetterQueue, scheduleInvocation, schedulerRole } from './scheduled.ts';
import type { Mail } from './mail.ts';

/**
 * Sends per second one sender instance is given at most. A batch of 10 is sent in parallel, each
 * SendEmail taking about 100 ms, so one instance keeps up with 7 per second with room to spare;
 * more than that per instance would only make a batch wait on its own rate limiter.
 */
export const SENDS_PER_INSTANCE = 7;

/**
 * At least 2: an SQS event source polls with at least 2 concurrent invocations (its smallest
 * `maxConcurrency`), and reserving fewer would make Lambda throttle those polls (the message
 * goes back to the queue and its receive count climbs towards the dead-letter queue).
 */
export const MIN_SENDER_CONCURRENCY = 2;

/**
 * At most 100: a reservation is taken from the account's concurrency (1,000 by default) and the
 * HTTP function needs the rest. Above 700 per second an instance is simply given more.
 */
export const MAX_SENDER_CONCURRENCY = 100;

/** How many sender instances may run, and how fast each may send. */
export interface SenderConcurrency {
  /** Reserved concurrency of the sender, and the event source's `maxConcurrency`. */
  readonly concurrency: number;
  /** `SES_RATE` of each instance: sends per second, so that all of them together stay under the account's rate. */
  readonly perInstanceRate: number;
}

/**
 * The sender's concurrency for an SES account rate (sends per second):
 * `concurrency = clamp(floor(sesRate / 7), 2, 100)` and each instance sends at most
 * `sesRate / concurrency` per second (rounded down to thousandths), so even with every instance
 * busy the account's rate is never exceeded. For the default 14 per second: 2 instances of 7.
 */
export function senderConcurrency(sesRate: number): SenderConcurrency {
  const concurrency = Math.min(
    MAX_SENDER_CONCURRENCY,
    Math.max(MIN_SENDER_CONCURRENCY, Math.floor(sesRate / SENDS_PER_INSTANCE)),
  );
  // Thousandths of a send per second, in integers, so rounding never lifts the sum above the rate.
  return { concurrency, perInstanceRate: Math.floor((sesRate * 1000) / concurrency) / 1000 };
}

/**
 * The sender's timeout: a batch of 10 at the per-instance rate, with SES throttling retried with
 * backoff (up to about 4 s per message), fits easily.
 */
const SENDER_TIMEOUT = Duration.seconds(60);

/**
 * How often a digest message is received before it moves to the dead-letter queue. With the
 * visibility timeout (6 minutes) the fifth receive comes after 24 minutes, past the ledger's
 * 15-minute lease: a message whose claim was left by a dead sender is re-sent before it is given up.
 */
const MAX_RECEIVE_COUNT = 5;

/** Properties of {@link Digest}. */
export interface DigestProps {
  /** Public origin (for the links in the emails) and the SES account rate. */
  readonly config: Pick<InfraConfig, 'publicOrigin' | 'sesRate'>;
  /** The single table: year index, requests and links (planner), the notification ledger (sender). */
  readonly table: ITable;
  /** The secret the access links in the emails are derived from. */
  readonly linkSecret: ISecret;
  /** Sending email: addresses and the SES configuration set. */
  readonly mail: Mail;
  /** Where dead-letter queue and function alarms go. */
  readonly alarms: Alarms;
}

/** The kinds of run the planner is scheduled for (its payload's `kind`). */
export type RunKind = 'weekly' | 'deadline';

/** When each kind of run starts, in Europe/Amsterdam time. */
const runs: Record<RunKind, { id: string; cron: string; description: string }> = {
  weekly: {
    id: 'Weekly',
    // Monday is the first placement day of the week.
    cron: 'cron(0 7 ? * MON *)',
    description: 'Werkplekleren N2: the weekly digest, Monday 07:00 Amsterdam time',
  },
  deadline: {
    id: 'Deadline',
    // Daily; the planner itself decides whether today is 14 or 3 days before a student deadline.
    cron: 'cron(0 7 * * ? *)',
    description: 'Werkplekleren N2: deadline reminders (14 and 3 days before), checked daily at 07:00 Amsterdam time',
  },
};

/**
 * The scheduled emails (docs/digest.md): EventBridge Scheduler starts the planner in
 * Europe/Amsterdam time; the planner puts one message per recipient on an SQS queue; the sender
 * drains it under the SES rate, reporting failed records one by one. Every hop that can give up
 * has a dead-letter queue with an alarm.
 */
export class Digest extends Construct {
  /** One message per recipient of a run. */
  readonly queue: Queue;
  /** Messages the sender failed on {@link MAX_RECEIVE_COUNT} times. */
  readonly deadLetterQueue: Queue;
  /** Plans a run (`functions/digest-planner/handler.ts`). */
  readonly planner: AppFunction;
  /** Planner invocations that failed after Lambda's retries. */
  readonly plannerDeadLetterQueue: Queue;
  /** Sends (`functions/digest-sender/handler.ts`). */
  readonly sender: AppFunction;
  /** The sender's concurrency and each instance's rate. */
  readonly senderConcurrency: SenderConcurrency;
  /** The weekly and the deadline schedule. */
  readonly schedules: Record<RunKind, Schedule>;
  /** Per schedule, the invocations Scheduler could not deliver to the planner. */
  readonly scheduleDeadLetterQueues: Record<RunKind, Queue>;
  /** The role both schedules invoke the planner with. */
  readonly schedulerRole: Role;

  constructor(scope: Construct, id: string, props: DigestProps) {
    super(scope, id);
    const { alarms } = props;

    this.deadLetterQueue = newDeadLetterQueue(this, 'DeadLetters');
    // SQS-managed encryption, as for the dead-letter queues.
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // AWS's rule for a Lambda event source: at least six times the function's timeout.
      visibilityTimeout: Duration.seconds(SENDER_TIMEOUT.toSeconds() * 6),
      // 20,000 messages drain in about 25 minutes at 14 per second; four days leave a weekend to
      // repair a broken sender before messages expire.
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
    });

    // The planner is invoked asynchronously by Scheduler: when a run fails, Lambda retries it
    // (safe: a rerun sends only what the ledger has not seen), then parks the event here.
    this.plannerDeadLetterQueue = newDeadLetterQueue(this, 'PlannerDeadLetters');
    this.planner = new AppFunction(this, 'Planner', {
      entry: 'functions/digest-planner/handler.ts',
      description: 'Werkplekleren N2: plans a digest run and queues one message per recipient',
      // One paginated read of the school year and up to 20,000 messages queued in batches of 10.
      timeout: Duration.minutes(15),
      memorySize: 1024,
      environment: { PUBLIC_ORIGIN: props.config.publicOrigin },
      deadLetterQueue: this.plannerDeadLetterQueue,
      retryAttempts: 2,
      maxEventAge: Duration.hours(2),
    });
    // Reads the year index; writes automatic requests and their links.
    bindTable(this.planner, props.table, 'readWrite');
    bindSecret(this.planner, props.linkSecret, 'LINK_SECRET_ARN');
    bindQueue(this.planner, this.queue, 'send', 'DIGEST_QUEUE_URL');
    // It may email automatic requests itself.
    bindMailSending(this.planner, props.mail);

    this.senderConcurrency = senderConcurrency(props.config.sesRate);
    const { concurrency, perInstanceRate } = this.senderConcurrency;
    this.sender = new AppFunction(this, 'Sender', {
      entry: 'functions/digest-sender/handler.ts',
      description: 'Werkplekleren N2: sends queued digests under the SES rate, once per recipient and run',
      timeout: SENDER_TIMEOUT,
      // With SES_RATE per instance this caps the whole at the account's rate.
      reservedConcurrentExecutions: concurrency,
      environment: { SES_RATE: String(perInstanceRate) },
    });
    bindTable(this.sender, props.table, 'readWrite');
    bindQueue(this.sender, this.queue, 'consume', 'DIGEST_QUEUE_URL');
    bindMailSending(this.sender, props.mail);
    this.sender.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 10,
        // Only the failed records of a batch come back (Powertools batch in the handler).
        reportBatchItemFailures: true,
        // Equal to the reservation, so the poller never invokes into a throttle.
        maxConcurrency: concurrency,
      }),
    );

    // One role for both schedules.
    this.schedulerRole = schedulerRole(this, 'SchedulerRole', this.planner, 'Werkplekleren N2: EventBridge Scheduler starts the digest planner');

    const weekly = this.scheduleRun('weekly', alarms);
    const deadline = this.scheduleRun('deadline', alarms);
    this.schedules = { weekly: weekly.schedule, deadline: deadline.schedule };
    this.scheduleDeadLetterQueues = { weekly: weekly.deadLetterQueue, deadline: deadline.deadLetterQueue };

    alarms.watchDeadLetterQueue('DigestDeadLetters', this.deadLetterQueue, 'A digest the sender could not send');
    alarms.watchDeadLetterQueue('PlannerDeadLetters', this.plannerDeadLetterQueue, 'A digest run that failed');
    alarms.watchFunction('Planner', this.planner, 'The digest planner');
    alarms.watchFunction('Sender', this.sender, 'The digest sender');
  }

  /** A schedule that invokes the planner for one kind of run. */
  private scheduleRun(kind: RunKind, alarms: Alarms): { schedule: Schedule; deadLetterQueue: Queue } {
    const run = runs[kind];
    return scheduleInvocation(this, run.id, {
      fn: this.planner,
      role: this.schedulerRole,
      cron: run.cron,
      description: run.description,
      // `at`: a retried or late invocation plans for the time it was due, not when it ran.
      input: ScheduleTargetInput.fromObject({ kind, at: ContextAttribute.scheduledTime }),
      alarms,
      alarmDescription: `A ${kind} digest run that Scheduler could not start`,
    });
  }
}
