import { describe, expect, it } from 'vitest';
import { describeCalendar, describeStatus, describeTick, formatMonthDayVi } from '#cli/describe-vi.ts';
import type { PeriodStatus, StatusRow } from '#shared/periods/periods.ts';
import type { PlannerSummary } from '#shared/periods/run-planner.ts';
import { samplePeriod, samplePlan } from '#test/support/pack-content.ts';

function row(unitId: string, unitName: string, fields: Partial<StatusRow> = {}): StatusRow {
  return {
    unitId,
    unitName,
    status: 'missing',
    deadline: '2026-12-15',
    submittedAt: null,
    files: 0,
    bytes: 0,
    mailProblem: null,
    ...fields,
  };
}

describe('the CLI’s human output in Vietnamese', () => {
  it('tells a period’s status: unit names, submission times in the period’s zone, extensions and rates', () => {
    // Prepare: 3 expected units, 2 reported (1 on time); one withdrawn unit apart.
    const status: PeriodStatus = {
      plan: samplePlan(),
      period: { ...samplePeriod(), exportRequestedAt: '2026-12-16T01:00:00.000Z' },
      rows: [
        row('cb-a', 'Chi bộ A', { status: 'on_time', submittedAt: '2026-12-14T02:30:00.000Z', files: 2 }),
        row('cb-b', 'Chi bộ Báo chí, Xuất bản', {
          status: 'late',
          submittedAt: '2026-12-20T16:59:00.000Z',
          files: 1,
          deadline: '2026-12-18',
        }),
        row('cb-c', 'Chi bộ C', {
          mailProblem: { at: '2026-11-16T02:00:00.000Z', problem: 'MessageRejected: Address blacklisted.' },
        }),
      ],
      withdrawn: [
        row('cb-d', 'Chi bộ D', {
          withdrawn: {
            from: '2026-12-01',
            reason: 'retired',
            detail: 'sáp nhập: vào Chi bộ A',
            at: '2026-12-01T01:00:00.000Z',
          },
        }) as PeriodStatus['withdrawn'][number],
      ],
      expected: 3,
      reported: 2,
      onTime: 1,
      completeness: 2 / 3,
      timeliness: 1 / 3,
    };
    // Act
    const text = describeStatus(status);
    // Assess: instants in Asia/Ho_Chi_Minh (UTC+7), dates dd/mm/yyyy, rates with a decimal comma.
    expect(text.split('\n')).toEqual([
      'Kế hoạch số 12-KH/ĐUS — kỳ báo cáo năm 2026 (đang mở), hạn nộp 15/12/2026, nhận báo cáo đến hết 14/01/2027',
      '  Đã nộp: 2/3 đơn vị, trong đó đúng hạn: 1',
      '  Tỷ lệ đầy đủ: 66,7% · Tỷ lệ đúng hạn: 33,3%',
      '  Bản tổng hợp: đã yêu cầu lúc 16/12/2026 08:00',
      '  Chi bộ A (cb-a): Đúng hạn, nộp lúc 14/12/2026 09:30, 2 tệp',
      '  Chi bộ Báo chí, Xuất bản (cb-b): Trễ hạn, nộp lúc 20/12/2026 23:59, 1 tệp; gia hạn đến 18/12/2026',
      '  Chi bộ C (cb-c): Chưa nộp; lỗi gửi e-mail lúc 16/11/2026 09:00: MessageRejected: Address blacklisted.',
      '  Không còn báo cáo trong kỳ này (ngoài số phải báo cáo và các tỷ lệ): 1 đơn vị',
      '  Chi bộ D (cb-d): Chưa nộp; không còn báo cáo từ 01/12/2026: đơn vị thôi hoạt động (sáp nhập: vào Chi bộ A)',
    ]);
  });

  it('tells a closed period with no unit yet', () => {
    const text = describeStatus({
      plan: samplePlan(),
      period: { ...samplePeriod(), status: 'closed' },
      rows: [],
      withdrawn: [],
      expected: 0,
      reported: 0,
      onTime: 0,
      completeness: 0,
      timeliness: 0,
    });
    expect(text).toBe(
      'Kế hoạch số 12-KH/ĐUS — kỳ báo cáo năm 2026 (đã đóng), hạn nộp 15/12/2026, nhận báo cáo đến hết 14/01/2027\n' +
        '  Đã nộp: 0/0 đơn vị, trong đó đúng hạn: 0\n' +
        '  Tỷ lệ đầy đủ: 0,0% · Tỷ lệ đúng hạn: 0,0%',
    );
  });

  it('tells a plan’s calendar with this year’s dates, taking the year in the plan’s zone', () => {
    // Prepare: 31 Dec 2026 18:00 UTC is already 1 Jan 2027 in Hanoi.
    const plan = samplePlan();
    plan.calendar.reminderDays = [-7, -1, 3];
    // Act
    const text = describeCalendar(plan, true, new Date('2026-12-31T18:00:00Z'));
    // Assess
    expect(text.split('\n')).toEqual([
      'Lịch báo cáo của kế hoạch 12-kh-dus-2025 (đã cập nhật), múi giờ Asia/Ho_Chi_Minh',
      '  hạn nộp:   ngày 15/12 hằng năm (năm 2027: 15/12/2027)',
      '  mở kỳ:     30 ngày trước hạn nộp (15/11/2027)',
      '  đóng kỳ:   30 ngày sau hạn nộp (nhận báo cáo trễ đến hết 14/01/2028)',
      '  nhắc hạn:  -7, -1, +3 (số ngày so với hạn nộp của từng đơn vị; âm: trước hạn, dương: sau hạn)',
      '  tổng hợp:  gửi văn phòng mỗi thứ Hai khi kỳ đang mở, và ngày sau hạn nộp',
    ]);
    plan.calendar.reminderDays = [];
    expect(describeCalendar(plan, false, new Date('2026-06-01T00:00:00Z'))).toMatch(
      /\n {2}nhắc hạn: {2}không nhắc \(/,
    );
  });

  it('tells what a tick did, its instant in the committee’s zone', () => {
    const summary: PlannerSummary = {
      at: '2026-11-15T01:00:00.000Z',
      opened: [{ planId: '12-kh-dus-2025', year: 2026 }],
      closed: [],
      exportsRequested: [],
      mails: { opened: 10, reminder: 2, digest: 1 },
      skipped: [],
      failures: [{ planId: '12-kh-dus-2025', year: 2026, unitId: 'cb-a', error: 'Throttling' }],
    };
    expect(describeTick(summary, 1, 'Asia/Ho_Chi_Minh').split('\n')).toEqual([
      'Bộ lập lịch chạy cho thời điểm 15/11/2026 08:00 (Asia/Ho_Chi_Minh)',
      '  kỳ đã mở:            12-kh-dus-2025 năm 2026',
      '  kỳ đã đóng:          -',
      '  đã yêu cầu tổng hợp: -',
      '  e-mail đã xếp hàng:  10 mở kỳ, 2 nhắc hạn, 1 tổng hợp',
      '  không gửi được:      1 e-mail',
      '  LỖI 12-kh-dus-2025 năm 2026 cb-a: Throttling',
    ]);
  });

  it.each([
    ['12-15', '15/12'],
    ['02-29', '29/02'],
  ])('writes the month-day %s as %s', (monthDay, shown) => {
    expect(formatMonthDayVi(monthDay)).toBe(shown);
  });
});
