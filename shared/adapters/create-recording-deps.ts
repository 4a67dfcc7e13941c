import type { Config } from '#shared/config.ts';
import type { MailQueue } from '#shared/ports.ts';
import { logger } from '#shared/powertools.ts';
import type { RecordingDeps } from '#shared/recording/record-upload.ts';
import { dynamoDocumentClient, s3 } from './aws-clients.ts';
import { currentClock } from './clock-provider.ts';
import { DynamoPlanStore } from './dynamodb/plan-store.ts';
import { DynamoRecordingStore } from './dynamodb/recording-store.ts';
import { S3ReportObjects } from './s3/report-objects.ts';

/**
 * The on-upload function's collaborators: the submissions and plans tables, the reports bucket
 * (real or emulated) and the given mail queue (SQS on AWS, the in-process queue locally).
 */
export function createRecordingDeps(
  config: Config,
  mailQueue: MailQueue,
  overrides: Partial<RecordingDeps> = {},
): RecordingDeps {
  const client = dynamoDocumentClient(config);
  const clock = overrides.clock ?? currentClock;
  return {
    store: new DynamoRecordingStore(client, config.SUBMISSIONS_TABLE),
    objects: new S3ReportObjects(s3(config), config.REPORTS_BUCKET, clock),
    mail: mailQueue,
    plans: new DynamoPlanStore(client, config.PLANS_TABLE),
    clock,
    settings: { committeeName: config.COMMITTEE_NAME, timeZone: config.TIME_ZONE },
    maxUploadBytes: config.MAX_UPLOAD_BYTES,
    bucket: config.REPORTS_BUCKET,
    retention: { mode: config.REPORT_LOCK_MODE, years: config.REPORT_RETENTION_YEARS },
    log: logger,
    ...overrides,
  };
}
