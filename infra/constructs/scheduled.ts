import { Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import type { CfnElement } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { Alarms } from './alarms.ts';

/**
 * The time zone of every schedule. `TimeZone.EUROPE_AMSTERDAM` does not exist (tzdb made
 * Amsterdam a link), and an undefined time zone silently means UTC.
 */
export const SCHEDULE_TIME_ZONE = TimeZone.of('Europe/Amsterdam');

/**
 * A dead-letter queue: SQS-managed encryption (the messages may hold names, addresses and email
 * bodies; neither Lambda nor Scheduler needs a KMS grant for it), TLS only, kept 14 days (the
 * SQS maximum) to look into.
 */
export function newDeadLetterQueue(scope: Construct, id: string): Queue {
  return new Queue(scope, id, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
}

/**
 * A role EventBridge Scheduler assumes to invoke one function, for this account only. LambdaInvoke
 * grants it lambda:InvokeFunction on the function (and its versions) and SendMessage on each
 * schedule's dead-letter queue, nothing else.
 */
export function schedulerRole(scope: Construct, id: string, fn: IFunction, description: string): Role {
  const role = new Role(scope, id, {
    assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
      conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(scope).account } },
    }),
    description,
  });
  const fnId = Stack.of(scope).getLogicalId(fn.node.defaultChild as CfnElement);
  Validations.of(role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${fnId}.Arn>:*]`,
    reason: "The function's versions and aliases (`<function ARN>:*`), which LambdaInvoke grants next to the bare ARN; no other wildcard.",
  });
  return role;
}

/** What {@link scheduleInvocation} needs. */
export interface ScheduledInvocationProps {
  /** The function the schedule invokes. */
  readonly fn: IFunction;
  /** The role Scheduler invokes it with ({@link schedulerRole}). */
  readonly role: Role;
  /** A cron expression in Europe/Amsterdam time, e.g. `cron(0 7 ? * MON *)`. */
  readonly cron: string;
  readonly description: string;
  /** The payload the function receives. */
  readonly input: ScheduleTargetInput;
  /** Where the dead-letter queue's alarm goes, and what the alarm says. */
  readonly alarms: Alarms;
  readonly alarmDescription: string;
}

/**
 * A schedule in Europe/Amsterdam time that invokes a function with an explicit retry policy (three
 * retries, given up after two hours) and its own dead-letter queue, with an alarm, for
 * invocations Scheduler could not deliver.
 */
export function scheduleInvocation(scope: Construct, id: string, props: ScheduledInvocationProps): { schedule: Schedule; deadLetterQueue: Queue } {
  const deadLetterQueue = newDeadLetterQueue(scope, `${id}ScheduleDeadLetters`);
  Validations.of(deadLetterQueue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: "It is the schedule's dead-letter queue (Target.DeadLetterConfig), which cdk-nag does not recognise as one.",
  });
  const schedule = new Schedule(scope, `${id}Schedule`, {
    description: props.description,
    schedule: ScheduleExpression.expression(props.cron, SCHEDULE_TIME_ZONE),
    target: new LambdaInvoke(props.fn, {
      role: props.role,
      input: props.input,
      retryAttempts: 3,
      // A run that cannot start within two hours is not retried further; the alarm says so.
      maxEventAge: Duration.hours(2),
      deadLetterQueue,
    }),
  });
  props.alarms.watchDeadLetterQueue(`${id}ScheduleDeadLetters`, deadLetterQueue, props.alarmDescription);
  return { schedule, deadLetterQueue };
}
