import { formatDateTimeVi, formatDateVi } from '#shared/domain/calendar.ts';
import type { Period, ReportStatus } from '#shared/domain/period.ts';
import type { Plan } from '#shared/domain/plan.ts';
import { html, type PageSession, page, type SafeHtml } from '#shared/http/html.ts';
import type { PeriodStatus } from '#shared/services/periods.ts';

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

export function renderPeriodStatus(status: PeriodStatus, ctx: PageContext): string {
  const { plan, period } = status;
  const body = html`<p><a href="/admin/plans/${encodeURIComponent(plan.id)}">← Kế hoạch số ${plan.number}</a></p>
    <h1>Báo cáo năm ${period.year} — Kế hoạch số ${plan.number}</h1>
    <p>Hạn nộp: <strong>${formatDateVi(period.deadline)}</strong> · mở ${formatDateVi(period.openDate)} · đóng ${formatDateVi(period.closeDate)}</p>
    <div class="rates">
      <div>Đã nộp: <strong>${status.reported}/${status.expected}</strong></div>
      <div>Tỷ lệ đầy đủ: <strong data-rate="completeness">${percent(status.completeness)}</strong></div>
      <div>Tỷ lệ đúng hạn: <strong data-rate="timeliness">${percent(status.timeliness)}</strong></div>
    </div>
    <table>
      <thead><tr><th>Mã</th><th>Đơn vị</th><th>Tình trạng</th><th>Thời điểm nộp</th><th>Số tệp</th></tr></thead>
      <tbody>${status.rows.map(
        (r) => html`<tr data-unit-id="${r.unitId}">
          <td data-label="Mã">${r.unitId}</td><td data-label="Đơn vị">${r.unitName}</td>
          <td data-label="Tình trạng" class="${r.status}">${STATUS_LABELS[r.status]}</td>
          <td data-label="Thời điểm nộp">${r.submittedAt ? formatDateTimeVi(new Date(r.submittedAt), ctx.timeZone) : '—'}</td>
          <td data-label="Số tệp">${r.files}</td></tr>`,
      )}</tbody>
    </table>`;
  return page(`Báo cáo năm ${period.year}`, body, ctx);
}

export function renderMessage(title: string, message: string, ctx: PageContext): string {
  return page(title, html`<h1>${title}</h1><p>${message}</p>`, ctx);
}

function formatMonthDay(monthDay: string): string {
  const [month, day] = monthDay.split('-');
  return `${day}/${month}`;
}
