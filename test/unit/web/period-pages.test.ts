import { describe, expect, it } from 'vitest';
import {
  filterCounts,
  filterRows,
  PERIOD_FILTERS,
  readFilter,
  readOrigin,
  renderPeriodPage,
  renderRevokeConfirm,
  renderUnitPage,
} from '#functions/web/period-pages.ts';
import type { Period } from '#shared/domain/period.ts';
import type { Plan } from '#shared/domain/plan.ts';
import type { PeriodStatus, StatusRow } from '#shared/periods/periods.ts';
import type { UnitInPeriodView } from '#shared/uploads/unit-in-period.ts';

const PERIOD: Period = {
  planId: '12-kh-dus-2025',
  year: 2026,
  openDate: '2026-11-15',
  deadline: '2026-12-15',
  closeDate: '2027-01-14',
  timeZone: 'Asia/Ho_Chi_Minh',
  status: 'open',
  openedAt: '2026-11-15T01:00:00.000Z',
};
const PLAN = {
  id: '12-kh-dus-2025',
  number: '12-KH/ĐUS',
  title: 'Chuyển đổi số',
  taskGroups: [
    { number: '1', title: 'Số hóa hồ sơ' },
    { number: '2', title: 'Đào tạo' },
  ],
} as unknown as Plan;

function row(unitId: string, unitName: string, overrides: Partial<StatusRow> = {}): StatusRow {
  return {
    unitId,
    unitName,
    status: 'missing',
    deadline: PERIOD.deadline,
    submittedAt: null,
    files: 0,
    bytes: 0,
    fileList: [],
    mailProblem: null,
    ...overrides,
  };
}

const ROWS: StatusRow[] = [
  row('cb-a', 'Chi bộ A', {
    status: 'on_time',
    submittedAt: '2026-11-20T03:00:00.000Z',
    files: 1,
    fileList: [{ uploadId: '1-abc', fileName: 'Báo cáo.pdf', size: 10, sha256: 'x' }],
  }),
  row('cb-b', 'Chi bộ B', {
    status: 'late',
    submittedAt: '2026-12-18T03:00:00.000Z',
    deadline: '2026-12-16',
  }),
  row('cb-c', 'Chi bộ "C" <Khối>', {
    mailProblem: { at: '2026-11-16T00:00:00.000Z', problem: 'Thư bị trả lại' },
  }),
  row('cb-d', 'Chi bộ D'),
];

const status = (rows = ROWS, period = PERIOD): PeriodStatus =>
  ({
    plan: PLAN,
    period,
    rows,
    withdrawn: [],
    expected: rows.length,
    reported: rows.filter((r) => r.status !== 'missing').length,
    onTime: rows.filter((r) => r.status === 'on_time').length,
    completeness: 0.5,
    timeliness: 0.25,
  }) as PeriodStatus;

const ADMIN = {
  committeeName: 'Đảng ủy Sở',
  timeZone: 'Asia/Ho_Chi_Minh',
  session: { email: 'vanphong@example.org', csrf: 'tok', role: 'admin' as const },
};
const VIEWER = { ...ADMIN, session: { ...ADMIN.session, role: 'viewer' as const } };
const TODAY = '2026-12-20';

describe('the period filters', () => {
  it('reads ?loc= and shows every unit for anything unknown or absent', () => {
    expect(readFilter('loc=missing')).toBe('missing');
    expect(readFilter('done=resent&loc=mail-error')).toBe('mail-error');
    for (const query of ['', 'loc=', 'loc=MISSING', `loc=${'x'.repeat(5000)}`, 'loc=%00', 'loc=missing%27']) {
      expect(readFilter(query), query).toBe('all');
    }
  });

  it('lists chưa nộp, trễ hạn, đúng hạn, có lỗi e-mail, tất cả, and counts each', () => {
    expect(PERIOD_FILTERS.map((f) => f.label)).toEqual([
      'Chưa nộp',
      'Trễ hạn',
      'Đúng hạn',
      'Có lỗi e-mail',
      'Tất cả',
    ]);
    expect(filterCounts(ROWS)).toEqual({ missing: 2, late: 1, 'on-time': 1, 'mail-error': 1, all: 4 });
    expect(filterRows(ROWS, 'missing').map((r) => r.unitId)).toEqual(['cb-c', 'cb-d']);
    expect(filterRows(ROWS, 'mail-error').map((r) => r.unitId)).toEqual(['cb-c']);
  });

  it('reads where an action returns from its form fields, whitelisted', () => {
    expect(readOrigin({ from: 'unit' })).toEqual({ from: 'unit' });
    expect(readOrigin({ from: 'period', loc: 'late' })).toEqual({ from: 'period', loc: 'late' });
    expect(readOrigin({ from: 'https://evil.example', loc: '../../x' })).toEqual({
      from: 'period',
      loc: 'all',
    });
    expect(readOrigin({})).toEqual({ from: 'period', loc: 'all' });
  });
});

