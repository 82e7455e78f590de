import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { FunctionUrlAuthType, InvokeMode } from 'aws-cdk-lib/aws-lambda';
import type { FunctionUrl } from 'aws-cdk-lib/aws-lambda';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { InfraConfig } from '../config.ts';
import { ATTACHMENTS_PREFIX, UPLOADS_PREFIX } from '#shared/attachments/policy.ts';
import { ROSTER_UPLOAD_PREFIX } from '#shared/store/roster-uploads.ts';
import { isSplitFunction } from '../bundling.ts';
import { AppFunction, bindSecret, bindTable } from './app-function.ts';
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
      // An index.mjs entry and chunks: the staff group and the SDK's unused parts load on first use.
      splitting: isSplitFunction('http'),
      description: 'Werkplekleren N2: the web app (forms, overviews, CSV export)',
      environment: {
        PUBLIC_ORIGIN: config.publicOrigin,
        ...(config.adminEmails.length > 0 ? { ADMIN_EMAILS: config.adminEmails.join(',') } : {}),
      },
    });

    bindTable(this.fn, props.table, 'readWrite');
    bindHttpBucketAccess(this.fn, props.bucket);
    bindSecret(this.fn, props.linkSecret, 'LINK_SECRET_ARN');

    // Sign-in links and form requests go out by email.
    bindMailSending(this.fn, props.mail);

    this.url = this.fn.addFunctionUrl({
      authType: FunctionUrlAuthType.NONE,
      invokeMode: InvokeMode.RESPONSE_STREAM,
    });
  }
}

/**
 * The HTTP function's access to the attachments bucket, on the three prefixes it uses and no other:
 * - `uploads/`: presigned POSTs (signed with this role, so it needs PutObject), verified with
 *   HeadObject/GetObject of the exact version, then deleted (that version: DeleteObjectVersion);
 * - `attachments/`: the verified copy (CopyObject: GetObject on the source, PutObject here), served
 *   by version, its scan tag read; a removed attachment is deleted with every version
 *   (ListBucketVersions, only under `attachments/`, and DeleteObjectVersion);
 * - `roster-uploads/`: roster files between preview and confirmation, deleted version and all.
 * ListBucket (no prefix condition: HeadObject has none to match) lets a missing key answer 404, not 403.
 * No PutObjectTagging: the app can never write the malware scan tag it trusts.
 */
function bindHttpBucketAccess(fn: AppFunction, bucket: IBucket): void {
  const objects = [UPLOADS_PREFIX, ATTACHMENTS_PREFIX, ROSTER_UPLOAD_PREFIX].map((prefix) => bucket.arnForObjects(`${prefix}*`));
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectTagging', 's3:GetObjectVersionTagging', 's3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion'],
      resources: objects,
    }),
  );
  fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['s3:ListBucketVersions'],
      resources: [bucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': `${ATTACHMENTS_PREFIX}*` } },
    }),
  );
  fn.addEnvironment('BUCKET_NAME', bucket.bucketName);
}
