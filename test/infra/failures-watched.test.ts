import { beforeAll, describe, expect, it } from 'vitest';
import { GATEWAY_ROUTES } from '#functions/http/routes.ts';
import { API_THROTTLE, UNIT_ROUTE_THROTTLE } from '#infra/constructs/api.ts';
import { MAIL_QUEUE_MAX_AGE } from '#infra/constructs/queues.ts';
import { METRICS } from '#shared/metrics.ts';
import { logicalId, synthApp } from './fixtures.ts';

/** Issue 18: fair limits at the gateway, and no failure without an alarm. */
describe('failures watched and fair limits (service stack)', () => {
  let built: ReturnType<typeof synthApp>;
  let topic: string;

  beforeAll(() => {
    built = synthApp();
    topic = logicalId(built.service.monitoring.topic);
  });

  const hasAlarm = (properties: Record<string, unknown>) =>
    built.serviceTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ...properties,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: topic }],
      OKActions: [{ Ref: topic }],
    });

  it('keeps the mail queue’s messages 14 days, SQS’s longest', () => {
    const queue = built.serviceTemplate.findResources('AWS::SQS::Queue')[logicalId(built.service.mail.queue)];
    expect(queue?.Properties.MessageRetentionPeriod).toBe(14 * 86400);
  });

  it('alarms when the oldest e-mail in the mail queue is an hour old (the mailer stopped consuming)', () => {
    expect(MAIL_QUEUE_MAX_AGE.toSeconds()).toBe(3600);
    hasAlarm({
      AlarmName: 'Baocao-test-MailQueueStalled',
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateAgeOfOldestMessage',
      Dimensions: [
        { Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(built.service.mail.queue), 'QueueName'] } },
      ],
      Statistic: 'Maximum',
      Period: 300,
      Threshold: 3600,
    });
  });

  it('alarms on the HTTP API’s first 5xx in 5 minutes', () => {
    hasAlarm({
      AlarmName: 'Baocao-test-HttpApiServerErrors',
      Namespace: 'AWS/ApiGateway',
      MetricName: '5xx',
      Dimensions: [{ Name: 'ApiId', Value: { Ref: logicalId(built.service.api.httpApi) } }],
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
    });
  });

  it.each([
    METRICS.PublicApiServerError,
    METRICS.AdminApiServerError,
    METRICS.SetupApiServerError,
    METRICS.UnitsApiServerError,
  ])('alarms on %s, the count of a function’s own 5xx answers', (metricName) => {
    hasAlarm({
      AlarmName: `Baocao-test-${metricName}`,
      Namespace: 'Baocao',
      MetricName: metricName,
      Dimensions: [{ Name: 'service', Value: 'baocao' }],
      Statistic: 'Sum',
      Threshold: 1,
    });
  });

  it('gives each unit route its own lower throttle, so /u/* cannot use the committee routes’ budget', () => {
    const stages = built.serviceTemplate.findResources('AWS::ApiGatewayV2::Stage');
    const [id, stage] = Object.entries(stages)[0]!;
    expect(Object.keys(stages)).toHaveLength(1);
    const unitKeys = GATEWAY_ROUTES.filter((r) => r.fn === 'public').map((r) => r.routeKey);
    expect(unitKeys).toEqual(expect.arrayContaining(['ANY /u/{token}', 'ANY /u/{token}/{proxy+}']));
    const settings = stage.Properties.RouteSettings as Record<string, Record<string, number>>;
    expect(Object.keys(settings).sort()).toEqual([...unitKeys].sort());
    for (const key of unitKeys) {
      expect(settings[key]).toEqual({
        ThrottlingBurstLimit: UNIT_ROUTE_THROTTLE.burstLimit,
        ThrottlingRateLimit: UNIT_ROUTE_THROTTLE.rateLimit,
      });
    }
    // Below the stage's default, which every committee route keeps for itself.
    expect(UNIT_ROUTE_THROTTLE.rateLimit).toBeLessThan(API_THROTTLE.rateLimit);
    expect(stage.Properties.DefaultRouteSettings).toMatchObject({
      ThrottlingBurstLimit: API_THROTTLE.burstLimit,
      ThrottlingRateLimit: API_THROTTLE.rateLimit,
    });
    // A route's settings need the route: the stage is created after every route.
    const routes = Object.keys(built.serviceTemplate.findResources('AWS::ApiGatewayV2::Route'));
    expect(stage.DependsOn).toEqual(expect.arrayContaining(routes));
    expect(id).toBeTruthy();
  });
});
