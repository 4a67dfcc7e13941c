import { html, type PageSession, page, type SafeHtml } from '#functions/http/html.ts';
import { formatBytes } from '#shared/domain/bytes.ts';
import { daysBetween, formatDateTimeVi, formatDateVi, localDate } from '#shared/domain/calendar.ts';
import type { Period, ReportStatus, Withdrawal } from '#shared/domain/period.ts';
import type { ExportRecord } from '#shared/export/ports.ts';
import type { PeriodStatus, StatusRow } from '#shared/periods/periods.ts';
import type { ChildCommitteeRow } from '#shared/tenancy/roll-up-status.ts';
import type { UnitInPeriodView } from '#shared/uploads/unit-in-period.ts';
import { STATUS_LABELS } from './admin-pages.ts';
import { renderSubmissionsChart } from './charts/submissions-chart.ts';
import { scanBadge } from './scan-badge.ts';
import { signatureBadge } from './signature-badge.ts';

/**
 * A period's pages (Vietnamese), pure functions of what they show: the period at a glance
 * (rates, the chart of submissions against the deadline, the units filtered by status with
 * their actions, the consolidated results), one unit in the period (its notes per task group,
 * files, versions and actions), and the confirmation of a link's revocation.
 */

interface PageContext {
  committeeName: string;
  timeZone: string;
  /** The signed-in committee member: actions are shown to `admin` members only. */
  session?: PageSession | undefined;
}

/** The filters of the period's units, in the order the page lists them (`?loc=<id>`). */
export const PERIOD_FILTERS = [
  { id: 'missing', label: 'Chưa nộp', matches: (r: StatusRow) => r.status === 'missing' },
  { id: 'late', label: 'Trễ hạn', matches: (r: StatusRow) => r.status === 'late' },
  { id: 'on-time', label: 'Đúng hạn', matches: (r: StatusRow) => r.status === 'on_time' },
  { id: 'mail-error', label: 'Có lỗi e-mail', matches: (r: StatusRow) => r.mailProblem !== null },
  { id: 'all', label: 'Tất cả', matches: (_: StatusRow) => true },
] as const;

export type PeriodFilter = (typeof PERIOD_FILTERS)[number]['id'];

/** The filter a query string asks for (`loc=`); anything unknown or absent shows every unit. */
export function readFilter(query: string): PeriodFilter {
  const asked = new URLSearchParams(query).get('loc');
  return PERIOD_FILTERS.find((f) => f.id === asked)?.id ?? 'all';
}

/** How many units each filter shows. */
export function filterCounts(rows: readonly StatusRow[]): Record<PeriodFilter, number> {
  return Object.fromEntries(
    PERIOD_FILTERS.map((f) => [f.id, rows.filter((r) => f.matches(r)).length]),
  ) as Record<PeriodFilter, number>;
}

/** The rows a filter shows, in their order. */
export function filterRows(rows: readonly StatusRow[], filter: PeriodFilter): StatusRow[] {
  const { matches } = PERIOD_FILTERS.find((f) => f.id === filter)!;
  return rows.filter((r) => matches(r));
}

/** Where an action on a unit returns to: the period (with its filter) or the unit's page. */
export type ActionOrigin = { from: 'period'; loc: PeriodFilter } | { from: 'unit' };

/** The origin an action's form names (`from`, `loc`); the period, unfiltered, by default. */
export function readOrigin(fields: Record<string, unknown>): ActionOrigin {
  if (fields.from === 'unit') return { from: 'unit' };
  return { from: 'period', loc: readFilter(`loc=${encodeURIComponent(String(fields.loc ?? ''))}`) };
}

const NOTICES: Record<string, string> = {
  resent: 'Đã gửi lại liên kết cho đơn vị.',
  revoked:
    'Đã thu hồi liên kết cũ và gửi liên kết mới cho đơn vị; thư báo cho đơn vị biết liên kết cũ không còn dùng được.',
  extended: 'Đã đổi hạn nộp của đơn vị và gửi e-mail báo hạn nộp mới cho đơn vị.',
  'export-started': 'Đang tổng hợp kết quả; tải lại trang sau ít phút. Văn phòng sẽ nhận e-mail khi xong.',
  'signatures-rechecked':
    'Đang kiểm tra lại chữ ký số các tệp PDF của đơn vị theo danh sách tin cậy hiện tại; tải lại trang sau ít phút.',
};

