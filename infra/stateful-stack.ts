import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { acknowledge } from './nag.ts';

/** Name of the TTL attribute of the plans table (epoch seconds; shared/adapters/dynamodb/auth-store.ts). */
export const TTL_ATTRIBUTE = 'expiresAtEpoch';

/** Lifecycle of the reports bucket, in days. */
export const LIFECYCLE_DAYS = {
  /** Refused uploads under quarantine/ (the unit was told why by e-mail). */
  quarantine: 30,
  /** Consolidated results under exports/ (the committee downloads them; a new one is built on request). */
  exports: 30,
  /** Replaced or deleted versions (a refused upload's original under reports/, mostly). */
  noncurrentVersions: 90,
  /** Multipart uploads left unfinished (an exporter that died mid-stream). */
  incompleteMultipartUploads: 7,
} as const;

/** Properties of {@link StatefulStack}. */
export type StatefulStackProps = StackProps;

/**
 * Everything that holds data: the two DynamoDB tables, the reports bucket (and its access-log
 * bucket) and the two secrets. Every resource is RETAINed and protected against deletion, so the
 * service stack can be destroyed and redeployed freely. The service stack receives the
 * resources through the public properties below.
 *
 * The reports bucket declares no CORS rule and no event notification: both name resources of
 * the service stack (the app's origin, the on-upload function), which sets them with SDK calls
 * (infra/constructs/uploads.ts). Declaring them here too would make each deploy of this stack
 * undo the other's setting.
 *
 * The tables are `Table` (AWS::DynamoDB::Table), not `TableV2`: cdk-nag's DDB3 rule checks
 * point-in-time recovery on AWS::DynamoDB::Table only, and this app needs no global replicas.
 */
export class StatefulStack extends Stack {
  /** Plans, units and periods (see docs/data-model.md). */
  readonly plansTable: Table;
  /** Assignments, submission versions, and later upload, mail and export records. */
  readonly submissionsTable: Table;
  /** Uploaded reports (`reports/`), quarantined uploads (`quarantine/`) and exports (`exports/`). */
  readonly reportsBucket: Bucket;
  /** Receives the server access logs of {@link reportsBucket}. */
  readonly accessLogsBucket: Bucket;
  /** HMAC key that signs the units' upload links. */
  readonly linkKeySecret: Secret;
  /** Key that signs the committee's session cookies. */
  readonly sessionKeySecret: Secret;

  constructor(scope: Construct, id: string, props: StatefulStackProps = {}) {
    super(scope, id, props);

    // Sign-in links, sessions and rate counters carry expiresAtEpoch; DynamoDB deletes them.
    this.plansTable = this.createTable('PlansTable', TTL_ATTRIBUTE);
    this.submissionsTable = this.createTable('SubmissionsTable');

    this.accessLogsBucket = new Bucket(this, 'AccessLogsBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      // Server access logs can only be delivered to a bucket with S3-managed encryption.
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ id: 'ExpireAccessLogs', expiration: Duration.days(365) }],
    });
    acknowledge(
      this.accessLogsBucket,
      'AwsSolutions-S1',
      'This bucket is the destination of the reports bucket access logs; logging it into itself would loop and another log bucket would only move the finding.',
    );

    this.reportsBucket = new Bucket(this, 'ReportsBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'reports-bucket/',
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          id: 'ExpireQuarantine',
          prefix: 'quarantine/',
          expiration: Duration.days(LIFECYCLE_DAYS.quarantine),
        },
        { id: 'ExpireExports', prefix: 'exports/', expiration: Duration.days(LIFECYCLE_DAYS.exports) },
        {
          id: 'ExpireNoncurrentVersions',
          noncurrentVersionExpiration: Duration.days(LIFECYCLE_DAYS.noncurrentVersions),
          expiredObjectDeleteMarker: true,
        },
        {
          id: 'AbortIncompleteMultipartUploads',
          abortIncompleteMultipartUploadAfter: Duration.days(LIFECYCLE_DAYS.incompleteMultipartUploads),
        },
      ],
    });

    this.linkKeySecret = this.createKeySecret(
      'LinkKeySecret',
      'HMAC key that signs the upload links e-mailed to units',
    );
    this.sessionKeySecret = this.createKeySecret(
      'SessionKeySecret',
      "Key that signs the committee's session cookies",
    );

    // Names an operator needs for the first import (README, "Deploy to AWS") and after a teardown.
    new CfnOutput(this, 'PlansTableName', { value: this.plansTable.tableName });
    new CfnOutput(this, 'SubmissionsTableName', { value: this.submissionsTable.tableName });
    new CfnOutput(this, 'ReportsBucketName', { value: this.reportsBucket.bucketName });
  }

  private createTable(id: string, timeToLiveAttribute?: string): Table {
    return new Table(this, id, {
      timeToLiveAttribute,
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      encryption: TableEncryption.AWS_MANAGED,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  private createKeySecret(id: string, description: string): Secret {
    const secret = new Secret(this, id, {
      description: `baocao ${this.stackName}: ${description}`,
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      secret,
      'AwsSolutions-SMG4',
      'Rotating the signing key would invalidate every link or session already issued (links are e-mailed once per period and must stay valid until it closes); rotation is a documented manual procedure (docs/infra.md).',
    );
    return secret;
  }
}
