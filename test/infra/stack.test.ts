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
import { InfraConfigError, parseInfraConfig } from '#infra/config.ts';
import { WerkpleklerenStack } from '#infra/werkplekleren-stack.ts';
import { tableDefinition, TTL_ATTRIBUTE } from '#shared/store/table.ts';

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

describe('WerkpleklerenStack', () => {
  let outdir: string;
  let stack: WerkpleklerenStack;
  let template: Template;
  let logicalId: (construct: IConstruct) => string;

  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'werkplekleren-cdk-'));
    const app = new App({ outdir, context: cdkContext });
    const config = parseInfraConfig({ ...cdkContext, mailReplyTo: 'io@example.org' });
    stack = new WerkpleklerenStack(app, 'Test', { config });
    // Synthesises once, bundling the HTTP handler with the local esbuild.
    template = Template.fromStack(stack);
    logicalId = (construct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
    // The first synthesis in a process also loads CDK's built-in CloudFormation validation (~5 s).
  }, 60_000);

  afterAll(() => {
    rmSync(outdir, { recursive: true, force: true });
  });

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

    it('is retained when it leaves the stack', () => {
      template.hasResource('AWS::DynamoDB::GlobalTable', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
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

  describe('the HTTP function', () => {
    it('runs on nodejs22.x on arm64 with source maps enabled', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        Environment: { Variables: Match.objectLike({ NODE_OPTIONS: '--enable-source-maps' }) },
      });
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

    it('is reachable through a function URL that leaves auth to the app', () => {
      template.hasResourceProperties('AWS::Lambda::Url', {
        AuthType: 'NONE',
        InvokeMode: 'BUFFERED',
        TargetFunctionArn: { 'Fn::GetAtt': [logicalId(stack.http.fn), 'Arn'] },
      });
    });

    it('outputs the URL, the table name and the bucket name', () => {
      template.hasOutput('FunctionUrl', { Value: { 'Fn::GetAtt': [logicalId(stack.http.url), 'FunctionUrl'] } });
      template.hasOutput('TableName', { Value: { Ref: logicalId(stack.data.table) } });
      template.hasOutput('BucketName', { Value: { Ref: logicalId(stack.data.bucket) } });
    });
  });

  describe("the HTTP function's permissions", () => {
    /** Every statement of every inline policy attached to the function's role. */
    function functionStatements(): PolicyStatement[] {
      const roleId = logicalId(stack.http.fn.role!);
      const policies = template.findResources('AWS::IAM::Policy', {
        Properties: { Roles: Match.arrayWith([{ Ref: roleId }]) },
      });
      type Policy = { Properties: { PolicyDocument: { Statement: PolicyStatement[] } } };
      return Object.values(policies as Record<string, Policy>).flatMap(
        (policy) => policy.Properties.PolicyDocument.Statement,
      );
    }

    it('grant no wildcard action and no action on every resource', () => {
      const statements = functionStatements();
      expect(statements.length).toBeGreaterThan(0);
      for (const statement of statements) {
        for (const action of asList(statement.Action)) {
          expect(['*', 'dynamodb:*', 's3:*', 'ses:*']).not.toContain(action);
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

    it('grant S3 actions only on the attachments bucket, without deletes', () => {
      const bucketArn = { 'Fn::GetAtt': [logicalId(stack.data.bucket), 'Arn'] };
      const objectArns = { 'Fn::Join': ['', [bucketArn, '/*']] };
      const s3 = functionStatements().filter((s) => asList(s.Action).some((a) => a.startsWith('s3:')));
      const actions = s3.flatMap((s) => asList(s.Action));
      expect(actions).toEqual(expect.arrayContaining(['s3:GetObject*', 's3:PutObject']));
      expect(actions.filter((a) => a.startsWith('s3:Delete'))).toEqual([]);
      for (const resource of s3.flatMap((s) => asList(s.Resource))) {
        expect([bucketArn, objectArns]).toContainEqual(resource);
      }
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
      expect(resources).toContain('AWS::AccountId');
    });
  });
});

describe('parseInfraConfig', () => {
  const valid = { publicOrigin: 'https://werkplekleren.example.nl', mailFrom: 'werkplekleren@example.nl' };

  it('accepts an https origin and a sender address, and splits admin emails', () => {
    const config = parseInfraConfig({ ...valid, adminEmails: 'a@example.nl, b@example.nl' });
    expect(config).toEqual({ ...valid, adminEmails: ['a@example.nl', 'b@example.nl'] });
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
  it('prints one line naming the bad value, exits non-zero and writes no template', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'werkplekleren-cdk-bad-'));
    try {
      // The CDK CLI hands `-c` values to the app through CDK_CONTEXT_JSON; do the same.
      const result = spawnSync(process.execPath, ['--import', 'tsx', 'infra/app.ts'], {
        cwd: root,
        encoding: 'utf8',
        env: {
          ...process.env,
          CDK_OUTDIR: outdir,
          CDK_CONTEXT_JSON: JSON.stringify({
            publicOrigin: 'http://werkplekleren.example.org',
            mailFrom: 'werkplekleren@example.org',
          }),
        },
      });
      expect(result.status).not.toBe(0);
      const stderr = result.stderr.trim();
      expect(stderr.split('\n')).toHaveLength(1);
      expect(stderr).toContain('publicOrigin "http://werkplekleren.example.org"');
      expect(readdirSync(outdir).filter((file) => file.endsWith('.template.json'))).toEqual([]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
