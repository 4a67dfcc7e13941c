import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  actionsOf,
  customResourceCall,
  environmentOf,
  logicalId,
  resourcesOf,
  statementsOf,
  synthApp,
  TEST_CONTEXT,
} from './fixtures.ts';

describe('Uploads', () => {
  let built: ReturnType<typeof synthApp>;

  beforeAll(() => {
    built = synthApp();
  });

  describe('on-upload invocation', () => {
    it('retries a failed S3 event twice within an hour, then sends it to the upload failure queue', () => {
      built.serviceTemplate.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: logicalId(built.service.uploads.onUpload.function) },
        Qualifier: '$LATEST',
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 3600,
        DestinationConfig: {
          OnFailure: {
            Destination: { 'Fn::GetAtt': [logicalId(built.service.uploads.failureQueue), 'Arn'] },
          },
        },
      });
    });

    it('may be invoked by the reports bucket of this account only', () => {
      built.serviceTemplate.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': [logicalId(built.service.uploads.onUpload.function), 'Arn'] },
        Principal: 's3.amazonaws.com',
        SourceArn: { 'Fn::ImportValue': Match.stringLikeRegexp('ReportsBucket.*Arn') },
        SourceAccount: { Ref: 'AWS::AccountId' },
      });
    });
  });

  describe('bucket notification', () => {
    it('sends ObjectCreated events under the landing prefix uploads/ (and nothing else) to on-upload', () => {
      const call = customResourceCall(built.serviceTemplate, 'Custom::ReportsBucketNotification', 'Create');

      expect(call).toMatchObject({ service: 'S3', action: 'putBucketNotificationConfiguration' });
      expect(call.parameters).toEqual({
        Bucket: expect.stringMatching(/^\$\{import:.*ReportsBucket/),
        NotificationConfiguration: {
          LambdaFunctionConfigurations: [
            {
              Id: 'baocao-on-upload',
              LambdaFunctionArn: `\${${logicalId(built.service.uploads.onUpload.function)}.Arn}`,
              Events: ['s3:ObjectCreated:*'],
              Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'uploads/' }] } },
            },
          ],
        },
      });
      expect(
        customResourceCall(built.serviceTemplate, 'Custom::ReportsBucketNotification', 'Update'),
      ).toEqual(call);
    });

    it('leaves the retained bucket with no notification when the service stack is deleted', () => {
      const call = customResourceCall(built.serviceTemplate, 'Custom::ReportsBucketNotification', 'Delete');

      expect(call.parameters.NotificationConfiguration).toEqual({});
    });

    it('is written after S3 may invoke the function', () => {
      const resource = Object.values(
        built.serviceTemplate.findResources('Custom::ReportsBucketNotification'),
      )[0] as { DependsOn?: string[] };
      const permission = Object.keys(
        built.serviceTemplate.findResources('AWS::Lambda::Permission', {
          Properties: { Principal: 's3.amazonaws.com' },
        }),
      );

      expect(resource.DependsOn).toEqual(expect.arrayContaining(permission));
    });
  });

  describe('bucket CORS', () => {
    it('lets exactly the app origin (the API endpoint by default) POST uploads to the bucket', () => {
      const call = customResourceCall(built.serviceTemplate, 'Custom::ReportsBucketCors', 'Create');

      expect(call).toMatchObject({ service: 'S3', action: 'putBucketCors' });
      expect(call.parameters.CORSConfiguration).toEqual({
        CORSRules: [
          {
            AllowedMethods: ['POST'],
            AllowedOrigins: [`\${${logicalId(built.service.api.httpApi)}.ApiEndpoint}`],
            AllowedHeaders: ['*'],
            ExposeHeaders: ['ETag'],
            MaxAgeSeconds: 3000,
          },
        ],
      });
      expect(JSON.stringify(call)).not.toContain('*.execute-api');
    });

    it('allows the configured app origin instead when one is given', () => {
      const custom = synthApp({
        stage: 'test',
        senderEmail: 'baocao@example.vn',
        appOrigin: 'https://baocao.example.vn',
      });
      const call = customResourceCall(custom.serviceTemplate, 'Custom::ReportsBucketCors', 'Create');

      expect(call.parameters).toMatchObject({
        CORSConfiguration: {
          CORSRules: [expect.objectContaining({ AllowedOrigins: ['https://baocao.example.vn'] })],
        },
      });
    });

    it('is removed with the service stack', () => {
      expect(customResourceCall(built.serviceTemplate, 'Custom::ReportsBucketCors', 'Delete')).toMatchObject({
        action: 'deleteBucketCors',
      });
    });
  });

  describe('bucket settings role', () => {
    it('may change the notification and the CORS rule of the reports bucket, and nothing else', () => {
      const role = built.service.uploads.bucketSettingsRole;
      const policies = Object.values(built.serviceTemplate.findResources('AWS::IAM::Policy')).filter((p) =>
        JSON.stringify(p.Properties.Roles).includes(logicalId(role)),
      );
      const statements = policies.flatMap(
        (p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
      );
      const actions = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])).sort();

      expect(actions).toEqual([
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        's3:PutBucketCORS',
        's3:PutBucketNotification',
      ]);
      for (const s of statements.filter((s) => String(s.Action).startsWith('s3:'))) {
        expect(s.Resource).toEqual({ 'Fn::ImportValue': expect.stringMatching(/ReportsBucket.*Arn/) });
      }
      built.serviceTemplate.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })],
        },
        ManagedPolicyArns: Match.absent(),
        Description: Match.stringLikeRegexp('notification and CORS'),
      });
    });

    it('runs the provider with a log group of its own, kept one month', () => {
      built.serviceTemplate.hasResourceProperties('AWS::Lambda::Function', {
        Role: { 'Fn::GetAtt': [logicalId(built.service.uploads.bucketSettingsRole), 'Arn'] },
        LoggingConfig: { LogGroup: Match.anyValue() },
      });
      built.serviceTemplate.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    });
  });

  describe('report retention', () => {
    it('tells on-upload to lock each kept copy 10 years in governance mode by default', () => {
      const env = environmentOf(built.serviceTemplate, built.service.uploads.onUpload);

      expect(env).toMatchObject({ REPORT_RETENTION_YEARS: '10', REPORT_LOCK_MODE: 'GOVERNANCE' });
    });

    it('passes the reportRetentionYears and reportLockMode options to on-upload only', () => {
      const custom = synthApp({ ...TEST_CONTEXT, reportRetentionYears: '25', reportLockMode: 'compliance' });

      expect(environmentOf(custom.serviceTemplate, custom.service.uploads.onUpload)).toMatchObject({
        REPORT_RETENTION_YEARS: '25',
        REPORT_LOCK_MODE: 'COMPLIANCE',
      });
      const others = [
        custom.service.api.publicFunction,
        custom.service.api.adminFunction,
        custom.service.api.setupFunction,
        custom.service.api.unitsFunction,
        custom.service.exports.exporter,
        custom.service.reminders.planner,
      ];
      for (const fn of others) {
        expect(Object.keys(environmentOf(custom.serviceTemplate, fn))).not.toContain('REPORT_LOCK_MODE');
      }
    });
  });

  it('deletes on the on-upload role only under uploads/: landing objects and their versions, never a kept report', () => {
    const deletes = statementsOf(built.serviceTemplate, built.service.uploads.onUpload).filter((s) =>
      JSON.stringify(s.Action).includes('s3:Delete'),
    );

    expect(deletes).toHaveLength(1);
    expect(actionsOf(deletes[0]!).filter((a) => a.startsWith('s3:Delete'))).toEqual([
      's3:DeleteObject',
      's3:DeleteObjectVersion',
    ]);
    expect(resourcesOf(deletes[0]!)).toEqual([{ 'Fn::Join': ['', [expect.anything(), '/uploads/*']] }]);
  });
});
