import { html, type PageSession, page } from '#functions/http/html.ts';
import { pathFor } from '#functions/http/routes.ts';
import {
  AUDIT_ACTOR_LABELS,
  AUDIT_EVENT_KINDS,
  AUDIT_OUTCOME_LABELS,
  type AuditOutcome,
} from '#shared/audit/events.ts';
import { type AuditListing, kindLabel, MAX_AUDIT_FILTER_CHARS } from '#shared/audit/list.ts';
import { formatDateTimeVi, formatDateVi } from '#shared/domain/calendar.ts';

/** The audit log's page, "Nhật ký" (Vietnamese). Pure functions of the data they show. */

interface PageContext {
  committeeName: string;
  timeZone: string;
  session?: PageSession | undefined;
}

/** The filters as typed, shown back in the form (already bounded by the handler). */
export interface TypedAuditFilter {
  since: string;
  until: string;
  unit: string;
  kind: string;
  actor: string;
}

/**
 * The records, newest first, with the filter form (dates as dd/mm/yyyy, a unit id, an event
 * kind, an actor) and the .xlsx download of what the filters select. A refused filter shows its
 * Vietnamese reason above the form, with the form as typed.
 */
export function renderAuditLog(
  listing: AuditListing | undefined,
  typed: TypedAuditFilter,
  ctx: PageContext,
  extra: { error?: string | undefined; since?: string | undefined } = {},
): string {
  const query = new URLSearchParams(Object.entries(typed).filter(([, v]) => v !== '')).toString();
  const download = `${pathFor('auditXlsx', {})}${query ? `?${query}` : ''}`;
  const body = html`<h1>Nhật ký</h1>
    <p>Các việc gửi, tải xuống và thay đổi của văn phòng và của hệ thống được ghi lại; mỗi bản ghi nối với bản ghi trước bằng mã băm SHA-256, mỗi ngày một bản tóm tắt được ký và lưu khóa. Quản trị kiểm tra toàn bộ bằng lệnh <code>baocao audit verify</code>.</p>
    ${extra.error ? html`<p class="notice" role="alert">${extra.error} <a href="${pathFor('auditLog', {})}">Xem 30 ngày gần nhất</a></p>` : ''}
    <form method="get" action="${pathFor('auditLog', {})}" class="filters">
      <label for="audit-since">Từ ngày</label>
      <input id="audit-since" name="since" type="text" inputmode="numeric" placeholder="dd/mm/yyyy" maxlength="${MAX_AUDIT_FILTER_CHARS}" value="${typed.since}">
      <label for="audit-until">Đến ngày</label>
      <input id="audit-until" name="until" type="text" inputmode="numeric" placeholder="dd/mm/yyyy" maxlength="${MAX_AUDIT_FILTER_CHARS}" value="${typed.until}">
      <label for="audit-unit">Mã đơn vị</label>
      <input id="audit-unit" name="unit" type="text" maxlength="${MAX_AUDIT_FILTER_CHARS}" value="${typed.unit}">
      <label for="audit-kind">Loại sự kiện</label>
      <select id="audit-kind" name="kind"><option value="">Tất cả</option>${AUDIT_EVENT_KINDS.map(
        (k) => html`<option value="${k}"${k === typed.kind ? html` selected` : ''}>${kindLabel(k)}</option>`,
      )}</select>
      <label for="audit-actor">Người thực hiện (địa chỉ e-mail)</label>
      <input id="audit-actor" name="actor" type="text" maxlength="${MAX_AUDIT_FILTER_CHARS}" value="${typed.actor}">
      <p><button type="submit">Lọc</button> <a class="button secondary" href="${download}">Tải xuống .xlsx</a></p>
    </form>
    ${listing ? renderRows(listing, ctx, extra.since) : ''}`;
  return page('Nhật ký', body, ctx);
}

function renderRows(listing: AuditListing, ctx: PageContext, since: string | undefined) {
  if (listing.rows.length === 0) {
    return html`<p class="muted">Không có bản ghi nào${since ? ` từ ngày ${formatDateVi(since)}` : ''} khớp bộ lọc.</p>`;
  }
  return html`<p>${listing.rows.length} bản ghi${listing.truncated ? ' gần nhất (còn nữa: thu hẹp bộ lọc, hoặc tải tệp .xlsx để xem đủ)' : ''}.</p>
    <table>
      <thead><tr><th>Số</th><th>Thời điểm</th><th>Sự kiện</th><th>Người thực hiện</th><th>Đối tượng</th><th>Kết quả</th><th>IP</th></tr></thead>
      <tbody>${listing.rows.map(({ record: r, ip }) => {
        const target = [r.target.unitId, r.target.planId, r.target.year, r.target.memberEmail, r.target.ref]
          .filter((v) => v !== undefined && v !== '')
          .join(' · ');
        return html`<tr data-seq="${r.seq}" data-kind="${r.kind}">
          <td data-label="Số">${r.seq}</td>
          <td data-label="Thời điểm">${formatDateTimeVi(new Date(r.at), ctx.timeZone)}</td>
          <td data-label="Sự kiện">${kindLabel(r.kind)}</td>
          <td data-label="Người thực hiện">${AUDIT_ACTOR_LABELS[r.actor.type] ?? r.actor.type}: ${r.actor.id}</td>
          <td data-label="Đối tượng">${target || '—'}</td>
          <td data-label="Kết quả">${AUDIT_OUTCOME_LABELS[r.outcome as AuditOutcome] ?? r.outcome}</td>
          <td data-label="IP">${ip ?? '—'}</td>
        </tr>`;
      })}</tbody>
    </table>`;
}
