import { describe, expect, it } from 'vitest';
import { checkBodySize, decodeBody, parseForm, parseJsonBody } from '#functions/http/request.ts';
import { describeError } from '#functions/http/responses.ts';
import { PayloadTooLargeError, ValidationError } from '#shared/errors.ts';
import { MAX_REQUEST_BODY_BYTES } from '#shared/input-limits.ts';

const LIMIT = MAX_REQUEST_BODY_BYTES;

/** The error `fn` throws. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('request bodies: bounded before they are parsed', () => {
  it('decodes text and base64 bodies up to the limit', () => {
    const json = JSON.stringify({ fileName: 'Báo cáo.pdf', notes: 'x'.repeat(1000) });
    expect(decodeBody(json, false)).toBe(json);
    expect(decodeBody(Buffer.from(json).toString('base64'), true)).toBe(json);
    expect(decodeBody(undefined, undefined)).toBe('');
    const exact = 'a'.repeat(LIMIT);
    expect(decodeBody(exact, false)).toHaveLength(LIMIT);
    expect(decodeBody(Buffer.from(exact).toString('base64'), true)).toHaveLength(LIMIT);
  });

  it('measures a base64 body by the bytes it encodes, not by its longer text', () => {
    // The base64 text of LIMIT bytes is 4/3 as long: over the limit as text, within it decoded.
    const encoded = Buffer.alloc(LIMIT, 0x61).toString('base64');
    expect(encoded.length).toBeGreaterThan(LIMIT);
    expect(() => decodeBody(encoded, true)).not.toThrow();
    expect(thrown(() => decodeBody(Buffer.alloc(LIMIT + 1, 0x61).toString('base64'), true))).toBeInstanceOf(
      PayloadTooLargeError,
    );
  });

  it('measures a text body in UTF-8 bytes: Vietnamese letters count two or three', () => {
    // 'Đ' is two bytes, 'ộ' three: fewer characters than the limit, more bytes.
    const body = 'ộ'.repeat(LIMIT / 3 + 1);
    expect(body.length).toBeLessThan(LIMIT);
    expect(thrown(() => checkBodySize(body))).toBeInstanceOf(PayloadTooLargeError);
    expect(() => checkBodySize('ộ'.repeat(LIMIT / 4))).not.toThrow();
  });

  it('refuses a body over the limit with a 413 and a Vietnamese message, before JSON.parse sees it', () => {
    // Prepare: JSON that would parse (and build a large object) if it were parsed.
    const body = `[${'1,'.repeat(LIMIT / 2)}1]`;
    const original = JSON.parse;
    let parsed = false;
    JSON.parse = ((...args: Parameters<typeof JSON.parse>) => {
      parsed = true;
      return original(...args);
    }) as typeof JSON.parse;
    // Act
    let error: unknown;
    try {
      error = thrown(() => parseJsonBody(body));
    } finally {
      JSON.parse = original;
    }
    // Assess
    expect(parsed).toBe(false);
    expect(error).toBeInstanceOf(PayloadTooLargeError);
    expect(error).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      message: `Request body too large: ${body.length} bytes, at most ${LIMIT}`,
      userMessage: 'Dữ liệu gửi lên quá lớn (hơn 256 KB); tối đa 256 KB.',
    });
    expect(describeError(error)).toEqual({
      statusCode: 413,
      code: 'PAYLOAD_TOO_LARGE',
      message: (error as PayloadTooLargeError).userMessage,
    });
  });

  it('parses JSON within the limit and refuses what is not JSON with a 400', () => {
    expect(parseJsonBody('{"until":"2026-12-31"}')).toEqual({ until: '2026-12-31' });
    const error = thrown(() => parseJsonBody('{"until":'));
    expect(error).toBeInstanceOf(ValidationError);
    expect(describeError(error)).toMatchObject({
      statusCode: 400,
      message: 'Dữ liệu gửi lên không phải là JSON hợp lệ.',
    });
  });

  it('bounds form bodies too, with a limit of the caller’s choice', () => {
    expect(parseForm('email=a%40example.vn&csrf=x')).toEqual({ email: 'a@example.vn', csrf: 'x' });
    expect(thrown(() => parseForm(`email=${'a'.repeat(LIMIT)}`))).toBeInstanceOf(PayloadTooLargeError);
    expect(thrown(() => parseForm('a'.repeat(LIMIT * 2)))).toMatchObject({
      userMessage: 'Dữ liệu gửi lên quá lớn (512 KB); tối đa 256 KB.',
    });
    expect(thrown(() => parseForm('email=a%40example.vn', 10))).toMatchObject({
      userMessage: 'Dữ liệu gửi lên quá lớn (20 byte); tối đa 10 byte.',
    });
  });
});
