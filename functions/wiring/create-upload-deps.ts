import { randomUUID } from 'node:crypto';
import { DynamoRateLimitStore } from '#shared/adapters/dynamodb/rate-limit-store.ts';
import { DynamoUploadStore } from '#shared/adapters/dynamodb/upload-store.ts';
import { createKeyProvider } from '#shared/adapters/keys.ts';
import { createUploadSigner } from '#shared/adapters/s3/upload-signer.ts';
import type { UploadDeps } from '#shared/uploads/deps.ts';
import { createDeps } from './create-deps.ts';
import type { Runtime } from './runtime.ts';

/**
 * The composition root of the upload use cases: the common collaborators plus the upload
 * store (DynamoDB), the presigned-POST signer (S3) and the link key (Secrets Manager or a local
 * file).
 * @throws ConfigError when no link key source is configured.
 */
export function createUploadDeps(runtime: Runtime, overrides: Partial<UploadDeps> = {}): UploadDeps {
  const { config } = runtime;
  return {
    ...createDeps(runtime),
    uploads: new DynamoUploadStore(
      runtime.dynamo,
      { plans: config.PLANS_TABLE, submissions: config.SUBMISSIONS_TABLE },
      { planCacheMs: config.LINK_PLAN_CACHE_SECONDS * 1000 },
    ),
    signer: createUploadSigner(config),
    // Scoped: the per-link counters name a plan, a year and a unit, which two committees may share.
    limits: new DynamoRateLimitStore(runtime.dynamo, config.PLANS_TABLE),
    keys: overrides.keys ?? createKeyProvider(config),
    uploadSettings: {
      appUrl: config.APP_URL,
      maxUploadBytes: config.MAX_UPLOAD_BYTES,
      maxVersionsPerDay: config.MAX_VERSIONS_PER_DAY,
    },
    newUploadId: () => randomUUID().replaceAll('-', ''),
    ...overrides,
  };
}
