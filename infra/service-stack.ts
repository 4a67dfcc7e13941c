import { Annotations, Aws, CfnOutput, CfnRule, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { METRICS } from '#shared/metrics.ts';
import type { BaocaoConfig } from './config.ts';
import { Api } from './constructs/api.ts';
import { grantAuditAccess } from './constructs/audit.ts';
import type { FunctionSettings } from './constructs/baocao-function.ts';
import type { StatefulResources } from './constructs/environment.ts';
import { Exports } from './constructs/exports.ts';
import { Mail, SES_EVENTS_QUEUE_MAX_AGE } from './constructs/mail.ts';
import { ScanResults } from './constructs/malware-protection.ts';
import { Monitoring } from './constructs/monitoring.ts';
import { MAIL_QUEUE_MAX_AGE } from './constructs/queues.ts';
import { PLANNER_QUEUE_MAX_AGE, Reminders } from './constructs/reminders.ts';
import { Signatures } from './constructs/signatures.ts';
import { Uploads } from './constructs/uploads.ts';

export type { StatefulResources } from './constructs/environment.ts';

/** Properties of {@link ServiceStack}. */
export interface ServiceStackProps extends StackProps {
  readonly config: BaocaoConfig;
  readonly stateful: StatefulResources;
}

/**
 * Everything that computes: one construct per capability, each owning its functions and queues
 * and granting itself least privilege on the stateful resources. Holds no data (failure queues
 * and log groups are retained), so it can be destroyed and redeployed freely.
 *
 * Capabilities, in the order they are built (each needs something of the ones before):
 * `Mail` (mail queue, mailer, SES, SES events consumer) → `Api` (HTTP API, public, admin and
 * setup functions) → `Exports` (exporter) → `Uploads` (on-upload, bucket notification and CORS) →
 * `Reminders` (scheduler, planner) → `Monitoring` (alarms on all of them).
 */
export class ServiceStack extends Stack {
  readonly config: BaocaoConfig;
  readonly stateful: StatefulResources;
  /** Settings every function receives (time zone, committee name, log level). */
  readonly settings: FunctionSettings;
  readonly mail: Mail;
  /** The HTTP API with the public (unit), admin and setup (committee) functions. */
  readonly api: Api;
  readonly exports: Exports;
  readonly uploads: Uploads;
  readonly signatures: Signatures;
  readonly scanResults: ScanResults;
  readonly reminders: Reminders;
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    const { config, stateful } = props;
    this.config = config;
    this.stateful = stateful;
    this.settings = { committeeName: config.committeeName, timeZone: config.timeZone };

    if (config.senderEmailIsPlaceholder) this.refuseDeployWithoutSender();

    this.mail = new Mail(this, 'Mail', {
      settings: this.settings,
      stateful,
      senderEmail: config.senderEmail,
      senderDomain: config.senderDomain,
      committeeEmails: config.committeeEmails,
    });
    this.api = new Api(this, 'Api', {
      settings: this.settings,
      stateful,
      mailQueue: this.mail.queue,
      committeeEmails: config.committeeEmails,
      appOrigin: config.appOrigin,
      certificateArn: config.certificateArn,
    });
    this.exports = new Exports(this, 'Exports', {
      settings: this.settings,
      stateful,
      mailQueue: this.mail.queue,
      committeeEmails: config.committeeEmails,
      appUrl: this.api.appUrl,
      report: { place: config.committeePlace, superior: config.superiorCommittee },
    });
    this.exports.allowStart(this.api.adminFunction);
    this.uploads = new Uploads(this, 'Uploads', {
      settings: this.settings,
      stateful,
      mailQueue: this.mail.queue,
      appOrigin: this.api.appOrigin,
      retention: { years: config.reportRetentionYears, mode: config.reportLockMode },
    });
    // Digital signatures (docs/signatures.md): accepted PDFs are queued by on-upload (and by a
    // re-check from the unit page) and checked by the verifier.
    this.signatures = new Signatures(this, 'Signatures', { settings: this.settings, stateful });
    this.signatures.allowEnqueue(this.uploads.onUpload);
    this.signatures.allowEnqueue(this.api.adminFunction);
    // Malware scanning (docs/malware-scanning.md): GuardDuty scans the kept reports (stateful
    // stack); its results reach the scan-results function. The verifier reads a kept PDF before
    // GuardDuty has cleared it: its role is exempt from the bucket's deny of unscanned reports.
    this.scanResults = new ScanResults(this, 'ScanResults', {
      settings: this.settings,
      stateful,
      mailQueue: this.mail.queue,
      committeeEmails: config.committeeEmails,
      appUrl: this.api.appUrl,
    });
    ScanResults.allowReadingUnscanned(this.signatures.verifier.role);
    this.reminders = new Reminders(this, 'Reminders', {
      settings: this.settings,
      stateful,
      mailQueue: this.mail.queue,
      committeeEmails: config.committeeEmails,
      appUrl: this.api.appUrl,
    });
    this.exports.allowStart(this.reminders.planner);
    grantAuditAccess(stateful.audit, {
      appenders: [
        this.api.publicFunction,
        this.api.adminFunction,
        this.api.setupFunction,
        this.api.unitsFunction,
        this.uploads.onUpload,
        this.exports.exporter,
        this.scanResults.fn,
        // Records each signature check (signature.checked).
        this.signatures.verifier,
      ],
      digesters: [this.reminders.planner],
    });

    this.monitoring = new Monitoring(this, 'Monitoring', {
      stage: config.stage,
      alarmEmail: config.alarmEmail,
      scheduleGroup: this.reminders.scheduleGroup,
      businessMetrics: [
        {
          metricName: METRICS.UploadReplayQuarantined,
          meaning:
            "Another object arrived at the landing key of an upload whose grant was already used (a replayed presigned POST): on-upload moved it to quarantine/<its landing key>, and the receipted report is unchanged. The on-upload log has the line 'Replayed upload quarantined' (event upload.replay-quarantined) with the plan, year, unit and upload; repeated replays mean someone reuses a unit's presigned POST.",
        },
        ...(
          [
            [METRICS.PublicApiServerError, 'public-api'],
            [METRICS.AdminApiServerError, 'admin-api'],
            [METRICS.SetupApiServerError, 'setup-api'],
            [METRICS.UnitsApiServerError, 'units-api'],
          ] as const
        ).map(([metricName, fn]) => ({
          metricName,
          meaning: `The ${fn} function answered 5xx. Its log group has 'server error answered' with the requestId (as in the API access log) and, for an unexpected error, the error itself ('committee request failed' / 'public request failed').`,
        })),
      ],
      apis: [{ name: 'HttpApi', api: this.api.httpApi }],
      functions: [
        { name: 'PublicApi', fn: this.api.publicFunction },
        { name: 'AdminApi', fn: this.api.adminFunction },
        { name: 'SetupApi', fn: this.api.setupFunction },
        { name: 'UnitsApi', fn: this.api.unitsFunction },
        { name: 'OnUpload', fn: this.uploads.onUpload },
        { name: 'Mailer', fn: this.mail.mailer },
        { name: 'SesEvents', fn: this.mail.sesEvents },
        { name: 'Planner', fn: this.reminders.planner },
        { name: 'PlannerTick', fn: this.reminders.tick },
        { name: 'Exporter', fn: this.exports.exporter },
        { name: 'VerifySignatures', fn: this.signatures.verifier },
        { name: 'ScanResults', fn: this.scanResults.fn },
      ],
      queues: [
        {
          name: 'MailDeadLetterQueue',
          queue: this.mail.deadLetterQueue,
          meaning:
            'An e-mail failed 5 times (SES throttling or an error) and waits in the mail DLQ. After fixing the cause, move the messages back (SQS console: Start DLQ redrive); the mailer sends each e-mail key at most once.',
        },
        {
          name: 'SesEventsDeadLetterQueue',
          queue: this.mail.eventsDeadLetterQueue,
          meaning:
            "SES events that SNS could not deliver to the SES events queue, or that the ses-events function could not read or record 5 times (its log group says why: 'unreadable SES event' or the error). After fixing the cause, move them back (SQS console: Start DLQ redrive); recording an event again is harmless.",
        },
        {
          name: 'UploadFailureQueue',
          queue: this.uploads.failureQueue,
          meaning:
            'An upload event could not be recorded after 3 attempts. The message holds the S3 event and the error; after fixing the cause, invoke on-upload again with the event (recording is idempotent).',
        },
        {
          name: 'PlannerFailureQueue',
          queue: this.reminders.failureQueue,
          meaning:
            'The daily planner tick (listing the committees, queuing one run each) failed 3 times: no committee has run that day. Run the tick again with the message\'s {"at": …} once the cause is fixed (PlannerTickFunctionName); the runs are idempotent.',
        },
        {
          name: 'PlannerDeadLetterQueue',
          queue: this.reminders.deadLetterQueue,
          meaning:
            'A committee\'s daily planner run failed 5 times (the planner log says why, with the committee id). The next daily run completes what is missing, except reminders due that day: once the cause is fixed, move the messages back (SQS console: Start DLQ redrive); each keeps its committee and {"at": …}, and a run is idempotent.',
        },
        {
          name: 'SignaturesDeadLetterQueue',
          queue: this.signatures.deadLetterQueue,
          meaning:
            'A PDF could not be checked for signatures 5 times (the verifier log says why). Uploads and receipts are not affected. After fixing the cause, move the messages back (SQS console: Start DLQ redrive) or run `baocao signatures recheck PLAN YEAR`.',
        },
        {
          name: 'ScanResultsDeadLetterQueue',
          queue: this.scanResults.deadLetterQueue,
          meaning:
            "A GuardDuty scan result could not be kept on its file 5 times (the scan-results log says why; 'not recorded yet' for a file whose upload never settled). Until it is kept the file shows 'Đang kiểm tra' and cannot be downloaded. After fixing the cause, move the messages back (SQS console: Start DLQ redrive); keeping a result again is harmless.",
        },
        {
          name: 'SchedulerDeadLetterQueue',
          queue: this.reminders.schedulerDeadLetterQueue,
          meaning:
            'EventBridge Scheduler could not invoke the planner tick for an hour; that day has not run.',
        },
        {
          name: 'ExportFailureQueue',
          queue: this.exports.failureQueue,
          meaning:
            'An export failed 3 times (see the exporter log; at scale, the 15-minute limit: docs/COST.md). The request is in the message.',
        },
      ],
      stalledQueues: [
        {
          name: 'PlannerQueue',
          queue: this.reminders.queue,
          maxAge: PLANNER_QUEUE_MAX_AGE,
          meaning:
            "A committee's daily planner run has waited over three hours in the planner queue: the planner is not consuming it (event source mapping disabled, function deleted, or no concurrency left), and that day's reminders are late. See the planner and its event source mapping in the Lambda console.",
        },
        {
          name: 'MailQueue',
          queue: this.mail.queue,
          maxAge: MAIL_QUEUE_MAX_AGE,
          meaning:
            'An e-mail has waited over an hour in the mail queue: the mailer is not consuming it (event source mapping disabled, function deleted, or no concurrency left). Links, reminders, receipts and sign-in mails wait there 14 days, then expire without ever reaching the dead-letter queue; see the mailer and its event source mapping in the Lambda console.',
        },
        {
          name: 'SesEventsQueue',
          queue: this.mail.eventsQueue,
          maxAge: SES_EVENTS_QUEUE_MAX_AGE,
          meaning:
            'An SES event has waited over an hour in the SES events queue: the ses-events function is not consuming it (event source mapping disabled, function deleted, or no concurrency left). Events are kept 14 days; see the function and its event source mapping in the Lambda console.',
        },
      ],
    });

    new CfnOutput(this, 'AppUrl', {
      description: 'Base URL of the app; the committee signs in at <AppUrl>/admin',
      value: this.api.appUrl,
    });
    new CfnOutput(this, 'ApiUrl', { description: 'Base URL of the HTTP API', value: this.api.url });
    // What `baocao --stage NAME` reads to run the same use cases against this stack with the
    // operator's own credentials: resource names and settings, never a secret value.
    new CfnOutput(this, 'CliEnvironment', {
      description: 'Settings of the baocao CLI for --stage (JSON)',
      value: Stack.of(this).toJsonString({
        PLANS_TABLE: stateful.plansTable.tableName,
        SUBMISSIONS_TABLE: stateful.submissionsTable.tableName,
        REPORTS_BUCKET: stateful.reportsBucket.bucketName,
        MAIL_QUEUE_URL: this.mail.queue.queueUrl,
        EXPORTER_FUNCTION_NAME: this.exports.exporter.function.functionName,
        LINK_KEY_SECRET_ARN: stateful.linkKeySecret.secretArn,
        AUDIT_TABLE: stateful.audit.table.tableName,
        AUDIT_DIGEST_BUCKET: stateful.audit.digestBucket.bucketName,
        AUDIT_KMS_KEY_ID: stateful.audit.digestKey.keyArn,
        APP_URL: this.api.appUrl,
        TIME_ZONE: props.config.timeZone,
        COMMITTEE_NAME: props.config.committeeName,
        SENDER_EMAIL: props.config.senderEmail,
        COMMITTEE_EMAILS: props.config.committeeEmails.join(','),
        AWS_REGION: Stack.of(this).region,
      }),
    });
    if (this.api.domainName) {
      new CfnOutput(this, 'CustomDomainTarget', {
        description: `DNS: CNAME ${this.api.domainName.name} to this name`,
        value: this.api.domainName.regionalDomainName,
      });
    }
    new CfnOutput(this, 'ReportsBucketName', {
      description: 'Bucket of uploaded reports and exports',
      value: stateful.reportsBucket.bucketName,
    });
    new CfnOutput(this, 'PlannerFunctionName', {
      description:
        'Run the daily planner by hand (the tick: one run per committee): aws lambda invoke --function-name <this> --payload \'{"at":"…"}\' …',
      value: this.reminders.tick.function.functionName,
    });
    new CfnOutput(this, 'ExporterFunctionName', {
      description:
        'Build an export by hand: aws lambda invoke --invocation-type Event --function-name <this> …',
      value: this.exports.exporter.function.functionName,
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      description: 'Every alarm is published here',
      value: this.monitoring.topic.topicArn,
    });
    new CfnOutput(this, 'SesEventsQueueUrl', {
      description:
        'SES bounce, complaint, reject and delivery-delay events, consumed by the ses-events function (kept 14 days)',
      value: this.mail.eventsQueue.queueUrl,
    });
    if (config.senderDomain) {
      this.mail.identity.dkimRecords.forEach((record, index) => {
        new CfnOutput(this, `DkimRecord${index + 1}`, {
          description: `DNS: CNAME record ${index + 1} of 3 for SES Easy DKIM of ${config.senderDomain}`,
          value: Fn.join(' CNAME ', [record.name, record.value]),
        });
      });
    }
  }

  /**
   * Synthesizing with the placeholder sender is fine; deploying it is not. A CloudFormation rule
   * that can never hold stops the deploy before any resource changes, with this message.
   */
  private refuseDeployWithoutSender(): void {
    const message =
      'senderEmail is not set: deploy with -c senderEmail=<an SES-verified address> (the template was synthesized with the placeholder sender).';
    Annotations.of(this).addWarningV2('baocao:senderEmailPlaceholder', message);
    new CfnRule(this, 'SenderEmailRequired', {
      assertions: [
        {
          // Never true: no region is called this.
          assert: Fn.conditionEquals(Aws.REGION, 'senderEmail-context-value-required'),
          assertDescription: message,
        },
      ],
    });
  }
}
