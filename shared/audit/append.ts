import { randomUUID } from 'node:crypto';
import type { Clock } from '#shared/ports.ts';
import type { AuditLog, AuditStore } from './ports.ts';
import { type AuditEvent, type AuditRecord, nextRecord, saltIp } from './record.ts';

/** The chain of a deployment's committee (one committee per deployment today). */
export const COMMITTEE_CHAIN = 'committee';
/** Default days a client IP is kept (`AUDIT_IP_RETENTION_DAYS`). */
export const DEFAULT_IP_RETENTION_DAYS = 90;
/** Attempts of one append before giving up (each lost race re-reads the head). */
export const MAX_APPEND_ATTEMPTS = 60;

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
 */
export class ChainedAuditLog implements AuditLog {
  private readonly chain: string;
  private readonly ipRetentionSeconds: number;
  private readonly sleep: (attempt: number) => Promise<void>;

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
    const nowEpoch = Math.floor(this.clock.now().getTime() / 1000);
    const salted = saltIp(event.clientIp, nowEpoch + this.ipRetentionSeconds);
    let head = await this.store.last(this.chain);
    for (let attempt = 1; attempt <= MAX_APPEND_ATTEMPTS; attempt++) {
      const record = nextRecord(this.chain, head, event, this.clock.now(), {
        id,
        ipHash: salted?.ipHash,
      });
      if (await this.store.append(record)) {
        if (salted) await this.store.putIp(this.chain, record.seq, salted.stored);
        return record;
      }
      await this.sleep(attempt);
      head = await this.store.last(this.chain);
    }
    throw new AuditAppendError(this.chain, MAX_APPEND_ATTEMPTS);
  }
}

/** An audit log that records nothing: for runtimes with no audit table (unit tests of other features). */
export const NO_AUDIT_LOG: AuditLog = { record: async () => {} };
