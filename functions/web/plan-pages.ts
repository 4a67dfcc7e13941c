/**
 * The committee's plans (Vietnamese): the list of plans, one plan with its calendar, the import
 * of a plan document (upload → preview of every field → save) and the confirmation asked before
 * a period is opened. Pure functions of the data they show; forms work without JavaScript.
 */
import { html, type PageSession, page, SafeHtml } from '#functions/http/html.ts';
import { pathFor } from '#functions/http/routes.ts';
import { formatBytes } from '#shared/domain/bytes.ts';
import { formatDateTimeVi, formatDateVi, localDate, periodDates } from '#shared/domain/calendar.ts';
import type { Period } from '#shared/domain/period.ts';
import {
  DEFAULT_REMINDER_DAYS,
  type DocumentReference,
  PLAN_DOCUMENT_EXTENSIONS,
  type Plan,
} from '#shared/domain/plan.ts';
import { MAX_WEB_UPLOAD_BYTES, PLAN_FIELD_LIMITS } from '#shared/input-limits.ts';
import type { OpenPreview } from '#shared/periods/open-now.ts';
import type { PlanOverview } from '#shared/periods/plan-overview.ts';
import { CALENDAR_LIMITS } from '#shared/periods/reporting-calendar.ts';
import type { DraftField, FieldSource, PlanDraft, ReportingCycle } from '#shared/plans/parse-plan.ts';
import type { FieldChange, PlanDiff } from '#shared/plans/plan-diff.ts';
import {
  type FieldErrors,
  formatDayMonthVi,
  type PlanField,
  type PlanInput,
  REPORTING_FREQUENCIES,
} from '#shared/plans/plan-input.ts';
import { EMPTY_GROUP_ROWS } from './plan-form.ts';

interface PageContext {
  committeeName: string;
  timeZone: string;
  session?: PageSession | undefined;
}

const isAdmin = (ctx: PageContext) => ctx.session?.role === 'admin';
const planPath = (plan: Pick<Plan, 'id'>) => pathFor('plan', { planId: plan.id });
const periodPath = (planId: string, year: number) => pathFor('period', { planId, year });

/** What `?done=…` on the list of plans and on a plan's page says happened. */
export const PLAN_NOTICES = {
  created: 'Đã lưu kế hoạch mới. Hãy kiểm tra lịch báo cáo bên dưới trước khi mở kỳ báo cáo.',
  updated: 'Đã lưu những thay đổi của kế hoạch. Lịch báo cáo và các đơn vị nhận kế hoạch giữ nguyên.',
  calendar: 'Đã lưu lịch báo cáo.',
} as const;

function noticeOf(done: string | undefined): string | undefined {
  return done && Object.hasOwn(PLAN_NOTICES, done)
    ? PLAN_NOTICES[done as keyof typeof PLAN_NOTICES]
    : undefined;
}

// ---------------------------------------------------------------------------------------------
// The list of plans

/** Every plan with its current period's progress; admins get the "Nhập kế hoạch" button. */
export function renderDashboard(
  plans: PlanOverview[],
  ctx: PageContext,
  extra: { done?: string | undefined; now?: Date } = {},
): string {
  const notice = noticeOf(extra.done);
  const now = extra.now ?? new Date();
  const body = html`<div class="page-head"><h1>Các kế hoạch</h1>
      ${isAdmin(ctx) ? html`<a class="button" href="${pathFor('planImportPage', {})}">Nhập kế hoạch</a>` : ''}</div>
    ${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
    ${
      plans.length === 0
        ? html`<p class="muted">Chưa có kế hoạch nào.${isAdmin(ctx) ? ' Bấm “Nhập kế hoạch” để tải lên tài liệu kế hoạch (.docx, .pdf hoặc .txt).' : ''}</p>`
        : plans.map((overview) => planCard(overview, now))
    }`;
  return page('Các kế hoạch', body, ctx);
}

function planCard({ plan, current }: PlanOverview, now: Date): SafeHtml {
  return html`<section class="card" data-plan-id="${plan.id}">
    <h2><a href="${planPath(plan)}">Kế hoạch số ${plan.number}</a></h2>
    <p>${plan.title}</p>
    <p class="muted">${plan.issuer}${plan.date ? html` · ngày ${formatDateVi(plan.date)}` : ''} · ${plan.taskGroups.length} nhóm nhiệm vụ · báo cáo hằng năm, hạn ${formatDayMonthVi(plan.calendar.deadline)}</p>
    ${
      current
        ? html`<p data-current-period="${current.period.year}"><a href="${periodPath(plan.id, current.period.year)}">Năm ${current.period.year}</a>:
            <strong data-progress>${current.reported}/${current.expected} đã nộp</strong> · hạn nộp ${formatDateVi(current.period.deadline)} ·
            ${periodState(current.period, now)}</p>`
        : html`<p class="muted">Chưa mở kỳ báo cáo nào.</p>`
    }
  </section>`;
}

