import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { signIn } from '#test/support/sign-in.ts';

describe('HTTP adapter in front of the Lambda handlers (local mode)', () => {
  let stack: TestStack;
  let cookie: string;
  const get = (path: string) => fetch(`${stack.appUrl}${path}`, { headers: { Cookie: cookie } });

  beforeAll(async () => {
    stack = await startTestStack({ demo: true, clock: fixedClock('2026-11-29T02:00:00Z') });
    ({ cookie } = await signIn(stack, 'vanphong@demo.baocao.example'));
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('redirects / to the committee page', async () => {
    const res = await fetch(`${stack.appUrl}/`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin');
  });

  it('serves the committee page in Vietnamese with the demo plan and safe headers', async () => {
    const res = await get('/admin');
    const body = await res.text();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(body).toContain('<html lang="vi">');
    expect(body).toContain('Kế hoạch số 12-KH/ĐUS');
    expect(body).toContain('Năm 2026');
  });

  it('shows the period status with every demo unit still to report', async () => {
    const res = await get('/admin/plans/12-kh-dus-2025/2026');
    const body = await res.text();
    expect(res.status).toBe(200);
    expect(body).toContain('Hạn nộp: <strong>15/12/2026</strong>');
    expect(body.match(/data-unit-id=/g)).toHaveLength(10);
    expect(body).toContain('Chi bộ Báo chí, Xuất bản');
  });

  it('answers JSON under /api for the same data', async () => {
    const res = await get('/api/plans/12-kh-dus-2025/periods/2026');
    const body = (await res.json()) as { expected: number; completeness: number; rows: unknown[] };
    expect(res.status).toBe(200);
    expect(body.expected).toBe(10);
    expect(body.completeness).toBe(0);
    expect(body.rows).toHaveLength(10);
  });

  it.each([
    ['/admin/plans/khong-co', 404],
    ['/admin/plans/12-kh-dus-2025/1999', 400],
    ['/admin/plans/12-kh-dus-2025/2030', 404],
    ['/admin/khong-co-trang-nay', 404],
  ])('answers %s with a clear Vietnamese page (%i)', async (path, status) => {
    const res = await get(path);
    expect(res.status).toBe(status);
    expect(await res.text()).toMatch(/Không|không/);
  });

  it('answers JSON errors without internals', async () => {
    const res = await get('/api/plans/%E0%A4%A');
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(res.status).toBe(404);
    expect(body.error.code).toBe('NOT_FOUND');
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts|stack/i);
  });

  it('refuses a POST to a committee page without the CSRF token', async () => {
    const res = await fetch(`${stack.appUrl}/admin`, {
      method: 'POST',
      body: 'x=1',
      headers: { Cookie: cookie },
    });
    expect(res.status).toBe(403);
  });

  it('refuses an invalid upload link with a Vietnamese page and no data', async () => {
    const res = await fetch(`${stack.appUrl}/u/any-token`);
    expect(res.status).toBe(404);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await res.text()).toContain('Liên kết không hợp lệ. Hãy mở lại liên kết trong e-mail mới nhất.');
  });

  it('answers JSON errors on the upload API of an invalid link', async () => {
    const res = await fetch(`${stack.appUrl}/u/any-token/uploads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fileName: 'a.pdf', contentType: 'application/pdf', size: 1 }),
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: {
        code: 'LINK_INVALID',
        message: 'Liên kết không hợp lệ. Hãy mở lại liên kết trong e-mail mới nhất.',
      },
    });
  });
});
