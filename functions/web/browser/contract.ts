/**
 * The JSON the upload page's script reads: the parts of the server's answers it uses, written
 * here because browser code cannot import the server's modules (their types pull in Node). The
 * server's own types must stay assignable to these; test/unit/web/upload-script.test.ts checks
 * it at type level (`npm run typecheck`), so renaming a field on one side fails the build.
 */

/** A received file in the status JSON (`VersionView['files']`). */
export interface StatusFile {
  fileName: string;
  size: number;
  sha256: string;
  receivedAt: string;
  /** Its digital signature (`FileSignatureView`): "being checked" for a PDF until the check is kept. */
  signature?: { state: string; label: string; reason: string; signedBy: string } | undefined;
  /** Its malware scan (`FileScanView`): "Đang kiểm tra" until cleared. */
  scan?: { state: string; label: string; reason: string } | undefined;
}

/** A refused file in the status JSON (`VersionView['rejected']`). */
export interface StatusRejection {
  fileName: string;
  reason: string;
}

/** One submission version in the status JSON (`VersionView`). */
export interface StatusVersion {
  version: number;
  submittedAt: string | null;
  onTime: boolean | null;
  files: StatusFile[];
  rejected: StatusRejection[];
}

/** `GET /u/{token}/status` (`UnitStatusView`). */
export interface StatusJson {
  status: 'on_time' | 'late' | 'missing';
  submittedAt: string | null;
  /** The version that counts, 0 when none. */
  latestVersion: number;
  versions: StatusVersion[];
}

/** `POST /u/{token}/uploads` answer (`UploadGrant`): where and how to post one file. */
export interface Grant {
  url: string;
  fields: Record<string, string>;
  submission: number;
}

/** `POST /u/{token}/uploads` request body. */
export interface UploadBody {
  fileName: string;
  contentType: string | undefined;
  size: number;
  /** With the first file only: how many files the new submission will have. */
  fileCount?: number;
  /** With the first file only, when any was written: the note per task group number. */
  notes?: Record<string, string>;
  /** With every later file: the version the first answer returned. */
  submission?: number;
  /**
   * With the first file, when the browser can hash: every file of the submission, so that the
   * server recognises the files of the version that counts (409 `ALREADY_RECEIVED`).
   */
  files?: { fileName: string; size: number; sha256: string }[];
}

/** The body of a refused request (functions/public-api.ts: `{ error: { code, message } }`). */
export interface ErrorJson {
  error?: { code?: string; message?: string };
}
