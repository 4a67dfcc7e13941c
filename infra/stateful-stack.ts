import { Aws, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  HttpMethods,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';

/** Properties of {@link StatefulStack}. */
export interface StatefulStackProps extends StackProps {
  /**
   * Origin the app is served from, allowed by the reports bucket's CORS rule so that browsers
   * can send their presigned POST uploads. When absent, any HTTP API origin of the stack's
   * region is allowed: the API URL lives in the service stack, and naming it here would make
   * the two stacks depend on each other.
   */
  readonly appOrigin?: string;
}

/**
 * Everything that holds data: the two DynamoDB tables, the reports bucket (and its access-log
 * bucket) and the two secrets. Every resource is RETAINed and protected against deletion, so the
 * service stack can be destroyed and redeployed freely. The service stack receives the
 * resources through the public properties below.
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

    this.plansTable = this.createTable('PlansTable');
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
    Validations.of(this.accessLogsBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket is the destination of the reports bucket access logs; logging it into itself would loop and another log bucket would only move the finding.',
    });

    this.reportsBucket = new Bucket(this, 'ReportsBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'reports-bucket/',
      removalPolicy: RemovalPolicy.RETAIN,
      cors: [
        {
          // Units upload straight from the browser with a presigned POST.
          allowedMethods: [HttpMethods.POST],
          allowedOrigins: [props.appOrigin ?? `https://*.execute-api.${Aws.REGION}.amazonaws.com`],
          allowedHeaders: ['*'],
          exposedHeaders: ['ETag'],
          maxAge: 3000,
        },
      ],
      lifecycleRules: [
        { id: 'ExpireQuarantine', prefix: 'quarantine/', expiration: Duration.days(30) },
        { id: 'ExpireExports', prefix: 'exports/', expiration: Duration.days(30) },
        {
          id: 'ExpireNoncurrentVersions',
          noncurrentVersionExpiration: Duration.days(90),
          expiredObjectDeleteMarker: true,
        },
        { id: 'AbortIncompleteMultipartUploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
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
  }

  private createTable(id: string): Table {
    return new Table(this, id, {
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
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating the signing key would invalidate every link or session already issued (links are e-mailed once per period and must stay valid until it closes); rotation is a documented manual procedure (docs/infra.md).',
    });
    return secret;
  }
}
