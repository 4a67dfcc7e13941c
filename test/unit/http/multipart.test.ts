import { describe, expect, it } from 'vitest';
import { parseMultipart } from '#functions/http/multipart.ts';
import type { HttpRequest } from '#functions/http/request.ts';

const BOUNDARY = '----baocaoTestBoundary';

function request(parts: string[], contentType = `multipart/form-data; boundary=${BOUNDARY}`): HttpRequest {
  const body = Buffer.from(`${parts.map((p) => `--${BOUNDARY}\r\n${p}\r\n`).join('')}--${BOUNDARY}--\r\n`);
  return {
    method: 'POST',
    path: '/admin/x',
    headers: { 'content-type': contentType },
    cookies: {},
    query: '',
    body: '',
    bodyBytes: body,
    sourceIp: '127.0.0.1',
  };
}

const field = (name: string, value: string) =>
  `Content-Disposition: form-data; name="${name}"\r\n\r\n${value}`;
const file = (name: string, fileName: string, content: string) =>
  `Content-Disposition: form-data; name="${name}"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n${content}`;

describe('parseMultipart', () => {
  it('reads fields and one file, with a Vietnamese file name and no folder part', async () => {
    const form = await parseMultipart(
      request([
        field('csrf', 'tok'),
        file('document', 'C:\\tai lieu\\Kế hoạch 30.docx', 'PK\u0003\u0004abc'),
      ]),
    );
    expect(form.fields).toEqual({ csrf: 'tok' });
    expect(form.files).toHaveLength(1);
    expect(form.files[0]!.fileName).toBe('Kế hoạch 30.docx');
    expect(Buffer.from(form.files[0]!.bytes).toString('latin1')).toBe('PK\u0003\u0004abc');
  });

  it('ignores an empty file input', async () => {
    const form = await parseMultipart(request([field('csrf', 'tok'), file('document', '', '')]));
    expect(form.files).toEqual([]);
  });

  it('refuses a file over the limit, a second file, and a body that is not multipart', async () => {
    await expect(
      parseMultipart(request([file('document', 'a.txt', 'x'.repeat(101))]), { maxFileBytes: 100 }),
    ).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    await expect(
      parseMultipart(request([file('a', 'a.txt', 'x'), file('b', 'b.txt', 'y')])),
    ).rejects.toMatchObject({ userMessage: 'Chỉ chọn một tệp mỗi lần.' });
    await expect(parseMultipart(request([field('a', 'b')], 'text/plain'))).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });

  it('refuses a truncated body', async () => {
    const req = request([file('document', 'a.txt', 'abc')]);
    req.bodyBytes = req.bodyBytes!.subarray(0, req.bodyBytes!.length - 20);
    await expect(parseMultipart(req)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('refuses too many fields, an oversized field and an oversized body before parsing them', async () => {
    const many = Array.from({ length: 60 }, (_, i) => field(`f${i}`, 'x'));
    await expect(parseMultipart(request(many))).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(parseMultipart(request([field('a', 'x'.repeat(64 * 1024 + 1))]))).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
    });
    const huge = request([file('document', 'a.txt', 'x'.repeat(2000))]);
    await expect(parseMultipart(huge, { maxFileBytes: 100, maxFields: 0 })).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
    });
  });

  it('reads a quoted boundary', async () => {
    const req = request([field('csrf', 'tok')], `multipart/form-data; boundary="${BOUNDARY}"`);
    expect((await parseMultipart(req)).fields).toEqual({ csrf: 'tok' });
  });
});
