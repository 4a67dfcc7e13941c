import { DynamoAuthStore } from '#shared/adapters/dynamodb/auth-store.ts';
import { createSessionKeyProvider } from '#shared/links/keys.ts';
import type { Deps } from '#shared/services/deps.ts';
import type { AdminDeps } from '#shared/web/admin-app.ts';
import { createDeps } from './create-deps.ts';
import { createUploadDeps } from './create-upload-deps.ts';
import { DynamoExportStore } from './dynamodb/export-store.ts';
import type { Runtime } from './runtime.ts';
import { S3Downloads } from './s3/downloads.ts';
import { reportsLocation } from './s3/s3-signing.ts';

/** The committee app's collaborators: the core stores, sign-in and sessions, the mail queue. */
export function createAdminDeps(runtime: Runtime, overrides: Partial<Deps> = {}): AdminDeps {
  const { config } = runtime;
  const core = createDeps(runtime, overrides);
  const keys = createSessionKeyProvider(config);
  const appUrl = config.APP_URL ?? 'http://localhost';
  return {
    core,
    auth: {
      auth: new DynamoAuthStore(runtime.dynamo, config.PLANS_TABLE),
      mail: runtime.mailQueue,
      clock: core.clock,
      committeeEmails: config.COMMITTEE_EMAILS,
      committeeName: config.COMMITTEE_NAME,
      appUrl,
      sessionKey: () => keys.linkKey(),
    },
    uploads: createUploadDeps(runtime, overrides),
    exports: new DynamoExportStore(runtime.dynamo, config.SUBMISSIONS_TABLE),
    invoker: runtime.exportInvoker,
    downloads: new S3Downloads(reportsLocation(config)),
    committeeName: config.COMMITTEE_NAME,
    timeZone: config.TIME_ZONE,
    appOrigin: new URL(appUrl).origin,
    secureCookies: !config.BAOCAO_LOCAL_MODE,
  };
}
