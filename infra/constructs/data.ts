import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Properties of {@link Data}. */
export interface DataProps {
  /**
   * What happens to the table and the bucket when they leave the stack. They hold student data, so
   * the default keeps them; only a throw-away dev stage should pass `DESTROY`.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The stored data: the single DynamoDB table (generic keys `PK`/`SK`, overloaded indexes `GSI1`
 * and `GSI2`, TTL on `expiresAt`) and the private bucket for attachments. The key layout is the
 * one described in the README's data model; the local stack creates the same shape.
 */
export class Data extends Construct {
  /** The single table. CDK names it; functions learn the name through `TABLE_NAME`. */
  readonly table: TableV2;
  /** The attachments bucket. CDK names it; functions learn the name through `BUCKET_NAME`. */
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: DataProps = {}) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    // TableV2 (AWS::DynamoDB::GlobalTable) is the API CDK recommends for new tables: a replica in
    // another region can be added later without replacing the table and losing its data.
    this.table = new TableV2(this, 'Table', {
      partitionKey: { name: 'PK', type: AttributeType.STRING },
      sortKey: { name: 'SK', type: AttributeType.STRING },
      globalSecondaryIndexes: [
        {
          indexName: 'GSI1',
          partitionKey: { name: 'GSI1PK', type: AttributeType.STRING },
          sortKey: { name: 'GSI1SK', type: AttributeType.STRING },
        },
        {
          indexName: 'GSI2',
          partitionKey: { name: 'GSI2PK', type: AttributeType.STRING },
          sortKey: { name: 'GSI2SK', type: AttributeType.STRING },
        },
      ],
      // Traffic follows the school calendar (peaks around deadlines, idle in holidays).
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // Access links, sign-in tokens and sessions expire on their own.
      timeToLiveAttribute: 'expiresAt',
      encryption: TableEncryptionV2.awsManagedKey(),
      removalPolicy,
    });

    this.bucket = new Bucket(this, 'Attachments', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      // Versions protect a submitted attachment against an overwrite or a delete by mistake.
      versioned: true,
      lifecycleRules: [
        {
          id: 'tidy-up',
          // Uploads are presigned POSTs of small files; a dangling multipart upload is never wanted.
          abortIncompleteMultipartUploadAfter: Duration.days(7),
          // A replaced or deleted attachment stays recoverable for a teaching period, then goes.
          noncurrentVersionExpiration: Duration.days(90),
        },
      ],
      removalPolicy,
    });
  }
}
