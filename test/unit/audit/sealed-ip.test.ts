import { describe, expect, it } from 'vitest';
import { ipHashOf, newIpKey, openIp, sealIp } from '#shared/audit/record.ts';

describe('a client IP sealed in its record', () => {
  const key = newIpKey(new Date('2026-12-07T03:00:00.000Z'), 2_000_000_000);

  it('opens with its key, for its own record only, and gives the salt of its ipHash', () => {
    // Prepare
    const sealed = sealIp(' 203.0.113.7 ', key, 'committee', 'record-1')!;
    // Act
    const opened = openIp({ chain: 'committee', id: 'record-1', ...sealed }, key);
    const moved = openIp({ chain: 'committee', id: 'record-2', ...sealed }, key);
    const otherChain = openIp({ chain: 'other', id: 'record-1', ...sealed }, key);
    const otherKey = openIp(
      { chain: 'committee', id: 'record-1', ...sealed },
      { ...key, key: newIpKey(new Date(), 1).key },
    );
    // Assess
    expect(key.id).toMatch(/^20261207T030000Z-[0-9a-f]{16}$/);
    expect(sealed.ipKey).toBe(key.id);
    expect(Buffer.from(sealed.ipSealed!, 'base64').toString('latin1')).not.toContain('203.0.113.7');
    expect(opened).toEqual({
      ip: '203.0.113.7',
      salt: expect.stringMatching(/^[0-9a-f]{32}$/),
      expiresAtEpoch: 2_000_000_000,
    });
    expect(ipHashOf('203.0.113.7', opened!.salt)).toBe(sealed.ipHash);
    expect([moved, otherChain, otherKey]).toEqual([undefined, undefined, undefined]);
  });

  it('seals nothing without an address, and bounds a hostile one', () => {
    // Prepare
    const long = `${'9'.repeat(100)}\u0000<script>`;
    // Act
    const none = [undefined, '', '   '].map((ip) => sealIp(ip, key, 'committee', 'r'));
    const bounded = sealIp(long, key, 'committee', 'r')!;
    const garbage = openIp({ chain: 'committee', id: 'r', ipSealed: 'bm90IHNlYWxlZA==' }, key);
    // Assess
    expect(none).toEqual([undefined, undefined, undefined]);
    expect(openIp({ chain: 'committee', id: 'r', ...bounded }, key)?.ip).toBe('9'.repeat(64));
    expect(garbage).toBeUndefined();
  });
});