const EXPORT_STATES: Record<ExportRecord['state'], string> = {
  building: 'đang tổng hợp',
  ready: 'sẵn sàng',
  failed: 'lỗi',
};

const WITHDRAWAL_REASONS: Record<Withdrawal['reason'], string> = {
  retired: 'đơn vị thôi hoạt động',
  'not-recipient': 'không còn trong danh sách nhận kế hoạch',
};

const percent = (x: number) => `${(x * 100).toFixed(1).replace('.', ',')}%`;
const isAdmin = (ctx: PageContext) => ctx.session?.role !== 'viewer' && Boolean(ctx.session);

/** `/admin/plans/{planId}/{year}` */
export function periodPath(planId: string, year: number): string {
  return `/admin/plans/${encodeURIComponent(planId)}/${year}`;
}

/** `/admin/plans/{planId}/{year}/units/{unitId}` */
export function unitPath(planId: string, year: number, unitId: string): string {
  return `${periodPath(planId, year)}/units/${encodeURIComponent(unitId)}`;
}

/**
 * The hidden fields every action form carries: the CSRF token and where to come back to (nothing
 * more for the unfiltered period, the default: a page of 1,000 units carries one form each).
 */
function formFields(ctx: PageContext, origin: ActionOrigin): SafeHtml {
  const back =
    origin.from === 'unit'
      ? html`<input type="hidden" name="from" value="unit">`
      : origin.loc === 'all'
        ? ''
        : html`<input type="hidden" name="loc" value="${origin.loc}">`;
  return html`<input type="hidden" name="csrf" value="${ctx.session?.csrf ?? ''}">${back}`;
}

/** The unit page's button that checks its PDFs' signatures again (docs/signatures.md). */
function signatureRecheckForm(view: UnitInPeriodView, href: string, ctx: PageContext): SafeHtml {
  return html`<form method="post" action="${href}/signatures/recheck" class="no-print">${formFields(ctx, { from: 'unit' })}
      <button type="submit" aria-label="Kiểm tra lại chữ ký số các tệp của ${view.unit.unitName}">Kiểm tra lại chữ ký số</button>
    </form>`;
}

/** The query of the revocation's confirmation: where it returns to. */
function confirmQuery(origin: ActionOrigin): string {
  if (origin.from === 'unit') return '';
  return origin.loc === 'all' ? '?from=period' : `?from=period&loc=${origin.loc}`;
}

/**
 * A period at a glance: rates, the chart of submissions against the deadline, the units under
 * the chosen filter (name → the unit's page, status, time, files, actions), the units withdrawn
 * from the period, and the consolidated results.
 */
