import { readFileSync } from 'node:fs';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { COST_ASSUMPTIONS } from '#infra/cost-model.ts';
import { METRIC_PUBLISHERS, METRICS, SES_REPUTATION_METRICS } from '#shared/metrics.ts';
import { environmentOf, logicalId, synthApp } from './fixtures.ts';

describe('Monitoring', () => {
  let built: ReturnType<typeof synthApp>;
  let topic: string;

  beforeAll(() => {
    built = synthApp({ stage: 'test', senderEmail: 'baocao@example.vn', alarmEmail: 'ops@example.vn' });
    topic = logicalId(built.service.monitoring.topic);
  });

  /** Asserts an alarm with these properties that notifies the topic on ALARM and on OK. */
  const hasAlarm = (properties: Record<string, unknown>) =>
    built.serviceTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ...properties,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: topic }],
      OKActions: [{ Ref: topic }],
    });

  it('subscribes the operator address to the alarm topic', () => {
    built.serviceTemplate.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.vn',
      TopicArn: { Ref: topic },
    });
  });

  it('has no subscription without alarmEmail', () => {
    const plain = synthApp();

    plain.serviceTemplate.resourcePropertiesCountIs('AWS::SNS::Subscription', { Protocol: 'email' }, 0);
  });

  it('lets CloudWatch alarms of this account publish to the topic, over TLS only', () => {
    built.serviceTemplate.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topic }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Action: 'sns:Publish',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Condition: Match.objectLike({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } }),
          }),
        ]),
      },
    });
  });

  it.each([
    ['MailDeadLetterQueue', () => built.service.mail.deadLetterQueue],
    ['SesEventsDeadLetterQueue', () => built.service.mail.eventsDeadLetterQueue],
    ['UploadFailureQueue', () => built.service.uploads.failureQueue],
    ['PlannerFailureQueue', () => built.service.reminders.failureQueue],
    ['SchedulerDeadLetterQueue', () => built.service.reminders.schedulerDeadLetterQueue],
    ['ExportFailureQueue', () => built.service.exports.failureQueue],
  ])('alarms as soon as %s holds a message', (name, queue) => {
    hasAlarm({
      AlarmName: `Baocao-test-${name}NotEmpty`,
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(queue()), 'QueueName'] } }],
      Statistic: 'Maximum',
      Threshold: 1,
    });
  });

  it('alarms when an SES event has waited an hour in the consumed SES events queue', () => {
    hasAlarm({
      AlarmName: 'Baocao-test-SesEventsQueueStalled',
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateAgeOfOldestMessage',
      Dimensions: [
        {
          Name: 'QueueName',
          Value: { 'Fn::GetAtt': [logicalId(built.service.mail.eventsQueue), 'QueueName'] },
        },
      ],
      Statistic: 'Maximum',
      Period: 300,
      Threshold: 3600,
    });
  });

  it('no longer alarms on a visible message in the SES events queue: the consumer reads each one', () => {
    built.serviceTemplate.resourcePropertiesCountIs(
      'AWS::CloudWatch::Alarm',
      { AlarmName: 'Baocao-test-SesEventsQueueNotEmpty' },
      0,
    );
    built.serviceTemplate.resourcePropertiesCountIs(
      'AWS::CloudWatch::Alarm',
      {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [
          {
            Name: 'QueueName',
            Value: { 'Fn::GetAtt': [logicalId(built.service.mail.eventsQueue), 'QueueName'] },
          },
        ],
      },
      0,
    );
  });

  it.each([
    ['PublicApi', () => built.service.api.publicFunction],
    ['AdminApi', () => built.service.api.adminFunction],
    ['SetupApi', () => built.service.api.setupFunction],
    ['UnitsApi', () => built.service.api.unitsFunction],
    ['OnUpload', () => built.service.uploads.onUpload],
    ['Mailer', () => built.service.mail.mailer],
    ['SesEvents', () => built.service.mail.sesEvents],
    ['Planner', () => built.service.reminders.planner],
    ['Exporter', () => built.service.exports.exporter],
  ])('alarms on any error of %s', (name, fn) => {
    hasAlarm({
      AlarmName: `Baocao-test-${name}Errors`,
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalId(fn().function) } }],
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
    });
  });

  it("alarms on any throttle in the account's Lambda, once for every function (their concurrency is the account's)", () => {
    const throttles = Object.values(built.serviceTemplate.findResources('AWS::CloudWatch::Alarm')).filter(
      (alarm) => alarm.Properties.MetricName === 'Throttles',
    );
    expect(throttles).toHaveLength(1);
    expect(throttles[0]!.Properties).toMatchObject({
      AlarmName: 'Baocao-test-LambdaThrottles',
      Namespace: 'AWS/Lambda',
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
    });
    // No dimension: the account-wide sum, which counts every function of the stack.
    expect(throttles[0]!.Properties.Dimensions).toBeUndefined();
  });

  it("alarms when the scheduler's target fails, in the planner's schedule group", () => {
    hasAlarm({
      AlarmName: 'Baocao-test-SchedulerTargetErrors',
      Namespace: 'AWS/Scheduler',
      MetricName: 'TargetErrorCount',
      Dimensions: [
        {
          Name: 'ScheduleGroup',
          Value: built.service.resolve(built.service.reminders.scheduleGroup.scheduleGroupName),
        },
      ],
      Threshold: 1,
    });
  });

  it('alarms on any replayed upload on-upload quarantined (its Powertools metric, namespace Baocao, service baocao)', () => {
    hasAlarm({
      AlarmName: 'Baocao-test-UploadReplayQuarantined',
      Namespace: 'Baocao',
      MetricName: 'UploadReplayQuarantined',
      Dimensions: [{ Name: 'service', Value: 'baocao' }],
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      AlarmDescription: Match.stringLikeRegexp('quarantine/'),
    });
    // The name is the one the function publishes, in the namespace and service it is given.
    const source = readFileSync(new URL('../../functions/on-upload.ts', import.meta.url), 'utf8');
    expect(METRIC_PUBLISHERS.UploadReplayQuarantined).toBe('on-upload');
    expect(source).toContain('METRICS.UploadReplayQuarantined');
    expect(environmentOf(built.serviceTemplate, built.service.uploads.onUpload)).toMatchObject({
      POWERTOOLS_METRICS_NAMESPACE: 'Baocao',
      POWERTOOLS_SERVICE_NAME: 'baocao',
    });
  });

  it('alarms at an SES bounce rate of 5 % and a complaint rate of 0.1 %', () => {
    hasAlarm({ Namespace: 'AWS/SES', MetricName: 'Reputation.BounceRate', Threshold: 0.05 });
    hasAlarm({ Namespace: 'AWS/SES', MetricName: 'Reputation.ComplaintRate', Threshold: 0.001 });
  });

  it('watches only business metrics of the map (shared/metrics.ts), each under its own name', () => {
    // Prepare
    const alarms = Object.values(built.serviceTemplate.findResources('AWS::CloudWatch::Alarm')).map(
      (a) => a.Properties as { AlarmName: string; Namespace?: string; MetricName?: string },
    );
    const business = alarms.filter((a) => a.Namespace === 'Baocao');
    const ses = alarms.filter((a) => a.Namespace === 'AWS/SES');

    // Assess
    expect(business.length).toBeGreaterThan(0);
    for (const alarm of business) {
      expect(Object.keys(METRICS)).toContain(alarm.MetricName);
      expect(alarm.AlarmName).toBe(`Baocao-test-${alarm.MetricName}`);
    }
    expect(ses.map((a) => a.MetricName).sort()).toEqual(Object.values(SES_REPUTATION_METRICS).sort());
  });

  it('has exactly the alarms the cost model counts, all sent to the topic', () => {
    const alarms = Object.values(built.serviceTemplate.findResources('AWS::CloudWatch::Alarm'));

    expect(alarms).toHaveLength(COST_ASSUMPTIONS.alarms);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topic }]);
  });
});
