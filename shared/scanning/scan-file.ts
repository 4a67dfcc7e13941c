/**
 * The local scan of one kept file (local mode: the recorder queues it after the receipt; on AWS
 * GuardDuty scans by itself and {@link recordScanResult} takes its events). The file's bytes are
 * read with a bound and handed to the scanner; whatever goes wrong — no scanner, a file over the
 * bound, a timeout, a crash — ends as a result that is not "clean".
 */
import type { Clock } from '#shared/ports.ts';
import type { MalwareScanner, ScannedFileSource, ScanRequest, ScanVerdict } from './ports.ts';
import { type RecordScanDeps, type RecordScanOutcome, recordScanResult, scanResult } from './record-scan.ts';

export interface ScanFileDeps extends RecordScanDeps {
  scanner: MalwareScanner;
  files: ScannedFileSource;
  clock: Clock;
  /** Largest file scanned (MAX_UPLOAD_BYTES: a kept file is never larger); larger ones are `unsupported`. */
  maxScanBytes: number;
}

export type ScanFileOutcome = RecordScanOutcome | { status: 'gone' };

/** Scans one kept file and keeps the result. Throws only when the result could not be kept (retry). */
export async function scanKeptFile(deps: ScanFileDeps, request: ScanRequest): Promise<ScanFileOutcome> {
  const verdict = await verdictFor(deps, request);
  if (verdict === 'gone') {
    deps.log.warn('Kept file to scan is gone', { key: request.key, uploadId: request.uploadId });
    return { status: 'gone' };
  }
  return recordScanResult(deps, request, scanResult(verdict, deps.scanner.engine, deps.clock.now()));
}

async function verdictFor(deps: ScanFileDeps, request: ScanRequest): Promise<ScanVerdict | 'gone'> {
  const available = await deps.scanner.available();
  if (!available.ok) return { status: 'not-scanned', detail: available.detail };
  const tooLarge: ScanVerdict = {
    status: 'unsupported',
    detail: `file larger than the scan bound of ${deps.maxScanBytes} bytes`,
  };
  if (request.size > deps.maxScanBytes) return tooLarge;
  const bytes = await deps.files.read(request.key, request.versionId, deps.maxScanBytes);
  if (bytes === undefined) return 'gone';
  if (bytes === 'too-large') return tooLarge;
  try {
    return await deps.scanner.scan(bytes);
  } catch (error) {
    // The port promises a verdict; should an adapter throw anyway, the file is not cleared.
    return { status: 'failed', detail: `scanner threw: ${(error as Error).message ?? String(error)}` };
  }
}