function periodState(period: Period, now: Date): SafeHtml {
  if (period.status === 'closed') return html`<span class="muted">đã đóng</span>`;
  const today = localDate(now, period.timeZone);
  return today > period.closeDate
    ? html`<span class="late">hết hạn nhận, chờ đóng</span>`
    : html`<span class="on_time">đang mở</span>`;
}

// ---------------------------------------------------------------------------------------------
// One plan

/** What the calendar form shows again after a refused save: the values typed and the problems. */
export interface CalendarForm {
  values: { deadline: string; openDaysBefore: string; closeDaysAfter: string; reminderDays: string };
  errors: Partial<Record<keyof CalendarForm['values'], string>>;
  /** Problems of the calendar as a whole (the use case's message). */
  problem?: string | undefined;
}

/** The reminder steps as typed in the form, e.g. the default curve "-14, -7, …". */
export function formatReminderDays(days: readonly number[]): string {
  return days.join(', ');
}

/** A plan, its calendar (with the edit form for admins), its periods and the "open now" link. */
export function renderPlan(
  plan: Plan,
  periods: Period[],
  ctx: PageContext,
  extra: { done?: string | undefined; calendarForm?: CalendarForm | undefined; now?: Date } = {},
): string {
  const notice = noticeOf(extra.done);
  const calendar = plan.calendar;
  const now = extra.now ?? new Date();
  const today = localDate(now, calendar.timeZone);
  const year = nextYear(plan, today);
  const dates = periodDates(year, calendar);
  const open = periods.find((p) => p.year === year);
  const body = html`<p><a href="/admin">← Các kế hoạch</a></p>
    <h1>Kế hoạch số ${plan.number}</h1>
    ${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
    <p><strong>${plan.title}</strong></p>
    <p class="muted">${plan.issuer}${plan.date ? html` · ngày ${formatDateVi(plan.date)}` : ''} · nhập từ tệp ${plan.sourceFileName || '—'} lúc ${formatDateTimeVi(plan.updatedAt, ctx.timeZone)}</p>
    ${plan.superior ? html`<p>Thực hiện ${referenceText(plan.superior)}.</p>` : ''}
    ${isAdmin(ctx) ? html`<p><a href="${pathFor('planImportPage', {})}">Nhập lại tài liệu kế hoạch</a> (xem trước những thay đổi rồi mới lưu)</p>` : ''}
    <h2>Nhiệm vụ và giải pháp</h2>
    <ol class="tasks">${plan.taskGroups.map((t) => html`<li><strong>${t.number}.</strong> ${t.title}</li>`)}</ol>
    <h2>Nơi nhận</h2>
    ${plan.recipients.length ? html`<ul>${plan.recipients.map((r) => html`<li>${r}</li>`)}</ul>` : html`<p class="muted">Không ghi nơi nhận.</p>`}
    <p data-recipient-units>Đơn vị báo cáo: <strong>${plan.recipientUnitIds === null ? 'tất cả đơn vị đang hoạt động' : `${plan.recipientUnitIds.length} đơn vị được chọn`}</strong> — <a href="${pathFor('planRecipients', { planId: plan.id })}">${isAdmin(ctx) ? 'Xem và chọn đơn vị báo cáo' : 'Xem đơn vị báo cáo'}</a></p>
    <h2 id="lich">Lịch báo cáo</h2>
    <dl class="kv" data-calendar>
      <dt>Hạn nộp</dt><dd>ngày ${formatDayMonthVi(calendar.deadline)} hằng năm (năm ${year}: ${formatDateVi(dates.deadline)})</dd>
      <dt>Mở kỳ</dt><dd>${calendar.openDaysBefore} ngày trước hạn (năm ${year}: ${formatDateVi(dates.openDate)})</dd>
      <dt>Nhắc nhở</dt><dd>${reminderText(calendar.reminderDays)}</dd>
      <dt>Đóng kỳ</dt><dd>${calendar.closeDaysAfter} ngày sau hạn, không nhận báo cáo sau ngày này (năm ${year}: ${formatDateVi(dates.closeDate)})</dd>
      <dt>Múi giờ</dt><dd>${calendar.timeZone}</dd>
    </dl>
    ${isAdmin(ctx) ? calendarForm(plan, extra.calendarForm, ctx.session?.csrf ?? '') : ''}
    <h2>Kỳ báo cáo</h2>
    ${periods.length === 0 ? html`<p class="muted">Chưa mở kỳ báo cáo nào.</p>` : ''}
    ${
      open
        ? ''
        : html`<p class="muted" data-next-open>${
            today < dates.openDate
              ? `Kỳ báo cáo năm ${year} tự mở ngày ${formatDateVi(dates.openDate)} và gửi liên kết cho các đơn vị.`
              : `Đã đến ngày mở kỳ năm ${year} (${formatDateVi(dates.openDate)}): kỳ sẽ tự mở trong lần chạy hằng ngày tới, hoặc đồng chí mở ngay.`
          }</p>`
    }
    ${
      periods.length === 0
        ? ''
        : html`<ul>${periods.map(
            (p) =>
              html`<li><a href="${periodPath(plan.id, p.year)}">Năm ${p.year}</a> — mở ${formatDateVi(p.openDate)}, hạn ${formatDateVi(p.deadline)}, đóng ${formatDateVi(p.closeDate)} (${p.status === 'open' ? 'đang mở' : 'đã đóng'})</li>`,
          )}</ul>`
    }
    ${
      isAdmin(ctx) && open?.status !== 'closed'
        ? html`<p><a class="button" href="${pathFor('openPeriodConfirm', { planId: plan.id, year })}">${open ? `Gửi liên kết cho đơn vị chưa nhận (kỳ ${year})` : `Mở kỳ báo cáo năm ${year} ngay`}</a></p>
          <p class="muted">Trước khi mở, trang sau liệt kê các đơn vị sẽ nhận e-mail để đồng chí xác nhận.</p>`
        : ''
    }`;
  return page(`Kế hoạch ${plan.number}`, body, ctx);
}

