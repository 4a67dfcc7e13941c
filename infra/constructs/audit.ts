import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type IBucket,
  ObjectLockRetention,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeWildcardResource } from '../nag.ts';
import type { BaocaoFunction } from './baocao-function.ts';

/** TTL attribute of the audit table: only the IP keys and the older client-IP items carry it (shared/adapters/dynamodb/audit-store.ts). */
export const AUDIT_TTL_ATTRIBUTE = 'expiresAtEpoch';
/** Key prefix of the signed digests (shared/adapters/s3/digest-store.ts). */
export const AUDIT_DIGEST_PREFIX = 'audit-digests/';
/**
 * The only DynamoDB actions a function has on the audit table: append (PutItem, made conditional
 * by the code) and read. No UpdateItem, DeleteItem, BatchWriteItem or TransactWriteItems: a
 * function cannot change or remove a record. Client IPs are dropped by DynamoDB's TTL, not by a
 * function (docs/audit.md, "Retention").
 */
export const AUDIT_TABLE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:Query'] as const;

/** Properties of {@link AuditResources}. */
export interface AuditResourcesProps {
  /** Years each digest is locked (the `reportRetentionYears` option). */
  readonly retentionYears: number;
  /** Where the digest bucket's server access logs go. */
  readonly accessLogsBucket: IBucket;
}

/**
 * The audit log's data (docs/audit.md), in the stateful stack: its table (records chained per
 * committee, client IPs beside them with a TTL), the KMS asymmetric key (ECC_NIST_P256,
 * SIGN_VERIFY) that signs each day's digest, and the Object-Lock bucket of the digests (every
 * version locked for the retention by default, in GOVERNANCE mode, as the kept reports are). All
 * retained. The service stack grants its functions access with {@link grantAuditAccess}.
 */
export class AuditResources extends Construct {
  readonly table: Table;
  readonly digestKey: Key;
  readonly digestBucket: Bucket;

  constructor(scope: Construct, id: string, props: AuditResourcesProps) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: AUDIT_TTL_ATTRIBUTE,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      encryption: TableEncryption.AWS_MANAGED,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.digestKey = new Key(this, 'DigestKey', {
      description: 'baocao: signs the audit log daily digests (ECDSA P-256)',
      keySpec: KeySpec.ECC_NIST_P256,
      keyUsage: KeyUsage.SIGN_VERIFY,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.digestBucket = new Bucket(this, 'DigestBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      objectLockEnabled: true,
      objectLockDefaultRetention: ObjectLockRetention.governance(
        Duration.days(Math.ceil(props.retentionYears * 365.25)),
      ),
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: 'audit-digest-bucket/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}

/**
 * Grants functions the audit log: each `appenders` function may append and read records
 * ({@link AUDIT_TABLE_ACTIONS}) and gets `AUDIT_TABLE`; each `digesters` function (the planner)
 * may also sign with the digest key (kms:Sign, kms:GetPublicKey) and read and write digests
 * under `audit-digests/`, and gets `AUDIT_DIGEST_BUCKET` and `AUDIT_KMS_KEY_ID`.
 */
export function grantAuditAccess(
  audit: AuditResources,
  functions: { appenders: readonly BaocaoFunction[]; digesters: readonly BaocaoFunction[] },
): void {
  for (const fn of new Set([...functions.appenders, ...functions.digesters])) {
    audit.table.grant(fn, ...AUDIT_TABLE_ACTIONS);
    fn.function.addEnvironment('AUDIT_TABLE', audit.table.tableName);
  }
  for (const fn of functions.digesters) {
    audit.digestKey.grant(fn, 'kms:Sign', 'kms:GetPublicKey');
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['s3:GetObject', 's3:PutObject'],
        resources: [audit.digestBucket.arnForObjects(`${AUDIT_DIGEST_PREFIX}*`)],
      }),
    );
    acknowledgeWildcardResource(
      fn.role,
      audit.digestBucket.arnForObjects(`${AUDIT_DIGEST_PREFIX}*`),
      "The planner writes one digest a day at audit-digests/<chain>/<yyyy>/<date>.json and reads the day before's to chain them; the keys are dated, so they cannot be listed in advance. Object Lock's default retention locks each one as it is written: PutObject cannot replace or shorten a locked version.",
    );
    fn.function.addEnvironment('AUDIT_DIGEST_BUCKET', audit.digestBucket.bucketName);
    fn.function.addEnvironment('AUDIT_KMS_KEY_ID', audit.digestKey.keyArn);
  }
}