describe('renderPeriodPage', () => {
  it('links each filter with its count and marks the current one', () => {
    const html = renderPeriodPage(status(), ADMIN, { today: TODAY, filter: 'missing' });
    const links = [
      ...html.matchAll(/<a href="([^"]+)"( aria-current="page")? data-filter="([^"]+)">([^<]+) <span/g),
    ];

    expect(links.map((m) => [m[1], Boolean(m[2]), m[4]])).toEqual([
      ['/admin/plans/12-kh-dus-2025/2026?loc=missing#don-vi', true, 'Chưa nộp'],
      ['/admin/plans/12-kh-dus-2025/2026?loc=late#don-vi', false, 'Trễ hạn'],
      ['/admin/plans/12-kh-dus-2025/2026?loc=on-time#don-vi', false, 'Đúng hạn'],
      ['/admin/plans/12-kh-dus-2025/2026?loc=mail-error#don-vi', false, 'Có lỗi e-mail'],
      ['/admin/plans/12-kh-dus-2025/2026#don-vi', false, 'Tất cả'],
    ]);
    expect(html).toContain('data-filter="missing">Chưa nộp <span class="count">(2)</span>');
    expect(html.match(/data-unit-id="([^"]+)"/g)).toEqual(['data-unit-id="cb-c"', 'data-unit-id="cb-d"']);
  });

  it('says so when a filter shows no unit', () => {
    const html = renderPeriodPage(status(ROWS.filter((r) => r.status !== 'late')), ADMIN, {
      today: TODAY,
      filter: 'late',
    });

    expect(html).toContain('Không có đơn vị nào ở mục “Trễ hạn”.');
    expect(html).not.toContain('data-unit-id=');
  });

  it('makes each unit name the link to its page, and labels every action with the unit for screen readers', () => {
    const html = renderPeriodPage(status(), ADMIN, { today: TODAY, filter: 'all' });

    expect(html).toContain(
      '<a class="unit-link" href="/admin/plans/12-kh-dus-2025/2026/units/cb-a">Chi bộ A</a>',
    );
    expect(html).toContain('aria-label="Gửi lại liên kết cho Chi bộ A">Gửi lại liên kết</button>');
    // Revoking goes through a confirmation page (a link), never straight to the POST.
    expect(html).toContain(
      'href="/admin/plans/12-kh-dus-2025/2026/units/cb-a/revoke?from=period" aria-label="Thu hồi liên kết của Chi bộ A"',
    );
    expect(html).not.toMatch(/action="[^"]*\/revoke"/);
    expect(html).toContain(
      'href="/admin/plans/12-kh-dus-2025/2026/units/cb-a#gia-han" aria-label="Gia hạn cho Chi bộ A"',
    );
    // Names are escaped everywhere, labels included.
    expect(html).toContain('aria-label="Gửi lại liên kết cho Chi bộ &quot;C&quot; &lt;Khối&gt;"');
    expect(html).not.toContain('<Khối>');
    // A form returns to the filter it was sent from (the unfiltered list is the default).
    expect(html).toContain(
      '<input type="hidden" name="csrf" value="tok"><button type="submit" class="secondary"',
    );
    const missing = renderPeriodPage(status(), ADMIN, { today: TODAY, filter: 'missing' });
    expect(missing).toContain(
      '<input type="hidden" name="csrf" value="tok"><input type="hidden" name="loc" value="missing">',
    );
    expect(missing).toContain('/units/cb-c/revoke?from=period&amp;loc=missing"');
  });

  it('shows the status, days late, extension and e-mail problem of each unit', () => {
    const html = renderPeriodPage(status(), ADMIN, { today: TODAY, filter: 'all' });
    const cell = (unitId: string) =>
      new RegExp(
        `data-unit-id="${unitId}">[\\s\\S]*?<td data-label="Tình trạng" class="\\w+">([\\s\\S]*?)</td>`,
      ).exec(html)?.[1];

    expect(cell('cb-a')).toBe('Đúng hạn');
    expect(cell('cb-b')).toBe(
      'Trễ hạn <span class="muted">(2 ngày)</span><br><span class="muted">gia hạn đến 16/12/2026</span>',
    );
    expect(cell('cb-c')).toContain(
      '<span class="missing" data-mail-problem>Lỗi gửi e-mail: Thư bị trả lại</span>',
    );
    expect(html).toContain('<svg role="img"');
  });

  it('shows a viewer no action and no form but the sign-out', () => {
    const html = renderPeriodPage(status(), VIEWER, { today: TODAY, filter: 'all' });

    expect(html).not.toContain('Gửi lại liên kết');
    expect(html).not.toContain('Thu hồi');
    expect(html).not.toContain('Tổng hợp kết quả</button>');
    expect(html.match(/<form/g)).toHaveLength(1);
    expect(html).toContain('<a class="unit-link" href="/admin/plans/12-kh-dus-2025/2026/units/cb-a">');
  });

  it('offers no link action on a closed period', () => {
    const html = renderPeriodPage(status(ROWS, { ...PERIOD, status: 'closed' }), ADMIN, {
      today: '2027-02-01',
      filter: 'all',
    });

    expect(html).not.toContain('Gửi lại liên kết');
    expect(html).toContain('Tổng hợp kết quả</button>');
  });

  it('lists the units withdrawn from the period apart, with the date and reason', () => {
    const withdrawn = {
      ...row('cb-x', 'Chi bộ X'),
      withdrawn: {
        from: '2026-12-01',
        reason: 'retired' as const,
        detail: 'sáp nhập: vào Chi bộ A',
        at: 'x',
      },
    };
    const html = renderPeriodPage({ ...status(), withdrawn: [withdrawn] }, ADMIN, { today: TODAY });

    expect(html).toContain('Đơn vị không còn báo cáo trong kỳ này (1)');
    expect(html).toContain('— từ ngày 01/12/2026: sáp nhập: vào Chi bộ A</li>');
  });
});

