import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { sqsMailQueue } from '#shared/adapters/mail-queue-provider.ts';
import { loadConfig } from '#shared/config.ts';
import { logger } from '#shared/powertools.ts';
import { lambdaHandler } from '#shared/powertools-handler.ts';
import { parseGuardDutyEvent } from '#shared/scanning/guardduty-event.ts';
import { type RecordScanDeps, recordScanResult } from '#shared/scanning/record-scan.ts';
import { splitObjectKey } from '#shared/tenancy/scope.ts';
import { committeeDirectory } from './wiring/committee-directory.ts';
import { createScanResultDeps } from './wiring/create-scan-deps.ts';
import { createRuntime } from './wiring/runtime.ts';

/** The deps of the committee an object key belongs to (its `c/<id>/` prefix; none: the first committee). */
export type ScanDepsFor = (committeeId: string) => Promise<RecordScanDeps>;

/**
 * SQS consumer of the scan results queue: each record is one "GuardDuty Malware Protection Object
 * Scan Result" event (the EventBridge rule's target; docs/malware-scanning.md), kept on the file
 * it is about. A result that comes before the recorder has recorded and promoted the file is
 * reported as a batch item failure and delivered again; after the redrive limit it goes to the
 * dead-letter queue, whose alarm tells the operator. A malformed event, or one about another
 * bucket or key, is logged and dropped.
 */
export async function handleScanResultBatch(
  event: SQSEvent,
  depsFor: ScanDepsFor,
  options: { bucket: string; rootCommitteeId: string; now?: () => Date },
): Promise<SQSBatchResponse> {
  const processor = new BatchProcessor(EventType.SQS);
  return processPartialResponse(
    event,
    async (record: SQSRecord) => {
      let body: unknown;
      try {
        body = JSON.parse(record.body);
      } catch {
        body = undefined;
      }
      const object = (body as { detail?: { s3ObjectDetails?: { objectKey?: unknown } } } | undefined)?.detail
        ?.s3ObjectDetails?.objectKey;
      // The committee's prefix is taken off before the key is read (shared/tenancy/scope.ts).
      const split = typeof object === 'string' ? splitObjectKey(object, options.rootCommitteeId) : undefined;
      const scoped =
        split && body
          ? {
              ...(body as Record<string, unknown>),
              detail: {
                ...((body as { detail: Record<string, unknown> }).detail ?? {}),
                s3ObjectDetails: {
                  ...((body as { detail: { s3ObjectDetails: Record<string, unknown> } }).detail
                    .s3ObjectDetails ?? {}),
                  objectKey: split.key,
                },
              },
            }
          : body;
      const scan = parseGuardDutyEvent(scoped, (options.now ?? (() => new Date()))());
      if ('problem' in scan) {
        logger.warn('Scan result event dropped', { messageId: record.messageId, problem: scan.problem });
        return;
      }
      if (scan.bucket !== options.bucket) {
        logger.warn('Scan result of another bucket dropped', {
          messageId: record.messageId,
          bucket: scan.bucket,
        });
        return;
      }
      const outcome = await recordScanResult(await depsFor(split!.committeeId), scan.ref, scan.result);
      logger.info('Scan result kept', {
        key: scan.ref.key,
        committeeId: split!.committeeId,
        status: scan.result.status,
        outcome: outcome.status,
      });
    },
    processor,
    { throwOnFullBatchFailure: false },
  );
}

/** What the handler works with: the deps of each committee, the reports bucket, the first committee's id. */
export interface ScanResultsContext {
  depsFor: ScanDepsFor;
  bucket: string;
  rootCommitteeId: string;
}

/** The Powertools-wrapped handler over a context made on first use (once per cold start). */
export function createScanResultsHandler(makeContext: () => ScanResultsContext) {
  let context: ScanResultsContext | undefined;
  return lambdaHandler<SQSEvent, SQSBatchResponse>(async (event) => {
    context ??= makeContext();
    return handleScanResultBatch(event, context.depsFor, context);
  });
}

/**
 * Lambda entry point (the scan results queue). Each result is recorded with the deps of the
 * committee its key belongs to (`reports/_c/<id>/…`; docs/tenancy.md); a key of a committee the
 * deployment does not hold fails and reaches the dead-letter queue.
 */
export const handler = createScanResultsHandler(() => {
  const config = loadConfig();
  const runtime = createRuntime(config, { mailQueue: sqsMailQueue(config) });
  const committees = committeeDirectory(runtime, (r) => createScanResultDeps(r));
  return {
    bucket: config.REPORTS_BUCKET,
    rootCommitteeId: config.COMMITTEE_ID,
    depsFor: async (committeeId) => {
      const deps = await committees.get(committeeId);
      if (!deps) throw new Error(`Scan result of unknown committee ${committeeId}`);
      return deps;
    },
  };
});
