import { html, type PageSession, page, type SafeHtml } from '#functions/http/html.ts';
import { pathFor } from '#functions/http/routes.ts';
import { formatDateTimeVi, formatDateVi } from '#shared/domain/calendar.ts';
import type { ReportStatus, Withdrawal } from '#shared/domain/period.ts';
import type { Plan } from '#shared/domain/plan.ts';
import {
  MAX_RETIREMENT_DETAIL_CHARS,
  MAX_UNIT_NOTE_CHARS,
  RETIREMENT_REASON_LABELS,
  type RetirementReason,
  retirementText,
  type Unit,
} from '#shared/domain/unit.ts';
import type { CsvLineError } from '#shared/errors.ts';
import type { RecipientsChange, UnitRef } from '#shared/units/recipients.ts';
import type { UnitHistory } from '#shared/units/unit-history.ts';
import type { ImportPreview } from '#shared/units/units.ts';
import { unitStatusText } from '#shared/units/units-xlsx.ts';

/** The units pages and the plan's recipients (Vietnamese). Pure functions of the data they show. */

interface PageContext {
  committeeName: string;
  timeZone: string;
  session?: PageSession | undefined;
}

const STATUS_LABELS: Record<ReportStatus, string> = {
  on_time: 'Đúng hạn',
  late: 'Trễ hạn',
  missing: 'Chưa nộp',
};

/** What `?done=…` on a units page says happened. */
export const UNIT_NOTICES = {
  added:
    'Đã thêm đơn vị. Đơn vị chưa thuộc kỳ báo cáo nào đang mở: để giao cho đơn vị, vào trang "Đơn vị nhận kế hoạch" của kế hoạch và xác nhận.',
  edited:
    'Đã lưu thông tin đơn vị. Tên và địa chỉ mới được dùng cho các kỳ báo cáo chưa đóng; các kỳ đã đóng giữ nguyên.',
  unchanged: 'Không có gì thay đổi.',
  retired:
    'Đã ghi nhận đơn vị thôi báo cáo. Từ ngày đó đơn vị không nhận liên kết, nhắc hạn hay thư nào nữa và không còn được tính vào số đơn vị phải báo cáo; lịch sử và các tệp đã nộp vẫn được giữ.',
  reinstated:
    'Đơn vị hoạt động trở lại. Liên kết cũ của đơn vị dùng được lại trong các kỳ báo cáo đang mở; hệ thống không gửi e-mail nào cho đơn vị.',
  imported: 'Đã nhập danh sách đơn vị.',
} as const;

export type UnitNotice = keyof typeof UNIT_NOTICES;

/** How an assignment's withdrawal reads: "Đã thôi báo cáo từ 01/12/2026 (sáp nhập: …)". */
export function withdrawalText(w: Pick<Withdrawal, 'from' | 'reason' | 'detail'>, today: string): string {
  const started = w.from <= today;
  if (w.reason === 'not-recipient') {
    return `${started ? 'Không còn' : 'Sẽ không còn'} là đơn vị nhận kế hoạch từ ${formatDateVi(w.from)}`;
  }
  return `${started ? 'Đã thôi' : 'Sẽ thôi'} báo cáo từ ${formatDateVi(w.from)}${w.detail ? ` (${w.detail})` : ''}`;
}

/** A unit's status cell: its state, and the reason of its retirement. */
function statusCell(unit: Unit, today: string): SafeHtml {
  const text = unitStatusText(unit, today);
  return unit.retired
    ? html`<span class="late">${text}</span> — ${retirementText(unit.retired)}`
    : html`<span class="${unit.active ? 'on_time' : 'muted'}">${text}</span>`;
}

export interface UnitsPageOptions {
  query: string;
  /** 1-based page of the filtered list. */
  pageNumber: number;
  pageSize: number;
  /** Units in the whole list (before the search). */
  total: number;
  today: string;
  /** The notice to show (text). */
  notice?: string | undefined;
  /** The add form as it was sent, and its problems (the form is shown again). */
  addForm?: { fields: Record<string, string>; problems: string[] } | undefined;
}

