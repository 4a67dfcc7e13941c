/**
 * Recording an uploaded object (the on-upload function's use case). S3 delivers every
 * ObjectCreated event at least once and in no particular order; whatever arrives, each upload
 * ends up recorded once in its submission version, or quarantined with a reason e-mailed to the
 * unit. See docs/recording.md.
 */
import { isOnTime, parseInstant } from '#shared/domain/calendar.ts';
import type { Assignment, Period } from '#shared/domain/period.ts';
import type { Plan } from '#shared/domain/plan.ts';
import {
  parseReportKey,
  type RecordedFile,
  type SubmissionVersion,
  type UploadIntent,
} from '#shared/domain/submission.ts';
import type { MailMessage } from '#shared/mail/mail-message.ts';
import type { Clock, MailQueue, PlanStore } from '#shared/ports.ts';
import type { CommitteeSettings } from '#shared/services/deps.ts';
import { checkFile, type FileInspection, inspectFile } from './file-checks.ts';
import type { RecordingLog, RecordingStore, ReportObjects } from './ports.ts';
import { isJustSettled, rejectedFiles, submittedFiles } from './versions.ts';

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
  log: RecordingLog;
}

/** One ObjectCreated event, its key already URL-decoded. */
export interface UploadEvent {
  bucket: string;
  key: string;
  /** Size in the event (informational: the object's bytes are counted again). */
  size: number;
  /** When S3 received the object, ISO-8601: the submission time that decides on time or late. */
  eventTime: string;
}

/**
 * - `recorded`: the file was added to its version (and the assignment shows it).
 * - `duplicate`: the upload was settled before (a repeated event); nothing changed.
 * - `rejected`: the file failed a check: quarantined, recorded as refused, the unit told why.
 * - `unknown`: not an upload anyone authorised (or not a report key): quarantined or ignored.
 */
export type RecordOutcome = 'recorded' | 'duplicate' | 'rejected' | 'unknown';

export interface RecordUploadResult {
  outcome: RecordOutcome;
  /** Whether this call queued the version's receipt (it settled the version). */
  receiptQueued: boolean;
  /** Why the file was refused or quarantined. */
  reason?: string;
}

interface Context {
  intent: UploadIntent;
  assignment: Assignment;
  period: Period;
  plan: Plan;
  /** The unit's deadline: its extended deadline, else the period's. */
  deadline: string;
}

const REPORTS_PREFIX = 'reports/';

/** Records one uploaded object. Throws only on transient or unexpected failures (retry them). */
export async function recordUpload(deps: RecordingDeps, event: UploadEvent): Promise<RecordUploadResult> {
  const { key } = event;
  if (event.bucket !== deps.bucket) {
    deps.log.warn('Event of another bucket ignored', { bucket: event.bucket });
    return { outcome: 'unknown', receiptQueued: false };
  }
  // Copies into quarantine/ and exports/ raise events too: never touch them.
  if (!key.startsWith(REPORTS_PREFIX)) {
    deps.log.info('Object outside reports/ ignored', { key });
    return { outcome: 'unknown', receiptQueued: false };
  }
  const ref = parseReportKey(key);
  if (!ref) {
    return quarantineUnknown(deps, key, 'key is not reports/<planId>/<year>/<unitId>/<uploadId>');
  }
  const intent = await deps.store.getIntent(ref.planId, ref.year, ref.uploadId);
  if (!intent || intent.unitId !== ref.unitId || intent.key !== key) {
    return quarantineUnknown(deps, key, 'no upload was authorised for this key');
  }
  if (intent.state !== 'pending') return { outcome: 'duplicate', receiptQueued: false };

  const ctx = await loadContext(deps, intent);
  const object = await deps.objects.open(key);
  if (!object) return resumeRejection(deps, ctx);

  let inspection: FileInspection;
  if (object.size > deps.maxUploadBytes) {
    object.discard();
    inspection = { size: object.size, sha256: null, kind: 'unknown' };
  } else {
    inspection = await inspectFile(object.body, { maxBytes: deps.maxUploadBytes });
  }
  const check = checkFile(inspection, intent, deps.maxUploadBytes);
  if (!check.ok) {
    await deps.objects.quarantine(key, check.reason);
    return settleRejection(deps, ctx, check.reason);
  }
  return accept(deps, ctx, inspection.size, inspection.sha256!, submissionTime(deps, event.eventTime));
}

async function accept(
  deps: RecordingDeps,
  ctx: Context,
  size: number,
  sha256: string,
  receivedAt: string,
): Promise<RecordUploadResult> {
  const { intent } = ctx;
  const file: RecordedFile = {
    uploadId: intent.uploadId,
    fileName: intent.fileName,
    key: intent.key,
    size,
    contentType: intent.contentType,
    sha256,
    receivedAt,
  };
  const onTime = isOnTime(receivedAt, ctx.deadline, ctx.period.timeZone);
  const write = await deps.store.recordFile(intent, file, onTime);
  if (!write.recorded) {
    // Settled by another delivery of this event, or by an earlier attempt that stopped before
    // its last step: finish the idempotent steps (never the receipt) and change nothing else.
    await finishSettled(deps, ctx, write.version);
    return { outcome: 'duplicate', receiptQueued: false };
  }
  const version = write.version;
  // The receipt goes first: the window in which a crash could lose it is as short as can be.
  const receiptQueued = isJustSettled(version);
  if (receiptQueued) await deps.mail.enqueue([receiptMail(ctx, version)]);
  await promote(deps, version);
  await deps.store.setIntentState(intent, 'recorded', deps.clock.now().toISOString());
  return { outcome: 'recorded', receiptQueued };
}

