import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import type { CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { InfraConfigError, parseInfraConfig } from '#infra/config.ts';
import { senderConcurrency } from '#infra/constructs/digest.ts';
import { WerkpleklerenStack } from '#infra/werkplekleren-stack.ts';
import { tableDefinition, TTL_ATTRIBUTE } from '#shared/store/table.ts';
import { ROSTER_UPLOAD_PREFIX } from '#shared/store/roster-uploads.ts';
import { UPLOADS_PREFIX } from '#shared/attachments/policy.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** The same context (feature flags, demo config) that `npm run synth` uses. */
const cdkContext = (JSON.parse(readFileSync(join(root, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> })
  .context;

interface PolicyStatement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

const asList = <T,>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** Whether any of the IAM actions (which may end in or contain `*`) allows `wanted`. */
const allows = (actions: string[], wanted: string): boolean =>
  actions.some((action) => new RegExp(`^${action.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(wanted));

describe('WerkpleklerenStack', () => {
  let outdir: string;
  let stack: WerkpleklerenStack;
  let template: Template;
  let logicalId: (construct: IConstruct) => string;

  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'werkplekleren-cdk-'));
    const app = new App({ outdir, context: cdkContext });
    const config = parseInfraConfig({ ...cdkContext, mailReplyTo: 'io@example.org', alarmEmail: 'ops@example.org' });
    stack = new WerkpleklerenStack(app, 'Test', { config });
    // Synthesises once, bundling the five handlers with the local esbuild.
    template = Template.fromStack(stack);
    logicalId = (construct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
    // The first synthesis in a process also loads CDK's built-in CloudFormation validation (~5 s,
    // and most of the CPU of a synthesis): under a loaded suite this hook can take over a minute.
  }, 120_000);

  afterAll(() => {
    rmSync(outdir, { recursive: true, force: true });
  });

  /** Every statement of every inline policy attached to the function's role. */
  function statementsOf(fn: LambdaFunction): PolicyStatement[] {
    const roleId = logicalId(fn.role!);
    const policies = template.findResources('AWS::IAM::Policy', {
      Properties: { Roles: Match.arrayWith([{ Ref: roleId }]) },
    });
    type Policy = { Properties: { PolicyDocument: { Statement: PolicyStatement[] } } };
    return Object.values(policies as Record<string, Policy>).flatMap((policy) => policy.Properties.PolicyDocument.Statement);
  }

  const getAtt = (construct: IConstruct, attribute: string) => ({ 'Fn::GetAtt': [logicalId(construct), attribute] });
  const ref = (construct: IConstruct) => ({ Ref: logicalId(construct) });

  describe('the table', () => {
    it('has the generic keys, both overloaded indexes and on-demand billing', () => {
      template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
        KeySchema: [
          { AttributeName: 'PK', KeyType: 'HASH' },
          { AttributeName: 'SK', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: Match.arrayWith([
          { AttributeName: 'PK', AttributeType: 'S' },
          { AttributeName: 'SK', AttributeType: 'S' },
          { AttributeName: 'GSI1PK', AttributeType: 'S' },
          { AttributeName: 'GSI1SK', AttributeType: 'S' },
          { AttributeName: 'GSI2PK', AttributeType: 'S' },
          { AttributeName: 'GSI2SK', AttributeType: 'S' },
        ]),
        GlobalSecondaryIndexes: Match.arrayWith([
          {
            IndexName: 'GSI1',
            KeySchema: [
              { AttributeName: 'GSI1PK', KeyType: 'HASH' },
              { AttributeName: 'GSI1SK', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
          {
            IndexName: 'GSI2',
            KeySchema: [
              { AttributeName: 'GSI2PK', KeyType: 'HASH' },
              { AttributeName: 'GSI2SK', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ]),
        BillingMode: 'PAY_PER_REQUEST',
        TableName: Match.absent(),
      });
    });

    it('has point-in-time recovery, TTL on expiresAt and AWS-managed encryption', () => {
      template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
        Replicas: [Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })],
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      });
    });

    it('lets sessions, sign-in tokens and pending roster uploads expire by TTL on the attribute the stores write', () => {
      expect(TTL_ATTRIBUTE).toBe('expiresAt');
      template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
        TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
      });
    });

    it('is retained when it leaves the stack', () => {
      template.hasResource('AWS::DynamoDB::GlobalTable', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    });
  });

  describe('the link secret', () => {
    it('is generated by Secrets Manager at deploy time: 48 characters, no punctuation, no value in the template', () => {
      template.hasResourceProperties('AWS::SecretsManager::Secret', {
        GenerateSecretString: Match.objectLike({ PasswordLength: 48, ExcludePunctuation: true }),
        SecretString: Match.absent(),
      });
    });

    it('is retained when it leaves the stack, since every emailed link derives from it', () => {
      template.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    });

    it("reaches the HTTP function as an ARN in LINK_SECRET_ARN, never as a value", () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: Match.objectLike({ LINK_SECRET_ARN: { Ref: logicalId(stack.data.linkSecret) } }) },
      });
      type LambdaResource = { Properties: { Environment?: { Variables?: Record<string, unknown> } } };
      for (const fn of Object.values(template.findResources('AWS::Lambda::Function')) as LambdaResource[]) {
        expect(Object.keys(fn.Properties.Environment?.Variables ?? {})).not.toContain('LINK_SECRET');
      }
      expect(JSON.stringify(template.toJSON())).not.toContain('"LINK_SECRET"');
    });
  });

  it('has the same keys and indexes as the table the local stack creates', () => {
    const tables = Object.values(template.findResources('AWS::DynamoDB::GlobalTable')) as {
      Properties: Record<string, unknown> & { Replicas: unknown[]; TimeToLiveSpecification: unknown };
    }[];
    const local = tableDefinition('local');

    expect(tables).toHaveLength(1);
    const properties = tables[0]!.Properties;
    const sortByName = <T extends { AttributeName?: string; IndexName?: string }>(list: T[]) =>
      [...list].sort((a, b) => String(a.AttributeName ?? a.IndexName).localeCompare(String(b.AttributeName ?? b.IndexName)));
    expect(properties.KeySchema).toEqual(local.KeySchema);
    expect(sortByName(properties.AttributeDefinitions as { AttributeName: string }[])).toEqual(
      sortByName(local.AttributeDefinitions as { AttributeName: string }[]),
    );
    expect(sortByName(properties.GlobalSecondaryIndexes as { IndexName: string }[])).toEqual(
      sortByName(local.GlobalSecondaryIndexes as { IndexName: string }[]),
    );
    expect(properties.TimeToLiveSpecification).toEqual({ AttributeName: TTL_ATTRIBUTE, Enabled: true });
  });

  describe('the attachments bucket', () => {
    it('is private, encrypted and versioned, with a CDK-chosen name', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketName: Match.absent(),
      });
    });

    it('is retained when it leaves the stack', () => {
      template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    });

    it('keeps a deleted or replaced attachment 90 days, then removes it and its delete marker', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        LifecycleConfiguration: {
          Rules: Match.arrayWith([
            Match.objectLike({
              Id: 'tidy-up',
              Status: 'Enabled',
              NoncurrentVersionExpiration: { NoncurrentDays: 90 },
              ExpiredObjectDeleteMarker: true,
              AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
            }),
          ]),
        },
      });
    });

    it('removes attachment uploads (never served) after a day, versions and all', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        LifecycleConfiguration: {
          Rules: Match.arrayWith([
            Match.objectLike({ Id: 'attachment-uploads', Prefix: UPLOADS_PREFIX, Status: 'Enabled', ExpirationInDays: 1, NoncurrentVersionExpiration: { NoncurrentDays: 1 } }),
          ]),
        },
      });
      expect(UPLOADS_PREFIX).toBe('uploads/');
    });

    it('removes roster files that were uploaded but never confirmed after a day, versions and all', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        LifecycleConfiguration: {
          Rules: Match.arrayWith([
            Match.objectLike({ Id: 'roster-uploads', Prefix: 'roster-uploads/', Status: 'Enabled', ExpirationInDays: 1, NoncurrentVersionExpiration: { NoncurrentDays: 1 } }),
          ]),
        },
      });
      expect(ROSTER_UPLOAD_PREFIX).toBe('roster-uploads/');
    });

    it("lets browsers post uploads to it from the app's public origin only", () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        CorsConfiguration: {
          CorsRules: [
            Match.objectLike({
              AllowedOrigins: ['https://werkplekleren.example.org'],
              AllowedMethods: ['POST'],
            }),
          ],
        },
      });
    });

    it('denies every request that does not use TLS', () => {
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: logicalId(stack.data.bucket) },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 's3:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    });
  });

  describe('malware scanning (GuardDuty Malware Protection for S3)', () => {
    const bucketArn = () => getAtt(stack.data.bucket, 'Arn');
    const objects = (suffix: string) => ({ 'Fn::Join': ['', [bucketArn(), `/${suffix}`]] });
    const scanRoleStatements = (): (PolicyStatement & { Sid?: string })[] => {
      const role = template.findResources('AWS::IAM::Role', {
        Properties: { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'malware-protection-plan.guardduty.amazonaws.com' } })] } },
      });
      expect(Object.keys(role)).toEqual([logicalId(stack.malware.role)]);
      type Role = { Properties: { Policies: { PolicyDocument: { Statement: PolicyStatement[] } }[] } };
      return Object.values(role as Record<string, Role>).flatMap((r) => r.Properties.Policies.flatMap((p) => p.PolicyDocument.Statement));
    };

    it('protects the attachments bucket, scans only attachments/ and tags the result', () => {
      template.hasResourceProperties('AWS::GuardDuty::MalwareProtectionPlan', {
        ProtectedResource: { S3Bucket: { BucketName: ref(stack.data.bucket), ObjectPrefixes: ['attachments/'] } },
        Actions: { Tagging: { Status: 'ENABLED' } },
        Role: getAtt(stack.malware.role, 'Arn'),
      });
    });

    it('runs the scan as a role only GuardDuty Malware Protection may assume', () => {
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [
            { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'malware-protection-plan.guardduty.amazonaws.com' } },
          ],
        },
        ManagedPolicyArns: Match.absent(),
      });
    });

    it("lets the role read and tag new attachments, and manage only GuardDuty's own EventBridge rule", () => {
      const statements = scanRoleStatements();
      const actionsOn = (resource: unknown) =>
        statements.filter((s) => asList(s.Resource).some((r) => JSON.stringify(r) === JSON.stringify(resource))).flatMap((s) => asList(s.Action));
      expect(actionsOn(objects('attachments/*')).sort()).toEqual(
        ['s3:GetObject', 's3:GetObjectTagging', 's3:GetObjectVersion', 's3:GetObjectVersionTagging', 's3:PutObjectTagging', 's3:PutObjectVersionTagging'].sort(),
      );
      expect(actionsOn(bucketArn()).sort()).toEqual(['s3:GetBucketNotification', 's3:ListBucket', 's3:PutBucketNotification']);
      const actions = statements.flatMap((s) => asList(s.Action));
      for (const unwanted of ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:PutBucketPolicy', 's3:PutObjectAcl']) {
        expect(allows(actions, unwanted), unwanted).toBe(false);
      }
      // s3:PutObject only for the validation object GuardDuty writes when the plan is created.
      const puts = statements.filter((s) => asList(s.Action).includes('s3:PutObject'));
      expect(puts.flatMap((s) => asList(s.Resource))).toEqual([objects('malware-protection-resource-validation-object')]);
      const events = statements.filter((s) => asList(s.Action).some((a) => a.startsWith('events:')));
      for (const statement of events) {
        expect(JSON.stringify(statement.Resource)).toContain(':rule/DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3*');
      }
      expect(events.find((s) => asList(s.Action).includes('events:PutRule'))?.Condition).toEqual({
        StringLike: { 'events:ManagedBy': 'malware-protection-plan.guardduty.amazonaws.com' },
      });
    });

    it('quarantines attachments in the bucket policy: no read of one not scanned clean, except by the scanner', () => {
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: ref(stack.data.bucket),
        PolicyDocument: {
          Statement: Match.arrayWith([
            {
              Sid: 'QuarantineUntilScannedClean',
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Action: ['s3:GetObject', 's3:GetObjectVersion'],
              Resource: objects('attachments/*'),
              Condition: {
                StringNotEquals: { 's3:ExistingObjectTag/GuardDutyMalwareScanStatus': 'NO_THREATS_FOUND' },
                ArnNotEquals: { 'aws:PrincipalArn': getAtt(stack.malware.role, 'Arn') },
              },
            },
          ]),
        },
      });
    });

    it('leaves uploads/ readable, so the app can verify an upload before copying it under attachments/', () => {
      const policies = template.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: ref(stack.data.bucket) } });
      type Policy = { Properties: { PolicyDocument: { Statement: PolicyStatement[] } } };
      const denies = Object.values(policies as Record<string, Policy>)
        .flatMap((p) => p.Properties.PolicyDocument.Statement)
        .filter((s) => s.Effect === 'Deny' && asList(s.Action).some((a) => allows([a], 's3:GetObject')));
      // Apart from the transport rules (TLS only, TLS 1.2 or later), which cover every request.
      const transport = (s: PolicyStatement) => /aws:SecureTransport|s3:TlsVersion/.test(JSON.stringify(s.Condition ?? {}));
      expect(denies.filter((s) => !transport(s))).toHaveLength(1);
      for (const deny of denies.filter((s) => !transport(s))) {
        expect(asList(deny.Resource)).toEqual([objects('attachments/*')]);
      }
    });

    it('lets no function write a tag, so only GuardDuty can mark an attachment clean', () => {
      for (const fn of [stack.http.fn, stack.digest.planner, stack.digest.sender, stack.mail.eventsFunction, stack.retention.fn]) {
        const actions = statementsOf(fn).flatMap((s) => asList(s.Action));
        for (const write of ['s3:PutObjectTagging', 's3:PutObjectVersionTagging', 's3:DeleteObjectTagging', 's3:PutBucketPolicy']) {
          expect(allows(actions, write), `${fn.node.path}: ${write}`).toBe(false);
        }
      }
    });

    it('lets the HTTP function read the scan tag of any attachment version', () => {
      const s3 = statementsOf(stack.http.fn).filter((s) => asList(s.Action).some((a) => a.startsWith('s3:')));
      for (const wanted of ['s3:GetObjectTagging', 's3:GetObjectVersionTagging']) {
        const granting = s3.filter((s) => allows(asList(s.Action), wanted));
        const resources = granting.flatMap((s) => asList(s.Resource));
        expect([objects('*'), objects('attachments/*')].some((covering) => resources.some((r) => JSON.stringify(r) === JSON.stringify(covering))), wanted).toBe(true);
      }
    });
  });

  describe('the HTTP function', () => {
    it('runs on nodejs22.x on arm64 with source maps enabled', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        Environment: { Variables: Match.objectLike({ NODE_OPTIONS: '--enable-source-maps' }) },
      });
    });

    it('is bundled with code splitting: an index.mjs entry and its chunks, the staff group one of them; the other functions one file', () => {
      type Fn = { Properties: { Code?: { S3Key?: unknown } } };
      const keyOf = (id: string) => String((template.toJSON().Resources as Record<string, Fn>)[id]?.Properties.Code?.S3Key);
      const assetOf = (id: string) => join(outdir, `asset.${keyOf(id).replace(/\.zip$/, '')}`);
      const http = assetOf(logicalId(stack.http.fn));
      const files = readdirSync(http, { recursive: true, encoding: 'utf8' });
      expect(files).toContain('index.mjs');
      expect(files.filter((file) => /^chunks\/staff-\w+\.mjs$/.test(file))).toHaveLength(1);
      expect(readFileSync(join(http, 'index.mjs'), 'utf8')).toMatch(/import\("\.\/chunks\/staff-\w+\.mjs"\)/);
      // The PDFs' font, read beside the bundle (infra/bundling.ts, LAMBDA_FILES).
      for (const face of ['DejaVuSans', 'DejaVuSans-Bold', 'DejaVuSans-Oblique', 'DejaVuSans-BoldOblique']) expect(files).toContain(`node_modules/dejavu-fonts-ttf/ttf/${face}.ttf`);
      const functions = Object.entries(template.findResources('AWS::Lambda::Function') as Record<string, Fn>)
        .filter(([id, fn]) => id !== logicalId(stack.http.fn) && typeof fn.Properties.Code?.S3Key === 'string')
        .map(([id]) => id);
      for (const id of functions) expect(readdirSync(assetOf(id)), id).not.toContain('chunks');
    });

    it('learns the table, the bucket and the mail settings from its environment', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: {
          Variables: Match.objectLike({
            TABLE_NAME: { Ref: logicalId(stack.data.table) },
            BUCKET_NAME: { Ref: logicalId(stack.data.bucket) },
            PUBLIC_ORIGIN: 'https://werkplekleren.example.org',
            MAIL_FROM: 'werkplekleren@example.org',
            MAIL_REPLY_TO: 'io@example.org',
          }),
        },
      });
    });

    it('logs to its own log group, kept for three months', () => {
      const logGroupId = logicalId(stack.http.fn.logs);
      template.hasResourceProperties('AWS::Lambda::Function', {
        LoggingConfig: { LogGroup: { Ref: logGroupId } },
      });
      expect(template.toJSON().Resources[logGroupId]).toMatchObject({
        Type: 'AWS::Logs::LogGroup',
        Properties: { RetentionInDays: 90 },
      });
    });

    it('is reachable through a function URL that leaves auth to the app and streams responses (the CSV export)', () => {
      template.hasResourceProperties('AWS::Lambda::Url', {
        AuthType: 'NONE',
        InvokeMode: 'RESPONSE_STREAM',
        TargetFunctionArn: { 'Fn::GetAtt': [logicalId(stack.http.fn), 'Arn'] },
      });
      expect(Object.keys(template.findResources('AWS::Lambda::Url'))).toHaveLength(1);
    });

    it('outputs the URL, the table name and the bucket name', () => {
      template.hasOutput('FunctionUrl', { Value: { 'Fn::GetAtt': [logicalId(stack.http.url), 'FunctionUrl'] } });
      template.hasOutput('TableName', { Value: { Ref: logicalId(stack.data.table) } });
      template.hasOutput('BucketName', { Value: { Ref: logicalId(stack.data.bucket) } });
    });
  });

  describe("the HTTP function's permissions", () => {
    const functionStatements = () => statementsOf(stack.http.fn);

    it('grant no wildcard action and no action on every resource', () => {
      const statements = functionStatements();
      expect(statements.length).toBeGreaterThan(0);
      for (const statement of statements) {
        for (const action of asList(statement.Action)) {
          expect(['*', 'dynamodb:*', 's3:*', 'ses:*', 'secretsmanager:*']).not.toContain(action);
        }
        expect(asList(statement.Resource)).not.toContain('*');
      }
    });

    it('grant DynamoDB actions only on the table and its indexes', () => {
      const tableArn = { 'Fn::GetAtt': [logicalId(stack.data.table), 'Arn'] };
      const indexArns = { 'Fn::Join': ['', [tableArn, '/index/*']] };
      const dynamo = functionStatements().filter((s) => asList(s.Action).some((a) => a.startsWith('dynamodb:')));
      expect(dynamo.length).toBeGreaterThan(0);
      for (const statement of dynamo) {
        expect(asList(statement.Action).every((a) => a.startsWith('dynamodb:'))).toBe(true);
        for (const resource of asList(statement.Resource)) {
          expect([tableArn, indexArns]).toContainEqual(resource);
        }
      }
      expect(asList(dynamo[0]!.Action)).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:Query']));
    });

    it('grant S3 actions only on the attachments bucket: put, get (any version) and delete objects, under its three prefixes', () => {
      const bucketArn = { 'Fn::GetAtt': [logicalId(stack.data.bucket), 'Arn'] };
      const prefixArns = ['uploads/*', 'attachments/*', 'roster-uploads/*'].map((prefix) => ({ 'Fn::Join': ['', [bucketArn, `/${prefix}`]] }));
      const s3 = functionStatements().filter((s) => asList(s.Action).some((a) => a.startsWith('s3:')));
      const actions = s3.flatMap((s) => asList(s.Action));
      for (const wanted of ['s3:PutObject', 's3:GetObject', 's3:GetObjectVersion', 's3:DeleteObject', 's3:DeleteObjectVersion']) {
        expect(allows(actions, wanted), wanted).toBe(true);
      }
      // No tag writes: the app must never be able to write the malware scan tag it trusts.
      for (const unwanted of ['s3:DeleteBucket', 's3:PutBucketPolicy', 's3:PutBucketCors', 's3:PutObjectAcl', 's3:PutBucketVersioning', 's3:PutObjectTagging', 's3:PutObjectVersionTagging']) {
        expect(allows(actions, unwanted), unwanted).toBe(false);
      }
      for (const resource of s3.flatMap((s) => asList(s.Resource))) {
        expect([bucketArn, ...prefixArns]).toContainEqual(resource);
      }
      // Deletes reach objects under the three prefixes only, never the bucket.
      for (const statement of s3.filter((s) => asList(s.Action).some((a) => a.startsWith('s3:Delete')))) {
        expect(asList(statement.Resource)).toEqual(expect.arrayContaining(prefixArns));
        expect(asList(statement.Resource)).toHaveLength(prefixArns.length);
      }
    });

    it('grant listing versions only under attachments/ (to delete a removed attachment with all its versions)', () => {
      const bucketArn = { 'Fn::GetAtt': [logicalId(stack.data.bucket), 'Arn'] };
      const s3 = functionStatements().filter((s) => asList(s.Action).some((a) => a.startsWith('s3:')));
      const listing = s3.filter((s) => allows(asList(s.Action), 's3:ListBucketVersions'));
      expect(listing).toEqual([
        expect.objectContaining({ Action: 's3:ListBucketVersions', Resource: bucketArn, Condition: { StringLike: { 's3:prefix': 'attachments/*' } } }),
      ]);
      const deletingVersions = s3.filter((s) => allows(asList(s.Action), 's3:DeleteObjectVersion'));
      expect(deletingVersions.flatMap((s) => asList(s.Resource))).not.toContainEqual({ 'Fn::Join': ['', [bucketArn, '/*']] });
    });

    it('allow reading the link secret, and nothing else in Secrets Manager', () => {
      const secrets = functionStatements().filter((s) => asList(s.Action).some((a) => a.startsWith('secretsmanager:')));
      expect(secrets).toHaveLength(1);
      expect(asList(secrets[0]!.Action)).toEqual(['secretsmanager:GetSecretValue']);
      expect(asList(secrets[0]!.Resource)).toEqual([{ Ref: logicalId(stack.data.linkSecret) }]);
    });

    it('allow sending email only from the configured address and its identities', () => {
      const ses = functionStatements().filter((s) => asList(s.Action).some((a) => a.startsWith('ses:')));
      expect(ses).toHaveLength(1);
      const [statement] = ses;
      expect(asList(statement!.Action).sort()).toEqual(['ses:SendEmail', 'ses:SendRawEmail']);
      expect(statement!.Condition).toEqual({ StringEquals: { 'ses:FromAddress': 'werkplekleren@example.org' } });
      const resources = JSON.stringify(statement!.Resource);
      expect(resources).toContain(':identity/example.org"');
      expect(resources).toContain(':identity/werkplekleren@example.org"');
      expect(resources).toContain(`:configuration-set/",{"Ref":"${logicalId(stack.mail.configurationSet)}"}`);
      expect(resources).toContain('AWS::AccountId');
    });
  });

  describe('the digest schedules', () => {
    it.each([
      ['weekly', 'cron(0 7 ? * MON *)'],
      ['deadline', 'cron(0 7 * * ? *)'],
    ] as const)('start the %s run at %s, Amsterdam time, with a retry policy and a dead-letter queue', (kind, expression) => {
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: expression,
        ScheduleExpressionTimezone: 'Europe/Amsterdam',
        FlexibleTimeWindow: { Mode: 'OFF' },
        State: 'ENABLED',
        Target: Match.objectLike({
          Arn: getAtt(stack.digest.planner, 'Arn'),
          Input: Match.serializedJson({ kind, at: '<aws.scheduler.scheduled-time>' }),
          RetryPolicy: { MaximumEventAgeInSeconds: 7200, MaximumRetryAttempts: 3 },
          DeadLetterConfig: { Arn: getAtt(stack.digest.scheduleDeadLetterQueues[kind], 'Arn') },
        }),
      });
    });

    it('may only invoke the planner and write to their own dead-letter queues', () => {
      const schedules = Object.values(template.findResources('AWS::Scheduler::Schedule')) as {
        Properties: { Target: { RoleArn: { 'Fn::GetAtt': [string, string] } } };
      }[];
      const plannerSchedules = schedules.filter((schedule) => JSON.stringify((schedule.Properties.Target as { Arn?: unknown }).Arn) === JSON.stringify(getAtt(stack.digest.planner, 'Arn')));
      expect(plannerSchedules).toHaveLength(2);
      const roleIds = new Set(plannerSchedules.map((schedule) => schedule.Properties.Target.RoleArn['Fn::GetAtt'][0]));
      expect(roleIds.size).toBe(1);
      const [roleId] = roleIds;
      const policies = Object.values(
        template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } }),
      ) as { Properties: { PolicyDocument: { Statement: PolicyStatement[] } } }[];
      const statements = policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement);
      const plannerArn = getAtt(stack.digest.planner, 'Arn');
      expect(statements).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            Action: 'lambda:InvokeFunction',
            Resource: [plannerArn, { 'Fn::Join': ['', [plannerArn, ':*']] }],
          }),
          expect.objectContaining({
            Action: 'sqs:SendMessage',
            Resource: expect.arrayContaining([
              getAtt(stack.digest.scheduleDeadLetterQueues.weekly, 'Arn'),
              getAtt(stack.digest.scheduleDeadLetterQueues.deadline, 'Arn'),
            ]),
          }),
        ]),
      );
      expect(statements).toHaveLength(2);
    });
  });

  describe('the digest queue', () => {
    it('is encrypted and redrives to a dead-letter queue after 5 receives', () => {
      template.hasResourceProperties('AWS::SQS::Queue', {
        SqsManagedSseEnabled: true,
        RedrivePolicy: { deadLetterTargetArn: getAtt(stack.digest.deadLetterQueue, 'Arn'), maxReceiveCount: 5 },
      });
    });

    it('hides a received message for at least six times the sender timeout', () => {
      const resources = template.toJSON().Resources as Record<string, { Properties: Record<string, number> }>;
      const visibility = resources[logicalId(stack.digest.queue)]!.Properties.VisibilityTimeout!;
      const senderTimeout = resources[logicalId(stack.digest.sender)]!.Properties.Timeout!;
      expect(visibility).toBeGreaterThanOrEqual(6 * senderTimeout);
    });

    it('reaches the sender in batches of 10 that report failed records one by one', () => {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: getAtt(stack.digest.queue, 'Arn'),
        FunctionName: ref(stack.digest.sender),
        BatchSize: 10,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: 2 },
      });
    });

    it('is one of eight queues, every one encrypted, TLS-only, and every dead-letter queue kept 14 days', () => {
      const queues = template.findResources('AWS::SQS::Queue');
      expect(Object.keys(queues)).toHaveLength(8);
      for (const [id, queue] of Object.entries(queues) as [string, { Properties: Record<string, unknown> }][]) {
        expect(queue.Properties.SqsManagedSseEnabled, id).toBe(true);
        // The digest queue hands failures to its dead-letter queue; every other queue is one.
        if (id === logicalId(stack.digest.queue)) expect(queue.Properties.RedrivePolicy, id).toBeDefined();
        else expect([queue.Properties.RedrivePolicy, queue.Properties.MessageRetentionPeriod], id).toEqual([undefined, 14 * 24 * 3600]);
        template.hasResourceProperties('AWS::SQS::QueuePolicy', {
          Queues: [{ Ref: id }],
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            ]),
          },
        });
      }
    });
  });

  describe('the digest functions', () => {
    it('run the planner for up to 15 minutes with 1024 MB, retried twice, then parked in its dead-letter queue', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Timeout: 900,
        MemorySize: 1024,
        DeadLetterConfig: { TargetArn: getAtt(stack.digest.plannerDeadLetterQueue, 'Arn') },
        Environment: {
          Variables: Match.objectLike({
            DIGEST_QUEUE_URL: ref(stack.digest.queue),
            TABLE_NAME: ref(stack.data.table),
            LINK_SECRET_ARN: ref(stack.data.linkSecret),
            PUBLIC_ORIGIN: 'https://werkplekleren.example.org',
            MAIL_FROM: 'werkplekleren@example.org',
            SES_CONFIGURATION_SET: ref(stack.mail.configurationSet),
          }),
        },
      });
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: ref(stack.digest.planner),
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 7200,
      });
    });

    it('reserve the sender concurrency and per-instance SES_RATE the formula gives for the default 14 per second', () => {
      const { concurrency, perInstanceRate } = senderConcurrency(14);
      expect({ concurrency, perInstanceRate }).toEqual({ concurrency: 2, perInstanceRate: 7 });
      template.hasResourceProperties('AWS::Lambda::Function', {
        ReservedConcurrentExecutions: concurrency,
        Environment: {
          Variables: Match.objectLike({
            SES_RATE: String(perInstanceRate),
            TABLE_NAME: ref(stack.data.table),
            MAIL_FROM: 'werkplekleren@example.org',
            SES_CONFIGURATION_SET: ref(stack.mail.configurationSet),
          }),
        },
      });
    });
  });

  describe('the alarms', () => {
    const deadLetterQueues = () => ({
      digest: stack.digest.deadLetterQueue,
      planner: stack.digest.plannerDeadLetterQueue,
      weeklySchedule: stack.digest.scheduleDeadLetterQueues.weekly,
      deadlineSchedule: stack.digest.scheduleDeadLetterQueues.deadline,
      sesEvents: stack.mail.eventsDeadLetterQueue,
      purge: stack.retention.deadLetterQueue,
      monthlySchedule: stack.retention.scheduleDeadLetterQueue,
    });

    it.each(['digest', 'planner', 'weeklySchedule', 'deadlineSchedule', 'sesEvents', 'purge', 'monthlySchedule'] as const)(
      'fire on the first message in the %s dead-letter queue',
      (name) => {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/SQS',
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Dimensions: [{ Name: 'QueueName', Value: getAtt(deadLetterQueues()[name], 'QueueName') }],
          ComparisonOperator: 'GreaterThanThreshold',
          Threshold: 0,
          AlarmActions: [ref(stack.alarms.topic)],
        });
      },
    );

    it('watch every dead-letter queue in the stack: of a queue, a function or a schedule', () => {
      type Arn = { 'Fn::GetAtt': [string, 'Arn'] };
      const redriveTargets = Object.values(template.findResources('AWS::SQS::Queue'))
        .map((queue) => (queue as { Properties: { RedrivePolicy?: { deadLetterTargetArn: Arn } } }).Properties.RedrivePolicy)
        .filter((policy) => policy !== undefined)
        .map((policy) => policy.deadLetterTargetArn);
      const lambdaTargets = Object.values(template.findResources('AWS::Lambda::Function'))
        .map((fn) => (fn as { Properties: { DeadLetterConfig?: { TargetArn: Arn } } }).Properties.DeadLetterConfig?.TargetArn)
        .filter((arn) => arn !== undefined);
      const scheduleTargets = Object.values(template.findResources('AWS::Scheduler::Schedule')).map(
        (schedule) => (schedule as { Properties: { Target: { DeadLetterConfig: { Arn: Arn } } } }).Properties.Target.DeadLetterConfig.Arn,
      );
      const queueIds = new Set([...redriveTargets, ...lambdaTargets, ...scheduleTargets].map((arn) => arn['Fn::GetAtt'][0]));
      expect([...queueIds].sort()).toEqual(Object.values(deadLetterQueues()).map((queue) => logicalId(queue)).sort());
      for (const queueId of queueIds) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
          AlarmActions: [ref(stack.alarms.topic)],
        });
      }
    });

    it.each(['http', 'planner', 'sender', 'sesEvents', 'purge'] as const)('fire on any error or throttle of the %s function', (name) => {
      const fn = { http: stack.http.fn, planner: stack.digest.planner, sender: stack.digest.sender, sesEvents: stack.mail.eventsFunction, purge: stack.retention.fn }[name];
      for (const metric of ['Errors', 'Throttles']) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/Lambda',
          MetricName: metric,
          Dimensions: [{ Name: 'FunctionName', Value: ref(fn) }],
          ComparisonOperator: 'GreaterThanThreshold',
          Threshold: 0,
          AlarmActions: [ref(stack.alarms.topic)],
        });
      }
    });

    it('fire when the SES bounce rate passes 5% or the complaint rate 0.1%', () => {
      for (const [metric, threshold] of [
        ['Reputation.BounceRate', 0.05],
        ['Reputation.ComplaintRate', 0.001],
      ] as const) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/SES',
          MetricName: metric,
          ComparisonOperator: 'GreaterThanThreshold',
          Threshold: threshold,
          AlarmActions: [ref(stack.alarms.topic)],
        });
      }
    });

    it('go to a KMS-encrypted, TLS-only topic that CloudWatch may use and that emails alarmEmail', () => {
      template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: getAtt(stack.alarms.key, 'Arn') });
      template.hasResourceProperties('AWS::KMS::Key', {
        EnableKeyRotation: true,
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] }),
          ]),
        },
      });
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [ref(stack.alarms.topic)],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            Match.objectLike({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish' }),
          ]),
        },
      });
      template.hasResourceProperties('AWS::SNS::Subscription', {
        TopicArn: ref(stack.alarms.topic),
        Protocol: 'email',
        Endpoint: 'ops@example.org',
      });
    });
  });

  describe('email', () => {
    it('publishes bounces and complaints of the configuration set to an encrypted, TLS-only topic', () => {
      template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
        ConfigurationSetName: ref(stack.mail.configurationSet),
        EventDestination: Match.objectLike({
          Enabled: true,
          MatchingEventTypes: ['bounce', 'complaint'],
          SnsDestination: { TopicARN: ref(stack.mail.events) },
        }),
      });
      template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.objectLike({ 'Fn::GetAtt': Match.arrayWith(['Arn']) }) });
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [ref(stack.mail.events)],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            Match.objectLike({ Effect: 'Allow', Principal: { Service: 'ses.amazonaws.com' }, Action: 'sns:Publish' }),
          ]),
        },
      });
    });

    it('delivers only over TLS and keeps reputation metrics', () => {
      template.hasResourceProperties('AWS::SES::ConfigurationSet', {
        DeliveryOptions: { TlsPolicy: 'REQUIRE' },
        ReputationOptions: { ReputationMetricsEnabled: true },
      });
    });

    it('hands the events to the ses-events function, which parks what it fails on', () => {
      template.hasResourceProperties('AWS::SNS::Subscription', {
        TopicArn: ref(stack.mail.events),
        Protocol: 'lambda',
        Endpoint: getAtt(stack.mail.eventsFunction, 'Arn'),
      });
      template.hasResourceProperties('AWS::Lambda::Function', {
        DeadLetterConfig: { TargetArn: getAtt(stack.mail.eventsDeadLetterQueue, 'Arn') },
        Environment: { Variables: Match.objectLike({ TABLE_NAME: ref(stack.data.table) }) },
      });
    });

    it('names the configuration set to every function that sends', () => {
      for (const fn of [stack.http.fn, stack.digest.planner, stack.digest.sender]) {
        const variables = (template.toJSON().Resources[logicalId(fn)] as { Properties: { Environment: { Variables: Record<string, unknown> } } })
          .Properties.Environment.Variables;
        expect(variables.SES_CONFIGURATION_SET).toEqual(ref(stack.mail.configurationSet));
      }
    });
  });

  describe('the retention purge', () => {
    it('runs the 1st of every month at 03:00 Amsterdam time, with a retry policy and a dead-letter queue', () => {
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'cron(0 3 1 * ? *)',
        ScheduleExpressionTimezone: 'Europe/Amsterdam',
        FlexibleTimeWindow: { Mode: 'OFF' },
        State: 'ENABLED',
        Target: Match.objectLike({
          Arn: getAtt(stack.retention.fn, 'Arn'),
          Input: Match.serializedJson({ at: '<aws.scheduler.scheduled-time>' }),
          RetryPolicy: { MaximumEventAgeInSeconds: 7200, MaximumRetryAttempts: 3 },
          DeadLetterConfig: { Arn: getAtt(stack.retention.scheduleDeadLetterQueue, 'Arn') },
          RoleArn: getAtt(stack.retention.schedulerRole, 'Arn'),
        }),
      });
    });

    it('is told the configured retention and where the data is, and parks failed runs', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Timeout: 900,
        DeadLetterConfig: { TargetArn: getAtt(stack.retention.deadLetterQueue, 'Arn') },
        Environment: {
          Variables: Match.objectLike({
            RETENTION_YEARS: '2',
            TABLE_NAME: ref(stack.data.table),
            BUCKET_NAME: ref(stack.data.bucket),
          }),
        },
      });
    });

    it('may only list and delete current attachment objects, and only query and batch-delete table items', () => {
      const statements = statementsOf(stack.retention.fn);
      const bucketArn = getAtt(stack.data.bucket, 'Arn');
      const s3 = statements.filter((statement) => asList(statement.Action).some((action) => action.startsWith('s3:')));
      expect(s3).toEqual([
        expect.objectContaining({ Action: 's3:ListBucket', Resource: bucketArn, Condition: { StringLike: { 's3:prefix': 'attachments/*' } } }),
        expect.objectContaining({ Action: 's3:DeleteObject', Resource: { 'Fn::Join': ['', [bucketArn, '/attachments/*']] } }),
      ]);
      // Not even reading an attachment, and no version deletes: a purged object stays recoverable 90 days.
      for (const forbidden of ['s3:GetObject', 's3:PutObject', 's3:DeleteObjectVersion', 's3:DeleteBucket', 's3:PutBucketPolicy', 's3:PutLifecycleConfiguration']) {
        expect(s3.some((statement) => allows(asList(statement.Action), forbidden)), forbidden).toBe(false);
      }
      const dynamo = statements.filter((statement) => asList(statement.Action).some((action) => action.startsWith('dynamodb:')));
      expect(dynamo.flatMap((statement) => asList(statement.Action)).sort()).toEqual(['dynamodb:BatchWriteItem', 'dynamodb:Query']);
    });

    it('its schedule role may only invoke the purge and write to its own dead-letter queue', () => {
      const statements = Object.values(
        template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: logicalId(stack.retention.schedulerRole) }] } }),
      ).flatMap((policy) => (policy as { Properties: { PolicyDocument: { Statement: PolicyStatement[] } } }).Properties.PolicyDocument.Statement);
      const fnArn = getAtt(stack.retention.fn, 'Arn');
      expect(statements).toEqual([
        expect.objectContaining({ Action: 'lambda:InvokeFunction', Resource: [fnArn, { 'Fn::Join': ['', [fnArn, ':*']] }] }),
        expect.objectContaining({ Action: 'sqs:SendMessage', Resource: getAtt(stack.retention.scheduleDeadLetterQueue, 'Arn') }),
      ]);
    });
  });

  describe("every function's permissions", () => {
    const functions = () => ({
      http: stack.http.fn,
      planner: stack.digest.planner,
      sender: stack.digest.sender,
      sesEvents: stack.mail.eventsFunction,
      purge: stack.retention.fn,
    });
    const names = ['http', 'planner', 'sender', 'sesEvents', 'purge'] as const;
    const withPrefix = (statements: PolicyStatement[], prefix: string) =>
      statements.filter((s) => asList(s.Action).some((a) => a.startsWith(prefix)));

    it.each(names)('%s: no wildcard action, no action on every resource', (name) => {
      const statements = statementsOf(functions()[name]);
      expect(statements.length).toBeGreaterThan(0);
      for (const statement of statements) {
        for (const action of asList(statement.Action)) {
          expect(action === '*' || action.endsWith(':*'), action).toBe(false);
        }
        expect(asList(statement.Resource)).not.toContain('*');
      }
    });

    it.each(names)('%s: DynamoDB actions only on the table and its indexes', (name) => {
      const tableArn = getAtt(stack.data.table, 'Arn');
      const indexArns = { 'Fn::Join': ['', [tableArn, '/index/*']] };
      const dynamo = withPrefix(statementsOf(functions()[name]), 'dynamodb:');
      expect(dynamo.length).toBeGreaterThan(0);
      for (const statement of dynamo) {
        expect(asList(statement.Action).every((a) => a.startsWith('dynamodb:'))).toBe(true);
        for (const resource of asList(statement.Resource)) expect([tableArn, indexArns]).toContainEqual(resource);
      }
    });

    it.each(names)('%s: SQS actions only on its own queues, and only what it does with them', (name) => {
      const digestQueue = getAtt(stack.digest.queue, 'Arn');
      const expected: Record<(typeof names)[number], [unknown, string[]][]> = {
        http: [],
        planner: [
          [digestQueue, ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage']],
          [getAtt(stack.digest.plannerDeadLetterQueue, 'Arn'), ['sqs:SendMessage']],
        ],
        sender: [
          [digestQueue, ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage']],
        ],
        sesEvents: [[getAtt(stack.mail.eventsDeadLetterQueue, 'Arn'), ['sqs:SendMessage']]],
        purge: [[getAtt(stack.retention.deadLetterQueue, 'Arn'), ['sqs:SendMessage']]],
      };
      const sqs = withPrefix(statementsOf(functions()[name]), 'sqs:');
      const granted = sqs.flatMap((statement) =>
        asList(statement.Resource).map((resource) => [resource, asList(statement.Action).sort()] as [unknown, string[]]),
      );
      expect(granted).toEqual(expect.arrayContaining(expected[name]));
      expect(granted).toHaveLength(expected[name].length);
    });

    it.each(names)('%s: SES actions only on the sender identities and the configuration set', (name) => {
      const ses = withPrefix(statementsOf(functions()[name]), 'ses:');
      if (name === 'sesEvents' || name === 'purge') {
        expect(ses).toEqual([]);
        return;
      }
      expect(ses).toHaveLength(1);
      expect(asList(ses[0]!.Action).sort()).toEqual(['ses:SendEmail', 'ses:SendRawEmail']);
      expect(ses[0]!.Condition).toEqual({ StringEquals: { 'ses:FromAddress': 'werkplekleren@example.org' } });
      const resources = asList(ses[0]!.Resource).map((resource) => JSON.stringify(resource));
      expect(resources).toHaveLength(3);
      for (const resource of resources) {
        expect(resource).toMatch(/:ses:",\{"Ref":"AWS::Region"\},":",\{"Ref":"AWS::AccountId"\},":(identity\/|configuration-set\/)/);
      }
    });

    it.each(names)('%s: Secrets Manager only for the link secret, and only where links are made', (name) => {
      const secrets = withPrefix(statementsOf(functions()[name]), 'secretsmanager:');
      if (name === 'http' || name === 'planner') {
        expect(secrets).toEqual([expect.objectContaining({ Action: 'secretsmanager:GetSecretValue', Resource: ref(stack.data.linkSecret) })]);
      } else {
        expect(secrets).toEqual([]);
      }
    });

    it('every function logs to its own log group, kept three months', () => {
      const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>;
      const fns = Object.entries(resources).filter(([, resource]) => resource.Type === 'AWS::Lambda::Function');
      expect(fns).toHaveLength(5);
      const groups = new Set<string>();
      for (const [id, fn] of fns) {
        const groupId = (fn.Properties.LoggingConfig as { LogGroup?: { Ref?: string } } | undefined)?.LogGroup?.Ref;
        expect(groupId, id).toBeDefined();
        expect(resources[groupId!], id).toMatchObject({ Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 90 } });
        groups.add(groupId!);
      }
      expect(groups.size).toBe(5);
    });

    it('no policy anywhere in the stack grants a wildcard action', () => {
      for (const [id, policy] of Object.entries(template.findResources('AWS::IAM::Policy'))) {
        const statements = (policy as { Properties: { PolicyDocument: { Statement: PolicyStatement[] } } }).Properties.PolicyDocument.Statement;
        for (const action of statements.flatMap((statement) => asList(statement.Action))) {
          expect(action === '*' || action.endsWith(':*'), `${id}: ${action}`).toBe(false);
        }
      }
    });
  });
});

