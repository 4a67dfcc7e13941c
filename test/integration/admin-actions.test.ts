import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDate } from '#shared/domain/calendar.ts';
import { openPeriod } from '#shared/periods/periods.ts';
import { importPlan } from '#shared/plans/plans.ts';
import { importUnits } from '#shared/units/units.ts';
import { startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { clearEmails, storedEmails } from '#test/support/mail.ts';
import { signIn } from '#test/support/sign-in.ts';
import { eventually, uploadAsUnit } from '#test/support/uploads.ts';

const DEMO_PLAN = new URL('../../local/demo/ke-hoach-12-KH-DUS.txt', import.meta.url);
const PLAN = '12-kh-dus-2025';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

describe('committee actions on a period (signed in, against the emulators)', () => {
  let stack: TestStack;
  let session: { cookie: string; csrf: string };
  let year: number;
  let deadline: string;
  let base: string;

  const api = (path: string, init: { method?: string; body?: unknown; csrf?: string | null } = {}) =>
    fetch(`${stack.appUrl}${path}`, {
      method: init.method ?? 'GET',
      redirect: 'manual',
      headers: {
        Cookie: session.cookie,
        'Content-Type': 'application/json',
        ...(init.csrf === null ? {} : { 'X-CSRF-Token': init.csrf ?? session.csrf }),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });

  beforeAll(async () => {
    stack = await startTestStack();
    const today = localDate(new Date(), stack.config.TIME_ZONE);
    deadline = addDays(today, 10);
    year = Number(today.slice(0, 4));
    await importUnits(
      stack.deps,
      'id,name,email\ncb-a,Chi bộ A,a@example.org\ncb-b,Chi bộ B,b@example.org\n',
    );
    await importPlan(stack.deps, await readFile(DEMO_PLAN), 'ke-hoach.txt');
    await openPeriod(stack.deps, { planId: PLAN, year, deadline });
    session = await signIn(stack, 'vanphong@demo.baocao.example');
    base = `/api/plans/${PLAN}/periods/${year}`;
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('re-sends a unit its link by e-mail', async () => {
    await clearEmails(stack.mailUrl);
    const res = await api(`${base}/units/cb-a/resend`, { method: 'POST' });
    await stack.mailQueue.drain();
    expect(res.status).toBe(200);
    const mails = await storedEmails(stack.mailUrl);
    expect(mails.map((m) => [m.destination.to[0], m.subject])).toEqual([
      ['a@example.org', expect.stringMatching(/^\[12-KH\/ĐUS\] Liên kết nộp báo cáo năm \d{4}/)],
    ]);
  });

  it('grants an extension within the period and refuses one outside it, changing nothing', async () => {
    const bad = await api(`${base}/units/cb-b/extension`, {
      method: 'POST',
      body: { until: addDays(deadline, -1) },
    });
    const garbage = await api(`${base}/units/cb-b/extension`, { method: 'POST', body: { until: '31/12' } });
    expect([bad.status, garbage.status]).toEqual([400, 400]);
    expect((await stack.deps.submissions.getAssignment(PLAN, year, 'cb-b'))?.extendedDeadline).toBeNull();
    const ok = await api(`${base}/units/cb-b/extension`, {
      method: 'POST',
      body: { until: addDays(deadline, 5) },
    });
    expect(ok.status).toBe(200);
    expect((await stack.deps.submissions.getAssignment(PLAN, year, 'cb-b'))?.extendedDeadline).toBe(
      addDays(deadline, 5),
    );
  });

  it.each([
    ['an unknown unit', `/units/khong-co/resend`, 404],
    ['an unknown action', `/units/cb-a/xoa`, 404],
  ])('refuses %s', async (_name, path, status) => {
    const res = await api(`${base}${path}`, { method: 'POST' });
    expect(res.status).toBe(status);
  });

  it('refuses an action without the CSRF token or with a body that is not JSON', async () => {
    const noToken = await api(`${base}/units/cb-a/revoke`, { method: 'POST', csrf: null });
    const notJson = await fetch(`${stack.appUrl}${base}/units/cb-a/extension`, {
      method: 'POST',
      headers: { Cookie: session.cookie, 'X-CSRF-Token': session.csrf, 'Content-Type': 'application/json' },
      body: '{"until":',
    });
    expect([noToken.status, notJson.status]).toEqual([403, 400]);
    expect((await stack.deps.submissions.getAssignment(PLAN, year, 'cb-a'))?.linkVersion).toBe(1);
  });

  it('hands out a unit’s file only through a fresh presigned URL, and only for a recorded file', async () => {
    await uploadAsUnit(stack.runtime, PLAN, year, 'cb-a', {
      name: 'Báo cáo.pdf',
      type: 'application/pdf',
      bytes: PDF,
    });
    const assignment = await eventually(async () => {
      const a = await stack.deps.submissions.getAssignment(PLAN, year, 'cb-a');
      return a?.files.length ? a : undefined;
    });
    const file = assignment.files[0]!;
    const res = await api(`${base}/units/cb-a/files/${file.uploadId}`);
    expect(res.status).toBe(303);
    const url = new URL(res.headers.get('location')!);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    const bytes = Buffer.from(await (await fetch(url)).arrayBuffer());
    expect(bytes.equals(PDF)).toBe(true);
    // Another unit's path, or an unknown id, gets nothing.
    expect((await api(`${base}/units/cb-b/files/${file.uploadId}`)).status).toBe(404);
    expect((await api(`${base}/units/cb-a/files/khong-co`)).status).toBe(404);
    // Without a session: no redirect to storage at all.
    const anonymous = await fetch(`${stack.appUrl}${base}/units/cb-a/files/${file.uploadId}`, {
      redirect: 'manual',
    });
    expect(anonymous.status).toBe(401);
  });

  it('starts an export, lists it, and hands out the ZIP when it is ready', async () => {
    const started = await api(`${base}/exports`, { method: 'POST' });
    expect(started.status).toBe(202);
    const { export: record } = (await started.json()) as { export: { exportId: string; state: string } };
    expect(record.state).toBe('building');
    await stack.exportRunner.drain();
    const list = (await (await api(`${base}/exports`)).json()) as {
      exports: { exportId: string; state: string }[];
    };
    expect(list.exports[0]).toMatchObject({ exportId: record.exportId, state: 'ready' });
    const zip = await api(`${base}/exports/${record.exportId}`);
    expect(zip.status).toBe(303);
    const bytes = Buffer.from(await (await fetch(zip.headers.get('location')!)).arrayBuffer());
    expect(bytes.subarray(0, 4).toString('hex')).toBe('504b0304');
  });

  it('refuses an export of a period that does not exist, and records none', async () => {
    const res = await api(`/api/plans/${PLAN}/periods/2031/exports`, { method: 'POST' });
    expect(res.status).toBe(404);
    const list = await api(`/api/plans/${PLAN}/periods/2031/exports`);
    expect(((await list.json()) as { exports: unknown[] }).exports).toEqual([]);
  });

  it('shows a unit’s record across years', async () => {
    const res = await api('/api/units/cb-a');
    const body = (await res.json()) as { unit: { name: string }; rows: { year: number; status: string }[] };
    expect(body.unit.name).toBe('Chi bộ A');
    expect(body.rows).toEqual([expect.objectContaining({ year, status: 'on_time' })]);
    expect((await api('/api/units/khong-co')).status).toBe(404);
  });
});