/** The units: search, the table (a page of it), and for admins the forms to add and to import. */
export function renderUnits(found: readonly Unit[], ctx: PageContext, options: UnitsPageOptions): string {
  const admin = ctx.session?.role === 'admin';
  const csrf = ctx.session?.csrf ?? '';
  const pages = Math.max(1, Math.ceil(found.length / options.pageSize));
  const current = Math.min(Math.max(1, options.pageNumber), pages);
  const shown = found.slice((current - 1) * options.pageSize, current * options.pageSize);
  const notice = options.notice;
  const pageLink = (n: number) => {
    const params = new URLSearchParams();
    if (options.query) params.set('q', options.query);
    if (n > 1) params.set('page', String(n));
    const qs = params.toString();
    return `${pathFor('units', {})}${qs ? `?${qs}` : ''}`;
  };
  const add = options.addForm;
  const value = (name: string) => add?.fields[name] ?? '';
  const body = html`<div class="page-head"><h1>Đơn vị</h1>
      <a class="button secondary" href="${pathFor('unitsXlsx', {})}" download>Tải danh sách (.xlsx)</a></div>
    ${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
    <form method="get" action="${pathFor('units', {})}" role="search">
      <label for="q">Tìm đơn vị (mã, tên hoặc e-mail)</label>
      <div class="row"><input id="q" type="search" name="q" value="${options.query}" maxlength="200">
      <button type="submit">Tìm</button>${options.query ? html` <a class="button secondary" href="${pathFor('units', {})}">Xoá tìm kiếm</a>` : ''}</div>
    </form>
    <p class="muted" role="status">${
      options.query ? `Tìm thấy ${found.length} trong ${options.total} đơn vị.` : `${options.total} đơn vị.`
    }${pages > 1 ? ` Trang ${current}/${pages}.` : ''}</p>
    ${
      shown.length === 0
        ? html`<p>${options.total === 0 ? 'Chưa có đơn vị nào.' : 'Không có đơn vị nào khớp với từ tìm.'}</p>`
        : html`<table>
      <thead><tr><th>Mã</th><th>Tên đơn vị</th><th>E-mail</th><th>Tình trạng</th></tr></thead>
      <tbody>${shown.map(
        (u) => html`<tr data-unit-id="${u.id}">
          <td data-label="Mã">${u.id}</td>
          <td data-label="Tên đơn vị"><a class="unit-link" href="${pathFor('unit', { unitId: u.id })}">${u.name}</a></td>
          <td data-label="E-mail">${u.email}${u.cc.length > 0 ? html`<br><span class="muted">CC: ${u.cc.join(', ')}</span>` : ''}</td>
          <td data-label="Tình trạng">${statusCell(u, options.today)}</td></tr>`,
      )}</tbody></table>`
    }
    ${
      pages > 1
        ? html`<nav aria-label="Các trang"><p class="row">${current > 1 ? html`<a class="button secondary" href="${pageLink(current - 1)}">← Trang trước</a>` : ''}${current < pages ? html`<a class="button secondary" href="${pageLink(current + 1)}">Trang sau →</a>` : ''}</p></nav>`
        : ''
    }
    ${
      admin
        ? html`<h2 id="them">Thêm một đơn vị</h2>
    ${add && add.problems.length > 0 ? html`<div class="error" role="alert"><p>Chưa thêm được đơn vị:</p><ul>${add.problems.map((p) => html`<li>${p}</li>`)}</ul></div>` : ''}
    <form method="post" action="${pathFor('addUnit', {})}">
      <input type="hidden" name="csrf" value="${csrf}">
      ${unitFields({ id: value('id'), name: value('name'), email: value('email'), cc: value('cc'), note: value('note') }, 'add', true)}
      <p><button type="submit">Thêm đơn vị</button></p>
    </form>
    <h2 id="nhap">Nhập danh sách từ tệp</h2>
    <p>Tệp Excel (.xlsx, trang tính đầu tiên) hoặc CSV (UTF-8) có dòng tiêu đề và mỗi đơn vị một dòng. Các cột: <strong>Mã đơn vị</strong> (id), <strong>Tên đơn vị</strong> (name), <strong>Email</strong> (email), và nếu cần <strong>CC</strong> (cc, các địa chỉ cách nhau bằng dấu ;) và <strong>Ghi chú</strong> (note). Tệp tải về từ trang này nhập lại được ngay. Hệ thống cho xem trước, và chỉ ghi khi đồng chí xác nhận; tệp có lỗi thì không ghi gì.</p>
    <form method="post" action="${pathFor('importUnits', {})}" enctype="multipart/form-data">
      <input type="hidden" name="csrf" value="${csrf}">
      <label for="units-file">Tệp danh sách đơn vị (.xlsx hoặc .csv)</label>
      <input id="units-file" type="file" name="file" required accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet">
      <p><button type="submit">Xem trước</button></p>
    </form>`
        : ''
    }`;
  return page('Đơn vị', body, ctx);
}

