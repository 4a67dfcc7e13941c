import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import {
  BackupPlan,
  BackupPlanRule,
  BackupResource,
  type BackupSelection,
  BackupVault,
} from 'aws-cdk-lib/aws-backup';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Schedule } from 'aws-cdk-lib/aws-events';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  ObjectOwnership,
  StorageClass,
} from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { AuditResources } from './constructs/audit.ts';
import {
  EXPORTS_PREFIX,
  QUARANTINE_PREFIX,
  REPORTS_PREFIX,
  UPLOADS_PREFIX,
} from './constructs/environment.ts';
import { MalwareProtection } from './constructs/malware-protection.ts';
import { FAILURE_RETENTION } from './constructs/queues.ts';
import { acknowledge } from './nag.ts';

/** Name of the TTL attribute of the plans table (epoch seconds; shared/adapters/dynamodb/auth-store.ts). */
export const TTL_ATTRIBUTE = 'expiresAtEpoch';

/**
 * Lifecycle of the reports bucket, in days, per prefix. No rule expires anything under
 * `reports/` (current or noncurrent): kept reports are locked by Object Lock and only move to
 * cheaper storage classes. Every noncurrent-version rule names its prefix.
 */
export const LIFECYCLE_DAYS = {
  /** Landing objects (`uploads/`): on-upload copies each on and deletes it within seconds. */
  uploads: {
    /** Anything on-upload never processed: as long as the upload failure queue keeps its event. */
    expiration: FAILURE_RETENTION.toDays(),
    /**
     * Versions left behind: on-upload deletes the exact version it copied, but an object replaced
     * at its landing key (a replayed POST) or expired by the rule above stays as a noncurrent one.
     */
    noncurrentVersions: 1,
    /** Browsers post single objects; a multipart upload here is abandoned. */
    incompleteMultipartUploads: 1,
  },
  /** Kept reports (`reports/`): read rarely once the period has closed (1–2 months after the deadline). */
  reports: {
    toInfrequentAccess: 90,
    /** Glacier Instant Retrieval still answers in milliseconds: the exporter reads it directly. */
    toGlacierInstantRetrieval: 365,
  },
  /** Refused, replayed and unknown uploads (`quarantine/`): a refused one was explained to the unit by e-mail. */
  quarantine: { expiration: 30, noncurrentVersions: 30 },
  /** Consolidated results (`exports/`): the committee downloads them; a new one is built on request. */
  exports: { expiration: 30, noncurrentVersions: 7 },
  /** Multipart uploads left unfinished anywhere else (an exporter that died mid-stream). */
  incompleteMultipartUploads: 7,
} as const;

/** Retention of the daily table backups (AWS Backup), in days. */
export const DAILY_BACKUP_RETENTION_DAYS = 35;
/** Monthly table backups move to cold storage after this many days. */
export const MONTHLY_BACKUP_COLD_AFTER_DAYS = 90;

/**
 * `years` in days, rounded up so that the period is never shorter than that many calendar
 * years, leap days included (10 years → 3,653 days). AWS Backup counts retention in days.
 */
export function yearsInDays(years: number): number {
  return Math.ceil(years * 365.25);
}

/** Properties of {@link StatefulStack}. */
export interface StatefulStackProps extends StackProps {
  /**
   * Years the monthly table backups are kept: the `reportRetentionYears` option, also the
   * Object Lock retention of each kept report.
   */
  readonly reportRetentionYears: number;
}

