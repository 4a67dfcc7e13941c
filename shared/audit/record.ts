import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createSecretKey,
  type KeyObject,
  randomBytes,
} from 'node:crypto';
import type { AuditActorType, AuditEventKind, AuditOutcome } from './events.ts';

/**
 * One audit record and its place in the hash chain (docs/audit.md).
 *
 * The hashed part of a record is every stored attribute but `hash` itself: the SHA-256 (hex) of
 * its canonical JSON ({@link canonicalJson}) is the record's `hash`, and the next record carries
 * it as `prev`. The client IP is not in the hashed part: the record holds `ipHash`, the SHA-256
 * of a random per-record salt and the address, and the address with its salt is stored beside
 * the record ({@link StoredIp}) until its retention ends. Once they are gone the hash alone names
 * no one, and the chain still verifies.
 */

/** Format version of the hashed part. */
export const AUDIT_RECORD_VERSION = 1;
/** `prev` of the first record of a chain. */
export const GENESIS_HASH = '0'.repeat(64);
/** Longest text kept in any field of a record (longer text is cut, with an ellipsis). */
export const MAX_AUDIT_TEXT = 300;
/** At most this many detail entries per record. */
export const MAX_AUDIT_DETAILS = 12;

export interface AuditActor {
  type: AuditActorType;
  /** A member's address, a unit's id, or the system part that acted (`planner`, `cli`, …). */
  id: string;
}

/** What the event was about: any of these that apply. */
export interface AuditTarget {
  planId?: string;
  year?: number;
  unitId?: string;
  memberEmail?: string;
  /** An object key, a file name, an export id. */
  ref?: string;
}

/** What a use case tells the log: the event; the log adds time, position and hashes. */
export interface AuditEvent {
  kind: AuditEventKind;
  actor: AuditActor;
  target?: AuditTarget;
  /** Default `ok`. */
  outcome?: AuditOutcome;
  /** The request (API Gateway / Lambda request id) that caused it. */
  requestId?: string;
  /** The client's IP address, kept for the configured retention only. */
  clientIp?: string;
  /** A few more facts (a new deadline, a role, a file name): short text, integers, booleans. */
  details?: Record<string, string | number | boolean>;
}

/** A stored record: the hashed part, and `hash`. */
export interface AuditRecord {
  v: number;
  /** The chain (one per committee). */
  chain: string;
  /** Position in the chain, from 1, without gaps. */
  seq: number;
  /** Random id of the record. */
  id: string;
  /** Server time (ISO-8601, ms); never earlier than the previous record's. */
  at: string;
  kind: string;
  actor: AuditActor;
  target: AuditTarget;
  outcome: string;
  requestId?: string;
  /** SHA-256 (hex) of the salt and the client IP (see {@link ipHashOf}). */
  ipHash?: string;
  /** The {@link IpKey} that seals the salt and the client IP in `ipSealed`. */
  ipKey?: string;
  /** The salt and the client IP, sealed with AES-256-GCM under `ipKey` (see {@link sealIp}). */
  ipSealed?: string;
  details?: Record<string, string | number | boolean>;
  /** `hash` of the previous record ({@link GENESIS_HASH} for the first). */
  prev: string;
  hash: string;
}

/** The client IP of a record and its salt, stored apart and dropped after the retention. */
export interface StoredIp {
  ip: string;
  /** 16 random bytes, hex. */
  salt: string;
  /** When it is dropped (epoch seconds; DynamoDB TTL on AWS). */
  expiresAtEpoch: number;
}

/**
 * A key that seals the client IPs of records (AES-256-GCM), kept apart from them in the audit
 * table and dropped when the retention of the last IP it sealed ends: then the sealed text in the
 * records names no one (crypto-shredding), and nothing hashed changed.
 */
export interface IpKey {
  /** `<creation, yyyymmddThhmmssZ>-<16 hex>`: unique, ordered by creation. */
  id: string;
  /** 32 random bytes, base64. */
  key: string;
  /** When it is dropped (epoch seconds; DynamoDB TTL on AWS). */
  expiresAtEpoch: number;
}

/** A new random key, created at `now`, kept until `expiresAtEpoch`. */
export function newIpKey(now: Date, expiresAtEpoch: number): IpKey {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  return {
    id: `${stamp}-${randomBytes(8).toString('hex')}`,
    key: randomBytes(32).toString('base64'),
    expiresAtEpoch,
  };
}

const SEAL_IV_BYTES = 12;
const SEAL_TAG_BYTES = 16;

/** Each key's bytes as a KeyObject, made once per key (a log seals with one key for an hour). */
const keyObjects = new WeakMap<IpKey, KeyObject>();
function keyObjectOf(key: IpKey): KeyObject {
  let object = keyObjects.get(key);
  if (!object) {
    object = createSecretKey(Buffer.from(key.key, 'base64'));
    keyObjects.set(key, object);
  }
  return object;
}

/** What binds a sealed IP to its record: it opens only there (the chain and the record's id). */
const sealedFor = (chain: string, recordId: string) => Buffer.from(`${chain}\n${recordId}`, 'utf8');

/**
 * The record's fields for a client IP: `ipHash` (a random salt, as before) and the salt and the
 * address sealed under `key` (AES-256-GCM, a random IV, bound to the chain and the record's id):
 * base64 of IV ‖ ciphertext ‖ tag. Nothing to store apart: the key is kept, once, for many
 * records (ChainedAuditLog).
 */