/** The year of the next deadline: this year's until it has passed, then next year's. */
export function nextYear(plan: Pick<Plan, 'calendar'>, today: string): number {
  const year = Number(today.slice(0, 4));
  return periodDates(year, plan.calendar).deadline >= today ? year : year + 1;
}

function reminderText(days: readonly number[]): string {
  if (days.length === 0) return 'không gửi e-mail nhắc';
  const before = days
    .filter((d) => d < 0)
    .map((d) => -d)
    .sort((a, b) => b - a);
  const after = days.filter((d) => d > 0).sort((a, b) => a - b);
  const list = (xs: number[]) =>
    xs.length > 1 ? `${xs.slice(0, -1).join(', ')} và ${xs.at(-1)}` : String(xs[0]);
  const parts = [
    ...(before.length ? [`${list(before)} ngày trước hạn`] : []),
    ...(after.length ? [`${list(after)} ngày sau hạn (cho đơn vị chưa nộp)`] : []),
  ];
  return `gửi e-mail nhắc ${parts.join('; ')}`;
}

function calendarForm(plan: Plan, form: CalendarForm | undefined, csrf: string): SafeHtml {
  const c = plan.calendar;
  const values = form?.values ?? {
    deadline: formatDayMonthVi(c.deadline),
    openDaysBefore: String(c.openDaysBefore),
    closeDaysAfter: String(c.closeDaysAfter),
    reminderDays: formatReminderDays(c.reminderDays),
  };
  const errors = form?.errors ?? {};
  const field = (
    name: keyof CalendarForm['values'],
    label: string,
    hint: string,
    attrs: { inputmode?: string; placeholder?: string } = {},
  ) => {
    const id = `cal-${name}`;
    const error = errors[name];
    const described = [`${id}-hint`, ...(error ? [`${id}-error`] : [])].join(' ');
    return html`<label for="${id}">${label}</label>
      <input id="${id}" name="${name}" type="text" value="${values[name]}" inputmode="${attrs.inputmode ?? 'text'}"
        ${attrs.placeholder ? html`placeholder="${attrs.placeholder}"` : ''} aria-describedby="${described}"${error ? html` aria-invalid="true"` : ''}>
      <p class="field-note muted" id="${id}-hint">${hint}</p>
      ${error ? html`<p class="field-note field-error" id="${id}-error">${error}</p>` : ''}`;
  };
  return html`<details class="card"${form ? ' open' : ''}><summary>Sửa lịch báo cáo</summary>
    <form method="post" action="${pathFor('planCalendar', { planId: plan.id })}" novalidate>
      <input type="hidden" name="csrf" value="${csrf}">
      ${form?.problem ? html`<p class="error" role="alert">${form.problem}</p>` : ''}
      ${field('deadline', 'Hạn nộp hằng năm', 'Ngày/tháng, ví dụ 15/12. 29/02 là 28/02 trong năm không nhuận.', { placeholder: 'dd/mm' })}
      ${field('openDaysBefore', 'Mở kỳ trước hạn (số ngày)', `Kỳ báo cáo tự mở và gửi liên kết cho các đơn vị từng này ngày trước hạn nộp (${CALENDAR_LIMITS.openDaysBefore.min}–${CALENDAR_LIMITS.openDaysBefore.max}).`, { inputmode: 'numeric' })}
      ${field('closeDaysAfter', 'Đóng kỳ sau hạn (số ngày)', `Đơn vị còn nộp trễ được đến từng này ngày sau hạn nộp (${CALENDAR_LIMITS.closeDaysAfter.min}–${CALENDAR_LIMITS.closeDaysAfter.max}); sau đó kỳ đóng.`, { inputmode: 'numeric' })}
      ${field('reminderDays', 'Các ngày nhắc', `Số ngày tính từ hạn nộp của từng đơn vị, cách nhau bằng dấu phẩy: số âm là trước hạn (-7: bảy ngày trước hạn), số dương là sau hạn, nhắc đơn vị chưa nộp (1: một ngày sau hạn). Mặc định: ${DEFAULT_REMINDER_DAYS.join(', ')}. Để trống nếu không muốn nhắc.`)}
      <p class="muted">Kỳ báo cáo đã mở giữ nguyên hạn nộp và ngày đóng; các ngày nhắc mới áp dụng từ ngày mai.</p>
      <button type="submit">Lưu lịch báo cáo</button>
    </form></details>`;
}

