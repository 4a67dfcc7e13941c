/**
 * GuardDuty Malware Protection for S3's result event ("GuardDuty Malware Protection Object Scan
 * Result" on the default EventBridge bus), read into a scan result. Validated where it is read:
 * a malformed event is dropped (logged), never retried.
 */
import * as v from 'valibot';
import type { FileScanResult } from '#shared/domain/scan-result.ts';
import { parseKeptKey } from './kept-key.ts';
import type { ScanRef, ScanVerdict } from './ports.ts';
import { scanResult } from './record-scan.ts';

/** The tag GuardDuty writes on each scanned object, and its one value that clears it. */
export const GUARDDUTY_SCAN_TAG = 'GuardDutyMalwareScanStatus';
export const GUARDDUTY_CLEAN = 'NO_THREATS_FOUND';
/** The event's `source` and `detail-type` (the EventBridge rule's pattern). */
export const GUARDDUTY_EVENT_SOURCE = 'aws.guardduty';
export const GUARDDUTY_SCAN_RESULT = 'GuardDuty Malware Protection Object Scan Result';

const GUARDDUTY_STATUSES = [
  'NO_THREATS_FOUND',
  'THREATS_FOUND',
  'UNSUPPORTED',
  'ACCESS_DENIED',
  'FAILED',
] as const;
type GuardDutyStatus = (typeof GUARDDUTY_STATUSES)[number];

const bounded = (max: number) => v.pipe(v.string(), v.maxLength(max));

const eventSchema = v.object({
  source: v.literal(GUARDDUTY_EVENT_SOURCE),
  'detail-type': v.literal(GUARDDUTY_SCAN_RESULT),
  time: v.optional(bounded(64)),
  detail: v.object({
    scanStatus: v.optional(bounded(64)),
    s3ObjectDetails: v.object({
      bucketName: bounded(255),
      objectKey: bounded(1024),
      versionId: v.optional(v.nullable(bounded(1024))),
    }),
    scanResultDetails: v.object({
      scanResultStatus: v.picklist(GUARDDUTY_STATUSES),
      threats: v.optional(v.nullable(v.array(v.object({ name: v.optional(v.nullable(bounded(1024))) })))),
    }),
  }),
});

/** One result event, read: the file it is about and the result to keep. */
export interface GuardDutyScan {
  bucket: string;
  ref: ScanRef;
  result: FileScanResult;
}

/**
 * The scan an EventBridge event reports, or why it is not one of ours: `malformed` (not a scan
 * result event), `not-a-kept-file` (another key: GuardDuty scans only `reports/`, but the key is
 * checked anyway).
 */
export function parseGuardDutyEvent(
  event: unknown,
  receivedAt: Date,
): GuardDutyScan | { problem: 'malformed' | 'not-a-kept-file' } {
  const parsed = v.safeParse(eventSchema, event);
  if (!parsed.success) return { problem: 'malformed' };
  const { detail, time } = parsed.output;
  const object = detail.s3ObjectDetails;
  const ref = parseKeptKey(object.objectKey, object.versionId ?? undefined);
  if (!ref) return { problem: 'not-a-kept-file' };
  const at = time && !Number.isNaN(Date.parse(time)) ? new Date(time) : receivedAt;
  const verdict = verdictOf(
    detail.scanResultDetails.scanResultStatus,
    (detail.scanResultDetails.threats ?? []).map((t) => t.name ?? '').filter(Boolean),
  );
  return { bucket: object.bucketName, ref, result: scanResult(verdict, 'guardduty', at) };
}

/** GuardDuty's statuses as verdicts: only NO_THREATS_FOUND clears a file. */
export function verdictOf(status: GuardDutyStatus, threats: string[]): ScanVerdict {
  switch (status) {
    case 'NO_THREATS_FOUND':
      return { status: 'clean' };
    case 'THREATS_FOUND':
      return { status: 'infected', threat: threats.join(', ') || 'không rõ tên' };
    case 'UNSUPPORTED':
      return { status: 'unsupported', detail: 'GuardDuty: UNSUPPORTED' };
    case 'ACCESS_DENIED':
      return { status: 'failed', detail: 'GuardDuty: ACCESS_DENIED' };
    case 'FAILED':
      return { status: 'failed', detail: 'GuardDuty: FAILED' };
  }
}