export function renderPeriodPage(
  status: PeriodStatus,
  ctx: PageContext,
  extra: {
    today: string;
    filter?: PeriodFilter;
    exports?: ExportRecord[];
    children?: ChildCommitteeRow[];
    /** This committee has a parent in the deployment: its own report goes up from this page. */
    reportsUp?: boolean;
    notice?: string | undefined;
  },
): string {
  const { plan, period } = status;
  const filter = extra.filter ?? 'all';
  const base = periodPath(plan.id, period.year);
  const notice = extra.notice ? NOTICES[extra.notice] : undefined;
  const counts = filterCounts(status.rows);
  const shown = filterRows(status.rows, filter);
  const admin = isAdmin(ctx);
  const actions = admin && period.status === 'open';
  const withdrawn = status.withdrawn ?? [];
  const left = daysBetween(extra.today, period.deadline);
  // Each submission's local time, read once (the zone's wall clock is the costly part of a row).
  const times = new Map<string, LocalTime>();
  for (const r of status.rows) {
    if (r.submittedAt) times.set(r.unitId, localTime(r.submittedAt, period.timeZone));
  }
  const reports = status.rows
    .filter((r) => r.status !== 'missing' && times.has(r.unitId))
    .map((r) => ({ date: times.get(r.unitId)!.date, onTime: r.status === 'on_time' }));
  const chart = renderSubmissionsChart(
    {
      openDate: period.openDate,
      deadline: period.deadline,
      closeDate: period.closeDate,
      today: extra.today,
      expected: status.expected,
      reports,
    },
    `Số đơn vị đã nộp báo cáo năm ${period.year} theo ngày, so với hạn nộp`,
  );
  const activeFilter = PERIOD_FILTERS.find((f) => f.id === filter)!;
  const body = html`<p><a href="/admin/plans/${encodeURIComponent(plan.id)}">← Kế hoạch số ${plan.number}</a></p>
    <h1>Báo cáo năm ${period.year} — Kế hoạch số ${plan.number}</h1>
    ${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
    <p>Hạn nộp: <strong>${formatDateVi(period.deadline)}</strong>${period.status === 'open' ? ` (${left === 0 ? 'hôm nay' : left > 0 ? `còn ${left} ngày` : `đã qua ${-left} ngày`})` : ''} · mở ${formatDateVi(period.openDate)} · đóng ${formatDateVi(period.closeDate)}${period.status === 'closed' ? ' (đã đóng)' : ''}</p>
    <div class="rates">
      <div>Đã nộp: <strong>${status.reported}/${status.expected}</strong></div>
      <div>Tỷ lệ đầy đủ: <strong data-rate="completeness">${percent(status.completeness)}</strong></div>
      <div>Tỷ lệ đúng hạn: <strong data-rate="timeliness">${percent(status.timeliness)}</strong></div>
    </div>
    <h2>Tiến độ nộp báo cáo</h2>
    ${chart}
    <h2 id="don-vi">Các đơn vị</h2>
    <nav class="filters" aria-label="Lọc đơn vị theo tình trạng"><ul>${PERIOD_FILTERS.map(
      (f) =>
        html`<li><a href="${f.id === 'all' ? base : `${base}?loc=${f.id}`}#don-vi"${f.id === filter ? html` aria-current="page"` : ''} data-filter="${f.id}">${f.label} <span class="count">(${counts[f.id]})</span></a></li>`,
    )}</ul></nav>
    ${
      shown.length === 0
        ? html`<p class="muted" data-empty>Không có đơn vị nào ${filter === 'all' ? 'trong kỳ báo cáo này' : html`ở mục “${activeFilter.label}”`}.</p>`
        : html`<table data-filter="${filter}">
      <caption class="sr">Các đơn vị — ${activeFilter.label} (${shown.length})</caption>
      <thead><tr><th scope="col">Mã</th><th scope="col">Đơn vị</th><th scope="col">Tình trạng</th><th scope="col">Thời điểm nộp</th><th scope="col">Tệp</th>${actions ? html`<th scope="col">Thao tác</th>` : ''}</tr></thead>
      <tbody>${shown.map((r) => periodRow(r, period, extra.today, ctx, { actions, filter, time: times.get(r.unitId) }))}</tbody>
    </table>`
    }
    ${withdrawn.length > 0 ? withdrawnSection(withdrawn, plan.id, period.year) : ''}
    ${(extra.children ?? []).length > 0 ? childCommitteesSection(extra.children ?? []) : ''}
    ${
      extra.reportsUp
        ? html`<h2 id="len-cap-tren">Báo cáo của cấp ủy</h2>
    <p>Sau khi hoàn thiện dự thảo báo cáo tổng hợp (tệp Word trong bản tổng hợp dưới đây) và ký số, gửi báo cáo của cấp ủy lên cấp trên.</p>
    <p><a class="button" href="${base}/report-up">Gửi báo cáo lên cấp trên</a></p>`
        : ''
    }
    <h2>Kết quả tổng hợp</h2>
    <p>Tệp ZIP gồm bảng tổng hợp (summary.csv, tong-hop.xlsx), dự thảo báo cáo (bao-cao-tong-hop.docx) và báo cáo của từng đơn vị.</p>
    ${admin ? html`<form method="post" action="${base}/exports" class="no-print"><input type="hidden" name="csrf" value="${ctx.session?.csrf ?? ''}"><button type="submit">Tổng hợp kết quả</button></form>` : ''}
    ${
      (extra.exports ?? []).length === 0
        ? html`<p class="muted">Chưa có bản tổng hợp nào.</p>`
        : html`<ul class="exports">${(extra.exports ?? []).map(
            (e) =>
              html`<li data-export-id="${e.exportId}" data-state="${e.state}">${formatDateTimeVi(new Date(e.createdAt), ctx.timeZone)} — ${EXPORT_STATES[e.state]}${e.state === 'ready' ? html` — <a href="${base}/exports/${encodeURIComponent(e.exportId)}">Tải tệp ZIP</a> (${e.units} đơn vị, ${e.files} tệp)` : ''}</li>`,
          )}</ul>`
    }`;
  return page(`Báo cáo năm ${period.year}`, body, ctx);
}

