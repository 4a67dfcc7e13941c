import type { Template } from 'aws-cdk-lib/assertions';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_TABLE_ACTIONS } from '#infra/constructs/audit.ts';
import type { BaocaoFunction } from '#infra/constructs/baocao-function.ts';
import {
  cfnText,
  environmentOf,
  logicalId,
  resourcesOf,
  actionsOf as statementActions,
  statementsOf,
  synthApp,
} from './fixtures.ts';

/** The actions `fn` is allowed on resources whose ARN names the stateful resource `resourceId`. */
function actionsOf(template: Template, fn: BaocaoFunction, resourceId: string): string[] {
  return statementsOf(template, fn)
    .filter((statement) => resourcesOf(statement).some((r) => cfnText(r).includes(resourceId)))
    .flatMap(statementActions);
}

describe('the audit log (infra/constructs/audit.ts)', () => {
  let built: ReturnType<typeof synthApp>;
  beforeAll(() => {
    built = synthApp();
  });

  it('keeps its table retained, protected, with point-in-time recovery and a TTL for the client IPs', () => {
    built.statefulTemplate.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        DeletionProtectionEnabled: true,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: 'expiresAtEpoch', Enabled: true },
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      }),
    });
  });

  it('signs digests with an asymmetric P-256 KMS key and keeps them in an Object-Lock bucket', () => {
    built.statefulTemplate.hasResource('AWS::KMS::Key', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
    });
    built.statefulTemplate.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: Match.anyValue() } },
      },
      VersioningConfiguration: { Status: 'Enabled' },
    });
  });

  it('grants every function that records events append and read on the table, and never update or delete', () => {
    const tableId = logicalId(built.stateful.audit.table);
    const fns = [
      built.service.api.publicFunction,
      built.service.api.adminFunction,
      built.service.api.setupFunction,
      built.service.api.unitsFunction,
      built.service.uploads.onUpload,
      built.service.exports.exporter,
      built.service.reminders.planner,
      built.service.signatures.verifier,
    ];
    for (const fn of fns) {
      const actions = actionsOf(built.serviceTemplate, fn, tableId);
      expect([...actions].sort()).toEqual([...AUDIT_TABLE_ACTIONS].sort());
      expect(environmentOf(built.serviceTemplate, fn)).toHaveProperty('AUDIT_TABLE');
    }
    for (const fn of [built.service.mail.mailer, built.service.mail.sesEvents]) {
      expect(actionsOf(built.serviceTemplate, fn, tableId)).toEqual([]);
    }
    const all = JSON.stringify(built.serviceTemplate.toJSON());
    expect(all).not.toMatch(
      /dynamodb:(UpdateItem|DeleteItem|BatchWriteItem|TransactWriteItems|\*)"[^\]]*audit/i,
    );
  });

  it('lets only the planner sign and write digests', () => {
    const keyId = logicalId(built.stateful.audit.digestKey);
    const planner = built.service.reminders.planner;
    expect([...actionsOf(built.serviceTemplate, planner, keyId)].sort()).toEqual([
      'kms:GetPublicKey',
      'kms:Sign',
    ]);
    expect(cfnText(environmentOf(built.serviceTemplate, planner).AUDIT_DIGEST_BUCKET)).toContain(
      'AuditDigestBucket',
    );
    expect(cfnText(environmentOf(built.serviceTemplate, planner).AUDIT_KMS_KEY_ID)).toContain(
      'AuditDigestKey',
    );
    expect(actionsOf(built.serviceTemplate, planner, 'AuditDigestBucket')).toEqual([
      's3:GetObject',
      's3:PutObject',
    ]);
    expect(actionsOf(built.serviceTemplate, built.service.api.adminFunction, 'AuditDigestBucket')).toEqual(
      [],
    );
    expect(actionsOf(built.serviceTemplate, built.service.api.adminFunction, keyId)).toEqual([]);
  });
});
