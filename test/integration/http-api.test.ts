import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, startTestStack, type TestStack } from '#test/support/local-stack.ts';

describe('HTTP adapter in front of the Lambda handlers (local mode)', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack({ demo: true, clock: fixedClock('2026-11-29T02:00:00Z') });
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
    const res = await fetch(`${stack.appUrl}/admin`);
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
    const res = await fetch(`${stack.appUrl}/admin/plans/12-kh-dus-2025/2026`);
    const body = await res.text();
    expect(res.status).toBe(200);
    expect(body).toContain('Hạn nộp: <strong>15/12/2026</strong>');
    expect(body.match(/data-unit-id=/g)).toHaveLength(10);
    expect(body).toContain('Chi bộ Báo chí, Xuất bản');
  });

  it('answers JSON under /api for the same data', async () => {
    const res = await fetch(`${stack.appUrl}/api/plans/12-kh-dus-2025/periods/2026`);
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
    const res = await fetch(`${stack.appUrl}${path}`);
    expect(res.status).toBe(status);
    expect(await res.text()).toMatch(/Không|không/);
  });

  it('answers JSON errors without internals', async () => {
    const res = await fetch(`${stack.appUrl}/api/plans/%E0%A4%A`);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(res.status).toBe(404);
    expect(body.error.code).toBe('NOT_FOUND');
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts|stack/i);
  });

  it('refuses state-changing methods on the read-only committee pages', async () => {
    const res = await fetch(`${stack.appUrl}/admin`, { method: 'POST', body: 'x=1' });
    expect(res.status).toBe(404);
  });

  it('says plainly that upload links are not available yet', async () => {
    const res = await fetch(`${stack.appUrl}/u/any-token`);
    expect(res.status).toBe(501);
    expect(await res.text()).toContain('chưa được bật');
  });
});
