import { CfnOutput, Stack } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { InfraConfig } from './config.ts';
import { Data } from './constructs/data.ts';
import { HttpFunction } from './constructs/http-function.ts';

/** Properties of {@link WerkpleklerenStack}. */
export interface WerkpleklerenStackProps extends StackProps {
  /** The validated deploy-time configuration (see `infra/config.ts`). */
  readonly config: InfraConfig;
}

/**
 * The whole service in one stack: the stored data and the HTTP function. Constructs own the
 * resources; this class only wires them together and names the outputs a deployer needs.
 */
export class WerkpleklerenStack extends Stack {
  /** The table and the attachments bucket. */
  readonly data: Data;
  /** The web app behind its function URL. */
  readonly http: HttpFunction;

  constructor(scope: Construct, id: string, props: WerkpleklerenStackProps) {
    super(scope, id, props);

    this.data = new Data(this, 'Data', { appOrigin: props.config.publicOrigin });
    this.http = new HttpFunction(this, 'Http', {
      config: props.config,
      table: this.data.table,
      bucket: this.data.bucket,
      linkSecret: this.data.linkSecret,
    });

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
  }
}
