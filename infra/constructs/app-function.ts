import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { LAMBDA_BUNDLING, lambdaAliasArgs, lambdaFileCommands, lambdaSplitEsbuildCommand } from '../bundling.ts';

/** The repository root: entries and the lock file are found from here, whatever the cwd. */
const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

/** The local esbuild, which NodejsFunction runs too (never Docker). */
const esbuildBin = join(projectRoot, 'node_modules', '.bin', 'esbuild');

/**
 * Lets CommonJS dependencies that call `require()` (of Node built-ins) run inside the ESM bundle
 * (defined, with the other esbuild settings, in infra/bundling.ts).
 */
const requireShim = LAMBDA_BUNDLING.banner;

/** Properties of {@link AppFunction}. */
export interface AppFunctionProps {
  /** The handler module, relative to the repository root, e.g. `functions/http/handler.ts`. */
  readonly entry: string;
  /**
   * The exported handler function.
   *
   * @default 'handler' (every Lambda in this project exports `handler`)
   */
  readonly handler?: string;
  /** What the function is for, shown in the console. */
  readonly description?: string;
  /**
   * Memory in MB; CPU scales with it, and 1024 keeps cold starts of the bundled SDK short.
   *
   * @default 1024
   */
  readonly memorySize?: number;
  /** @default Duration.seconds(30) */
  readonly timeout?: Duration;
  /** Extra environment variables. Table and bucket names come from {@link bindTable} and {@link bindBucket}. */
  readonly environment?: Record<string, string>;
  /**
   * How long the function's logs are kept. They may contain email addresses, so not forever.
   *
   * @default RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: RetentionDays;
  /**
   * Caps concurrency, e.g. to stay under the SES sending rate.
   *
   * @default - no reservation
   */
  readonly reservedConcurrentExecutions?: number;
  /**
   * Where an asynchronous invocation (a schedule, an SNS message) goes when every attempt failed,
   * instead of being dropped after Lambda's retries.
   *
   * @default - none (synchronous and queue-driven functions do not need one)
   */
  readonly deadLetterQueue?: IQueue;
  /**
   * How often Lambda retries a failed asynchronous invocation (0 to 2).
   *
   * @default 2
   */
  readonly retryAttempts?: number;
  /**
   * How long an asynchronous invocation may wait in Lambda's internal queue before it is given up.
   *
   * @default Duration.hours(6)
   */
  readonly maxEventAge?: Duration;
  /**
   * Bundle with code splitting (infra/bundling.ts, `LAMBDA_SPLITTING`): an `index.mjs` entry and
   * its chunks, so that what a request does not use (the SDK's credential providers, modules
   * behind an `import()`) is not loaded at cold start. NodejsFunction always builds one file
   * (`--outfile`), so an `afterBundling` hook builds again, split, over it.
   *
   * @default false
   */
  readonly splitting?: boolean;
}

/**
 * A Node.js Lambda function with this project's defaults, set in one place (after Powertools'
 * `FunctionWithLogGroup`): nodejs22.x on arm64, an explicit log group with retention, and an ESM
 * bundle built by the local esbuild (never Docker) with source maps.
 *
 * The AWS SDK is bundled rather than taken from the runtime: the code then runs with the SDK
 * versions pinned in package-lock.json, the same ones the tests ran against, instead of whatever
 * version the Lambda runtime ships that month. Tree-shaking and minifying keep the cost small.
 *
 * X-Ray tracing is off: the code has no X-Ray instrumentation, so active tracing would only show
 * the invocation segment that Lambda's own metrics already give, and it needs an `xray:*` grant
 * on `Resource: "*"`.
 */
export class AppFunction extends NodejsFunction {
  /** The function's log group, created here so its retention and removal are in the template. */
  readonly logs: LogGroup;

  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    // Created before the function (in the same scope) because `super` must come first.
    const logs = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention ?? RetentionDays.THREE_MONTHS,
    });
    const entry = join(projectRoot, props.entry);
    // The files it reads beside its bundle (infra/bundling.ts, LAMBDA_FILES): `functions/<name>/handler.ts`.
    const files = (outputDir: string) => lambdaFileCommands(props.entry.split('/').at(-2) ?? '', outputDir);
    super(scope, id, {
      entry,
      handler: props.handler ?? 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.seconds(30),
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      deadLetterQueue: props.deadLetterQueue,
      retryAttempts: props.retryAttempts,
      maxEventAge: props.maxEventAge,
      tracing: Tracing.DISABLED,
      logGroup: logs,
      projectRoot,
      depsLockFilePath: join(projectRoot, 'package-lock.json'),
      environment: {
        // Stack traces point at the TypeScript sources instead of the minified bundle.
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      // The esbuild settings come from infra/bundling.ts, which the bundle size budgets
      // (test/infra/bundles.test.ts) and `npm run bench` build with too.
      bundling: {
        format: LAMBDA_BUNDLING.format === 'esm' ? OutputFormat.ESM : OutputFormat.CJS,
        target: LAMBDA_BUNDLING.target,
        minify: LAMBDA_BUNDLING.minify,
        sourceMap: LAMBDA_BUNDLING.sourceMap,
        sourceMapMode: SourceMapMode.DEFAULT,
        // Mappings are enough for stack traces; embedding the sources would double the asset.
        sourcesContent: LAMBDA_BUNDLING.sourcesContent,
        mainFields: [...LAMBDA_BUNDLING.mainFields],
        banner: requireShim,
        bundleAwsSDK: true,
        externalModules: [...LAMBDA_BUNDLING.externalModules],
        esbuildArgs: { '--alias': lambdaAliasArgs() },
        forceDockerBundling: false,
        ...(props.splitting || files('').length > 0
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                // Replaces the one-file index.mjs (and its map) with the split build's entry and chunks; copies the files it reads.
                afterBundling: (_inputDir: string, outputDir: string) => [
                  ...(props.splitting ? [lambdaSplitEsbuildCommand(esbuildBin, entry, outputDir)] : []),
                  ...files(outputDir),
                ],
              },
            }
          : {}),
      },
    });
    this.logs = logs;
  }
}

