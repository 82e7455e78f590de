import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { Role } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { ContextAttribute, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import type { Schedule } from 'aws-cdk-lib/aws-scheduler';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { InfraConfig } from '../config.ts';
import type { Alarms } from './alarms.ts';
import { AppFunction, bindBucket, bindTable } from './app-function.ts';
import { newDeadLetterQueue, scheduleInvocation, schedulerRole } from './scheduled.ts';
import { ATTACHMENTS_PREFIX } from '#shared/attachments/policy.ts';

/**
 * When the purge runs: the first of every month at 03:00 Amsterdam time. A school year becomes
 * due on 1 September, so it is gone that same night; a failed run is simply repeated a month later.
 */
export const RETENTION_CRON = 'cron(0 3 1 * ? *)';

/** Properties of {@link Retention}. */
export interface RetentionProps {
  /** How many whole school years a school year's data is kept after it ends. */
  readonly config: Pick<InfraConfig, 'retentionYears'>;
  /** The table: year index, placement partitions, person index, links, export events. */
  readonly table: ITable;
  /** The attachments bucket (`attachments/<year>/`). */
  readonly bucket: IBucket;
  /** Where the dead-letter queue and function alarms go. */
  readonly alarms: Alarms;
}

/**
 * The data retention per school year (docs/retention.md): a monthly schedule runs a function that
 * deletes every school year whose retention has passed, in DynamoDB and S3.
 */
export class Retention extends Construct {
  /** Deletes the due school years (`functions/retention/handler.ts`). */
  readonly fn: AppFunction;
  /** Purge invocations that failed after Lambda's retries. */
  readonly deadLetterQueue: Queue;
  /** The monthly schedule. */
  readonly schedule: Schedule;
  /** Invocations Scheduler could not deliver. */
  readonly scheduleDeadLetterQueue: Queue;
  /** The role the schedule invokes the function with. */
  readonly schedulerRole: Role;

  constructor(scope: Construct, id: string, props: RetentionProps) {
    super(scope, id);
    this.deadLetterQueue = newDeadLetterQueue(this, 'PurgeDeadLetters');
    this.fn = new AppFunction(this, 'Purge', {
      entry: 'functions/retention/handler.ts',
      description: `Werkplekleren N2: deletes each school year's data ${props.config.retentionYears} school year(s) after it ends`,
      // A few thousand placements, one Query and a few batch deletes each; rerun-safe if cut off.
      timeout: Duration.minutes(15),
      memorySize: 512,
      environment: { RETENTION_YEARS: String(props.config.retentionYears) },
      deadLetterQueue: this.deadLetterQueue,
      retryAttempts: 2,
      maxEventAge: Duration.hours(2),
    });
    // Finds items (Query) and deletes them (BatchWriteItem); lists and deletes attachment objects,
    // reads and uploads none, and cannot delete an object's versions (the 90-day undo window).
    bindTable(this.fn, props.table, 'queryDelete');
    bindBucket(this.fn, props.bucket, { listDelete: ATTACHMENTS_PREFIX });

    this.schedulerRole = schedulerRole(this, 'SchedulerRole', this.fn, 'Werkplekleren N2: EventBridge Scheduler starts the retention purge');
    const { schedule, deadLetterQueue } = scheduleInvocation(this, 'Monthly', {
      fn: this.fn,
      role: this.schedulerRole,
      cron: RETENTION_CRON,
      description: "Werkplekleren N2: deletes the school years past their retention, the 1st of every month at 03:00 Amsterdam time",
      // `at`: a retried or late run decides with the time it was due.
      input: ScheduleTargetInput.fromObject({ at: ContextAttribute.scheduledTime }),
      alarms: props.alarms,
      alarmDescription: 'A retention purge that Scheduler could not start',
    });
    this.schedule = schedule;
    this.scheduleDeadLetterQueue = deadLetterQueue;

    props.alarms.watchDeadLetterQueue('PurgeDeadLetters', this.deadLetterQueue, 'A retention purge that failed');
    props.alarms.watchFunction('Purge', this.fn, 'The retention purge');
  }
}
