import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  MAIL_BATCH_SIZE,
  MAILER_MAX_CONCURRENCY,
  SES_EVENTS_BATCH_SIZE,
  SES_EVENTS_MAX_CONCURRENCY,
} from '#infra/constructs/mail.ts';
import { environmentOf, functionProperties, logicalId, synthApp } from './fixtures.ts';

describe('Mail', () => {
  let built: ReturnType<typeof synthApp>;

  beforeAll(() => {
    built = synthApp();
  });

  describe('mail queue', () => {
    it('is encrypted with SQS-managed keys', () => {
      built.serviceTemplate.hasResource('AWS::SQS::Queue', {
        Properties: Match.objectLike({ SqsManagedSseEnabled: true, RedrivePolicy: Match.anyValue() }),
      });
      const queue =
        built.serviceTemplate.findResources('AWS::SQS::Queue')[logicalId(built.service.mail.queue)];
      expect(queue?.Properties.SqsManagedSseEnabled).toBe(true);
    });

    it('moves a message to its dead-letter queue after 5 receives', () => {
      built.serviceTemplate.hasResourceProperties('AWS::SQS::Queue', {
        RedrivePolicy: {
          deadLetterTargetArn: { 'Fn::GetAtt': [logicalId(built.service.mail.deadLetterQueue), 'Arn'] },
          maxReceiveCount: 5,
        },
      });
    });

    it('hides a message for at least 6× the mailer timeout (6 × 30 s)', () => {
      const queue =
        built.serviceTemplate.findResources('AWS::SQS::Queue')[logicalId(built.service.mail.queue)];
      const mailer =
        built.serviceTemplate.findResources('AWS::Lambda::Function')[
          logicalId(built.service.mail.mailer.function)
        ];

      expect(queue?.Properties.VisibilityTimeout).toBe(180);
      expect(queue?.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * mailer?.Properties.Timeout);
    });

    it('refuses requests without TLS', () => {
      built.serviceTemplate.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: logicalId(built.service.mail.queue) }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 'sqs:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    });
  });

  describe('mailer', () => {
    it('consumes the queue in batches of 10, reporting batch item failures, at most 2 at a time', () => {
      expect(MAIL_BATCH_SIZE).toBe(10);
      expect(MAILER_MAX_CONCURRENCY).toBe(2);
      built.serviceTemplate.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: logicalId(built.service.mail.mailer.function) },
        EventSourceArn: { 'Fn::GetAtt': [logicalId(built.service.mail.queue), 'Arn'] },
        BatchSize: 10,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: 2 },
      });
    });

    it('sends from the configured sender through the configuration set', () => {
      built.serviceTemplate.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: Match.absent(),
        Environment: {
          Variables: Match.objectLike({
            SENDER_EMAIL: 'baocao@example.vn',
            SES_CONFIGURATION_SET: { Ref: logicalId(built.service.mail.configurationSet) },
          }),
        },
      });
    });
  });

  describe('SES', () => {
    it('verifies the sender address as an identity whose default configuration set is the app’s', () => {
      built.serviceTemplate.hasResourceProperties('AWS::SES::EmailIdentity', {
        EmailIdentity: 'baocao@example.vn',
        ConfigurationSetAttributes: {
          ConfigurationSetName: { Ref: logicalId(built.service.mail.configurationSet) },
        },
      });
    });

    it('verifies a domain with Easy DKIM instead when senderDomain is given, and outputs its records', () => {
      const custom = synthApp({
        stage: 'test',
        senderEmail: 'baocao@so.example.vn',
        senderDomain: 'so.example.vn',
      });

      custom.serviceTemplate.hasResourceProperties('AWS::SES::EmailIdentity', {
        EmailIdentity: 'so.example.vn',
      });
      for (const n of [1, 2, 3]) {
        custom.serviceTemplate.hasOutput(`DkimRecord${n}`, { Value: Match.anyValue() });
      }
    });

    it('keeps reputation metrics and suppresses addresses that bounced or complained', () => {
      built.serviceTemplate.hasResourceProperties('AWS::SES::ConfigurationSet', {
        ReputationOptions: { ReputationMetricsEnabled: true },
        SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
      });
    });

    it('routes bounces, complaints, rejects and delivery delays to the SNS topic', () => {
      built.serviceTemplate.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
        ConfigurationSetName: { Ref: logicalId(built.service.mail.configurationSet) },
        EventDestination: {
          Enabled: true,
          MatchingEventTypes: ['bounce', 'complaint', 'reject', 'deliveryDelay'],
          SnsDestination: { TopicARN: { Ref: logicalId(built.service.mail.eventsTopic) } },
        },
      });
    });

    it('publishes every sending event as CloudWatch metrics by configuration set', () => {
      built.serviceTemplate.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
        EventDestination: Match.objectLike({
          MatchingEventTypes: Match.arrayWith(['send', 'delivery', 'bounce', 'complaint']),
          CloudWatchDestination: {
            DimensionConfigurations: [
              {
                DimensionName: 'ses:configuration-set',
                DimensionValueSource: 'messageTag',
                DefaultDimensionValue: { Ref: logicalId(built.service.mail.configurationSet) },
              },
            ],
          },
        }),
      });
    });

    it('lets only SES of this configuration set publish to the events topic, over TLS', () => {
      built.serviceTemplate.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [{ Ref: logicalId(built.service.mail.eventsTopic) }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
            Match.objectLike({
              Effect: 'Allow',
              Action: 'sns:Publish',
              Principal: { Service: 'ses.amazonaws.com' },
              Condition: { StringEquals: Match.objectLike({ 'AWS:SourceAccount': Match.anyValue() }) },
            }),
          ]),
        },
      });
    });

    it('keeps the events in an encrypted queue for 14 days, with its own dead-letter queue', () => {
      built.serviceTemplate.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'sqs',
        TopicArn: { Ref: logicalId(built.service.mail.eventsTopic) },
        Endpoint: { 'Fn::GetAtt': [logicalId(built.service.mail.eventsQueue), 'Arn'] },
        RawMessageDelivery: true,
        RedrivePolicy: {
          deadLetterTargetArn: { 'Fn::GetAtt': [logicalId(built.service.mail.eventsDeadLetterQueue), 'Arn'] },
        },
      });
      const queue =
        built.serviceTemplate.findResources('AWS::SQS::Queue')[logicalId(built.service.mail.eventsQueue)];
      expect(queue?.Properties).toMatchObject({
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 14 * 86400,
      });
    });
  });

  describe('SES events consumer', () => {
    it('consumes the SES events queue in batches of 10, reporting batch item failures, at most 2 at a time', () => {
      expect(SES_EVENTS_BATCH_SIZE).toBe(10);
      expect(SES_EVENTS_MAX_CONCURRENCY).toBe(2);
      built.serviceTemplate.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: logicalId(built.service.mail.sesEvents.function) },
        EventSourceArn: { 'Fn::GetAtt': [logicalId(built.service.mail.eventsQueue), 'Arn'] },
        BatchSize: 10,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: 2 },
      });
    });

    it('is the only consumer of the events queue, and consumes nothing else', () => {
      const mappings = Object.values(
        built.serviceTemplate.findResources('AWS::Lambda::EventSourceMapping'),
      ) as { Properties: { FunctionName: unknown; EventSourceArn: unknown } }[];
      const onEvents = mappings.filter(
        (m) =>
          JSON.stringify(m.Properties.EventSourceArn) ===
          JSON.stringify({ 'Fn::GetAtt': [logicalId(built.service.mail.eventsQueue), 'Arn'] }),
      );
      const bySesEvents = mappings.filter(
        (m) =>
          JSON.stringify(m.Properties.FunctionName) ===
          JSON.stringify({ Ref: logicalId(built.service.mail.sesEvents.function) }),
      );

      expect(onEvents).toHaveLength(1);
      expect(bySesEvents).toEqual(onEvents);
    });

    it('runs functions/ses-events.ts for at most 30 s, and the queue hides an event for 6× that', () => {
      const queue =
        built.serviceTemplate.findResources('AWS::SQS::Queue')[logicalId(built.service.mail.eventsQueue)];
      const fn = functionProperties(built.serviceTemplate, built.service.mail.sesEvents);

      expect(fn).toMatchObject({ Timeout: 30, MemorySize: 256, Description: 'baocao ses-events' });
      expect(queue?.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * (fn.Timeout as number));
      expect(queue?.Properties.RedrivePolicy).toEqual({
        deadLetterTargetArn: { 'Fn::GetAtt': [logicalId(built.service.mail.eventsDeadLetterQueue), 'Arn'] },
        maxReceiveCount: 5,
      });
    });

    it('needs no sender, configuration set or queue URL: it sends nothing', () => {
      const env = environmentOf(built.serviceTemplate, built.service.mail.sesEvents);

      expect(env).not.toHaveProperty('SENDER_EMAIL');
      expect(env).not.toHaveProperty('SES_CONFIGURATION_SET');
      expect(env).not.toHaveProperty('MAIL_QUEUE_URL');
    });
  });
});
