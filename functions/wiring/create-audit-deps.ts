import { awsCredentials } from '#shared/adapters/aws-signing.ts';
import { DynamoAuditStore } from '#shared/adapters/dynamodb/audit-store.ts';
import { KmsDigestSigner } from '#shared/adapters/kms-digest-signer.ts';
import { LocalDigestSigner } from '#shared/adapters/local-digest-signer.ts';
import { S3DigestStore } from '#shared/adapters/s3/digest-store.ts';
import { reportsLocation } from '#shared/adapters/s3/s3-signing.ts';
import { ChainedAuditLog, NO_AUDIT_LOG } from '#shared/audit/append.ts';
import type { DigestDeps } from '#shared/audit/digest.ts';
import type { ListDeps } from '#shared/audit/list.ts';
import type { AuditLog, AuditStore, DigestSigner } from '#shared/audit/ports.ts';
import { type Config, ConfigError } from '#shared/config.ts';
import type { Clock } from '#shared/ports.ts';
import type { Runtime } from './runtime.ts';

/**
 * The audit log a runtime's use cases record to: the hash chain on `AUDIT_TABLE`, with the
 * runtime's clock and the configured IP retention; none where the runtime has no audit table.
 */
export function createAuditLog(runtime: Runtime, clock: Clock = runtime.clock): AuditLog {
  const { config } = runtime;
  if (!config.AUDIT_TABLE) return NO_AUDIT_LOG;
  return new ChainedAuditLog(new DynamoAuditStore(runtime.dynamo, config.AUDIT_TABLE), clock, {
    ipRetentionDays: config.AUDIT_IP_RETENTION_DAYS,
  });
}

/**
 * What listing needs (the "Nhật ký" page, admin-api): the store, the clock and the time zone; an
 * empty store where the runtime has no audit table.
 */
export function createAuditRecords(runtime: Runtime): ListDeps {
  const { config } = runtime;
  return {
    store: config.AUDIT_TABLE ? new DynamoAuditStore(runtime.dynamo, config.AUDIT_TABLE) : EMPTY_AUDIT_STORE,
    clock: runtime.clock,
    timeZone: config.TIME_ZONE,
  };
}

const EMPTY_AUDIT_STORE: AuditStore = {
  last: async () => undefined,
  append: async () => false,
  putIpKey: async () => {},
  ipKeys: async () => new Map(),
  pages: async function* () {},
  ips: async () => new Map(),
};

/**
 * What verifying, listing and the daily digest need: the store, the digests' bucket and signer,
 * the clock and the committee's time zone.
 * @throws ConfigError when the runtime has no audit table.
 */
export function createAuditDeps(runtime: Runtime): DigestDeps {
  const { config } = runtime;
  if (!config.AUDIT_TABLE) {
    throw new ConfigError([
      'AUDIT_TABLE: the audit log needs its table (set by the audit construct on AWS, by the local stack locally)',
    ]);
  }
  const reports = reportsLocation(config);
  return {
    store: new DynamoAuditStore(runtime.dynamo, config.AUDIT_TABLE),
    digests: new S3DigestStore({ ...reports, bucket: config.AUDIT_DIGEST_BUCKET ?? reports.bucket }),
    signer: createDigestSigner(config),
    clock: runtime.clock,
    timeZone: config.TIME_ZONE,
  };
}

/** KMS (`AUDIT_KMS_KEY_ID`) on AWS, a P-256 key in `BAOCAO_SECRETS_DIR` locally. */
export function createDigestSigner(
  config: Pick<Config, 'AUDIT_KMS_KEY_ID' | 'BAOCAO_SECRETS_DIR' | 'AWS_REGION'>,
): DigestSigner {
  if (config.AUDIT_KMS_KEY_ID) {
    return new KmsDigestSigner(config.AUDIT_KMS_KEY_ID, {
      region: config.AWS_REGION,
      credentials: awsCredentials(),
    });
  }
  if (config.BAOCAO_SECRETS_DIR) return new LocalDigestSigner(config.BAOCAO_SECRETS_DIR);
  throw new ConfigError([
    'AUDIT_KMS_KEY_ID or BAOCAO_SECRETS_DIR: one is required to sign audit digests (a KMS key on AWS, a local folder in local mode)',
  ]);
}
