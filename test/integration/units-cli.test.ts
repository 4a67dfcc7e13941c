/**
 * `baocao units list|retire|reinstate` and `baocao plan recipients`, run as the real executable
 * against a running local stack: Vietnamese help, output and errors (dates dd/mm/yyyy), `--json`
 * with ISO dates, and refusals that change nothing.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlannerDeps } from '#functions/wiring/create-planner-deps.ts';
import { addDays, formatDateVi, localDate } from '#shared/domain/calendar.ts';
import { openPeriod } from '#shared/periods/periods.ts';
import { announcePeriod } from '#shared/periods/run-planner.ts';
import { importPlan } from '#shared/plans/plans.ts';
import { importUnits } from '#shared/units/units.ts';
import { exposeToCli, runCli } from '#test/support/cli.ts';
import { startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { clearEmails, storedEmails } from '#test/support/mail.ts';

/** The CLI runs on the real clock: the period is opened around today. */
const TODAY = localDate(new Date(), 'Asia/Ho_Chi_Minh');
const YEAR = Number(TODAY.slice(0, 4));
const PLAN = '12-kh-dus-2025';
const DEMO_PLAN = new URL('../../local/demo/ke-hoach-12-KH-DUS.txt', import.meta.url);

describe('baocao units and plan recipients against a running local stack', () => {
  let stack: TestStack;
  let env: Record<string, string>;

  beforeAll(async () => {
    stack = await startTestStack();
    env = await exposeToCli(stack);
    await importUnits(
      stack.deps,
      'id,name,email,cc\ncb-a,Chi bộ A,a@example.org,pho-a@example.org\ncb-b,Chi bộ B,b@example.org,\ncb-c,Chi bộ C,c@example.org,\n',
    );
    await importPlan(stack.deps, await readFile(DEMO_PLAN), 'ke-hoach.txt');
    await openPeriod(stack.deps, { planId: PLAN, year: YEAR, deadline: addDays(TODAY, 20) });
    await announcePeriod(createPlannerDeps(stack.runtime), PLAN, YEAR, new Date());
    await stack.mailQueue.drain();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('lists the units in Vietnamese, and as JSON', async () => {
    const human = await runCli(['units', 'list'], env);
    const json = await runCli(['units', 'list', '--json'], env);
    expect(human.code).toBe(0);
    expect(human.stdout.split('\n')).toEqual([
      'cb-a  Chi bộ A <a@example.org> cc pho-a@example.org — Đang hoạt động',
      'cb-b  Chi bộ B <b@example.org> — Đang hoạt động',
      'cb-c  Chi bộ C <c@example.org> — Đang hoạt động',
      '3 đơn vị, 3 đang hoạt động.',
      '',
    ]);
    expect((json.json() as { units: { id: string; updatedAt: string }[] }).units.map((u) => u.id)).toEqual([
      'cb-a',
      'cb-b',
      'cb-c',
    ]);
  });

  it('retires a unit from a date, withdrawing it from the open period', async () => {
    // Act
    const r = await runCli(
      ['units', 'retire', 'cb-b', '--from', TODAY, '--reason', 'sap-nhap', '--detail', 'vào Chi bộ A'],
      env,
    );
    const listed = await runCli(['units', 'list'], env);
    // Assess
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      `Đơn vị cb-b (Chi bộ B) thôi báo cáo từ ${formatDateVi(TODAY)} — sáp nhập: vào Chi bộ A.\n` +
        `  Không còn báo cáo trong 1 kỳ đang mở: ${PLAN} năm ${YEAR}\n`,
    );
    expect(listed.stdout).toContain(
      `cb-b  Chi bộ B <b@example.org> — Thôi báo cáo từ ${formatDateVi(TODAY)} (sáp nhập: vào Chi bộ A)`,
    );
    expect((await stack.deps.submissions.getAssignment(PLAN, YEAR, 'cb-b'))?.withdrawn).toMatchObject({
      from: TODAY,
      reason: 'retired',
    });
  });

  it('reinstates it without an e-mail, as JSON with ISO dates', async () => {
    await clearEmails(stack.mailUrl);
    const r = await runCli(['units', 'reinstate', 'cb-b', '--json'], env);
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({
      unit: { id: 'cb-b', active: true, retired: null, updatedAt: expect.stringMatching(/Z$/) },
      restored: [{ planId: PLAN, year: YEAR }],
      notAssigned: [],
    });
    expect(await storedEmails(stack.mailUrl)).toEqual([]);
  });

  it.each([
    [['units', 'retire', 'khong-co'], 'baocao: Không tìm thấy đơn vị "khong-co".\n'],
    [
      ['units', 'retire', 'cb-c', '--reason', 'chuyen-di'],
      'baocao: Lý do không hợp lệ: "chuyen-di" (chọn sáp nhập, giải thể, khác).\n',
    ],
    [
      ['units', 'retire', 'cb-c', '--from', '2026-02-30'],
      expect.stringContaining('baocao: Ngày không hợp lệ'),
    ],
    [['units', 'reinstate', 'cb-c'], 'baocao: Đơn vị "Chi bộ C" đang hoạt động.\n'],
    [
      ['plan', 'recipients', PLAN],
      expect.stringContaining('--all (mọi đơn vị đang hoạt động) hoặc --units a,b,c'),
    ],
    [
      ['plan', 'recipients', PLAN, '--all', '--units', 'cb-a'],
      expect.stringContaining('Hãy dùng đúng một trong hai tùy chọn'),
    ],
    [
      ['plan', 'recipients', PLAN, '--units', 'cb-a,khong-co'],
      'baocao: Không có đơn vị mã "khong-co"; không thay đổi gì.\n',
    ],
  ])('refuses %j in Vietnamese, changing nothing', async (args, stderr) => {
    const units = await stack.deps.plans.listUnits();
    const plan = await stack.deps.plans.getPlan(PLAN);
    const r = await runCli(args, env);
    expect(r.code).toBe(1);
    expect(r.stderr).toEqual(stderr);
    expect(await stack.deps.plans.listUnits()).toStrictEqual(units);
    expect(await stack.deps.plans.getPlan(PLAN)).toStrictEqual(plan);
  });

  it('narrows a plan to chosen units and back to all, applying it to the open period at once', async () => {
    // Act: cb-a and cb-c only (cb-b leaves), then every active unit again (cb-b comes back).
    await clearEmails(stack.mailUrl);
    const narrowed = await runCli(['plan', 'recipients', PLAN, '--units', 'cb-c, cb-a'], env);
    const all = await runCli(['plan', 'recipients', PLAN, '--all', '--json'], env);
    // Assess
    expect(narrowed.code).toBe(0);
    expect(narrowed.stdout).toBe(
      [
        `Kế hoạch ${PLAN}: 2 đơn vị được chọn báo cáo.`,
        '  Thêm vào: không có',
        '  Bỏ ra: Chi bộ B (cb-b)',
        `  Kỳ năm ${YEAR} (đang mở): thêm 0, bỏ ra 1 (thôi báo cáo từ hôm nay)`,
        '  Tổng số liên kết đã gửi: 0',
        '',
      ].join('\n'),
    );
    expect(all.code).toBe(0);
    expect(all.json()).toMatchObject({
      planId: PLAN,
      before: ['cb-a', 'cb-c'],
      after: null,
      joining: [{ unitId: 'cb-b', unitName: 'Chi bộ B' }],
      periods: [{ year: YEAR, joining: [{ unitId: 'cb-b' }], leaving: [], announced: 0 }],
      applied: true,
      linksEmailed: 0,
    });
    expect((await stack.deps.submissions.getAssignment(PLAN, YEAR, 'cb-b'))?.withdrawn).toBeNull();
    expect(await storedEmails(stack.mailUrl)).toEqual([]);
  });

  it('explains the commands in Vietnamese', async () => {
    const help = await runCli(['units', 'retire', '--help'], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Cách dùng: baocao units retire');
    expect(help.stdout).toContain('lý do: sap-nhap (sáp nhập), giai-the (giải thể)');
    const recipients = await runCli(['plan', 'recipients', '--help'], env);
    expect(recipients.stdout).toContain('Cách dùng: baocao plan recipients [tùy chọn] <kế-hoạch>');
    expect(recipients.stdout).toContain('--units <danh-sách>');
  });
});
