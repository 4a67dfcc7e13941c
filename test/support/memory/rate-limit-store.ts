/**
 * FAKE FOR FAST USE-CASE TESTS: the RateLimitStore of shared/adapters/dynamodb/rate-limit-store.ts
 * over the in-memory plans table (./table.ts): requests counted per bucket and window up to a
 * limit. Expired counters are not deleted (DynamoDB's TTL is lazy too: a new window is a new item).
 * The same contract runs against both (test/support/memory/rate-limit-store-contract.ts).
 */
import type { RateLimitStore } from '#shared/limits/ports.ts';
import { attributeExists, compare, type MemoryTable } from './table.ts';

const epoch = (d: Date) => Math.floor(d.getTime() / 1000);

export class MemoryRateLimitStore implements RateLimitStore {
  constructor(private readonly table: MemoryTable) {}

  async hit(bucket: string, windowStart: Date, windowSeconds: number, limit: number): Promise<boolean> {
    return this.table.tryUpdate(
      { pk: `LIMIT#${bucket}`, sk: windowStart.toISOString() },
      (item) => !attributeExists(item, 'requests') || compare(item!.requests, '<', limit),
      (item) => {
        item.requests = (typeof item.requests === 'number' ? item.requests : 0) + 1;
        item.expiresAtEpoch = epoch(windowStart) + windowSeconds * 2;
      },
    );
  }

  async release(bucket: string, windowStart: Date): Promise<void> {
    this.table.tryUpdate(
      { pk: `LIMIT#${bucket}`, sk: windowStart.toISOString() },
      (item) => compare(item?.requests, '>', 0),
      (item) => {
        item.requests = (item.requests as number) - 1;
      },
    );
  }
}