describe('senderConcurrency', () => {
  it('keeps every instance together at or under the account rate, with 2 to 100 instances', () => {
    const wrong: string[] = [];
    for (let sesRate = 1; sesRate <= 10_000; sesRate++) {
      const { concurrency, perInstanceRate } = senderConcurrency(sesRate);
      // In thousandths, the unit SES_RATE is rounded down to, to compare without floating-point noise.
      const total = Math.round(perInstanceRate * 1000) * concurrency;
      if (concurrency < 2 || concurrency > 100 || perInstanceRate <= 0 || total > sesRate * 1000) {
        wrong.push(`${sesRate}/s: ${concurrency} × ${perInstanceRate}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('gives one instance per 7 sends per second', () => {
    expect(senderConcurrency(14)).toEqual({ concurrency: 2, perInstanceRate: 7 });
    expect(senderConcurrency(50)).toEqual({ concurrency: 7, perInstanceRate: 7.142 });
    expect(senderConcurrency(1)).toEqual({ concurrency: 2, perInstanceRate: 0.5 });
  });
});

describe('parseInfraConfig', () => {
  const valid = { publicOrigin: 'https://werkplekleren.example.nl', mailFrom: 'werkplekleren@example.nl' };

  it('accepts an https origin and a sender address, and splits admin emails', () => {
    const config = parseInfraConfig({ ...valid, adminEmails: 'a@example.nl, b@example.nl' });
    expect(config).toEqual({ ...valid, adminEmails: ['a@example.nl', 'b@example.nl'], sesRate: 14, retentionYears: 2 });
  });

  it('reads sesRate from a -c string and an alarm email', () => {
    expect(parseInfraConfig({ ...valid, sesRate: '50', alarmEmail: 'ops@example.nl' })).toMatchObject({ sesRate: 50, alarmEmail: 'ops@example.nl' });
  });

  it.each(['0', '-3', '1.5', 'veertien', 0])('rejects sesRate %j with a one-line message naming sesRate', (sesRate) => {
    const parse = () => parseInfraConfig({ ...valid, sesRate });
    expect(parse).toThrow(InfraConfigError);
    expect(parse).toThrow(new RegExp(`^Invalid CDK context: sesRate ${JSON.stringify(sesRate).replace(/[.]/g, '\\.')}: `));
    expect(parse).not.toThrow(/\n/);
  });

  it('reads retentionYears from a -c string', () => {
    expect(parseInfraConfig({ ...valid, retentionYears: '5' })).toMatchObject({ retentionYears: 5 });
    expect(parseInfraConfig({ ...valid, retentionYears: 1 })).toMatchObject({ retentionYears: 1 });
  });

  it.each(['-1', '0', '1.5', 'twee', '11', ''])('rejects retentionYears %j with a one-line message naming retentionYears', (retentionYears) => {
    const parse = () => parseInfraConfig({ ...valid, retentionYears });
    expect(parse).toThrow(InfraConfigError);
    expect(parse).toThrow(new RegExp(`^Invalid CDK context: retentionYears ${JSON.stringify(retentionYears).replace(/[.]/g, '\\.')}: must be a whole number of school years from 1 to 10`));
    expect(parse).not.toThrow(/\n/);
  });

  it('rejects an alarm email that is not an email address, naming alarmEmail', () => {
    expect(() => parseInfraConfig({ ...valid, alarmEmail: 'ops' })).toThrow(/alarmEmail "ops"/);
  });

  it('rejects an http origin with a one-line message naming publicOrigin', () => {
    const parse = () => parseInfraConfig({ ...valid, publicOrigin: 'http://werkplekleren.example.nl' });
    expect(parse).toThrow(InfraConfigError);
    expect(parse).toThrow(/publicOrigin "http:\/\/werkplekleren\.example\.nl"/);
    expect(parse).not.toThrow(/\n/);
  });

  it('rejects an origin with a path', () => {
    expect(() => parseInfraConfig({ ...valid, publicOrigin: 'https://example.nl/app' })).toThrow(/publicOrigin/);
  });

  it('rejects a sender that is not an email address, naming mailFrom', () => {
    expect(() => parseInfraConfig({ ...valid, mailFrom: 'werkplekleren' })).toThrow(/mailFrom "werkplekleren"/);
  });

  it('names a missing key', () => {
    expect(() => parseInfraConfig({ publicOrigin: valid.publicOrigin })).toThrow(/mailFrom \(not set\)/);
  });
});

describe('infra/app.ts with bad context', () => {
  it.each([
    [{ publicOrigin: 'http://werkplekleren.example.org', mailFrom: 'werkplekleren@example.org' }, 'publicOrigin "http://werkplekleren.example.org"'],
    [{ publicOrigin: 'https://werkplekleren.example.org', mailFrom: 'werkplekleren@example.org', retentionYears: '-1' }, 'retentionYears "-1"'],
  ])('prints one line naming the bad value, exits non-zero and writes no template (%j)', (context, named) => {
    const outdir = mkdtempSync(join(tmpdir(), 'werkplekleren-cdk-bad-'));
    try {
      // The CDK CLI hands `-c` values to the app through CDK_CONTEXT_JSON; do the same.
      const result = spawnSync(process.execPath, ['--import', 'tsx', 'infra/app.ts'], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify(context) },
      });
      expect(result.status).not.toBe(0);
      const stderr = result.stderr.trim();
      expect(stderr.split('\n')).toHaveLength(1);
      expect(stderr).toContain(named);
      expect(readdirSync(outdir).filter((file) => file.endsWith('.template.json'))).toEqual([]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