/**
 * Everything that holds data: the two DynamoDB tables and their AWS Backup plan and vault, the
 * reports bucket (and its access-log bucket) and the two secrets. Every resource that holds data
 * is RETAINed and protected against deletion, so the service stack can be destroyed and
 * redeployed freely. The service stack receives the
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
  /**
   * Landing uploads (`uploads/`), kept reports (`reports/`, Object Lock), quarantined uploads
   * (`quarantine/`) and exports (`exports/`).
   */
  readonly reportsBucket: Bucket;
  /** Receives the server access logs of {@link reportsBucket}. */
  readonly accessLogsBucket: Bucket;
  /** HMAC key that signs the units' upload links. */
  readonly linkKeySecret: Secret;
  /** Key that signs the committee's session cookies. */
  readonly sessionKeySecret: Secret;
  /** The audit log: its table, the digest signing key and the Object-Lock digest bucket. */
  readonly audit: AuditResources;
  /** GuardDuty Malware Protection for S3 on the kept reports (docs/malware-scanning.md). */
  readonly malwareProtection: MalwareProtection;
  /** Holds the AWS Backup recovery points of both tables; retained. */
  readonly backupVault: BackupVault;
  /** Daily and monthly backups of both tables. */
  readonly backupPlan: BackupPlan;
  readonly backupSelection: BackupSelection;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
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
      // Object Lock without a default retention: a default would lock uploads/, quarantine/ and
      // exports/ too. on-upload sets the retention on each kept copy under reports/ (CopyObject
      // ObjectLockMode / ObjectLockRetainUntilDate, REPORT_RETENTION_YEARS / REPORT_LOCK_MODE).
      objectLockEnabled: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'reports-bucket/',
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          id: 'ExpireUploads',
          prefix: UPLOADS_PREFIX,
          expiration: Duration.days(LIFECYCLE_DAYS.uploads.expiration),
          noncurrentVersionExpiration: Duration.days(LIFECYCLE_DAYS.uploads.noncurrentVersions),
          abortIncompleteMultipartUploadAfter: Duration.days(
            LIFECYCLE_DAYS.uploads.incompleteMultipartUploads,
          ),
        },
        {
          // Moves only: nothing under reports/ expires, neither current nor noncurrent.
          id: 'TransitionReports',
          prefix: REPORTS_PREFIX,
          transitions: [
            {
              storageClass: StorageClass.INFREQUENT_ACCESS,
              transitionAfter: Duration.days(LIFECYCLE_DAYS.reports.toInfrequentAccess),
            },
            {
              storageClass: StorageClass.GLACIER_INSTANT_RETRIEVAL,
              transitionAfter: Duration.days(LIFECYCLE_DAYS.reports.toGlacierInstantRetrieval),
            },
          ],
        },
        {
          id: 'ExpireQuarantine',
          prefix: QUARANTINE_PREFIX,
          expiration: Duration.days(LIFECYCLE_DAYS.quarantine.expiration),
          noncurrentVersionExpiration: Duration.days(LIFECYCLE_DAYS.quarantine.noncurrentVersions),
        },
        {
          id: 'ExpireExports',
          prefix: EXPORTS_PREFIX,
          expiration: Duration.days(LIFECYCLE_DAYS.exports.expiration),
          noncurrentVersionExpiration: Duration.days(LIFECYCLE_DAYS.exports.noncurrentVersions),
        },
        {
          // Deletes no object, only parts of multipart uploads never completed.
          id: 'AbortIncompleteMultipartUploads',
          abortIncompleteMultipartUploadAfter: Duration.days(LIFECYCLE_DAYS.incompleteMultipartUploads),
        },
      ],
    });

    // GuardDuty Malware Protection for S3 on the kept reports, and the deny of reading one that
    // GuardDuty has not found clean (docs/malware-scanning.md).
    this.malwareProtection = new MalwareProtection(this, 'MalwareProtection', { bucket: this.reportsBucket });

    this.audit = new AuditResources(this, 'Audit', {
      retentionYears: props.reportRetentionYears,
      accessLogsBucket: this.accessLogsBucket,
    });
    const backups = this.createTableBackups(props.reportRetentionYears);
    this.backupVault = backups.vault;
    this.backupPlan = backups.plan;
    this.backupSelection = backups.selection;

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
    // Restores from AWS Backup start from this vault's recovery points (docs/infra.md).
    new CfnOutput(this, 'BackupVaultName', { value: this.backupVault.backupVaultName });
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

  /**
   * AWS Backup of both tables, on top of their 35 days of point-in-time recovery: a daily backup
   * kept {@link DAILY_BACKUP_RETENTION_DAYS} days and a monthly one kept `retentionYears` years
   * (cold storage after {@link MONTHLY_BACKUP_COLD_AFTER_DAYS} days once the account has turned on
   * AWS Backup's advanced DynamoDB features; without them AWS Backup ignores the transition). The
   * vault is retained, encrypted with the AWS-managed key (this stack has no KMS key of its own),
   * and refuses every request to delete a recovery point or shorten its lifecycle.
   */
  private createTableBackups(retentionYears: number): {
    vault: BackupVault;
    plan: BackupPlan;
    selection: BackupSelection;
  } {
    const vault = new BackupVault(this, 'BackupVault', {
      removalPolicy: RemovalPolicy.RETAIN,
      // Deny backup:DeleteRecoveryPoint and backup:UpdateRecoveryPointLifecycle to everyone;
      // AWS Backup's own lifecycle still deletes recovery points when they are due.
      blockRecoveryPointDeletion: true,
    });
    const plan = new BackupPlan(this, 'BackupPlan', {
      backupVault: vault,
      backupPlanRules: [
        new BackupPlanRule({
          ruleName: 'Daily',
          // 19:00 UTC is 02:00 in Asia/Ho_Chi_Minh.
          scheduleExpression: Schedule.cron({ minute: '0', hour: '19' }),
          deleteAfter: Duration.days(DAILY_BACKUP_RETENTION_DAYS),
        }),
        new BackupPlanRule({
          ruleName: 'Monthly',
          scheduleExpression: Schedule.cron({ minute: '0', hour: '19', day: '1' }),
          moveToColdStorageAfter: Duration.days(MONTHLY_BACKUP_COLD_AFTER_DAYS),
          deleteAfter: Duration.days(yearsInDays(retentionYears)),
        }),
      ],
    });
    const selection = plan.addSelection('Tables', {
      resources: [
        BackupResource.fromDynamoDbTable(this.plansTable),
        BackupResource.fromDynamoDbTable(this.submissionsTable),
      ],
    });
    acknowledge(
      selection.node.findChild('Role'),
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
      "The role AWS Backup assumes to back up the two tables: AWS's managed AWSBackupServiceRolePolicyForBackup is the policy AWS documents for backup jobs and keeps current as the service changes (advanced DynamoDB backups, vault encryption). Only backup.amazonaws.com may assume the role, and this selection names the two tables only.",
    );
    return { vault, plan, selection };
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