function periodRow(
  r: StatusRow,
  period: Period,
  today: string,
  ctx: PageContext,
  options: { actions: boolean; filter: PeriodFilter; time: LocalTime | undefined },
): SafeHtml {
  const late = r.status === 'on_time' ? 0 : Math.max(0, daysBetween(r.deadline, options.time?.date ?? today));
  const href = unitPath(period.planId, period.year, r.unitId);
  const files = r.fileList ?? [];
  // One line per cell, no indentation: a period of 1,000 units is 1,000 of these.
  return html`<tr data-unit-id="${r.unitId}"><td data-label="Mã">${r.unitId}</td><td data-label="Đơn vị"><a class="unit-link" href="${href}">${r.unitName}</a></td>
<td data-label="Tình trạng" class="${r.status}">${STATUS_LABELS[r.status]}${late > 0 ? html` <span class="muted">(${late} ngày)</span>` : ''}${r.deadline !== period.deadline ? html`<br><span class="muted">gia hạn đến ${formatDateVi(r.deadline)}</span>` : ''}${r.mailProblem ? html`<br><span class="missing" data-mail-problem>Lỗi gửi e-mail: ${r.mailProblem.problem}</span>` : ''}</td>
<td data-label="Thời điểm nộp">${options.time?.text ?? '—'}</td>
<td data-label="Tệp">${files.length === 0 ? '—' : html`<ul class="plain file-links">${files.map((f) => html`<li><a href="${href}/files/${encodeURIComponent(f.uploadId)}">${f.fileName}</a>${signatureBadge(f.signature)}${scanBadge(f.scan)}</li>`)}</ul>`}</td>
${options.actions ? html`<td data-label="Thao tác" class="actions">${unitActions(r.unitName, href, ctx, { from: 'period', loc: options.filter })}</td>` : ''}</tr>
`;
}

type LocalTime = { text: string; date: string };

/** An instant as the page shows it (dd/mm/yyyy HH:mm) and its local date, from one wall-clock reading. */
function localTime(instant: string, timeZone: string): LocalTime {
  const text = formatDateTimeVi(new Date(instant), timeZone);
  return { text, date: `${text.slice(6, 10)}-${text.slice(3, 5)}-${text.slice(0, 2)}` };
}

/** Re-send, revoke (through its confirmation), extend: labelled with the unit's name for screen readers. */
function unitActions(unitName: string, href: string, ctx: PageContext, origin: ActionOrigin): SafeHtml {
  const extend =
    origin.from === 'period'
      ? html`<a class="button secondary inline" href="${href}#gia-han" aria-label="Gia hạn cho ${unitName}">Gia hạn</a>`
      : '';
  return html`<form method="post" action="${href}/resend" class="inline">${formFields(ctx, origin)}<button type="submit" class="secondary" aria-label="Gửi lại liên kết cho ${unitName}">Gửi lại liên kết</button></form>
<a class="button secondary inline" href="${href}/revoke${confirmQuery(origin)}" aria-label="Thu hồi liên kết của ${unitName}">Thu hồi liên kết</a>
${extend}`;
}

function withdrawnSection(
  rows: (StatusRow & { withdrawn: Withdrawal })[],
  planId: string,
  year: number,
): SafeHtml {
  return html`<h2>Đơn vị không còn báo cáo trong kỳ này (${rows.length})</h2>
    <p class="muted">Không tính vào số đơn vị phải nộp và các tỷ lệ; báo cáo và tệp đã nộp vẫn được giữ.</p>
    <ul class="withdrawn">${rows.map(
      (r) =>
        html`<li data-withdrawn-unit="${r.unitId}"><a class="unit-link" href="${unitPath(planId, year, r.unitId)}">${r.unitName}</a> — từ ngày ${formatDateVi(r.withdrawn.from)}: ${r.withdrawn.detail ?? WITHDRAWAL_REASONS[r.withdrawn.reason]}</li>`,
    )}</ul>`;
}

