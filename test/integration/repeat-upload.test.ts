import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handlePublicRequest } from '#functions/public-api.ts';
import { createUploadDeps } from '#functions/wiring/create-upload-deps.ts';
import { createDynamoDocumentClient } from '#shared/adapters/aws-clients.ts';
import type { Assignment } from '#shared/domain/period.ts';
import { openPeriod } from '#shared/periods/periods.ts';
import { importPlan } from '#shared/plans/plans.ts';
import { importUnits } from '#shared/units/units.ts';
import type { UploadDeps } from '#shared/uploads/deps.ts';
import { linkFor } from '#shared/uploads/links.ts';
import type { UploadGrant } from '#shared/uploads/request-upload.ts';
import { fixedClock, startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { pdfBytes } from '#test/support/sample-files.ts';
import { eventually } from '#test/support/uploads.ts';

const DEMO_PLAN = new URL('../../local/demo/ke-hoach-12-KH-DUS.txt', import.meta.url);
const PLAN = '12-kh-dus-2025';
const YEAR = 2026;
const PDF = 'application/pdf';
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

interface LocalFile {
  fileName: string;
  bytes: Buffer;
}

const REPORT: LocalFile = { fileName: 'Báo cáo năm.pdf', bytes: pdfBytes('báo cáo') };
const ANNEX: LocalFile = { fileName: 'Phụ lục.pdf', bytes: pdfBytes('phụ lục') };

const declared = (f: LocalFile) => ({ fileName: f.fileName, size: f.bytes.length, sha256: sha256(f.bytes) });

/**
 * "What a branch was receipted for is exactly what the committee keeps", and not twice: a new
 * submission that declares the very files (names, sizes, SHA-256) and notes of the version that
 * counts is refused before anything is written, with the existing receipt's number. Anything
 * else that differs is a new version as before. Local stack: dynalite, s3rver's events to the
 * real on-upload handler.
 */
describe('the same files as the latest version are not recorded twice (local stack)', () => {
  let stack: TestStack;
  let deps: UploadDeps;
  const clock = fixedClock('2026-12-01T03:00:00Z');

  beforeAll(async () => {
    stack = await startTestStack({ clock });
    await importPlan(stack.deps, await readFile(DEMO_PLAN), 'ke-hoach.txt');
    await importUnits(
      stack.deps,
      'id,name,email\ncb-a,Chi bộ A,a@example.org\ncb-b,Chi bộ B,b@example.org\n',
    );
    await openPeriod(stack.deps, { planId: PLAN, year: YEAR });
    deps = createUploadDeps(stack.runtime, { clock });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  function call(method: string, path: string, body?: unknown): Promise<APIGatewayProxyStructuredResultV2> {
    const event = {
      version: '2.0',
      routeKey: 'ANY /u/{token}/{proxy+}',
      rawPath: path,
      rawQueryString: '',
      headers: { 'content-type': 'application/json' },
      requestContext: {
        http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      },
      isBase64Encoded: false,
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    } as unknown as APIGatewayProxyEventV2;
    return handlePublicRequest(event, deps, stack.config);
  }

  async function token(unitId: string): Promise<string> {
    return (await linkFor(deps, PLAN, YEAR, unitId)).token;
  }

  async function partition(): Promise<Record<string, unknown>[]> {
    const out = await createDynamoDocumentClient(stack.config).send(
      new QueryCommand({
        TableName: stack.config.SUBMISSIONS_TABLE,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `PERIOD#${PLAN}#${YEAR}` },
        ConsistentRead: true,
      }),
    );
    // The mailer's outbox items share the partition and change on their own (sending → sent), and
    // the signature check adds its results to a recorded file afterwards: neither is a new version.
    // A refused presign still counts against its link's limit, on the assignment (issue 18), and
    // the malware scan's result arrives on its own too (docs/malware-scanning.md).
    return (out.Items ?? [])
      .filter((item) => item.type !== 'mail')
      .map(
        ({ signatures: _signatures, scans: _scans, presignWindow: _window, presignCount: _count, ...item }) =>
          item,
      );
  }

  async function assignment(unitId: string): Promise<Assignment> {
    return (await stack.deps.submissions.getAssignment(PLAN, YEAR, unitId))!;
  }

  /**
   * Submits `files` as the upload page does (the first request declares them all), waits until
   * the version is recorded, and returns its number.
   */
  async function submit(
    unitId: string,
    files: LocalFile[],
    notes: Record<string, string> = {},
    withManifest = true,
  ): Promise<number> {
    const t = await token(unitId);
    let submission: number | undefined;
    for (const [i, file] of files.entries()) {
      const res = await call('POST', `/u/${t}/uploads`, {
        fileName: file.fileName,
        contentType: PDF,
        size: file.bytes.length,
        ...(i === 0
          ? { fileCount: files.length, notes, ...(withManifest ? { files: files.map(declared) } : {}) }
          : { submission }),
      });
      expect(res.statusCode, res.body).toBe(201);
      const grant = JSON.parse(res.body!) as UploadGrant;
      submission = grant.submission;
      const form = new FormData();
      for (const [k, v] of Object.entries(grant.fields)) form.append(k, v);
      form.append('file', new Blob([new Uint8Array(file.bytes)], { type: PDF }), file.fileName);
      expect((await fetch(grant.url, { method: 'POST', body: form })).status).toBeLessThan(300);
    }
    await eventually(async () => {
      const a = await assignment(unitId);
      return a.latestVersion === submission &&
        a.files.length === files.length &&
        !a.drafts?.[String(submission)]
        ? true
        : undefined;
    });
    return submission!;
  }

  it('refuses the same two files (in another order, same notes) with the receipt number, writing nothing', async () => {
    // Prepare: version 1 holds the report and its annex.
    const notes = { '1': 'Đã số hóa toàn bộ sổ sách.' };
    expect(await submit('cb-a', [REPORT, ANNEX], notes)).toBe(1);
    const before = await partition();
    // Act: the unit presses the button again with the same files, listed the other way round.
    const res = await call('POST', `/u/${await token('cb-a')}/uploads`, {
      fileName: ANNEX.fileName,
      contentType: PDF,
      size: ANNEX.bytes.length,
      fileCount: 2,
      notes: { '1': '  Đã số hóa toàn bộ sổ sách.\r\n' },
      files: [declared(ANNEX), declared(REPORT)],
    });
    // Assess: 409 with a Vietnamese message naming the version; no draft, no counter, no version.
    expect(res.statusCode).toBe(409);
    const { error } = JSON.parse(res.body!) as { error: { code: string; message: string } };
    expect(error.code).toBe('ALREADY_RECEIVED');
    expect(error.message).toMatch(
      /^Các tệp này đã được nhận ở lần nộp số 1, cùng tên, kích thước và mã SHA-256/,
    );
    expect(await partition()).toEqual(before);
    // The status still shows version 1 as the one that counts, with its receipt.
    const status = JSON.parse((await call('GET', `/u/${await token('cb-a')}/status`)).body!) as {
      latestVersion: number;
      versionsBegun: number;
      versions: { version: number; files: { sha256: string }[] }[];
    };
    expect(status).toMatchObject({ latestVersion: 1, versionsBegun: 1 });
    expect(status.versions.map((v) => v.version)).toEqual([1]);
    expect(status.versions[0]!.files.map((f) => f.sha256).sort()).toEqual(
      [sha256(REPORT.bytes), sha256(ANNEX.bytes)].sort(),
    );
  });

  it('records a new version when anything differs: the notes, one file’s content, or fewer files', async () => {
    const notes = { '1': 'Đã số hóa toàn bộ sổ sách.' };
    // Same files, notes changed: the notes are part of what the unit reports.
    expect(await submit('cb-a', [REPORT, ANNEX], { '1': 'Đã số hóa và lưu trữ toàn bộ sổ sách.' })).toBe(2);
    // Same names and sizes, one byte changed in the annex.
    const edited: LocalFile = { fileName: ANNEX.fileName, bytes: Buffer.from(ANNEX.bytes) };
    edited.bytes[edited.bytes.length - 3] = 0x58;
    expect(edited.bytes.length).toBe(ANNEX.bytes.length);
    expect(await submit('cb-a', [REPORT, edited], { '1': 'Đã số hóa và lưu trữ toàn bộ sổ sách.' })).toBe(3);
    // Only the report, without the annex.
    expect(await submit('cb-a', [REPORT], notes)).toBe(4);
    // And the same as version 4 again is refused.
    const again = await call('POST', `/u/${await token('cb-a')}/uploads`, {
      fileName: REPORT.fileName,
      contentType: PDF,
      size: REPORT.bytes.length,
      fileCount: 1,
      notes,
      files: [declared(REPORT)],
    });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('lần nộp số 4');
    expect((await assignment('cb-a')).versionCounter).toBe(4);
  });

  it('still records a submission that declares no files (an older page, another client)', async () => {
    expect(await submit('cb-b', [REPORT], {}, false)).toBe(1);
    expect(await submit('cb-b', [REPORT], {}, false)).toBe(2);
  });

  it('refuses a malformed declaration with a Vietnamese message and writes nothing', async () => {
    const t = await token('cb-b');
    const base = { fileName: REPORT.fileName, contentType: PDF, size: REPORT.bytes.length, fileCount: 1 };
    const good = declared(REPORT);
    const cases: [unknown, RegExp][] = [
      [{ ...base, files: [{ ...good, sha256: 'abc' }] }, /SHA-256 không phải 64 chữ số hệ 16/],
      [{ ...base, files: [{ ...good, sha256: `${'g'.repeat(64)}` }] }, /SHA-256 không phải 64 chữ số/],
      [{ ...base, files: [good, good] }, /có 2 tệp, khác với số tệp của lần nộp \(1\)/],
      [{ ...base, files: [{ ...good, fileName: 'khac.pdf' }] }, /không có trong danh sách tệp/],
      [{ ...base, files: [{ ...good, size: 0 }] }, /kích thước không hợp lệ/],
      [{ ...base, files: [{ ...good, fileName: 'a'.repeat(201) }] }, /thiếu tên/],
      [{ ...base, files: [] }, /Danh sách tệp \(files\) phải gồm/],
      [{ ...base, fileCount: 10, files: Array.from({ length: 11 }, () => good) }, /Danh sách tệp \(files\)/],
      [{ ...base, files: [{ ...good, extra: '=cmd|' }] }, /Danh sách tệp \(files\)|không được hỗ trợ/],
      [{ ...base, files: 'not a list' }, /Danh sách tệp \(files\)/],
      [
        {
          fileName: REPORT.fileName,
          contentType: PDF,
          size: REPORT.bytes.length,
          submission: 2,
          files: [good],
        },
        /chỉ gửi kèm tệp đầu tiên/,
      ],
    ];
    const before = await partition();
    for (const [body, message] of cases) {
      const res = await call('POST', `/u/${t}/uploads`, body);
      expect(res.statusCode, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect((JSON.parse(res.body!) as { error: { message: string } }).error.message).toMatch(message);
    }
    expect(await partition()).toEqual(before);
  });
});
