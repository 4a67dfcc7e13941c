import { addDays, localDate, startOfLocalDay } from '#shared/domain/calendar.ts';
import type { Clock } from '#shared/ports.ts';
import { COMMITTEE_CHAIN } from './append.ts';
import type { AuditDigest, AuditStore, DigestSigner, DigestStore } from './ports.ts';
import { canonicalJson, GENESIS_HASH, sha256Hex } from './record.ts';

/** Format version of a digest. */
export const AUDIT_DIGEST_VERSION = 1;
/** Days a run writes at most (catching up after the planner did not run). */
export const MAX_DIGEST_CATCH_UP_DAYS = 400;

/** The committee-local day of an instant, `YYYY-MM-DD`. */
export function digestDateOf(at: string, timeZone: string): string {
  return localDate(at, timeZone);
}

/** The bytes a digest's signature covers: the canonical JSON of every field but `signature`. */
export function signedPartOf(digest: Omit<AuditDigest, 'signature'> & { signature?: string }): Buffer {
  const { signature: _signature, ...signed } = digest;
  return Buffer.from(canonicalJson(signed), 'utf8');
}

/** A stored digest file as a digest; throws when it is not one. */
export function parseDigest(file: Uint8Array): AuditDigest {
  const parsed = JSON.parse(Buffer.from(file).toString('utf8')) as Partial<AuditDigest>;
  const fields: (keyof AuditDigest)[] = ['chain', 'date', 'hash', 'keyId', 'signature', 'algorithm'];
  for (const field of fields) {
    if (typeof parsed[field] !== 'string') throw new Error(`digest: ${field} is not a string`);
  }
  if (!Number.isSafeInteger(parsed.seq)) throw new Error('digest: seq is not an integer');
  return parsed as AuditDigest;
}

export interface DigestDeps {
  store: AuditStore;
  digests: DigestStore;
  signer: DigestSigner;
  clock: Clock;
  timeZone: string;
}

/**
 * Writes the signed digest of every committee-local day from the newest one written (or the
 * chain's first day) to yesterday: the head at the day's end, the previous digest's SHA-256, and
 * a signature over both (CloudTrail's digest pattern). Run daily by the planner; a missed run is
 * caught up at the next one. Returns the days written.
 */
export async function writeDailyDigests(
  deps: DigestDeps,
  options: { chain?: string } = {},
): Promise<string[]> {
  const chain = options.chain ?? COMMITTEE_CHAIN;
  const firstDay = await firstDayOf(deps, chain);
  if (!firstDay) return [];
  const yesterday = addDays(localDate(deps.clock.now(), deps.timeZone), -1);
  // Back from yesterday to the newest digest written (or the chain's first day).
  const due: string[] = [];
  let previousFile: Uint8Array | undefined;
  for (
    let day = yesterday;
    day >= firstDay && due.length < MAX_DIGEST_CATCH_UP_DAYS;
    day = addDays(day, -1)
  ) {
    previousFile = await deps.digests.get(chain, day);
    if (previousFile) break;
    due.unshift(day);
  }
  if (due.length === 0) return [];
  const keyId = await deps.signer.keyId();
  for (const day of due) {
    const head = await headAtEndOf(deps, chain, day);
    const unsigned: Omit<AuditDigest, 'signature'> = {
      v: AUDIT_DIGEST_VERSION,
      chain,
      date: day,
      timeZone: deps.timeZone,
      seq: head?.seq ?? 0,
      hash: head?.hash ?? GENESIS_HASH,
      previousDigest: previousFile ? sha256Hex(previousFile) : null,
      keyId,
      algorithm: deps.signer.algorithm,
      signedAt: deps.clock.now().toISOString(),
    };
    const signature = await deps.signer.sign(signedPartOf(unsigned));
    const file = Buffer.from(
      `${canonicalJson({ ...unsigned, signature: Buffer.from(signature).toString('base64') })}\n`,
      'utf8',
    );
    await deps.digests.put(chain, day, file);
    previousFile = file;
  }
  return due;
}

async function firstDayOf(deps: DigestDeps, chain: string): Promise<string | undefined> {
  for await (const page of deps.store.pages(chain, { pageSize: 1 })) {
    const first = page[0];
    if (first) return digestDateOf(first.record.at, deps.timeZone);
  }
  return undefined;
}

/** The newest record stored before the end of `day` (committee-local). */
async function headAtEndOf(
  deps: DigestDeps,
  chain: string,
  day: string,
): Promise<{ seq: number; hash: string } | undefined> {
  const end = startOfLocalDay(addDays(day, 1), deps.timeZone).toISOString();
  for await (const page of deps.store.pages(chain, { descending: true, pageSize: 100 })) {
    for (const { record } of page) {
      if (record.at < end) return { seq: record.seq, hash: record.hash };
    }
  }
  return undefined;
}
