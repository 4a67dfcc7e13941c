import { Duration, Stack, TimeZone } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
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
import { createFailureQueue } from './queues.ts';

/** When the planner runs: every day at 08:00 in the committee's time zone (local/cron.ts too). */
export const PLANNER_CRON = { minute: '0', hour: '8' } as const;

/**
 * The planner's timeout: Lambda's maximum. A run is short (one paged Query per open period), but
 * the day a period of 100,000 units opens it signs and queues 100,000 e-mails (10,000 SQS
 * batches); a run cut short is completed by the retry, so the limit only needs to be generous.
 */
export const PLANNER_TIMEOUT = Duration.minutes(15);

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
 * The yearly calendar (docs/reminders.md): EventBridge Scheduler invokes the planner
 * (functions/planner.ts) daily at 08:00 in the committee's time zone with
 * `{"at": "<aws.scheduler.scheduled-time>"}`, so that a retried run decides for the scheduled
 * day. Two layers of retries, each with its own queue:
 *
 * - **Scheduler → Lambda** (the `Invoke` call itself: throttling, service errors): 3 retries
 *   within an hour, then the scheduler's dead-letter queue.
 * - **Lambda → planner** (the invocation is asynchronous; the planner throws after a run with
 *   failures): 2 retries within an hour, then the planner's on-failure queue.
 *
 * The schedule has its own group, so its metrics (target errors) are this app's only. Its role
 * may invoke the planner and send to the scheduler's DLQ, nothing else.
 */
export class Reminders extends Construct {
  readonly planner: BaocaoFunction;
  readonly scheduleGroup: ScheduleGroup;
  readonly schedule: Schedule;
  /** Assumed by EventBridge Scheduler (this account only): invokes the planner, sends to its DLQ. */
  readonly schedulerRole: Role;
  /** Invocations the scheduler could not deliver. */
  readonly schedulerDeadLetterQueue: Queue;
  /** Planner runs that failed every attempt. */
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

    this.failureQueue = createFailureQueue(this, 'FailureQueue');
    this.planner.sendAsyncFailuresTo(this.failureQueue);

    this.schedulerDeadLetterQueue = createFailureQueue(this, 'SchedulerDeadLetterQueue');
    this.schedulerRole = new Role(this, 'SchedulerRole', {
      description: 'baocao: EventBridge Scheduler invokes the planner',
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
      target: new LambdaInvoke(this.planner.function, {
        role: this.schedulerRole,
        input: ScheduleTargetInput.fromObject({ at: ContextAttribute.scheduledTime }),
        retryAttempts: SCHEDULER_RETRY_ATTEMPTS,
        maxEventAge: SCHEDULER_MAX_EVENT_AGE,
        deadLetterQueue: this.schedulerDeadLetterQueue,
      }),
    });

    acknowledge(
      this.planner.function,
      'Serverless-LambdaDLQ',
      'Asynchronous failures go to an on-failure destination (EventInvokeConfig: 2 retries within an hour, then the planner failure queue), which keeps the error with the scheduler event; a legacy dead-letter queue would duplicate it.',
    );
    acknowledgeWildcardResource(
      this.schedulerRole,
      `${this.planner.function.functionArn}:*`,
      "Added by the scheduler's LambdaInvoke target (grantInvoke): the planner's own versions and aliases, of that one function only; the schedule invokes the unqualified ARN.",
    );
  }
}