/**
 * How much of the table a function may touch. `queryDelete` is only Query (table and indexes) and
 * BatchWriteItem, for a function that finds items and deletes them (the retention purge).
 */
export type TableAccess = 'read' | 'readWrite' | 'queryDelete';

/**
 * Grants a function access to a table and tells it the table's name, in one call, so the IAM
 * grant and the `TABLE_NAME` variable cannot drift apart. Grants cover the table's indexes too.
 */
export function bindTable(fn: LambdaFunction, table: ITable, access: TableAccess, envName = 'TABLE_NAME'): void {
  if (access === 'read') table.grantReadData(fn);
  else if (access === 'readWrite') table.grantReadWriteData(fn);
  else table.grant(fn, 'dynamodb:Query', 'dynamodb:BatchWriteItem');
  fn.addEnvironment(envName, table.tableName);
}

/**
 * How much of the bucket a function may touch. `readPut` adds uploads (and presigning them) but
 * no deletes; `readWrite` also deletes objects (and their versions); `listDelete` may only list
 * the keys under a prefix and delete the current objects there (no reads, no uploads, no version
 * deletes, so the bucket's versions keep a deleted object recoverable). None of them allows
 * changing the bucket itself, its policy or object ACLs.
 */
export type BucketAccess = 'read' | 'readPut' | 'readWrite' | { listDelete: string };

/**
 * Grants a function access to a bucket and tells it the bucket's name, in one call, so the IAM
 * grant and the `BUCKET_NAME` variable cannot drift apart.
 */
export function bindBucket(fn: LambdaFunction, bucket: IBucket, access: BucketAccess, envName = 'BUCKET_NAME'): void {
  if (typeof access === 'object') {
    const prefix = access.listDelete;
    fn.addToRolePolicy(
      new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn], conditions: { StringLike: { 's3:prefix': `${prefix}*` } } }),
    );
    fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:DeleteObject'], resources: [bucket.arnForObjects(`${prefix}*`)] }));
  } else {
    switch (access) {
      case 'read':
        bucket.grantRead(fn);
        break;
      case 'readPut':
        bucket.grantRead(fn);
        bucket.grantPut(fn);
        break;
      case 'readWrite':
        // Not grantReadWrite(): read, put and delete is all a function here needs.
        bucket.grantRead(fn);
        bucket.grantPut(fn);
        bucket.grantDelete(fn);
        break;
    }
  }
  fn.addEnvironment(envName, bucket.bucketName);
}

/**
 * Lets a function read one secret's value and tells it the secret's ARN (never the value), in one
 * call. Only `secretsmanager:GetSecretValue`, on that secret only (not `grantRead`, which adds
 * DescribeSecret). The secret is encrypted with the AWS-managed key, which needs no KMS grant.
 */
export function bindSecret(fn: LambdaFunction, secret: ISecret, envName: string): void {
  fn.addToRolePolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }));
  fn.addEnvironment(envName, secret.secretArn);
}

/**
 * How a function uses a queue: `send` enqueues (SendMessage, also used by SendMessageBatch);
 * `consume` receives, changes visibility and deletes, as an event source mapping does.
 */
export type QueueAccess = 'send' | 'consume';

/**
 * Grants a function access to a queue and tells it the queue's URL, in one call, so the IAM grant
 * and the variable cannot drift apart. Only the queue's own ARN; no purge, no attribute changes.
 */
export function bindQueue(fn: LambdaFunction, queue: IQueue, access: QueueAccess, envName: string): void {
  if (access === 'send') queue.grantSendMessages(fn);
  else queue.grantConsumeMessages(fn);
  fn.addEnvironment(envName, queue.queueUrl);
}
