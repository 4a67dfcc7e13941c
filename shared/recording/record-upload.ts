/**
 * Recording an uploaded object (the on-upload function's use case). Browsers upload to a landing
 * key (`uploads/…`); S3 delivers every ObjectCreated event at least once and in no particular
 * order. Whatever arrives, each grant ends up with exactly one object recorded — hashed, then
 * copied to its kept key (`reports/…`, locked by S3 Object Lock) from exactly the version that was
 * hashed — or quarantined with a reason e-mailed to the unit. Any later object at a settled
 * grant's landing key (a replayed presigned POST) is quarantined and never replaces what was
 * receipted. See docs/recording.md.
 */

import type { AuditEvent, AuditLog } from '#shared/audit/ports.ts';
import type { CommitteeSettings } from '#shared/deps.ts';
import { isOnTime, parseInstant } from '#shared/domain/calendar.ts';
import type { MailMessage } from '#shared/domain/mail-message.ts';
import type { Assignment, Period } from '#shared/domain/period.ts';
import type { Plan } from '#shared/domain/plan.ts';
import { isPdfFile } from '#shared/domain/signature-result.ts';
import {
  type GrantedUpload,
  keptKey,
  LANDING_PREFIX,
  type ObjectIdentity,
  parseLandingKey,
  type RecordedFile,
  type SubmissionDraft,
  type SubmissionVersion,
  type UploadRef,
} from '#shared/domain/submission.ts';
import { isJustSettled, rejectedFiles, settledCount, submittedFiles } from '#shared/domain/versions.ts';
import type { Clock, MailQueue, PlanStore } from '#shared/ports.ts';
import type { ScanQueue } from '#shared/scanning/ports.ts';
import type { SignatureQueue } from '#shared/signatures/ports.ts';
import { checkFile, type FileInspection, inspectFile } from './file-checks.ts';
import type { RecordingLog, RecordingStore, ReportObjects, Retention, StoredObject } from './ports.ts';

/** Collaborators of {@link recordUpload}. */
export interface RecordingDeps {
  store: RecordingStore;
  objects: ReportObjects;
  mail: MailQueue;
  /** Plan number and title (for the e-mails) and the period (deadline, time zone). */
  plans: Pick<PlanStore, 'getPlan' | 'getPeriod'>;
  clock: Clock;
  settings: CommitteeSettings;
  /** Per-file limit in bytes (MAX_UPLOAD_BYTES). */
  maxUploadBytes: number;
  /** The reports bucket; events of any other bucket are ignored. */
  bucket: string;
  /** How kept reports are locked: REPORT_LOCK_MODE for REPORT_RETENTION_YEARS. */
  retention: { mode: Retention['mode']; years: number };
  log: RecordingLog;
  /**
   * Where accepted PDFs go to have their signatures checked (the verifier function's queue;
   * docs/signatures.md). Absent: nothing is checked. The check never holds up the receipt.
   */
  signatures?: SignatureQueue | undefined;
  /**
   * Where kept files go to be scanned for malware in local mode (docs/malware-scanning.md).
   * Absent on AWS: GuardDuty scans every kept copy by itself. The scan never holds up the receipt.
   */
  scans?: ScanQueue | undefined;
  /**
   * The audit log: each settled grant (`upload.recorded`, refused or not), each replayed upload
   * (`upload.replace-refused`) and each unauthorised object (`upload.quarantined`), once.
   */
  audit: AuditLog;
}

/** One ObjectCreated event, its key already URL-decoded. */
export interface UploadEvent extends ObjectIdentity {
  bucket: string;
  key: string;
  /** Size in the event (informational: the object's bytes are counted again). */
  size: number;
  /** When S3 received the object, ISO-8601: the submission time that decides on time or late. */
  eventTime: string;
}

/**
 * - `recorded`: the file was added to its version (and the assignment shows it).
 * - `duplicate`: the upload was settled before (a repeated event); nothing changed, the unit's
 *   mail for it queued again under its key (the mailer sends each key once).
 * - `rejected`: the file failed a check: quarantined, recorded as refused, the unit told why.
 * - `replay`: another object arrived for a grant that was already settled: quarantined; what was
 *   receipted stays as it was.
 * - `unknown`: not an upload anyone authorised (or not an upload key): quarantined.
 * - `ignored`: not a landing object (the function's own copies, another bucket): untouched.
 */
export type RecordOutcome = 'recorded' | 'duplicate' | 'rejected' | 'replay' | 'unknown' | 'ignored';

