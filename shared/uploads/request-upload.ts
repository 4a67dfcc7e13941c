import { localDate } from '#shared/domain/calendar.ts';
import { type Assignment, MAX_OPEN_DRAFTS } from '#shared/domain/period.ts';
import {
  type GrantedUpload,
  landingKey,
  newUploadRefId,
  type SubmissionDraft,
} from '#shared/domain/submission.ts';
import { ValidationError } from '#shared/errors.ts';
import { RevokedLinkError } from '#shared/uploads/link-errors.ts';
import { AlreadyReceivedError, repeatedVersion, sameFilesAsLatest } from './already-received.ts';
import type { UploadDeps } from './deps.ts';
import { verifyLinkToken } from './link-token.ts';
import { type ResolvedLink, resolveClaims } from './links.ts';
import type { LinkCount } from './ports.ts';
import { countPresignAddress, presignLinkCount, TooManyPresignsError } from './unit-limits.ts';
import { type RequestOrigin, recordRefusedUpload, unitEvent, writeRecorded } from './upload-audit.ts';
import { parseUploadRequest, type UploadRequest } from './validate-upload-request.ts';

/**
 * How long a presigned POST may be used: 5 minutes, enough to start the upload of a large file
 * on a slow line (S3 checks the expiry when the POST begins), short enough that a copied form is
 * soon worthless.
 */
export const UPLOAD_EXPIRY_SECONDS = 5 * 60;

/** Files may be added to a submission for this long after its first file was requested. */
export const SUBMISSION_OPEN_MS = 60 * 60 * 1000;

/**
 * A draft is dropped from the assignment when a new submission starts and it is older than this:
 * its last grant (≤ 1 hour after it began) has expired 5 minutes later, and S3's events (seconds,
 * or a few minutes with Lambda's retries) have long copied it into its version item.
 */
export const DRAFT_KEPT_MS = 80 * 60 * 1000;

/** Concurrent first-file requests of one unit race for the counter: retry the loser this often. */
const MAX_START_ATTEMPTS = 3;

/** The answer to `POST /u/{token}/uploads`: where and how the browser posts the file. */
export interface UploadGrant {
  url: string;
  /** Form fields to post before the file (which goes last, as field `file`). */
  fields: Record<string, string>;
  /** The object key chosen by the server. */
  key: string;
  uploadId: string;
  /** The submission version this file belongs to; pass it back for the next files. */
  submission: number;
  maxBytes: number;
  /** ISO-8601: the presigned POST is refused after this. */
  expiresAt: string;
}

/**
 * Authorises the upload of one file by the unit that holds `token`: validates everything, then
 * writes — one conditional UpdateItem on the assignment that starts the submission (first file)
 * or takes one more of its slots — while it signs a presigned POST for one server-chosen key (a
 * fresh nonce in it). With the link's one BatchGetItem that is two DynamoDB requests per grant,
 * plus the client address's limit counter beside the read (the link's is in the grant's write:
 * shared/uploads/unit-limits.ts), and the audit record's (a Query of the chain's head, a PutItem,
 * one for the IP) beside the write.
 * A refused request changes nothing. A first file that declares the whole submission (`files`:
 * names, sizes, SHA-256) identical to the version that counts, notes unchanged, is refused with
 * {@link AlreadyReceivedError}: the same files are never recorded twice in a row. The grant is
 * recorded in the audit log (`upload.granted`) while it is written, a repeat or a late upload as
 * `upload.replace-refused` (shared/uploads/upload-audit.ts).
 * @throws the link errors of {@link resolveLink}, AlreadyReceivedError, TooManyPresignsError (429:
 * the link's or the address's limit), or ValidationError with a Vietnamese message.
 */
export async function requestUpload(
  deps: UploadDeps,
  token: string,
  body: unknown,
  origin: RequestOrigin = {},
): Promise<UploadGrant> {
  try {
    return await grantUpload(deps, token, body, origin);
  } catch (error) {
    // A repeat of the version that counts, or an upload after the close: a refused replacement.
    await recordRefusedUpload(deps, token, error, origin);
    throw error;
  }
}

/**
 * {@link requestUpload}, each grant recorded (`upload.granted`) while it is written, and counted
 * against the limits of its link and its client's address (shared/uploads/unit-limits.ts): the
 * token is verified once; the address's counter (one UpdateItem) runs while the link is read;
 * the link's counter is on the assignment, in the grant's own conditional write. With the write
 * that is three requests in two round trips.
 */
async function grantUpload(
  deps: UploadDeps,
  token: string,
  body: unknown,
  origin: RequestOrigin,
): Promise<UploadGrant> {
  const now = deps.clock.now();
  // The MAC first: a forged or malformed token is refused before anything is read or counted.
  const claims = verifyLinkToken(await deps.keys.linkKey(), token, now);
  const [read, counted] = await Promise.allSettled([
    resolveClaims(deps, claims, now),
    countPresignAddress(deps, origin.clientIp, now),
  ]);
  if (counted.status === 'rejected') throw counted.reason;
  // The limits answer first, as when they were counted before the link was read.
  if (!counted.value.allowed) throw new TooManyPresignsError('ip');
  if (read.status === 'rejected') throw read.reason;
  try {
    return await grantCounted(deps, read.value, body, origin, now);
  } catch (error) {
    // Refused by its link's limit: the presign uses none of its address's budget (an office's
    // units share one address; docs/limits.md).
    if (error instanceof TooManyPresignsError && error.limitedBy === 'link') await counted.value.release();
    throw error;
  }
}