// ---------------------------------------------------------------------------------------------
// Import: the upload form, the preview

/** The form to upload a plan document; `error` says why the last file was refused. */
export function renderImportForm(ctx: PageContext, error?: string): string {
  const body = html`<p><a href="/admin">← Các kế hoạch</a></p>
    <h1>Nhập kế hoạch</h1>
    <p>Chọn tài liệu kế hoạch (Word .docx hoặc văn bản .txt). Hệ thống đọc số, ngày, tên kế hoạch, cơ quan ban hành, văn bản cấp trên, các nhóm nhiệm vụ và nơi nhận, rồi cho đồng chí xem và sửa từng mục <strong>trước khi lưu</strong>.</p>
    ${error ? html`<p class="error" role="alert" id="file-error">${error}</p>` : ''}
    ${isAdmin(ctx) ? importForm(ctx, error) : html`<p class="notice" role="status">Chỉ thành viên quản trị được nhập kế hoạch.</p>`}`;
  return page('Nhập kế hoạch', body, ctx);
}

function importForm(ctx: PageContext, error: string | undefined): SafeHtml {
  const accept = PLAN_DOCUMENT_EXTENSIONS.join(',');
  return html`<form method="post" action="${pathFor('planImportPreview', {})}" enctype="multipart/form-data">
      <input type="hidden" name="csrf" value="${ctx.session?.csrf ?? ''}">
      <label for="file">Tài liệu kế hoạch (.docx, .pdf có lớp chữ, .txt)</label>
      <input id="file" name="file" type="file" accept="${accept}" required aria-describedby="file-hint${error ? ' file-error' : ''}"${error ? html` aria-invalid="true"` : ''}>
      <p class="field-note muted" id="file-hint">Tối đa ${formatBytes(MAX_WEB_UPLOAD_BYTES)}. Tài liệu lớn hơn: dùng lệnh <code>baocao plan import</code>.</p>
      <button type="submit">Đọc tài liệu</button>
    </form>`;
}

/** What the preview form shows: the values, what was not read, the problems, the plan it replaces. */
export interface PreviewView {
  input: PlanInput;
  /** Fields the reader could not read: empty and marked "Chưa đọc được — hãy điền". */
  missing: readonly PlanField[];
  errors: FieldErrors;
  /** The stored plan this save would replace, with what changes. */
  existing: Plan | null;
  diff: PlanDiff | null;
  /**
   * The `updatedAt` of the stored plan whose changes this page shows (saving then replaces it
   * without asking again); '' when it shows none.
   */
  reviewedUpdatedAt: string;
  /** Why the form is shown again (a refused save). */
  problem?: string | undefined;
  /** What the document gave, with where each field was read; absent when the form was posted back. */
  draft?: PlanDraft | undefined;
}

/** The reader's field each form field shows. */
const SOURCE_OF_FIELD: Partial<Record<PlanField, DraftField>> = {
  number: 'number',
  date: 'date',
  title: 'title',
  issuer: 'issuer',
  superiorNumber: 'superior',
  superiorDate: 'superior',
  taskGroups: 'taskGroups',
  recipients: 'recipients',
  reportingFrequency: 'reportingFrequency',
  deadline: 'deadline',
};

const CYCLES_VI: Record<ReportingCycle, string> = {
  yearly: 'hằng năm',
  'half-yearly': '6 tháng',
  quarterly: 'hằng quý',
  monthly: 'hằng tháng',
  periodic: 'định kỳ (không ghi rõ)',
  review: 'sơ kết, tổng kết',
};

const DOCUMENT_TYPES_VI = { KH: 'Kế hoạch', CTr: 'Chương trình', HD: 'Hướng dẫn' } as const;

const FIELD_LABELS: Record<Exclude<PlanField, 'taskGroups' | 'sourceFileName'>, string> = {
  number: 'Số kế hoạch',
  date: 'Ngày ban hành',
  title: 'Tên kế hoạch (trích yếu)',
  issuer: 'Cơ quan ban hành',
  superiorNumber: 'Số văn bản cấp trên',
  superiorDate: 'Ngày văn bản cấp trên',
  recipients: 'Nơi nhận',
  reportingFrequency: 'Định kỳ báo cáo',
  deadline: 'Hạn nộp hằng năm',
};

/**
 * Every field of a plan, editable, before it is saved: read from a document (missing parts
 * marked), or posted and refused (each problem beside its field, with what was typed).
 */
