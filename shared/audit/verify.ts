import { verify as verifySignature } from 'node:crypto';
import { addDays, formatDateVi } from '#shared/domain/calendar.ts';
import { COMMITTEE_CHAIN } from './append.ts';
import { keptIps } from './client-ips.ts';
import { digestDateOf, parseDigest, signedPartOf } from './digest.ts';
import type { AuditDigest, AuditStore, DigestSigner, DigestStore } from './ports.ts';
import { type AuditRecord, GENESIS_HASH, hashOf, type IpKey, ipHashOf, sha256Hex } from './record.ts';

/** Why a position of the chain does not verify. */
export type ChainProblemReason =
  /** The record's content does not hash to its `hash` (edited). */
  | 'altered'
  /** The record's `prev` is not the previous record's hash (replaced, or re-hashed after an edit). */
  | 'broken-link'
  /** The position holds a record of another position (records swapped or moved). */
  | 'out-of-order'
  /** A position is empty (a record deleted). */
  | 'missing'
  /** The stored IP does not match the record's `ipHash` (or its kept key does not open it). */
  | 'ip-mismatch';

export interface ChainProblem {
  /** The first position that fails. */
  seq: number;
  reason: ChainProblemReason;
  /** Vietnamese, for the CLI and the page. */
  message: string;
}

export type DigestProblemReason =
  | 'missing'
  | 'bad-signature'
  | 'head-mismatch'
  | 'broken-link'
  | 'unreadable';

export interface DigestProblem {
  date: string;
  reason: DigestProblemReason;
  message: string;
}

export interface VerifyReport {
  ok: boolean;
  chain: string;
  /** Records read. */
  records: number;
  head: { seq: number; hash: string } | undefined;
  /** The first broken position (nothing after it can be trusted), or undefined. */
  chainProblem: ChainProblem | undefined;
  /** Digests checked (present and read). */
  digests: number;
  digestProblems: DigestProblem[];
  /** Days since the newest digest that have none yet (the planner writes them at its next run). */
  pendingDigestDays: string[];
}

export interface VerifyDeps {
  store: AuditStore;
  digests: DigestStore;
  signer: Pick<DigestSigner, 'publicKey'>;
  clock: { now(): Date };
  timeZone: string;
}

/** Days after the last one due that may lack a digest before it counts as missing (the planner runs at 08:00). */
const DIGEST_GRACE_DAYS = 2;

/**
 * Proves a chain end to end: every record hashes to its `hash`, links to the one before, sits at
 * its own position with none missing, and its stored IP (while kept) matches its `ipHash`; every
 * day from the chain's first to the newest digest has a digest, each signed by the key it names,
 * linked to the day before, and naming a head the chain holds. A record deleted from the end is
 * caught by the digest that named it.
 */
export async function verifyAuditChain(
  deps: VerifyDeps,
  options: { chain?: string } = {},
): Promise<VerifyReport> {
  const chain = options.chain ?? COMMITTEE_CHAIN;
  const nowEpoch = Math.floor(deps.clock.now().getTime() / 1000);
  const hashes = new Map<number, string>();
  const dayHeads = new Map<string, { seq: number; hash: string }>();
  let previous: AuditRecord | undefined;
  let records = 0;
  let chainProblem: ChainProblem | undefined;
  let firstDay: string | undefined;
  const ipKeys = new Map<string, IpKey | undefined>();
  outer: for await (const page of deps.store.pages(chain)) {
    const ips = await keptIps(
      deps.store,
      chain,
      page.map((stored) => stored.record),
      nowEpoch,
      ipKeys,
    );
    for (const { position, record } of page) {
      records++;
      const expectedSeq = (previous?.seq ?? 0) + 1;
      chainProblem = checkRecord(position, record, expectedSeq, previous, ips.get(position));
      if (chainProblem) break outer;
      hashes.set(record.seq, record.hash);
      const day = digestDateOf(record.at, deps.timeZone);
      firstDay ??= day;
      dayHeads.set(day, { seq: record.seq, hash: record.hash });
      previous = record;
      void position;
    }
  }
  const head = previous ? { seq: previous.seq, hash: previous.hash } : undefined;
  const digestCheck = await checkDigests(deps, chain, firstDay, hashes, chainProblem !== undefined);
  return {
    ok: !chainProblem && digestCheck.problems.length === 0,
    chain,
    records,
    head,
    chainProblem,
    digests: digestCheck.checked,
    digestProblems: digestCheck.problems,
    pendingDigestDays: digestCheck.pending,
  };
}

