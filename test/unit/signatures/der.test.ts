import { describe, expect, it } from 'vitest';
import { checkDer, MAX_DER_DEPTH } from '#shared/signatures/der.ts';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));

describe('checkDer', () => {
  it('measures a definite-length value and ignores the zero padding after it', () => {
    expect(checkDer(hex('30 06 02 01 01 04 01 ff 00 00 00'))).toEqual({ ok: true, length: 8 });
  });

  it('follows indefinite lengths (BER) to their end-of-contents', () => {
    expect(checkDer(hex('30 80 30 80 02 01 05 00 00 00 00 00 00'))).toEqual({ ok: true, length: 11 });
  });

  it(`refuses nesting deeper than ${MAX_DER_DEPTH} levels without recursing`, () => {
    const deep = hex('3080'.repeat(200_000) + '0000'.repeat(200_000));

    expect(checkDer(deep)).toEqual({ ok: false, problem: 'too-deep' });
  });

  it('refuses lengths past the end, a child longer than its parent, and truncated headers', () => {
    expect(checkDer(hex('30 84 ff ff ff ff 30 00'))).toEqual({ ok: false, problem: 'malformed' });
    expect(checkDer(hex('30 03 04 05 00 00 00 00 00'))).toEqual({ ok: false, problem: 'malformed' });
    expect(checkDer(hex('30'))).toEqual({ ok: false, problem: 'malformed' });
    expect(checkDer(hex('30 80 02 01 01'))).toEqual({ ok: false, problem: 'malformed' });
    expect(checkDer(new Uint8Array())).toEqual({ ok: false, problem: 'malformed' });
  });

  it('refuses a primitive value with an indefinite length', () => {
    expect(checkDer(hex('04 80 00 00'))).toEqual({ ok: false, problem: 'malformed' });
  });
});
