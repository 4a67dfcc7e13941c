/**
 * What recording an upload needs from the outside: the period partition of the submissions
 * table (intents, versions, assignments) and the reports bucket. Every state change is a
 * single-item conditional write, so each S3 event, however often it is delivered, changes
 * the data once.
 */
import type { Assignment } from '#shared/domain/period.ts';
import type {
  ObjectIdentity,
  RecordedFile,
  RejectedFile,
  SubmissionVersion,
  UploadRef,
} from '#shared/domain/submission.ts';

/** The outcome of a conditional write of one file into its version. */
export interface FileWrite {
  /** true when this call added the file; false when the upload was already settled in the version. */
  recorded: boolean;
  /** The version after this call's write (ALL_NEW), or as it stands when the write was refused. */
  version: SubmissionVersion;
}

export interface RecordingStore {
  /** Item `VERSION#<unitId>#<000001>`, read consistently. */
  getVersion(
    planId: string,
    year: number,
    unitId: string,
    version: number,
  ): Promise<SubmissionVersion | undefined>;
  /** Item `UNIT#<unitId>`, read consistently. */
  getAssignment(planId: string, year: number, unitId: string): Promise<Assignment | undefined>;
  /**
   * Creates the version item from its draft once (conditional put); a no-op when it exists.
   * Returns the version as stored.
   */
  ensureVersion(version: SubmissionVersion): Promise<SubmissionVersion>;
  /**
   * Adds `file` to `files` of its version, once per upload id (neither accepted nor refused
   * before). `submittedAt` and `onTime` move with it only when `file.receivedAt` is not earlier
   * than the version's current `submittedAt` (events may come out of order), so they always
   * describe the last file to arrive.
   * @throws when the version does not exist ({@link ensureVersion} comes first).
   */
  recordFile(ref: UploadRef, file: RecordedFile, onTime: boolean): Promise<FileWrite>;
  /** Adds `rejection` to `rejected` of its version, once per upload id (as recordFile). */
  rejectFile(ref: UploadRef, rejection: RejectedFile): Promise<FileWrite>;
  /** Drops a settled version's draft from the assignment (a no-op when it is gone). */
  dropDraft(planId: string, year: number, unitId: string, version: number): Promise<void>;
  /**
   * Makes `version` the unit's latest submission on its assignment (latestVersion, files sorted
   * by name, fileCount, status, submittedAt) unless the assignment already shows a later version,
   * or this version with at least as many files. Returns whether it was applied.
   */
  promoteLatest(
    planId: string,
    year: number,
    unitId: string,
    version: SubmissionVersion,
    status: 'on_time' | 'late',
    submittedAt: string,
  ): Promise<boolean>;
}

/** An object of the reports bucket, opened for one streaming read. */
export interface StoredObject extends ObjectIdentity {
  /** Content length in bytes, as S3 reports it. */
  size: number;
  /** User metadata (`x-amz-meta-*`), as stored. */
  metadata: Record<string, string>;
  /** The content, chunk by chunk; read it once. */
  body: AsyncIterable<Uint8Array>;
  /** Releases the connection when the body is not read to the end. */
  discard(): void;
}

/** How long and how a kept report is locked (S3 Object Lock retention of its copy). */
export interface Retention {
  mode: 'GOVERNANCE' | 'COMPLIANCE';
  /** The copy cannot be deleted or overwritten before this instant. */
  until: Date;
}

export interface ReportObjects {
  /**
   * Opens an object of the reports bucket (its version `versionId` when given); undefined when
   * there is no such key or version.
   */
  open(key: string, versionId?: string): Promise<StoredObject | undefined>;
  /**
   * Copies the landing object `from` — exactly the object identified by `source` (its version,
   * else its ETag as a copy precondition) — to `to`, locked under `retention`.
   * @returns the kept copy's version id (absent where the store has no versioning), or
   *   undefined when the source is gone (another delivery of the event finished first).
   * @throws when the source changed (the caller retries the event).
   */
  keep(
    from: string,
    source: ObjectIdentity,
    to: string,
    retention: Retention,
  ): Promise<{ versionId?: string | undefined } | undefined>;
  /**
   * Moves an object (its version `versionId` when given) to `quarantine/<key>` (metadata kept,
   * the reason added), then deletes it. Returns false when the object is already gone.
   */
  quarantine(key: string, reason: string, versionId?: string): Promise<boolean>;
  /** The reason stored with `quarantine/<key>`, or undefined when nothing is quarantined there. */
  quarantineReason(key: string): Promise<string | undefined>;
  /** Deletes a landing object (its version `versionId` when given); a no-op when it is gone. */
  remove(key: string, versionId?: string): Promise<void>;
}

/** Where warnings go: never file names, e-mail addresses or content, only ids and keys. */
export interface RecordingLog {
  info(message: string, attributes: Record<string, string | number | boolean | undefined>): void;
  warn(message: string, attributes: Record<string, string | number | boolean | undefined>): void;
}