/** Days past the unit's deadline: when it reported late, or so far when it has not reported. */
function daysLate(
  row: Pick<StatusRow, 'status' | 'submittedAt' | 'deadline'>,
  today: string,
  timeZone: string,
): number {
  if (row.status === 'on_time') return 0;
  const end = row.submittedAt ? localDate(new Date(row.submittedAt), timeZone) : today;
  return Math.max(0, daysBetween(row.deadline, end));
}

/**
 * One unit in one period: status and deadline, the e-mail problem if any, its notes per task
 * group and files of the version that counts, its recent versions, and (for `admin` members,
 * while the period is open) its actions: re-send, revoke (confirmed first), extend.
 */
export function renderUnitPage(
  view: UnitInPeriodView,
  ctx: PageContext,
  extra: {
    today: string;
    notice?: string | undefined;
    error?: string | undefined;
    until?: string | undefined;
  },
): string {
  const { period, unit } = view;
  const href = unitPath(view.plan.id, period.year, unit.unitId);
  const notice = extra.notice ? NOTICES[extra.notice] : undefined;
  const late = daysLate(view, extra.today, period.timeZone);
  const actions = isAdmin(ctx) && period.status === 'open' && !view.withdrawnNow;
  const wrote = view.notes.some((n) => n.text);
  const body = html`<p><a href="${periodPath(view.plan.id, period.year)}">← Báo cáo năm ${period.year} — Kế hoạch số ${view.plan.number}</a></p>
    <h1>${unit.unitName}</h1>
    ${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
    ${extra.error ? html`<p class="notice error" role="alert">${extra.error} <a href="#gia-han">Sửa ngày gia hạn</a></p>` : ''}
    <p class="muted">Mã ${unit.unitId} · ${unit.email}${unit.cc.length > 0 ? ` (cc: ${unit.cc.join(', ')})` : ''} · <a href="/admin/units/${encodeURIComponent(unit.unitId)}">Các năm báo cáo của đơn vị</a></p>
    <dl class="facts">
      <div><dt>Tình trạng</dt><dd class="${view.status}" data-status="${view.status}">${STATUS_LABELS[view.status as ReportStatus]}${late > 0 ? ` (${late} ngày)` : ''}</dd></div>
      <div><dt>Hạn nộp</dt><dd>${formatDateVi(view.deadline)}${view.extendedDeadline ? html` <span class="muted">(gia hạn; hạn chung ${formatDateVi(period.deadline)})</span>` : ''}</dd></div>
      <div><dt>Thời điểm nộp</dt><dd>${view.submittedAt ? formatDateTimeVi(new Date(view.submittedAt), ctx.timeZone) : '—'}${view.latestVersion > 0 ? html` <span class="muted">(lần nộp thứ ${view.latestVersion})</span>` : ''}</dd></div>
      <div><dt>Nhận báo cáo đến hết ngày</dt><dd>${formatDateVi(view.closeDate)}</dd></div>
      ${view.mailProblem ? html`<div><dt>Lỗi gửi e-mail</dt><dd class="missing" data-mail-problem>${view.mailProblem.problem} <span class="muted">(${formatDateTimeVi(new Date(view.mailProblem.at), ctx.timeZone)})</span></dd></div>` : ''}
      ${view.withdrawn ? html`<div><dt>Thôi báo cáo</dt><dd data-withdrawn>từ ngày ${formatDateVi(view.withdrawn.from)}: ${view.withdrawn.detail ?? WITHDRAWAL_REASONS[view.withdrawn.reason]}</dd></div>` : ''}
    </dl>
    <h2>Ý kiến theo nhóm nhiệm vụ${view.latestVersion > 0 ? ` (lần nộp thứ ${view.latestVersion})` : ''}</h2>
    ${
      view.latestVersion === 0
        ? html`<p class="muted">Đơn vị chưa nộp báo cáo.</p>`
        : !wrote
          ? html`<p class="muted">Đơn vị không ghi ý kiến nào trong lần nộp này.</p>`
          : html`<ol class="notes">${view.notes.map(
              (n) =>
                html`<li data-task-group="${n.number}"><h3>${n.number}. ${n.title ?? 'Nhóm nhiệm vụ không còn trong kế hoạch'}</h3>${n.text ? html`<p class="note">${n.text}</p>` : html`<p class="muted">Không có ý kiến.</p>`}</li>`,
            )}</ol>`
    }
    <h2>Tệp báo cáo (${view.files.length})</h2>
    ${
      view.files.length === 0
        ? html`<p class="muted">Chưa có tệp nào.</p>`
        : html`<ul class="files">${view.files.map(
            (f) =>
              html`<li><a href="${href}/files/${encodeURIComponent(f.uploadId)}">${f.fileName}</a> <span class="muted">(${formatBytes(f.size)})</span>${signatureBadge(f.signature, { reason: true })}${scanBadge(f.scan, { reason: true })}</li>`,
          )}</ul>`
    }
    ${actions && view.files.some((f) => f.signature && f.signature.state !== 'unsigned') ? signatureRecheckForm(view, href, ctx) : ''}
    <h2>Các lần nộp</h2>
    ${versionsTable(view, ctx)}
    ${
      actions
        ? html`<section class="no-print"><h2>Thao tác</h2>
    <div class="actions">${unitActions(unit.unitName, href, ctx, { from: 'unit' })}</div>
    <h3 id="gia-han">Gia hạn nộp báo cáo</h3>
    <form method="post" action="${href}/extension">${formFields(ctx, { from: 'unit' })}
      <label for="until">Gia hạn đến ngày (ngày/tháng/năm)</label>
      <input id="until" name="until" type="text" inputmode="text" autocomplete="off" placeholder="dd/mm/yyyy" maxlength="10" value="${extra.until ?? formatDateVi(view.deadline)}" aria-describedby="until-hint"${extra.error ? html` aria-invalid="true"` : ''}>
      <p id="until-hint" class="muted">Từ ${formatDateVi(period.deadline)} (hạn chung) đến ${formatDateVi(period.closeDate)} (ngày đóng kỳ). Nhập hạn chung để bỏ gia hạn. Đơn vị nhận e-mail báo hạn nộp mới.</p>
      <button type="submit" aria-label="Gia hạn cho ${unit.unitName}">Gia hạn</button>
    </form></section>`
        : period.status === 'closed'
          ? html`<p class="muted">Kỳ báo cáo đã đóng.</p>`
          : ''
    }`;
  return page(unit.unitName, body, ctx);
}

