import { CfnOutput, Stack } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { InfraConfig } from './config.ts';
import { Alarms } from './constructs/alarms.ts';
import { Data } from './constructs/data.ts';
import { Digest } from './constructs/digest.ts';
import { HttpFunction } from './constructs/http-function.ts';
import { Mail } from './constructs/mail.ts';
import { MalwareProtection } from './constructs/malware.ts';
import { Retention } from './constructs/retention.ts';
import { acknowledgeNagFindings } from './nag.ts';

/** Properties of {@link WerkpleklerenStack}. */
export interface WerkpleklerenStackProps extends StackProps {
  /** The validated deploy-time configuration (see `infra/config.ts`). */
  readonly config: InfraConfig;
}

/**
 * The whole service in one stack: the stored data, the alarms, email (SES configuration set and
 * its bounce and complaint events), the HTTP function, the scheduled digest and the retention purge. Constructs own
 * the resources; this class only wires them together and names the outputs a deployer needs.
 */
export class WerkpleklerenStack extends Stack {
  /** The table and the attachments bucket. */
  readonly data: Data;
  /** The alarms topic and every alarm. */
  readonly alarms: Alarms;
  /** The SES configuration set, its bounce and complaint events and the function recording them. */
  readonly mail: Mail;
  /** The web app behind its function URL. */
  readonly http: HttpFunction;
  /** The schedules, the planner, the queue and the sender of the scheduled emails. */
  readonly digest: Digest;
  /** The monthly purge of school years past their retention. */
  readonly retention: Retention;
  /** GuardDuty Malware Protection for S3 on the attachments, and the bucket's quarantine rule. */
  readonly malware: MalwareProtection;

  constructor(scope: Construct, id: string, props: WerkpleklerenStackProps) {
    super(scope, id, props);

    const { config } = props;
    this.data = new Data(this, 'Data', { appOrigin: config.publicOrigin });
    this.malware = new MalwareProtection(this, 'Malware', { bucket: this.data.bucket });
    this.alarms = new Alarms(this, 'Alarms', { email: config.alarmEmail });
    this.mail = new Mail(this, 'Mail', { config, table: this.data.table, alarms: this.alarms });
    this.http = new HttpFunction(this, 'Http', {
      config,
      table: this.data.table,
      bucket: this.data.bucket,
      linkSecret: this.data.linkSecret,
      mail: this.mail,
    });
    this.alarms.watchFunction('Http', this.http.fn, 'The web app');
    this.digest = new Digest(this, 'Digest', {
      config,
      table: this.data.table,
      linkSecret: this.data.linkSecret,
      mail: this.mail,
      alarms: this.alarms,
    });
    this.retention = new Retention(this, 'Retention', {
      config,
      table: this.data.table,
      bucket: this.data.bucket,
      alarms: this.alarms,
    });

    acknowledgeNagFindings(this);

    // Outputs live here, not in the constructs, so their logical IDs stay short and stable.
    new CfnOutput(this, 'FunctionUrl', {
      value: this.http.url.url,
      description: 'The app, until a custom domain points at it',
    });
    new CfnOutput(this, 'TableName', {
      value: this.data.table.tableName,
      description: 'TABLE_NAME for `npm run import -- FILE.csv --aws`',
    });
    new CfnOutput(this, 'BucketName', {
      value: this.data.bucket.bucketName,
      description: 'The attachments bucket',
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.alarms.topic.topicArn,
      description: 'Subscribe whoever must be woken (email with -c alarmEmail=..., or a chat integration)',
    });
    new CfnOutput(this, 'SesConfigurationSet', {
      value: this.mail.configurationSet.configurationSetName,
      description: 'The SES configuration set every email is sent with',
    });
  }
}
