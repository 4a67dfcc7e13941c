import { Duration } from 'aws-cdk-lib';
import type { IQueue, Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EXPORTER_NODE_FLAGS } from '../bundling/node-options.ts';
import { acknowledge, acknowledgeWildcardResource } from '../nag.ts';
import { BaocaoFunction, type FunctionSettings } from './baocao-function.ts';
import { EXPORTS_PREFIX, REPORTS_PREFIX, resourceNames, type StatefulResources } from './environment.ts';
import { createFailureQueue } from './queues.ts';

/**
 * The exporter's memory: 1,769 MB is where Lambda gives a function one full vCPU. Building the
 * pack is one single-threaded stream (CRC-32 in JavaScript, deflate of the old Office formats,
 * the XLSX and DOCX writers), so below this it runs proportionally slower for the same price per
 * unit of work, and above it a second vCPU would sit idle. Memory itself is not the constraint:
 * the pack streams (about 256 MB peak, issue 7), so 1,769 MB leaves room for the DOCX, which is
 * built in memory.
 */
export const EXPORTER_MEMORY_MB = 1769;

/** Lambda's maximum: the largest pack one invocation can build (docs/COST.md, limits). */
export const EXPORTER_TIMEOUT = Duration.minutes(15);

/**
 * A failed export is retried twice (a retry with the same exportId resumes the record), each
 * attempt up to 15 minutes, so its events may wait up to two hours before going to the
 * on-failure queue.
 */
export const EXPORTER_MAX_EVENT_AGE = Duration.hours(2);

/** Properties of {@link Exports}. */
export interface ExportsProps {
  readonly settings: FunctionSettings;
  readonly stateful: StatefulResources;
  readonly mailQueue: IQueue;
  /** They receive the "export ready" e-mail (`COMMITTEE_EMAILS`). */
  readonly committeeEmails: readonly string[];
  /** Base of the link in that e-mail (`APP_URL`). */
  readonly appUrl: string;
  /** The compiled report's place and superior committee (`COMMITTEE_PLACE`, `SUPERIOR_COMMITTEE`). */
  readonly report?: { readonly place?: string | undefined; readonly superior?: string | undefined };
}

/**
 * The consolidated results: the exporter (functions/exporter.ts), invoked asynchronously with
 * `{planId, year, exportId?, requestedBy?}`, streams `exports/<plan>/<year>/<id>.zip` into the
 * reports bucket (multipart upload) and queues the "export ready" e-mail. Failed invocations are
 * retried twice, then kept in an on-failure queue. Callers get the right to start an export
 * through {@link allowStart}.
 */
export class Exports extends Construct {
  readonly exporter: BaocaoFunction;
  /** Events of exports that failed every attempt. */
  readonly failureQueue: Queue;

  constructor(scope: Construct, id: string, props: ExportsProps) {
    super(scope, id);

    this.exporter = new BaocaoFunction(this, 'Exporter', {
      entry: 'exporter',
      settings: props.settings,
      memorySize: EXPORTER_MEMORY_MB,
      timeout: EXPORTER_TIMEOUT,
      // A young generation that does not grow with the length of the export (the module says why).
      nodeFlags: EXPORTER_NODE_FLAGS,
      environment: {
        ...resourceNames(props.stateful),
        COMMITTEE_EMAILS: props.committeeEmails.join(','),
        APP_URL: props.appUrl,
        ...(props.report?.place ? { COMMITTEE_PLACE: props.report.place } : {}),
        ...(props.report?.superior ? { SUPERIOR_COMMITTEE: props.report.superior } : {}),
        MAIL_QUEUE_URL: props.mailQueue.queueUrl,
      },
    });
    props.stateful.plansTable.grantReadData(this.exporter);
    // Reads versions and assignments, writes the EXPORT#<id> records.
    props.stateful.submissionsTable.grantReadWriteData(this.exporter);
    // Kept reports, read by version (s3:GetObjectVersion, part of s3:GetObject*).
    props.stateful.reportsBucket.grantRead(this.exporter, `${REPORTS_PREFIX}*`);
    // PutObject covers the multipart calls; Abort* lets a failed stream leave no parts behind.
    props.stateful.reportsBucket.grantPut(this.exporter, `${EXPORTS_PREFIX}*`);
    props.mailQueue.grantSendMessages(this.exporter);

    this.failureQueue = createFailureQueue(this, 'FailureQueue');
    this.exporter.sendAsyncFailuresTo(this.failureQueue, { maxEventAge: EXPORTER_MAX_EVENT_AGE });

    acknowledge(
      this.exporter.function,
      'Serverless-LambdaDLQ',
      'Asynchronous failures go to an on-failure destination (EventInvokeConfig: 2 retries, then the export failure queue), which keeps the error with the event; a legacy dead-letter queue would duplicate it.',
    );
    const role = this.exporter.role;
    for (const action of ['s3:GetObject*', 's3:GetBucket*', 's3:List*']) {
      acknowledge(
        role,
        `AwsSolutions-IAM5[Action::${action}]`,
        'CDK grantRead on reports/* of the reports bucket: the exporter reads every unit report of the period into the ZIP; every action in the set is a read.',
      );
    }
    acknowledge(
      role,
      'AwsSolutions-IAM5[Action::s3:Abort*]',
      'Part of grantPut on exports/* only: s3:Abort* matches s3:AbortMultipartUpload alone, which the exporter calls so a failed stream leaves no parts behind.',
    );
    acknowledgeWildcardResource(
      role,
      props.stateful.reportsBucket.arnForObjects(`${REPORTS_PREFIX}*`),
      "The pack holds every unit's latest report of the period, at keys created by the units' uploads that cannot be listed in advance. Read-only, reports/ prefix only.",
    );
    acknowledgeWildcardResource(
      role,
      props.stateful.reportsBucket.arnForObjects(`${EXPORTS_PREFIX}*`),
      'Each export is written to exports/<plan>/<year>/<generated id>.zip; write-only (no read, no delete), exports/ prefix only.',
    );
  }

  /**
   * Lets `caller` start an export: `lambda:InvokeFunction` on the exporter's unqualified ARN
   * only (no version or alias), and its name in `EXPORTER_FUNCTION_NAME`.
   */
  allowStart(caller: BaocaoFunction): void {
    this.exporter.function.grantInvokeLatestVersion(caller);
    caller.function.addEnvironment('EXPORTER_FUNCTION_NAME', this.exporter.function.functionName);
  }
}