/** The inputs of a unit (add or edit), labelled; `prefix` keeps the ids unique on a page. */
function unitFields(
  values: { id: string; name: string; email: string; cc: string; note: string },
  prefix: string,
  withId: boolean,
): SafeHtml {
  const id = (name: string) => `${prefix}-${name}`;
  return html`${
    withId
      ? html`<label for="${id('id')}">Mã đơn vị</label>
      <p class="field-note muted" id="${id('id-hint')}">Chữ không dấu, chữ số, dấu - hoặc _; ví dụ cb-van-phong. Không đổi được sau khi thêm.</p>
      <input id="${id('id')}" type="text" name="id" value="${values.id}" required maxlength="64" aria-describedby="${id('id-hint')}" autocomplete="off">`
      : ''
  }
    <label for="${id('name')}">Tên đơn vị</label>
    <input id="${id('name')}" class="wide" type="text" name="name" value="${values.name}" required maxlength="200">
    <label for="${id('email')}">E-mail nhận liên kết</label>
    <input id="${id('email')}" class="wide" type="email" name="email" value="${values.email}" required maxlength="254">
    <label for="${id('cc')}">CC (không bắt buộc)</label>
    <p class="field-note muted" id="${id('cc-hint')}">Các địa chỉ nhận bản sao mọi thư gửi đơn vị, cách nhau bằng dấu ;</p>
    <input id="${id('cc')}" class="wide" type="text" name="cc" value="${values.cc}" maxlength="500" aria-describedby="${id('cc-hint')}">
    <label for="${id('note')}">Ghi chú (không bắt buộc)</label>
    <textarea id="${id('note')}" class="wide" name="note" rows="3" maxlength="${MAX_UNIT_NOTE_CHARS}">${values.note}</textarea>`;
}

export interface UnitPageOptions {
  today: string;
  /** The notice to show (text). */
  notice?: string | undefined;
  /** A form sent with problems: which one, its values and its problems. */
  error?: { form: 'edit' | 'retire'; fields: Record<string, string>; problems: string[] } | undefined;
}

