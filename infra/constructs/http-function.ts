import { Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { FunctionUrlAuthType, InvokeMode } from 'aws-cdk-lib/aws-lambda';
import type { FunctionUrl } from 'aws-cdk-lib/aws-lambda';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { InfraConfig } from '../config.ts';
import { AppFunction, bindBucket, bindSecret, bindTable } from './app-function.ts';

/** Properties of {@link HttpFunction}. */
export interface HttpFunctionProps {
  /** The validated deploy-time configuration (public origin, sender addresses). */
  readonly config: InfraConfig;
  /** The single table; the app reads and writes it. */
  readonly table: ITable;
  /** The attachments bucket; the app presigns uploads, verifies and serves them, deletes rejected ones. */
  readonly bucket: IBucket;
  /** The secret link tokens are derived from; the function reads it at cold start. */
  readonly linkSecret: ISecret;
}

/**
 * The HTTP Lambda: the Hono app (`functions/http/handler.ts`) behind a public function URL.
 *
 * The URL has no IAM auth because the app does its own: access links, sign-in links and session
 * cookies. It is BUFFERED for now; the CSV export will switch the handler to streaming.
 */
export class HttpFunction extends Construct {
  /** The function running the app. */
  readonly fn: AppFunction;
  /** Its public URL. */
  readonly url: FunctionUrl;

  constructor(scope: Construct, id: string, props: HttpFunctionProps) {
    super(scope, id);
    const { config } = props;

    this.fn = new AppFunction(this, 'Function', {
      entry: 'functions/http/handler.ts',
      handler: 'handler',
      description: 'Werkplekleren N2: the web app (forms, overviews, CSV export)',
      environment: {
        PUBLIC_ORIGIN: config.publicOrigin,
        MAIL_FROM: config.mailFrom,
        ...(config.mailReplyTo ? { MAIL_REPLY_TO: config.mailReplyTo } : {}),
        ...(config.adminEmails.length > 0 ? { ADMIN_EMAILS: config.adminEmails.join(',') } : {}),
      },
    });

    bindTable(this.fn, props.table, 'readWrite');
    // Uploads are presigned here and verified with HeadObject/GetObject (of the exact version);
    // an upload that fails the check is deleted, version and all.
    bindBucket(this.fn, props.bucket, 'readWrite');
    bindSecret(this.fn, props.linkSecret, 'LINK_SECRET_ARN');

    // Sending is allowed only from the configured address, through its domain identity or (when
    // the address itself was verified instead) its address identity, in this account and region.
    // An account still in the SES sandbox also checks the recipient identities; request
    // production access rather than widening this statement.
    const stack = Stack.of(this);
    const domain = config.mailFrom.slice(config.mailFrom.lastIndexOf('@') + 1);
    this.fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail', 'ses:SendRawEmail'],
        resources: [domain, config.mailFrom].map((identity) =>
          stack.formatArn({ service: 'ses', resource: 'identity', resourceName: identity }),
        ),
        conditions: { StringEquals: { 'ses:FromAddress': config.mailFrom } },
      }),
    );

    this.url = this.fn.addFunctionUrl({
      authType: FunctionUrlAuthType.NONE,
      invokeMode: InvokeMode.BUFFERED,
    });
  }
}
