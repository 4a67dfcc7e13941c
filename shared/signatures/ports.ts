/**
 * What checking signatures needs from the outside: a queue of files to check (SQS on AWS, the
 * in-process queue locally), the kept report's bytes, where results are kept (with the
 * submission version, and on the assignment for its latest files), and the trust store.
 */
import type { FileSignatureResult } from '#shared/domain/signature-result.ts';

/** One kept file to check: a message of the signatures queue. */
export interface SignatureCheckRequest {
  planId: string;
  year: number;
  unitId: string;
  version: number;
  uploadId: string;
  /** The kept key (`reports/…`) and its S3 version. */
  key: string;
  versionId?: string | undefined;
  size: number;
}

/** Where the recorder (and a re-check) puts files to check. */
export interface SignatureQueue {
  enqueue(requests: SignatureCheckRequest[]): Promise<void>;
}

/** The kept report's bytes. */
export interface SignedFileSource {
  /** The object's bytes (exactly that version), or undefined when it is gone; at most `maxBytes` are read. */
  read(
    key: string,
    versionId: string | undefined,
    maxBytes: number,
  ): Promise<Uint8Array | 'too-large' | undefined>;
}

/** A file of a unit's latest submission, as a re-check finds it. */
export interface LatestFile {
  planId: string;
  year: number;
  unitId: string;
  version: number;
  uploadId: string;
  key: string;
  versionId?: string | undefined;
  size: number;
  contentType: string;
  fileName: string;
}

export interface SignatureResultStore {
  /**
   * Keeps `result` with the file in its version item (`signatures.<uploadId>`) and, when that
   * version is the unit's latest, on the assignment (`signatures.<uploadId>`, other files' results
   * of older versions dropped). A later result (by `checkedAt`) is never replaced by an older one.
   * Returns false when the version has no such file (nothing written).
   */
  saveResult(ref: SignatureCheckRequest, result: FileSignatureResult): Promise<boolean>;
  /** The files of every unit's latest submission in a period (paged reads). */
  latestFiles(planId: string, year: number): Promise<LatestFile[]>;
}

/** The trust anchors at one version. */
export interface TrustSnapshot {
  /** Bumped by every add and remove; results record it. */
  version: string;
  anchors: TrustAnchor[];
}

export interface TrustStore {
  snapshot(): Promise<TrustSnapshot>;
  /** Adds anchors not there yet (by id) and bumps the version if any was added; returns those added. */
  add(anchors: TrustAnchor[]): Promise<{ added: TrustAnchor[]; version: string }>;
  /** Removes one anchor; false when there is none with that id. Bumps the version when removed. */
  remove(id: string): Promise<boolean>;
}

/** One stored trust anchor (a CA certificate). */
export interface TrustAnchor {
  /** SHA-256 fingerprint of the DER, lower-case hex: the anchor's id. */
  id: string;
  /** The certificate, DER, base64. */
  der: string;
  /** CN and O of the certificate's subject. */
  subject: string;
  /** ISO-8601. */
  notBefore: string;
  notAfter: string;
  addedAt: string;
}
