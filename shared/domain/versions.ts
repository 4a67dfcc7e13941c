/** Pure views of a submission version, shared by the recording use case and its store. */
import type { SubmittedFile } from '#shared/domain/period.ts';
import type { RejectedFile, SubmissionVersion } from '#shared/domain/submission.ts';

const byName = (a: { fileName: string; uploadId: string }, b: { fileName: string; uploadId: string }) =>
  a.fileName.localeCompare(b.fileName, 'vi') || a.uploadId.localeCompare(b.uploadId);

/** The accepted files of a version as the assignment shows them: sorted by file name. */
export function submittedFiles(version: SubmissionVersion): SubmittedFile[] {
  return Object.values(version.files ?? {})
    .map((f) => ({
      uploadId: f.uploadId,
      fileName: f.fileName,
      key: f.key,
      size: f.size,
      contentType: f.contentType,
      sha256: f.sha256,
      ...(f.versionId ? { versionId: f.versionId } : {}),
    }))
    .sort(byName);
}

/** The refused files of a version, sorted by file name. */
export function rejectedFiles(version: SubmissionVersion): RejectedFile[] {
  return Object.values(version.rejected ?? {}).sort(byName);
}

/** Files of the version settled so far, accepted or refused. */
export function settledCount(version: SubmissionVersion): number {
  return Object.keys(version.files ?? {}).length + Object.keys(version.rejected ?? {}).length;
}

/**
 * Whether the version has just become settled: every expected file is accepted or refused.
 * Each conditional write adds exactly one file, so exactly one write's result sees the count
 * reach `expectedFiles`: that writer sends the receipt.
 */
export function isJustSettled(version: SubmissionVersion): boolean {
  return settledCount(version) === version.expectedFiles;
}
