/**
 * Every event kind wired so far (docs/audit.md, "What is logged") appears exactly once in the
 * audit log for the action that causes it, driven through the real handlers on the emulators:
 * the committee's JSON API (members, units, plans, a unit's link, deadline and file, exports),
 * the exporter, and the daily planner (links issued, reminders, digests). Each record names the
 * member (or the system part) that acted, its target, the request id and the client IP. A refused
 * action records nothing. The chain still verifies at the end.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditDeps, createAuditRecords } from '#functions/wiring/create-audit-deps.ts';
import { runLocalPlanner } from '#local/invoke-planner.ts';
import type { AuditRecord } from '#shared/audit/record.ts';
import { verifyAuditChain } from '#shared/audit/verify.ts';
import { addDays, localDate, startOfLocalDay } from '#shared/domain/calendar.ts';
import { openPeriod } from '#shared/periods/periods.ts';
import { importPlan } from '#shared/plans/plans.ts';
import { importUnits } from '#shared/units/units.ts';
import { startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { requestSignInLink, signIn } from '#test/support/sign-in.ts';
import { eventually, uploadAsUnit } from '#test/support/uploads.ts';

const DEMO_PLAN = new URL('../../local/demo/ke-hoach-12-KH-DUS.txt', import.meta.url);
const PLAN = '12-kh-dus-2025';
const OFFICE = 'vanphong@demo.baocao.example';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

describe('the audit log records each action once (emulators, real handlers)', () => {
  let stack: TestStack;
  let session: { cookie: string; csrf: string };
  let year: number;
  let deadline: string;
  let base: string;

  const api = (path: string, init: { method?: string; body?: unknown } = {}) =>
    fetch(`${stack.appUrl}${path}`, {
      method: init.method ?? 'GET',
      redirect: 'manual',
      headers: { Cookie: session.cookie, 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrf },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });

  async function records(): Promise<AuditRecord[]> {
    const out: AuditRecord[] = [];
    for await (const page of createAuditRecords(stack.runtime).store.pages('committee')) {
      out.push(...page.map((p) => p.record));
    }
    return out;
  }

  /** Runs `action` and returns the records it appended. */
  async function appendedBy(action: () => Promise<unknown>): Promise<AuditRecord[]> {
    const before = (await records()).length;
    await action();
    return (await records()).slice(before);
  }

  beforeAll(async () => {
    stack = await startTestStack();
    const today = localDate(new Date(), stack.config.TIME_ZONE);
    deadline = addDays(today, 7);
    year = Number(today.slice(0, 4));
    await importUnits(
      stack.deps,
      'id,name,email\ncb-a,Chi bộ A,a@example.org\ncb-b,Chi bộ B,b@example.org\n',
    );
    await importPlan(stack.deps, await readFile(DEMO_PLAN), 'ke-hoach.txt');
    await openPeriod(stack.deps, { planId: PLAN, year, deadline });
    session = await signIn(stack, OFFICE);
    base = `/api/plans/${PLAN}/periods/${year}`;
  });
  afterAll(async () => {
    await stack.stop();
  });

  const eightOn = (day: string) =>
    new Date(startOfLocalDay(day, stack.config.TIME_ZONE).getTime() + 8 * 3_600_000);
  const system = { type: 'system', id: 'planner' };

  it('link.issued: once per period when the planner queues the links (before any other action)', async () => {
    const firstRun = await appendedBy(() =>
      runLocalPlanner(stack.runtime, eightOn(localDate(new Date(), stack.config.TIME_ZONE))),
    );
    expect(firstRun.filter((r) => r.kind === 'link.issued')).toMatchObject([
      { actor: system, target: { planId: PLAN, year }, details: { units: 2 } },
    ]);
  });

  it.each([
    [
      'member.changed',
      () =>
        api('/api/members', { method: 'POST', body: { email: 'bithu@demo.baocao.example', role: 'viewer' } }),
      { memberEmail: 'bithu@demo.baocao.example' },
    ],
    [
      'unit.changed',
      () =>
        api('/api/units', { method: 'POST', body: { id: 'cb-c', name: 'Chi bộ C', email: 'c@example.org' } }),
      { unitId: 'cb-c' },
    ],
    [
      'plan.changed',
      () => api(`/api/plans/${PLAN}/recipients`, { method: 'POST', body: { unitIds: null, confirm: true } }),
      { planId: PLAN },
    ],
    [
      'link.resent',
      () => api(`/api/plans/${PLAN}/periods/${year}/units/cb-a/resend`, { method: 'POST' }),
      { planId: PLAN, unitId: 'cb-a' },
    ],
    [
      'link.revoked',
      () => api(`/api/plans/${PLAN}/periods/${year}/units/cb-b/revoke`, { method: 'POST' }),
      { planId: PLAN, unitId: 'cb-b' },
    ],
    [
      'deadline.extended',
      () =>
        api(`/api/plans/${PLAN}/periods/${year}/units/cb-b/extension`, {
          method: 'POST',
          body: { until: addDays(deadline, 5) },
        }),
      { unitId: 'cb-b' },
    ],
  ] as const)(
    '%s: once, with the member, the target, the request id and the IP',
    async (kind, act, target) => {
      // Act
      const appended = await appendedBy(async () => {
        const res = await act();
        expect(res.status).toBeLessThan(400);
      });
      // Assess
      expect(appended.map((r) => r.kind)).toEqual([kind]);
      expect(appended[0]).toMatchObject({ actor: { type: 'member', id: OFFICE }, target, outcome: 'ok' });
      expect(appended[0]!.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(appended[0]!.ipHash).toMatch(/^[0-9a-f]{64}$/);
    },
  );

  it('records nothing for a refused action, nor for a preview', async () => {
    const appended = await appendedBy(async () => {
      const res = await api(`${base}/units/cb-b/extension`, { method: 'POST', body: { until: '31/12' } });
      expect(res.status).toBe(400);
      const preview = await api(`/api/plans/${PLAN}/recipients`, {
        method: 'POST',
        body: { unitIds: ['cb-a'] },
      });
      expect(preview.status).toBe(200);
      const form = await fetch(`${stack.appUrl}/admin/plans/${PLAN}/recipients`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          Cookie: session.cookie,
          'Content-Type': 'application/x-www-form-urlencoded',
          Origin: stack.appUrl,
        },
        body: new URLSearchParams({ csrf: session.csrf, units: 'cb-a' }),
      });
      expect(form.status).toBe(200);
    });
    expect(appended).toEqual([]);
  });

  it('download.file: once for a unit’s file handed out', async () => {
    await uploadAsUnit(stack.runtime, PLAN, year, 'cb-a', {
      name: 'Báo cáo.pdf',
      type: 'application/pdf',
      bytes: PDF,
    });
    const assignment = await eventually(async () => {
      const a = await stack.deps.submissions.getAssignment(PLAN, year, 'cb-a');
      return a?.files.length ? a : undefined;
    });
    // Its signature check and malware scan first: their records are not the download's (nor the
    // export's, below). Each is queued once the file is recorded: wait until both results are kept.
    const uploadId = assignment.files[0]!.uploadId;
    await eventually(async () => {
      await stack.signatureQueue.drain();
      await stack.scanQueue.drain();
      const a = await stack.deps.submissions.getAssignment(PLAN, year, 'cb-a');
      return a?.signatures?.[uploadId] && a.scans?.[uploadId] ? true : undefined;
    });
    const appended = await appendedBy(async () => {
      expect((await api(`${base}/units/cb-a/files/${assignment.files[0]!.uploadId}`)).status).toBe(303);
    });
    expect(appended.map((r) => [r.kind, r.target.unitId])).toEqual([['download.file', 'cb-a']]);
  });

  it('export.started, export.built and download.export: once each', async () => {
    let exportId = '';
    const started = await appendedBy(async () => {
      const res = await api(`${base}/exports`, { method: 'POST' });
      expect(res.status).toBe(202);
      exportId = ((await res.json()) as { export: { exportId: string } }).export.exportId;
    });
    const built = await appendedBy(() => stack.exportRunner.drain());
    const downloaded = await appendedBy(async () => {
      expect((await api(`${base}/exports/${exportId}`)).status).toBe(303);
    });
    expect(started.map((r) => r.kind)).toEqual(['export.started']);
    expect(built.map((r) => [r.kind, r.actor, r.target.ref])).toEqual([
      ['export.built', { type: 'system', id: 'exporter' }, exportId],
    ]);
    expect(downloaded.map((r) => [r.kind, r.target.ref])).toEqual([['download.export', exportId]]);
  });

  it('digest.sent and reminder.sent: once per period and run of the planner', async () => {
    // The day after the deadline: the digest; cb-b's extended deadline (+5) is 4 days later.
    const afterDeadline = await appendedBy(() =>
      runLocalPlanner(stack.runtime, eightOn(addDays(deadline, 1))),
    );
    const dayBeforeExtended = await appendedBy(() =>
      runLocalPlanner(stack.runtime, eightOn(addDays(deadline, 4))),
    );
    expect(afterDeadline.filter((r) => r.kind === 'digest.sent')).toMatchObject([
      {
        actor: system,
        target: { planId: PLAN, year },
        details: { day: addDays(deadline, 1), occasion: 'after_deadline' },
      },
    ]);
    expect(afterDeadline.filter((r) => r.kind === 'reminder.sent').length).toBeLessThanOrEqual(1);
    expect(dayBeforeExtended.filter((r) => r.kind === 'reminder.sent')).toMatchObject([
      { actor: system, target: { planId: PLAN, year }, details: { units: 1 } },
    ]);
  });

  it('sign-in: once when a member confirms a link and once when they sign out; a used link records nothing', async () => {
    // Act
    let link = '';
    const signedIn = await appendedBy(async () => {
      link = await requestSignInLink(stack, OFFICE);
      const confirmed = await fetch(link, {
        method: 'POST',
        redirect: 'manual',
        headers: { Origin: stack.appUrl },
      });
      expect(confirmed.status).toBe(303);
      const cookie = confirmed.headers.getSetCookie()[0]!.split(';')[0]!;
      const { csrf } = (await (
        await fetch(`${stack.appUrl}/api/session`, { headers: { Cookie: cookie } })
      ).json()) as {
        csrf: string;
      };
      const out = await fetch(`${stack.appUrl}/admin/sign-out`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          Cookie: cookie,
          Origin: stack.appUrl,
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ csrf }),
      });
      expect(out.status).toBe(303);
    });
    const reused = await appendedBy(() =>
      fetch(link, { method: 'POST', redirect: 'manual', headers: { Origin: stack.appUrl } }),
    );

    // Assess — an export started by an earlier test may finish meanwhile: only sign-ins count.
    const signIns = signedIn.filter((r) => r.kind === 'sign-in');
    expect(signIns).toMatchObject([
      {
        kind: 'sign-in',
        actor: { type: 'member', id: OFFICE },
        details: { action: 'sign-in', role: 'admin' },
      },
      { kind: 'sign-in', actor: { type: 'member', id: OFFICE }, details: { action: 'sign-out' } },
    ]);
    expect(signIns[0]!.requestId).toBeTruthy();
    expect(reused.filter((r) => r.kind === 'sign-in')).toEqual([]);
  });

  it('keeps a chain that verifies, and shows the records on the page and as JSON', async () => {
    const report = await verifyAuditChain(createAuditDeps(stack.runtime));
    expect(report.chainProblem).toBeUndefined();
    expect(report.records).toBe((await records()).length);
    const json = (await (await api('/api/audit?kind=member.changed')).json()) as { records: AuditRecord[] };
    expect(json.records.map((r) => r.target.memberEmail)).toEqual(['bithu@demo.baocao.example']);
    const page = await fetch(`${stack.appUrl}/admin/audit?unit=cb-c`, {
      headers: { Cookie: session.cookie },
    });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<h1>Nhật ký</h1>');
    expect(html).toContain('data-kind="unit.changed"');
    expect(html).not.toContain('data-kind="link.resent"');
  });

  it('hands out the filtered records as .xlsx', async () => {
    const res = await api('/admin/audit.xlsx?kind=unit.changed');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="nhat-ky-\d{4}-\d\d-\d\d\.xlsx"$/,
    );
    expect(
      Buffer.from(await res.arrayBuffer())
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');
  });

  it.each([
    ['since=31%2F02%2F2026', 'Ngày bắt đầu không hợp lệ: &quot;31/02/2026&quot;'],
    ['since=01%2F12%2F2026&until=01%2F11%2F2026', 'Ngày kết thúc phải sau hoặc bằng ngày bắt đầu.'],
    [`unit=${'x'.repeat(5000)}`, 'Bộ lọc &quot;unit&quot; dài quá 100 ký tự.'],
    ['unit=%3Cscript%3E', 'Mã đơn vị không hợp lệ: &quot;&lt;script&gt;&quot;'],
    ['since=01%2F12%2F2026&since=02%2F12%2F2026', 'Bộ lọc &quot;since&quot; chỉ được nhập một lần.'],
    ['kind=%3Dcmd%7Ccalc', 'Loại sự kiện không có: &quot;=cmd|calc&quot;.'],
    ['actor=%00%01', 'Bộ lọc &quot;actor&quot; chứa ký tự không hợp lệ.'],
  ])(
    'refuses the filter %s in Vietnamese, on the page, its JSON and its workbook',
    async (query, message) => {
      const page = await api(`/admin/audit?${query}`);
      const json = await api(`/api/audit?${query}`);
      const xlsx = await api(`/admin/audit.xlsx?${query}`);
      expect([page.status, json.status, xlsx.status]).toEqual([400, 400, 400]);
      const html = await page.text();
      expect(html).toContain(message);
      expect(html).toContain('href="/admin/audit">Xem 30 ngày gần nhất</a>');
      const body = (await json.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('VALIDATION_FAILED');
      expect(await xlsx.text()).toContain(message);
    },
  );
});
