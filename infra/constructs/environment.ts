import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';

/** Key prefix of uploaded reports: the only prefix whose ObjectCreated events reach on-upload. */
export const REPORTS_PREFIX = 'reports/';
/** Key prefix of refused uploads (copied here by on-upload, expired by the bucket's lifecycle). */
export const QUARANTINE_PREFIX = 'quarantine/';
/** Key prefix of the consolidated results (written by the exporter, expired by the lifecycle). */
export const EXPORTS_PREFIX = 'exports/';

/**
 * Largest file a unit may upload (`MAX_UPLOAD_BYTES`): 25 MiB, shared/config.ts's default, set
 * explicitly so that the public function (the POST policy's `content-length-range`) and the
 * on-upload function (the re-check) can never disagree.
 */
export const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;

/** The data stores the capabilities work on: the public properties of the stateful stack. */
export interface StatefulResources {
  readonly plansTable: ITable;
  readonly submissionsTable: ITable;
  readonly reportsBucket: IBucket;
  readonly linkKeySecret: ISecret;
  readonly sessionKeySecret: ISecret;
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
