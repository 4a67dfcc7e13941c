/**
 * Per-link and per-IP limits of a unit's presigns and status reads (issue 18), over the in-memory
 * counters: who is counted, when the 429 comes, and that a forged token costs no write.
 */
import { describe, expect, it } from 'vitest';
import { issueLinkToken } from '#shared/uploads/link-token.ts';
import { limitUnitRequest, UNIT_LIMITS } from '#shared/uploads/unit-limits.ts';
import { MemoryRateLimitStore } from '#test/support/memory/rate-limit-store.ts';
import { MemoryTables } from '#test/support/memory/table.ts';

const KEY = new Uint8Array(32).fill(7);
const NOW = new Date('2026-12-06T03:01:00Z');

function setup() {
  const tables = new MemoryTables();
  const store = new MemoryRateLimitStore(tables.plans);
  let writes = 0;
  const limits = {
    hit: (...args: Parameters<MemoryRateLimitStore['hit']>) => {
      writes++;
      return store.hit(...args);
    },
    release: (...args: Parameters<MemoryRateLimitStore['release']>) => store.release(...args),
  };
  const deps = { limits, keys: { linkKey: async () => KEY }, clock: { now: () => NOW } };
  const token = (unitId: string) =>
    issueLinkToken(KEY, {
      planId: '12-kh-dus-2025',
      year: 2026,
      unitId,
      linkVersion: 1,
      expiresAt: new Date('2027-01-15T00:00:00Z'),
    });
  return { deps, token, writes: () => writes };
}

async function outcomes(run: () => Promise<void>, times: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < times; i++) {
    out.push(
      await run().then(
        () => 'ok',
        (e: { code?: string }) => e.code ?? 'error',
      ),
    );
  }
  return out;
}

describe('limits of a unit’s link', () => {
  it('answers RATE_LIMITED, in Vietnamese, after the per-link presign limit, for that link only', async () => {
    const { deps, token } = setup();
    const limit = UNIT_LIMITS.presign.perLink.limit;
    const a = await outcomes(
      () => limitUnitRequest(deps, token('cb-a'), '203.0.113.1', 'presign'),
      limit + 2,
    );
    expect(a.filter((o) => o === 'ok')).toHaveLength(limit);
    expect(a.slice(limit)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
    await expect(limitUnitRequest(deps, token('cb-a'), '203.0.113.1', 'presign')).rejects.toMatchObject({
      userMessage: expect.stringMatching(/quá nhiều yêu cầu nộp tệp.*5 phút/),
    });
    // Another unit on the same IP, and the same unit's status, are still answered.
    await expect(limitUnitRequest(deps, token('cb-b'), '203.0.113.1', 'presign')).resolves.toBeUndefined();
    await expect(limitUnitRequest(deps, token('cb-a'), '203.0.113.1', 'status')).resolves.toBeUndefined();
  });

  it('limits one IP across many links, and not another IP', async () => {
    const { deps, token } = setup();
    const perIp = UNIT_LIMITS.presign.perIp.limit;
    const perLink = UNIT_LIMITS.presign.perLink.limit;
    const units = Array.from({ length: Math.ceil(perIp / perLink) + 1 }, (_, i) => `cb-${i}`);
    const results: string[] = [];
    for (const u of units) {
      results.push(
        ...(await outcomes(() => limitUnitRequest(deps, token(u), '198.51.100.7', 'presign'), perLink)),
      );
    }
    expect(results.filter((o) => o === 'ok')).toHaveLength(perIp);
    await expect(limitUnitRequest(deps, token('cb-new'), '198.51.100.8', 'presign')).resolves.toBeUndefined();
  });

  it.each([
    ['garbage', 'rac'],
    ['an oversized token', 'x'.repeat(10_000)],
    ['binary', '\u0000\u0001\uffff'],
    ['a forged signature', `${'eyJwIjoiMTIta2gtZHVzLTIwMjUifQ'}.${'A'.repeat(43)}`],
  ])('counts nothing for %s (the use case refuses it; no write)', async (_name, bad) => {
    const { deps, writes } = setup();
    for (let i = 0; i < 50; i++) await limitUnitRequest(deps, bad, '203.0.113.1', 'presign');
    expect(writes()).toBe(0);
  });
});
