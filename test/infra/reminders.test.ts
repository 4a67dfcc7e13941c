import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { logicalId, synthApp } from './fixtures.ts';

describe('Reminders', () => {
  let built: ReturnType<typeof synthApp>;

  beforeAll(() => {
    built = synthApp();
  });

  it('runs the planner daily at 08:00 in Asia/Ho_Chi_Minh, exactly on time', () => {
    built.serviceTemplate.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 8 * * ? *)',
      ScheduleExpressionTimezone: 'Asia/Ho_Chi_Minh',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      GroupName: built.service.resolve(built.service.reminders.scheduleGroup.scheduleGroupName),
    });
  });

  it('follows the configured time zone', () => {
    const custom = synthApp({ stage: 'test', senderEmail: 'baocao@example.vn', timeZone: 'Asia/Bangkok' });

    custom.serviceTemplate.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpressionTimezone: 'Asia/Bangkok',
    });
  });

  it('invokes the tick with the scheduled time, retries 3 times within an hour, then uses its dead-letter queue', () => {
    built.serviceTemplate.hasResourceProperties('AWS::Scheduler::Schedule', {
      Target: {
        Arn: { 'Fn::GetAtt': [logicalId(built.service.reminders.tick.function), 'Arn'] },
        RoleArn: { 'Fn::GetAtt': [logicalId(built.service.reminders.schedulerRole), 'Arn'] },
        Input: '{"at":"<aws.scheduler.scheduled-time>"}',
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: {
          Arn: { 'Fn::GetAtt': [logicalId(built.service.reminders.schedulerDeadLetterQueue), 'Arn'] },
        },
      },
    });
  });

  it('retries a failed tick twice within an hour, then keeps it in the planner failure queue', () => {
    built.serviceTemplate.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: logicalId(built.service.reminders.tick.function) },
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 3600,
      DestinationConfig: {
        OnFailure: {
          Destination: { 'Fn::GetAtt': [logicalId(built.service.reminders.failureQueue), 'Arn'] },
        },
      },
    });
  });

  it("gives the scheduler a role of this account's scheduler that may only invoke the tick and use its DLQ", () => {
    const role = built.service.reminders.schedulerRole;
    built.serviceTemplate.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ],
      },
      Description: Match.stringLikeRegexp('Scheduler'),
    });
    const statements = Object.values(built.serviceTemplate.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes(logicalId(role)))
      .flatMap(
        (p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
      );

    const planner = logicalId(built.service.reminders.tick.function);
    const dlq = logicalId(built.service.reminders.schedulerDeadLetterQueue);
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: 'lambda:InvokeFunction',
        Resource: [
          { 'Fn::GetAtt': [planner, 'Arn'] },
          { 'Fn::Join': ['', [{ 'Fn::GetAtt': [planner, 'Arn'] }, ':*']] },
        ],
      },
      { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': [dlq, 'Arn'] } },
    ]);
  });
});
