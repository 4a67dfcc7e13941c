import { Duration, Names, Stack } from 'aws-cdk-lib';
import { Grant } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import {
  CloudWatchDimensionSource,
  ConfigurationSet,
  EmailIdentity,
  EmailSendingEvent,
  EventDestination,
  Identity,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge } from '../nag.ts';
import { BaocaoFunction, type FunctionSettings } from './baocao-function.ts';
import { resourceNames, type StatefulResources } from './environment.ts';
import { createDeadLetterQueue, createWorkQueue, FAILURE_RETENTION } from './queues.ts';

/** The mailer's timeout: a batch of 10 SES calls with the SDK's adaptive retries. */
export const MAILER_TIMEOUT = Duration.seconds(30);

/** Messages per mailer invocation (SQS's maximum without a batching window). */
export const MAIL_BATCH_SIZE = 10;

/**
 * Concurrent mailer invocations (the lowest value SQS event sources accept). With batches of 10
 * sent in parallel this stays near SES's default production rate of 14 e-mails a second; a
 * burst above it is absorbed by the SDK's adaptive retry, then by the queue (the message
 * returns after the visibility timeout). Raise both together: SES rate first, then this.
 */
export const MAILER_MAX_CONCURRENCY = 2;

/** SES events that mean an e-mail did not reach its unit, routed back to the app (SNS). */
export const PROBLEM_EVENTS = [
  EmailSendingEvent.BOUNCE,
  EmailSendingEvent.COMPLAINT,
  EmailSendingEvent.REJECT,
  EmailSendingEvent.DELIVERY_DELAY,
];

/** Properties of {@link Mail}. */
export interface MailProps {
  readonly settings: FunctionSettings;
  readonly stateful: StatefulResources;
  /** The address every e-mail is sent from (`SENDER_EMAIL`). */
  readonly senderEmail: string;
  /** Verify this domain in SES instead of the single address. @default - the address */
  readonly senderDomain?: string;
}

/**
 * E-mail: every e-mail is one message on the mail queue; the mailer sends it through SES exactly
 * once per key (functions/mailer.ts).
 *
 * - **Mail queue** (SQS-managed encryption, TLS only), visibility timeout 6× the mailer's
 *   timeout, dead-letter queue after 5 receives.
 * - **Mailer** (`functions/mailer.ts`): SQS event source, batches of 10, partial batch failures
 *   (`reportBatchItemFailures`), at most {@link MAILER_MAX_CONCURRENCY} concurrent invocations.
 * - **SES**: the sender identity (address, or domain with Easy DKIM) and a configuration set,
 *   the identity's default, with reputation metrics and the account suppression list for bounces
 *   and complaints. Two event destinations: problem events (bounce, complaint, reject, delivery
 *   delay) to an SNS topic whose subscribed queue keeps them for the app (no function consumes it
 *   yet: docs/infra.md), and every sending event to CloudWatch metrics (`AWS/SES`, dimension
 *   `ses:configuration-set`).
 */
export class Mail extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly mailer: BaocaoFunction;
  readonly identity: EmailIdentity;
  readonly configurationSet: ConfigurationSet;
  /** Bounce, complaint, reject and delivery-delay events published by SES. */
  readonly eventsTopic: Topic;
  /** Subscribed to {@link eventsTopic}: keeps the events 14 days until they are processed. */
  readonly eventsQueue: Queue;
  readonly eventsDeadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: MailProps) {
    super(scope, id);

    this.deadLetterQueue = createDeadLetterQueue(this, 'DeadLetterQueue');
    this.queue = createWorkQueue(this, 'Queue', {
      consumerTimeout: MAILER_TIMEOUT,
      deadLetterQueue: this.deadLetterQueue,
    });

    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      reputationMetrics: true,
      sendingEnabled: true,
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    this.identity = new EmailIdentity(this, 'SenderIdentity', {
      identity: props.senderDomain ? Identity.domain(props.senderDomain) : Identity.email(props.senderEmail),
      // Every e-mail from this identity uses the set, even one sent without naming it.
      configurationSet: this.configurationSet,
    });

    this.eventsTopic = new Topic(this, 'EventsTopic', {
      displayName: 'baocao SES bounce, complaint, reject and delivery-delay events',
      enforceSSL: true,
    });
    this.eventsDeadLetterQueue = createDeadLetterQueue(this, 'EventsDeadLetterQueue');
    this.eventsQueue = createWorkQueue(this, 'EventsQueue', {
      // The future consumer (docs/infra.md) is expected to be a small function like the mailer.
      consumerTimeout: MAILER_TIMEOUT,
      deadLetterQueue: this.eventsDeadLetterQueue,
      retentionPeriod: FAILURE_RETENTION,
    });
    this.eventsTopic.addSubscription(
      new SqsSubscription(this.eventsQueue, {
        rawMessageDelivery: true,
        // Messages SNS cannot deliver to the queue are kept as well.
        deadLetterQueue: this.eventsDeadLetterQueue,
      }),
    );
    this.configurationSet.addEventDestination('ProblemsToSns', {
      destination: EventDestination.snsTopic(this.eventsTopic),
      events: PROBLEM_EVENTS,
    });
    this.configurationSet.addEventDestination('EventsToCloudWatch', {
      destination: EventDestination.cloudWatchDimensions([
        {
          // SES's auto-tag of the configuration set (AWS's documented way to use it as a dimension).
          name: 'ses:configuration-set',
          source: CloudWatchDimensionSource.MESSAGE_TAG,
          defaultValue: this.configurationSet.configurationSetName,
        },
      ]),
      events: [EmailSendingEvent.SEND, EmailSendingEvent.DELIVERY, ...PROBLEM_EVENTS],
    });

    this.mailer = new BaocaoFunction(this, 'Mailer', {
      entry: 'mailer',
      settings: props.settings,
      timeout: MAILER_TIMEOUT,
      environment: {
        ...resourceNames(props.stateful),
        SENDER_EMAIL: props.senderEmail,
        SES_CONFIGURATION_SET: this.configurationSet.configurationSetName,
      },
    });
    // Delivery records (MAIL#<key>) and the units' mail problems live in the submissions table.
    props.stateful.submissionsTable.grantReadWriteData(this.mailer);
    this.identity.grantSendEmail(this.mailer);
    // SES authorizes the configuration set of each e-mail as well as its identity.
    Grant.addToPrincipal({
      grantee: this.mailer,
      actions: ['ses:SendEmail', 'ses:SendRawEmail'],
      resourceArns: [
        Stack.of(this).formatArn({
          service: 'ses',
          resource: 'configuration-set',
          resourceName: this.configurationSet.configurationSetName,
        }),
      ],
    });
    const eventSource = new SqsEventSource(this.queue, {
      batchSize: MAIL_BATCH_SIZE,
      reportBatchItemFailures: true,
      maxConcurrency: MAILER_MAX_CONCURRENCY,
    });
    this.mailer.function.addEventSource(eventSource);

    acknowledge(
      this.mailer.function,
      'Serverless-LambdaDLQ',
      "Invoked only by the SQS event source of the mail queue, never asynchronously: a failed message returns to the queue and, after 5 receives, the queue's redrive policy moves it to the mail dead-letter queue.",
    );
    const mapping = this.mailer.function.node.findChild(
      `SqsEventSource:${Names.nodeUniqueId(this.queue.node)}`,
    );
    acknowledge(
      mapping,
      'Serverless-LambdaEventSourceMappingDestination',
      'SQS event source mappings do not support on-failure destinations (only stream and Kafka sources do); failures go back to the mail queue and then to its dead-letter queue (maxReceiveCount 5).',
    );
  }
}
