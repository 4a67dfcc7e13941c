import { createHash } from 'node:crypto';
import { escapeHtml, html, page, type SafeHtml } from '#functions/http/html.ts';
import { STYLE, STYLE_HASH } from '#functions/http/style.ts';
import { statusLine } from '#functions/web/browser/format.ts';
// Build output of functions/web/browser/upload-page.ts (`npm run build:web`; every entry point that
// serves this page builds it first, see infra/bundling/upload-script.ts). The Lambda bundle holds
// the text itself: nothing is compiled at run time.
import { UPLOAD_SCRIPT } from '#functions/web/generated/upload-script.ts';
import { formatDateTimeVi, formatDateVi } from '#shared/domain/calendar.ts';
import type { UnitStatusView, VersionView } from '#shared/uploads/unit-status.ts';
import { ALLOWED_EXTENSIONS_TEXT, formatBytes } from '#shared/uploads/validate-upload-request.ts';

/**
 * A unit's upload page (`GET /u/{token}`), in Vietnamese, mobile first. Server-rendered: the
 * plan, the unit, the deadline, the task groups with a note each, and the earlier submissions
 * with their receipts show without JavaScript. The inline script (allowed by its hash) uploads
 * the files: for each file it asks `POST …/uploads` for a presigned POST, posts the file to
 * storage with XMLHttpRequest (for its progress events), then polls `GET …/status` until the
 * receipt of the new submission appears. Its source is browser TypeScript,
 * functions/web/browser/upload-page.ts, bundled by esbuild before run time.
 */

interface PageContext {
  committeeName: string;
  /** The committee office's address, offered on the pages of a link that cannot be used. */
  officeEmail?: string | undefined;
}

/** Extra rules of the upload page, on top of the app's stylesheet. */
export const UPLOAD_STYLE = `
.lead{font-size:1.05rem;margin:.25rem 0 1rem}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0 0 1rem}.facts dt{color:var(--muted)}.facts dd{margin:0}
.late-text{color:var(--warn);font-weight:600}.left-text{color:var(--ok);font-weight:600}
form label{display:block;font-weight:600;margin:.75rem 0 .25rem}
.drop{border:2px dashed #8a8a8a;border-radius:.5rem;padding:1rem;text-align:center}.drop.over{border-color:var(--accent);background:#fff4f4}
.drop label{margin-top:0}input[type=file]{display:block;margin:.5rem auto;max-width:100%;font:inherit}
textarea{display:block;width:100%;font:inherit;padding:.5rem;border:1px solid #8a8a8a;border-radius:.25rem;resize:vertical}
button{font:inherit;font-weight:600;background:var(--accent);color:#fff;border:0;border-radius:.375rem;padding:.75rem 1.5rem;min-height:2.75rem;cursor:pointer;margin-top:1rem}
button:disabled{opacity:.6;cursor:progress}
:focus-visible{outline:3px solid #1a56db;outline-offset:2px}
.files{list-style:none;padding:0;margin:.5rem 0}.files li{border-bottom:1px solid var(--line);padding:.5rem 0}
.files progress{display:block;width:100%;height:.75rem;margin-top:.25rem}.files .bad{color:var(--bad)}
.status{min-height:1.5rem;font-weight:600;margin:.75rem 0}.status.error{color:var(--bad)}.status.ok{color:var(--ok)}
.hash{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.8rem;word-break:break-all}
.notice{background:#fff8e1;border:1px solid #e0c36a;border-radius:.5rem;padding:.5rem 1rem}
.version h3{font-size:1.05rem;margin:.25rem 0}.version ul{padding-left:1.25rem}
`;

/** The page's script (minified from functions/web/browser/upload-page.ts), allowed by its hash. */
export { UPLOAD_SCRIPT };

/** CSP sources of the page's inline script and styles. */
export const UPLOAD_SCRIPT_HASH = cspHash(UPLOAD_SCRIPT);
export const UPLOAD_STYLE_HASH = cspHash(UPLOAD_STYLE);