function versionsTable(view: UnitInPeriodView, ctx: PageContext): SafeHtml {
  if (view.versions.length === 0) return html`<p class="muted">Đơn vị chưa bắt đầu lần nộp nào.</p>`;
  const more = view.versionsBegun - view.versions.length;
  return html`<table class="versions">
      <thead><tr><th scope="col">Lần</th><th scope="col">Bắt đầu</th><th scope="col">Nộp xong</th><th scope="col">Tệp</th></tr></thead>
      <tbody>${view.versions.map(
        (v) => html`<tr data-version="${v.version}"${v.counted ? html` data-counted` : ''}>
        <td data-label="Lần">${v.version}${v.counted ? html` <strong>(được tính)</strong>` : ''}</td>
        <td data-label="Bắt đầu">${formatDateTimeVi(new Date(v.createdAt), ctx.timeZone)}</td>
        <td data-label="Nộp xong">${v.submittedAt ? html`${formatDateTimeVi(new Date(v.submittedAt), ctx.timeZone)} — ${v.onTime ? 'đúng hạn' : 'trễ hạn'}` : html`<span class="muted">chưa có tệp nào được nhận</span>`}</td>
        <td data-label="Tệp">${v.files.length}/${v.expectedFiles}${v.rejected.length > 0 ? html`<br><span class="missing">bị từ chối: ${v.rejected.map((r) => `${r.fileName} (${r.reason})`).join('; ')}</span>` : ''}</td></tr>`,
      )}</tbody>
    </table>
    ${more > 0 ? html`<p class="muted">Hiển thị ${view.versions.length} lần gần nhất trên ${view.versionsBegun} lần đơn vị đã bắt đầu nộp.</p>` : ''}`;
}

