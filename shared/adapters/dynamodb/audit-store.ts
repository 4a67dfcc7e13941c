import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditRecord, AuditStore, IpKey, StoredAuditRecord, StoredIp } from '#shared/audit/ports.ts';
import { whenConditionHolds } from './item-store.ts';

/** Positions are zero-padded in sort keys, so that key order is chain order. */
const SEQ_DIGITS = 12;
export const auditChainPk = (chain: string) => `CHAIN#${chain}`;
export const auditIpPk = (chain: string) => `IP#${chain}`;
export const auditIpKeyPk = (chain: string) => `IPKEY#${chain}`;
export const auditIpKeySk = (id: string) => `KEY#${id}`;
export const auditRecordSk = (seq: number) => `REC#${String(seq).padStart(SEQ_DIGITS, '0')}`;
/** TTL attribute of the audit table: only the IP keys (and older IP items) carry it (infra/constructs/audit.ts). */
export const AUDIT_TTL_ATTRIBUTE = 'expiresAtEpoch';

/**
 * AuditStore on its own table (docs/audit.md): partition `CHAIN#<chain>`, one item
 * `REC#<seq, 12 digits>` per record, holding exactly the record's hashed part and `hash`; and
 * partition `IPKEY#<chain>`, one item `KEY#<id>` per key that seals client IPs in records (`key`,
 * `expiresAtEpoch`), which DynamoDB's TTL deletes when the retention ends; and, read only,
 * partition `IP#<chain>`, one item per record with a client IP (`ip`, `salt`, `expiresAtEpoch`)
 * as records were kept before 2026-12-07, deleted by TTL too. Every write is a PutItem conditional on
 * the key being absent: a record is never overwritten by this code, and the functions' role has
 * no UpdateItem or DeleteItem on the table.
 */
export class DynamoAuditStore implements AuditStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async last(chain: string): Promise<AuditRecord | undefined> {
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :rec)',
        ExpressionAttributeValues: { ':pk': auditChainPk(chain), ':rec': 'REC#' },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const item = out.Items?.[0];
    return item ? toRecord(item) : undefined;
  }

  async append(record: AuditRecord): Promise<boolean> {
    const written = await whenConditionHolds(() =>
      this.client
        .send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...record, pk: auditChainPk(record.chain), sk: auditRecordSk(record.seq) },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        )
        .then(() => true),
    );
    return written === true;
  }

  async putIpKey(chain: string, key: IpKey): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          pk: auditIpKeyPk(chain),
          sk: auditIpKeySk(key.id),
          key: key.key,
          [AUDIT_TTL_ATTRIBUTE]: key.expiresAtEpoch,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async ipKeys(chain: string, ids: readonly string[], nowEpoch: number): Promise<Map<string, IpKey>> {
    const found = new Map<string, IpKey>();
    // A handful per page of records (one key per function and hour): one GetItem each, together.
    const items = await Promise.all(
      [...new Set(ids)].map((id) =>
        this.client
          .send(
            new GetCommand({
              TableName: this.tableName,
              Key: { pk: auditIpKeyPk(chain), sk: auditIpKeySk(id) },
              ConsistentRead: true,
            }),
          )
          .then((out) => ({ id, item: out.Item })),
      ),
    );
    for (const { id, item } of items) {
      const expires = Number(item?.[AUDIT_TTL_ATTRIBUTE]);
      // TTL deletes within days of expiry; an expired key opens nothing meanwhile.
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
    let startKey: Record<string, unknown> | undefined;
    do {
      const condition =
        from === undefined
          ? 'pk = :pk AND begins_with(sk, :rec)'
          : descending
            ? 'pk = :pk AND sk BETWEEN :rec AND :from'
            : 'pk = :pk AND sk BETWEEN :from AND :end';
      const out = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: condition,
          ExpressionAttributeValues: {
            ':pk': auditChainPk(chain),
            ...(from === undefined
              ? { ':rec': 'REC#' }
              : descending
                ? { ':rec': 'REC#', ':from': auditRecordSk(from) }
                : { ':from': auditRecordSk(from), ':end': 'REC$' }),
          },
          ScanIndexForward: !descending,
          ConsistentRead: true,
          ...(options.pageSize ? { Limit: options.pageSize } : {}),
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      const items = out.Items ?? [];
      if (items.length > 0) {
        yield items.map((item) => ({ position: positionOf(String(item.sk)), record: toRecord(item) }));
      }
      startKey = out.LastEvaluatedKey;
    } while (startKey);
  }

  async ips(chain: string, fromSeq: number, toSeq: number, nowEpoch: number): Promise<Map<number, StoredIp>> {
    const found = new Map<number, StoredIp>();
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': auditIpPk(chain),
            ':from': auditRecordSk(fromSeq),
            ':to': auditRecordSk(toSeq),
          },
          ConsistentRead: true,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of out.Items ?? []) {
        const expires = Number(item[AUDIT_TTL_ATTRIBUTE]);
        // TTL deletes within days of expiry; an expired address is never shown meanwhile.
        if (!(expires > nowEpoch)) continue;
        found.set(positionOf(String(item.sk)), {
          ip: String(item.ip),
          salt: String(item.salt),
          expiresAtEpoch: expires,
        });
      }
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return found;
  }
}

function positionOf(sk: string): number {
  return Number.parseInt(sk.slice('REC#'.length), 10);
}

/** The stored record: every attribute but the table keys (an added attribute stays, and fails the hash). */
function toRecord(item: Record<string, unknown>): AuditRecord {
  const { pk: _pk, sk: _sk, ...record } = item;
  return record as unknown as AuditRecord;
}
