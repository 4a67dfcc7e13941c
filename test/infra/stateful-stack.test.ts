import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { logicalId, synthApp } from './fixtures.ts';

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

  it('expires quarantine and exports after 30 days, old versions after 90, stale multipart uploads after 7', () => {
    built.statefulTemplate.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ Prefix: 'quarantine/', ExpirationInDays: 30, Status: 'Enabled' }),
          Match.objectLike({ Prefix: 'exports/', ExpirationInDays: 30, Status: 'Enabled' }),
          Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 90 }, Status: 'Enabled' }),
          Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 }, Status: 'Enabled' }),
        ]),
      },
    });
  });

  it('never expires uploaded reports themselves', () => {
    const bucket =
      built.statefulTemplate.findResources('AWS::S3::Bucket')[logicalId(built.stateful.reportsBucket)];
    const rules = bucket?.Properties.LifecycleConfiguration.Rules as {
      Prefix?: string;
      ExpirationInDays?: number;
    }[];

    const expiring = rules.filter((rule) => rule.ExpirationInDays !== undefined).map((rule) => rule.Prefix);

    expect(expiring).toEqual(['quarantine/', 'exports/']);
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

    expect(Object.keys(withTtl)).toEqual([logicalId(built.stateful.plansTable)]);
  });

  it('outputs the table and bucket names an operator needs', () => {
    built.statefulTemplate.hasOutput('PlansTableName', {
      Value: { Ref: logicalId(built.stateful.plansTable) },
    });
    built.statefulTemplate.hasOutput('SubmissionsTableName', {
      Value: { Ref: logicalId(built.stateful.submissionsTable) },
    });
    built.statefulTemplate.hasOutput('ReportsBucketName', {
      Value: { Ref: logicalId(built.stateful.reportsBucket) },
    });
  });
});
