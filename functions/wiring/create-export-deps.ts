import { DynamoExportStore } from '#shared/adapters/dynamodb/export-store.ts';
import { DynamoMemberStore } from '#shared/adapters/dynamodb/member-store.ts';
import { DynamoVersionReader } from '#shared/adapters/dynamodb/version-reader.ts';
import { S3ExportWriter } from '#shared/adapters/s3/export-writer.ts';
import { S3ReportReader } from '#shared/adapters/s3/report-reader.ts';
import { reportsLocation } from '#shared/adapters/s3/s3-signing.ts';
import { mailToMembers } from '#shared/committee/committee-mail.ts';
import type { ExportDeps } from '#shared/export/ports.ts';
import { createDeps } from './create-deps.ts';
import type { Runtime } from './runtime.ts';

/**
 * The exporter's collaborators: the period's tables on DynamoDB, the reports bucket (read
 * `reports/…`, write `exports/…`), and the mail queue (SQS on AWS, the local in-process queue).
 */
export function createExportDeps(runtime: Runtime, overrides: Partial<ExportDeps> = {}): ExportDeps {
  const { config, dynamo: client } = runtime;
  const bucket = reportsLocation(config);
  return {
    ...createDeps(runtime),
    versions: new DynamoVersionReader(client, config.SUBMISSIONS_TABLE),
    reports: new S3ReportReader(bucket),
    exports: new DynamoExportStore(client, config.SUBMISSIONS_TABLE),
    writer: new S3ExportWriter(bucket),
    // The export notice goes to every committee member (the list as it stands when it is sent).
    mailQueue: mailToMembers(runtime.mailQueue, new DynamoMemberStore(client, config.PLANS_TABLE)),
    committeeEmails: config.COMMITTEE_EMAILS,
    appUrl: config.APP_URL,
    ...overrides,
  };
}