const VIEW: UnitInPeriodView = {
  plan: { id: PLAN.id, number: PLAN.number, title: PLAN.title },
  period: PERIOD,
  unit: { unitId: 'cb-a', unitName: 'Chi bộ A', email: 'a@example.org', cc: ['b@example.org'] },
  status: 'on_time',
  deadline: '2026-12-20',
  extendedDeadline: '2026-12-20',
  closeDate: '2027-01-14',
  submittedAt: '2026-11-20T03:00:00.000Z',
  latestVersion: 2,
  versionsBegun: 12,
  files: [
    { uploadId: '2-abc', fileName: 'Báo cáo.pdf', size: 2048, contentType: 'application/pdf', sha256: 'x' },
  ],
  notes: [
    { number: '1', title: 'Số hóa hồ sơ', text: 'Đã số hóa 120 hồ sơ.\nCòn 30 hồ sơ.' },
    { number: '2', title: 'Đào tạo', text: '' },
    { number: '7', title: null, text: '=HYPERLINK("http://x")' },
  ],
  versions: [
    {
      version: 3,
      createdAt: '2026-11-21T03:00:00.000Z',
      submittedAt: null,
      onTime: null,
      expectedFiles: 1,
      files: [],
      rejected: [{ fileName: 'x.exe', reason: 'Không phải PDF' }],
      counted: false,
    },
    {
      version: 2,
      createdAt: '2026-11-20T02:59:00.000Z',
      submittedAt: '2026-11-20T03:00:00.000Z',
      onTime: true,
      expectedFiles: 1,
      files: [{ fileName: 'Báo cáo.pdf', size: 2048 }],
      rejected: [],
      counted: true,
    },
  ],
  mailProblem: { at: '2026-11-16T00:00:00.000Z', problem: 'Thư bị trả lại' },
  withdrawn: null,
  withdrawnNow: false,
};