export interface RecordUploadResult {
  outcome: RecordOutcome;
  /** Whether this call queued the version's receipt (it settled the version, or re-queued it). */
  receiptQueued: boolean;
  /** Why the file was refused or quarantined. */
  reason?: string;
}

interface Context {
  ref: UploadRef;
  /** The landing key of the object. */
  key: string;
  grant: GrantedUpload;
  assignment: Assignment;
  period: Period;
  plan: Plan;
  /** The unit's deadline: its extended deadline, else the period's. */
  deadline: string;
}

/** Why a replayed object is quarantined (kept with the copy; the unit is not mailed about it). */
export const REPLAY_REASON =
  'Tệp được gửi lại bằng một lượt tải lên đã dùng xong; biên nhận cũ giữ nguyên, tệp mới không được nhận.';

/** Why an object uploaded with a revoked link is refused (the unit is told). */
export const REVOKED_REASON =
  'Liên kết dùng để tải tệp này đã bị thu hồi trước khi tệp đến nơi; hãy dùng liên kết mới nhất trong thư của văn phòng Đảng ủy.';

/** Records one uploaded object. Throws only on transient or unexpected failures (retry them). */
export async function recordUpload(deps: RecordingDeps, event: UploadEvent): Promise<RecordUploadResult> {
  const { key } = event;
  if (event.bucket !== deps.bucket) {
    deps.log.warn('Event of another bucket ignored', { bucket: event.bucket });
    return { outcome: 'ignored', receiptQueued: false };
  }
  // Kept copies (reports/), quarantined copies and exports raise events too: never touch them.
  if (!key.startsWith(LANDING_PREFIX)) return { outcome: 'ignored', receiptQueued: false };
  const ref = parseLandingKey(key);
  if (!ref)
    return quarantineUnknown(deps, event, 'key is not uploads/<planId>/<year>/<unitId>/<version>-<nonce>');

  const [assignment, stored, plan, period] = await Promise.all([
    deps.store.getAssignment(ref.planId, ref.year, ref.unitId),
    deps.store.getVersion(ref.planId, ref.year, ref.unitId, ref.version),
    deps.plans.getPlan(ref.planId),
    deps.plans.getPeriod(ref.planId, ref.year),
  ]);
  const draft = assignment?.drafts?.[String(ref.version)];
  const grant = draft?.grants[ref.uploadId] ?? stored?.grants?.[ref.uploadId];
  if (!assignment || !grant) return quarantineUnknown(deps, event, 'no upload was authorised for this key');
  // A grant is only ever written for an assignment of an open period of a stored plan: a missing
  // one is a fault to look into (the event goes to the failure destination).
  if (!plan || !period) {
    throw new Error(`Upload ${ref.uploadId}: missing ${!plan ? 'plan' : 'period'} ${ref.planId}/${ref.year}`);
  }
  const ctx: Context = {
    ref,
    key,
    grant,
    assignment,
    period,
    plan,
    deadline: assignment.extendedDeadline ?? period.deadline,
  };
  if (stored && isSettled(stored, ref.uploadId)) return settledAgain(deps, ctx, stored, event);

  // The version item holds what the draft declared; created by the first object to arrive.
  const version = stored ?? (await deps.store.ensureVersion(versionFromDraft(ref, draft!)));
  const linkVersion = draft?.linkVersion ?? version.linkVersion;
  if (linkVersion !== undefined && linkVersion !== assignment.linkVersion) {
    await deps.objects.quarantine(key, REVOKED_REASON, event.versionId);
    return settleRejection(deps, ctx, REVOKED_REASON);
  }

  const object = await deps.objects.open(key, event.versionId);
  if (!object) return resumeRejection(deps, ctx);
  let inspection: FileInspection;
  if (object.size > deps.maxUploadBytes) {
    object.discard();
    inspection = { size: object.size, sha256: null, kind: 'unknown' };
  } else {
    inspection = await inspectFile(object.body, { maxBytes: deps.maxUploadBytes });
  }
  const check = checkFile(inspection, grant, deps.maxUploadBytes);
  if (!check.ok) {
    await deps.objects.quarantine(key, check.reason, object.versionId ?? event.versionId);
    return settleRejection(deps, ctx, check.reason);
  }
  return accept(deps, ctx, object, event, inspection.size, inspection.sha256!);
}

