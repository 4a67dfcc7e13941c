import { KEPT_PREFIX } from '#shared/domain/submission.ts';
import type { ScanRef } from './ports.ts';

/**
 * Splits a kept key, `reports/<planId>/<year>/<unitId>/<version>-<nonce>/<sha256>` (the
 * recorder's copy, named by its content), into the file it is; undefined for any other key.
 */
export function parseKeptKey(key: string, versionId?: string): ScanRef | undefined {
  if (!key.startsWith(KEPT_PREFIX) || key.length > 1024) return undefined;
  const m = key.match(
    /^reports\/([a-z0-9-]{1,100})\/(\d{4})\/([A-Za-z0-9_-]{1,64})\/(([1-9]\d{0,8})-[A-Za-z0-9]{16,64})\/[0-9a-f]{64}$/,
  );
  if (!m) return undefined;
  return {
    planId: m[1]!,
    year: Number(m[2]),
    unitId: m[3]!,
    uploadId: m[4]!,
    version: Number(m[5]),
    key,
    ...(versionId ? { versionId } : {}),
  };
}