/** Records the refusal once, tells the unit, and settles the intent. */
async function settleRejection(
  deps: RecordingDeps,
  ctx: Context,
  reason: string,
): Promise<RecordUploadResult> {
  const { intent } = ctx;
  const now = deps.clock.now().toISOString();
  const write = await deps.store.rejectFile(intent, {
    uploadId: intent.uploadId,
    fileName: intent.fileName,
    reason,
    rejectedAt: now,
  });
  if (!write.recorded) {
    await finishSettled(deps, ctx, write.version);
    return { outcome: 'duplicate', receiptQueued: false };
  }
  const version = write.version;
  const messages: MailMessage[] = [rejectedMail(ctx, reason)];
  // A version whose last file is refused still gets its receipt if any file was accepted.
  const receiptQueued = isJustSettled(version) && submittedFiles(version).length > 0;
  if (receiptQueued) messages.push(receiptMail(ctx, version));
  await deps.mail.enqueue(messages);
  await deps.store.setIntentState(intent, 'rejected', now, reason);
  return { outcome: 'rejected', receiptQueued, reason };
}

/**
 * The object is gone while its intent is still pending: an earlier attempt quarantined it and
 * stopped before recording the refusal. The reason travelled with the quarantined copy.
 */
async function resumeRejection(deps: RecordingDeps, ctx: Context): Promise<RecordUploadResult> {
  const reason = await deps.objects.quarantineReason(ctx.intent.key);
  if (reason === undefined) {
    deps.log.warn('Object gone and not in quarantine: nothing to record', { key: ctx.intent.key });
    return { outcome: 'duplicate', receiptQueued: false };
  }
  return settleRejection(deps, ctx, reason);
}

/**
 * The upload was already settled in its version: repeat the steps that are safe to repeat
 * (promotion, intent state), in case the attempt that settled it stopped before them.
 */
async function finishSettled(deps: RecordingDeps, ctx: Context, version: SubmissionVersion): Promise<void> {
  const { intent } = ctx;
  const now = deps.clock.now().toISOString();
  if (version.files?.[intent.uploadId]) {
    await promote(deps, version);
    await deps.store.setIntentState(intent, 'recorded', now);
  } else {
    const rejection = version.rejected?.[intent.uploadId];
    if (rejection) await deps.store.setIntentState(intent, 'rejected', now, rejection.reason);
  }
}

/**
 * The latest version counts: the assignment shows the highest version with an accepted file,
 * and its status is that version's (on time when its last file arrived by the unit's deadline).
 */
async function promote(deps: RecordingDeps, version: SubmissionVersion): Promise<void> {
  if (submittedFiles(version).length === 0 || !version.submittedAt) return;
  await deps.store.promoteLatest(
    version.planId,
    version.year,
    version.unitId,
    version,
    version.onTime ? 'on_time' : 'late',
    version.submittedAt,
  );
}

async function loadContext(deps: RecordingDeps, intent: UploadIntent): Promise<Context> {
  const [assignment, period, plan] = await Promise.all([
    deps.store.getAssignment(intent.planId, intent.year, intent.unitId),
    deps.plans.getPeriod(intent.planId, intent.year),
    deps.plans.getPlan(intent.planId),
  ]);
  // An intent is only ever written for an assignment of an open period of a stored plan: a
  // missing one is a fault to look into (the event goes to the failure destination), not
  // something to tell the unit about.
  if (!assignment || !period || !plan) {
    throw new Error(
      `Upload ${intent.uploadId}: missing ${[!assignment && 'assignment', !period && 'period', !plan && 'plan'].filter(Boolean).join(', ')} for ${intent.planId}/${intent.year}/${intent.unitId}`,
    );
  }
  return { intent, assignment, period, plan, deadline: assignment.extendedDeadline ?? period.deadline };
}

async function quarantineUnknown(
  deps: RecordingDeps,
  key: string,
  reason: string,
): Promise<RecordUploadResult> {
  const moved = await deps.objects.quarantine(key, reason);
  deps.log.warn('Unexpected object under reports/ quarantined', { key, reason, moved });
  return { outcome: 'unknown', receiptQueued: false, reason };
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
  const { planId, year, unitId } = ctx.intent;
  return { planId, year, unitId, to: [ctx.assignment.email], cc: ctx.assignment.cc ?? [] };
}

function planHeader(ctx: Context) {
  return { planNumber: ctx.plan.number, planTitle: ctx.plan.title, unitName: ctx.assignment.unitName };
}

function receiptMail(ctx: Context, version: SubmissionVersion): MailMessage {
  const { planId, year, unitId } = ctx.intent;
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
  const { planId, year, unitId, uploadId, fileName } = ctx.intent;
  return {
    template: 'rejected',
    key: `${planId}#${year}#${unitId}#rejected-${uploadId}`,
    ...recipients(ctx),
    data: { ...planHeader(ctx), fileName, reason },
  };
}
