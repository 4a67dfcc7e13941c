import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ReportLockMode } from '../config.ts';
import type { AuditResources } from './audit.ts';

/**
 * Landing prefix of uploads: browsers POST `uploads/<plan>/<year>/<unit>/<id>` (presigned), and
 * it is the only prefix whose ObjectCreated events reach on-upload. on-upload moves each object
 * on (to {@link REPORTS_PREFIX} or {@link QUARANTINE_PREFIX}); the lifecycle removes leftovers.
 */
export const UPLOADS_PREFIX = 'uploads/';
/**
 * Kept reports: `reports/<plan>/<year>/<unit>/<id>`, each a copy made by on-upload with its own
 * Object Lock retention. Never expired by the lifecycle, only moved to cheaper storage classes.
 */
export const REPORTS_PREFIX = 'reports/';
/** Key prefix of refused and replayed uploads (copied here by on-upload, expired by the lifecycle). */
export const QUARANTINE_PREFIX = 'quarantine/';
/** Key prefix of the consolidated results (written by the exporter, expired by the lifecycle). */
export const EXPORTS_PREFIX = 'exports/';

/**
 * Largest file a unit may upload (`MAX_UPLOAD_BYTES`): 25 MiB, shared/config.ts's default, set
 * explicitly so that the public function (the POST policy's `content-length-range`) and the
 * on-upload function (the re-check) can never disagree.
 */
export const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;

/** How the kept reports are locked (the `reportRetentionYears` and `reportLockMode` options). */
export interface ReportRetention {
  /** Whole years from the recording, 1..100. */
  readonly years: number;
  readonly mode: ReportLockMode;
}

/**
 * `REPORT_RETENTION_YEARS` and `REPORT_LOCK_MODE` (shared/config.ts): the retention on-upload
 * sets on each kept copy (CopyObject `ObjectLockMode` and `ObjectLockRetainUntilDate`).
 */
export function reportRetentionEnvironment(retention: ReportRetention): Record<string, string> {
  return {
    REPORT_RETENTION_YEARS: String(retention.years),
    REPORT_LOCK_MODE: retention.mode,
  };
}

/** The data stores the capabilities work on: the public properties of the stateful stack. */
export interface StatefulResources {
  readonly plansTable: ITable;
  readonly submissionsTable: ITable;
  readonly reportsBucket: IBucket;
  readonly linkKeySecret: ISecret;
  readonly sessionKeySecret: ISecret;
  /** The audit log's table, digest key and digest bucket (./audit.ts). */
  readonly audit: AuditResources;
}

/**
 * The three resource names shared/config.ts requires of every process (its schema refuses to
 * start without them), also where a function never touches one of them: a name is not a
 * permission; grants are made separately, per function.
 */
export function resourceNames(stateful: StatefulResources): Record<string, string> {
  return {
    PLANS_TABLE: stateful.plansTable.tableName,
    SUBMISSIONS_TABLE: stateful.submissionsTable.tableName,
    REPORTS_BUCKET: stateful.reportsBucket.bucketName,
  };
}
