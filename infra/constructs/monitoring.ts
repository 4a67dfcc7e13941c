import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { IScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { type MetricName, SES_REPUTATION_METRICS } from '#shared/metrics.ts';
import { acknowledge } from '../nag.ts';
import { type BaocaoFunction, METRICS_NAMESPACE, POWERTOOLS_SERVICE_NAME } from './baocao-function.ts';

/** SES reviews an account at a 5 % bounce rate (and may pause it at 10 %). */
export const BOUNCE_RATE_THRESHOLD = 0.05;
/** SES reviews an account at a 0.1 % complaint rate (and may pause it at 0.5 %). */
export const COMPLAINT_RATE_THRESHOLD = 0.001;

/** A queue whose first message is worth an alarm. */
export interface WatchedQueue {
  /** PascalCase, in the alarm's name: `Baocao-<stage>-<name>NotEmpty`. */
  readonly name: string;
  readonly queue: IQueue;
  /** What a message there means and what to do, in the alarm's description. */
  readonly meaning: string;
}

/** A queue consumed by a function, whose oldest message is worth an alarm when it grows old. */
export interface StalledQueue {
  /** PascalCase, in the alarm's name: `Baocao-<stage>-<name>Stalled`. */
  readonly name: string;
  readonly queue: IQueue;
  /**
   * An age its oldest message never reaches while the consumer works: a message that keeps
   * failing moves to the dead-letter queue sooner (5 receives × the visibility timeout).
   */
  readonly maxAge: Duration;
  /** What it means and what to do, in the alarm's description. */
  readonly meaning: string;
}

/** A function whose errors and throttles are worth an alarm. */
export interface WatchedFunction {
  /** PascalCase, in the alarm names: `Baocao-<stage>-<name>Errors`. */
  readonly name: string;
  readonly fn: BaocaoFunction;
}

/**
 * A business metric a function publishes with Powertools (namespace `Baocao`, dimension
 * `service=baocao`) whose first count in 5 minutes is worth an alarm.
 */
export interface WatchedMetric {
  /**
   * The metric's name (an entry of shared/metrics.ts), also in the alarm's name:
   * `Baocao-<stage>-<metricName>`.
   */
  readonly metricName: MetricName;
  /** What a count means and what to do, in the alarm's description. */
  readonly meaning: string;
}

/** An HTTP API whose 5xx answers are worth an alarm. */
export interface WatchedApi {
  /** PascalCase, in the alarm's name: `Baocao-<stage>-<name>ServerErrors`. */
  readonly name: string;
  readonly api: IHttpApi;
}

/** Properties of {@link Monitoring}. */
export interface MonitoringProps {
  /** Part of every alarm name. */
  readonly stage: string;
  /** Subscribed to the alarm topic (the subscription must be confirmed from the e-mail). */
  readonly alarmEmail?: string;
  readonly functions: readonly WatchedFunction[];
  readonly queues: readonly WatchedQueue[];
  /** Consumed queues whose consumer might stop without any error (mapping disabled, no concurrency). */
  readonly stalledQueues?: readonly StalledQueue[];
  /** The planner's schedule group: an alarm on its target errors. */
  readonly scheduleGroup: IScheduleGroup;
  /** Business metrics of the functions, each alarmed at its first count. */
  readonly businessMetrics?: readonly WatchedMetric[];
  /** HTTP APIs: an alarm on their 5xx answers (API Gateway's `5xx`, whatever the cause). */
  readonly apis?: readonly WatchedApi[];
}

/**
 * Operations: every alarm goes to one SNS topic (TLS only), to which `alarmEmail` is
 * subscribed when given. Alarms, each notifying on ALARM and on OK:
 *
 * - every dead-letter / on-failure queue: a message is visible (≥ 1);
 * - every consumed queue in `stalledQueues`: its oldest message has reached its `maxAge`;
 * - every function: `Errors` ≥ 1 in 5 minutes;
 * - the account's Lambda `Throttles` (all functions, no dimension) ≥ 1 in 5 minutes: one alarm,
 *   not one per function, since the cause is the account's concurrency, which every function
 *   shares (and a CloudWatch alarm costs $1.20 a year: eleven fewer, docs/COST.md);
 * - EventBridge Scheduler: `TargetErrorCount` ≥ 1 in the planner's schedule group;
 * - every metric in `businessMetrics` (e.g. on-upload's `UploadReplayQuarantined`, an HTTP
 *   function's 5xx count `AdminApiServerError`): ≥ 1 in 5 minutes;
 * - every HTTP API in `apis`: API Gateway's `5xx` ≥ 1 in 5 minutes (a function's 500, an
 *   integration that failed or timed out);
 * - SES reputation (account): `Reputation.BounceRate` ≥ 5 %, `Reputation.ComplaintRate` ≥ 0.1 %.
 *
 * Missing data is "not breaching": an idle month is healthy.
 */
export class Monitoring extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];
  private readonly stage: string;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.stage = props.stage;
    const stack = Stack.of(this);

    this.topic = new Topic(this, 'AlarmTopic', {
      displayName: `baocao ${props.stage} alarms`,
      enforceSSL: true,
    });
    // The topic has a policy (TLS only), which replaces SNS's default one: let CloudWatch alarms
    // of this account publish.
    this.topic.grantPublish(
      new ServicePrincipal('cloudwatch.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    if (props.alarmEmail) {
      this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
      const subscription = this.topic.node.findChild(props.alarmEmail);
      acknowledge(
        subscription,
        'Serverless-SNSRedrivePolicy',
        "The operator's e-mail subscription to the alarm topic: an undeliverable notification would wait in a queue that nobody reads, and an alarm on that queue would go to the same address. Alarm states stay visible in the CloudWatch console.",
      );
    }

    for (const { name, queue, meaning } of props.queues) {
      this.addAlarm(`${name}NotEmpty`, {
        metric: queue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(5),
          statistic: 'Maximum',
        }),
        threshold: 1,
        description: meaning,
      });
    }

    for (const { name, queue, maxAge, meaning } of props.stalledQueues ?? []) {
      this.addAlarm(`${name}Stalled`, {
        metric: queue.metricApproximateAgeOfOldestMessage({
          period: Duration.minutes(5),
          statistic: 'Maximum',
        }),
        threshold: maxAge.toSeconds(),
        description: meaning,
      });
    }

    for (const { name, fn } of props.functions) {
      this.addAlarm(`${name}Errors`, {
        metric: fn.function.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
        threshold: 1,
        description: `The ${name} function failed (uncaught error or timeout). Its log group: ${fn.logGroup.logGroupName}.`,
      });
    }
    this.addAlarm('LambdaThrottles', {
      metric: LambdaFunction.metricAllThrottles({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
      description: `A Lambda function of this account was throttled: the account's concurrency, which every function shares, is exhausted (Service Quotas → Lambda → Concurrent executions). The Lambda console's Throttles graph of each function says which (${props.functions.map((f) => f.name).join(', ')} here; another application of the account counts too). Queued work is retried; a throttled HTTP request answered 5xx (HttpApiServerErrors).`,
    });

    this.addAlarm('SchedulerTargetErrors', {
      metric: props.scheduleGroup.metricTargetErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
      description:
        'EventBridge Scheduler could not invoke the planner (it retries 3 times within an hour, then sends the invocation to the scheduler DLQ).',
    });

    for (const { metricName, meaning } of props.businessMetrics ?? []) {
      this.addAlarm(metricName, {
        metric: new Metric({
          namespace: METRICS_NAMESPACE,
          metricName,
          // Powertools adds the service as a dimension to every metric it publishes.
          dimensionsMap: { service: POWERTOOLS_SERVICE_NAME },
          period: Duration.minutes(5),
          statistic: 'Sum',
        }),
        threshold: 1,
        description: meaning,
      });
    }

    for (const { name, api } of props.apis ?? []) {
      this.addAlarm(`${name}ServerErrors`, {
        metric: api.metricServerError({ period: Duration.minutes(5), statistic: 'Sum' }),
        threshold: 1,
        description: `The ${name} HTTP API answered 5xx (a function's 500, or an integration that failed or timed out). The functions log each with its requestId, as in the API's access log; the function's own alarm (…ServerError) says which.`,
      });
    }

    this.addAlarm('SesBounceRate', {
      metric: new Metric({
        namespace: 'AWS/SES',
        metricName: SES_REPUTATION_METRICS.BounceRate,
        period: Duration.hours(1),
        statistic: 'Maximum',
      }),
      threshold: BOUNCE_RATE_THRESHOLD,
      description:
        "The account's SES bounce rate reached 5 %, where SES puts an account under review: check the units' e-mail addresses (each unit's e-mail problem in `baocao status` and on the dashboard).",
    });
    this.addAlarm('SesComplaintRate', {
      metric: new Metric({
        namespace: 'AWS/SES',
        metricName: SES_REPUTATION_METRICS.ComplaintRate,
        period: Duration.hours(1),
        statistic: 'Maximum',
      }),
      threshold: COMPLAINT_RATE_THRESHOLD,
      description:
        "The account's SES complaint rate reached 0.1 %, where SES puts an account under review: recipients marked baocao e-mail as spam.",
    });
  }

  private addAlarm(name: string, spec: { metric: IMetric; threshold: number; description: string }): Alarm {
    const alarm = new Alarm(this, name, {
      alarmName: `Baocao-${this.stage}-${name}`,
      alarmDescription: spec.description,
      metric: spec.metric,
      threshold: spec.threshold,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    const action = new SnsAction(this.topic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
    this.alarms.push(alarm);
    return alarm;
  }
}
