import type { AdminDeps, CommitteeDeps, SetupDeps } from '#functions/web/admin-context.ts';
import { DynamoAuthStore } from '#shared/adapters/dynamodb/auth-store.ts';
import { DynamoExportStore } from '#shared/adapters/dynamodb/export-store.ts';
import { DynamoMemberStore } from '#shared/adapters/dynamodb/member-store.ts';
import { DynamoRollUpStore } from '#shared/adapters/dynamodb/roll-up-store.ts';
import { DynamoSignatureStore } from '#shared/adapters/dynamodb/signature-store.ts';
import { DynamoVersionReader } from '#shared/adapters/dynamodb/version-reader.ts';
import { createSessionKeyProvider } from '#shared/adapters/keys.ts';
import { S3Downloads } from '#shared/adapters/s3/downloads.ts';
import { reportsLocation } from '#shared/adapters/s3/s3-signing.ts';
import type { Deps } from '#shared/deps.ts';
import { type Without, withCommittees } from './committee-resolver.ts';
import { createAuditRecords } from './create-audit-deps.ts';
import { createDeps } from './create-deps.ts';
import { committeeMembership } from './create-member-deps.ts';
import { createPlannerDeps } from './create-planner-deps.ts';
import { createRegistryDeps } from './create-registry-deps.ts';
import { createUploadDeps } from './create-upload-deps.ts';
import { parentReader } from './parent-reader.ts';
import type { Runtime } from './runtime.ts';

/**
 * admin-api's collaborators: the committee's, a unit's links and files, the exports — those of the
 * deployment's first committee, each other committee's through `forCommittee`
 * (committee-resolver.ts).
 */
export function createAdminDeps(runtime: Runtime, overrides: Partial<Deps> = {}): AdminDeps {
  return withCommittees(runtime, (committee) => adminDepsOf(committee, overrides));
}

function adminDepsOf(runtime: Runtime, overrides: Partial<Deps>): Without<AdminDeps> {
  const { config } = runtime;
  return {
    ...createCommitteeDeps(runtime, overrides),
    uploads: createUploadDeps(runtime, overrides),
    exports: new DynamoExportStore(runtime.dynamo, config.SUBMISSIONS_TABLE),
    versions: new DynamoVersionReader(runtime.dynamo, config.SUBMISSIONS_TABLE),
    invoker: runtime.exportInvoker,
    downloads: new S3Downloads(reportsLocation(config)),
    signatures: {
      results: new DynamoSignatureStore(runtime.dynamo, config.SUBMISSIONS_TABLE),
      queue: runtime.signatureQueue,
    },
  };
}

/**
 * setup-api's collaborators: the committee's, and the planner's for opening a period or changing
 * a plan's recipients (the mail queue, the units' links). No bucket, no exporter: it reads files
 * from the request, writes plans and units, and mails units.
 */
export function createSetupDeps(runtime: Runtime, overrides: Partial<Deps> = {}): SetupDeps {
  return withCommittees(runtime, (committee) => setupDepsOf(committee, overrides));
}

function setupDepsOf(runtime: Runtime, overrides: Partial<Deps>): Without<SetupDeps> {
  const committee = createCommitteeDeps(runtime, overrides);
  return {
    ...committee,
    planner: { ...createPlannerDeps(runtime, { clock: committee.core.clock }), ...overrides },
    documentReader: runtime.documentReader,
  };
}

/**
 * What both committee functions have: the core stores, sign-in and sessions, the mail queue
 * (`forCommittee` is withCommittees'; until then, this committee only).
 */
function createCommitteeDeps(runtime: Runtime, overrides: Partial<Deps>): Without<CommitteeDeps> {
  const { config } = runtime;
  const core = createDeps(runtime, overrides);
  const keys = createSessionKeyProvider(config);
  const appUrl = config.APP_URL ?? 'http://localhost';
  const registry = createRegistryDeps(runtime);
  return {
    core,
    auth: {
      auth: new DynamoAuthStore(runtime.deploymentDynamo, config.PLANS_TABLE),
      members: new DynamoMemberStore(runtime.dynamo, config.PLANS_TABLE),
      mail: runtime.mailQueue,
      clock: core.clock,
      ...committeeMembership(runtime),
      committeeName: config.COMMITTEE_NAME,
      appUrl,
      sessionKey: () => keys.linkKey(),
    },
    committeeName: config.COMMITTEE_NAME,
    timeZone: config.TIME_ZONE,
    appOrigin: new URL(appUrl).origin,
    secureCookies: !config.BAOCAO_LOCAL_MODE,
    audit: core.audit,
    auditRecords: createAuditRecords(runtime),
    tenancy: {
      committeeId: runtime.scope.committeeId,
      registry,
      rollUps: new DynamoRollUpStore(runtime.dynamo, config.PLANS_TABLE),
      parentOn: parentReader(registry, runtime.scope.committeeId),
    },
  };
}
