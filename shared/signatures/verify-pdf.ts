/**
 * The whole check of one file: find its signature fields, check each one's CMS, decide what the
 * bytes after each signed range mean, and conclude one result for the file (its worst signature).
 */
import type * as pkijs from 'pkijs';
import {
  conclusion,
  type FileSignatureResult,
  fileResult,
  REASON_INDICATION,
  REASONS,
  type SignatureCheck,
} from '#shared/domain/signature-result.ts';
import { findSignatures } from './pdf-signatures.ts';
import { verifyCms } from './verify-cms.ts';

/** What the verifier checks a file against. */
export interface VerifyOptions {
  anchors: readonly pkijs.Certificate[];
  trustStoreVersion: string;
  now: Date;
}

/** Checks the signatures of `bytes` (a PDF, or anything: other bytes are "Không ký số"). */
export async function verifyPdf(bytes: Uint8Array, options: VerifyOptions): Promise<FileSignatureResult> {
  const meta = { checkedAt: options.now.toISOString(), trustStoreVersion: options.trustStoreVersion };
  const scan = findSignatures(bytes);
  if (scan.kind === 'not-pdf') return fileResult([], meta);
  if (scan.kind === 'too-many') return fileResult([conclusion('TOO_MANY_SIGNATURES')], meta);
  // Where each well-formed signature's signed bytes end. A signature that does not reach the end
  // of the file is fine when a later well-formed signature reaches further (a second signer signs
  // an incremental update); that signature's own check then decides about the added bytes.
  const ends = scan.signatures.map((s) => ('byteRange' in s ? s.byteRange[2] + s.byteRange[3] : 0));
  const checks: SignatureCheck[] = [];
  for (const [i, found] of scan.signatures.entries()) {
    if ('malformed' in found) {
      checks.push(conclusion(found.malformed));
      continue;
    }
    const check = await verifyCms(found, { pdf: bytes, anchors: options.anchors, now: options.now });
    const coveredLater = ends.some((end, j) => j !== i && end > ends[i]!);
    if (!found.coversWholeFile && !coveredLater && check.indication === 'valid') {
      checks.push({
        ...check,
        code: 'MODIFIED_AFTER_SIGNING',
        indication: REASON_INDICATION.MODIFIED_AFTER_SIGNING,
        reason: REASONS.MODIFIED_AFTER_SIGNING,
      });
    } else checks.push(check);
  }
  return fileResult(checks, meta);
}
