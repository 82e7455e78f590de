import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { FunctionUrlAuthType, InvokeMode } from 'aws-cdk-lib/aws-lambda';
import type { FunctionUrl } from 'aws-cdk-lib/aws-lambda';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { InfraConfig } from '../config.ts';
import { AppFunction, bindBucket, bindSecret, bindTable } from './app-function.ts';
import { bindMailSending } from './mail.ts';
import type { Mail } from './mail.ts';

/** Properties of {@link HttpFunction}. */
export interface HttpFunctionProps {
  /** The validated deploy-time configuration (public origin, admin emails). */
  readonly config: InfraConfig;
  /** The single table; the app reads and writes it. */
  readonly table: ITable;
  /** The attachments bucket; the app presigns uploads, verifies and serves them, deletes rejected ones. */
  readonly bucket: IBucket;
  /** The secret link tokens are derived from; the function reads it at cold start. */
  readonly linkSecret: ISecret;
  /** Sending email: the sender addresses and the SES configuration set. */
  readonly mail: Mail;
}

/**
 * The HTTP Lambda: the Hono app (`functions/http/handler.ts`) behind a public function URL.
 *
 * The URL has no IAM auth because the app does its own: access links, sign-in links and session
 * cookies. It streams responses (RESPONSE_STREAM, with `streamHandle` in the handler): the CSV
 * export writes a period's submissions a page at a time, in constant memory and past the 6 MB
 * limit of a buffered response. Ordinary pages, redirects and cookies go through the same path.
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
        ...(config.adminEmails.length > 0 ? { ADMIN_EMAILS: config.adminEmails.join(',') } : {}),
      },
    });

    bindTable(this.fn, props.table, 'readWrite');
    // Uploads are presigned here and verified with HeadObject/GetObject (of the exact version);
    // an upload that fails the check is deleted, version and all. Roster files wait under
    // roster-uploads/ between preview and confirmation, and are deleted (version and all) after it.
    bindBucket(this.fn, props.bucket, 'readWrite');
    bindSecret(this.fn, props.linkSecret, 'LINK_SECRET_ARN');

    // Sign-in links and form requests go out by email.
    bindMailSending(this.fn, props.mail);

    this.url = this.fn.addFunctionUrl({
      authType: FunctionUrlAuthType.NONE,
      invokeMode: InvokeMode.RESPONSE_STREAM,
    });
  }
}
