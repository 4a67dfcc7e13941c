import { DynamoAuthStore } from '#shared/adapters/dynamodb/auth-store.ts';
import type { Config } from '#shared/config.ts';
import { createSessionKeyProvider } from '#shared/links/keys.ts';
import type { Deps } from '#shared/services/deps.ts';
import type { AdminDeps } from '#shared/web/admin-app.ts';
import { dynamoDocumentClient } from './aws-clients.ts';
import { createDeps } from './create-deps.ts';
import { createUploadDeps } from './create-upload-deps.ts';
import { DynamoExportStore } from './dynamodb/export-store.ts';
import { getExportInvoker } from './export-invoker.ts';
import { getMailQueue } from './mail-queue-provider.ts';
import { S3Downloads } from './s3/downloads.ts';
import { reportsLocation } from './s3/s3-signing.ts';

/** The committee app's collaborators: the core stores, sign-in and sessions, the mail queue. */
export function createAdminDeps(config: Config, overrides: Partial<Deps> = {}): AdminDeps {
  const core = createDeps(config, overrides);
  const keys = createSessionKeyProvider(config);
  const appUrl = config.APP_URL ?? 'http://localhost';
  return {
    core,
    auth: {
      auth: new DynamoAuthStore(dynamoDocumentClient(config), config.PLANS_TABLE),
      mail: getMailQueue(config),
      clock: core.clock,
      committeeEmails: config.COMMITTEE_EMAILS,
      committeeName: config.COMMITTEE_NAME,
      appUrl,
      sessionKey: () => keys.linkKey(),
    },
    uploads: createUploadDeps(config, overrides),
    exports: new DynamoExportStore(dynamoDocumentClient(config), config.SUBMISSIONS_TABLE),
    // Resolved when an export is started: most requests start none.
    invoker: { invoke: (event) => getExportInvoker(config).invoke(event) },
    downloads: new S3Downloads(reportsLocation(config)),
    committeeName: config.COMMITTEE_NAME,
    timeZone: config.TIME_ZONE,
    appOrigin: new URL(appUrl).origin,
    secureCookies: !config.BAOCAO_LOCAL_MODE,
  };
}
