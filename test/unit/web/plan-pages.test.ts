/**
 * The plan pages as pure functions: what a quản trị sees and a theo dõi does not, how missing and
 * invalid fields are marked for assistive technology, and that every text is escaped.
 */
import { describe, expect, it } from 'vitest';
import {
  nextYear,
  renderDashboard,
  renderImportForm,
  renderOpenConfirm,
  renderPlan,
  renderPlanPreview,
} from '#functions/web/plan-pages.ts';
import type { Plan } from '#shared/domain/plan.ts';
import type { OpenPreview } from '#shared/periods/open-now.ts';
import type { PlanInput } from '#shared/plans/plan-input.ts';
import { defaultCalendar } from '#shared/plans/plans.ts';

const NOW = new Date('2026-11-29T02:00:00Z');
const ctx = (role: 'admin' | 'viewer') => ({
  committeeName: 'Đảng ủy Sở',
  timeZone: 'Asia/Ho_Chi_Minh',
  session: { email: 'a@example.org', csrf: 'tok', role },
});

const PLAN: Plan = {
  id: '30-kh-duk',
  number: '30-KH/ĐUK',
  date: null,
  title: '<img src=x onerror=alert(1)> Đổi mới',
  issuer: 'Đảng ủy Sở',
  superior: { number: '59-KH/ĐUK', date: '2022-03-22' },
  taskGroups: [{ number: '1', title: 'Nhóm <b>một</b>', body: '' }],
  recipients: ['ĐUK'],
  reportingFrequency: 'yearly',
  calendar: defaultCalendar('Asia/Ho_Chi_Minh'),
  recipientUnitIds: null,
  sourceFileName: 'ke-hoach.docx',
  importedAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-01T00:00:00.000Z',
};

const INPUT: PlanInput = {
  number: '',
  date: '',
  title: 'Tên',
  issuer: 'Đảng ủy Sở',
  superiorNumber: '',
  superiorDate: '',
  taskGroups: [],
  recipients: [],
  reportingFrequency: '',
  deadline: '15/12',
  sourceFileName: 'x.txt',
};

const OPEN: OpenPreview = {
  plan: PLAN,
  year: 2026,
  period: null,
  openDate: '2026-11-29',
  deadline: '2026-12-15',
  closeDate: '2027-01-14',
  timeZone: 'Asia/Ho_Chi_Minh',
  toEmail: [{ unitId: 'cb-a', name: 'Chi bộ A', email: 'a@example.org', cc: [] }],
  alreadyLinked: 0,
  blocker: null,
};

describe('plan pages', () => {
  it('gives the "Nhập kế hoạch" button, the calendar form and "open now" to a quản trị only', () => {
    const overview = [{ plan: PLAN, periods: [], current: null }];
    expect(renderDashboard(overview, ctx('admin'), { now: NOW })).toContain('>Nhập kế hoạch</a>');
    expect(renderDashboard(overview, ctx('viewer'), { now: NOW })).not.toContain('Nhập kế hoạch');
    expect(renderImportForm(ctx('admin'))).toContain('enctype="multipart/form-data"');
    expect(renderImportForm(ctx('viewer'))).not.toContain('enctype="multipart/form-data"');

    const admin = renderPlan(PLAN, [], ctx('admin'), { now: NOW });
    const viewer = renderPlan(PLAN, [], ctx('viewer'), { now: NOW });
    expect(admin).toContain('action="/admin/plans/30-kh-duk/calendar"');
    expect(admin).toContain('Mở kỳ báo cáo năm 2026 ngay');
    expect(viewer).not.toContain('/calendar"');
    expect(viewer).not.toContain('Mở kỳ báo cáo');
    expect(viewer).toContain('Lịch báo cáo');

    expect(renderOpenConfirm(OPEN, ctx('admin'))).toContain('Mở kỳ và gửi 1 e-mail');
    expect(renderOpenConfirm(OPEN, ctx('viewer'))).not.toContain(
      '<form method="post" action="/admin/plans/30-kh-duk/2026/open"',
    );
    const view = { input: INPUT, missing: [], errors: {}, existing: null, diff: null, reviewedUpdatedAt: '' };
    expect(renderPlanPreview(view, ctx('admin'))).toContain('>Lưu kế hoạch</button>');
    expect(renderPlanPreview(view, ctx('viewer'))).not.toContain('Lưu kế hoạch</button>');
  });

  it('escapes the plan’s own text', () => {
    const page = renderPlan(PLAN, [], ctx('admin'), { now: NOW });
    expect(page).not.toContain('<img');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt; Đổi mới');
    expect(page).toContain('Nhóm &lt;b&gt;một&lt;/b&gt;');
  });

  it('marks the fields not read and the fields refused, each tied to its note', () => {
    const page = renderPlanPreview(
      {
        input: INPUT,
        missing: ['number', 'taskGroups', 'reportingFrequency'],
        errors: { deadline: 'Hạn nộp sai.' },
        existing: null,
        diff: null,
        reviewedUpdatedAt: '',
      },
      ctx('admin'),
    );
    expect(page).toMatch(
      /<input id="number"[^>]*aria-describedby="number-missing number-hint" aria-invalid="true">/,
    );
    expect(page).toMatch(
      /<input id="deadline"[^>]*aria-describedby="deadline-error deadline-hint" aria-invalid="true">/,
    );
    expect(page).toContain(
      '<p class="field-note field-error" id="deadline-error" data-error="deadline">Hạn nộp sai.</p>',
    );
    expect(page).toMatch(
      /<select id="reportingFrequency" name="reportingFrequency" aria-describedby="reportingFrequency-missing" aria-invalid="true">\s*<option value="" selected>— Chọn —<\/option>/,
    );
    // A fieldset is described by its note, not marked invalid (ARIA allows no aria-invalid there).
    expect(page).toContain('<fieldset id="taskGroups" aria-describedby="taskGroups-missing">');
    expect(page).toContain('Có 3 mục chưa đọc được từ tài liệu');
    // With no group read, the empty rows to add some are there.
    expect(page.match(/data-group-row=/g)).toHaveLength(3);
  });

  it('opens the period of this year until its deadline, then of the next', () => {
    expect(nextYear(PLAN, '2026-12-15')).toBe(2026);
    expect(nextYear(PLAN, '2026-12-16')).toBe(2027);
  });

  it('says when a period cannot be opened, with the way back', () => {
    const page = renderOpenConfirm({ ...OPEN, toEmail: [], blocker: 'Hạn nộp đã qua.' }, ctx('admin'));
    expect(page).toContain('<p class="error" role="alert" data-blocker>Hạn nộp đã qua.</p>');
    expect(page).toContain('href="/admin/plans/30-kh-duk#lich"');
    expect(page).not.toContain('action="/admin/plans/30-kh-duk/2026/open"');
  });
});