async function accept(
  deps: RecordingDeps,
  ctx: Context,
  object: StoredObject,
  event: UploadEvent,
  size: number,
  sha256: string,
): Promise<RecordUploadResult> {
  const { ref, grant } = ctx;
  const source = identity({
    versionId: object.versionId ?? event.versionId,
    eTag: object.eTag ?? event.eTag,
  });
  // The kept key names the content: two objects racing for one grant never overwrite each other.
  const kept = `${keptKey(ref)}/${sha256}`;
  const copy = await deps.objects.keep(ctx.key, source, kept, retention(deps));
  if (!copy) {
    // The landing object went away while it was read: another delivery of this event settled
    // it and removed it. Anything else is a fault to retry.
    const now = await deps.store.getVersion(ref.planId, ref.year, ref.unitId, ref.version);
    if (now && isSettled(now, ref.uploadId)) return settledAgain(deps, ctx, now, undefined);
    throw new Error(`Upload ${ref.uploadId}: the landing object vanished before it was kept`);
  }
  const receivedAt = submissionTime(deps, event.eventTime);
  const file: RecordedFile = {
    uploadId: ref.uploadId,
    fileName: grant.fileName,
    key: kept,
    size,
    contentType: grant.contentType,
    sha256,
    receivedAt,
    ...(copy.versionId ? { versionId: copy.versionId } : {}),
    source,
  };
  const onTime = isOnTime(receivedAt, ctx.deadline, ctx.period.timeZone);
  const write = await deps.store.recordFile(ref, file, onTime);
  if (!write.recorded) {
    // Another delivery settled the grant first: if it recorded another object, this one is a
    // replay that raced the original.
    return settledAgain(deps, ctx, write.version, event);
  }
  const version = write.version;
  // Once: only the delivery whose write settled the grant records it.
  await deps.audit.record(
    uploadEvent('upload.recorded', ref, 'ok', {
      fileName: grant.fileName,
      version: ref.version,
      size,
      sha256,
      onTime,
    }),
  );
  // The receipt goes first: a failure from here on is retried, and the retry re-queues it.
  const receiptQueued = isJustSettled(version);
  if (receiptQueued) await deps.mail.enqueue([receiptMail(ctx, version)]);
  // Before the file shows on the assignment: where the result is known at once (a local stack
  // without a scanner), the version holds it by the time anyone can ask for the file.
  await queueScan(deps, ctx, file);
  await finish(deps, ctx, version, source);
  await queueSignatureCheck(deps, ctx, file);
  return { outcome: 'recorded', receiptQueued };
}

/** Records the refusal once, tells the unit, and settles the grant. */
async function settleRejection(
  deps: RecordingDeps,
  ctx: Context,
  reason: string,
): Promise<RecordUploadResult> {
  const { ref, grant } = ctx;
  const write = await deps.store.rejectFile(ref, {
    uploadId: ref.uploadId,
    fileName: grant.fileName,
    reason,
    rejectedAt: deps.clock.now().toISOString(),
  });
  if (!write.recorded) return settledAgain(deps, ctx, write.version, undefined);
  const version = write.version;
  await deps.audit.record(
    uploadEvent('upload.recorded', ref, 'refused', {
      fileName: grant.fileName,
      version: ref.version,
      reason,
    }),
  );
  const messages: MailMessage[] = [rejectedMail(ctx, reason)];
  // A version whose last file is refused still gets its receipt if any file was accepted.
  const receiptQueued = isJustSettled(version) && submittedFiles(version).length > 0;
  if (receiptQueued) messages.push(receiptMail(ctx, version));
  await deps.mail.enqueue(messages);
  await finish(deps, ctx, version, undefined);
  return { outcome: 'rejected', receiptQueued, reason };
}

/**
 * The object is gone while the grant is not settled: an earlier attempt quarantined it and
 * stopped before recording the refusal. The reason travelled with the quarantined copy.
 */
async function resumeRejection(deps: RecordingDeps, ctx: Context): Promise<RecordUploadResult> {
  const reason = await deps.objects.quarantineReason(ctx.key);
  if (reason === undefined) {
    deps.log.warn('Object gone and not in quarantine: nothing to record', { key: ctx.key });
    return { outcome: 'duplicate', receiptQueued: false };
  }
  return settleRejection(deps, ctx, reason);
}

/**
 * The grant was settled before this call. If the landing key still holds the object that was
 * recorded (an earlier attempt stopped before its last steps), finish those steps; if it holds
 * another object, that is a replay: quarantine it, alarm, and leave the record alone. Either way
 * the unit's mails for this upload are queued again under their keys, so a receipt whose
 * enqueue failed is not lost (the mailer sends each key once).
 */
