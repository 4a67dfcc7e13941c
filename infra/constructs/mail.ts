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
import { grantRegistryRead } from './registry-read.ts';

/** The mailer's timeout: a batch of 10 SES calls with the SDK's adaptive retries. */
export const MAILER_TIMEOUT = Duration.seconds(30);

/**
 * The plans table's partitions the mailer reads (GetItem, Query; docs/tenancy.md) besides the
 * registry's (the committee a message is for, and its name): the first committee's member list,
 * another committee's (`C#<id>#MEMBERS`) and the deployment's membership index
 * (`MEMBER#<email>`) — who is sent a sign-in link and which committees it names.
 */
export const MAILER_PLANS_LEADING_KEYS = ['MEMBERS', 'C#*#MEMBERS', 'MEMBER#*'];

/** Messages per mailer invocation (SQS's maximum without a batching window). */
export const MAIL_BATCH_SIZE = 10;

/**
 * Concurrent mailer invocations (the lowest value SQS event sources accept). With batches of 10
 * sent in parallel this stays near SES's default production rate of 14 e-mails a second; a
 * burst above it is absorbed by the SDK's adaptive retry, then by the queue (the message
 * returns after the visibility timeout). Raise both together: SES rate first, then this.
 */
export const MAILER_MAX_CONCURRENCY = 2;

/**
 * The SES events consumer's timeout: a batch of 10 conditional UpdateItems takes well under a
 * second; the events queue's visibility timeout is 6× this.
 */
export const SES_EVENTS_TIMEOUT = Duration.seconds(30);

/**
 * The SES events queue is stalled when its oldest event is this old (Monitoring alarms): while
 * the consumer runs, an event leaves within 5 receives × 180 s — recorded, ignored, or moved to
 * the events dead-letter queue.
 */
export const SES_EVENTS_QUEUE_MAX_AGE = Duration.hours(1);

/** SES events per consumer invocation (SQS's maximum without a batching window). */
export const SES_EVENTS_BATCH_SIZE = 10;

/**
 * Concurrent consumer invocations (the lowest value SQS event sources accept). Events are not
 * urgent and come in bursts only when a whole domain bounces: this keeps the consumer from taking
 * the account's Lambda concurrency (10 on a new account) from the functions people wait on.
 */
export const SES_EVENTS_MAX_CONCURRENCY = 2;

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
  /**
   * The first admins (`COMMITTEE_EMAILS`): the mailer sends them a sign-in link while the member
   * list is empty (it decides who gets one: shared/committee/sign-in.ts). @default - none
   */
  readonly committeeEmails?: readonly string[];
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
 *   delay) to an SNS topic whose subscribed queue (raw messages, kept 14 days, its own DLQ) feeds
 *   the SES events consumer, and every sending event to CloudWatch metrics (`AWS/SES`, dimension
 *   `ses:configuration-set`).
 * - **SES events consumer** (`functions/ses-events.ts`): SQS event source on the events queue,
 *   batches of 10, partial batch failures, at most {@link SES_EVENTS_MAX_CONCURRENCY} at a time;
 *   records a permanent bounce, a complaint or a reject on the unit the e-mail's tags name. It
 *   may only update items of the submissions table.
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
  /** Consumes {@link eventsQueue}: records permanent problems on the units (`functions/ses-events.ts`). */
  readonly sesEvents: BaocaoFunction;

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
      consumerTimeout: SES_EVENTS_TIMEOUT,
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
        COMMITTEE_EMAILS: (props.committeeEmails ?? []).join(','),
      },
    });
    // Delivery records (MAIL#<key>) and the units' mail problems live in the submissions table.
    props.stateful.submissionsTable.grantReadWriteData(this.mailer);
    // Who is sent a sign-in link, naming which committees, and whose a message is: read only.
    grantRegistryRead(this.mailer, props.stateful.plansTable, MAILER_PLANS_LEADING_KEYS);
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

    this.sesEvents = new BaocaoFunction(this, 'SesEvents', {
      entry: 'ses-events',
      settings: props.settings,
      timeout: SES_EVENTS_TIMEOUT,
      environment: resourceNames(props.stateful),
    });
    // The unit's mail problem is one conditional UpdateItem on its assignment: nothing to read,
    // put or delete, and no other table, bucket, secret or SES permission.
    props.stateful.submissionsTable.grant(this.sesEvents, 'dynamodb:UpdateItem');
    // The registry, read only: the committee an event's tag names (docs/tenancy.md).
    grantRegistryRead(this.sesEvents, props.stateful.plansTable);
    this.sesEvents.function.addEventSource(
      new SqsEventSource(this.eventsQueue, {
        batchSize: SES_EVENTS_BATCH_SIZE,
        reportBatchItemFailures: true,
        maxConcurrency: SES_EVENTS_MAX_CONCURRENCY,
      }),
    );
    acknowledge(
      this.sesEvents.function,
      'Serverless-LambdaDLQ',
      "Invoked only by the SQS event source of the SES events queue, never asynchronously: an event it cannot record returns to the queue and, after 5 receives, the queue's redrive policy moves it to the events dead-letter queue.",
    );
    acknowledge(
      this.sesEvents.function.node.findChild(`SqsEventSource:${Names.nodeUniqueId(this.eventsQueue.node)}`),
      'Serverless-LambdaEventSourceMappingDestination',
      'SQS event source mappings do not support on-failure destinations (only stream and Kafka sources do); failures go back to the SES events queue and then to its dead-letter queue (maxReceiveCount 5).',
    );
  }
}
