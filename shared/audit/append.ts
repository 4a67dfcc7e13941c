import { randomUUID } from 'node:crypto';
import type { Clock } from '#shared/ports.ts';
import type { AuditLog, AuditStore } from './ports.ts';
import { type AuditEvent, type AuditRecord, type IpKey, newIpKey, nextRecord, sealIp } from './record.ts';

/** The chain of a deployment's committee (one committee per deployment today). */
export const COMMITTEE_CHAIN = 'committee';
/** Default days a client IP is kept (`AUDIT_IP_RETENTION_DAYS`). */
export const DEFAULT_IP_RETENTION_DAYS = 90;
/** Attempts of one append before giving up (each lost race re-reads the head). */
export const MAX_APPEND_ATTEMPTS = 60;
/**
 * How long one log seals client IPs with the same key before it makes a new one: an IP is kept
 * its retention, and at most this much longer (the key expires with the last IP it may seal).
 */
export const IP_KEY_USE_MS = 60 * 60 * 1000;
/**
 * Weight of each append in a log's running rate of stale remembered heads. Above one half, the
 * log reads the head first (2 requests in 2 round trips) rather than try its remembered one (1
 * request when right, 3 in 3 round trips when stale).
 */
const STALE_RATE_WEIGHT = 0.25;

/** Thrown when an append lost the race for the next position too often. */
export class AuditAppendError extends Error {
  constructor(chain: string, attempts: number) {
    super(`Audit append to chain ${chain} lost ${attempts} races for the next position`);
    this.name = 'AuditAppendError';
  }
}

export interface ChainedAuditLogOptions {
  chain?: string;
  ipRetentionDays?: number;
  /** Wait before retry `attempt` (default: a few ms, jittered, growing). */
  sleep?: (attempt: number) => Promise<void>;
}

const jitteredSleep = (attempt: number) =>
  new Promise<void>((resolve) =>
    setTimeout(resolve, Math.random() * Math.min(100, 2 ** Math.min(attempt, 7))),
  );

/**
 * Appends events to a hash chain with a conditional write on the position after the head: two
 * writers that read the same head both try position n+1, DynamoDB lets one win, and the other
 * re-reads the head and tries n+2 with the winner's hash as `prev`. The chain never forks, and
 * never has a gap (docs/audit.md).
 *
 * A warm log remembers the last record it wrote or read and tries the position after it first,
 * without reading the head: when that position is free the remembered record is the head (every
 * position is written only after the one before it), so the append is one PutItem. When another
 * function wrote meanwhile the write is refused, and the head is read as before; a log whose
 * remembered head is mostly stale (other functions append between its own appends) reads the
 * head first, until it sees its remembered head hold again. The client IP is
 * sealed in the record under a key the log keeps for an hour ({@link IP_KEY_USE_MS}), written
 * once (one PutItem an hour) and dropped with the retention: nothing else to write per record.
 */
export class ChainedAuditLog implements AuditLog {
  private readonly chain: string;
  private readonly ipRetentionSeconds: number;
  private readonly sleep: (attempt: number) => Promise<void>;
  /** The newest record this log wrote or read: it is at its position, with its hash. */
  private head: AuditRecord | undefined;
  /** Running rate (0..1) at which the remembered head was no longer the chain's head. */
  private staleRate = 0;
  /** The key sealing IPs now, and until when it may (epoch ms); a write of it in flight. */
  private ipKey: { key: Promise<IpKey>; usableUntil: number } | undefined;

  constructor(
    private readonly store: AuditStore,
    private readonly clock: Clock,
    options: ChainedAuditLogOptions = {},
  ) {
    this.chain = options.chain ?? COMMITTEE_CHAIN;
    this.ipRetentionSeconds = (options.ipRetentionDays ?? DEFAULT_IP_RETENTION_DAYS) * 86_400;
    this.sleep = options.sleep ?? jitteredSleep;
  }

  async record(event: AuditEvent): Promise<void> {
    await this.append(event);
  }

  /** Appends one event; its stored record. */
  async append(event: AuditEvent): Promise<AuditRecord> {
    const id = randomUUID();
    const remembered = this.head;
    const optimistic = remembered !== undefined && this.staleRate <= 0.5;
    // The key is written before any record it seals (a cold log reads the head meanwhile).
    const [key, read] = await Promise.all([
      event.clientIp?.trim() ? this.currentIpKey() : undefined,
      optimistic ? remembered : this.store.last(this.chain),
    ]);
    // Read first: would the remembered head have held?
    if (remembered && !optimistic) this.observe((read?.seq ?? 0) !== remembered.seq);
    this.remember(read);
    const sealed = key ? sealIp(event.clientIp, key, this.chain, id) : undefined;
    let head = read;
    for (let attempt = 1; attempt <= MAX_APPEND_ATTEMPTS; attempt++) {
      const record = nextRecord(this.chain, head, event, this.clock.now(), { id, ...sealed });
      const written = await this.store.append(record);
      if (optimistic && attempt === 1) this.observe(!written);
      if (written) {
        this.remember(record);
        return record;
      }
      // A remembered head is stale as soon as another function appends: read the head at once.
      // Two writers that read the same head back off before they race again.
      if (attempt > 1 || !optimistic) await this.sleep(attempt);
      head = await this.store.last(this.chain);
      this.remember(head);
    }
    throw new AuditAppendError(this.chain, MAX_APPEND_ATTEMPTS);
  }

  private observe(stale: boolean): void {
    this.staleRate += STALE_RATE_WEIGHT * ((stale ? 1 : 0) - this.staleRate);
  }

  private remember(record: AuditRecord | undefined): void {
    if (record && record.seq > (this.head?.seq ?? 0)) this.head = record;
  }

  /** The key that seals IPs now: a new one every {@link IP_KEY_USE_MS}, written before its first use. */
  private currentIpKey(): Promise<IpKey> {
    const now = this.clock.now().getTime();
    if (this.ipKey && now < this.ipKey.usableUntil) return this.ipKey.key;
    const usableUntil = now + IP_KEY_USE_MS;
    const key = newIpKey(new Date(now), Math.ceil(usableUntil / 1000) + this.ipRetentionSeconds);
    const written = this.store.putIpKey(this.chain, key).then(() => key);
    this.ipKey = { key: written, usableUntil };
    // A failed write is not kept: the next append makes another key.
    written.catch(() => {
      if (this.ipKey?.key === written) this.ipKey = undefined;
    });
    return written;
  }
}

/** An audit log that records nothing: for runtimes with no audit table (unit tests of other features). */
export const NO_AUDIT_LOG: AuditLog = { record: async () => {} };
