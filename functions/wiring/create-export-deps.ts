import { DynamoExportStore } from '#shared/adapters/dynamodb/export-store.ts';
import { DynamoMemberStore } from '#shared/adapters/dynamodb/member-store.ts';
import { DynamoRollUpStore } from '#shared/adapters/dynamodb/roll-up-store.ts';
import { DynamoVersionReader } from '#shared/adapters/dynamodb/version-reader.ts';
import { S3ExportWriter } from '#shared/adapters/s3/export-writer.ts';
import { S3ReportReader } from '#shared/adapters/s3/report-reader.ts';
import { reportsLocation } from '#shared/adapters/s3/s3-signing.ts';
import { committeeRecipients } from '#shared/committee/committee-mail.ts';
import type { ChildPack, PackContent } from '#shared/export/content.ts';
import type { ExportDeps, PackDeps } from '#shared/export/ports.ts';
import { childPacks } from '#shared/tenancy/roll-up-status.ts';
import { committeeDirectory } from './committee-directory.ts';
import { createDeps } from './create-deps.ts';
import { createRegistryDeps } from './create-registry-deps.ts';
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
    mailQueue: runtime.mailQueue,
    // The export notice goes to every committee member (the list as it stands when it is sent).
    committeeRecipients: () =>
      committeeRecipients(new DynamoMemberStore(client, config.PLANS_TABLE), config.COMMITTEE_EMAILS),
    appUrl: config.APP_URL,
    childContent: (content) => childPacksOf(runtime, content),
    ...overrides,
  };
}

/** What a child committee's period is read with (its stores and its kept reports). */
function createPackDeps(runtime: Runtime): PackDeps {
  const { config, dynamo: client } = runtime;
  return {
    ...createDeps(runtime),
    versions: new DynamoVersionReader(client, config.SUBMISSIONS_TABLE),
    reports: new S3ReportReader(reportsLocation(config)),
  };
}

/**
 * The child committees' periods for this committee's pack (docs/tenancy.md): read only for the
 * units of the period that are committees, each through its own scoped stores.
 */
function childPacksOf(runtime: Runtime, content: PackContent): Promise<ChildPack[]> {
  if (!content.units.some((u) => u.row.committeeId)) return Promise.resolve([]);
  const children = committeeDirectory(runtime.base ?? runtime, (r) => ({
    pack: createPackDeps(r),
    rollUps: new DynamoRollUpStore(r.dynamo, r.config.PLANS_TABLE),
  }));
  return childPacks(
    {
      registry: createRegistryDeps(runtime),
      committeeId: runtime.scope.committeeId,
      committee: (id) => children.get(id),
    },
    content,
  );
}
