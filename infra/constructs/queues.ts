import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { acknowledge } from '../nag.ts';

/** Receives before a message moves to its dead-letter queue (issue 6: at least 5). */
export const MAX_RECEIVE_COUNT = 5;

/** The visibility timeout of a queue is at least this many times its consumer's timeout. */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

/** How long failed messages and events wait for the operator: SQS's longest retention. */
export const FAILURE_RETENTION = Duration.days(14);

/**
 * The mail queue is stalled when its oldest e-mail is this old (Monitoring alarms, issue 18): while
 * the mailer consumes, an e-mail leaves within 5 receives × 180 s (sent, given up, or moved to the
 * dead-letter queue), and a period's 3,000 links take minutes at SES's sending rate. An hour is
 * far beyond both and far below the queue's 14-day retention: the operator hears of a mailer that
 * stopped consuming (mapping disabled, no concurrency) long before an e-mail could expire.
 */
export const MAIL_QUEUE_MAX_AGE = Duration.hours(1);

/**
 * Every queue's protections: SQS-managed server-side encryption (no KMS key to pay for, nor to
 * grant to the AWS services that send to these queues: Lambda destinations, EventBridge
 * Scheduler, SNS) and a queue policy that denies any request made without TLS.
 */
const HARDENED = {
  encryption: QueueEncryption.SQS_MANAGED,
  enforceSSL: true,
} as const;

/**
 * The dead-letter queue of a work queue (its redrive policy moves a message here after
 * {@link MAX_RECEIVE_COUNT} receives). Messages are kept 14 days; the monitoring construct alarms
 * as soon as one arrives. Retained when the stack is deleted: a message there may be the only
 * trace of an e-mail that was never sent.
 */
export function createDeadLetterQueue(scope: Construct, id: string): Queue {
  const queue = new Queue(scope, id, {
    ...HARDENED,
    retentionPeriod: FAILURE_RETENTION,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  acknowledge(
    queue,
    'Serverless-SQSRedrivePolicy',
    'This queue is a dead-letter queue: nothing consumes it, so a redrive policy of its own would never apply. Its first message raises an alarm, and the operator moves messages back with a DLQ redrive.',
  );
  return queue;
}

/**
 * Where failed asynchronous events end: a Lambda on-failure destination, or EventBridge
 * Scheduler's dead-letter queue. Hardened like every queue, messages kept 14 days, retained on
 * delete, alarmed on the first message.
 */
export function createFailureQueue(scope: Construct, id: string): Queue {
  const queue = createDeadLetterQueue(scope, id);
  acknowledge(
    queue,
    'AwsSolutions-SQS3',
    "This queue is itself a dead-letter destination (a Lambda asynchronous invocation's on-failure destination, or EventBridge Scheduler's DLQ), which cdk-nag recognises only for SQS redrive; nothing consumes it, and its first message raises an alarm.",
  );
  return queue;
}

/** Properties of {@link createWorkQueue}. */
export interface WorkQueueProps {
  /** Timeout of the function that consumes the queue; the visibility timeout is 6× this. */
  readonly consumerTimeout: Duration;
  /** Where a message goes after {@link MAX_RECEIVE_COUNT} failed receives. */
  readonly deadLetterQueue: Queue;
  /**
   * @default {@link FAILURE_RETENTION} (14 days, SQS's longest): a message of a consumer that
   * stopped is kept long after its queue's age alarm, never expired before anyone heard of it.
   */
  readonly retentionPeriod?: Duration;
}

/**
 * A queue consumed by a function: hardened like every queue, with a dead-letter queue after
 * {@link MAX_RECEIVE_COUNT} receives and a visibility timeout of 6× the consumer's timeout (AWS's
 * guidance for Lambda event sources, so a batch that is retried inside one invocation is never
 * delivered twice at once).
 */
export function createWorkQueue(scope: Construct, id: string, props: WorkQueueProps): Queue {
  return new Queue(scope, id, {
    ...HARDENED,
    visibilityTimeout: Duration.seconds(props.consumerTimeout.toSeconds() * VISIBILITY_TIMEOUT_FACTOR),
    retentionPeriod: props.retentionPeriod ?? FAILURE_RETENTION,
    deadLetterQueue: { queue: props.deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
  });
}
