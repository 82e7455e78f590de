import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Properties of {@link Alarms}. */
export interface AlarmsProps {
  /**
   * Who is emailed when an alarm fires (SNS asks them to confirm first).
   *
   * @default - no subscription: subscribe a pager or chat integration to the topic yourself
   */
  readonly email?: string;
}

/**
 * The alarms topic and every alarm that publishes to it. Each alarm means "someone should look":
 * a message in a dead-letter queue, a function that failed or was throttled, an SES reputation
 * that puts sending at risk. Nothing here fires in normal operation.
 */
export class Alarms extends Construct {
  /** The SNS topic all alarms publish to (alarm and back-to-OK). */
  readonly topic: Topic;
  /** The topic's key. */
  readonly key: Key;
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: AlarmsProps = {}) {
    super(scope, id);

    // A customer-managed key, not alias/aws/sns: the AWS-managed key's policy cannot be changed to
    // let CloudWatch publish, and an alarm to such a topic fails silently. This key serves only
    // this topic and holds no stored data (SNS keeps a message only until it is delivered), so
    // it may go with the stack.
    this.key = new Key(this, 'Key', {
      description: 'Werkplekleren N2: encrypts the alarms topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    // The statement AWS documents for alarms to an encrypted topic. Who may publish is decided by
    // the topic policy below; the key only lets CloudWatch encrypt for this one topic.
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsEncryptForTheTopic',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        // In a key policy, `*` is this key only.
        resources: ['*'],
      }),
    );

    this.topic = new Topic(this, 'Topic', {
      displayName: 'Werkplekleren alarms',
      masterKey: this.key,
      enforceSSL: true,
    });
    // enforceSSL gives the topic its own policy, which replaces SNS's default one (that let the
    // account, and so its alarms, publish); allow this account's alarms explicitly.
    const stack = Stack.of(this);
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'ThisAccountsAlarmsPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
        },
      }),
    );
    if (props.email) this.topic.addSubscription(new EmailSubscription(props.email));
    this.action = new SnsAction(this.topic);
  }

  /** Fires as soon as a dead-letter queue holds a message: something was given up on. */
  watchDeadLetterQueue(id: string, queue: IQueue, what: string): Alarm {
    return this.alarm(id, {
      metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: 0,
      description: `${what} landed in a dead-letter queue; read it, fix the cause, then redrive or delete it.`,
    });
  }

  /** Fires on any failed invocation, and on any throttled one, of `fn`. */
  watchFunction(id: string, fn: IFunction, what: string): void {
    this.alarm(`${id}Errors`, {
      metric: fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 0,
      description: `${what} failed (an uncaught error or a timeout); see its log group.`,
    });
    this.alarm(`${id}Throttles`, {
      metric: fn.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 0,
      description: `${what} was throttled: its concurrency is too low or the account limit is reached.`,
    });
  }

  /**
   * The account-wide SES reputation. SES reviews an account at a 5% bounce rate or a 0.1%
   * complaint rate (and may pause sending at 10% / 0.5%); these alarms fire at the review level,
   * so there is time to act. SES publishes the metrics without dimensions, about hourly.
   */
  watchSesReputation(): void {
    const reputation = (metricName: string) =>
      new Metric({ namespace: 'AWS/SES', metricName, statistic: 'Maximum', period: Duration.hours(1) });
    this.alarm('SesBounceRate', {
      metric: reputation('Reputation.BounceRate'),
      threshold: 0.05,
      description: 'The SES bounce rate is above 5%: check the roster for wrong or old addresses.',
    });
    this.alarm('SesComplaintRate', {
      metric: reputation('Reputation.ComplaintRate'),
      threshold: 0.001,
      description: 'The SES complaint rate is above 0.1%: people mark the digests as spam.',
    });
  }

  private alarm(id: string, props: { metric: IMetric; threshold: number; description: string }): Alarm {
    const alarm = new Alarm(this, id, {
      metric: props.metric,
      threshold: props.threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      // No data means nothing happened: no messages, no invocations, no sends.
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: props.description,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    return alarm;
  }
}
