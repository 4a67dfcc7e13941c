import type { Config } from '#shared/config.ts';
import type { ExportDeps } from '#shared/export/ports.ts';
import { dynamoDocumentClient, s3 } from './aws-clients.ts';
import { createDeps } from './create-deps.ts';
import { DynamoExportStore } from './dynamodb/export-store.ts';
import { DynamoVersionReader } from './dynamodb/version-reader.ts';
import { getMailQueue } from './mail-queue-provider.ts';
import { S3ExportWriter } from './s3/export-writer.ts';
import { S3ReportReader } from './s3/report-reader.ts';

/**
 * The exporter's collaborators: the period's tables on DynamoDB, the reports bucket (read
 * `reports/…`, write `exports/…`), and the mail queue (SQS on AWS, the local in-process queue).
 */
export function createExportDeps(config: Config, overrides: Partial<ExportDeps> = {}): ExportDeps {
  const client = dynamoDocumentClient(config);
  const bucket = s3(config);
  return {
    ...createDeps(config),
    versions: new DynamoVersionReader(client, config.SUBMISSIONS_TABLE),
    reports: new S3ReportReader(bucket, config.REPORTS_BUCKET),
    exports: new DynamoExportStore(client, config.SUBMISSIONS_TABLE),
    writer: new S3ExportWriter(bucket, config.REPORTS_BUCKET),
    // Resolved when a mail is sent: writing a pack to a file needs no queue.
    mailQueue: { enqueue: (messages) => getMailQueue(config).enqueue(messages) },
    committeeEmails: config.COMMITTEE_EMAILS,
    appUrl: config.APP_URL,
    ...overrides,
  };
}
