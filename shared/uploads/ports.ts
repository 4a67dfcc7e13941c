import type { SubmissionVersion, UploadIntent } from '#shared/domain/submission.ts';

/** A submission version as stored, with the number of upload slots handed out for it. */
export interface StoredVersion extends SubmissionVersion {
  /** Presigned POSTs handed out for this version so far (≤ expectedFiles). */
  uploadsIssued: number;
}

/** What the unit side of uploads writes and reads in a period's partition. */
export interface UploadStore {
  /**
   * Hands out the next version number of a unit's submissions (atomic counter on the
   * assignment), only while the assignment exists with this link version.
   * @returns the new number, or undefined when the assignment is missing or the link was revoked.
   */
  allocateVersion(
    planId: string,
    year: number,
    unitId: string,
    linkVersion: number,
  ): Promise<number | undefined>;
  /**
   * Creates the version once (conditional put), with `uploadsIssued` slots already taken (the
   * first file's). Returns false when it already exists.
   */
  createVersion(version: SubmissionVersion, uploadsIssued: number): Promise<boolean>;
  getVersion(
    planId: string,
    year: number,
    unitId: string,
    version: number,
  ): Promise<StoredVersion | undefined>;
  /** A unit's versions, oldest first. */
  listVersions(planId: string, year: number, unitId: string): Promise<StoredVersion[]>;
  /**
   * Takes one more upload slot of an existing version, atomically: only while fewer than
   * `expectedFiles` were handed out and the version was created at or after `createdNotBefore`.
   * @returns false when the condition fails (full, too old or missing); nothing is changed then.
   */
  reserveUpload(
    planId: string,
    year: number,
    unitId: string,
    version: number,
    createdNotBefore: string,
  ): Promise<boolean>;
  /** Records an authorised upload (item `UPLOAD#<uploadId>`), once. */
  putIntent(intent: UploadIntent): Promise<void>;
  /** Bumps the assignment's link version (revokes the unit's current link) and returns the new one. */
  bumpLinkVersion(planId: string, year: number, unitId: string): Promise<number>;
}

/** One presigned POST to ask for. */
export interface CreateUploadInput {
  /** The exact object key; the user's file name is never part of it. */
  key: string;
  /** The exact Content-Type the form must carry. */
  contentType: string;
  /** Largest object accepted, in bytes (smallest is 1). */
  maxBytes: number;
  /** Object metadata by short name (`upload-id` → `x-amz-meta-upload-id`); ASCII values only. */
  metadata: Record<string, string>;
  /** How long the POST may be used; at most 900 (15 minutes). */
  expiresInSeconds: number;
}

/** A presigned POST: the browser posts `fields` and then the file (last) to `url`. */
export interface PresignedUpload {
  url: string;
  fields: Record<string, string>;
  /** When the policy expires (from the signed policy itself). */
  expiresAt: Date;
}

/** Signs uploads straight from the browser to the reports bucket. */
export interface UploadSigner {
  createUpload(input: CreateUploadInput): Promise<PresignedUpload>;
  /** The origin browsers POST to (for the page's CSP `connect-src`). */
  uploadOrigin(): string;
}
