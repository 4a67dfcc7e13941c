import type { AuditStore } from './ports.ts';
import { type AuditRecord, type IpKey, openIp, type StoredIp } from './record.ts';

/**
 * The client IPs of `records` still kept at `nowEpoch`, by position: opened with their keys
 * (records since 2026-12-07: `ipSealed` under `ipKey`), or read from the items stored apart
 * (older records). `null` for a record whose key is kept but does not open it (altered).
 * `keys` carries the keys read between calls (a verification walks the chain page by page).
 */
export async function keptIps(
  store: Pick<AuditStore, 'ipKeys' | 'ips'>,
  chain: string,
  records: readonly AuditRecord[],
  nowEpoch: number,
  keys: Map<string, IpKey | undefined> = new Map(),
): Promise<Map<number, StoredIp | null>> {
  const found = new Map<number, StoredIp | null>();
  const wanted = new Set<string>();
  let legacyFrom = Number.POSITIVE_INFINITY;
  let legacyTo = 0;
  for (const record of records) {
    if (record.ipSealed && record.ipKey) {
      if (!keys.has(record.ipKey)) wanted.add(record.ipKey);
    } else if (record.ipHash) {
      legacyFrom = Math.min(legacyFrom, record.seq);
      legacyTo = Math.max(legacyTo, record.seq);
    }
  }
  const [read, legacy] = await Promise.all([
    wanted.size > 0 ? store.ipKeys(chain, [...wanted], nowEpoch) : new Map<string, IpKey>(),
    legacyTo > 0 ? store.ips(chain, legacyFrom, legacyTo, nowEpoch) : new Map<number, StoredIp>(),
  ]);
  for (const id of wanted) keys.set(id, read.get(id));
  for (const [seq, ip] of legacy) found.set(seq, ip);
  for (const record of records) {
    if (!record.ipSealed || !record.ipKey) continue;
    const key = keys.get(record.ipKey);
    // Expired (or dropped by TTL): the sealed text names no one any more.
    if (!key || !(key.expiresAtEpoch > nowEpoch)) continue;
    found.set(record.seq, openIp(record, key) ?? null);
  }
  return found;
}
