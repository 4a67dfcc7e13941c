/**
 * Checking a period's PDFs again against today's trust store (a CA added or removed since, a
 * verifier with new rules): `baocao signatures recheck PLAN YEAR` checks them at once and
 * prints the results; the unit page queues its unit's files for the verifier function.
 */
import { type FileSignatureResult, isPdfFile } from '#shared/domain/signature-result.ts';
import { NotFoundError } from '#shared/errors.ts';
import { type CheckSignaturesDeps, checkFile, signatureEvent } from './check-signatures.ts';
import type { LatestFile, SignatureCheckRequest, SignatureQueue } from './ports.ts';

/** The request that checks one kept file. */
export function checkRequest(file: LatestFile): SignatureCheckRequest {
  return {
    planId: file.planId,
    year: file.year,
    unitId: file.unitId,
    version: file.version,
    uploadId: file.uploadId,
    key: file.key,
    ...(file.versionId ? { versionId: file.versionId } : {}),
    size: file.size,
  };
}

/** One file's new result. */
export interface RecheckedFile {
  file: LatestFile;
  /** Undefined when the kept file could not be read. */
  result: FileSignatureResult | undefined;
}

/**
 * Checks every PDF of every unit's latest submission in the period now, one after the other
 * (bounded memory: one file at a time), and keeps each result. Throws NotFoundError when the
 * period has no assignment at all.
 */
export async function recheckPeriod(
  deps: CheckSignaturesDeps,
  planId: string,
  year: number,
  onFile?: (done: RecheckedFile) => void,
): Promise<RecheckedFile[]> {
  const files = await pdfsOfPeriod(deps, planId, year);
  const trust = await deps.trust.snapshot();
  const out: RecheckedFile[] = [];
  for (const file of files) {
    const result = await checkFile(deps, file, trust);
    if (result) {
      const saved = await deps.results.saveResult(checkRequest(file), result);
      // Run by `baocao signatures recheck`: the CLI checked it.
      await deps.audit?.record(signatureEvent('cli', file, result, saved));
    }
    const done = { file, result };
    onFile?.(done);
    out.push(done);
  }
  return out;
}

/** Queues the PDFs of one unit's latest submission for the verifier; returns how many. */
export async function queueUnitRecheck(
  deps: Pick<CheckSignaturesDeps, 'results'> & { queue: SignatureQueue },
  planId: string,
  year: number,
  unitId: string,
): Promise<number> {
  const files = (await deps.results.latestFiles(planId, year)).filter(
    (f) => f.unitId === unitId && isPdfFile(f),
  );
  if (files.length > 0) await deps.queue.enqueue(files.map(checkRequest));
  return files.length;
}

async function pdfsOfPeriod(deps: Pick<CheckSignaturesDeps, 'results'>, planId: string, year: number) {
  const files = await deps.results.latestFiles(planId, year);
  if (files === undefined)
    throw new NotFoundError(
      `No period ${planId}/${year}`,
      `Không có kỳ báo cáo ${year} của kế hoạch ${planId}.`,
    );
  return files.filter(isPdfFile);
}