/** One unit: its details, its record across plans and years, and for admins edit, retire, reinstate. */
export function renderUnitPage(history: UnitHistory, ctx: PageContext, options: UnitPageOptions): string {
  const unit = history.unit;
  const admin = ctx.session?.role === 'admin';
  const csrf = ctx.session?.csrf ?? '';
  const name = unit?.name ?? history.rows[0]?.planId ?? '';
  const notice = options.notice;
  const error = options.error;
  const problems = (form: 'edit' | 'retire') =>
    error?.form === form
      ? html`<div class="error" role="alert"><p>Chưa lưu được:</p><ul>${error.problems.map((p) => html`<li>${p}</li>`)}</ul></div>`
      : '';
  const field = (form: 'edit' | 'retire', key: string, fallback: string) =>
    error?.form === form ? (error.fields[key] ?? '') : fallback;
  const body = html`<p><a href="${pathFor('units', {})}">← Đơn vị</a></p>
    <h1>${name}</h1>
    ${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
    ${
      unit
        ? html`<dl class="kv">
      <dt>Mã đơn vị</dt><dd>${unit.id}</dd>
      <dt>E-mail</dt><dd>${unit.email}</dd>
      <dt>CC</dt><dd>${unit.cc.length > 0 ? unit.cc.join(', ') : '—'}</dd>
      <dt>Ghi chú</dt><dd class="note">${unit.note ?? '—'}</dd>
      <dt>Tình trạng</dt><dd data-unit-status>${statusCell(unit, options.today)}</dd>
      <dt>Cập nhật</dt><dd>${formatDateTimeVi(new Date(unit.updatedAt), ctx.timeZone)}</dd>
    </dl>`
        : html`<p class="muted">Đơn vị không còn trong danh sách; chỉ còn lịch sử báo cáo.</p>`
    }
    <h2>Lịch sử báo cáo</h2>
    ${
      history.rows.length === 0
        ? html`<p class="muted">Đơn vị chưa thuộc kỳ báo cáo nào.</p>`
        : html`<table>
      <thead><tr><th>Năm</th><th>Kế hoạch</th><th>Hạn nộp</th><th>Tình trạng</th><th>Thời điểm nộp</th><th>Số tệp</th></tr></thead>
      <tbody>${history.rows.map(
        (
          r,
        ) => html`<tr><td data-label="Năm"><a href="/admin/plans/${encodeURIComponent(r.planId)}/${r.year}">${r.year}</a></td><td data-label="Kế hoạch">${r.planNumber}</td>
          <td data-label="Hạn nộp">${formatDateVi(r.deadline)}</td><td data-label="Tình trạng"><span class="${r.status}">${STATUS_LABELS[r.status as ReportStatus] ?? r.status}</span>${r.withdrawn ? html`<br><span class="muted" data-withdrawn>${withdrawalText(r.withdrawn, options.today)}</span>` : ''}</td>
          <td data-label="Thời điểm nộp">${r.submittedAt ? formatDateTimeVi(new Date(r.submittedAt), ctx.timeZone) : '—'}</td><td data-label="Số tệp">${r.files}</td></tr>`,
      )}</tbody></table>`
    }
    ${admin && unit ? adminForms(unit, csrf, options.today, problems, field) : ''}`;
  return page(name, body, ctx);
}

function adminForms(
  unit: Unit,
  csrf: string,
  today: string,
  problems: (form: 'edit' | 'retire') => SafeHtml | string,
  field: (form: 'edit' | 'retire', key: string, fallback: string) => string,
): SafeHtml {
  const unitId = unit.id;
  const reason = field('retire', 'reason', unit.retired?.reason ?? 'merged');
  return html`<h2 id="sua">Sửa thông tin</h2>
    ${problems('edit')}
    <form method="post" action="${pathFor('editUnit', { unitId })}">
      <input type="hidden" name="csrf" value="${csrf}">
      ${unitFields(
        {
          id: unitId,
          name: field('edit', 'name', unit.name),
          email: field('edit', 'email', unit.email),
          cc: field('edit', 'cc', unit.cc.join('; ')),
          note: field('edit', 'note', unit.note ?? ''),
        },
        'edit',
        false,
      )}
      <p><button type="submit">Lưu thông tin</button></p>
    </form>
    <h2 id="thoi">${unit.retired ? 'Thôi báo cáo' : 'Cho đơn vị thôi báo cáo'}</h2>
    <p>Từ ngày thôi báo cáo, đơn vị không nhận liên kết, nhắc hạn hay thư nào nữa, không còn được tính vào số đơn vị phải báo cáo của các kỳ đang mở, và liên kết của đơn vị không dùng được nữa. Lịch sử và các tệp đã nộp vẫn được giữ; các kỳ đã đóng giữ nguyên.</p>
    ${problems('retire')}
    <form method="post" action="${pathFor('retireUnit', { unitId })}">
      <input type="hidden" name="csrf" value="${csrf}">
      <label for="retire-from">Thôi báo cáo từ ngày</label>
      <p class="field-note muted" id="retire-from-hint">Dạng ngày/tháng/năm, ví dụ ${formatDateVi(today)}.</p>
      <input id="retire-from" type="text" name="from" inputmode="numeric" placeholder="dd/mm/yyyy" value="${field('retire', 'from', formatDateVi(unit.retired?.from ?? today))}" required maxlength="10" aria-describedby="retire-from-hint">
      <label for="retire-reason">Lý do</label>
      <select id="retire-reason" name="reason">${(
        Object.keys(RETIREMENT_REASON_LABELS) as RetirementReason[]
      ).map(
        (r) =>
          html`<option value="${r}"${r === reason ? html` selected` : ''}>${capitalize(RETIREMENT_REASON_LABELS[r])}</option>`,
      )}</select>
      <label for="retire-detail">Ghi chú lý do (không bắt buộc)</label>
      <input id="retire-detail" class="wide" type="text" name="detail" value="${field('retire', 'detail', unit.retired?.detail ?? '')}" maxlength="${MAX_RETIREMENT_DETAIL_CHARS}" placeholder="ví dụ: sáp nhập vào Chi bộ Văn phòng">
      <p><button type="submit" aria-label="${unit.retired ? `Cập nhật ngày thôi báo cáo của ${unit.name}` : `Cho ${unit.name} thôi báo cáo`}">${unit.retired ? 'Cập nhật' : 'Thôi báo cáo'}</button></p>
    </form>
    ${
      unit.retired || !unit.active
        ? html`<h2 id="khoi-phuc">Khôi phục</h2>
    <p>Đơn vị hoạt động trở lại: liên kết cũ dùng được lại trong các kỳ đang mở, hệ thống không gửi e-mail nào.</p>
    <form method="post" action="${pathFor('reinstateUnit', { unitId })}">
      <input type="hidden" name="csrf" value="${csrf}">
      <button type="submit" class="secondary" aria-label="Khôi phục đơn vị ${unit.name}">Khôi phục đơn vị</button>
    </form>`
        : ''
    }`;
}

