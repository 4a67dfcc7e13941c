/**
 * The verifier function's use case: check the signatures of one kept file and keep the result
 * with its submission version. Never blocks anything: the file was receipted before this runs.
 */
import type { AuditEvent, AuditLog } from '#shared/audit/ports.ts';
import { conclusion, type FileSignatureResult, fileResult } from '#shared/domain/signature-result.ts';
import type { Clock } from '#shared/ports.ts';
import type {
  SignatureCheckRequest,
  SignatureResultStore,
  SignedFileSource,
  TrustSnapshot,
  TrustStore,
} from './ports.ts';
import { anchorCertificates } from './trust-anchors.ts';
import { verifyPdf } from './verify-pdf.ts';

export interface CheckSignaturesDeps {
  files: SignedFileSource;
  results: SignatureResultStore;
  trust: Pick<TrustStore, 'snapshot'>;
  clock: Clock;
  /** Largest file read (MAX_UPLOAD_BYTES: a kept file is never larger). */
  maxFileBytes: number;
  log: { warn(message: string, attributes: Record<string, string | number | boolean | undefined>): void };
  /** Where each check is recorded (`signature.checked`); absent: not recorded (unit tests). */
  audit?: AuditLog | undefined;
}

/** The outcome of one request: the result kept, or why nothing was. */
export type CheckOutcome =
  | { status: 'checked'; result: FileSignatureResult; saved: boolean }
  | { status: 'gone' };

/**
 * Checks one file and keeps the result. Throws only on transient failures (the queue retries).
 * A file that is gone (never expected: kept copies are locked) is logged and dropped.
 */
export async function checkSignatures(
  deps: CheckSignaturesDeps,
  request: SignatureCheckRequest,
): Promise<CheckOutcome> {
  const trust = await deps.trust.snapshot();
  const result = await checkFile(deps, request, trust);
  if (!result) {
    deps.log.warn('Kept file to check is gone', { key: request.key, uploadId: request.uploadId });
    return { status: 'gone' };
  }
  const saved = await deps.results.saveResult(request, result);
  await deps.audit?.record(signatureEvent('verifier', request, result, saved));
  return { status: 'checked', result, saved };
}

/** The audit record of one file's check: its file and what the check concluded (no content). */
export function signatureEvent(
  actor: string,
  file: Pick<SignatureCheckRequest, 'planId' | 'year' | 'unitId' | 'version' | 'uploadId'>,
  result: FileSignatureResult,
  saved: boolean,
): AuditEvent {
  return {
    kind: 'signature.checked',
    actor: { type: 'system', id: actor },
    target: { planId: file.planId, year: file.year, unitId: file.unitId, ref: file.uploadId },
    details: {
      version: file.version,
      indication: result.indication,
      code: result.code,
      trustStoreVersion: result.trustStoreVersion,
      saved,
    },
  };
}

/** The result for one file against one trust snapshot (undefined when the file is gone). */
export async function checkFile(
  deps: Pick<CheckSignaturesDeps, 'files' | 'clock' | 'maxFileBytes'>,
  request: Pick<SignatureCheckRequest, 'key' | 'versionId'>,
  trust: TrustSnapshot,
): Promise<FileSignatureResult | undefined> {
  const bytes = await deps.files.read(request.key, request.versionId, deps.maxFileBytes);
  if (bytes === undefined) return undefined;
  const now = deps.clock.now();
  if (bytes === 'too-large') {
    return fileResult([conclusion('FILE_TOO_LARGE')], {
      checkedAt: now.toISOString(),
      trustStoreVersion: trust.version,
    });
  }
  return verifyPdf(bytes, {
    anchors: anchorCertificates(trust.anchors),
    trustStoreVersion: trust.version,
    now,
  });
}
