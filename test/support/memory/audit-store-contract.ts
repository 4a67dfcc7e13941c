/**
 * The audit log's contract, run against the in-memory fake (test/unit/audit/audit-store-contract.test.ts)
 * and the DynamoDB adapter on dynalite (test/integration/audit-store-contract.test.ts): the store's
 * conditional append and reads, and the chain built on it — it verifies; an edited, deleted or
 * reordered record is reported at its position; concurrent appends never fork it; a removed or
 * altered digest breaks verification. Tampering goes to the table directly (`raw`), as someone
 * with write access to it could. Each test uses its own chain.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditChainPk,
  auditIpKeyPk,
  auditIpKeySk,
  auditIpPk,
  auditRecordSk,
} from '#shared/adapters/dynamodb/audit-store.ts';
import { LocalDigestSigner } from '#shared/adapters/local-digest-signer.ts';
import { ChainedAuditLog } from '#shared/audit/append.ts';
import { keptIps } from '#shared/audit/client-ips.ts';
import { writeDailyDigests } from '#shared/audit/digest.ts';
import type { AuditStore } from '#shared/audit/ports.ts';
import {
  type AuditEvent,
  type AuditRecord,
  GENESIS_HASH,
  hashOf,
  ipHashOf,
  newIpKey,
  nextRecord,
} from '#shared/audit/record.ts';
import { verifyAuditChain } from '#shared/audit/verify.ts';
import { MemoryDigestStore } from './audit-store.ts';
import { ManualClock } from './clock.ts';

/** Raw access to the table under the store, for tampering. */
export interface RawAuditTable {
  get(pk: string, sk: string): Promise<Record<string, unknown> | undefined>;
  put(item: Record<string, unknown>): Promise<void>;
  delete(pk: string, sk: string): Promise<void>;
}

const TZ = 'Asia/Ho_Chi_Minh';
let chains = 0;
const newChain = () => `test-${process.pid}-${++chains}-${Date.now()}`;

const event = (n: number, overrides: Partial<AuditEvent> = {}): AuditEvent => ({
  kind: 'unit.changed',
  actor: { type: 'member', id: 'vanphong@so.example.vn' },
  target: { unitId: `cb-${n}` },
  requestId: `req-${n}`,
  ...overrides,
});

