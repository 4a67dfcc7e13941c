/**
 * What recording an upload needs from the outside: the period partition of the submissions
 * table (intents, versions, assignments) and the reports bucket. Every state change is a
 * single-item conditional write, so each S3 event, however often it is delivered, changes
 * the data once.
 */
import type { Assignment } from '#shared/domain/period.ts';
import type {
  RecordedFile,
  RejectedFile,
  SubmissionVersion,
  UploadIntent,
} from '#shared/domain/submission.ts';

/** The outcome of a conditional write of one file into its version. */
export interface FileWrite {
  /** true when this call added the file; false when the upload was already settled in the version. */
  recorded: boolean;
  /** The version after this call's write (ALL_NEW), or as it stands when the write was refused. */
  version: SubmissionVersion;
}

export interface RecordingStore {
  /** Item `UPLOAD#<uploadId>`, read consistently. */
  getIntent(planId: string, year: number, uploadId: string): Promise<UploadIntent | undefined>;
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
   * Adds `file` to `files` of the intent's version, once per upload id (neither accepted nor
   * refused before). `submittedAt` and `onTime` move with it only when `file.receivedAt` is not
   * earlier than the version's current `submittedAt` (events may come out of order), so they
   * always describe the last file to arrive.
   * @throws when the version does not exist (the request side writes it before any upload).
   */
  recordFile(intent: UploadIntent, file: RecordedFile, onTime: boolean): Promise<FileWrite>;
  /** Adds `rejection` to `rejected` of the intent's version, once per upload id (as recordFile). */
  rejectFile(intent: UploadIntent, rejection: RejectedFile): Promise<FileWrite>;
  /**
   * Settles the intent (`pending` → `recorded` | `rejected`, with the reason). Repeating the
   * same settlement is a no-op; returns false when the intent was settled the other way.
   */
  setIntentState(
    intent: UploadIntent,
    state: 'recorded' | 'rejected',
    at: string,
    reason?: string,
  ): Promise<boolean>;
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
export interface StoredObject {
  /** Content length in bytes, as S3 reports it. */
  size: number;
  /** User metadata (`x-amz-meta-*`), as stored. */
  metadata: Record<string, string>;
  /** The content, chunk by chunk; read it once. */
  body: AsyncIterable<Uint8Array>;
  /** Releases the connection when the body is not read to the end. */
  discard(): void;
}

export interface ReportObjects {
  /** Opens an object of the reports bucket; undefined when there is no such key. */
  open(key: string): Promise<StoredObject | undefined>;
  /**
   * Moves an object to `quarantine/<key>` (metadata kept, the reason added), then deletes the
   * original. Returns false when the object is already gone (nothing to move).
   */
  quarantine(key: string, reason: string): Promise<boolean>;
  /** The reason stored with `quarantine/<key>`, or undefined when nothing is quarantined there. */
  quarantineReason(key: string): Promise<string | undefined>;
}

/** Where warnings go: never file names, e-mail addresses or content, only ids and keys. */
export interface RecordingLog {
  info(message: string, attributes: Record<string, string | number | boolean | undefined>): void;
  warn(message: string, attributes: Record<string, string | number | boolean | undefined>): void;
}
