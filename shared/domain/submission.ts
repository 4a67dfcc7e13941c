/**
 * Uploads and submission versions. A submission version is what a unit hands in at one go:
 * one to ten files plus optional notes per task group. Re-uploading creates a new version;
 * the latest version counts, every version is kept.
 */

/** The file types a unit may upload, by extension, with the MIME type the browser must declare. */
export const ALLOWED_FILE_TYPES = {
  pdf: 'application/pdf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  odt: 'application/vnd.oasis.opendocument.text',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
  jpg: 'image/jpeg',
  png: 'image/png',
} as const;

export type AllowedExtension = keyof typeof ALLOWED_FILE_TYPES;

/** Most files in one submission version. */
export const MAX_FILES_PER_SUBMISSION = 10;

/** Default per-file size limit: 25 MiB (configurable with MAX_UPLOAD_BYTES). */
export const DEFAULT_MAX_UPLOAD_BYTES = 25 * 1024 * 1024;

/**
 * An upload the public function has authorised (a presigned POST was handed out). Item
 * `UPLOAD#<uploadId>` in the period partition; the on-upload function finds it from the key.
 */
export interface UploadIntent {
  planId: string;
  year: number;
  unitId: string;
  uploadId: string;
  /** The version this file belongs to. */
  version: number;
  /** `reports/<planId>/<year>/<unitId>/<uploadId>` — chosen by the server, never by the user. */
  key: string;
  /** The user's file name, NFC, kept as data (and as object metadata), never used as a path. */
  fileName: string;
  contentType: string;
  declaredSize: number;
  createdAt: string;
  /** What became of the object: pending until the on-upload function settles it. */
  state: 'pending' | 'recorded' | 'rejected';
  rejectionReason?: string;
}

/** A file accepted into a submission version. */
export interface RecordedFile {
  uploadId: string;
  fileName: string;
  key: string;
  size: number;
  contentType: string;
  sha256: string;
  /** When S3 received the object (the event time), ISO-8601 UTC. */
  receivedAt: string;
}

/** A file refused after upload, kept under `quarantine/` with the reason. */
export interface RejectedFile {
  uploadId: string;
  fileName: string;
  reason: string;
  rejectedAt: string;
}

/** Item `VERSION#<unitId>#<000001>` in the period partition. */
export interface SubmissionVersion {
  planId: string;
  year: number;
  unitId: string;
  version: number;
  createdAt: string;
  /** How many files the unit said it would upload in this version (1..10). */
  expectedFiles: number;
  /** Notes per task group number ("1", "2", …), optional. */
  notes: Record<string, string>;
  /** Accepted files by uploadId. */
  files: Record<string, RecordedFile>;
  /** Refused files by uploadId. */
  rejected: Record<string, RejectedFile>;
  /** When the last accepted file arrived; null while none has. */
  submittedAt: string | null;
  /** Decided from submittedAt in the committee's time zone against the unit's deadline. */
  onTime: boolean | null;
}

/** S3 key prefix of a unit's reports in a period. */
export function unitPrefix(planId: string, year: number, unitId: string): string {
  return `reports/${planId}/${year}/${unitId}/`;
}

/** Splits `reports/<planId>/<year>/<unitId>/<uploadId>`; undefined for any other key. */
export function parseReportKey(
  key: string,
): { planId: string; year: number; unitId: string; uploadId: string } | undefined {
  const m = key.match(/^reports\/([a-z0-9-]+)\/(\d{4})\/([A-Za-z0-9_-]+)\/([A-Za-z0-9-]+)$/);
  if (!m) return undefined;
  return { planId: m[1]!, year: Number(m[2]), unitId: m[3]!, uploadId: m[4]! };
}
