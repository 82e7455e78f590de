import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import {
  ConfigurationSet,
  ConfigurationSetTlsPolicy,
  EmailSendingEvent,
  EventDestination,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { InfraConfig } from '../config.ts';
import type { Alarms } from './alarms.ts';
import { AppFunction, bindTable } from './app-function.ts';

/** Properties of {@link Mail}. */
export interface MailProps {
  /** The sender and reply-to addresses. */
  readonly config: Pick<InfraConfig, 'mailFrom' | 'mailReplyTo'>;
  /** The single table: the suppression list (`SUPPRESS#<email>`) lives in it. */
  readonly table: ITable;
  /** Where the dead-letter queue, function and reputation alarms go. */
  readonly alarms: Alarms;
}

/**
 * Sending email: the SES configuration set every send goes through, and what comes back from it.
 * Bounces and complaints are published to an SNS topic; the ses-events function
 * (`functions/ses-events/handler.ts`) writes them to the suppression list, so later digests skip
 * the address and the IO's and SCO's digests show it as undeliverable.
 *
 * Functions that send get the permission and the settings together with {@link bindMailSending}.
 */
export class Mail extends Construct {
  /** The configuration set named in every SendEmail (env `SES_CONFIGURATION_SET`). */
  readonly configurationSet: ConfigurationSet;
  /** Bounce and complaint events of the configuration set. */
  readonly events: Topic;
  /** The function that records them. */
  readonly eventsFunction: AppFunction;
  /** Events the function failed on after Lambda's retries. */
  readonly eventsDeadLetterQueue: Queue;
  /** The sender and reply-to addresses. */
  readonly config: Pick<InfraConfig, 'mailFrom' | 'mailReplyTo'>;

  constructor(scope: Construct, id: string, props: MailProps) {
    super(scope, id);
    this.config = props.config;

    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      // Emails carry access links (bearer tokens): never hand them to a server without TLS.
      tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE,
      reputationMetrics: true,
      // Also at the account level by default; stated here so it does not depend on the account.
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });

    // A customer-managed key: SES cannot publish to a topic under the AWS-managed SNS key. The
    // topic policy that CDK adds for the event destination (ses.amazonaws.com, this account, this
    // configuration set) decides who publishes; the key only lets SES encrypt for this topic.
    // Holds no stored data, so it may go with the stack.
    const key = new Key(this, 'EventsKey', {
      description: 'Werkplekleren N2: encrypts the SES bounce and complaint topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'SesEncryptsForTheEventsTopic',
        principals: [new ServicePrincipal('ses.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        // In a key policy, `*` is this key only.
        resources: ['*'],
      }),
    );
    this.events = new Topic(this, 'Events', {
      displayName: 'Werkplekleren SES bounces and complaints',
      masterKey: key,
      enforceSSL: true,
    });
    this.configurationSet.addEventDestination('BouncesAndComplaints', {
      destination: EventDestination.snsTopic(this.events),
      events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
    });

    this.eventsDeadLetterQueue = new Queue(this, 'EventsDeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    // SNS invokes asynchronously: Lambda retries twice, then the event goes to the queue instead
    // of being dropped (a lost bounce would keep an address on the mailing list).
    this.eventsFunction = new AppFunction(this, 'EventsFunction', {
      entry: 'functions/ses-events/handler.ts',
      description: 'Werkplekleren N2: records SES bounces and complaints in the suppression list',
      memorySize: 512,
      timeout: Duration.seconds(30),
      deadLetterQueue: this.eventsDeadLetterQueue,
      retryAttempts: 2,
    });
    bindTable(this.eventsFunction, props.table, 'readWrite');
    this.events.addSubscription(new LambdaSubscription(this.eventsFunction));

    props.alarms.watchDeadLetterQueue('SesEventsDeadLetters', this.eventsDeadLetterQueue, 'An SES bounce or complaint');
    props.alarms.watchFunction('SesEvents', this.eventsFunction, 'The SES events function');
    props.alarms.watchSesReputation();
  }
}

/**
 * Lets a function send email and tells it how, in one call, so the permission and the settings
 * cannot drift apart: `MAIL_FROM`, `MAIL_REPLY_TO` (when configured) and `SES_CONFIGURATION_SET`.
 *
 * Sending is allowed only from the configured address, through its domain identity or (when the
 * address itself was verified instead) its address identity, with this stack's configuration set,
 * in this account and region. SES authorizes a send that names a configuration set against that
 * set too, hence its ARN. An account still in the SES sandbox also checks the recipient
 * identities; request production access rather than widening this statement.
 */
export function bindMailSending(fn: LambdaFunction, mail: Mail): void {
  const { mailFrom, mailReplyTo } = mail.config;
  const stack = Stack.of(fn);
  const domain = mailFrom.slice(mailFrom.lastIndexOf('@') + 1);
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['ses:SendEmail', 'ses:SendRawEmail'],
      resources: [
        ...[domain, mailFrom].map((identity) => stack.formatArn({ service: 'ses', resource: 'identity', resourceName: identity })),
        stack.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: mail.configurationSet.configurationSetName }),
      ],
      conditions: { StringEquals: { 'ses:FromAddress': mailFrom } },
    }),
  );
  fn.addEnvironment('MAIL_FROM', mailFrom);
  if (mailReplyTo) fn.addEnvironment('MAIL_REPLY_TO', mailReplyTo);
  fn.addEnvironment('SES_CONFIGURATION_SET', mail.configurationSet.configurationSetName);
}
