import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { FEATURE_FLAGS } from '#infra/build-app.ts';
import { BaocaoFunction } from '#infra/constructs/baocao-function.ts';
import { logicalId } from './fixtures.ts';

const settings = { committeeName: 'Đảng ủy Sở Tài chính', timeZone: 'Asia/Ho_Chi_Minh' };

describe('BaocaoFunction', () => {
  it('merges the caller environment over the defaults instead of replacing them', () => {
    const stack = new Stack(new App({ context: FEATURE_FLAGS }), 'FunctionTest');
    const fn = new BaocaoFunction(stack, 'Public', {
      entry: 'public-api',
      settings,
      environment: { PLANS_TABLE: 'plans', LOG_LEVEL: 'DEBUG' },
    });

    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Role: { 'Fn::GetAtt': [logicalId(fn.role), 'Arn'] },
      Environment: {
        Variables: {
          POWERTOOLS_SERVICE_NAME: 'baocao',
          POWERTOOLS_METRICS_NAMESPACE: 'Baocao',
          LOG_LEVEL: 'DEBUG',
          TIME_ZONE: 'Asia/Ho_Chi_Minh',
          COMMITTEE_NAME: 'Đảng ủy Sở Tài chính',
          NODE_OPTIONS: '--enable-source-maps',
          PLANS_TABLE: 'plans',
        },
      },
    });
  });

  it('takes memory and timeout from the caller when given', () => {
    const stack = new Stack(new App({ context: FEATURE_FLAGS }), 'FunctionTest');
    new BaocaoFunction(stack, 'Public', {
      entry: 'public-api',
      settings,
      memorySize: 1024,
      timeout: Duration.minutes(5),
    });

    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 1024,
      Timeout: 300,
    });
  });

  it('grants X-Ray in a policy of its own, and only the log group in its role', () => {
    const stack = new Stack(new App({ context: FEATURE_FLAGS }), 'FunctionTest');
    const fn = new BaocaoFunction(stack, 'Public', { entry: 'public-api', settings });
    const template = Template.fromStack(stack);

    template.hasResourceProperties('AWS::Lambda::Function', { TracingConfig: { Mode: 'Active' } });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: logicalId(fn.role) }],
      PolicyDocument: {
        Statement: [
          { Effect: 'Allow', Action: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'], Resource: '*' },
        ],
      },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: logicalId(fn.role) }],
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: { 'Fn::GetAtt': [logicalId(fn.logGroup), 'Arn'] },
          },
        ],
      },
    });
    template.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
  });

  it('rejects an entry that is not a kebab-case name', () => {
    const stack = new Stack(new App({ context: FEATURE_FLAGS }), 'FunctionTest');

    expect(() => new BaocaoFunction(stack, 'Bad', { entry: '../functions/public-api', settings })).toThrow(
      /entry "\.\.\/functions\/public-api" must be a kebab-case name/,
    );
  });

  it('rejects an entry whose file does not exist', () => {
    const stack = new Stack(new App({ context: FEATURE_FLAGS }), 'FunctionTest');

    expect(() => new BaocaoFunction(stack, 'Missing', { entry: 'send-nothing', settings })).toThrow(
      /functions\/send-nothing\.ts does not exist/,
    );
  });
});
