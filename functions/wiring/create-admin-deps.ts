import type { AdminDeps } from '#functions/web/admin-app.ts';
import { DynamoAuthStore } from '#shared/adapters/dynamodb/auth-store.ts';
import { DynamoExportStore } from '#shared/adapters/dynamodb/export-store.ts';
import { DynamoMemberStore } from '#shared/adapters/dynamodb/member-store.ts';
import { DynamoVersionReader } from '#shared/adapters/dynamodb/version-reader.ts';
import { createSessionKeyProvider } from '#shared/adapters/keys.ts';
import { S3Downloads } from '#shared/adapters/s3/downloads.ts';
import { reportsLocation } from '#shared/adapters/s3/s3-signing.ts';
import type { Deps } from '#shared/deps.ts';
import { createDeps } from './create-deps.ts';
import { createPlannerDeps } from './create-planner-deps.ts';
import { createUploadDeps } from './create-upload-deps.ts';
import type { Runtime } from './runtime.ts';

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
      members: new DynamoMemberStore(runtime.dynamo, config.PLANS_TABLE),
      mail: runtime.mailQueue,
      clock: core.clock,
      committeeEmails: config.COMMITTEE_EMAILS,
      committeeName: config.COMMITTEE_NAME,
      appUrl,
      sessionKey: () => keys.linkKey(),
    },
    uploads: createUploadDeps(runtime, overrides),
    exports: new DynamoExportStore(runtime.dynamo, config.SUBMISSIONS_TABLE),
    versions: new DynamoVersionReader(runtime.dynamo, config.SUBMISSIONS_TABLE),
    invoker: runtime.exportInvoker,
    downloads: new S3Downloads(reportsLocation(config)),
    planner: { ...createPlannerDeps(runtime, { clock: core.clock }), ...overrides },
    committeeName: config.COMMITTEE_NAME,
    timeZone: config.TIME_ZONE,
    appOrigin: new URL(appUrl).origin,
    secureCookies: !config.BAOCAO_LOCAL_MODE,
  };
}