/** Rows of normalised CSV carried by the preview's confirmation, each field at most this many bytes. */
export const IMPORT_CHUNK_BYTES = 60_000;
/** Most chunk fields a confirmation carries (the form parser takes 50 fields in all). */
export const MAX_IMPORT_CHUNKS = 45;

/**
 * The preview of an import, row by row, with the confirmation: a form that carries the checked
 * rows back (as normalised CSV in `rows-NN` fields, re-read and re-checked when confirmed).
 */
export function renderImportPreview(
  preview: ImportPreview,
  chunks: readonly string[],
  fileName: string,
  ctx: PageContext,
): string {
  const csrf = ctx.session?.csrf ?? '';
  const label = { created: 'Thêm mới', updated: 'Cập nhật', unchanged: 'Không đổi' } as const;
  const fieldLabels = {
    name: 'tên',
    email: 'e-mail',
    cc: 'CC',
    note: 'ghi chú',
    committee: 'mã cấp ủy',
  } as const;
  const body = html`<p><a href="${pathFor('units', {})}">← Đơn vị</a></p>
    <h1>Xem trước: ${fileName}</h1>
    <p role="status"><strong>${preview.total}</strong> đơn vị: <strong>${preview.created}</strong> thêm mới, <strong>${preview.updated}</strong> cập nhật, <strong>${preview.unchanged}</strong> không đổi. Chưa có gì được ghi.</p>
    ${
      preview.updated > 0
        ? html`<p>Tên và địa chỉ mới của các đơn vị được cập nhật sẽ được dùng cho các kỳ báo cáo chưa đóng.</p>`
        : ''
    }
    <form method="post" action="${pathFor('importUnits', {})}" enctype="multipart/form-data">
      <input type="hidden" name="csrf" value="${csrf}">
      <input type="hidden" name="confirm" value="1">
      <input type="hidden" name="format" value="${preview.format}">
      ${chunks.map((chunk, i) => html`<input type="hidden" name="rows-${String(i).padStart(2, '0')}" value="${chunk}">`)}
      <p class="row"><button type="submit">Xác nhận nhập ${preview.total} đơn vị</button>
      <a class="button secondary" href="${pathFor('units', {})}#nhap">Huỷ, chọn tệp khác</a></p>
    </form>
    <table>
      <thead><tr><th>Dòng</th><th>Mã</th><th>Tên đơn vị</th><th>E-mail</th><th>CC</th><th>Ghi chú</th><th>Thay đổi</th></tr></thead>
      <tbody>${preview.rows.map(
        (r) => html`<tr data-unit-id="${r.unit.id}" data-change="${r.change}">
          <td data-label="Dòng">${r.line}</td><td data-label="Mã">${r.unit.id}</td><td data-label="Tên đơn vị">${r.unit.name}</td>
          <td data-label="E-mail">${r.unit.email}</td><td data-label="CC">${r.unit.cc.join(', ') || '—'}</td>
          <td data-label="Ghi chú" class="note">${r.unit.note === undefined ? '(giữ nguyên)' : r.unit.note || '—'}</td>
          <td data-label="Thay đổi">${label[r.change]}${r.fields.length > 0 ? html` <span class="muted">(${r.fields.map((f) => fieldLabels[f]).join(', ')})</span>` : ''}${r.retired ? html`<br><span class="muted">đơn vị đã thôi báo cáo, vẫn giữ nguyên tình trạng</span>` : ''}</td></tr>`,
      )}</tbody></table>`;
  return page('Xem trước danh sách đơn vị', body, ctx);
}