export function renderPlanPreview(view: PreviewView, ctx: PageContext): string {
  const { input, errors, existing, diff } = view;
  const missing = new Set(view.missing);
  const problems = Object.keys(errors).length;
  const admin = isAdmin(ctx);

  const draft = view.draft;
  /** Where the document said it: the line and its text; or, read from a document, that it did not. */
  const sourceOf = (field: PlanField | null): FieldSource | 'not-found' | undefined => {
    const from = field === null ? undefined : SOURCE_OF_FIELD[field];
    if (!draft || !from) return undefined;
    return draft.sources[from] ?? 'not-found';
  };

  /** The notes under a field, and the attributes that tie them to it. */
  const notes = (key: string, field: PlanField | null, hint?: string) => {
    const id = key.replace(/\./g, '-');
    const isMissing = field !== null && missing.has(field) && !errors[key];
    const error = errors[key];
    const source = isMissing ? undefined : sourceOf(field);
    const ids = [
      ...(isMissing ? [`${id}-missing`] : []),
      ...(error ? [`${id}-error`] : []),
      ...(source ? [`${id}-source`] : []),
      ...(hint ? [`${id}-hint`] : []),
    ];
    return {
      attrs: html`${ids.length ? html` aria-describedby="${ids.join(' ')}"` : ''}${isMissing || error ? html` aria-invalid="true"` : ''}`,
      below: html`${
        isMissing
          ? html`<p class="field-note field-missing" id="${id}-missing" data-missing="${key}">Chưa đọc được — hãy điền.</p>`
          : ''
      }${error ? html`<p class="field-note field-error" id="${id}-error" data-error="${key}">${error}</p>` : ''}${
        source === 'not-found'
          ? html`<p class="field-note field-missing" id="${id}-source" data-not-found="${key}">Không thấy trong tài liệu — hãy điền nếu có.</p>`
          : source
            ? html`<p class="field-note muted" id="${id}-source" data-source="${key}">Đọc từ dòng ${source.line}: “${source.text}”</p>`
            : ''
      }${hint ? html`<p class="field-note muted" id="${id}-hint">${hint}</p>` : ''}`,
    };
  };
  const textField = (
    name: Exclude<PlanField, 'taskGroups' | 'recipients' | 'sourceFileName' | 'reportingFrequency'>,
    hint?: string,
    extra: { placeholder?: string; maxlength?: number; wide?: boolean } = {},
  ) => {
    const n = notes(name, name, hint);
    return html`<label for="${name}">${FIELD_LABELS[name]}</label>
      <input id="${name}" name="${name}" type="text" value="${input[name]}"${extra.placeholder ? html` placeholder="${extra.placeholder}"` : ''}${extra.maxlength ? html` maxlength="${extra.maxlength}"` : ''}${extra.wide ? html` class="wide"` : ''}${n.attrs}>
      ${n.below}`;
  };

  const rows = [
    ...input.taskGroups,
    ...Array.from({ length: EMPTY_GROUP_ROWS }, () => ({ number: '', title: '', body: '' })),
  ];
  const groupsNotes = notes('taskGroups', 'taskGroups');
  // A fieldset takes aria-describedby but not aria-invalid: its notes are tied to it only.
  const groupsDescribed = groupsNotes.attrs.value.replace(' aria-invalid="true"', '');
  const recipientsNotes = notes(
    'recipients',
    'recipients',
    'Mỗi nơi nhận một dòng, ví dụ “Các chi bộ trực thuộc”.',
  );
  const frequencyNotes = notes('reportingFrequency', 'reportingFrequency');
  const deadlineNotes = notes(
    'deadline',
    'deadline',
    existing
      ? 'Ngày/tháng, ví dụ 15/12. Đang là hạn nộp trong lịch báo cáo của kế hoạch đã có.'
      : 'Ngày/tháng, ví dụ 15/12. Tài liệu thường không ghi hạn nộp: hãy kiểm tra.',
  );

  const body = html`<p><a href="${pathFor('planImportPage', {})}">← Chọn tài liệu khác</a></p>
    <h1>Xem trước kế hoạch</h1>
    <p>Đọc từ tệp <strong>${input.sourceFileName || '—'}</strong>. Kiểm tra và sửa từng mục, rồi bấm <strong>Lưu kế hoạch</strong>. Chưa có gì được lưu.</p>
    ${view.problem ? html`<p class="error" role="alert">${view.problem}</p>` : ''}
    ${
      missing.size > 0 && !view.problem
        ? html`<p class="notice" role="status">Có ${missing.size} mục chưa đọc được từ tài liệu (đánh dấu “Chưa đọc được”): hãy điền trước khi lưu.</p>`
        : ''
    }
    ${problems > 0 && !view.problem ? html`<p class="error" role="alert">Có ${problems} mục cần sửa (ghi ngay dưới từng mục).</p>` : ''}
    ${existing && diff ? diffSection(existing, diff, ctx) : ''}
    ${draft ? readSection(draft) : ''}
    <form method="post" action="${pathFor('savePlan', {})}" novalidate>
      <input type="hidden" name="csrf" value="${ctx.session?.csrf ?? ''}">
      <input type="hidden" name="sourceFileName" value="${input.sourceFileName}">
      <input type="hidden" name="reviewedUpdatedAt" value="${view.reviewedUpdatedAt}">
      <fieldset><legend>Thông tin chung</legend>
        ${textField('number', 'Ví dụ 30-KH/ĐUK. Số và năm ban hành tạo thành mã của kế hoạch.', { maxlength: PLAN_FIELD_LIMITS.number })}
        ${textField('date', 'Ngày/tháng/năm, ví dụ 22/03/2022. Để trống nếu tài liệu không ghi ngày.', { placeholder: 'dd/mm/yyyy' })}
        <label for="title">${FIELD_LABELS.title}</label>
        ${(() => {
          const n = notes('title', 'title');
          return html`<textarea id="title" name="title" rows="2" class="wide" maxlength="${PLAN_FIELD_LIMITS.title}"${n.attrs}>${input.title}</textarea>${n.below}`;
        })()}
        ${textField('issuer', 'Ví dụ Đảng ủy Sở Thông tin và Truyền thông.', { maxlength: PLAN_FIELD_LIMITS.issuer, wide: true })}
      </fieldset>
      <fieldset><legend>Văn bản cấp trên (thực hiện văn bản nào)</legend>
        ${textField('superiorNumber', 'Ví dụ 59-KH/ĐUK. Để trống nếu kế hoạch không thực hiện văn bản cấp trên.', { maxlength: PLAN_FIELD_LIMITS.superiorNumber })}
        ${textField('superiorDate', 'Ngày/tháng/năm của văn bản cấp trên.', { placeholder: 'dd/mm/yyyy' })}
      </fieldset>
      <fieldset id="taskGroups"${new SafeHtml(groupsDescribed)}><legend>Nhiệm vụ và giải pháp (các nhóm nhiệm vụ đơn vị báo cáo)</legend>
        <p class="field-note muted">Sửa tên từng nhóm; đổi số ở ô “Thứ tự” để chuyển nhóm đến vị trí đó; đánh dấu “Xóa nhóm này” để bỏ; điền vào dòng trống để thêm nhóm (tối đa ${PLAN_FIELD_LIMITS.taskGroups} nhóm).</p>
        ${groupsNotes.below}
        ${rows.map((group, i) => groupRow(group, i, i >= input.taskGroups.length, errors))}
      </fieldset>
      <fieldset><legend>Nơi nhận và định kỳ báo cáo</legend>
        <label for="recipients">${FIELD_LABELS.recipients}</label>
        <textarea id="recipients" name="recipients" rows="${Math.min(Math.max(input.recipients.length + 1, 3), 12)}" class="wide"${recipientsNotes.attrs}>${input.recipients.join('\n')}</textarea>
        ${recipientsNotes.below}
        <label for="reportingFrequency">${FIELD_LABELS.reportingFrequency}</label>
        <select id="reportingFrequency" name="reportingFrequency"${frequencyNotes.attrs}>
          ${Object.hasOwn(REPORTING_FREQUENCIES, input.reportingFrequency) ? '' : html`<option value="" selected>— Chọn —</option>`}
          ${Object.entries(REPORTING_FREQUENCIES).map(
            ([value, label]) =>
              html`<option value="${value}"${input.reportingFrequency === value ? ' selected' : ''}>${label}</option>`,
          )}
        </select>
        ${frequencyNotes.below}
        <label for="deadline">${FIELD_LABELS.deadline}</label>
        <input id="deadline" name="deadline" type="text" value="${input.deadline}" placeholder="dd/mm" inputmode="numeric"${deadlineNotes.attrs}>
        ${deadlineNotes.below}
      </fieldset>
      ${admin ? html`<button type="submit">${existing ? 'Lưu những thay đổi' : 'Lưu kế hoạch'}</button>` : ''}
      <a class="link-action" href="/admin">Hủy, không lưu</a>
    </form>`;
  return page('Xem trước kế hoạch', body, ctx);
}