/**
 * The Content-Security-Policy of every public answer: nothing but the page's own inline script
 * and styles (by hash), requests to the app itself and to the upload origin, no forms posted,
 * no framing, no base URL changes.
 */
export function uploadPageCsp(uploadOrigin: string): string {
  return [
    "default-src 'none'",
    `script-src ${UPLOAD_SCRIPT_HASH}`,
    `style-src ${STYLE_HASH} ${UPLOAD_STYLE_HASH}`,
    `connect-src 'self' ${uploadOrigin}`,
    "img-src 'self' data:",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/** The upload page for the unit that holds the link. */
export function renderUploadPage(view: UnitStatusView, ctx: PageContext): string {
  const { plan, unit, period, limits } = view;
  const tz = period.timeZone;
  const latest = view.versions.find((v) => v.version === view.latestVersion);
  const shown = view.versions.filter((v) => v.files.length > 0 || v.rejected.length > 0);
  const accept = [
    ...Object.keys(limits.fileTypes).map((e) => `.${e}`),
    ...new Set(Object.values(limits.fileTypes)),
  ].join(',');
  const body = html`<h1>Nộp báo cáo năm ${period.year}</h1>
    <p class="lead">Kế hoạch số ${plan.number}: ${plan.title}</p>
    <dl class="facts">
      <dt>Đơn vị</dt><dd data-unit-id="${unit.id}">${unit.name}</dd>
      <dt>Hạn nộp</dt><dd><strong>${formatDateVi(period.deadline)}</strong> — ${deadlineText(period)}</dd>
      <dt>Nhận báo cáo đến hết ngày</dt><dd>${formatDateVi(period.closeDate)}</dd>
      <dt>Tình trạng</dt><dd id="unit-status">${statusLine(view)}</dd>
    </dl>
    <noscript><p class="notice">Trang này cần JavaScript để tải tệp lên. Hãy bật JavaScript hoặc dùng trình duyệt khác.</p></noscript>
    <form id="upload-form" novalidate data-types="${JSON.stringify(limits.fileTypes)}" data-max-bytes="${limits.maxBytes}" data-max-files="${limits.maxFiles}" data-time-zone="${tz}">
      <h2>Tệp báo cáo</h2>
      <div id="drop" class="drop">
        <label for="files">Chọn tệp báo cáo (tối đa ${limits.maxFiles} tệp, mỗi tệp đến ${formatBytes(limits.maxBytes)})</label>
        <input id="files" name="files" type="file" multiple accept="${accept}" aria-describedby="files-help">
        <p id="files-help" class="muted">Hoặc kéo và thả tệp vào khung này. Nhận các tệp ${ALLOWED_EXTENSIONS_TEXT}. Nộp lại sẽ tạo lần nộp mới; lần nộp mới nhất được tính.</p>
      </div>
      <ul id="file-list" class="files" aria-label="Tệp đã chọn"></ul>
      <h2>Ghi chú theo nhóm nhiệm vụ <span class="muted">(không bắt buộc)</span></h2>
      ${plan.taskGroups.map(
        (t) => html`<label for="note-${t.number}">${t.number}. ${t.title}</label>
        <textarea id="note-${t.number}" name="note-${t.number}" data-group="${t.number}" rows="3" maxlength="5000">${latest?.notes[t.number] ?? ''}</textarea>`,
      )}
      <button type="submit" id="submit">Nộp báo cáo</button>
      <p id="status" class="status" role="status" aria-live="polite"></p>
    </form>
    <section id="receipt" aria-live="polite"></section>
    <section aria-labelledby="history-title">
      <h2 id="history-title">Các lần đã nộp</h2>
      <div id="history-list">${
        shown.length === 0
          ? html`<p class="muted">Chưa có lần nộp nào.</p>`
          : shown.map((v) => versionBlock(v, tz))
      }</div>
    </section>`;
  return document(`Nộp báo cáo năm ${period.year}`, body, ctx);
}

/**
 * A page that says why the link cannot be used, with no data, and the ways on: back to the upload
 * page (`uploadPage`, for a mistyped address under a link), the newest e-mail of the office (the
 * link in it is the one that works), a message to the office.
 */
export function renderLinkMessage(
  title: string,
  message: string,
  ctx: PageContext,
  uploadPage?: string,
): string {
  const links = [
    uploadPage ? html`<a class="button" href="${uploadPage}">Về trang nộp báo cáo</a>` : '',
    ctx.officeEmail
      ? html` <a class="button secondary" href="mailto:${ctx.officeEmail}">Gửi thư cho văn phòng Đảng ủy</a>`
      : '',
  ];
  return page(
    title,
    html`<h1>${title}</h1><p>${message}</p>
      <p>Liên kết nộp báo cáo của đơn vị luôn ở trong thư mới nhất văn phòng Đảng ủy gửi đến hộp thư của đơn vị: hãy mở thư đó và bấm "Mở trang nộp báo cáo".</p>
      <p class="onward">${links}</p>`,
    { committeeName: ctx.committeeName },
  );
}

function document(title: string, body: SafeHtml, ctx: PageContext): string {
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer"><link rel="icon" href="data:,"><title>${escapeHtml(title)} · baocao</title>
<style>${STYLE}</style><style>${UPLOAD_STYLE}</style></head>
<body><header><strong>baocao</strong> · ${escapeHtml(ctx.committeeName)}</header>
<main>${body.value}</main><script>${UPLOAD_SCRIPT}</script></body></html>`;
}

function versionBlock(v: VersionView, timeZone: string): SafeHtml {
  return html`<article class="card version" data-version="${v.version}">
    <h3>Lần nộp số ${v.version}${v.submittedAt ? ` — nhận lúc ${formatDateTimeVi(v.submittedAt, timeZone)}` : ''}</h3>
    ${v.onTime === null ? '' : html`<p class="${v.onTime ? 'on_time' : 'late'}">${v.onTime ? 'Đúng hạn' : 'Trễ hạn'}</p>`}
    ${
      v.files.length === 0
        ? ''
        : html`<ul>${v.files.map(
            (f) =>
              html`<li><strong>${f.fileName}</strong> — ${formatBytes(f.size)} — nhận lúc ${formatDateTimeVi(f.receivedAt, timeZone)}<br><span class="hash">SHA-256: ${f.sha256}</span>${signatureLine(f.signature)}${scanLine(f.scan)}</li>`,
          )}</ul>`
    }
    ${
      v.rejected.length === 0
        ? ''
        : html`<p>Tệp bị từ chối:</p><ul>${v.rejected.map(
            (r) => html`<li class="missing"><strong>${r.fileName}</strong> — ${r.reason}</li>`,
          )}</ul>`
    }
  </article>`;
}

/** The receipt's line about a file's malware scan (docs/malware-scanning.md). */
function scanLine(scan: VersionView['files'][number]['scan']): SafeHtml | string {
  if (!scan) return '';
  const why = scan.state === 'clean' || scan.state === 'pending' ? '' : ` (${scan.reason})`;
  return html`<br><span class="signature scan-${scan.state}" data-scan="${scan.state}">Kiểm tra mã độc: ${scan.label}${why}</span>`;
}

/** The receipt's line about a file's digital signature (docs/signatures.md). */
function signatureLine(signature: VersionView['files'][number]['signature']): SafeHtml | string {
  if (!signature) return '';
  const who = signature.signedBy ? ` — ${signature.signedBy}` : '';
  const why =
    signature.state === 'valid' || signature.state === 'pending' || !signature.reason
      ? ''
      : ` (${signature.reason})`;
  return html`<br><span class="signature sig-${signature.state}">Chữ ký số: ${signature.label}${who}${why}</span>`;
}

function deadlineText(period: UnitStatusView['period']): SafeHtml {
  if (period.daysLate !== undefined)
    return html`<span class="late-text">đã trễ ${period.daysLate} ngày</span>`;
  if (period.daysLeft === 0) return html`<span class="late-text">hôm nay là hạn cuối</span>`;
  return html`<span class="left-text">còn ${period.daysLeft} ngày</span>`;
}

function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
}