/** An import refused: every problem with its line, nothing written, and a way back. */
export function renderImportErrors(
  errors: readonly CsvLineError[],
  fileName: string,
  summary: string,
  ctx: PageContext,
): string {
  const body = html`<p><a href="${pathFor('units', {})}">← Đơn vị</a></p>
    <h1>Chưa nhập được ${fileName}</h1>
    <div class="error" role="alert"><p>${summary} Chưa có gì được ghi. Hãy sửa tệp theo các lỗi dưới đây rồi nhập lại.</p></div>
    <table>
      <thead><tr><th>Dòng</th><th>Lỗi</th></tr></thead>
      <tbody>${errors.map((e) => html`<tr><td data-label="Dòng">${e.line}</td><td data-label="Lỗi">${e.message}</td></tr>`)}</tbody>
    </table>
    <p><a class="button" href="${pathFor('units', {})}#nhap">Chọn tệp khác</a></p>`;
  return page('Chưa nhập được danh sách đơn vị', body, ctx);
}

/** The choice of a plan's recipients: every active unit, or chosen ones. */
export function renderRecipients(
  plan: Plan,
  units: readonly Unit[],
  ctx: PageContext,
  options: {
    error?: string | undefined;
    chosen?: readonly string[] | null | undefined;
    notice?: string | undefined;
  } = {},
): string {
  const admin = ctx.session?.role === 'admin';
  const csrf = ctx.session?.csrf ?? '';
  const chosen = options.chosen !== undefined ? options.chosen : plan.recipientUnitIds;
  const chosenSet = new Set(chosen ?? []);
  const named = plan.recipientUnitIds ?? [];
  const byId = new Map(units.map((u) => [u.id, u]));
  const body = html`<p><a href="/admin/plans/${encodeURIComponent(plan.id)}">← Kế hoạch số ${plan.number}</a></p>
    <h1>Đơn vị nhận kế hoạch số ${plan.number}</h1>
    ${options.notice ? html`<p class="notice" role="status">${options.notice}</p>` : ''}
    ${options.error ? html`<div class="error" role="alert"><p>${options.error}</p></div>` : ''}
    <p>Hiện nay: <strong>${
      plan.recipientUnitIds === null ? 'tất cả đơn vị đang hoạt động' : `${named.length} đơn vị được chọn`
    }</strong>. Thay đổi có hiệu lực ngay với các kỳ báo cáo đang mở: đơn vị mới nhận liên kết qua e-mail ngay, đơn vị bị bỏ ra không còn được tính vào số đơn vị phải báo cáo (lịch sử và tệp đã nộp vẫn được giữ). Đồng chí sẽ được xem trước thay đổi trước khi xác nhận.</p>
    ${
      plan.recipientUnitIds?.some((id) => !byId.has(id))
        ? html`<p class="muted">Một số đơn vị đã chọn trước đây nay đã thôi báo cáo và không còn trong danh sách dưới đây.</p>`
        : ''
    }
    ${
      admin
        ? html`<form method="post" action="${pathFor('changePlanRecipients', { planId: plan.id })}">
      <input type="hidden" name="csrf" value="${csrf}">
      <fieldset><legend>Ai báo cáo theo kế hoạch này?</legend>
        <label class="checkbox" for="scope-all"><input id="scope-all" type="radio" name="scope" value="all"${chosen === null ? html` checked` : ''}> Tất cả đơn vị đang hoạt động (${units.length})</label>
        <label class="checkbox" for="scope-chosen"><input id="scope-chosen" type="radio" name="scope" value="chosen"${chosen !== null ? html` checked` : ''}> Chỉ các đơn vị được chọn dưới đây</label>
      </fieldset>
      <fieldset><legend>Chọn đơn vị (khi chọn "Chỉ các đơn vị được chọn")</legend>
        ${
          units.length === 0
            ? html`<p class="muted">Chưa có đơn vị nào đang hoạt động. <a href="${pathFor('units', {})}">Thêm đơn vị</a>.</p>`
            : units.map(
                (u, i) =>
                  html`<label class="checkbox" for="unit-${i}"><input id="unit-${i}" type="checkbox" name="units" value="${u.id}"${chosenSet.has(u.id) ? html` checked` : ''}> ${u.name} <span class="muted">(${u.id})</span></label>`,
              )
        }
      </fieldset>
      <p><button type="submit">Xem trước thay đổi</button></p>
    </form>`
        : html`<ul>${(
            plan.recipientUnitIds === null
              ? units
              : named.map((id) => byId.get(id)).filter((u): u is Unit => Boolean(u))
          ).map((u) => html`<li>${u.name} <span class="muted">(${u.id})</span></li>`)}</ul>`
    }`;
  return page(`Đơn vị nhận kế hoạch ${plan.number}`, body, ctx);
}

