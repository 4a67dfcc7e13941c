/**
 * Uploads and submission versions. A submission version is what a unit hands in at one go:
 * one to ten files plus optional notes per task group. Re-uploading creates a new version;
 * the latest version counts, every version is kept.
 */
import type { FileScanResult } from './scan-result.ts';
import type { FileSignatureResult } from './signature-result.ts';

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
 * One presigned POST handed out for a draft: what the unit declared. Kept in its draft on the
 * assignment until the on-upload function settles the object (accepted or refused).
 */
export interface GrantedUpload {
  /** The user's file name, NFC, kept as data (and as object metadata), never used as a path. */
  fileName: string;
  contentType: string;
  declaredSize: number;
  createdAt: string;
}

/**
 * A submission being uploaded: what the unit declared with its first file (how many files, its
 * notes) and the grants handed out so far. It lives in the assignment item (map `drafts`, by
 * version number) so that a grant is one conditional write on one item; the on-upload function
 * copies it into the version item when the first object arrives and drops it once the version is
 * settled. See docs/recording.md.
 */
export interface SubmissionDraft {
  version: number;
  createdAt: string;
  /** How many files the unit said it would upload (1..10). */
  expectedFiles: number;
  /** Grants handed out so far (≤ expectedFiles). */
  issued: number;
  notes: Record<string, string>;
  /** The link version the draft was started with: objects of an older link are refused on arrival. */
  linkVersion: number;
  /** By upload id. */
  grants: Record<string, GrantedUpload>;
}

/** Identifies one uploaded object: its period, unit, version and upload id. */
export interface UploadRef {
  planId: string;
  year: number;
  unitId: string;
  version: number;
  /** `<version>-<nonce>`: the nonce makes every grant's key new. */
  uploadId: string;
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
  /**
   * The S3 version of the kept copy at `key` (absent where the store has no versioning, as the
   * local emulator): downloads, exports and re-checks read exactly this version.
   */
  versionId?: string | undefined;
  /** The landing object that was hashed: a later object at the same landing key is a replay. */
  source?: ObjectIdentity | undefined;
}

/** What tells one stored object from another at the same key. */
export interface ObjectIdentity {
  versionId?: string | undefined;
  eTag?: string | undefined;
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
  /** The link version the version was started with (absent on versions recorded before it was kept). */
  linkVersion?: number | undefined;
  /** The grants of its files, copied from the draft (so late events find them). */
  grants?: Record<string, GrantedUpload> | undefined;
  /** Signature results of its PDFs by upload id, written by the verifier (docs/signatures.md). */
  signatures?: Record<string, FileSignatureResult> | undefined;
  /** Malware scan results of its files by upload id (docs/malware-scanning.md); absent: being checked. */
  scans?: Record<string, FileScanResult> | undefined;
}

/**
 * Where browsers upload (presigned POSTs): `uploads/<planId>/<year>/<unitId>/`. Objects here are
 * only candidates: the on-upload function checks each one and copies it to its kept key.
 */
export const LANDING_PREFIX = 'uploads/';
/** Where receipted reports are kept (written only by the on-upload function): `reports/…`. */
export const KEPT_PREFIX = 'reports/';

/** S3 key prefix of a unit's uploads (landing) in a period. */
export function landingPrefix(planId: string, year: number, unitId: string): string {
  return `${LANDING_PREFIX}${planId}/${year}/${unitId}/`;
}

/** The landing key of one upload: `uploads/<planId>/<year>/<unitId>/<version>-<nonce>`. */
export function landingKey(ref: UploadRef): string {
  return `${landingPrefix(ref.planId, ref.year, ref.unitId)}${ref.uploadId}`;
}

/** The kept key of one upload: `reports/<planId>/<year>/<unitId>/<version>-<nonce>`. */
export function keptKey(ref: UploadRef): string {
  return `${KEPT_PREFIX}${ref.planId}/${ref.year}/${ref.unitId}/${ref.uploadId}`;
}

/** A new upload id of version `version`: `<version>-<nonce>`. */
export function newUploadRefId(version: number, nonce: string): string {
  return `${version}-${nonce}`;
}

/** Splits a landing key; undefined for any other key. */
export function parseLandingKey(key: string): UploadRef | undefined {
  const m = key.match(
    /^uploads\/([a-z0-9-]+)\/(\d{4})\/([A-Za-z0-9_-]+)\/(([1-9]\d{0,8})-[A-Za-z0-9]{16,64})$/,
  );
  if (!m) return undefined;
  return { planId: m[1]!, year: Number(m[2]), unitId: m[3]!, uploadId: m[4]!, version: Number(m[5]) };
}