describe('renderUnitPage', () => {
  const html = renderUnitPage(VIEW, ADMIN, { today: TODAY });

  it('shows the notes per task group with the plan’s titles, as text', () => {
    expect(html).toContain('<h3>1. Số hóa hồ sơ</h3><p class="note">Đã số hóa 120 hồ sơ.\nCòn 30 hồ sơ.</p>');
    expect(html).toContain('<h3>2. Đào tạo</h3><p class="muted">Không có ý kiến.</p>');
    expect(html).toContain(
      '<h3>7. Nhóm nhiệm vụ không còn trong kế hoạch</h3><p class="note">=HYPERLINK(&quot;http://x&quot;)</p>',
    );
  });

  it('links the files of the version that counts, and lists the recent versions, newest first', () => {
    expect(html).toContain(
      '<a href="/admin/plans/12-kh-dus-2025/2026/units/cb-a/files/2-abc">Báo cáo.pdf</a>',
    );
    expect([...html.matchAll(/data-version="(\d+)"/g)].map((m) => m[1])).toEqual(['3', '2']);
    expect(html).toContain('data-version="2" data-counted');
    expect(html).toContain('bị từ chối: x.exe (Không phải PDF)');
    expect(html).toContain('Hiển thị 2 lần gần nhất trên 12 lần đơn vị đã bắt đầu nộp.');
  });

  it('shows the deadline, the extension and the e-mail problem', () => {
    expect(html).toContain('20/12/2026 <span class="muted">(gia hạn; hạn chung 15/12/2026)</span>');
    expect(html).toContain('data-mail-problem>Thư bị trả lại');
  });

  it('offers the extension as a text field dd/mm/yyyy with its label and bounds, and labelled actions', () => {
    expect(html).toContain('<label for="until">Gia hạn đến ngày (ngày/tháng/năm)</label>');
    expect(html).toMatch(
      /<input id="until" name="until" type="text"[^>]* placeholder="dd\/mm\/yyyy"[^>]* value="20\/12\/2026"/,
    );
    expect(html).not.toContain('type="date"');
    expect(html).toContain('Từ 15/12/2026 (hạn chung) đến 14/01/2027 (ngày đóng kỳ).');
    expect(html).toContain('aria-label="Gửi lại liên kết cho Chi bộ A"');
    expect(html).toContain(
      'href="/admin/plans/12-kh-dus-2025/2026/units/cb-a/revoke" aria-label="Thu hồi liên kết của Chi bộ A"',
    );
    expect(html).toContain('<input type="hidden" name="from" value="unit">');
  });

  it('shows a refused date beside the field, as typed, with the message', () => {
    const refused = renderUnitPage(VIEW, ADMIN, {
      today: TODAY,
      error: 'Ngày không hợp lệ',
      until: '31/02/2026',
    });

    expect(refused).toContain('<p class="notice error" role="alert">Ngày không hợp lệ <a href="#gia-han">');
    expect(refused).toContain('value="31/02/2026" aria-describedby="until-hint" aria-invalid="true"');
  });

  it('shows a viewer no action', () => {
    const viewer = renderUnitPage(VIEW, VIEWER, { today: TODAY });

    expect(viewer).not.toContain('name="until"');
    expect(viewer.match(/<form/g)).toHaveLength(1);
  });

  it('says when the unit has not reported yet', () => {
    const empty = renderUnitPage(
      {
        ...VIEW,
        latestVersion: 0,
        files: [],
        versions: [],
        versionsBegun: 0,
        status: 'missing',
        deadline: '2026-12-15',
        extendedDeadline: null,
        submittedAt: null,
      },
      ADMIN,
      { today: TODAY },
    );

    expect(empty).toContain('Đơn vị chưa nộp báo cáo.');
    expect(empty).toContain('Chưa có tệp nào.');
    expect(empty).toContain('Chưa nộp (5 ngày)');
  });
});

describe('renderRevokeConfirm', () => {
  it('says what will happen, posts once with the token, and offers a way back', () => {
    const html = renderRevokeConfirm(VIEW, ADMIN, { from: 'period', loc: 'missing' });

    expect(html).toContain('<h1>Thu hồi liên kết của Chi bộ A?</h1>');
    expect(html).toContain('tới a@example.org, b@example.org');
    expect(html).toContain(
      '<form method="post" action="/admin/plans/12-kh-dus-2025/2026/units/cb-a/revoke" class="inline"><input type="hidden" name="csrf" value="tok"><input type="hidden" name="loc" value="missing">',
    );
    expect(html).toContain(
      '<a class="button secondary inline" href="/admin/plans/12-kh-dus-2025/2026?loc=missing">Không thu hồi</a>',
    );
  });

  it('offers no button to a viewer, or on a closed period', () => {
    expect(renderRevokeConfirm(VIEW, VIEWER, { from: 'unit' })).not.toContain(
      '<form method="post" action="/admin/plans',
    );
    const closed = renderRevokeConfirm({ ...VIEW, period: { ...PERIOD, status: 'closed' } }, ADMIN, {
      from: 'unit',
    });
    expect(closed).toContain('Kỳ báo cáo đã đóng');
    expect(closed).not.toContain('Thu hồi và gửi liên kết mới</button>');
  });
});
