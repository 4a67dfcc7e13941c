import { Names } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  PLANNER_BATCH_SIZE,
  PLANNER_MAX_CONCURRENCY,
  PLANNER_QUEUE_MAX_AGE,
  PLANNER_TIMEOUT,
} from '#infra/constructs/reminders.ts';
import { actionsOf, environmentOf, logicalId, resourcesOf, statementsOf, synthApp } from './fixtures.ts';

/** The planner's daily run fans out per committee (docs/tenancy.md): tick → planner queue → planner. */
describe('planner fan-out', () => {
  let built: ReturnType<typeof synthApp>;

  beforeAll(() => {
    built = synthApp();
  });

  it('has a planner queue, encrypted, TLS only, redriven to its own dead-letter queue after 5 receives', () => {
    const { queue, deadLetterQueue } = built.service.reminders;
    built.serviceTemplate.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      VisibilityTimeout: PLANNER_TIMEOUT.toSeconds() * 6,
      MessageRetentionPeriod: 14 * 24 * 3600,
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [logicalId(deadLetterQueue), 'Arn'] },
        maxReceiveCount: 5,
      },
    });
    const resources = built.serviceTemplate.findResources('AWS::SQS::Queue');
    expect(resources[logicalId(queue)]?.Properties.RedrivePolicy.deadLetterTargetArn).toEqual({
      'Fn::GetAtt': [logicalId(deadLetterQueue), 'Arn'],
    });
    expect(resources[logicalId(deadLetterQueue)]?.DeletionPolicy).toBe('Retain');
  });

  it('feeds the planner in small batches with partial batch failures and bounded concurrency', () => {
    built.serviceTemplate.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalId(built.service.reminders.planner.function) },
      EventSourceArn: { 'Fn::GetAtt': [logicalId(built.service.reminders.queue), 'Arn'] },
      BatchSize: PLANNER_BATCH_SIZE,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: PLANNER_MAX_CONCURRENCY },
    });
    // The tick is invoked by the scheduler only: no event source of its own.
    const mappings = Object.values(built.serviceTemplate.findResources('AWS::Lambda::EventSourceMapping'));
    expect(
      mappings.filter((m) =>
        JSON.stringify(m.Properties.FunctionName).includes(logicalId(built.service.reminders.tick.function)),
      ),
    ).toEqual([]);
  });

  it('alarms on the first dead letter and on a run waiting three hours', () => {
    const alarms = Object.values(built.serviceTemplate.findResources('AWS::CloudWatch::Alarm')).map(
      (a) => a.Properties as { MetricName?: string; Dimensions?: { Value: unknown }[]; Threshold?: number },
    );
    const on = (queue: typeof built.service.reminders.queue, metric: string) =>
      alarms.filter(
        (a) => a.MetricName === metric && JSON.stringify(a.Dimensions ?? []).includes(logicalId(queue)),
      );
    expect(on(built.service.reminders.deadLetterQueue, 'ApproximateNumberOfMessagesVisible')).toHaveLength(1);
    const stalled = on(built.service.reminders.queue, 'ApproximateAgeOfOldestMessage');
    expect(stalled).toHaveLength(1);
    expect(stalled[0]?.Threshold).toBe(PLANNER_QUEUE_MAX_AGE.toSeconds());
  });

  it('lets the tick read the registry and send to the planner queue, and nothing else', () => {
    const tick = built.service.reminders.tick;
    const statements = statementsOf(built.serviceTemplate, tick).filter(
      (s) => !actionsOf(s).some((a) => a.startsWith('logs:') || a.startsWith('xray:')),
    );
    const dynamo = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')));
    expect(dynamo).toHaveLength(1);
    expect([...actionsOf(dynamo[0]!)].sort()).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
    ]);
    expect(JSON.stringify(resourcesOf(dynamo[0]!))).toMatch(/PlansTable/);
    expect(JSON.stringify(resourcesOf(dynamo[0]!))).not.toMatch(/SubmissionsTable|AuditTable/);
    expect((dynamo[0] as unknown as { Condition: unknown }).Condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['COMMITTEES', 'TREE#*#PARENTS'] },
    });
    const sqs = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('sqs:')));
    // The planner queue, and its own on-failure destination (a failed asynchronous invocation).
    expect(sqs.flatMap(resourcesOf)).toEqual([
      { 'Fn::GetAtt': [logicalId(built.service.reminders.failureQueue), 'Arn'] },
      { 'Fn::GetAtt': [logicalId(built.service.reminders.queue), 'Arn'] },
    ]);
    expect(sqs.flatMap(actionsOf)).not.toContain('sqs:ReceiveMessage');
    const others = statements.filter(
      (s) => !actionsOf(s).some((a) => a.startsWith('dynamodb:') || a.startsWith('sqs:')),
    );
    expect(others).toEqual([]);
    expect(environmentOf(built.serviceTemplate, tick).PLANNER_QUEUE_URL).toEqual({
      Ref: logicalId(built.service.reminders.queue),
    });
  });

  it('lets the planner consume the planner queue but not send to it, nor read the registry by Scan', () => {
    const planner = built.service.reminders.planner;
    const sqs = statementsOf(built.serviceTemplate, planner).filter((s) =>
      resourcesOf(s).some((r) => JSON.stringify(r).includes(logicalId(built.service.reminders.queue))),
    );
    const actions = sqs.flatMap(actionsOf);
    expect(actions).toEqual(expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage']));
    expect(actions).not.toContain('sqs:SendMessage');
    expect(environmentOf(built.serviceTemplate, planner)).not.toHaveProperty('PLANNER_QUEUE_URL');
    // The registry is queried, never scanned (docs/tenancy.md): the tick cannot Scan.
    const tickActions = statementsOf(built.serviceTemplate, built.service.reminders.tick).flatMap(actionsOf);
    expect(tickActions.filter((a) => /^dynamodb:(Scan|\*)/.test(a))).toEqual([]);
  });

  it('acknowledges only the SQS event source mapping destination for the planner (cdk-nag)', () => {
    const source = built.service.reminders.planner.function.node.tryFindChild(
      `SqsEventSource:${Names.nodeUniqueId(built.service.reminders.queue.node)}`,
    );
    expect(source).toBeDefined();
  });
});