/**
 * The grant itself, for a resolved link. A presign refused by the upload rules is counted
 * against its link too (one write of the counter alone); one refused by the link's limit
 * changes nothing.
 */
async function grantCounted(
  deps: UploadDeps,
  resolved: ResolvedLink,
  body: unknown,
  origin: RequestOrigin,
  now: Date,
): Promise<UploadGrant> {
  let link = resolved;
  let limit = presignLinkCount(link.assignment, now);
  if (limit.full) throw new TooManyPresignsError('link');
  /**
   * Counts a refused presign against its link, then throws its refusal; or the 429 when the
   * link's window filled meanwhile (concurrent presigns): every answer but a 429 is counted.
   */
  const refuse = async (error: unknown): Promise<never> => {
    const { planId, year, unitId } = link.claims;
    for (let attempt = 1; ; attempt++) {
      if (await deps.uploads.countPresign(planId, year, unitId, limit.count)) throw error;
      // Not counted: another presign filled the window or began a new one. Read it again.
      const { assignment } = await deps.uploads.readLinkContext(planId, year, unitId);
      if (!assignment || attempt >= MAX_START_ATTEMPTS) throw error;
      limit = presignLinkCount(assignment, now);
      if (limit.full) throw new TooManyPresignsError('link');
    }
  };
  const maxBytes = deps.uploadSettings.maxUploadBytes;
  let request: UploadRequest;
  try {
    request = parseUploadRequest(body, {
      taskGroupNumbers: link.plan.taskGroups.map((t) => t.number),
      maxBytes,
    });
    if (request.submission === undefined && request.files) await refuseRepeat(deps, link, request);
  } catch (error) {
    return refuse(error);
  }
  const upload: GrantedUpload = {
    fileName: request.fileName,
    contentType: request.contentType,
    declaredSize: request.size,
    createdAt: now.toISOString(),
  };
  for (let attempt = 1; ; attempt++) {
    const version = request.submission ?? link.assignment.versionCounter + 1;
    const uploadId = newUploadRefId(version, deps.newUploadId());
    const { planId, year, unitId } = link.claims;
    const key = landingKey({ planId, year, unitId, version, uploadId });
    // Signing (local HMACs) runs while the write is in flight. Should it fail — it needs only
    // the function's own credentials — the grant written stays unused: a draft without uploads,
    // dropped later, which costs the unit nothing but one of its daily submissions.
    // The write's checks throw here, before anything is written or recorded.
    let write: Promise<boolean>;
    try {
      write =
        request.submission === undefined
          ? startSubmission(deps, link, request, uploadId, upload, now, limit.count)
          : addToSubmission(deps, link, request.submission, uploadId, upload, now, limit.count);
    } catch (error) {
      return refuse(error);
    }
    const granted = unitEvent('upload.granted', link.claims, origin, {
      ref: uploadId,
      details: { version, size: request.size, contentType: request.contentType },
    });
    const [presigned, written] = await Promise.all([
      deps.signer.createUpload({
        key,
        contentType: request.contentType,
        maxBytes,
        metadata: { 'upload-id': uploadId, filename: encodeURIComponent(request.fileName) },
        expiresInSeconds: UPLOAD_EXPIRY_SECONDS,
      }),
      // Recorded while the grant is written: no round trip added (shared/uploads/upload-audit.ts).
      writeRecorded(deps.audit, write, granted),
    ]);
    if (written) {
      return {
        url: presigned.url,
        fields: presigned.fields,
        key,
        uploadId,
        submission: version,
        maxBytes,
        expiresAt: presigned.expiresAt.toISOString(),
      };
    }
    // The assignment changed since it was read: a revoked link, the link's window filled or
    // begun by another presign, or another first file of this unit took the version number.
    // Read again and say why, or try once more.
    link = await resolveClaims(deps, link.claims, now);
    if (link.assignment.linkVersion !== link.claims.linkVersion) throw new RevokedLinkError();
    limit = presignLinkCount(link.assignment, now);
    if (limit.full) throw new TooManyPresignsError('link');
    if (request.submission !== undefined) {
      try {
        checkCanAdd(link.assignment, request.submission, now);
      } catch (error) {
        return refuse(error);
      }
      if (attempt >= MAX_START_ATTEMPTS) return refuse(cannotAdd(request.submission));
    } else if (attempt >= MAX_START_ATTEMPTS) {
      return refuse(
        new ValidationError(
          'Too many concurrent new submissions',
          [],
          'Đơn vị đang bắt đầu nhiều lần nộp cùng lúc; hãy thử lại sau ít giây.',
        ),
      );
    }
  }
}

/**
 * Throws {@link AlreadyReceivedError} when the declared submission repeats the version that
 * counts. Reads that version (for its notes) only when the files already match.
 */
