import { html, type PageSession, page, type SafeHtml } from '#functions/http/html.ts';
import { daysBetween, formatDateTimeVi, formatDateVi, localDate } from '#shared/domain/calendar.ts';
import type { Period, ReportStatus } from '#shared/domain/period.ts';
import type { Plan } from '#shared/domain/plan.ts';
import type { ExportRecord } from '#shared/export/ports.ts';
import type { PeriodStatus, StatusRow } from '#shared/periods/periods.ts';
import type { UnitHistory } from '#shared/units/unit-history.ts';

/** Committee pages (Vietnamese). Pure functions of the data they show. */

export const STATUS_LABELS: Record<ReportStatus, string> = {
  on_time: 'Đúng hạn',
  late: 'Trễ hạn',
  missing: 'Chưa nộp',
};

interface PageContext {
  committeeName: string;
  timeZone: string;
  /** The signed-in committee member, for the header's sign-out button. */
  session?: PageSession | undefined;
}

const percent = (x: number) => `${(x * 100).toFixed(1).replace('.', ',')}%`;

export function renderDashboard(plans: { plan: Plan; periods: Period[] }[], ctx: PageContext): string {
  const body = html`<h1>Các kế hoạch</h1>
    ${
      plans.length === 0
        ? html`<p class="muted">Chưa có kế hoạch nào. Nhập kế hoạch bằng lệnh <code>baocao plan import FILE</code>.</p>`
        : plans.map(({ plan, periods }) => planCard(plan, periods))
    }`;
  return page('Các kế hoạch', body, ctx);
}

function planCard(plan: Plan, periods: Period[]): SafeHtml {
  return html`<section class="card" data-plan-id="${plan.id}">
    <h2><a href="/admin/plans/${encodeURIComponent(plan.id)}">Kế hoạch số ${plan.number}</a></h2>
    <p>${plan.title}</p>
    <p class="muted">${plan.issuer}${plan.date ? html` · ngày ${formatDateVi(plan.date)}` : ''} · ${plan.taskGroups.length} nhóm nhiệm vụ · báo cáo hằng năm, hạn ${formatMonthDay(plan.calendar.deadline)}</p>
    ${
      periods.length === 0
        ? html`<p class="muted">Chưa mở kỳ báo cáo nào.</p>`
        : html`<ul>${periods.map(
            (p) =>
              html`<li><a href="/admin/plans/${encodeURIComponent(plan.id)}/${p.year}">Năm ${p.year}</a> — hạn nộp ${formatDateVi(p.deadline)} (${p.status === 'open' ? 'đang mở' : 'đã đóng'})</li>`,
          )}</ul>`
    }
  </section>`;
}

export function renderPlan(plan: Plan, periods: Period[], ctx: PageContext): string {
  const body = html`<p><a href="/admin">← Các kế hoạch</a></p>
    <h1>Kế hoạch số ${plan.number}</h1>
    <p><strong>${plan.title}</strong></p>
    <p class="muted">${plan.issuer}${plan.date ? html` · ngày ${formatDateVi(plan.date)}` : ''}</p>
    ${
      plan.superior
        ? html`<p>Thực hiện Kế hoạch số ${plan.superior.number}${plan.superior.date ? html` ngày ${formatDateVi(plan.superior.date)}` : ''}.</p>`
        : ''
    }
    <h2>Nhiệm vụ và giải pháp</h2>
    <ol class="tasks">${plan.taskGroups.map((t) => html`<li><strong>${t.number}.</strong> ${t.title}</li>`)}</ol>
    <h2>Nơi nhận</h2>
    <ul>${plan.recipients.map((r) => html`<li>${r}</li>`)}</ul>
    <h2>Kỳ báo cáo</h2>
    ${
      periods.length === 0
        ? html`<p class="muted">Chưa mở kỳ báo cáo nào.</p>`
        : html`<ul>${periods.map(
            (p) =>
              html`<li><a href="/admin/plans/${encodeURIComponent(plan.id)}/${p.year}">Năm ${p.year}</a> — mở ${formatDateVi(p.openDate)}, hạn ${formatDateVi(p.deadline)}, đóng ${formatDateVi(p.closeDate)}</li>`,
          )}</ul>`
    }`;
  return page(`Kế hoạch ${plan.number}`, body, ctx);
}

const NOTICES: Record<string, string> = {
  resent: 'Đã gửi lại liên kết cho đơn vị.',
  revoked: 'Đã thu hồi liên kết cũ và gửi liên kết mới cho đơn vị.',
  extended: 'Đã gia hạn cho đơn vị.',
  'export-started': 'Đang tổng hợp kết quả; tải lại trang sau ít phút. Văn phòng sẽ nhận e-mail khi xong.',
};

const EXPORT_STATES: Record<ExportRecord['state'], string> = {
  building: 'đang tổng hợp',
  ready: 'sẵn sàng',
  failed: 'lỗi',
};

/**
 * A period at a glance: rates, every expected unit with its status, time, files, days late and
 * e-mail problems, the committee's actions per unit, and the consolidated results.
 */
