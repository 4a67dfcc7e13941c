import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handlePublicRequest } from '#functions/public-api.ts';
import { createUploadDeps } from '#functions/wiring/create-upload-deps.ts';
import { createDynamoDocumentClient, createS3Client } from '#shared/adapters/aws-clients.ts';
import { type Config, parseConfig } from '#shared/config.ts';
import { openPeriod } from '#shared/periods/periods.ts';
import { importPlan } from '#shared/plans/plans.ts';
import { importUnits } from '#shared/units/units.ts';
import type { UploadDeps } from '#shared/uploads/deps.ts';
import { issueLinkToken } from '#shared/uploads/link-token.ts';
import { linkFor, revokeLink } from '#shared/uploads/links.ts';
import type { UnitStatusView } from '#shared/uploads/unit-status.ts';
import { fixedClock, startTestStack, type TestStack } from '#test/support/local-stack.ts';

const DEMO_PLAN = new URL('../../local/demo/ke-hoach-12-KH-DUS.txt', import.meta.url);
const PLAN = '12-kh-dus-2025';
const PDF = 'application/pdf';
const OPENED_AT = '2026-11-20T03:00:00Z';
const REPORT_NAME = 'Báo cáo "năm 2026" 😀 ../x.pdf';
const REPORT_BYTES = new TextEncoder().encode('%PDF-1.7\n% test report\n%%EOF\n');

type Result = APIGatewayProxyStructuredResultV2;
interface Grant {
  url: string;
  fields: Record<string, string>;
  key: string;
  uploadId: string;
  submission: number;
  maxBytes: number;
  expiresAt: string;
}

/** The API Gateway v2 event of a request to the public routes. */
function event(
  method: string,
  path: string,
  body?: unknown,
  options: { base64?: boolean } = {},
): APIGatewayProxyEventV2 {
  const text = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  return {
    version: '2.0',
    routeKey: path.split('/').length > 3 ? 'ANY /u/{token}/{proxy+}' : 'GET /u/{token}',
    rawPath: path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'local',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      requestId: 'test',
      routeKey: '',
      stage: '$default',
      time: '',
      timeEpoch: 0,
    },
    isBase64Encoded: options.base64 ?? false,
    ...(text === undefined
      ? {}
      : { body: options.base64 ? Buffer.from(text, 'utf8').toString('base64') : text }),
  };
}

function json<T>(result: Result): T {
  return JSON.parse(result.body ?? '') as T;
}

function errorOf(result: Result): { code: string; message: string } {
  return json<{ error: { code: string; message: string } }>(result).error;
}

