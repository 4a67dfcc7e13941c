import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { logicalId, synthApp, TEST_CONTEXT } from './fixtures.ts';

interface LifecycleRule {
  Id?: string;
  Prefix?: string;
  Status: string;
  ExpirationInDays?: number;
  NoncurrentVersionExpiration?: { NoncurrentDays: number };
  Transitions?: { StorageClass: string; TransitionInDays: number }[];
  AbortIncompleteMultipartUpload?: { DaysAfterInitiation: number };
}

describe('StatefulStack', () => {
  let built: ReturnType<typeof synthApp>;

  beforeAll(() => {
    built = synthApp();
  });

  it('is named after the stage', () => {
    expect(built.stateful.stackName).toBe('Baocao-test-Stateful');
  });

  it.each([
    ['PlansTable', () => built.stateful.plansTable],
    ['SubmissionsTable', () => built.stateful.submissionsTable],
  ])('keeps the %s on demand, keyed pk/sk, recoverable, protected and retained', (_name, table) => {
    const matching = built.statefulTemplate.findResources('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: Match.arrayWith([
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ]),
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        SSESpecification: { SSEEnabled: true },
      }),
    });

    expect(Object.keys(matching)).toContain(logicalId(table()));
  });

  it('blocks public access, encrypts, versions and logs the reports bucket, and retains it', () => {
    const matching = built.statefulTemplate.findResources('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        VersioningConfiguration: { Status: 'Enabled' },
        LoggingConfiguration: {
          DestinationBucketName: { Ref: logicalId(built.stateful.accessLogsBucket) },
          LogFilePrefix: 'reports-bucket/',
        },
      }),
    });

    expect(Object.keys(matching)).toEqual([logicalId(built.stateful.reportsBucket)]);
  });

  /** The lifecycle rules of the reports bucket, as in the template. */
  const reportsBucketRules = (): LifecycleRule[] => {
    const bucket =
      built.statefulTemplate.findResources('AWS::S3::Bucket')[logicalId(built.stateful.reportsBucket)];
    return bucket?.Properties.LifecycleConfiguration.Rules as LifecycleRule[];
  };

  it('enables Object Lock on the reports bucket without a default retention (on-upload locks each kept copy), and on the audit digests', () => {
    built.statefulTemplate.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        ObjectLockEnabled: true,
        ObjectLockConfiguration: Match.absent(),
        VersioningConfiguration: { Status: 'Enabled' },
        LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'reports-bucket/' }),
      }),
    });
    const locked = built.statefulTemplate.findResources('AWS::S3::Bucket', {
      Properties: { ObjectLockEnabled: true },
    });

    // The audit log's daily digests are locked too (docs/audit.md); no other bucket is.
    expect(Object.keys(locked).sort()).toEqual(
      [logicalId(built.stateful.reportsBucket), logicalId(built.stateful.audit.digestBucket)].sort(),
    );
  });

  it('expires no noncurrent version bucket-wide nor under reports/: every such rule names another prefix', () => {
    const noncurrent = reportsBucketRules().filter((rule) => rule.NoncurrentVersionExpiration !== undefined);

    expect(noncurrent.map((rule) => rule.Prefix).sort()).toEqual(['exports/', 'quarantine/', 'uploads/']);
    // The one rule without a prefix deletes no object: it only aborts unfinished multipart uploads.
    const bucketWide = reportsBucketRules().filter((rule) => !rule.Prefix);
    expect(bucketWide).toEqual([
      {
        Id: 'AbortIncompleteMultipartUploads',
        Status: 'Enabled',
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
      },
    ]);
  });

  it('never expires kept reports: only uploads/, quarantine/ and exports/ expire', () => {
    const expiring = reportsBucketRules()
      .filter((rule) => rule.ExpirationInDays !== undefined)
      .map((rule) => rule.Prefix);

    expect(expiring.sort()).toEqual(['exports/', 'quarantine/', 'uploads/']);
  });

  it('moves kept reports to Standard-IA after 90 days and to Glacier Instant Retrieval after 365', () => {
    built.statefulTemplate.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          {
            Id: 'TransitionReports',
            Prefix: 'reports/',
            Status: 'Enabled',
            Transitions: [
              { StorageClass: 'STANDARD_IA', TransitionInDays: 90 },
              { StorageClass: 'GLACIER_IR', TransitionInDays: 365 },
            ],
          },
        ]),
      },
    });
  });

  it('clears the landing prefix: uploads/ expire after 14 days, their old versions after 1, stale multipart uploads after 1', () => {
    built.statefulTemplate.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({
            Prefix: 'uploads/',
            Status: 'Enabled',
            ExpirationInDays: 14,
            NoncurrentVersionExpiration: { NoncurrentDays: 1 },
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
          }),
        ]),
      },
    });
  });

  it('expires quarantine/ after 30 days (old versions 30 more) and exports/ after 30 (old versions 7), stale multipart uploads after 7', () => {
    built.statefulTemplate.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({
            Prefix: 'quarantine/',
            ExpirationInDays: 30,
            NoncurrentVersionExpiration: { NoncurrentDays: 30 },
            Status: 'Enabled',
          }),
          Match.objectLike({
            Prefix: 'exports/',
            ExpirationInDays: 30,
            NoncurrentVersionExpiration: { NoncurrentDays: 7 },
            Status: 'Enabled',
          }),
          {
            Id: 'AbortIncompleteMultipartUploads',
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
            Status: 'Enabled',
          },
        ]),
      },
    });
  });

  describe('table backups (AWS Backup)', () => {
    it('keeps recovery points in a retained vault with the AWS-managed key, which refuses to delete them', () => {
      built.statefulTemplate.hasResource('AWS::Backup::BackupVault', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: Match.objectLike({
          EncryptionKeyArn: Match.absent(),
          AccessPolicy: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Deny',
                Principal: { AWS: '*' },
                Action: ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle'],
                Resource: '*',
              },
            ],
          },
        }),
      });
      built.statefulTemplate.resourceCountIs('AWS::Backup::BackupVault', 1);
    });

    it('backs up daily, kept 35 days, and monthly, kept 10 years (3,653 days) and moved to cold storage after 90', () => {
      built.statefulTemplate.hasResourceProperties('AWS::Backup::BackupPlan', {
        BackupPlan: {
          BackupPlanName: Match.anyValue(),
          BackupPlanRule: [
            {
              RuleName: 'Daily',
              ScheduleExpression: 'cron(0 19 * * ? *)',
              Lifecycle: { DeleteAfterDays: 35 },
              TargetBackupVault: { 'Fn::GetAtt': [logicalId(built.stateful.backupVault), 'BackupVaultName'] },
            },
            {
              RuleName: 'Monthly',
              ScheduleExpression: 'cron(0 19 1 * ? *)',
              Lifecycle: { DeleteAfterDays: 3653, MoveToColdStorageAfterDays: 90 },
              TargetBackupVault: { 'Fn::GetAtt': [logicalId(built.stateful.backupVault), 'BackupVaultName'] },
            },
          ],
        },
      });
    });

    it('keeps the monthly backups as many years as reportRetentionYears', () => {
      const seven = synthApp({ ...TEST_CONTEXT, reportRetentionYears: '7' });

      seven.statefulTemplate.hasResourceProperties('AWS::Backup::BackupPlan', {
        BackupPlan: Match.objectLike({
          BackupPlanRule: Match.arrayWith([
            Match.objectLike({
              RuleName: 'Monthly',
              Lifecycle: { DeleteAfterDays: 2557, MoveToColdStorageAfterDays: 90 },
            }),
          ]),
        }),
      });
    });

    it('selects both tables, with a role only AWS Backup can assume', () => {
      const selection = Object.values(built.statefulTemplate.findResources('AWS::Backup::BackupSelection'));

      expect(selection).toHaveLength(1);
      expect(selection[0]?.Properties.BackupSelection.Resources).toEqual([
        { 'Fn::GetAtt': [logicalId(built.stateful.plansTable), 'Arn'] },
        { 'Fn::GetAtt': [logicalId(built.stateful.submissionsTable), 'Arn'] },
      ]);
      expect(selection[0]?.Properties.BackupPlanId).toEqual({
        'Fn::GetAtt': [logicalId(built.stateful.backupPlan), 'BackupPlanId'],
      });
      const roleArn = selection[0]?.Properties.BackupSelection.IamRoleArn as {
        'Fn::GetAtt': [string, string];
      };
      const [roleId] = roleArn['Fn::GetAtt'];
      const role = built.statefulTemplate.findResources('AWS::IAM::Role')[roleId];
      expect(role?.Properties.AssumeRolePolicyDocument.Statement).toEqual([
        expect.objectContaining({ Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' } }),
      ]);
    });
  });

  it('denies every request to both buckets that does not use TLS', () => {
    for (const bucket of [built.stateful.reportsBucket, built.stateful.accessLogsBucket]) {
      built.statefulTemplate.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: logicalId(bucket) },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 's3:*',
              Principal: { AWS: '*' },
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    }
  });

  it('declares neither CORS nor event notifications: the service stack owns both (they name its resources)', () => {
    const bucket =
      built.statefulTemplate.findResources('AWS::S3::Bucket')[logicalId(built.stateful.reportsBucket)];

    expect(bucket?.Properties.CorsConfiguration).toBeUndefined();
    expect(bucket?.Properties.NotificationConfiguration).toBeUndefined();
    expect(JSON.stringify(built.statefulTemplate.toJSON())).not.toContain('execute-api');
  });

  it('keeps access logs in their own bucket, delivered by a bucket policy with ACLs disabled', () => {
    built.statefulTemplate.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 365 })] },
        LoggingConfiguration: Match.absent(),
      }),
    });
    built.statefulTemplate.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logicalId(built.stateful.accessLogsBucket) },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'logging.s3.amazonaws.com' },
            Action: 's3:PutObject',
          }),
        ]),
      },
    });
  });

  it('generates the link key and the session key as retained secrets', () => {
    const secrets = built.statefulTemplate.findResources('AWS::SecretsManager::Secret', {
      DeletionPolicy: 'Retain',
      Properties: { GenerateSecretString: Match.objectLike({ PasswordLength: 64 }) },
    });

    expect(Object.keys(secrets).sort()).toEqual(
      [logicalId(built.stateful.linkKeySecret), logicalId(built.stateful.sessionKeySecret)].sort(),
    );
  });

  it('expires sign-in links, sessions and rate counters through TTL on expiresAtEpoch in the plans table', () => {
    built.statefulTemplate.hasResourceProperties('AWS::DynamoDB::Table', {
      TimeToLiveSpecification: { AttributeName: 'expiresAtEpoch', Enabled: true },
    });
    const withTtl = built.statefulTemplate.findResources('AWS::DynamoDB::Table', {
      Properties: { TimeToLiveSpecification: { AttributeName: 'expiresAtEpoch', Enabled: true } },
    });

    // The audit table drops a record's client IP after its retention the same way (docs/audit.md).
    expect(Object.keys(withTtl).sort()).toEqual(
      [logicalId(built.stateful.plansTable), logicalId(built.stateful.audit.table)].sort(),
    );
  });

  it('outputs the table, bucket and backup vault names an operator needs', () => {
    built.statefulTemplate.hasOutput('PlansTableName', {
      Value: { Ref: logicalId(built.stateful.plansTable) },
    });
    built.statefulTemplate.hasOutput('SubmissionsTableName', {
      Value: { Ref: logicalId(built.stateful.submissionsTable) },
    });
    built.statefulTemplate.hasOutput('ReportsBucketName', {
      Value: { Ref: logicalId(built.stateful.reportsBucket) },
    });
    built.statefulTemplate.hasOutput('BackupVaultName', {
      Value: { 'Fn::GetAtt': [logicalId(built.stateful.backupVault), 'BackupVaultName'] },
    });
  });
});
