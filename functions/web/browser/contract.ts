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
}

/** The body of a refused request (functions/public-api.ts: `{ error: { code, message } }`). */
export interface ErrorJson {
  error?: { message?: string };
}
