import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from 'aws-cdk-lib';
import { Validations } from 'aws-cdk-lib';
import { BackupResource } from 'aws-cdk-lib/aws-backup';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { buildApp } from '#infra/build-app.ts';
import { TEST_CONTEXT } from './fixtures.ts';

interface Report {
  pluginReports: {
    pluginName: string;
    violations: { ruleName: string; violatingConstructs: { constructPath: string }[] }[];
  }[];
}

/**
 * Synthesizes the app and returns every violation as `rule @ construct path`; an empty list
 * when synth passed. cdk-nag makes `app.synth()` throw and writes the details to the
 * cloud assembly's validation-report.json.
 */
function synthViolations(app: App): string[] {
  try {
    app.synth();
    return [];
  } catch (error) {
    const reportFile = join(app.outdir, 'validation-report.json');
    if (!existsSync(reportFile)) throw error;
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as Report;
    return report.pluginReports.flatMap((plugin) =>
      plugin.violations.flatMap((violation) =>
        violation.violatingConstructs.map(
          (construct) => `${violation.ruleName} @ ${construct.constructPath}`,
        ),
      ),
    );
  }
}

describe('cdk-nag (AwsSolutions and Serverless packs)', () => {
  it('passes with every finding acknowledged', () => {
    const { app } = buildApp(TEST_CONTEXT, { bundle: false });

    expect(synthViolations(app)).toEqual([]);
  });

  it('passes with the defaults of a plain `cdk synth`, bundling every function', () => {
    const { app } = buildApp({});

    expect(synthViolations(app)).toEqual([]);
  });

  it('passes with every optional context value (domain identity, alarm e-mail, custom domain)', () => {
    const { app } = buildApp(
      {
        stage: 'prod',
        senderEmail: 'baocao@so.example.vn',
        senderDomain: 'so.example.vn',
        committeeEmails: 'van-phong@so.example.vn',
        alarmEmail: 'ops@example.vn',
        appOrigin: 'https://baocao.so.example.vn',
        certificateArn:
          'arn:aws:acm:ap-southeast-1:123456789012:certificate/12345678-1234-1234-1234-123456789012',
      },
      { bundle: false },
    );

    expect(synthViolations(app)).toEqual([]);
  });

  it('reports a bare bucket, proving the checks run', () => {
    const { app, stateful } = buildApp(TEST_CONTEXT, { bundle: false });
    new Bucket(stateful, 'BareBucket');

    const violations = synthViolations(app);

    expect(violations).toEqual([
      'AwsSolutions-S1 @ Baocao-test-Stateful/BareBucket/Resource',
      'AwsSolutions-S10 @ Baocao-test-Stateful/BareBucket/Resource',
    ]);
  });

  it('accepts the bare bucket once each finding is acknowledged on it', () => {
    const { app, stateful } = buildApp(TEST_CONTEXT, { bundle: false });
    const bare = new Bucket(stateful, 'BareBucket');
    Validations.of(bare).acknowledge({ id: 'AwsSolutions-S1', reason: 'test fixture' });
    Validations.of(bare).acknowledge({ id: 'AwsSolutions-S10', reason: 'test fixture' });

    expect(synthViolations(app)).toEqual([]);
  });

  it('acknowledges uploads/* only for the public function: a grant on the whole bucket is reported', () => {
    const { app, service, stateful } = buildApp(TEST_CONTEXT, { bundle: false });
    stateful.reportsBucket.grantRead(service.api.publicFunction);

    const violations = synthViolations(app);

    expect(violations).toEqual(
      expect.arrayContaining([
        'AwsSolutions-IAM5[Action::s3:GetObject*] @ Baocao-test-Service/Api/PublicApi/Role/DefaultPolicy/Resource',
        expect.stringMatching(
          /^AwsSolutions-IAM5\[Resource::Baocao-test-Stateful:ExportsOutput.*ReportsBucket.*\/\*\] @ Baocao-test-Service\/Api\/PublicApi\//,
        ),
      ]),
    );
    expect(violations.filter((v) => v.includes('/uploads/*') || v.includes('/reports/*'))).toEqual([]);
  });

  it("acknowledges AWS Backup's managed policy on the tables' selection role only: another selection is reported", () => {
    const { app, stateful } = buildApp(TEST_CONTEXT, { bundle: false });
    stateful.backupPlan.addSelection('More', {
      resources: [BackupResource.fromDynamoDbTable(stateful.plansTable)],
    });

    expect(synthViolations(app)).toEqual([
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup] @ Baocao-test-Stateful/BackupPlan/More/Role/Resource',
    ]);
  });

  it('acknowledges "*" for the X-Ray policy only: any other grant on "*" is reported', () => {
    const { app, service } = buildApp(TEST_CONTEXT, { bundle: false });
    service.api.adminFunction.function.addToRolePolicy(
      new PolicyStatement({ actions: ['ses:SendEmail'], resources: ['*'] }),
    );

    expect(synthViolations(app)).toEqual([
      'AwsSolutions-IAM5[Resource::*] @ Baocao-test-Service/Api/AdminApi/Role/DefaultPolicy/Resource',
    ]);
  });

  it('acknowledges bucket wildcards per role: the same grant on the mailer is reported', () => {
    const { app, service, stateful } = buildApp(TEST_CONTEXT, { bundle: false });
    stateful.reportsBucket.grantRead(service.mail.mailer, 'reports/*');

    const violations = synthViolations(app);

    expect(violations).toEqual(
      expect.arrayContaining([
        'AwsSolutions-IAM5[Action::s3:GetObject*] @ Baocao-test-Service/Mail/Mailer/Role/DefaultPolicy/Resource',
        expect.stringMatching(
          /^AwsSolutions-IAM5\[Resource::.*ReportsBucket.*\/reports\/\*\] @ Baocao-test-Service\/Mail\/Mailer\//,
        ),
      ]),
    );
  });

  it('reports a queue without encryption or TLS policy, proving the queue rules run', () => {
    const { app, service } = buildApp(TEST_CONTEXT, { bundle: false });
    new Queue(service, 'BareQueue');

    expect(synthViolations(app)).toEqual(
      expect.arrayContaining([
        'AwsSolutions-SQS3 @ Baocao-test-Service/BareQueue/Resource',
        'AwsSolutions-SQS4 @ Baocao-test-Service/BareQueue/Resource',
      ]),
    );
  });
});