describe('unit uploads through signed links, against the local emulators', () => {
  let stack: TestStack;
  let secretsDir: string;
  let config: Config;
  let deps: UploadDeps;
  const clock = fixedClock(OPENED_AT);
  let firstGrant: Grant | undefined;
  let call: (method: string, path: string, body?: unknown, options?: { base64?: boolean }) => Promise<Result>;

  /** Every item of a period's partition: "nothing changed" compares these before and after. */
  async function periodItems(year = 2026): Promise<Record<string, unknown>[]> {
    const out = await createDynamoDocumentClient(config).send(
      new QueryCommand({
        TableName: config.SUBMISSIONS_TABLE,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `PERIOD#${PLAN}#${year}` },
        ConsistentRead: true,
      }),
    );
    return out.Items ?? [];
  }

  /**
   * Asserts that `act` leaves the period partition exactly as it was, but for the link's presign
   * counter on the assignment: a refused presign still counts against its link's limit (issue 18).
   */
  async function expectNothingWritten(act: () => Promise<unknown>): Promise<void> {
    const withoutCounter = (items: Record<string, unknown>[]) =>
      items.map(({ presignWindow: _window, presignCount: _count, ...item }) => item);
    const before = await periodItems();
    await act();
    expect(withoutCounter(await periodItems())).toEqual(withoutCounter(before));
  }

  async function postToStorage(
    grant: Grant,
    bytes: Uint8Array<ArrayBuffer>,
    fileName: string,
  ): Promise<Response> {
    const form = new FormData();
    for (const [name, value] of Object.entries(grant.fields)) form.append(name, value);
    form.append('file', new Blob([bytes], { type: PDF }), fileName);
    return fetch(grant.url, { method: 'POST', body: form });
  }

  beforeAll(async () => {
    stack = await startTestStack({ clock });
    secretsDir = await mkdtemp(join(tmpdir(), 'baocao-secrets-'));
    config = parseConfig({ ...stack.env, BAOCAO_SECRETS_DIR: secretsDir });
    deps = createUploadDeps({ ...stack.runtime, config }, { clock });
    call = (method, path, body, options) =>
      handlePublicRequest(event(method, path, body, options), deps, config);
    await importUnits(
      deps,
      [
        'id,name,email',
        'cb-a,Chi bộ A,a@example.org',
        'cb-b,"Chi bộ B, Phòng 2",b@example.org',
        'cb-c,Chi bộ C,c@example.org',
      ].join('\n'),
    );
    await importPlan(deps, await readFile(DEMO_PLAN), 'ke-hoach.txt');
    await openPeriod({ ...stack.deps, ...deps }, { planId: PLAN, year: 2026 });
  });
  afterAll(async () => {
    await stack?.stop();
    await rm(secretsDir, { recursive: true, force: true });
  });

  describe('links', () => {
    it('gives a unit its link under APP_URL, valid to the end of the close date, the same every time', async () => {
      // Act
      const link = await linkFor(deps, PLAN, 2026, 'cb-a');
      // Assess
      expect(link.url).toBe(`${stack.appUrl}/u/${link.token}`);
      expect(link.expiresAt.toISOString()).toBe('2027-01-14T17:00:00.000Z');
      expect((await linkFor(deps, PLAN, 2026, 'cb-a')).token).toBe(link.token);
      expect((await linkFor(deps, PLAN, 2026, 'cb-b')).token).not.toBe(link.token);
    });

    it('refuses links for a unit or period that does not exist, with a Vietnamese message', async () => {
      await expect(linkFor(deps, PLAN, 2026, 'cb-khong-co')).rejects.toThrow(
        expect.objectContaining({
          code: 'NOT_FOUND',
          userMessage: expect.stringContaining('không thuộc kỳ báo cáo'),
        }),
      );
      await expect(linkFor(deps, PLAN, 2030, 'cb-a')).rejects.toThrow(
        expect.objectContaining({ userMessage: expect.stringContaining('chưa có kỳ báo cáo năm 2030') }),
      );
    });

    it('keeps the link key in the secrets folder, readable by its owner only', async () => {
      const { stat } = await import('node:fs/promises');
      expect(((await stat(join(secretsDir, 'link-key'))).mode & 0o777).toString(8)).toBe('600');
    });
  });

  describe('GET /u/{token}: the upload page', () => {
    it('shows the plan, the unit, the deadline and the task groups, with strict headers', async () => {
      // Prepare
      const { token } = await linkFor(deps, PLAN, 2026, 'cb-b');
      // Act
      const res = await call('GET', `/u/${token}`);
      // Assess
      const body = res.body ?? '';
      const headers = res.headers ?? {};
      expect(res.statusCode).toBe(200);
      expect(headers['Content-Type']).toBe('text/html; charset=utf-8');
      expect(headers['Cache-Control']).toBe('no-store');
      expect(headers['Referrer-Policy']).toBe('no-referrer');
      expect(headers['X-Content-Type-Options']).toBe('nosniff');
      const csp = String(headers['Content-Security-Policy']);
      expect(csp).toMatch(/^default-src 'none'; /);
      expect(csp).toContain(`connect-src 'self' ${new URL(stack.endpoints.s3).origin}`);
      for (const directive of ["form-action 'none'", "frame-ancestors 'none'", "base-uri 'none'"]) {
        expect(csp).toContain(directive);
      }
      // The one inline script and both inline styles are allowed by their hashes, nothing else.
      const script = body.match(/<script>([\s\S]*?)<\/script>/)?.[1] ?? '';
      expect(csp).toContain(`script-src 'sha256-${createHash('sha256').update(script).digest('base64')}'`);
      for (const style of body.matchAll(/<style>([\s\S]*?)<\/style>/g)) {
        expect(csp).toContain(`'sha256-${createHash('sha256').update(style[1]!).digest('base64')}'`);
      }
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
      expect(body).toContain('<html lang="vi">');
      expect(body).toContain('Kế hoạch số 12-KH/ĐUS');
      expect(body).toContain('Chi bộ B, Phòng 2');
      expect(body).toContain('<strong>15/12/2026</strong>');
      expect(body).toContain('còn 25 ngày');
      expect(body).toContain('14/01/2027');
      expect(body.match(/<textarea /g)).toHaveLength(4);
      expect(body).toContain('<label for="note-1">1. Số hóa hồ sơ, văn bản và sổ sách của chi bộ</label>');
      expect(body).toMatch(/<input id="files" name="files" type="file" multiple accept="\.pdf,/);
      expect(body).toContain('aria-live="polite"');
      expect(body).not.toContain('b@example.org');
      expect(body).not.toContain(token);
    });

    it('counts the days late after the deadline', async () => {
      const { token } = await linkFor(deps, PLAN, 2026, 'cb-c');
      clock.set('2026-12-18T03:00:00Z');
      try {
        expect((await call('GET', `/u/${token}`)).body).toContain('đã trễ 3 ngày');
      } finally {
        clock.set(OPENED_AT);
      }
    });
  });

  describe('POST /u/{token}/uploads, then the browser posts to storage', () => {
    it('hands out a presigned POST for one server-chosen key, and records the draft and its grant', async () => {
      // Prepare
      const { token } = await linkFor(deps, PLAN, 2026, 'cb-a');
      // Act
      const res = await call('POST', `/u/${token}/uploads`, {
        fileName: REPORT_NAME,
        contentType: PDF,
        size: REPORT_BYTES.length,
        fileCount: 1,
        notes: { '1': 'Đã số hóa 80% hồ sơ.', '3': '' },
      });
      const grant = json<Grant>(res);
      firstGrant = grant;
      // Assess
      expect(res.statusCode).toBe(201);
      expect(res.headers?.['Cache-Control']).toBe('no-store');
      expect(grant).toMatchObject({ submission: 1, maxBytes: 25 * 1024 * 1024 });
      expect(grant.key).toBe(`uploads/${PLAN}/2026/cb-a/${grant.uploadId}`);
      expect(grant.uploadId).toMatch(/^1-[0-9a-f]{32}$/);
      expect(grant.url).toBe(`${stack.endpoints.s3}/${config.REPORTS_BUCKET}`);
      // A grant lives 5 minutes at most.
      expect(new Date(grant.expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(5 * 60_000);
      const items = await periodItems();
      // One write: the draft and its first grant on the assignment; no other item.
      expect(items.find((i) => i.sk === 'UNIT#cb-a')).toMatchObject({
        versionCounter: 1,
        linkVersion: 1,
        uploadDay: '2026-11-20',
        versionsOnDay: 1,
        drafts: {
          '1': {
            version: 1,
            expectedFiles: 1,
            issued: 1,
            linkVersion: 1,
            notes: { '1': 'Đã số hóa 80% hồ sơ.' },
            createdAt: '2026-11-20T03:00:00.000Z',
            grants: {
              [grant.uploadId]: {
                fileName: REPORT_NAME,
                contentType: PDF,
                declaredSize: REPORT_BYTES.length,
              },
            },
          },
        },
      });
      expect(items.filter((i) => String(i.sk).startsWith('VERSION#cb-a#'))).toEqual([]);
      expect(items.filter((i) => String(i.sk).startsWith('UPLOAD#'))).toEqual([]);
    });

    it('accepts a base64-encoded body', async () => {
      const { token } = await linkFor(deps, PLAN, 2026, 'cb-c');
      const res = await call(
        'POST',
        `/u/${token}/uploads`,
        { fileName: 'anh.png', contentType: 'image/png', size: 10 },
        { base64: true },
      );
      expect(res.statusCode).toBe(201);
      expect(json<Grant>(res).submission).toBe(1);
    });

    it('adds up to the announced number of files (at most 10) to one submission, then refuses', async () => {
      // Prepare
      const { token } = await linkFor(deps, PLAN, 2026, 'cb-b');
      const first = json<Grant>(
        await call('POST', `/u/${token}/uploads`, {
          fileName: 'f1.pdf',
          contentType: PDF,
          size: 1,
          fileCount: 10,
        }),
      );
      // Act
      for (let i = 2; i <= 10; i++) {
        const next = await call('POST', `/u/${token}/uploads`, {
          fileName: `f${i}.pdf`,
          contentType: PDF,
          size: 1,
          submission: first.submission,
        });
        expect(next.statusCode).toBe(201);
        expect(json<Grant>(next).submission).toBe(first.submission);
      }
      // Assess: the 11th file is refused and changes nothing.
      let eleventh: Result | undefined;
      await expectNothingWritten(async () => {
        eleventh = await call('POST', `/u/${token}/uploads`, {
          fileName: 'f11.pdf',
          contentType: PDF,
          size: 1,
          submission: first.submission,
        });
      });
      expect(eleventh?.statusCode).toBe(400);
      expect(errorOf(eleventh!).message).toBe(
        `Lần nộp số ${first.submission} đã đủ 10 tệp như đã khai báo (tối đa 10 tệp mỗi lần nộp); hãy bắt đầu lần nộp mới.`,
      );
      const unit = (await periodItems()).find((i) => i.sk === 'UNIT#cb-b') as {
        drafts: Record<string, unknown>;
      };
      expect(unit.drafts['1']).toMatchObject({ expectedFiles: 10, issued: 10 });
      expect(Object.keys((unit.drafts['1'] as { grants: object }).grants)).toHaveLength(10);
    });

    it('refuses a second file when one was announced, and any file after an hour', async () => {
      const { token } = await linkFor(deps, PLAN, 2026, 'cb-a');
      const more = { fileName: 'them.pdf', contentType: PDF, size: 5, submission: 1 };
      await expectNothingWritten(async () => {
        const res = await call('POST', `/u/${token}/uploads`, more);
        expect(res.statusCode).toBe(400);
        expect(errorOf(res).message).toContain('Lần nộp số 1 đã đủ 1 tệp');
      });
      const started = json<Grant>(
        await call('POST', `/u/${token}/uploads`, {
          fileName: 'a.pdf',
          contentType: PDF,
          size: 5,
          fileCount: 2,
        }),
      );
      clock.set('2026-11-20T04:00:01Z');
      try {
        await expectNothingWritten(async () => {
          const res = await call('POST', `/u/${token}/uploads`, { ...more, submission: started.submission });
          expect(res.statusCode).toBe(400);
          expect(errorOf(res).message).toBe(
            `Lần nộp số ${started.submission} đã bắt đầu hơn 1 giờ trước nên không nhận thêm tệp; hãy bắt đầu lần nộp mới.`,
          );
        });
      } finally {
        clock.set(OPENED_AT);
      }
    });

    it("refuses adding to another unit's submission number: each unit only sees its own", async () => {
      const { token } = await linkFor(deps, PLAN, 2026, 'cb-c');
      await expectNothingWritten(async () => {
        const res = await call('POST', `/u/${token}/uploads`, {
          fileName: 'x.pdf',
          contentType: PDF,
          size: 5,
          submission: 99,
        });
        expect(res.statusCode).toBe(400);
        expect(errorOf(res).message).toBe(
          'Không tìm thấy lần nộp số 99 đang tải lên của đơn vị; hãy bắt đầu lần nộp mới.',
        );
      });
    });

    it.each([
      ['an empty file', { fileName: 'a.pdf', contentType: PDF, size: 0 }, 'Tệp rỗng'],
      [
        'a file over the limit',
        { fileName: 'a.pdf', contentType: PDF, size: 25 * 1024 * 1024 + 1 },
        'vượt giới hạn 25 MB',
      ],
      [
        'an .exe',
        { fileName: 'a.exe', contentType: 'application/x-msdownload', size: 5 },
        'Không nhận loại tệp .exe',
      ],
      ['an .html', { fileName: 'a.html', contentType: 'text/html', size: 5 }, 'Không nhận loại tệp .html'],
      ['a .pdf declared text/html', { fileName: 'a.pdf', contentType: 'text/html', size: 5 }, 'không khớp'],
      ['eleven files', { fileName: 'a.pdf', contentType: PDF, size: 5, fileCount: 11 }, 'phải từ 1 đến 10'],
      [
        'notes for an unknown task group',
        { fileName: 'a.pdf', contentType: PDF, size: 5, notes: { '9': 'x' } },
        'Kế hoạch không có nhóm nhiệm vụ "9"',
      ],
      ['a body that is not JSON', '{"fileName": ', 'không phải JSON hợp lệ'],
      ['an empty body', '', 'không phải JSON hợp lệ'],
    ])('refuses %s with 400, a Vietnamese message, and writes nothing', async (_name, body, message) => {
      const { token } = await linkFor(deps, PLAN, 2026, 'cb-c');
      await expectNothingWritten(async () => {
        const res = await call('POST', `/u/${token}/uploads`, body);
        expect(res.statusCode).toBe(400);
        expect(errorOf(res)).toMatchObject({
          code: 'VALIDATION_FAILED',
          message: expect.stringContaining(message),
        });
      });
    });

    it('refuses a body over the size limit with 413 and writes nothing', async () => {
      const { token } = await linkFor(deps, PLAN, 2026, 'cb-c');
      await expectNothingWritten(async () => {
        const res = await call('POST', `/u/${token}/uploads`, { notes: { '1': 'x'.repeat(300_000) } });
        expect(res.statusCode).toBe(413);
        expect(errorOf(res).message).toContain('Dữ liệu gửi lên quá lớn');
      });
    });
  });

  describe('GET /u/{token}/status', () => {
    it("gives the unit's period and its own submissions newest first, without keys or others' data", async () => {
      // Prepare
      const { token } = await linkFor(deps, PLAN, 2026, 'cb-a');
      // Act
      const res = await call('GET', `/u/${token}/status`);
      const status = json<UnitStatusView>(res);
      // Assess
      expect(res.statusCode).toBe(200);
      expect(res.headers?.['Cache-Control']).toBe('no-store');
      expect(status.plan).toMatchObject({ number: '12-KH/ĐUS', taskGroups: expect.any(Array) });
      expect(status.plan.taskGroups).toHaveLength(4);
      expect(status.unit).toEqual({ id: 'cb-a', name: 'Chi bộ A' });
      expect(status.period).toMatchObject({
        year: 2026,
        deadline: '2026-12-15',
        closeDate: '2027-01-14',
        open: true,
        daysLeft: 25,
      });
      // Two submissions were begun; none has an object yet, so none is listed (a version exists
      // from its first object on).
      expect(status.versionsBegun).toBe(2);
      expect(status.versions).toEqual([]);
      expect(status.latestVersion).toBe(0);
      const text = JSON.stringify(status);
      expect(text).not.toMatch(/reports\/|uploads\/|uploadId|"key"|drafts|@example\.org|cb-b|cb-c/);
    });
  });

  describe('refused links: a clear Vietnamese answer, no data, nothing written', () => {
    const routes = [
      ['GET', '', undefined],
      ['GET', '/status', undefined],
      ['POST', '/uploads', { fileName: 'a.pdf', contentType: PDF, size: 5 }],
    ] as const;

    async function expectRefused(
      token: string,
      status: number,
      code: string,
      message: string,
    ): Promise<void> {
      await expectNothingWritten(async () => {
        for (const [method, suffix, body] of routes) {
          const res = await call(method, `/u/${token}${suffix}`, body);
          expect(res.statusCode).toBe(status);
          expect(res.headers?.['Cache-Control']).toBe('no-store');
          if (suffix === '') {
            expect(res.body).toContain(message);
            expect(res.body).not.toMatch(/Kế hoạch số|Chi bộ/);
          } else {
            expect(errorOf(res)).toEqual({ code, message: expect.stringContaining(message) });
          }
        }
      });
    }

    it('refuses a tampered token', async () => {
      const { token } = await linkFor(deps, PLAN, 2026, 'cb-a');
      const last = token.at(-5) === 'A' ? 'B' : 'A';
      const tampered = `${token.slice(0, -5)}${last}${token.slice(-4)}`;
      await expectRefused(
        tampered,
        404,
        'LINK_INVALID',
        'Liên kết không hợp lệ. Hãy mở lại liên kết trong e-mail mới nhất.',
      );
      await expectRefused('khong-phai-token', 404, 'LINK_INVALID', 'Liên kết không hợp lệ.');
    });

    it('refuses a genuine token for a period, plan or unit without an assignment like any invalid one', async () => {
      const key = await deps.keys.linkKey();
      const expiresAt = new Date('2027-01-14T17:00:00Z');
      for (const claims of [
        { planId: PLAN, year: 2025, unitId: 'cb-a' },
        { planId: 'khac-2025', year: 2026, unitId: 'cb-a' },
        { planId: PLAN, year: 2026, unitId: 'cb-khong-co' },
      ]) {
        const token = issueLinkToken(key, { ...claims, linkVersion: 1, expiresAt });
        await expectRefused(token, 404, 'LINK_INVALID', 'Liên kết không hợp lệ.');
      }
    });

    it('refuses an expired token once the period has closed', async () => {
      const { token } = await linkFor(deps, PLAN, 2026, 'cb-a');
      clock.set('2027-01-14T17:00:00Z');
      try {
        await expectRefused(token, 410, 'LINK_EXPIRED', 'đã hết hạn vì kỳ báo cáo đã đóng');
      } finally {
        clock.set(OPENED_AT);
      }
      // One millisecond earlier the same link still works.
      clock.set('2027-01-14T16:59:59.999Z');
      try {
        expect((await call('GET', `/u/${token}/status`)).statusCode).toBe(200);
      } finally {
        clock.set(OPENED_AT);
      }
    });

    it('refuses a revoked token, and only that unit’s: the new link works', async () => {
      // Prepare
      const old = await linkFor(deps, PLAN, 2026, 'cb-c');
      const other = await linkFor(deps, PLAN, 2026, 'cb-a');
      // Act
      const fresh = await revokeLink(deps, PLAN, 2026, 'cb-c');
      // Assess
      expect(fresh.token).not.toBe(old.token);
      await expectRefused(old.token, 410, 'LINK_REVOKED', 'Liên kết này đã được thay bằng liên kết mới');
      expect((await call('GET', `/u/${fresh.token}`)).statusCode).toBe(200);
      expect((await call('GET', `/u/${other.token}`)).statusCode).toBe(200);
      expect((await linkFor(deps, PLAN, 2026, 'cb-c')).token).toBe(fresh.token);
    });

    it('refuses a revocation for a unit without an assignment and changes nothing', async () => {
      await expectNothingWritten(async () => {
        await expect(revokeLink(deps, PLAN, 2026, 'cb-khong-co')).rejects.toThrow(
          expect.objectContaining({ code: 'NOT_FOUND' }),
        );
      });
    });

    it('refuses uploads in a closed period with 403', async () => {
      // Prepare: close the 2026 period early (as the committee would), then reopen it.
      const { token } = await linkFor(deps, PLAN, 2026, 'cb-a');
      const plans = createDynamoDocumentClient(config);
      const setStatus = (status: string) =>
        plans.send(
          new UpdateCommand({
            TableName: config.PLANS_TABLE,
            Key: { pk: `PERIODS#${PLAN}`, sk: 'YEAR#2026' },
            UpdateExpression: 'SET #s = :s',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: { ':s': status },
          }),
        );
      await setStatus('closed');
      try {
        // Act + Assess
        await expectRefused(token, 403, 'PERIOD_CLOSED', 'Kỳ báo cáo năm 2026 đã đóng (ngày 14/01/2027)');
      } finally {
        await setStatus('open');
      }
    });
  });

  describe('other requests', () => {
    it.each([
      ['PUT', '/uploads'],
      ['GET', '/uploads'],
      ['POST', ''],
      ['DELETE', ''],
      ['GET', '/khong-co'],
      ['GET', '/status/x'],
    ])('answers %s /u/{token}%s with 404', async (method, suffix) => {
      const { token } = await linkFor(deps, PLAN, 2026, 'cb-a');
      await expectNothingWritten(async () => {
        const res = await call(method, `/u/${token}${suffix}`);
        expect(res.statusCode).toBe(404);
        expect(res.headers?.['Cache-Control']).toBe('no-store');
        expect(res.body).toContain('Không tìm thấy');
      });
    });
  });

  // Last: once an object exists, the on-upload function (when the stack forwards S3 events)
  // may change the period's items, which the "nothing written" checks above must not see.
  describe('the browser posts the file to storage', () => {
    it('stores the file at the server’s key with its type and metadata', async () => {
      // Act
      const stored = await postToStorage(firstGrant!, REPORT_BYTES, REPORT_NAME);
      // Assess
      expect(stored.status).toBeLessThan(300);
      const head = await createS3Client(config).send(
        new HeadObjectCommand({ Bucket: config.REPORTS_BUCKET, Key: firstGrant!.key }),
      );
      expect(head.ContentLength).toBe(REPORT_BYTES.length);
      expect(head.ContentType).toBe(PDF);
      expect(head.Metadata).toMatchObject({
        'upload-id': firstGrant!.uploadId,
        filename: encodeURIComponent(REPORT_NAME),
      });
    });
  });
});
