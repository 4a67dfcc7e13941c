import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { logicalId, synthApp } from './fixtures.ts';

interface QueueResource {
  Properties: {
    SqsManagedSseEnabled?: boolean;
    VisibilityTimeout?: number;
    MessageRetentionPeriod?: number;
    RedrivePolicy?: { deadLetterTargetArn: unknown; maxReceiveCount: number };
  };
  DeletionPolicy?: string;
}

describe('every SQS queue', () => {
  let built: ReturnType<typeof synthApp>;
  let queues: Record<string, QueueResource>;

  beforeAll(() => {
    built = synthApp();
    queues = built.serviceTemplate.findResources('AWS::SQS::Queue') as Record<string, QueueResource>;
  });

  it('is one of those the capabilities own', () => {
    const owned = [
      built.service.mail.queue,
      built.service.mail.deadLetterQueue,
      built.service.mail.eventsQueue,
      built.service.mail.eventsDeadLetterQueue,
      built.service.uploads.failureQueue,
      built.service.reminders.failureQueue,
      built.service.reminders.schedulerDeadLetterQueue,
      built.service.exports.failureQueue,
      built.service.signatures.queue,
      built.service.signatures.deadLetterQueue,
      built.service.reminders.queue,
      built.service.reminders.deadLetterQueue,
      built.service.scanResults.queue,
      built.service.scanResults.deadLetterQueue,
    ].map(logicalId);

    expect(Object.keys(queues).sort()).toEqual(owned.sort());
  });

  it('is encrypted at rest (SQS-managed keys)', () => {
    for (const [id, queue] of Object.entries(queues)) {
      expect({ id, sse: queue.Properties.SqsManagedSseEnabled }).toEqual({ id, sse: true });
    }
  });

  it('denies every request without TLS', () => {
    for (const id of Object.keys(queues)) {
      built.serviceTemplate.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 'sqs:*',
              Principal: { AWS: '*' },
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    }
  });

  it('that is consumed has a dead-letter queue after at least 5 receives', () => {
    for (const queue of [
      built.service.mail.queue,
      built.service.mail.eventsQueue,
      built.service.reminders.queue,
    ]) {
      const redrive = queues[logicalId(queue)]?.Properties.RedrivePolicy;
      expect(redrive?.maxReceiveCount).toBeGreaterThanOrEqual(5);
      expect(redrive?.deadLetterTargetArn).toEqual({ 'Fn::GetAtt': [expect.any(String), 'Arn'] });
    }
  });

  it('that holds failures keeps them 14 days and survives the stack', () => {
    for (const queue of [
      built.service.mail.deadLetterQueue,
      built.service.mail.eventsDeadLetterQueue,
      built.service.uploads.failureQueue,
      built.service.reminders.failureQueue,
      built.service.reminders.schedulerDeadLetterQueue,
      built.service.reminders.deadLetterQueue,
      built.service.exports.failureQueue,
    ]) {
      const resource = queues[logicalId(queue)];
      expect(resource?.Properties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
      expect(resource?.DeletionPolicy).toBe('Retain');
    }
  });
});
