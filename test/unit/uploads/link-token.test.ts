import { describe, expect, it } from 'vitest';
import type { Period } from '#shared/domain/period.ts';
import { ExpiredLinkError, InvalidLinkError } from '#shared/uploads/link-errors.ts';
import {
  issueLinkToken,
  type LinkClaims,
  linkExpiresAt,
  MAX_TOKEN_LENGTH,
  unitLinkClaims,
  verifyLinkToken,
} from '#shared/uploads/link-token.ts';

const KEY = new Uint8Array(32).map((_, i) => i + 1);
const OTHER_KEY = new Uint8Array(32).map((_, i) => 255 - i);
const CLAIMS: LinkClaims = {
  planId: '12-kh-dus-2025',
  year: 2026,
  unitId: 'cb-van-phong',
  linkVersion: 1,
  expiresAt: new Date('2027-01-14T17:00:00Z'),
};
const NOW = new Date('2026-11-29T02:00:00Z');
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const INVALID_MESSAGE = 'Liên kết không hợp lệ. Hãy mở lại liên kết trong e-mail mới nhất.';

function expectInvalid(token: string, key: Uint8Array = KEY): void {
  let caught: unknown;
  try {
    verifyLinkToken(key, token, NOW);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(InvalidLinkError);
  expect((caught as InvalidLinkError).userMessage).toBe(INVALID_MESSAGE);
}

/** A token whose payload is `json` verbatim, correctly signed: only the parser can refuse it. */
async function signedRaw(json: string): Promise<string> {
  const { createHmac } = await import('node:crypto');
  const payload = Buffer.from(json, 'utf8').toString('base64url');
  const mac = createHmac('sha256', KEY).update('baocao/upload-link/v1\n').update(payload).digest();
  return `${payload}.${mac.toString('base64url')}`;
}

describe('issueLinkToken / verifyLinkToken', () => {
  it('round-trips the claims', () => {
    // Act
    const token = issueLinkToken(KEY, CLAIMS);
    // Assess
    expect(verifyLinkToken(KEY, token, NOW)).toEqual(CLAIMS);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(token.length).toBeLessThan(MAX_TOKEN_LENGTH);
  });

  it('gives the same token for the same claims, and another for another link version', () => {
    expect(issueLinkToken(KEY, CLAIMS)).toBe(issueLinkToken(KEY, CLAIMS));
    expect(issueLinkToken(KEY, { ...CLAIMS, linkVersion: 2 })).not.toBe(issueLinkToken(KEY, CLAIMS));
  });

  it('rejects every single-character change of a token', () => {
    // Prepare
    const token = issueLinkToken(KEY, CLAIMS);
    let tried = 0;
    // Act + Assess
    for (let i = 0; i < token.length; i++) {
      for (const replacement of [...BASE64URL, '.']) {
        if (replacement === token[i]) continue;
        const changed = token.slice(0, i) + replacement + token.slice(i + 1);
        expectInvalid(changed);
        tried++;
      }
    }
    expect(tried).toBe(token.length * BASE64URL.length);
  });

  it.each([
    ['empty', ''],
    ['one character', 'a'],
    ['only a dot', '.'],
    ['no dot', 'abc'],
    ['three parts', 'a.b.c'],
    ['padding', 'eyJhIjoxfQ==.AAAA'],
    ['a space', 'eyJ hIjoxfQ.AAAA'],
    ['huge', 'A'.repeat(100_000)],
    ['just over the limit', `${'A'.repeat(MAX_TOKEN_LENGTH - 44)}.${'A'.repeat(44)}`],
    ['percent-encoded', '%41%42.%43'],
  ])('rejects a malformed token (%s)', (_name, token) => {
    expectInvalid(token);
  });

  it('rejects truncated and extended tokens', () => {
    const token = issueLinkToken(KEY, CLAIMS);
    for (let cut = 1; cut < token.length; cut++) expectInvalid(token.slice(0, cut));
    for (const extra of ['A', 'AA', '.', '=', '==', ' ', '\n', '/']) {
      expectInvalid(token + extra);
      expectInvalid(extra + token);
    }
  });

  it('rejects a token signed with another key', () => {
    expectInvalid(issueLinkToken(OTHER_KEY, CLAIMS));
  });

  it('rejects a signature copied onto other claims', () => {
    const genuine = issueLinkToken(KEY, CLAIMS);
    const other = issueLinkToken(KEY, { ...CLAIMS, unitId: 'cb-khac' });
    expectInvalid(`${other.split('.')[0]}.${genuine.split('.')[1]}`);
  });

  it.each([
    ['an extra claim', '{"p":"12-kh-dus-2025","y":2026,"u":"cb-a","v":1,"e":1799951200,"x":1}'],
    ['a missing claim', '{"p":"12-kh-dus-2025","y":2026,"u":"cb-a","e":1799951200}'],
    ['claims in another order', '{"y":2026,"p":"12-kh-dus-2025","u":"cb-a","v":1,"e":1799951200}'],
    ['spaces', '{"p":"12-kh-dus-2025", "y":2026,"u":"cb-a","v":1,"e":1799951200}'],
    ['a float', '{"p":"12-kh-dus-2025","y":2026,"u":"cb-a","v":1.5,"e":1799951200}'],
    ['an exponent', '{"p":"12-kh-dus-2025","y":2026,"u":"cb-a","v":1,"e":1.7999512e9}'],
    ['a string year', '{"p":"12-kh-dus-2025","y":"2026","u":"cb-a","v":1,"e":1799951200}'],
    ['a bad unit id', '{"p":"12-kh-dus-2025","y":2026,"u":"../cb-a","v":1,"e":1799951200}'],
    ['an escaped character', '{"p":"12-kh-dus-2025","y":2026,"u":"cb\\u002da","v":1,"e":1799951200}'],
    ['a duplicate claim', '{"p":"x","p":"12-kh-dus-2025","y":2026,"u":"cb-a","v":1,"e":1799951200}'],
    ['version 0', '{"p":"12-kh-dus-2025","y":2026,"u":"cb-a","v":0,"e":1799951200}'],
    ['an array', '["12-kh-dus-2025",2026,"cb-a",1,1799951200]'],
    ['not JSON', 'hello'],
  ])('rejects a correctly signed payload with %s', async (_name, json) => {
    expectInvalid(await signedRaw(json));
  });

  it('accepts the canonical payload built by hand (the parser is not too strict)', async () => {
    const token = await signedRaw('{"p":"12-kh-dus-2025","y":2026,"u":"cb-a","v":1,"e":1799951200}');
    expect(verifyLinkToken(KEY, token, NOW)).toMatchObject({ unitId: 'cb-a', linkVersion: 1 });
  });

  it('refuses an expired token with its own message, after checking the signature', () => {
    // Prepare
    const token = issueLinkToken(KEY, CLAIMS);
    // Act
    const atExpiry = () => verifyLinkToken(KEY, token, CLAIMS.expiresAt);
    // Assess
    expect(atExpiry).toThrow(ExpiredLinkError);
    expect(atExpiry).toThrow(
      expect.objectContaining({ userMessage: expect.stringMatching(/kỳ báo cáo đã đóng/) }),
    );
    expect(verifyLinkToken(KEY, token, new Date(CLAIMS.expiresAt.getTime() - 1))).toEqual(CLAIMS);
    // A forged token past its expiry is invalid, not "expired": the MAC is checked first.
    expect(() => verifyLinkToken(OTHER_KEY, token, CLAIMS.expiresAt)).toThrow(InvalidLinkError);
  });

  it('refuses keys shorter than 256 bits', () => {
    expect(() => issueLinkToken(new Uint8Array(16), CLAIMS)).toThrow(/at least 32 bytes/);
    expect(() => verifyLinkToken(new Uint8Array(16), 'a.b', NOW)).toThrow(/at least 32 bytes/);
  });

  it('refuses to issue claims that could not be verified', () => {
    expect(() => issueLinkToken(KEY, { ...CLAIMS, unitId: 'a/b' })).toThrow(/out of range/);
    expect(() => issueLinkToken(KEY, { ...CLAIMS, linkVersion: 0 })).toThrow(/out of range/);
    expect(() => issueLinkToken(KEY, { ...CLAIMS, expiresAt: new Date(Number.NaN) })).toThrow(/out of range/);
  });
});

describe('linkExpiresAt', () => {
  it('is 00:00 local on the day after the close date', () => {
    expect(linkExpiresAt('2027-01-14', 'Asia/Ho_Chi_Minh').toISOString()).toBe('2027-01-14T17:00:00.000Z');
    expect(linkExpiresAt('2027-03-27', 'Europe/Berlin').toISOString()).toBe('2027-03-27T23:00:00.000Z');
  });
});

describe('unitLinkClaims', () => {
  const period: Period = {
    planId: '12-kh-dus-2025',
    year: 2026,
    openDate: '2026-11-20',
    deadline: '2026-12-15',
    closeDate: '2027-01-14',
    timeZone: 'Asia/Ho_Chi_Minh',
    status: 'open',
    openedAt: '2026-11-20T03:00:00Z',
  };

  it('expires at the end of the close date, or of an extension that runs past it', () => {
    const unit = { unitId: 'cb-a', linkVersion: 3, extendedDeadline: null };
    expect(unitLinkClaims(period, unit)).toEqual({
      planId: '12-kh-dus-2025',
      year: 2026,
      unitId: 'cb-a',
      linkVersion: 3,
      expiresAt: new Date('2027-01-14T17:00:00Z'),
    });
    expect(unitLinkClaims(period, { ...unit, extendedDeadline: '2026-12-31' }).expiresAt).toEqual(
      new Date('2027-01-14T17:00:00Z'),
    );
    expect(unitLinkClaims(period, { ...unit, extendedDeadline: '2027-01-31' }).expiresAt).toEqual(
      new Date('2027-01-31T17:00:00Z'),
    );
  });
});