function checkRecord(
  position: number,
  record: AuditRecord,
  expectedSeq: number,
  previous: AuditRecord | undefined,
  ip: { ip: string; salt: string } | null | undefined,
): ChainProblem | undefined {
  if (position !== expectedSeq) {
    return {
      seq: expectedSeq,
      reason: 'missing',
      message: `Bản ghi số ${expectedSeq} đã bị xóa (sau số ${expectedSeq - 1} là số ${position}).`,
    };
  }
  if (record.seq !== position) {
    return {
      seq: expectedSeq,
      reason: 'out-of-order',
      message: `Vị trí ${expectedSeq} chứa bản ghi số ${record.seq}: thứ tự bản ghi đã bị thay đổi.`,
    };
  }
  if (hashOf(record) !== record.hash) {
    return {
      seq: record.seq,
      reason: 'altered',
      message: `Bản ghi số ${record.seq} đã bị sửa: nội dung không khớp mã băm của nó.`,
    };
  }
  if (record.prev !== (previous?.hash ?? GENESIS_HASH)) {
    return {
      seq: record.seq,
      reason: 'broken-link',
      message: `Bản ghi số ${record.seq} không nối với bản ghi trước nó: chuỗi bị cắt hoặc bị thay.`,
    };
  }
  if (ip === null || (ip && record.ipHash !== ipHashOf(ip.ip, ip.salt))) {
    return {
      seq: record.seq,
      reason: 'ip-mismatch',
      message: `Địa chỉ IP lưu kèm bản ghi số ${record.seq} đã bị sửa.`,
    };
  }
  return undefined;
}

async function checkDigests(
  deps: VerifyDeps,
  chain: string,
  firstDay: string | undefined,
  hashes: Map<number, string>,
  chainBroken: boolean,
): Promise<{ checked: number; problems: DigestProblem[]; pending: string[] }> {
  const problems: DigestProblem[] = [];
  const pending: string[] = [];
  if (!firstDay) return { checked: 0, problems, pending };
  const today = digestDateOf(deps.clock.now().toISOString(), deps.timeZone);
  const keys = new Map<string, Uint8Array>();
  let checked = 0;
  let previousFile: Uint8Array | undefined;
  const missing: string[] = [];
  let lastPresent: string | undefined;
  for (let day = firstDay; day < today; day = addDays(day, 1)) {
    const file = await deps.digests.get(chain, day);
    if (!file) {
      missing.push(day);
      previousFile = undefined;
      continue;
    }
    // Every day missing before one present was removed (or never written).
    for (const gone of missing.splice(0)) problems.push(missingDigest(gone));
    lastPresent = day;
    checked++;
    const problem = await checkDigest(deps, chain, day, file, previousFile, hashes, keys, chainBroken);
    if (problem) problems.push(problem);
    previousFile = file;
  }
  // Days after the newest digest: due once the grace has passed.
  const dueBefore = addDays(today, -DIGEST_GRACE_DAYS);
  for (const day of missing) {
    if (day < dueBefore) problems.push(missingDigest(day));
    else pending.push(day);
  }
  void lastPresent;
  return { checked, problems, pending };
}

function missingDigest(day: string): DigestProblem {
  return {
    date: day,
    reason: 'missing',
    message: `Thiếu bản tóm tắt đã ký của ngày ${formatDateVi(day)}.`,
  };
}

async function checkDigest(
  deps: VerifyDeps,
  chain: string,
  day: string,
  file: Uint8Array,
  previousFile: Uint8Array | undefined,
  hashes: Map<number, string>,
  keys: Map<string, Uint8Array>,
  chainBroken: boolean,
): Promise<DigestProblem | undefined> {
  const at = formatDateVi(day);
  let digest: AuditDigest;
  try {
    digest = parseDigest(file);
  } catch {
    return { date: day, reason: 'unreadable', message: `Bản tóm tắt ngày ${at} không đọc được.` };
  }
  if (digest.chain !== chain || digest.date !== day) {
    return {
      date: day,
      reason: 'unreadable',
      message: `Bản tóm tắt ngày ${at} là của ngày hoặc chuỗi khác.`,
    };
  }
  let key = keys.get(digest.keyId);
  if (!key) {
    try {
      key = await deps.signer.publicKey(digest.keyId);
    } catch {
      return {
        date: day,
        reason: 'bad-signature',
        message: `Không lấy được khóa công khai ${digest.keyId} để kiểm tra bản tóm tắt ngày ${at}.`,
      };
    }
    keys.set(digest.keyId, key);
  }
  const valid = verifySignature(
    'sha256',
    signedPartOf(digest),
    { key: Buffer.from(key), format: 'der', type: 'spki' },
    Buffer.from(digest.signature, 'base64'),
  );
  if (!valid) {
    return { date: day, reason: 'bad-signature', message: `Chữ ký của bản tóm tắt ngày ${at} không hợp lệ.` };
  }
  if (previousFile && digest.previousDigest !== sha256Hex(previousFile)) {
    return {
      date: day,
      reason: 'broken-link',
      message: `Bản tóm tắt ngày ${at} không nối với bản tóm tắt ngày trước nó.`,
    };
  }
  if (digest.seq === 0 ? digest.hash !== GENESIS_HASH : hashes.get(digest.seq) !== digest.hash) {
    if (chainBroken && !hashes.has(digest.seq)) return undefined; // reported as the chain's problem
    return {
      date: day,
      reason: 'head-mismatch',
      message: hashes.has(digest.seq)
        ? `Bản ghi số ${digest.seq} khác với bản đã ký trong bản tóm tắt ngày ${at}.`
        : `Bản tóm tắt ngày ${at} ký bản ghi số ${digest.seq}, nhưng bản ghi đó không còn trong nhật ký (đã bị xóa).`,
    };
  }
  return undefined;
}