/** What else the document says, read-only: its type, the documents it rests on, the reporting duty. */
function readSection(draft: PlanDraft): SafeHtml {
  const none = html`<span class="muted">không thấy trong tài liệu</span>`;
  const who = [draft.reportedBy, draft.reportsTo ? `về ${draft.reportsTo}` : null].filter(Boolean).join(' ');
  return html`<section aria-labelledby="read-heading"><h2 id="read-heading">Tài liệu nói gì</h2>
    <dl class="read-facts">
      <dt>Loại văn bản</dt><dd>${draft.documentType ? DOCUMENT_TYPES_VI[draft.documentType] : none}</dd>
      <dt>Căn cứ, thực hiện</dt><dd>${
        draft.references.length > 0
          ? html`<ul>${draft.references.map(
              (r) =>
                html`<li>${r.type} số ${r.number}${r.date ? ` ngày ${formatDateVi(r.date)}` : ''}${r.issuer ? ` của ${r.issuer}` : ''}</li>`,
            )}</ul>`
          : none
      }</dd>
      <dt>Định kỳ báo cáo</dt><dd>${draft.reportingCycles.length > 0 ? draft.reportingCycles.map((c) => CYCLES_VI[c]).join(', ') : none}</dd>
      <dt>Hạn báo cáo ghi trong tài liệu</dt><dd>${draft.deadline ? formatDayMonthVi(draft.deadline) : none}</dd>
      <dt>Ai báo cáo, báo cáo về đâu</dt><dd>${who || none}</dd>
    </dl></section>`;
}