async function settledAgain(
  deps: RecordingDeps,
  ctx: Context,
  version: SubmissionVersion,
  event: UploadEvent | undefined,
): Promise<RecordUploadResult> {
  const { ref, key } = ctx;
  const recorded = version.files?.[ref.uploadId];
  const object = event ? await deps.objects.open(key, event.versionId) : undefined;
  if (object) {
    object.discard();
    const here = identity({
      versionId: object.versionId ?? event?.versionId,
      eTag: object.eTag ?? event?.eTag,
    });
    if (!recorded || !sameObject(here, recorded.source)) {
      await deps.objects.quarantine(key, REPLAY_REASON, here.versionId);
      deps.log.warn('Replayed upload quarantined; the receipted file is unchanged', {
        audit: true,
        event: 'upload.replay-quarantined',
        key,
        planId: ref.planId,
        year: ref.year,
        unitId: ref.unitId,
        uploadId: ref.uploadId,
      });
      await deps.audit.record(
        uploadEvent('upload.replace-refused', ref, 'refused', {
          reason: 'replayed-grant',
          version: ref.version,
        }),
      );
      return { outcome: 'replay', receiptQueued: false, reason: REPLAY_REASON };
    }
  }
  const messages: MailMessage[] = [];
  const rejection = version.rejected?.[ref.uploadId];
  if (rejection) messages.push(rejectedMail(ctx, rejection.reason));
  const receiptQueued = settledCount(version) >= version.expectedFiles && submittedFiles(version).length > 0;
  if (receiptQueued) messages.push(receiptMail(ctx, version));
  if (messages.length > 0) await deps.mail.enqueue(messages);
  await finish(deps, ctx, version, recorded?.source);
  // A retry after a failed enqueue queues the check again (a repeated check is harmless).
  if (recorded) await queueSignatureCheck(deps, ctx, recorded);
  if (recorded && !version.scans?.[recorded.uploadId]) await queueScan(deps, ctx, recorded);
  return { outcome: 'duplicate', receiptQueued };
}

/**
 * The steps after a settlement, each safe to repeat: show the version on the assignment, drop
 * the draft once every file is settled, delete the landing object that was kept.
 */
async function finish(
  deps: RecordingDeps,
  ctx: Context,
  version: SubmissionVersion,
  kept: ObjectIdentity | undefined,
): Promise<void> {
  const { planId, year, unitId } = ctx.ref;
  if (submittedFiles(version).length > 0 && version.submittedAt) {
    await deps.store.promoteLatest(
      planId,
      year,
      unitId,
      version,
      version.onTime ? 'on_time' : 'late',
      version.submittedAt,
    );
  }
  if (settledCount(version) >= version.expectedFiles) {
    await deps.store.dropDraft(planId, year, unitId, version.version);
  }
  if (kept) await deps.objects.remove(ctx.key, kept.versionId);
}

/** Queues a recorded PDF for the signature check (after the receipt: the check never delays it). */
async function queueSignatureCheck(deps: RecordingDeps, ctx: Context, file: RecordedFile): Promise<void> {
  if (!deps.signatures || !isPdfFile(file)) return;
  const { planId, year, unitId, version } = ctx.ref;
  await deps.signatures.enqueue([
    {
      planId,
      year,
      unitId,
      version,
      uploadId: file.uploadId,
      key: file.key,
      ...(file.versionId ? { versionId: file.versionId } : {}),
      size: file.size,
    },
  ]);
}

/** Queues a recorded file for the local malware scan (after the receipt: the scan never delays it). */
async function queueScan(deps: RecordingDeps, ctx: Context, file: RecordedFile): Promise<void> {
  if (!deps.scans) return;
  const { planId, year, unitId, version } = ctx.ref;
  await deps.scans.enqueue([
    {
      planId,
      year,
      unitId,
      version,
      uploadId: file.uploadId,
      key: file.key,
      ...(file.versionId ? { versionId: file.versionId } : {}),
      size: file.size,
    },
  ]);
}

function versionFromDraft(ref: UploadRef, draft: SubmissionDraft): SubmissionVersion {
  return {
    planId: ref.planId,
    year: ref.year,
    unitId: ref.unitId,
    version: draft.version,
    createdAt: draft.createdAt,
    expectedFiles: draft.expectedFiles,
    notes: draft.notes,
    files: {},
    rejected: {},
    submittedAt: null,
    onTime: null,
    linkVersion: draft.linkVersion,
    grants: draft.grants,
  };
}

