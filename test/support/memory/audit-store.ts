/**
 * FAKE FOR FAST USE-CASE TESTS: the AuditStore of shared/adapters/dynamodb/audit-store.ts over an
 * in-memory table (./table.ts), with the same keys (`CHAIN#<chain>` / `REC#<seq>`, `IPKEY#<chain>` /
 * `KEY#<id>`, `IP#<chain>`),
 * the same conditional PutItem (`attribute_not_exists(pk)`) and the same reads. Tests tamper with
 * `table` directly, as someone with write access to the DynamoDB table could. Held to the adapter
 * by ./audit-store-contract.ts, run on both.
 */
import {
  auditChainPk,
  auditIpKeyPk,
  auditIpKeySk,
  auditIpPk,
  auditRecordSk,
} from '#shared/adapters/dynamodb/audit-store.ts';
import type { AuditStore, DigestStore, StoredAuditRecord } from '#shared/audit/ports.ts';
import type { AuditRecord, IpKey, StoredIp } from '#shared/audit/record.ts';
import { type Item, MemoryTable } from './table.ts';

export class MemoryAuditStore implements AuditStore {
  constructor(readonly table: MemoryTable = new MemoryTable('audit')) {}

  async last(chain: string): Promise<AuditRecord | undefined> {
    const item = this.table.query(auditChainPk(chain), 'REC#', { descending: true, limit: 1 }).items[0];
    return item ? toRecord(item) : undefined;
  }

  async append(record: AuditRecord): Promise<boolean> {
    try {
      this.table.put(
        { ...record, pk: auditChainPk(record.chain), sk: auditRecordSk(record.seq) },
        (current) => current === undefined,
      );
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  async putIpKey(chain: string, key: IpKey): Promise<void> {
    this.table.put(
      { pk: auditIpKeyPk(chain), sk: auditIpKeySk(key.id), key: key.key, expiresAtEpoch: key.expiresAtEpoch },
      (current) => current === undefined,
    );
  }

  async ipKeys(chain: string, ids: readonly string[], nowEpoch: number): Promise<Map<string, IpKey>> {
    const found = new Map<string, IpKey>();
    for (const id of ids) {
      const item = this.table.get({ pk: auditIpKeyPk(chain), sk: auditIpKeySk(id) });
      const expires = Number(item?.expiresAtEpoch);
      if (!item || !(expires > nowEpoch)) continue;
      found.set(id, { id, key: String(item.key), expiresAtEpoch: expires });
    }
    return found;
  }

  async *pages(
    chain: string,
    options: { fromSeq?: number; descending?: boolean; pageSize?: number } = {},
  ): AsyncIterable<StoredAuditRecord[]> {
    const descending = options.descending ?? false;
    const from = options.fromSeq;
    let startAfter: string | undefined;
    if (from !== undefined) {
      // Start at `from` inclusive: after the key just before it in the walk's direction.
      startAfter = descending ? `${auditRecordSk(from)}\u0000` : auditRecordSk(from - 1);
      if (!descending && from <= 0) startAfter = undefined;
    }
    for (;;) {
      const page = this.table.query(auditChainPk(chain), 'REC#', {
        descending,
        limit: options.pageSize,
        startAfter,
      });
      if (page.items.length > 0) {
        yield page.items.map((item) => ({
          position: Number.parseInt(String(item.sk).slice(4), 10),
          record: toRecord(item),
        }));
      }
      if (!page.lastSk) return;
      startAfter = page.lastSk;
    }
  }

  async ips(chain: string, fromSeq: number, toSeq: number, nowEpoch: number): Promise<Map<number, StoredIp>> {
    const found = new Map<number, StoredIp>();
    for (const item of this.table.queryAll(auditIpPk(chain), 'REC#')) {
      const seq = Number.parseInt(String(item.sk).slice(4), 10);
      if (seq < fromSeq || seq > toSeq) continue;
      const expires = Number(item.expiresAtEpoch);
      if (!(expires > nowEpoch)) continue;
      found.set(seq, { ip: String(item.ip), salt: String(item.salt), expiresAtEpoch: expires });
    }
    return found;
  }
}

function toRecord(item: Item): AuditRecord {
  const { pk: _pk, sk: _sk, ...record } = item;
  return record as unknown as AuditRecord;
}

/** The digests bucket in memory: one file per chain and day; tests remove or alter them. */
export class MemoryDigestStore implements DigestStore {
  readonly files = new Map<string, Uint8Array>();

  async get(chain: string, date: string): Promise<Uint8Array | undefined> {
    const file = this.files.get(`${chain}/${date}`);
    return file ? new Uint8Array(file) : undefined;
  }

  async put(chain: string, date: string, body: Uint8Array): Promise<void> {
    this.files.set(`${chain}/${date}`, new Uint8Array(body));
  }
}