function unitList(units: readonly UnitRef[], empty: string): SafeHtml {
  return units.length === 0
    ? html`<p class="muted">${empty}</p>`
    : html`<ul>${units.map((u) => html`<li>${u.unitName} <span class="muted">(${u.unitId})</span></li>`)}</ul>`;
}

/** What a new choice of recipients would change, with its confirmation. */
export function renderRecipientsPreview(plan: Plan, change: RecipientsChange, ctx: PageContext): string {
  const csrf = ctx.session?.csrf ?? '';
  const noChange =
    change.joining.length === 0 &&
    change.leaving.length === 0 &&
    change.periods.every((p) => p.joining.length === 0 && p.leaving.length === 0) &&
    JSON.stringify(change.before) === JSON.stringify(change.after);
  const body = html`<p><a href="${pathFor('planRecipients', { planId: plan.id })}">← Chọn lại</a></p>
    <h1>Xem trước: đơn vị nhận kế hoạch số ${plan.number}</h1>
    <p>Sau khi xác nhận: <strong>${change.after === null ? 'tất cả đơn vị đang hoạt động' : `${change.after.length} đơn vị được chọn`}</strong>. Chưa có gì thay đổi.</p>
    ${noChange ? html`<p class="notice" role="status">Lựa chọn này giống hiện nay: không có gì thay đổi.</p>` : ''}
    <h2>Các kỳ báo cáo sau này</h2>
    <h3>Đơn vị thêm vào (${change.joining.length})</h3>${unitList(change.joining, 'Không có.')}
    <h3>Đơn vị bỏ ra (${change.leaving.length})</h3>${unitList(change.leaving, 'Không có.')}
    ${change.periods.map(
      (p) => html`<h2>Kỳ báo cáo năm ${p.year} (đang mở)</h2>
      <h3>Nhận liên kết qua e-mail ngay, hoặc dùng lại được liên kết cũ (${p.joining.length})</h3>${unitList(p.joining, 'Không có.')}
      <h3>Thôi báo cáo từ hôm nay, không còn được tính vào số phải báo cáo (${p.leaving.length})</h3>${unitList(p.leaving, 'Không có.')}`,
    )}
    <form method="post" action="${pathFor('changePlanRecipients', { planId: plan.id })}">
      <input type="hidden" name="csrf" value="${csrf}">
      <input type="hidden" name="confirm" value="1">
      <input type="hidden" name="scope" value="${change.after === null ? 'all' : 'chosen'}">
      ${(change.after ?? []).map((id) => html`<input type="hidden" name="units" value="${id}">`)}
      <p class="row"><button type="submit">Xác nhận thay đổi</button>
      <a class="button secondary" href="${pathFor('planRecipients', { planId: plan.id })}">Huỷ</a></p>
    </form>`;
  return page(`Xem trước: đơn vị nhận kế hoạch ${plan.number}`, body, ctx);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
