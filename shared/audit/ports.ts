import type { AuditEvent, AuditRecord, IpKey, StoredIp } from './record.ts';

export type { AuditActor, AuditEvent, AuditRecord, AuditTarget, IpKey, StoredIp } from './record.ts';

/** A record as read back, and the position its key names (equal to `record.seq` unless tampered with). */
export interface StoredAuditRecord {
  position: number;
  record: AuditRecord;
}

/**
 * What a use case gets to record an event: the log adds server time, chain position and hashes.
 * An append that cannot be written throws (the caller's action fails with it, rather than
 * happening unrecorded).
 */
export interface AuditLog {
  record(event: AuditEvent): Promise<void>;
}

/**
 * Where the records of the chains live (DynamoDB on AWS and locally; in memory in tests). The
 * store only appends: a record is written once at its position, a refused position is reported,
 * and nothing offers to change or remove a record.
 */
export interface AuditStore {
  /** The newest record of a chain (strongly consistent), or undefined for an empty chain. */
  last(chain: string): Promise<AuditRecord | undefined>;
  /** Writes `record` at its `seq` unless that position is taken: false then (nothing written). */
  append(record: AuditRecord): Promise<boolean>;
  /**
   * Keeps a key that seals client IPs (records name it in `ipKey`) until `key.expiresAtEpoch`;
   * written once (its id is random), never changed.
   */
  putIpKey(chain: string, key: IpKey): Promise<void>;
  /** The keys among `ids` that are kept and have not expired at `nowEpoch`, by id. */
  ipKeys(chain: string, ids: readonly string[], nowEpoch: number): Promise<Map<string, IpKey>>;
  /**
   * The records of a chain page by page, by position (ascending from `fromSeq`, or descending
   * from the newest or from `fromSeq`). Each record as stored (every attribute but the keys),
   * with the position its key names.
   */
  pages(
    chain: string,
    options?: { fromSeq?: number; descending?: boolean; pageSize?: number },
  ): AsyncIterable<StoredAuditRecord[]>;
  /**
   * The client IPs stored apart, one item per record (records written before 2026-12-07, with an
   * `ipHash` and no `ipSealed`), of positions `fromSeq..toSeq` that have not expired at `nowEpoch`.
   */
  ips(chain: string, fromSeq: number, toSeq: number, nowEpoch: number): Promise<Map<number, StoredIp>>;
}

/** A signed daily digest: the chain's head at the end of one committee-local day. */
export interface AuditDigest {
  v: number;
  chain: string;
  /** The committee-local day, `YYYY-MM-DD`. */
  date: string;
  timeZone: string;
  /** The newest record at the end of the day (0 and the genesis hash while the chain is empty). */
  seq: number;
  hash: string;
  /** SHA-256 (hex) of the previous day's digest file, or null for the chain's first digest. */
  previousDigest: string | null;
  keyId: string;
  algorithm: string;
  signedAt: string;
  /** Base64 signature of the canonical JSON of every other field. */
  signature: string;
}

/** Signs digests: a KMS asymmetric key on AWS, a local P-256 key in local mode. */
export interface DigestSigner {
  readonly algorithm: 'ECDSA_SHA_256';
  keyId(): Promise<string>;
  /** DER ECDSA signature over SHA-256 of `message`. */
  sign(message: Uint8Array): Promise<Uint8Array>;
  /** The public key (DER SubjectPublicKeyInfo) that verifies this signer's signatures. */
  publicKey(keyId: string): Promise<Uint8Array>;
}

/** Where the signed digests are kept (an Object-Lock bucket on AWS; the s3rver bucket locally). */
export interface DigestStore {
  /** The digest file of a day, as stored, or undefined. */
  get(chain: string, date: string): Promise<Uint8Array | undefined>;
  /** Writes a day's digest file once (the bucket's default Object Lock retention locks it on AWS). */
  put(chain: string, date: string, body: Uint8Array): Promise<void>;
}
