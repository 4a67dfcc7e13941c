import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDocumentClient } from '#shared/adapters/aws-clients.ts';
import { DynamoDeliveryStore } from '#shared/adapters/dynamodb/delivery-store.ts';
import { importPlan } from '#shared/plans/plans.ts';
import { importUnits } from '#shared/units/units.ts';
import { exposeToCli, runCli } from '#test/support/cli.ts';
import { startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { clearEmails, storedEmails } from '#test/support/mail.ts';
import { seedPlan } from '#test/support/planner.ts';

const DEMO_PLAN = new URL('../../local/demo/ke-hoach-12-KH-DUS.txt', import.meta.url);
const DEMO_UNITS = new URL('../../local/demo/units.csv', import.meta.url);
const PLAN = '12-kh-dus-2025';

describe('baocao tick, plan calendar and period extend against a running local stack', () => {
  let stack: TestStack;
  let env: Record<string, string>;
  const cli = (...args: string[]) => runCli(args, env);

  beforeAll(async () => {
    stack = await startTestStack();
    env = await exposeToCli(stack);
    await importUnits(stack.deps, await readFile(DEMO_UNITS));
    await importPlan(stack.deps, await readFile(DEMO_PLAN), 'ke-hoach.txt');
    await seedPlan(stack, 'cal', ['cb-van-phong']);
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('prints a plan’s calendar when given no option', async () => {
    const r = await cli('plan', 'calendar', 'cal', '--json');
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({
      planId: 'cal',
      changed: false,
      calendar: {
        frequency: 'yearly',
        deadline: '12-15',
        openDaysBefore: 30,
        closeDaysAfter: 30,
        reminderDays: [-14, -7, -3, -1, 1, 7],
        timeZone: 'Asia/Ho_Chi_Minh',
      },
    });
    const human = await cli('plan', 'calendar', 'cal');
    expect(human.stdout).toMatch(/^Lịch báo cáo của kế hoạch cal, múi giờ Asia\/Ho_Chi_Minh\n/);
    expect(human.stdout).toMatch(/\n {2}hạn nộp: +ngày 15\/12 hằng năm \(năm \d{4}: 15\/12\/\d{4}\)\n/);
    expect(human.stdout).toMatch(/\n {2}mở kỳ: +30 ngày trước hạn nộp \(15\/11\/\d{4}\)\n/);
    expect(human.stdout).toMatch(/\n {2}nhắc hạn: +-14, -7, -3, -1, \+1, \+7 \(/);
    expect(human.stdout).toMatch(/mỗi thứ Hai khi kỳ đang mở/);
  });

  it('changes the calendar, negative reminder days included', async () => {
    const r = await cli(
      'plan',
      'calendar',
      'cal',
      '--deadline',
      '06-30',
      '--open-days',
      '20',
      '--close-days',
      '10',
      '--reminders',
      '-7,3,-1',
      '--time-zone',
      'Asia/Bangkok',
      '--json',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect((await stack.deps.plans.getPlan('cal'))?.calendar).toEqual({
      frequency: 'yearly',
      deadline: '06-30',
      openDaysBefore: 20,
      closeDaysAfter: 10,
      reminderDays: [-7, -1, 3],
      timeZone: 'Asia/Bangkok',
    });
  });

  it.each([
    [['--deadline', '13-01'], /hạn nộp phải là ngày-tháng có thật dạng MM-DD .*"13-01"/],
    [['--deadline', '02-30'], /hạn nộp phải là ngày-tháng có thật dạng MM-DD .*"02-30"/],
    [['--deadline', '2026-12-15'], /hạn nộp phải là ngày-tháng có thật dạng MM-DD .*"2026-12-15"/],
    [['--close-days', '-1'], /số ngày đóng kỳ sau hạn phải là số nguyên từ 0 đến 180, nhận được -1/],
    [['--open-days', '0'], /số ngày mở kỳ trước hạn phải là số nguyên từ 1 đến 180, nhận được 0/],
    [['--open-days', 'mười'], /^baocao: --open-days cần số ngày là số nguyên, nhận được "mười"\.\n$/],
    [['--reminders', '-7,0'], /ngày nhắc 0 phải là số nguyên từ -60 đến 60, khác 0/],
    [['--reminders', '-7,-7'], /ngày nhắc -7 bị lặp lại/],
    [['--reminders', '-30'], /ngày nhắc -30 rơi vào trước khi mở kỳ/],
    [['--time-zone', 'Mars/Olympus_Mons'], /múi giờ phải là tên IANA, .*"Mars\/Olympus_Mons"/],
    [['--deadline', '01-10', '--close-days', '-5'], /số ngày đóng kỳ sau hạn phải là số nguyên từ 0 đến 180/],
  ])('refuses calendar options %j in Vietnamese and changes nothing', async (options, message) => {
    const before = await stack.deps.plans.getPlan('cal');
    const r = await cli('plan', 'calendar', 'cal', ...options);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^baocao: /);
    expect(r.stderr).toMatch(message);
    expect(await stack.deps.plans.getPlan('cal')).toEqual(before);
  });

  it('refuses the calendar of an unknown plan', async () => {
    const r = await cli('plan', 'calendar', 'no-such-plan', '--deadline', '12-01', '--json');
    expect(r.code).toBe(1);
    expect((r.json() as { error: { code: string } }).error.code).toBe('NOT_FOUND');
  });

  it('opens the period on its open date and delivers every unit its link through SES', async () => {
    // Prepare
    await clearEmails(stack.mailUrl);
    // Act
    const r = await cli('tick', '--at', '2026-11-15T01:00:00Z', '--json');
    // Assess
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({
      at: '2026-11-15T01:00:00.000Z',
      opened: [{ planId: PLAN, year: 2026 }],
      mails: { opened: 10, reminder: 0, digest: 0 },
      failures: [],
      mailsDeadLettered: 0,
    });
    const mails = await storedEmails(stack.mailUrl);
    expect(mails).toHaveLength(10);
    expect(mails.every((m) => m.subject === '[12-KH/ĐUS] Mở kỳ báo cáo năm 2026 — hạn nộp 15/12/2026')).toBe(
      true,
    );
    expect(mails[0]?.body.text).toContain(`${stack.appUrl}/u/`);
  });

  it('sends nothing new when the same tick runs again', async () => {
    const r = await cli('tick', '--at', '2026-11-15T02:00:00Z');
    expect(r.code).toBe(0);
    // 02:00 UTC is 09:00 in Hanoi.
    expect(r.stdout).toMatch(/^Bộ lập lịch chạy cho thời điểm 15\/11\/2026 09:00 \(Asia\/Ho_Chi_Minh\)\n/);
    expect(r.stdout).toMatch(/\n {2}kỳ đã mở: +-\n/);
    expect(r.stdout).toMatch(/\n {2}e-mail đã xếp hàng: +0 mở kỳ, 0 nhắc hạn, 0 tổng hợp\n/);
    expect(await storedEmails(stack.mailUrl)).toHaveLength(10);
  });

  it('grants a unit an extension within the period, and e-mails the unit its new deadline once', async () => {
    await clearEmails(stack.mailUrl);
    const r = await cli('period', 'extend', PLAN, '2026', 'cb-van-phong', '--until', '2026-12-22', '--json');
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({
      planId: PLAN,
      year: 2026,
      unitId: 'cb-van-phong',
      extendedDeadline: '2026-12-22',
    });
    const status = (await cli('status', PLAN, '2026', '--json')).json() as {
      units: { unitId: string; deadline: string }[];
    };
    expect(status.units.find((u) => u.unitId === 'cb-van-phong')?.deadline).toBe('2026-12-22');
    const again = await cli('period', 'extend', PLAN, '2026', 'cb-van-phong', '--until', '2026-12-22');
    expect(again.stdout).toBe(
      `Chi bộ Văn phòng (cb-van-phong), kỳ báo cáo năm 2026 của kế hoạch ${PLAN}: đã gia hạn đến 22/12/2026; đã gửi e-mail báo hạn mới cho đơn vị\n`,
    );
    // The same deadline twice: one e-mail (its key is per deadline value), with the new date.
    await stack.mailQueue.drain();
    const mails = (await storedEmails(stack.mailUrl)).filter((m) => m.body.text?.includes('22/12/2026'));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toMatch(/gia hạn/i);
  });

  it.each([
    [
      ['cb-buu-chinh', '--until', '2026-12-01'],
      /^baocao: Ngày gia hạn 01\/12\/2026 phải từ hạn nộp 15\/12\/2026 đến ngày đóng kỳ 14\/01\/2027\.\n$/,
    ],
    [
      ['cb-buu-chinh', '--until', '2027-01-15'],
      /^baocao: Ngày gia hạn 15\/01\/2027 phải từ hạn nộp 15\/12\/2026 đến ngày đóng kỳ 14\/01\/2027\.\n$/,
    ],
    [
      ['cb-buu-chinh', '--until', '2026-02-30'],
      /^baocao: Ngày không hợp lệ: "2026-02-30" \(cần ngày có thật/,
    ],
    [
      // dd/mm/yyyy is read as the web app reads it; a two-digit year is not a date.
      ['cb-buu-chinh', '--until', '22/12/26'],
      /^baocao: Ngày không hợp lệ: "22\/12\/26" \(cần ngày có thật/,
    ],
    [
      ['no-such-unit', '--until', '2026-12-20'],
      /^baocao: Đơn vị "no-such-unit" không thuộc kỳ báo cáo năm 2026 của kế hoạch "12-kh-dus-2025"\.\n$/,
    ],
  ])('refuses the extension %j in Vietnamese and changes nothing', async (args, message) => {
    const [unitId] = args;
    const before = await stack.deps.submissions.getAssignment(PLAN, 2026, unitId!);
    const r = await cli('period', 'extend', PLAN, '2026', ...args);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(await stack.deps.submissions.getAssignment(PLAN, 2026, unitId!)).toEqual(before);
  });

  it('refuses an extension in a year with no period', async () => {
    const r = await cli('period', 'extend', PLAN, '2031', 'cb-buu-chinh', '--until', '2031-12-20');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('baocao: Kế hoạch "12-kh-dus-2025" chưa có kỳ báo cáo năm 2031.\n');
  });

  it('refuses a malformed --at without running anything', async () => {
    const r = await cli('tick', '--at', '2026-11-15 08:00');
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      /^baocao: Thời điểm không hợp lệ: "2026-11-15 08:00" \(cần dạng ISO-8601 có múi giờ/,
    );
  });

  it('shows e-mail problems per unit and the export request in baocao status', async () => {
    // Prepare: SES refused a mail to one unit for good (as the mailer records it).
    const store = new DynamoDeliveryStore(
      createDynamoDocumentClient(stack.config),
      stack.config.SUBMISSIONS_TABLE,
    );
    await store.noteUnitProblem(
      PLAN,
      2026,
      'cb-buu-chinh',
      'MessageRejected: Address blacklisted.',
      new Date('2026-11-16T02:00:00Z'),
    );
    // Act: the day after the deadline.
    const tick = await cli('tick', '--at', '2026-12-16T01:00:00Z', '--json');
    const json = await cli('status', PLAN, '2026', '--json');
    const human = await cli('status', PLAN, '2026');
    // Assess
    expect(tick.json()).toMatchObject({
      exportsRequested: [{ planId: PLAN, year: 2026 }],
      mails: { digest: 1 },
    });
    const body = json.json() as {
      period: { exportRequestedAt?: string };
      units: { unitId: string; mailProblem: { problem: string } | null }[];
    };
    expect(body.period.exportRequestedAt).toEqual(expect.any(String));
    expect(body.units.find((u) => u.unitId === 'cb-buu-chinh')?.mailProblem).toEqual({
      at: '2026-11-16T02:00:00.000Z',
      problem: 'MessageRejected: Address blacklisted.',
    });
    expect(body.units.find((u) => u.unitId === 'cb-van-phong')?.mailProblem).toBeNull();
    const lines = human.stdout.split('\n');
    expect(lines).toContain(
      '  Chi bộ Bưu chính - Viễn thông (cb-buu-chinh): Chưa nộp; ' +
        'lỗi gửi e-mail lúc 16/11/2026 09:00: MessageRejected: Address blacklisted.',
    );
    expect(lines).toContain('  Chi bộ Văn phòng (cb-van-phong): Chưa nộp; gia hạn đến 22/12/2026');
    expect(lines).toContain('  Tỷ lệ đầy đủ: 0,0% · Tỷ lệ đúng hạn: 0,0%');
    // Recorded on the system clock when the exporter was invoked (not the tick's --at).
    expect(lines).toContainEqual(
      expect.stringMatching(/^ {2}Bản tổng hợp: đã yêu cầu lúc \d\d\/\d\d\/\d{4} \d\d:\d\d$/),
    );
  });
});