function groupRow(
  group: { number: string; title: string; body: string },
  i: number,
  empty: boolean,
  errors: FieldErrors,
): SafeHtml {
  const id = (part: string) => `g${i}-${part}`;
  const error = (part: string) => errors[`taskGroups.${i}.${part}`];
  const described = (part: string) =>
    error(part) ? html` aria-describedby="${id(part)}-error" aria-invalid="true"` : '';
  const below = (part: string) =>
    error(part)
      ? html`<p class="field-note field-error" id="${id(part)}-error" data-error="taskGroups.${i}.${part}">${error(part)}</p>`
      : '';
  const name = group.title ? `nhóm ${group.number || i + 1}` : `dòng ${i + 1}`;
  return html`<fieldset class="group" data-group-row="${i}"><legend>${empty ? `Thêm nhóm mới (dòng ${i + 1})` : `Nhóm ${group.number || i + 1}`}</legend>
    <div class="row">
      <div><label for="${id('number')}">Số mục</label>
        <input id="${id('number')}" name="g${i}.number" type="text" size="4" maxlength="${PLAN_FIELD_LIMITS.taskGroupNumber}" value="${group.number}"${described('number')}>${below('number')}</div>
      <div><label for="${id('position')}">Thứ tự</label>
        <input id="${id('position')}" name="g${i}.position" type="text" size="3" inputmode="numeric" value="${i + 1}" aria-label="Thứ tự của ${name}"></div>
    </div>
    <label for="${id('title')}">Tên nhóm nhiệm vụ</label>
    <textarea id="${id('title')}" name="g${i}.title" rows="3" class="wide" maxlength="${PLAN_FIELD_LIMITS.taskGroupTitle}"${described('title')}>${group.title}</textarea>${below('title')}
    <details${error('body') ? ' open' : ''}><summary>Nội dung chi tiết${group.body ? ` (${[...group.body].length} ký tự)` : ''}</summary>
      <label for="${id('body')}">Nội dung của nhóm</label>
      <textarea id="${id('body')}" name="g${i}.body" rows="6" class="wide"${described('body')}>${group.body}</textarea>${below('body')}
    </details>
    ${empty ? '' : html`<label class="checkbox" for="${id('remove')}"><input id="${id('remove')}" name="g${i}.remove" type="checkbox" value="1"> Xóa nhóm này</label>`}
  </fieldset>`;
}

function diffSection(existing: Plan, diff: PlanDiff, ctx: PageContext): SafeHtml {
  const tg = diff.taskGroups;
  const items: SafeHtml[] = [
    ...diff.fields.map((change) => html`<li data-change="${change.field}">${changeText(change)}</li>`),
    ...tg.renamed.map(
      (r) => html`<li data-change="renamed">Nhóm ${r.number} đổi tên: “${r.before}” → “${r.after}”</li>`,
    ),
    ...tg.added.map((g) => html`<li data-change="added">Thêm nhóm ${g.number}: ${g.title}</li>`),
    ...tg.removed.map((g) => html`<li data-change="removed">Bỏ nhóm ${g.number}: ${g.title}</li>`),
    ...(tg.bodyChanged.length
      ? [html`<li data-change="body">Nội dung chi tiết thay đổi ở nhóm ${tg.bodyChanged.join(', ')}</li>`]
      : []),
    ...(tg.reordered ? [html`<li data-change="reordered">Thứ tự các nhóm nhiệm vụ thay đổi</li>`] : []),
    ...diff.recipients.added.map((r) => html`<li data-change="recipient-added">Thêm nơi nhận: ${r}</li>`),
    ...diff.recipients.removed.map((r) => html`<li data-change="recipient-removed">Bỏ nơi nhận: ${r}</li>`),
  ];
  return html`<section class="card" aria-labelledby="diff-title" data-diff>
    <h2 id="diff-title">Kế hoạch này đã có — những gì sẽ thay đổi</h2>
    <p>Kế hoạch số ${existing.number} (<a href="${planPath(existing)}">xem</a>) lưu lần cuối lúc ${formatDateTimeVi(existing.updatedAt, ctx.timeZone)}. Lịch báo cáo, các đơn vị nhận kế hoạch và các kỳ báo cáo giữ nguyên.</p>
    ${
      diff.changed
        ? html`<ul>${items.length ? items : html`<li>Thứ tự nơi nhận thay đổi</li>`}</ul>`
        : html`<p data-change="none">Không có gì thay đổi so với kế hoạch đã lưu.</p>`
    }
    ${
      tg.removed.length > 0
        ? html`<p class="muted">Ghi chú đơn vị đã gửi cho một nhóm bị bỏ vẫn được giữ và vẫn có trong bản tổng hợp.</p>`
        : ''
    }
  </section>`;
}

