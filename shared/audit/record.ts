import { createHash, randomBytes } from 'node:crypto';
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

/** The salted hash and the stored address of an event's client IP (none without one). */
export function saltIp(
  clientIp: string | undefined,
  expiresAtEpoch: number,
): { ipHash: string; stored: StoredIp } | undefined {
  const ip = clientIp?.trim();
  if (!ip) return undefined;
  const bounded = ip.slice(0, 64);
  const salt = randomBytes(16).toString('hex');
  return { ipHash: ipHashOf(bounded, salt), stored: { ip: bounded, salt, expiresAtEpoch } };
}

/** The record that follows `previous` (or starts the chain) for `event`, hashed. */
export function nextRecord(
  chain: string,
  previous: Pick<AuditRecord, 'seq' | 'hash' | 'at'> | undefined,
  event: AuditEvent,
  now: Date,
  fields: { id: string; ipHash?: string | undefined },
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
    ...(details ? { details } : {}),
    prev: previous?.hash ?? GENESIS_HASH,
  };
  return { ...body, hash: hashOf(body) };
}