export function describeAuditStoreContract(
  name: string,
  make: () => Promise<{ store: AuditStore; raw: RawAuditTable }> | { store: AuditStore; raw: RawAuditTable },
): void {
  let store: AuditStore;
  let raw: RawAuditTable;
  let keyDir: string;
  let signer: LocalDigestSigner;
  beforeAll(async () => {
    ({ store, raw } = await make());
    keyDir = await mkdtemp(join(tmpdir(), 'baocao-audit-key-'));
    signer = new LocalDigestSigner(keyDir);
  });
  afterAll(async () => {
    await rm(keyDir, { recursive: true, force: true });
  });

  /** A chain of `n` records, one a minute from 2026-12-01 09:00 (local). */
  async function chainOf(n: number, clock = new ManualClock('2026-12-01T02:00:00.000Z')) {
    const chain = newChain();
    const log = new ChainedAuditLog(store, clock, { chain, ipRetentionDays: 30 });
    for (let i = 1; i <= n; i++) {
      await log.append(event(i, i % 2 ? { clientIp: `203.0.113.${i}` } : {}));
      clock.advance(60_000);
    }
    const deps = { store, digests: new MemoryDigestStore(), signer, clock, timeZone: TZ };
    return { chain, log, clock, deps };
  }

  describe(`${name}: AuditStore`, () => {
    it('appends at a free position only, and reads back what it wrote, in order both ways', async () => {
      // Prepare
      const { chain, log } = await chainOf(0);
      const first = await log.append(
        event(1, { clientIp: '198.51.100.7', details: { deadline: '2026-12-31' } }),
      );
      // Act
      const again = await store.append({ ...first, outcome: 'refused' });
      const ascending = [];
      for await (const page of store.pages(chain, { pageSize: 1 })) ascending.push(...page);
      // Assess
      expect(again).toBe(false);
      expect(first).toMatchObject({ seq: 1, prev: GENESIS_HASH, chain, kind: 'unit.changed' });
      expect(ascending).toStrictEqual([{ position: 1, record: first }]);
      expect(await store.last(chain)).toStrictEqual(first);
      expect(hashOf(first)).toBe(first.hash);
      expect(first).toMatchObject({ ipKey: expect.any(String), ipSealed: expect.any(String) });
      expect(JSON.stringify(first)).not.toContain('198.51.100.7');
      const ips = await keptIps(store, chain, [first], 0);
      expect(ips.get(1)).toMatchObject({ ip: '198.51.100.7' });
      expect(ipHashOf('198.51.100.7', ips.get(1)!.salt)).toBe(first.ipHash);
    });

    it('pages from a position, ascending and descending', async () => {
      // Prepare
      const { chain } = await chainOf(5);
      // Act
      const up: number[] = [];
      for await (const page of store.pages(chain, { fromSeq: 3, pageSize: 2 }))
        up.push(...page.map((r) => r.position));
      const down: number[] = [];
      for await (const page of store.pages(chain, { fromSeq: 4, descending: true, pageSize: 2 }))
        down.push(...page.map((r) => r.position));
      const all: number[] = [];
      for await (const page of store.pages(chain, { descending: true }))
        all.push(...page.map((r) => r.record.seq));
      // Assess
      expect(up).toEqual([3, 4, 5]);
      expect(down).toEqual([4, 3, 2, 1]);
      expect(all).toEqual([5, 4, 3, 2, 1]);
    });

    it('hides a stored IP once its retention has passed, and the chain still verifies', async () => {
      // Prepare
      const { chain, deps, clock } = await chainOf(3);
      // Act
      const records: AuditRecord[] = [];
      for await (const page of store.pages(chain)) records.push(...page.map((r) => r.record));
      const kept = await keptIps(store, chain, records, Math.floor(clock.now().getTime() / 1000));
      clock.advance(31 * 86_400_000);
      const ips = await keptIps(store, chain, records, Math.floor(clock.now().getTime() / 1000));
      const report = await verifyAuditChain({ ...deps, clock }, { chain });
      // Assess
      expect([...kept.keys()]).toEqual([1, 3]);
      expect(ips.size).toBe(0);
      expect(report.chainProblem).toBeUndefined();
    });

    it('keeps a key that seals IPs once, and hands out the kept, unexpired ones', async () => {
      // Prepare
      const chain = newChain();
      const key = newIpKey(new Date('2026-12-01T02:00:00.000Z'), 2_000_000_000);
      const old = newIpKey(new Date('2026-12-01T01:00:00.000Z'), 1_000);
      await store.putIpKey(chain, key);
      await store.putIpKey(chain, old);
      // Act
      const again = await store.putIpKey(chain, { ...key, key: newIpKey(new Date(), 1).key }).then(
        () => 'written',
        (error: Error) => error.name,
      );
      const found = await store.ipKeys(chain, [key.id, old.id, 'unknown', key.id], 1_500);
      // Assess
      expect(again).toBe('ConditionalCheckFailedException');
      expect([...found.entries()]).toEqual([[key.id, key]]);
    });

    it('reads the IPs of records written before sealing from the items stored apart', async () => {
      // Prepare
      const chain = newChain();
      const salt = 'ab'.repeat(16);
      const record = nextRecord(chain, undefined, event(1), new Date('2026-12-01T02:00:00.000Z'), {
        id: 'legacy-1',
        ipHash: ipHashOf('203.0.113.9', salt),
      });
      await raw.put({ ...record, pk: auditChainPk(chain), sk: auditRecordSk(1) });
      const ipItem = { pk: auditIpPk(chain), sk: auditRecordSk(1), ip: '203.0.113.9', salt };
      await raw.put({ ...ipItem, expiresAtEpoch: 2_000_000_000 });
      const clock = new ManualClock('2026-12-01T03:00:00.000Z');
      const deps = { store, digests: new MemoryDigestStore(), signer, clock, timeZone: TZ };
      // Act
      const ips = await keptIps(store, chain, [record], 1_800_000_000);
      const valid = await verifyAuditChain(deps, { chain });
      await raw.put({ ...ipItem, ip: '192.0.2.66', expiresAtEpoch: 2_000_000_000 });
      const edited = await verifyAuditChain(deps, { chain });
      // Assess
      expect(ips.get(1)?.ip).toBe('203.0.113.9');
      expect(valid.chainProblem).toBeUndefined();
      expect(edited.chainProblem).toMatchObject({ seq: 1, reason: 'ip-mismatch' });
    });
  });

  describe(`${name}: the hash chain`, () => {
    it('verifies a chain end to end, with its digests', async () => {
      // Prepare
      const { chain, deps, clock } = await chainOf(6);
      clock.set('2026-12-03T02:00:00.000Z');
      await new ChainedAuditLog(store, clock, { chain }).append(event(7));
      clock.set('2026-12-04T01:00:00.000Z');
      const written = await writeDailyDigests(deps, { chain });
      // Act
      const report = await verifyAuditChain(deps, { chain });
      // Assess
      expect(written).toEqual(['2026-12-01', '2026-12-02', '2026-12-03']);
      expect(report).toMatchObject({
        ok: true,
        records: 7,
        digests: 3,
        digestProblems: [],
        chainProblem: undefined,
      });
      expect(report.head?.seq).toBe(7);
      expect(await writeDailyDigests(deps, { chain })).toEqual([]);
    });

    it('reports an edited record at its position', async () => {
      // Prepare
      const { chain, deps } = await chainOf(5);
      const item = (await raw.get(auditChainPk(chain), auditRecordSk(3)))!;
      await raw.put({ ...item, outcome: 'refused' });
      // Act
      const report = await verifyAuditChain(deps, { chain });
      // Assess
      expect(report.ok).toBe(false);
      expect(report.chainProblem).toMatchObject({ seq: 3, reason: 'altered' });
      expect(report.chainProblem?.message).toBe('Bản ghi số 3 đã bị sửa: nội dung không khớp mã băm của nó.');
    });

    it('reports an edited record re-hashed to match at the next position (its link breaks)', async () => {
      // Prepare
      const { chain, deps } = await chainOf(5);
      const item = (await raw.get(auditChainPk(chain), auditRecordSk(2)))!;
      const edited: Record<string, unknown> = {
        ...item,
        actor: { type: 'member', id: 'ai-do@so.example.vn' },
      };
      const { pk: _pk, sk: _sk, ...record } = edited;
      await raw.put({ ...edited, hash: hashOf(record) });
      // Act
      const report = await verifyAuditChain(deps, { chain });
      // Assess
      expect(report.chainProblem).toMatchObject({ seq: 3, reason: 'broken-link' });
    });

    it('reports a deleted record at its position', async () => {
      // Prepare
      const { chain, deps } = await chainOf(5);
      await raw.delete(auditChainPk(chain), auditRecordSk(4));
      // Act
      const report = await verifyAuditChain(deps, { chain });
      // Assess
      expect(report.chainProblem).toMatchObject({ seq: 4, reason: 'missing' });
      expect(report.chainProblem?.message).toContain('Bản ghi số 4 đã bị xóa');
    });

    it('reports two swapped records at the first of them', async () => {
      // Prepare
      const { chain, deps } = await chainOf(5);
      const a = (await raw.get(auditChainPk(chain), auditRecordSk(2)))!;
      const b = (await raw.get(auditChainPk(chain), auditRecordSk(3)))!;
      await raw.put({ ...b, sk: a.sk });
      await raw.put({ ...a, sk: b.sk });
      // Act
      const report = await verifyAuditChain(deps, { chain });
      // Assess
      expect(report.chainProblem).toMatchObject({ seq: 2, reason: 'out-of-order' });
    });

    it('reports a record deleted from the end through the digest that signed it', async () => {
      // Prepare
      const { chain, deps, clock } = await chainOf(4);
      clock.set('2026-12-02T03:00:00.000Z');
      await writeDailyDigests(deps, { chain });
      await raw.delete(auditChainPk(chain), auditRecordSk(4));
      // Act
      const report = await verifyAuditChain(deps, { chain });
      // Assess
      expect(report.chainProblem).toBeUndefined();
      expect(report.digestProblems).toMatchObject([{ date: '2026-12-01', reason: 'head-mismatch' }]);
    });

    it('reports a replaced key that sealed an IP', async () => {
      // Prepare
      const { chain, deps } = await chainOf(3);
      const first = (await raw.get(auditChainPk(chain), auditRecordSk(1)))!;
      const item = (await raw.get(auditIpKeyPk(chain), auditIpKeySk(String(first.ipKey))))!;
      await raw.put({ ...item, key: newIpKey(new Date(), 1).key });
      // Act
      const report = await verifyAuditChain(deps, { chain });
      // Assess
      expect(report.chainProblem).toMatchObject({ seq: 1, reason: 'ip-mismatch' });
    });

    it('appends after the record a warm log remembers, and reads the head when another wrote meanwhile', async () => {
      // Prepare
      const { chain, deps } = await chainOf(1);
      let heads = 0;
      const counted = Object.assign(Object.create(store) as AuditStore, {
        last: (c: string) => {
          heads++;
          return store.last(c);
        },
      });
      const a = new ChainedAuditLog(counted, deps.clock, { chain });
      const b = new ChainedAuditLog(counted, deps.clock, { chain });
      // Act
      for (let i = 0; i < 3; i++) await a.append(event(10 + i, { clientIp: '198.51.100.8' }));
      const alone = heads;
      for (let i = 0; i < 4; i++) await (i % 2 ? a : b).append(event(20 + i));
      const report = await verifyAuditChain(deps, { chain });
      // Assess
      expect(alone).toBe(1);
      expect(heads - alone).toBe(4);
      expect(report).toMatchObject({ ok: true, records: 8, chainProblem: undefined });
    });

    it('reads the head first while other writers keep moving it, and stops once they do not', async () => {
      // Prepare
      const { chain, deps } = await chainOf(1);
      let heads = 0;
      let refused = 0;
      const counted = Object.assign(Object.create(store) as AuditStore, {
        last: (c: string) => {
          heads++;
          return store.last(c);
        },
        append: async (record: AuditRecord) => {
          const written = await store.append(record);
          if (!written) refused++;
          return written;
        },
      });
      const a = new ChainedAuditLog(counted, deps.clock, { chain });
      const b = new ChainedAuditLog(counted, deps.clock, { chain });
      // Act
      const trace: Array<{ heads: number; refused: number }> = [];
      for (let i = 0; i < 16; i++) {
        await (i % 2 ? b : a).append(event(30 + i));
        trace.push({ heads, refused });
      }
      for (let i = 0; i < 6; i++) {
        await a.append(event(50 + i));
        trace.push({ heads, refused });
      }
      const report = await verifyAuditChain(deps, { chain });
      // Assess
      // Turns 3 to 8 try a stale head (refused, then read); from turn 9 each reads first.
      expect(trace[7]).toEqual({ heads: 8, refused: 6 });
      expect(trace[15]).toEqual({ heads: 16, refused: 6 });
      // Alone again: the first read finds b's last record, three more show the remembered head
      // held, then each append is one write.
      expect(trace[19]).toEqual({ heads: 20, refused: 6 });
      expect(trace[21]).toEqual({ heads: 20, refused: 6 });
      expect(report).toMatchObject({ ok: true, records: 23, chainProblem: undefined });
    });

    it('never forks under many concurrent appends', async () => {
      // Prepare
      const { chain, deps } = await chainOf(1);
      const logs = Array.from({ length: 4 }, () => new ChainedAuditLog(store, deps.clock, { chain }));
      // Act
      const records = await Promise.all(
        Array.from({ length: 24 }, (_, i) => logs[i % logs.length]!.append(event(100 + i))),
      );
      const report = await verifyAuditChain(deps, { chain });
      // Assess
      expect(new Set(records.map((r) => r.seq)).size).toBe(24);
      expect(new Set(records.map((r) => r.prev)).size).toBe(24);
      expect(report).toMatchObject({ ok: true, records: 25, chainProblem: undefined });
    });

    it('reports a removed digest, and an altered one', async () => {
      // Prepare
      const { chain, deps, clock } = await chainOf(2);
      for (const day of ['2026-12-02', '2026-12-03', '2026-12-04']) {
        clock.set(`${day}T03:00:00.000Z`);
        await new ChainedAuditLog(store, clock, { chain }).append(event(9));
      }
      clock.set('2026-12-05T03:00:00.000Z');
      await writeDailyDigests(deps, { chain });
      const digests = deps.digests as MemoryDigestStore;
      // Act
      digests.files.delete(`${chain}/2026-12-02`);
      const removed = await verifyAuditChain(deps, { chain });
      const file = (await digests.get(chain, '2026-12-03'))!;
      digests.files.set(
        `${chain}/2026-12-03`,
        Buffer.from(
          Buffer.from(file)
            .toString('utf8')
            .replace(/"seq":4/, '"seq":3'),
        ),
      );
      const altered = await verifyAuditChain(deps, { chain });
      // Assess
      expect(removed.ok).toBe(false);
      expect(removed.digestProblems).toMatchObject([
        { date: '2026-12-02', reason: 'missing', message: 'Thiếu bản tóm tắt đã ký của ngày 02/12/2026.' },
      ]);
      expect(altered.digestProblems).toMatchObject([
        { date: '2026-12-02', reason: 'missing' },
        { date: '2026-12-03', reason: 'bad-signature' },
        { date: '2026-12-04', reason: 'broken-link' },
      ]);
    });
  });
}
