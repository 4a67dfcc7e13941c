import { DynamoPlanStore } from '#shared/adapters/dynamodb/plan-store.ts';
import { DynamoRecordingStore } from '#shared/adapters/dynamodb/recording-store.ts';
import { S3ReportObjects } from '#shared/adapters/s3/report-objects.ts';
import { reportsLocation } from '#shared/adapters/s3/s3-signing.ts';
import { logger } from '#shared/powertools.ts';
import type { RecordingDeps } from '#shared/recording/record-upload.ts';
import { createAuditLog } from './create-audit-deps.ts';
import type { Runtime } from './runtime.ts';

/**
 * The on-upload function's collaborators: the submissions and plans tables, the reports bucket
 * (real or emulated) and the runtime's mail queue (SQS on AWS, the in-process queue locally).
 */
export function createRecordingDeps(runtime: Runtime, overrides: Partial<RecordingDeps> = {}): RecordingDeps {
  const { config, dynamo: client } = runtime;
  const clock = overrides.clock ?? runtime.clock;
  return {
    store: new DynamoRecordingStore(client, config.SUBMISSIONS_TABLE),
    objects: new S3ReportObjects(reportsLocation(config), clock),
    mail: runtime.mailQueue,
    plans: new DynamoPlanStore(client, config.PLANS_TABLE),
    clock,
    settings: { committeeName: config.COMMITTEE_NAME, timeZone: config.TIME_ZONE },
    maxUploadBytes: config.MAX_UPLOAD_BYTES,
    bucket: config.REPORTS_BUCKET,
    retention: { mode: config.REPORT_LOCK_MODE, years: config.REPORT_RETENTION_YEARS },
    log: logger,
    signatures: runtime.signatureQueue,
    scans: runtime.scanQueue,
    audit: createAuditLog(runtime, clock),
    ...overrides,
  };
}