/** The confirmation before a unit's link is revoked: what will happen, one button, a way back. */
export function renderRevokeConfirm(view: UnitInPeriodView, ctx: PageContext, origin: ActionOrigin): string {
  const { period, unit } = view;
  const href = unitPath(view.plan.id, period.year, unit.unitId);
  const back =
    origin.from === 'period'
      ? `${periodPath(view.plan.id, period.year)}${origin.loc === 'all' ? '' : `?loc=${origin.loc}`}`
      : href;
  const recipients = [unit.email, ...unit.cc].join(', ');
  const possible = period.status === 'open' && !view.withdrawnNow;
  const body = html`<p><a href="${back}">← Quay lại</a></p>
    <h1>Thu hồi liên kết của ${unit.unitName}?</h1>
    <p>Liên kết nộp báo cáo năm ${period.year} đang dùng của đơn vị sẽ <strong>không dùng được nữa</strong>. Hệ thống gửi ngay một liên kết mới tới ${recipients}, trong thư có báo rằng liên kết cũ không còn dùng được.</p>
    <p>Các báo cáo đơn vị đã nộp vẫn được giữ nguyên. Nên thu hồi khi thư cũ bị chuyển nhầm người hoặc lộ ra ngoài; nếu đơn vị chỉ không tìm thấy thư, hãy dùng “Gửi lại liên kết”.</p>
    ${
      !possible
        ? html`<p class="notice" role="status">${period.status === 'closed' ? 'Kỳ báo cáo đã đóng: không thể thu hồi hay cấp liên kết mới.' : 'Đơn vị đã thôi báo cáo trong kỳ này: không cấp liên kết mới.'}</p>`
        : isAdmin(ctx)
          ? html`<form method="post" action="${href}/revoke" class="inline">${formFields(ctx, origin)}<button type="submit" aria-label="Thu hồi và gửi liên kết mới cho ${unit.unitName}">Thu hồi và gửi liên kết mới</button></form>
    <a class="button secondary inline" href="${back}">Không thu hồi</a>`
          : html`<p class="notice" role="status">Chỉ thành viên quản trị được thu hồi liên kết.</p>`
    }`;
  return page(`Thu hồi liên kết — ${unit.unitName}`, body, ctx);
}

/** An action refused: what went wrong, and the way back to where it was asked. */
export function renderActionError(
  message: string,
  back: { href: string; label: string },
  ctx: PageContext,
): string {
  return page(
    'Không thực hiện được',
    html`<h1>Không thực hiện được</h1><p role="alert">${message}</p><p><a href="${back.href}">${back.label}</a></p>`,
    ctx,
  );
}

/**
 * The child committees of a parent's period (docs/tenancy.md): each one's own report, and how
 * its branches are reporting to it in its period of the plan carrying this one out.
 */
function childCommitteesSection(children: ChildCommitteeRow[]): SafeHtml {
  return html`<h2 id="cap-duoi">Cấp ủy trực thuộc</h2>
    <p>Báo cáo của chính mỗi cấp ủy trực thuộc, và tình hình các chi bộ, đảng bộ của cấp ủy đó nộp báo cáo cho cấp ủy đó.</p>
    <table data-children>
      <caption class="sr">Cấp ủy trực thuộc (${children.length})</caption>
      <thead><tr><th scope="col">Cấp ủy</th><th scope="col">Báo cáo của cấp ủy</th><th scope="col">Các đơn vị của cấp ủy đã nộp</th><th scope="col">Tỷ lệ đầy đủ</th><th scope="col">Tỷ lệ đúng hạn</th></tr></thead>
      <tbody>${children.map(
        (c) => html`<tr data-committee="${c.committeeId}">
          <th scope="row">${c.unitName}</th>
          <td data-label="Báo cáo của cấp ủy">${STATUS_LABELS[c.status]}</td>
          ${
            c.branches
              ? html`<td data-label="Các đơn vị của cấp ủy đã nộp">${c.branches.reported}/${c.branches.expected}</td><td data-label="Tỷ lệ đầy đủ" data-rate="completeness">${percent(c.branches.completeness)}</td><td data-label="Tỷ lệ đúng hạn" data-rate="timeliness">${percent(c.branches.timeliness)}</td>`
              : html`<td colspan="3" class="muted" data-label="Các đơn vị của cấp ủy">${c.childPlanId ? 'Cấp ủy chưa mở kỳ báo cáo tương ứng' : 'Cấp ủy chưa gửi báo cáo lên (chưa đối chiếu kế hoạch)'}</td>`
          }
        </tr>`,
      )}</tbody>
    </table>`;
}
