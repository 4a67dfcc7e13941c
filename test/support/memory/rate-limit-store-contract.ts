/**
 * The RateLimitStore contract, run against the in-memory fake
 * (test/unit/use-cases/rate-limit-store-contract.test.ts) and the DynamoDB adapter on dynalite
 * (test/integration/rate-limit-store-contract.test.ts): counts up to the limit and no further,
 * per bucket and per window, and concurrent requests never over-count.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RateLimitStore } from '#shared/limits/ports.ts';

const WINDOW = new Date('2026-12-06T10:00:00.000Z');
const NEXT_WINDOW = new Date('2026-12-06T10:05:00.000Z');

/** Runs the contract against the store `make` returns (called once, before the tests). */
export function describeRateLimitStoreContract(
  name: string,
  make: () => RateLimitStore | Promise<RateLimitStore>,
): void {
  let store: RateLimitStore;
  beforeAll(async () => {
    store = await make();
  });
  // Each test its own buckets: the store is shared.
  const bucket = (kind: string) => `${kind}#${randomUUID()}`;

  describe(`${name}: RateLimitStore`, () => {
    it('allows `limit` requests in a window, then refuses each further one', async () => {
      const b = bucket('link');
      const answers: boolean[] = [];
      for (let i = 0; i < 5; i++) answers.push(await store.hit(b, WINDOW, 300, 3));
      expect(answers).toEqual([true, true, true, false, false]);
    });

    it('counts each bucket and each window apart', async () => {
      const a = bucket('ip');
      const b = bucket('ip');
      expect(await store.hit(a, WINDOW, 300, 1)).toBe(true);
      expect(await store.hit(a, WINDOW, 300, 1)).toBe(false);
      expect(await store.hit(b, WINDOW, 300, 1)).toBe(true);
      expect(await store.hit(a, NEXT_WINDOW, 300, 1)).toBe(true);
    });

    it('gives back a counted request, never below zero, in its own window only', async () => {
      const b = bucket('ip');
      expect(await store.hit(b, WINDOW, 300, 2)).toBe(true);
      expect(await store.hit(b, WINDOW, 300, 2)).toBe(true);
      expect(await store.hit(b, WINDOW, 300, 2)).toBe(false);
      await store.release(b, WINDOW);
      await store.release(b, NEXT_WINDOW);
      await store.release(bucket('ip'), WINDOW);
      expect(await store.hit(b, WINDOW, 300, 2)).toBe(true);
      expect(await store.hit(b, WINDOW, 300, 2)).toBe(false);
      // Given back more often than counted: the count stays at zero, then counts to the limit.
      const c = bucket('ip');
      await store.hit(c, WINDOW, 300, 2);
      for (let i = 0; i < 3; i++) await store.release(c, WINDOW);
      expect(await store.hit(c, WINDOW, 300, 2)).toBe(true);
      expect(await store.hit(c, WINDOW, 300, 2)).toBe(true);
      expect(await store.hit(c, WINDOW, 300, 2)).toBe(false);
      // The next window was never counted: its release left nothing that would count.
      expect(await store.hit(b, NEXT_WINDOW, 300, 1)).toBe(true);
      expect(await store.hit(b, NEXT_WINDOW, 300, 1)).toBe(false);
    });

    it('grants exactly `limit` of many concurrent requests', async () => {
      const b = bucket('status');
      const answers = await Promise.all(Array.from({ length: 12 }, () => store.hit(b, WINDOW, 300, 5)));
      expect(answers.filter(Boolean)).toHaveLength(5);
    });
  });
}
