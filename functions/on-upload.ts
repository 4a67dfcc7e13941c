import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { S3Event } from 'aws-lambda';
import { type CommitteeDirectory, committeeDirectory } from '#functions/wiring/committee-directory.ts';
import { createRecordingDeps } from '#functions/wiring/create-recording-deps.ts';
import { createRuntime } from '#functions/wiring/runtime.ts';
import { sqsMailQueue } from '#shared/adapters/mail-queue-provider.ts';
import { sqsSignatureQueue } from '#shared/adapters/signature-queue-provider.ts';
import { loadConfig } from '#shared/config.ts';
import { METRICS, type MetricName } from '#shared/metrics.ts';
import { logger } from '#shared/powertools.ts';
import { lambdaHandler } from '#shared/powertools-handler.ts';
import { metrics } from '#shared/powertools-metrics.ts';
import {
  type RecordingDeps,
  type RecordOutcome,
  type RecordUploadResult,
  recordUpload,
} from '#shared/recording/record-upload.ts';
import { splitObjectKey } from '#shared/tenancy/scope.ts';

/**
 * Records each object a unit's browser uploads to the reports bucket (S3 ObjectCreated, async
 * invocation). Duplicate and out-of-order events are expected and harmless. Transient errors
 * are thrown so that Lambda's async retries, then the on-failure destination, take over; a
 * retry repeats only what has not been done.
 */
export async function handleS3Event(
  event: S3Event,
  committees: CommitteeDirectory<RecordingDeps>,
): Promise<RecordUploadResult[]> {
  const results: RecordUploadResult[] = [];
  const failures: unknown[] = [];
  // S3 sends one record per event; should there be more, each is done (they are independent
  // and idempotent) before the first failure is reported for a retry of the whole event.
  for (const record of event.Records ?? []) {
    if (!record.eventName?.startsWith('ObjectCreated')) continue;
    const fullKey = decodeKey(record.s3.object.key);
    // The committee is in the key (`uploads/_c/<id>/…`, docs/tenancy.md); the use case sees the
    // key within its committee, with that committee's stores.
    const scoped = fullKey === undefined ? undefined : splitObjectKey(fullKey, committees.rootId);
    const deps = scoped && (await committees.get(scoped.committeeId));
    if (scoped === undefined || deps === undefined) {
      logger.warn('Object key of no committee ignored', { key: record.s3.object.key });
      results.push({ outcome: 'unknown', receiptQueued: false });
      continue;
    }
    const { key } = scoped;
    try {
      const result = await recordUpload(deps, {
        bucket: record.s3.bucket.name,
        key,
        size: record.s3.object.size,
        eventTime: record.eventTime,
        ...(record.s3.object.versionId ? { versionId: record.s3.object.versionId } : {}),
        ...(record.s3.object.eTag ? { eTag: record.s3.object.eTag } : {}),
      });
      logger.info('Upload event handled', { key, outcome: result.outcome });
      results.push(result);
    } catch (error) {
      logger.error('Recording an upload failed; the event will be retried', { key, error: error as Error });
      failures.push(error);
    }
  }
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new AggregateError(failures, `${failures.length} upload records failed`);
  return results;
}

/** S3 event keys are URL-encoded, with `+` for spaces. */
export function decodeKey(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

const METRIC_NAMES: Record<RecordOutcome, MetricName | undefined> = {
  recorded: METRICS.SubmissionRecorded,
  rejected: METRICS.SubmissionRejected,
  duplicate: METRICS.UploadEventDuplicate,
  /** Alarmed: someone posted again with a grant that was already used. */
  replay: METRICS.UploadReplayQuarantined,
  unknown: METRICS.UploadUnknown,
  /** The function's own copies and other prefixes: nothing to count. */
  ignored: undefined,
};

/** The Powertools-wrapped handler over deps made on first use (once per cold start; the local stack passes its own). */
export function createOnUploadHandler(makeDeps: () => CommitteeDirectory<RecordingDeps>) {
  let deps: CommitteeDirectory<RecordingDeps> | undefined;
  return lambdaHandler<S3Event, void>(
    async (event) => {
      deps ??= makeDeps();
      let results: RecordUploadResult[];
      try {
        results = await handleS3Event(event, deps);
      } catch (error) {
        metrics.addMetric(METRICS.UploadRecordingFailed, MetricUnit.Count, 1);
        throw error;
      }
      for (const { outcome } of results) {
        const name = METRIC_NAMES[outcome];
        if (name) metrics.addMetric(name, MetricUnit.Count, 1);
      }
    },
    { metrics },
  );
}

/** Lambda entry point (S3 ObjectCreated notifications of `uploads/`, async invocation). */
export const handler = createOnUploadHandler(() => {
  const config = loadConfig();
  // Accepted PDFs go to the verifier function (docs/signatures.md): pkijs stays out of this bundle.
  return committeeDirectory(
    createRuntime(config, { mailQueue: sqsMailQueue(config), signatureQueue: sqsSignatureQueue(config) }),
    (runtime) => createRecordingDeps(runtime),
  );
});
