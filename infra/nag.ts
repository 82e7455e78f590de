import { Validations, type CfnElement, type Stack } from 'aws-cdk-lib';
import type { Data } from './constructs/data.ts';
import type { Digest } from './constructs/digest.ts';
import type { HttpFunction } from './constructs/http-function.ts';
import type { Mail } from './constructs/mail.ts';
import type { MalwareProtection } from './constructs/malware.ts';
import type { Retention } from './constructs/retention.ts';

/** The parts of the stack the findings name (the stack's own shape, without importing the stack: no cycle). */
export interface NaggedStack extends Stack {
  readonly data: Data;
  readonly http: HttpFunction;
  readonly digest: Digest;
  readonly mail: Mail;
  readonly retention: Retention;
  readonly malware: MalwareProtection;
}

/**
 * The cdk-nag AwsSolutions findings this stack acknowledges, each with its reason, in one place so
 * a reviewer reads them together. Anything not listed here fails `test/infra/nag.test.ts`.
 */
export function acknowledgeNagFindings(stack: NaggedStack): void {
  Validations.of(stack).acknowledge(
    {
      id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        'The only AWS-managed policy is AWSLambdaBasicExecutionRole on the function roles: it allows writing CloudWatch Logs and nothing else; every function logs to its own log group with a retention.',
    },
    {
      id: 'AwsSolutions::AwsSolutions-L1',
      reason: 'The runtime is pinned to nodejs22.x on purpose: the design fixes it, and the tests and the bundles target Node 22.',
    },
  );

  // Findings name resources by logical id, as cdk-nag prints them: `<DataTableFDBAD0F2.Arn>`.
  const arnOf = (construct: { node: { defaultChild?: unknown } }) => `<${stack.getLogicalId(construct.node.defaultChild as CfnElement)}.Arn>`;
  const tableIndexes = `AwsSolutions::AwsSolutions-IAM5[Resource::${arnOf(stack.data.table)}/index/*]`;
  for (const fn of [stack.http.fn, stack.digest.planner, stack.digest.sender, stack.mail.eventsFunction, stack.retention.fn]) {
    Validations.of(fn).acknowledge({
      id: tableIndexes,
      reason: "From CDK's table grant: `<table>/index/*` lets the function query this one table's indexes (GSI1, GSI2), nothing else.",
    });
  }
  // The HTTP function's object access is named action by action (http-function.ts,
  // bindHttpBucketAccess), on three prefixes of the attachments bucket; the wildcard is the key.
  Validations.of(stack.http.fn).acknowledge(
    ...['uploads', 'attachments', 'roster-uploads'].map((prefix) => ({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::${arnOf(stack.data.bucket)}/${prefix}/*]`,
      reason: `Objects under \`${prefix}/\` of the attachments bucket only, with named actions (no \`*\`, no PutObjectTagging): presigned uploads land under uploads/, verified copies under attachments/ (served by version, scan tag read, removed with every version), roster files under roster-uploads/. test/infra/stack.test.ts walks every statement.`,
    })),
  );
  // The retention purge deletes the objects under `attachments/` (and queries the table's indexes, above).
  Validations.of(stack.retention.fn).acknowledge({
    id: `AwsSolutions::AwsSolutions-IAM5[Resource::${arnOf(stack.data.bucket)}/attachments/*]`,
    reason:
      'The purge deletes the attachments of a school year past its retention: s3:DeleteObject (current objects only, never their versions) on `attachments/*` of this bucket, and s3:ListBucket limited to that prefix (docs/retention.md).',
  });

  // GuardDuty's scan role: the EventBridge rule GuardDuty manages, and the objects it scans.
  Validations.of(stack.malware.role).acknowledge(
    {
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:events:<AWS::Region>:<AWS::AccountId>:rule/DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3*]',
      reason:
        'The GuardDuty user guide\'s policy for Malware Protection for S3: GuardDuty creates and watches its own managed EventBridge rule, whose name has a generated suffix (PutRule and friends only when events:ManagedBy is GuardDuty).',
    },
    {
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::${arnOf(stack.data.bucket)}/attachments/*]`,
      reason:
        'GuardDuty scans (GetObject, GetObjectVersion) and tags every new object under `attachments/` of this one bucket, the prefix its plan protects; no delete, no other prefix.',
    },
  );

  Validations.of(stack.data.bucket).acknowledge({
    id: 'AwsSolutions::AwsSolutions-S1',
    reason:
      'No server access logs: the bucket is private, reached only through short presigned URLs the app issues after checking the link or session, and the app writes an audit event for every download; CloudTrail data events are the upgrade path if S3-level logs are ever needed.',
  });
  Validations.of(stack.data.linkSecret).acknowledge({
    id: 'AwsSolutions::AwsSolutions-SMG4',
    reason:
      'Not rotated on purpose: every access link in an email is derived from this secret, so rotating it would break every link a WPB or student holds. Revoking and reissuing links covers a leaked link; a leaked secret is replaced by hand (docs/forms-and-links.md).',
  });
}
