import { Duration, Names, Stack, TimeZone } from 'aws-cdk-lib';
import { Grant, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleGroup,
  ScheduleTargetInput,
  TimeWindow,
} from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { IQueue, Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeWildcardResource } from '../nag.ts';
import { BaocaoFunction, type FunctionSettings } from './baocao-function.ts';
import { resourceNames, type StatefulResources } from './environment.ts';
import { createDeadLetterQueue, createFailureQueue, createWorkQueue } from './queues.ts';
import { REGISTRY_LEADING_KEYS } from './registry-read.ts';

/** When the planner runs: every day at 08:00 in the committee's time zone (local/cron.ts too). */
export const PLANNER_CRON = { minute: '0', hour: '8' } as const;

/**
 * The planner's timeout: Lambda's maximum. A run is short (one paged Query per open period), but
 * the day a period of 100,000 units opens it signs and queues 100,000 e-mails (10,000 SQS
 * batches); a run cut short is completed by the retry, so the limit only needs to be generous.
 */
export const PLANNER_TIMEOUT = Duration.minutes(15);

/** The tick's timeout: one Query page per 1 MB of committees, and one SendMessageBatch per ten. */
export const PLANNER_TICK_TIMEOUT = Duration.minutes(2);

/**
 * Committees per planner invocation. Most committees' runs are a few requests (nothing due); the
 * day a large period opens, one run may take minutes, so a batch stays small enough that five
 * such runs fit in {@link PLANNER_TIMEOUT}, and a failed one returns alone (partial batch failures).
 */
export const PLANNER_BATCH_SIZE = 5;
/** Planner invocations at once: 1,000 committees take 200 invocations, without crowding the account's concurrency. */
export const PLANNER_MAX_CONCURRENCY = 10;

/**
 * The planner queue is stalled when its oldest message is this old: 1,000 committees' runs take
 * minutes, and a failed one is retried within 5 × 90 min; three hours means the planner is not
 * consuming (mapping disabled, no concurrency) while the day's reminders still mean something.
 */
export const PLANNER_QUEUE_MAX_AGE = Duration.hours(3);

/** Scheduler's retries of an invocation that Lambda refused (throttled, service error). */
export const SCHEDULER_RETRY_ATTEMPTS = 3;
/** Scheduler gives up on an invocation older than this and sends it to its DLQ. */
export const SCHEDULER_MAX_EVENT_AGE = Duration.hours(1);

/** Properties of {@link Reminders}. */
export interface RemindersProps {
  readonly settings: FunctionSettings;
  readonly stateful: StatefulResources;
  readonly mailQueue: IQueue;
  /** They receive the digests (`COMMITTEE_EMAILS`). */
  readonly committeeEmails: readonly string[];
  /** Base of the upload links in e-mails (`APP_URL`). */
  readonly appUrl: string;
}

/**
 * The yearly calendar (docs/reminders.md), fanned out per committee (docs/tenancy.md):
 * EventBridge Scheduler invokes the tick (functions/planner-tick.ts) daily at 08:00 in the
 * deployment's time zone with `{"at": "<aws.scheduler.scheduled-time>"}`; the tick queries the
 * committee registry and sends one message `{committeeId, at}` per committee to the planner
 * queue, whose consumer, the planner (functions/planner.ts), runs one committee per message in
 * that committee's scope (partial batch failures), so a retried run decides for the scheduled
 * day. Three layers of retries, each with its own queue:
 *
 * - **Scheduler → tick** (the `Invoke` call itself: throttling, service errors): 3 retries
 *   within an hour, then the scheduler's dead-letter queue.
 * - **Tick** (the invocation is asynchronous; it throws when the registry or SQS failed): 2
 *   retries within an hour, then the planner's on-failure queue.
 * - **Planner queue → planner** (a committee's run with failures throws: only its message
 *   returns): 5 receives, then the planner dead-letter queue.
 *
 * The schedule has its own group, so its metrics (target errors) are this app's only. Its role
 * may invoke the tick and send to the scheduler's DLQ, nothing else. The tick may read (and, on
 * the deployment's first run, register the first committee in) the registry and send to the
 * planner queue, nothing else; the planner does a committee's work and cannot list committees.
 */
export class Reminders extends Construct {
  /** The planner queue's consumer: one committee's daily run per message. */
  readonly planner: BaocaoFunction;
  /** The scheduled tick: one message per committee to {@link queue}. */
  readonly tick: BaocaoFunction;
  /** One message per committee per day (`{committeeId, at}`). */
  readonly queue: Queue;
  /** Committees' runs that failed 5 times. */
  readonly deadLetterQueue: Queue;
  readonly scheduleGroup: ScheduleGroup;
  readonly schedule: Schedule;
  /** Assumed by EventBridge Scheduler (this account only): invokes the planner, sends to its DLQ. */
  readonly schedulerRole: Role;
  /** Invocations the scheduler could not deliver. */
  readonly schedulerDeadLetterQueue: Queue;
  /** Ticks that failed every attempt. */
  readonly failureQueue: Queue;