export function renderPeriodStatus(
  status: PeriodStatus,
  ctx: PageContext,
  extra: { exports?: ExportRecord[]; notice?: string | undefined } = {},
): string {
  const { plan, period } = status;
  const base = `/admin/plans/${encodeURIComponent(plan.id)}/${period.year}`;
  const today = localDate(new Date(), period.timeZone);
  const csrf = ctx.session?.csrf ?? '';
  const notice = extra.notice ? NOTICES[extra.notice] : undefined;
  const action = (path: string, label: string, cls = 'secondary') =>
    html`<form method="post" action="${base}/units/${path}" class="inline"><input type="hidden" name="csrf" value="${csrf}"><button type="submit" class="${cls}">${label}</button></form>`;
  const body = html`<p><a href="/admin/plans/${encodeURIComponent(plan.id)}">← Kế hoạch số ${plan.number}</a></p>
    <h1>Báo cáo năm ${period.year} — Kế hoạch số ${plan.number}</h1>
    ${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
    <p>Hạn nộp: <strong>${formatDateVi(period.deadline)}</strong> · mở ${formatDateVi(period.openDate)} · đóng ${formatDateVi(period.closeDate)}</p>
    <div class="rates">
      <div>Đã nộp: <strong>${status.reported}/${status.expected}</strong></div>
      <div>Tỷ lệ đầy đủ: <strong data-rate="completeness">${percent(status.completeness)}</strong></div>
      <div>Tỷ lệ đúng hạn: <strong data-rate="timeliness">${percent(status.timeliness)}</strong></div>
    </div>
    <table>
      <thead><tr><th>Mã</th><th>Đơn vị</th><th>Tình trạng</th><th>Thời điểm nộp</th><th>Tệp</th><th>Thao tác</th></tr></thead>
      <tbody>${status.rows.map((r) => {
        const late = daysLate(r, today, period.timeZone);
        const unitPath = encodeURIComponent(r.unitId);
        return html`<tr data-unit-id="${r.unitId}">
          <td data-label="Mã"><a href="/admin/units/${unitPath}">${r.unitId}</a></td><td data-label="Đơn vị">${r.unitName}</td>
          <td data-label="Tình trạng" class="${r.status}">${STATUS_LABELS[r.status]}${late > 0 ? html` <span class="muted">(${late} ngày)</span>` : ''}${r.deadline !== period.deadline ? html`<br><span class="muted">gia hạn đến ${formatDateVi(r.deadline)}</span>` : ''}${r.mailProblem ? html`<br><span class="missing" data-mail-problem>Lỗi gửi e-mail: ${r.mailProblem.problem}</span>` : ''}</td>
          <td data-label="Thời điểm nộp">${r.submittedAt ? formatDateTimeVi(new Date(r.submittedAt), ctx.timeZone) : '—'}</td>
          <td data-label="Tệp">${(r.fileList ?? []).length === 0 ? '—' : html`<ul class="plain">${(r.fileList ?? []).map((f) => html`<li><a href="${base}/units/${unitPath}/files/${encodeURIComponent(f.uploadId)}">${f.fileName}</a></li>`)}</ul>`}</td>
          <td data-label="Thao tác" class="actions">
            ${action(`${unitPath}/resend`, 'Gửi lại liên kết')}
            ${action(`${unitPath}/revoke`, 'Thu hồi và cấp liên kết mới')}
            <form method="post" action="${base}/units/${unitPath}/extension" class="inline"><input type="hidden" name="csrf" value="${csrf}">
              <label class="sr" for="until-${r.unitId}">Gia hạn đến</label>
              <input id="until-${r.unitId}" type="date" name="until" min="${period.deadline}" max="${period.closeDate}" value="${r.deadline}">
              <button type="submit" class="secondary">Gia hạn</button></form>
          </td></tr>`;
      })}</tbody>
    </table>
    <h2>Kết quả tổng hợp</h2>
    <p>Tệp ZIP gồm bảng tổng hợp (summary.csv, tong-hop.xlsx), dự thảo báo cáo (bao-cao-tong-hop.docx) và báo cáo của từng đơn vị.</p>
    <form method="post" action="${base}/exports"><input type="hidden" name="csrf" value="${csrf}"><button type="submit">Tổng hợp kết quả</button></form>
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

/** Days past the unit's deadline: when it reported late, or so far when it has not reported. */
function daysLate(row: StatusRow, today: string, timeZone: string): number {
  if (row.status === 'on_time') return 0;
  const end = row.submittedAt ? localDate(new Date(row.submittedAt), timeZone) : today;
  return Math.max(0, daysBetween(row.deadline, end));
}

/** One unit's record across plans and years. */
export function renderUnitHistory(history: UnitHistory, ctx: PageContext): string {
  const name = history.unit?.name ?? history.rows[0]?.planId ?? '';
  const body = html`<p><a href="/admin">← Các kế hoạch</a></p>
    <h1>${name}</h1>
    <table>
      <thead><tr><th>Năm</th><th>Kế hoạch</th><th>Hạn nộp</th><th>Tình trạng</th><th>Thời điểm nộp</th><th>Số tệp</th></tr></thead>
      <tbody>${history.rows.map(
        (
          r,
        ) => html`<tr><td data-label="Năm"><a href="/admin/plans/${encodeURIComponent(r.planId)}/${r.year}">${r.year}</a></td><td data-label="Kế hoạch">${r.planNumber}</td>
          <td data-label="Hạn nộp">${formatDateVi(r.deadline)}</td><td data-label="Tình trạng" class="${r.status}">${STATUS_LABELS[r.status as ReportStatus]}</td>
          <td data-label="Thời điểm nộp">${r.submittedAt ? formatDateTimeVi(new Date(r.submittedAt), ctx.timeZone) : '—'}</td><td data-label="Số tệp">${r.files}</td></tr>`,
      )}</tbody>
    </table>`;
  return page(name, body, ctx);
}

export function renderMessage(title: string, message: string, ctx: PageContext): string {
  return page(title, html`<h1>${title}</h1><p>${message}</p>`, ctx);
}

function formatMonthDay(monthDay: string): string {
  const [month, day] = monthDay.split('-');
  return `${day}/${month}`;
}
