/**
 * What malware scanning needs from the outside (docs/malware-scanning.md): a scanner (ClamAV
 * locally; on AWS GuardDuty scans by itself and its verdicts arrive as events), the kept file's
 * bytes, where results are kept (with the submission version, and on the assignment for its
 * latest files), and a queue of files to scan (local mode only).
 */
import type { FileScanResult } from '#shared/domain/scan-result.ts';

/** One kept file to scan or whose scan result arrived. */
export interface ScanRef {
  planId: string;
  year: number;
  unitId: string;
  version: number;
  uploadId: string;
  /** The kept key (`reports/…`) and its S3 version. */
  key: string;
  versionId?: string | undefined;
}

/** One kept file to scan: a message of the local scan queue. */
export interface ScanRequest extends ScanRef {
  size: number;
}

/** Where the recorder puts kept files to scan (local mode; GuardDuty needs no queue). */
export interface ScanQueue {
  enqueue(requests: ScanRequest[]): Promise<void>;
}

/** What a scanner concludes about some bytes. */
export type ScanVerdict =
  | { status: 'clean' }
  | { status: 'infected'; threat: string }
  | { status: 'unsupported'; detail: string }
  | { status: 'failed'; detail: string }
  | { status: 'not-scanned'; detail: string };

/** The port: one scanner. Never throws for a bad file; a broken scanner is a `failed` verdict. */
export interface MalwareScanner {
  /** `guardduty` never scans here (its verdicts arrive as events), `clamav`, or `none`. */
  readonly engine: FileScanResult['engine'];
  /**
   * Whether this scanner can scan at all (the program is installed and has a signature
   * database); the reason when not. Checked before the file is read.
   */
  available(): Promise<{ ok: true } | { ok: false; detail: string }>;
  /** Scans the bytes (at most the scan bound: the caller refuses larger files first). */
  scan(bytes: Uint8Array): Promise<ScanVerdict>;
}

/** The kept report's bytes. */
export interface ScannedFileSource {
  /** The object's bytes (exactly that version), `too-large` over `maxBytes`, undefined when it is gone. */
  read(
    key: string,
    versionId: string | undefined,
    maxBytes: number,
  ): Promise<Uint8Array | 'too-large' | undefined>;
}

/** How one write of a result went: on the version item, and on the assignment. */
export interface SaveScanOutcome {
  /**
   * - `written`: kept (no result at least as new was there).
   * - `unchanged`: a result at least as new was kept before (a repeated or out-of-order event).
   * - `no-file`: the version has no such file (yet: the recorder keeps the copy before it records it).
   */
  version: 'written' | 'unchanged' | 'no-file';
  /**
   * - `written` / `unchanged`: as above, on the assignment.
   * - `not-latest`: a later version is the unit's latest: nothing to show there.
   * - `not-promoted`: the file is recorded but its version is not on the assignment yet (the
   *   recorder promotes it next): retry, so that the pages show the result.
   */
  assignment: 'written' | 'unchanged' | 'not-latest' | 'not-promoted' | 'skipped';
}

export interface ScanResultStore {
  /**
   * Keeps `result` with the file in its version item (`scans.<uploadId>`) and, when that version
   * is the unit's latest, on the assignment (`scans.<uploadId>`). A result is never replaced by
   * one made earlier or at the same time (by `scannedAt`): repeated events change nothing.
   */
  saveScan(ref: ScanRef, result: FileScanResult): Promise<SaveScanOutcome>;
  /** The file as recorded in its version, with its unit's name and addresses; undefined when not (yet) recorded. */
  findFile(ref: Omit<ScanRef, 'key' | 'versionId'>): Promise<ScannedFile | undefined>;
}

/** What the notices need of a scanned file. */
export interface ScannedFile {
  fileName: string;
  /** The kept key as recorded (a result for another key is another object: ignored). */
  key: string;
  versionId?: string | undefined;
  unitName: string;
  /** The unit's addresses. */
  email: string;
  cc: string[];
}
