/** `baocao plan list` against a running local stack, as the office would run it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, formatDateVi, localDate } from '#shared/domain/calendar.ts';
import { openPeriod } from '#shared/periods/periods.ts';
import { importPlan } from '#shared/plans/plans.ts';
import { importUnits } from '#shared/units/units.ts';
import { exposeToCli, runCli } from '#test/support/cli.ts';
import { startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { SEED_PLAN_TEXT } from '#test/support/plan-docx.ts';

describe('baocao plan list', () => {
  let stack: TestStack;
  let env: Record<string, string>;
  let year: number;
  let deadline: string;
  const cli = (...args: string[]) => runCli(args, env);

  beforeAll(async () => {
    stack = await startTestStack();
    env = await exposeToCli(stack);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('says in Vietnamese that there is no plan yet', async () => {
    const r = await cli('plan', 'list');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Chưa có kế hoạch nào. Nhập kế hoạch: baocao plan import TỆP\n');
    expect(await cli('plan', 'list', '--json').then((x) => x.json())).toEqual({ plans: [] });
  });

  it('lists each plan with its current period and progress; --json with ISO dates', async () => {
    // Prepare
    await importUnits(
      stack.deps,
      'id,name,email\ncb-a,Chi bộ A,a@example.org\ncb-b,Chi bộ B,b@example.org\n',
    );
    await importPlan(stack.deps, new TextEncoder().encode(SEED_PLAN_TEXT), 'ke-hoach-30.txt');
    const today = localDate(new Date(), stack.config.TIME_ZONE);
    year = Number(today.slice(0, 4));
    deadline = addDays(today, 10);
    await openPeriod(stack.deps, { planId: '30-kh-duk', year, deadline });
    // Act
    const human = await cli('plan', 'list');
    const json = (await cli('plan', 'list', '--json')).json() as { plans: Record<string, unknown>[] };
    // Assess
    expect(human.code).toBe(0);
    const lines = human.stdout.split('\n');
    expect(lines[0]).toBe('1 kế hoạch');
    expect(lines[2]).toBe('30-kh-duk  Kế hoạch số 30-KH/ĐUK — Đổi mới công tác tư tưởng trong tình hình mới');
    expect(lines[3]).toMatch(
      /^ {2}Đảng ủy Sở · 6 nhóm nhiệm vụ · hạn nộp 15\/12 hằng năm · cập nhật \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/,
    );
    expect(lines[4]).toBe(
      `  Năm ${year}: 0/2 đã nộp (0 đúng hạn), hạn nộp ${formatDateVi(deadline)}, đang mở ` +
        `(mở ${formatDateVi(today)}, đóng ${formatDateVi(addDays(deadline, 30))})`,
    );
    expect(json.plans).toHaveLength(1);
    expect(json.plans[0]).toMatchObject({
      id: '30-kh-duk',
      number: '30-KH/ĐUK',
      taskGroups: 6,
      deadline: '12-15',
      updatedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      currentPeriod: { year, status: 'open', deadline, expected: 2, reported: 0, onTime: 0 },
    });
  });

  it('has its help in Vietnamese', async () => {
    const r = await cli('plan', '--help');
    expect(r.stdout).toMatch(/list\s+liệt kê các kế hoạch/);
  });
});