function isSettled(version: SubmissionVersion, uploadId: string): boolean {
  return Boolean(version.files?.[uploadId] ?? version.rejected?.[uploadId]);
}

/** An identity without empty parts (DynamoDB and comparisons alike). */
function identity(id: ObjectIdentity): ObjectIdentity {
  const eTag = id.eTag?.replace(/^"|"$/g, '');
  return { ...(id.versionId ? { versionId: id.versionId } : {}), ...(eTag ? { eTag } : {}) };
}

/** Same object: the same S3 version where both have one, else the same ETag. */
function sameObject(a: ObjectIdentity, b: ObjectIdentity | undefined): boolean {
  if (!b) return false;
  if (a.versionId && b.versionId) return a.versionId === b.versionId;
  return a.eTag !== undefined && a.eTag === b.eTag;
}

function retention(deps: RecordingDeps): Retention {
  const until = new Date(deps.clock.now());
  until.setUTCFullYear(until.getUTCFullYear() + deps.retention.years);
  return { mode: deps.retention.mode, until };
}

async function quarantineUnknown(
  deps: RecordingDeps,
  event: UploadEvent,
  reason: string,
): Promise<RecordUploadResult> {
  const moved = await deps.objects.quarantine(event.key, reason, event.versionId);
  deps.log.warn('Unexpected object under uploads/ quarantined', { key: event.key, reason, moved });
  if (moved) {
    const ref = parseLandingKey(event.key);
    await deps.audit.record({
      kind: 'upload.quarantined',
      actor: { type: 'system', id: 'on-upload' },
      target: ref
        ? { planId: ref.planId, year: ref.year, unitId: ref.unitId, ref: ref.uploadId }
        : { ref: event.key },
      outcome: 'refused',
      details: { reason: 'unauthorised', size: event.size },
    });
  }
  return { outcome: 'unknown', receiptQueued: false, reason };
}

/** An event of the unit whose grant this upload used (its id; the object's bytes never). */
function uploadEvent(
  kind: AuditEvent['kind'],
  ref: UploadRef,
  outcome: 'ok' | 'refused',
  details: Record<string, string | number | boolean>,
): AuditEvent {
  const { planId, year, unitId, uploadId } = ref;
  return {
    kind,
    actor: { type: 'unit', id: unitId },
    target: { planId, year, unitId, ref: uploadId },
    outcome,
    details,
  };
}

/** The event time as ISO-8601 UTC; the processing time if S3 ever sent something unreadable. */
function submissionTime(deps: RecordingDeps, eventTime: string): string {
  try {
    return parseInstant(eventTime).toISOString();
  } catch {
    deps.log.warn('Unreadable event time; using the processing time', { eventTime });
    return deps.clock.now().toISOString();
  }
}

function recipients(ctx: Context) {
  const { planId, year, unitId } = ctx.ref;
  return { planId, year, unitId, to: [ctx.assignment.email], cc: ctx.assignment.cc ?? [] };
}

function planHeader(ctx: Context) {
  return { planNumber: ctx.plan.number, planTitle: ctx.plan.title, unitName: ctx.assignment.unitName };
}

function receiptMail(ctx: Context, version: SubmissionVersion): MailMessage {
  const { planId, year, unitId } = ctx.ref;
  return {
    template: 'receipt',
    key: `${planId}#${year}#${unitId}#receipt-${version.version}`,
    ...recipients(ctx),
    data: {
      ...planHeader(ctx),
      version: version.version,
      files: submittedFiles(version).map((f) => ({ fileName: f.fileName, size: f.size, sha256: f.sha256 })),
      rejected: rejectedFiles(version).map((r) => ({ fileName: r.fileName, reason: r.reason })),
      receivedAt: version.submittedAt!,
      onTime: version.onTime === true,
      deadline: ctx.deadline,
      timeZone: ctx.period.timeZone,
    },
  };
}

function rejectedMail(ctx: Context, reason: string): MailMessage {
  const { planId, year, unitId, uploadId } = ctx.ref;
  return {
    template: 'rejected',
    key: `${planId}#${year}#${unitId}#rejected-${uploadId}`,
    ...recipients(ctx),
    data: { ...planHeader(ctx), fileName: ctx.grant.fileName, reason },
  };
}
