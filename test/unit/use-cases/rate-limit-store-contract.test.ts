/**
 * The RateLimitStore contract (test/support/memory/rate-limit-store-contract.ts) against the
 * in-memory fake. The same suite runs against the DynamoDB adapter on dynalite in
 * test/integration/rate-limit-store-contract.test.ts.
 */
import { describe } from 'vitest';
import { MemoryRateLimitStore } from '#test/support/memory/rate-limit-store.ts';
import { describeRateLimitStoreContract } from '#test/support/memory/rate-limit-store-contract.ts';
import { MemoryTables } from '#test/support/memory/table.ts';

describe('in-memory rate-limit store', () => {
  describeRateLimitStoreContract('in memory', () => new MemoryRateLimitStore(new MemoryTables().plans));
});
