import type { Period } from '#shared/domain/period.ts';
import type { Plan } from '#shared/domain/plan.ts';
import type { ExportUnit, PackContent } from '#shared/export/content.ts';

/** A small plan with three task groups, for builder tests. */
export function samplePlan(): Plan {
  return {
    id: '12-kh-dus-2025',
    number: '12-KH/ĐUS',
    date: '2025-04-02',
    title: 'Đẩy mạnh chuyển đổi số trong hoạt động của Đảng bộ',
    issuer: 'Đảng ủy Sở',
    superior: null,
    taskGroups: [
      { number: '1', title: 'Số hóa hồ sơ, tài liệu', body: '' },
      { number: '2', title: 'Ứng dụng công nghệ thông tin trong sinh hoạt chi bộ', body: '' },
      { number: '3', title: 'Bồi dưỡng kỹ năng số cho đảng viên', body: '' },
    ],
    recipients: [],
    reportingFrequency: 'yearly',
    calendar: {
      frequency: 'yearly',
      deadline: '12-15',
      openDaysBefore: 30,
      closeDaysAfter: 30,
      reminderDays: [],
      timeZone: 'Asia/Ho_Chi_Minh',
    },
    recipientUnitIds: null,
    sourceFileName: 'ke-hoach.txt',
    importedAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
  };
}

export function samplePeriod(): Period {
  return {
    planId: '12-kh-dus-2025',
    year: 2026,
    openDate: '2026-11-15',
    deadline: '2026-12-15',
    closeDate: '2027-01-14',
    timeZone: 'Asia/Ho_Chi_Minh',
    status: 'open',
    openedAt: '2026-11-15T01:00:00Z',
  };
}

export function sampleUnit(
  unitId: string,
  unitName: string,
  status: ExportUnit['row']['status'],
  notes: Record<string, string> = {},
  submittedAt: string | null = status === 'missing' ? null : '2026-12-10T03:00:00Z',
): ExportUnit {
  return {
    row: {
      unitId,
      unitName,
      status,
      deadline: '2026-12-15',
      submittedAt,
      files: 0,
      bytes: 0,
      mailProblem: null,
    },
    version: status === 'missing' ? 0 : 1,
    files: [],
    notes,
  };
}

/** Pack content with rates computed from `units` the DHIS2 way. */
export function sampleContent(units: ExportUnit[]): PackContent {
  const expected = units.length;
  const reported = units.filter((u) => u.row.status !== 'missing').length;
  const onTime = units.filter((u) => u.row.status === 'on_time').length;
  return {
    plan: samplePlan(),
    period: samplePeriod(),
    committeeName: 'Đảng ủy Sở Thông tin và Truyền thông',
    timeZone: 'Asia/Ho_Chi_Minh',
    generatedAt: new Date('2026-12-16T01:00:00Z'),
    expected,
    reported,
    onTime,
    late: reported - onTime,
    missing: expected - reported,
    completeness: expected ? reported / expected : 0,
    timeliness: expected ? onTime / expected : 0,
    units,
  };
}