export function sealIp(
  clientIp: string | undefined,
  key: IpKey,
  chain: string,
  recordId: string,
): Pick<AuditRecord, 'ipHash' | 'ipKey' | 'ipSealed'> | undefined {
  const ip = clientIp?.trim();
  if (!ip) return undefined;
  const bounded = ip.slice(0, 64);
  const random = randomBytes(16 + SEAL_IV_BYTES);
  const salt = random.toString('hex', 0, 16);
  const iv = random.subarray(16);
  const cipher = createCipheriv('aes-256-gcm', keyObjectOf(key), iv);
  cipher.setAAD(sealedFor(chain, recordId));
  const sealed = Buffer.concat([
    iv,
    cipher.update(`${salt} ${bounded}`, 'utf8'),
    cipher.final(),
    cipher.getAuthTag(),
  ]);
  return { ipHash: ipHashOf(bounded, salt), ipKey: key.id, ipSealed: sealed.toString('base64') };
}

/**
 * The salt and the client IP sealed in `record` ({@link sealIp}), kept until the key's expiry; or
 * undefined when `key` does not open it (the key or the record was altered).
 */
export function openIp(
  record: Pick<AuditRecord, 'chain' | 'id' | 'ipSealed'>,
  key: IpKey,
): StoredIp | undefined {
  if (!record.ipSealed) return undefined;
  try {
    const sealed = Buffer.from(record.ipSealed, 'base64');
    if (sealed.length < SEAL_IV_BYTES + SEAL_TAG_BYTES) return undefined;
    const decipher = createDecipheriv('aes-256-gcm', keyObjectOf(key), sealed.subarray(0, SEAL_IV_BYTES));
    decipher.setAAD(sealedFor(record.chain, record.id));
    decipher.setAuthTag(sealed.subarray(sealed.length - SEAL_TAG_BYTES));
    const text = Buffer.concat([
      decipher.update(sealed.subarray(SEAL_IV_BYTES, sealed.length - SEAL_TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
    const space = text.indexOf(' ');
    if (space < 0) return undefined;
    return { salt: text.slice(0, space), ip: text.slice(space + 1), expiresAtEpoch: key.expiresAtEpoch };
  } catch {
    return undefined;
  }
}

/**
 * Canonical JSON of a record's hashed part: object keys sorted by UTF-16 code units, no
 * whitespace, strings as JSON.stringify writes them, integers only. For these values this is the
 * JSON Canonicalization Scheme (RFC 8785).
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new TypeError(`canonicalJson: ${value} is not a safe integer`);
    return String(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  throw new TypeError(`canonicalJson: ${typeof value} cannot be hashed`);
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The hash of a record as stored: SHA-256 of the canonical JSON of all but `hash`. */
export function hashOf(record: Omit<AuditRecord, 'hash'> | Record<string, unknown>): string {
  const { hash: _hash, ...hashed } = record as Record<string, unknown>;
  return sha256Hex(canonicalJson(hashed));
}

/** SHA-256 (hex) of the salt's bytes followed by the address's. */
export function ipHashOf(ip: string, salt: string): string {
  return createHash('sha256').update(Buffer.from(salt, 'hex')).update(ip, 'utf8').digest('hex');
}

/** Text cut to {@link MAX_AUDIT_TEXT} code points, control characters replaced. */
export function boundedText(text: string): string {
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, ' ');
  const chars = Array.from(clean);
  return chars.length <= MAX_AUDIT_TEXT ? clean : `${chars.slice(0, MAX_AUDIT_TEXT - 1).join('')}…`;
}

function boundedTarget(target: AuditTarget | undefined): AuditTarget {
  const out: AuditTarget = {};
  if (!target) return out;
  if (target.planId !== undefined) out.planId = boundedText(target.planId);
  if (target.year !== undefined && Number.isSafeInteger(target.year)) out.year = target.year;
  if (target.unitId !== undefined) out.unitId = boundedText(target.unitId);
  if (target.memberEmail !== undefined) out.memberEmail = boundedText(target.memberEmail);
  if (target.ref !== undefined) out.ref = boundedText(target.ref);
  return out;
}

function boundedDetails(
  details: AuditEvent['details'],
): Record<string, string | number | boolean> | undefined {
  if (!details) return undefined;
  const out: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(details).slice(0, MAX_AUDIT_DETAILS)) {
    const name = boundedText(key).slice(0, 40);
    if (typeof value === 'string') out[name] = boundedText(value);
    else if (typeof value === 'boolean') out[name] = value;
    else if (Number.isSafeInteger(value)) out[name] = value;
    else out[name] = String(value);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The record that follows `previous` (or starts the chain) for `event`, hashed. */
export function nextRecord(
  chain: string,
  previous: Pick<AuditRecord, 'seq' | 'hash' | 'at'> | undefined,
  event: AuditEvent,
  now: Date,
  fields: { id: string } & Pick<AuditRecord, 'ipHash' | 'ipKey' | 'ipSealed'>,
): AuditRecord {
  // Time never runs backwards along the chain, even across functions whose clocks differ.
  const at = previous && previous.at > now.toISOString() ? previous.at : now.toISOString();
  const details = boundedDetails(event.details);
  const body: Omit<AuditRecord, 'hash'> = {
    v: AUDIT_RECORD_VERSION,
    chain,
    seq: (previous?.seq ?? 0) + 1,
    id: fields.id,
    at,
    kind: event.kind,
    actor: { type: event.actor.type, id: boundedText(event.actor.id) },
    target: boundedTarget(event.target),
    outcome: event.outcome ?? 'ok',
    ...(event.requestId ? { requestId: boundedText(event.requestId) } : {}),
    ...(fields.ipHash ? { ipHash: fields.ipHash } : {}),
    ...(fields.ipKey ? { ipKey: fields.ipKey } : {}),
    ...(fields.ipSealed ? { ipSealed: fields.ipSealed } : {}),
    ...(details ? { details } : {}),
    prev: previous?.hash ?? GENESIS_HASH,
  };
  return { ...body, hash: hashOf(body) };
}
