import type { SubmissionVersion, UploadIntent } from '#shared/domain/submission.ts';
import { unitPrefix } from '#shared/domain/submission.ts';
import { ValidationError } from '#shared/errors.ts';
import { RevokedLinkError } from '#shared/links/errors.ts';
import type { UploadDeps } from './deps.ts';
import { resolveLink } from './links.ts';
import type { StoredVersion } from './ports.ts';
import { parseUploadRequest, type UploadRequest } from './upload-request.ts';

/** How long a presigned POST may be used. */
export const UPLOAD_EXPIRY_SECONDS = 10 * 60;

/** Files may be added to a submission for this long after its first file was requested. */
export const SUBMISSION_OPEN_MS = 60 * 60 * 1000;

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
 * Authorises the upload of one file by the unit that holds `token`: validates everything, signs
 * a presigned POST for one server-chosen key, and only then writes (the version for the first
 * file of a submission, an upload slot for the next ones, and the upload intent). A refused
 * request changes nothing.
 * @throws the link errors of {@link resolveLink}, or ValidationError with a Vietnamese message.
 */
export async function requestUpload(deps: UploadDeps, token: string, body: unknown): Promise<UploadGrant> {
  const link = await resolveLink(deps, token);
  const { planId, year, unitId } = link.claims;
  const maxBytes = deps.uploadSettings.maxUploadBytes;
  const request = parseUploadRequest(body, {
    taskGroupNumbers: link.plan.taskGroups.map((t) => t.number),
    maxBytes,
  });
  const now = deps.clock.now();
  const notBefore = new Date(now.getTime() - SUBMISSION_OPEN_MS).toISOString();
  // A file added to a submission is not pre-checked with a read: the conditional reservation
  // below refuses exactly what checkCanAdd would, and only then is the version read to say why.

  const uploadId = deps.newUploadId();
  const key = `${unitPrefix(planId, year, unitId)}${uploadId}`;
  // Signing is local computation: done before any write, so a failure leaves nothing behind.
  const presigned = await deps.signer.createUpload({
    key,
    contentType: request.contentType,
    maxBytes,
    metadata: { 'upload-id': uploadId, filename: encodeURIComponent(request.fileName) },
    expiresInSeconds: UPLOAD_EXPIRY_SECONDS,
  });

  const version =
    request.submission === undefined
      ? await startSubmission(deps, { planId, year, unitId }, link.claims.linkVersion, request, now)
      : await addToSubmission(deps, { planId, year, unitId }, request.submission, notBefore);

  const intent: UploadIntent = {
    planId,
    year,
    unitId,
    uploadId,
    version,
    key,
    fileName: request.fileName,
    contentType: request.contentType,
    declaredSize: request.size,
    createdAt: now.toISOString(),
    state: 'pending',
  };
  await deps.uploads.putIntent(intent);
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

async function startSubmission(
  deps: UploadDeps,
  unit: { planId: string; year: number; unitId: string },
  linkVersion: number,
  request: UploadRequest,
  now: Date,
): Promise<number> {
  const { planId, year, unitId } = unit;
  // The counter moves only while the link is current: a link revoked since resolveLink is refused.
  const number = await deps.uploads.allocateVersion(planId, year, unitId, linkVersion);
  if (number === undefined) throw new RevokedLinkError();
  const submission: SubmissionVersion = {
    planId,
    year,
    unitId,
    version: number,
    createdAt: now.toISOString(),
    expectedFiles: request.fileCount ?? 1,
    notes: request.notes ?? {},
    files: {},
    rejected: {},
    submittedAt: null,
    onTime: null,
  };
  if (!(await deps.uploads.createVersion(submission, 1))) {
    throw new Error(`Version ${number} of ${planId}/${year}/${unitId} already exists`);
  }
  return number;
}

async function addToSubmission(
  deps: UploadDeps,
  unit: { planId: string; year: number; unitId: string },
  number: number,
  notBefore: string,
): Promise<number> {
  const { planId, year, unitId } = unit;
  if (await deps.uploads.reserveUpload(planId, year, unitId, number, notBefore)) return number;
  // Another request took the last slot (or the hour ran out) in between: say which.
  checkCanAdd(await deps.uploads.getVersion(planId, year, unitId, number), number, notBefore);
  throw new ValidationError(
    `Cannot add a file to version ${number}`,
    [],
    `Không thể thêm tệp vào lần nộp số ${number}; hãy bắt đầu lần nộp mới.`,
  );
}

/** Whether one more file may join submission `number`; throws a clear refusal otherwise. */
function checkCanAdd(version: StoredVersion | undefined, number: number, notBefore: string): void {
  if (!version) {
    throw new ValidationError(
      `No version ${number} for this unit`,
      [],
      `Không tìm thấy lần nộp số ${number} của đơn vị; hãy bắt đầu lần nộp mới.`,
    );
  }
  if (version.createdAt < notBefore) {
    throw new ValidationError(
      `Version ${number} is older than an hour`,
      [],
      `Lần nộp số ${number} đã bắt đầu hơn 1 giờ trước nên không nhận thêm tệp; hãy bắt đầu lần nộp mới.`,
    );
  }
  if (version.uploadsIssued >= version.expectedFiles) {
    throw new ValidationError(
      `Version ${number} already has its ${version.expectedFiles} file(s)`,
      [],
      `Lần nộp số ${number} đã đủ ${version.expectedFiles} tệp như đã khai báo (tối đa 10 tệp mỗi lần nộp); hãy bắt đầu lần nộp mới.`,
    );
  }
}
