import { DynamoSignatureStore } from '#shared/adapters/dynamodb/signature-store.ts';
import { DynamoTrustStore } from '#shared/adapters/dynamodb/trust-store.ts';
import { reportsLocation } from '#shared/adapters/s3/s3-signing.ts';
import { S3SignedFiles } from '#shared/adapters/s3/signed-files.ts';
import { trustAsset } from '#shared/adapters/s3/trust-asset.ts';
import { logger } from '#shared/powertools.ts';
import type { CheckSignaturesDeps } from '#shared/signatures/check-signatures.ts';
import type { TrustStore } from '#shared/signatures/ports.ts';
import { cachedTrust, withDeployedAnchors } from '#shared/signatures/trust.ts';
import { createAuditLog } from './create-audit-deps.ts';
import type { Runtime } from './runtime.ts';

/**
 * The trust store of a runtime: the anchors in the plans table (`baocao trust add`), plus on AWS
 * the deployed asset (TRUST_ASSET_BUCKET/KEY) when the stack was synthesized with anchors in `trust/`.
 */
export function createTrustStore(runtime: Runtime): TrustStore {
  const { config } = runtime;
  const stored = new DynamoTrustStore(runtime.deploymentDynamo, config.PLANS_TABLE);
  const bucket = config.TRUST_ASSET_BUCKET;
  const key = config.TRUST_ASSET_KEY;
  if (!bucket || !key) return stored;
  // The trust store belongs to the deployment, not to a committee: no object prefix.
  const location = { ...reportsLocation(config), bucket, keyPrefix: '' };
  return withDeployedAnchors(stored, trustAsset(location, key));
}

/** The verifier's collaborators: the kept reports, the submissions table, the trust store. */
export function createSignatureDeps(
  runtime: Runtime,
  overrides: Partial<CheckSignaturesDeps> = {},
): CheckSignaturesDeps {
  const { config } = runtime;
  return {
    files: new S3SignedFiles(reportsLocation(config)),
    results: new DynamoSignatureStore(runtime.dynamo, config.SUBMISSIONS_TABLE),
    trust: cachedTrust(createTrustStore(runtime), runtime.clock),
    clock: runtime.clock,
    maxFileBytes: config.MAX_UPLOAD_BYTES,
    log: logger,
    audit: createAuditLog(runtime),
    ...overrides,
  };
}