function changeText(change: FieldChange): string {
  const labels: Record<FieldChange['field'], string> = {
    number: 'Số kế hoạch',
    date: 'Ngày ban hành',
    title: 'Tên kế hoạch',
    issuer: 'Cơ quan ban hành',
    superior: 'Văn bản cấp trên',
    reportingFrequency: 'Định kỳ báo cáo',
    deadline: 'Hạn nộp hằng năm',
  };
  const show = (value: string | DocumentReference | null): string => {
    if (value === null) return '(trống)';
    if (typeof value !== 'string') return referenceText(value);
    if (change.field === 'date') return formatDateVi(value);
    if (change.field === 'deadline') return formatDayMonthVi(value);
    if (change.field === 'reportingFrequency') return REPORTING_FREQUENCIES[value as 'yearly'] ?? value;
    return `“${value}”`;
  };
  return `${labels[change.field]}: ${show(change.before)} → ${show(change.after)}`;
}

function referenceText(ref: DocumentReference): string {
  return `văn bản số ${ref.number}${ref.date ? ` ngày ${formatDateVi(ref.date)}` : ''}`;
}

// ---------------------------------------------------------------------------------------------
// Opening a period

/** The confirmation asked before a period is opened: the dates and who will be e-mailed. */
export function renderOpenConfirm(preview: OpenPreview, ctx: PageContext): string {
  const { plan, year, period, toEmail } = preview;
  const title = `Mở kỳ báo cáo năm ${year}`;
  const body = html`<p><a href="${planPath(plan)}">← Kế hoạch số ${plan.number}</a></p>
    <h1>${title} — Kế hoạch số ${plan.number}</h1>
    ${
      period && period.status === 'open'
        ? html`<p class="notice" role="status" data-already-open>Kỳ báo cáo năm ${year} đã mở từ ngày ${formatDateVi(period.openDate)} (<a href="${periodPath(plan.id, year)}">xem kỳ báo cáo</a>). ${preview.alreadyLinked} đơn vị đã nhận liên kết. Mở lại không gửi lại cho các đơn vị đó: chỉ gửi cho đơn vị chưa nhận.</p>`
        : ''
    }
    <dl class="kv">
      <dt>Mở kỳ</dt><dd>${formatDateVi(preview.openDate)}${period ? '' : ' (hôm nay)'}</dd>
      <dt>Hạn nộp</dt><dd><strong>${formatDateVi(preview.deadline)}</strong></dd>
      <dt>Đóng kỳ</dt><dd>${formatDateVi(preview.closeDate)} (không nhận báo cáo sau ngày này)</dd>
    </dl>
    ${
      preview.blocker
        ? html`<p class="error" role="alert" data-blocker>${preview.blocker}</p>
          <p><a href="${planPath(plan)}#lich">Về kế hoạch để sửa lịch báo cáo</a></p>`
        : html`${
            toEmail.length
              ? html`<h2>Sẽ gửi e-mail có liên kết nộp báo cáo cho <span data-count>${toEmail.length}</span> đơn vị</h2>
                <table><thead><tr><th>Đơn vị</th><th>E-mail</th></tr></thead>
                <tbody>${toEmail.map(
                  (u) => html`<tr data-unit-id="${u.unitId}"><td data-label="Đơn vị">${u.name}</td>
                    <td data-label="E-mail">${u.email}${u.cc.length ? html`<br><span class="muted">cc: ${u.cc.join(', ')}</span>` : ''}</td></tr>`,
                )}</tbody></table>`
              : html`<p data-count="0">Không có đơn vị nào cần gửi thêm liên kết.</p>`
          }
          ${
            isAdmin(ctx)
              ? html`<form method="post" action="${pathFor('openPeriodNow', { planId: plan.id, year })}">
                  <input type="hidden" name="csrf" value="${ctx.session?.csrf ?? ''}">
                  <button type="submit">${period ? 'Mở lại và gửi liên kết còn thiếu' : `Mở kỳ và gửi ${toEmail.length} e-mail`}</button>
                  <a class="link-action" href="${planPath(plan)}">Hủy</a>
                </form>`
              : ''
          }`
    }`;
  return page(title, body, ctx);
}

/** A refused action's page, with the way back. */
export function renderProblem(
  title: string,
  message: string,
  back: { href: string; label: string },
  ctx: PageContext,
): string {
  return page(
    title,
    html`<h1>${title}</h1><p class="error" role="alert">${message}</p><p><a href="${back.href}">${back.label}</a></p>`,
    ctx,
  );
}