async function refuseRepeat(deps: UploadDeps, link: ResolvedLink, request: UploadRequest): Promise<void> {
  const { assignment, claims } = link;
  if (!request.files || !sameFilesAsLatest(assignment, request.files)) return;
  const versions = await deps.uploads.recentVersions(claims.planId, claims.year, claims.unitId, 10);
  const repeated = repeatedVersion(assignment, versions, request.files, request.notes);
  if (repeated) throw new AlreadyReceivedError(repeated.version);
}

/**
 * Starts a new submission (its first file): the day's bound, the number, the draft. Not async:
 * a refusal throws at the call, before the write and its audit record begin.
 */
function startSubmission(
  deps: UploadDeps,
  link: ResolvedLink,
  request: UploadRequest,
  uploadId: string,
  upload: GrantedUpload,
  now: Date,
  linkCount: LinkCount,
): Promise<boolean> {
  const { assignment, period, claims } = link;
  const day = localDate(now, period.timeZone);
  const versionsOnDay = (assignment.uploadDay === day ? (assignment.versionsOnDay ?? 0) : 0) + 1;
  const max = deps.uploadSettings.maxVersionsPerDay;
  if (versionsOnDay > max) {
    throw new ValidationError(
      `Unit ${claims.unitId} started ${max} submissions today`,
      [],
      `Đơn vị đã nộp ${max} lần trong hôm nay, là số lần tối đa mỗi ngày; hãy nộp lại vào ngày mai hoặc liên hệ văn phòng Đảng ủy.`,
    );
  }
  const drafts = Object.values(assignment.drafts ?? {});
  const stale = drafts.filter((d) => now.getTime() - Date.parse(d.createdAt) > DRAFT_KEPT_MS);
  if (drafts.length - stale.length >= MAX_OPEN_DRAFTS) {
    throw new ValidationError(
      `Unit ${claims.unitId} has ${MAX_OPEN_DRAFTS} submissions in progress`,
      [],
      `Đơn vị đã bắt đầu ${MAX_OPEN_DRAFTS} lần nộp trong hơn 1 giờ qua mà chưa tải lên xong; hãy đợi khoảng 1 giờ rồi thử lại, hoặc liên hệ văn phòng Đảng ủy.`,
    );
  }
  const draft: SubmissionDraft = {
    version: assignment.versionCounter + 1,
    createdAt: now.toISOString(),
    expectedFiles: request.fileCount ?? 1,
    issued: 1,
    notes: request.notes ?? {},
    linkVersion: claims.linkVersion,
    grants: { [uploadId]: upload },
  };
  return deps.uploads.startDraft(claims.planId, claims.year, claims.unitId, {
    draft,
    previousCounter: assignment.versionCounter,
    day,
    versionsOnDay,
    hasDrafts: assignment.drafts !== undefined,
    dropDrafts: stale.map((d) => d.version),
    linkCount,
  });
}

/** Adds one more file to a submission begun less than an hour ago, within its declared count (a refusal throws at the call). */
function addToSubmission(
  deps: UploadDeps,
  link: ResolvedLink,
  number: number,
  uploadId: string,
  upload: GrantedUpload,
  now: Date,
  linkCount: LinkCount,
): Promise<boolean> {
  // Checked on what was read, for a clear refusal; the write's condition guards the race.
  checkCanAdd(link.assignment, number, now);
  const { planId, year, unitId, linkVersion } = link.claims;
  return deps.uploads.addGrant(planId, year, unitId, {
    version: number,
    linkVersion,
    createdNotBefore: new Date(now.getTime() - SUBMISSION_OPEN_MS).toISOString(),
    uploadId,
    upload,
    linkCount,
  });
}

function cannotAdd(number: number): ValidationError {
  return new ValidationError(
    `Cannot add a file to version ${number}`,
    [],
    `Không thể thêm tệp vào lần nộp số ${number}; hãy bắt đầu lần nộp mới.`,
  );
}

/** Whether one more file may join submission `number`; throws a clear refusal otherwise. */
function checkCanAdd(assignment: Assignment, number: number, now: Date): void {
  const draft = assignment.drafts?.[String(number)];
  if (!draft) {
    throw new ValidationError(
      `No version ${number} in progress for this unit`,
      [],
      `Không tìm thấy lần nộp số ${number} đang tải lên của đơn vị; hãy bắt đầu lần nộp mới.`,
    );
  }
  if (now.getTime() - Date.parse(draft.createdAt) > SUBMISSION_OPEN_MS) {
    throw new ValidationError(
      `Version ${number} is older than an hour`,
      [],
      `Lần nộp số ${number} đã bắt đầu hơn 1 giờ trước nên không nhận thêm tệp; hãy bắt đầu lần nộp mới.`,
    );
  }
  if (draft.issued >= draft.expectedFiles) {
    throw new ValidationError(
      `Version ${number} already has its ${draft.expectedFiles} file(s)`,
      [],
      `Lần nộp số ${number} đã đủ ${draft.expectedFiles} tệp như đã khai báo (tối đa 10 tệp mỗi lần nộp); hãy bắt đầu lần nộp mới.`,
    );
  }
}