  constructor(scope: Construct, id: string, props: RemindersProps) {
    super(scope, id);

    this.planner = new BaocaoFunction(this, 'Planner', {
      entry: 'planner',
      settings: props.settings,
      memorySize: 512,
      timeout: PLANNER_TIMEOUT,
      environment: {
        ...resourceNames(props.stateful),
        COMMITTEE_EMAILS: props.committeeEmails.join(','),
        APP_URL: props.appUrl,
        MAIL_QUEUE_URL: props.mailQueue.queueUrl,
        LINK_KEY_SECRET_ARN: props.stateful.linkKeySecret.secretArn,
      },
    });
    // Opens periods and records milestones (plans table), creates assignments (submissions).
    props.stateful.plansTable.grantReadWriteData(this.planner);
    props.stateful.submissionsTable.grantReadWriteData(this.planner);
    props.mailQueue.grantSendMessages(this.planner);
    // Signs the upload links of the "opened" and reminder e-mails.
    props.stateful.linkKeySecret.grantRead(this.planner);

    this.deadLetterQueue = createDeadLetterQueue(this, 'PlannerDeadLetterQueue');
    this.queue = createWorkQueue(this, 'PlannerQueue', {
      consumerTimeout: PLANNER_TIMEOUT,
      deadLetterQueue: this.deadLetterQueue,
    });
    this.planner.function.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: PLANNER_BATCH_SIZE,
        reportBatchItemFailures: true,
        maxConcurrency: PLANNER_MAX_CONCURRENCY,
      }),
    );

    this.tick = new BaocaoFunction(this, 'Tick', {
      entry: 'planner-tick',
      settings: props.settings,
      timeout: PLANNER_TICK_TIMEOUT,
      environment: {
        ...resourceNames(props.stateful),
        PLANNER_QUEUE_URL: this.queue.queueUrl,
      },
    });
    // The registry only: Query of COMMITTEES, and the first committee's registration on the
    // deployment's first run (GetItem, conditional PutItem of COMMITTEES and TREE#<id>#PARENTS).
    Grant.addToPrincipal({
      grantee: this.tick,
      actions: ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem'],
      resourceArns: [props.stateful.plansTable.tableArn],
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': REGISTRY_LEADING_KEYS } },
    });
    this.queue.grantSendMessages(this.tick);

    this.failureQueue = createFailureQueue(this, 'FailureQueue');
    this.tick.sendAsyncFailuresTo(this.failureQueue);

    this.schedulerDeadLetterQueue = createFailureQueue(this, 'SchedulerDeadLetterQueue');
    this.schedulerRole = new Role(this, 'SchedulerRole', {
      description: 'baocao: EventBridge Scheduler invokes the planner tick',
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    });
    this.scheduleGroup = new ScheduleGroup(this, 'ScheduleGroup', {});
    this.schedule = new Schedule(this, 'DailyPlanner', {
      description: `baocao planner: daily at 08:00 ${props.settings.timeZone}`,
      scheduleGroup: this.scheduleGroup,
      schedule: ScheduleExpression.cron({ ...PLANNER_CRON, timeZone: TimeZone.of(props.settings.timeZone) }),
      // Exactly 08:00: a reminder "còn 7 ngày" is a statement about today.
      timeWindow: TimeWindow.off(),
      target: new LambdaInvoke(this.tick.function, {
        role: this.schedulerRole,
        input: ScheduleTargetInput.fromObject({ at: ContextAttribute.scheduledTime }),
        retryAttempts: SCHEDULER_RETRY_ATTEMPTS,
        maxEventAge: SCHEDULER_MAX_EVENT_AGE,
        deadLetterQueue: this.schedulerDeadLetterQueue,
      }),
    });

    acknowledge(
      this.tick.function,
      'Serverless-LambdaDLQ',
      'Asynchronous failures go to an on-failure destination (EventInvokeConfig: 2 retries within an hour, then the planner failure queue), which keeps the error with the scheduler event; a legacy dead-letter queue would duplicate it.',
    );
    acknowledge(
      this.planner.function,
      'Serverless-LambdaDLQ',
      "Invoked only by the SQS event source of the planner queue, never asynchronously: a failed committee's run returns to the queue and, after 5 receives, the queue's redrive policy moves it to the planner dead-letter queue.",
    );
    acknowledge(
      this.planner.function.node.findChild(`SqsEventSource:${Names.nodeUniqueId(this.queue.node)}`),
      'Serverless-LambdaEventSourceMappingDestination',
      'SQS event source mappings do not support on-failure destinations (only stream and Kafka sources do); failures go back to the planner queue and then to its dead-letter queue (maxReceiveCount 5).',
    );
    acknowledgeWildcardResource(
      this.schedulerRole,
      `${this.tick.function.functionArn}:*`,
      "Added by the scheduler's LambdaInvoke target (grantInvoke): the tick's own versions and aliases, of that one function only; the schedule invokes the unqualified ARN.",
    );
  }
}
