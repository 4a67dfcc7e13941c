import { createHash } from 'node:crypto';
import { formatDateTimeVi, formatDateVi } from '#shared/domain/calendar.ts';
import { escapeHtml, html, page, type SafeHtml } from '#shared/http/html.ts';
import { STYLE, STYLE_HASH } from '#shared/http/style.ts';
import type { UnitStatusView, VersionView } from '#shared/uploads/unit-status.ts';
import { ALLOWED_EXTENSIONS_TEXT, formatBytes } from '#shared/uploads/upload-request.ts';

/**
 * A unit's upload page (`GET /u/{token}`), in Vietnamese, mobile first. Server-rendered: the
 * plan, the unit, the deadline, the task groups with a note each, and the earlier submissions
 * with their receipts show without JavaScript. The inline script (allowed by its hash) uploads
 * the files: for each file it asks `POST …/uploads` for a presigned POST, posts the file to
 * storage with XMLHttpRequest (for its progress events), then polls `GET …/status` until the
 * receipt of the new submission appears.
 */

interface PageContext {
  committeeName: string;
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

/** The page's script: plain browser JavaScript, no dependency, allowed by its hash. */
export const UPLOAD_SCRIPT = `
(function () {
  'use strict';
  var form = document.getElementById('upload-form');
  if (!form) return;
  var input = document.getElementById('files');
  var drop = document.getElementById('drop');
  var list = document.getElementById('file-list');
  var statusEl = document.getElementById('status');
  var button = document.getElementById('submit');
  var receipt = document.getElementById('receipt');
  var history = document.getElementById('history-list');
  var types = JSON.parse(form.getAttribute('data-types'));
  var maxBytes = Number(form.getAttribute('data-max-bytes'));
  var maxFiles = Number(form.getAttribute('data-max-files'));
  var timeZone = form.getAttribute('data-time-zone');
  var base = location.pathname.replace(/\\/+$/, '');
  var busy = false;
  var rows = [];

  function extOf(name) {
    var dot = name.lastIndexOf('.');
    return dot >= 0 ? name.slice(dot + 1).toLowerCase() : '';
  }
  function bytes(n) {
    var units = [[1073741824, 'GB'], [1048576, 'MB'], [1024, 'KB']];
    for (var i = 0; i < units.length; i++) {
      if (n >= units[i][0]) return String(Math.round((n / units[i][0]) * 10) / 10).replace('.', ',') + ' ' + units[i][1];
    }
    return n + ' byte';
  }
  function time(iso) {
    var parts = {};
    new Intl.DateTimeFormat('en-GB', {
      timeZone: timeZone, year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', hourCycle: 'h23'
    }).formatToParts(new Date(iso)).forEach(function (p) { parts[p.type] = p.value; });
    return parts.day + '/' + parts.month + '/' + parts.year + ' ' + parts.hour + ':' + parts.minute;
  }
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) {
      node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return node;
  }
  function say(text, kind) {
    statusEl.textContent = text;
    statusEl.className = 'status' + (kind ? ' ' + kind : '');
  }
  function fileProblem(file) {
    var ext = extOf(file.name);
    if (!Object.prototype.hasOwnProperty.call(types, ext)) return 'không nhận loại tệp này';
    if (file.size < 1) return 'tệp rỗng (0 byte)';
    if (file.size > maxBytes) return 'tệp vượt giới hạn ' + bytes(maxBytes);
    return '';
  }
  function showSelection() {
    var files = Array.prototype.slice.call(input.files || []);
    list.textContent = '';
    rows = files.map(function (file) {
      var problem = fileProblem(file);
      var state = el('span', { 'class': problem ? 'bad' : '' }, [problem ? ' — ' + problem : '']);
      var progress = el('progress', { max: '100', value: '0', 'aria-label': 'Tiến độ tải lên ' + file.name });
      var li = el('li', {}, [el('strong', {}, [file.name]), ' (' + bytes(file.size) + ')', state, progress]);
      list.appendChild(li);
      return { state: state, progress: progress };
    });
    if (files.length > maxFiles) say('Chỉ nộp tối đa ' + maxFiles + ' tệp mỗi lần; bạn đã chọn ' + files.length + ' tệp.', 'error');
    else say('');
  }
  function setRow(i, text, kind) {
    rows[i].state.textContent = ' — ' + text;
    rows[i].state.className = kind || '';
  }
  function api(method, path, body) {
    return fetch(base + path, {
      method: method,
      headers: body ? { 'Content-Type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
      cache: 'no-store',
      credentials: 'same-origin'
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (json) {
        if (res.ok) return json;
        var err = new Error((json.error && json.error.message) || 'Đã có lỗi hệ thống. Vui lòng thử lại sau.');
        err.status = res.status;
        throw err;
      });
    });
  }
  function post(grant, file, progress) {
    return new Promise(function (resolve, reject) {
      var data = new FormData();
      Object.keys(grant.fields).forEach(function (k) { data.append(k, grant.fields[k]); });
      data.append('file', file);
      var xhr = new XMLHttpRequest();
      xhr.open('POST', grant.url);
      xhr.upload.onprogress = function (e) {
        if (e.lengthComputable) progress.value = Math.round((e.loaded / e.total) * 100);
      };
      xhr.onload = function () {
        if (xhr.status >= 200 && xhr.status < 300) { progress.value = 100; resolve(); }
        else reject(new Error('Kho lưu trữ từ chối tệp ' + file.name + ' (mã ' + xhr.status + '). Hãy thử lại.'));
      };
      xhr.onerror = function () { reject(new Error('Mất kết nối khi tải tệp ' + file.name + '. Hãy thử lại.')); };
      xhr.send(data);
    });
  }
  function notes() {
    var out = {};
    Array.prototype.forEach.call(form.querySelectorAll('textarea[data-group]'), function (t) {
      if (t.value.trim()) out[t.getAttribute('data-group')] = t.value;
    });
    return out;
  }
  function versionBlock(v) {
    var box = el('article', { 'class': 'card version', 'data-version': String(v.version) });
    var when = v.submittedAt ? ' — nhận lúc ' + time(v.submittedAt) : '';
    var timing = v.onTime === true ? 'Đúng hạn' : v.onTime === false ? 'Trễ hạn' : '';
    box.appendChild(el('h3', {}, ['Lần nộp số ' + v.version + when]));
    if (timing) box.appendChild(el('p', { 'class': v.onTime ? 'on_time' : 'late' }, [timing]));
    if (v.files.length) {
      box.appendChild(el('ul', {}, v.files.map(function (f) {
        return el('li', {}, [el('strong', {}, [f.fileName]), ' — ' + bytes(f.size) + ' — nhận lúc ' + time(f.receivedAt),
          el('br'), el('span', { 'class': 'hash' }, ['SHA-256: ' + f.sha256])]);
      })));
    }
    if (v.rejected.length) {
      box.appendChild(el('p', {}, ['Tệp bị từ chối:']));
      box.appendChild(el('ul', {}, v.rejected.map(function (r) {
        return el('li', { 'class': 'missing' }, [el('strong', {}, [r.fileName]), ' — ' + r.reason]);
      })));
    }
    return box;
  }
  function showHistory(status) {
    history.textContent = '';
    var shown = status.versions.filter(function (v) { return v.files.length || v.rejected.length; });
    if (!shown.length) history.appendChild(el('p', { 'class': 'muted' }, ['Chưa có lần nộp nào.']));
    shown.forEach(function (v) { history.appendChild(versionBlock(v)); });
  }
  function sleep(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }
  async function waitForReceipt(version, count) {
    for (var i = 0; i < 45; i++) {
      await sleep(i === 0 ? 1000 : 2000);
      var status = await api('GET', '/status');
      var v = status.versions.filter(function (x) { return x.version === version; })[0];
      if (v && v.files.length + v.rejected.length >= count) {
        receipt.textContent = '';
        var title = el('h2', { tabindex: '-1' }, ['Biên nhận lần nộp số ' + version]);
        receipt.appendChild(title);
        receipt.appendChild(versionBlock(v));
        showHistory(status);
        say(v.rejected.length ? 'Có tệp bị từ chối: xem lý do trong biên nhận.' : 'Đã nhận báo cáo. Biên nhận ở bên dưới.', v.rejected.length ? 'error' : 'ok');
        title.focus();
        return;
      }
    }
    say('Đã tải tệp lên; hệ thống đang kiểm tra. Hãy tải lại trang sau ít phút để xem biên nhận.');
  }
  function setBusy(on) {
    busy = on;
    button.disabled = on;
    input.disabled = on;
  }

  input.addEventListener('change', showSelection);
  ['dragenter', 'dragover'].forEach(function (name) {
    drop.addEventListener(name, function (e) { e.preventDefault(); drop.classList.add('over'); });
  });
  ['dragleave', 'drop'].forEach(function (name) {
    drop.addEventListener(name, function () { drop.classList.remove('over'); });
  });
  drop.addEventListener('drop', function (e) {
    e.preventDefault();
    if (busy || !e.dataTransfer || !e.dataTransfer.files.length) return;
    input.files = e.dataTransfer.files;
    showSelection();
  });

  form.addEventListener('submit', async function (e) {
    e.preventDefault();
    if (busy) return;
    var files = Array.prototype.slice.call(input.files || []);
    if (!files.length) { say('Hãy chọn ít nhất một tệp báo cáo.', 'error'); input.focus(); return; }
    if (files.length > maxFiles) { say('Chỉ nộp tối đa ' + maxFiles + ' tệp mỗi lần.', 'error'); input.focus(); return; }
    var bad = files.filter(function (f) { return fileProblem(f); });
    if (bad.length) {
      say('Có tệp không hợp lệ: ' + bad.map(function (f) { return f.name + ' (' + fileProblem(f) + ')'; }).join('; ') + '.', 'error');
      input.focus();
      return;
    }
    setBusy(true);
    var submission;
    try {
      for (var i = 0; i < files.length; i++) {
        var file = files[i];
        setRow(i, 'đang chuẩn bị…');
        var body = { fileName: file.name, contentType: types[extOf(file.name)], size: file.size };
        if (submission === undefined) {
          body.fileCount = files.length;
          var n = notes();
          if (Object.keys(n).length) body.notes = n;
        } else {
          body.submission = submission;
        }
        say('Đang tải lên tệp ' + (i + 1) + '/' + files.length + '…');
        var grant = await api('POST', '/uploads', body);
        submission = grant.submission;
        setRow(i, 'đang tải lên…');
        await post(grant, file, rows[i].progress);
        setRow(i, 'đã tải lên');
      }
      say('Đã tải lên ' + files.length + ' tệp (lần nộp số ' + submission + '). Đang chờ biên nhận…');
      await waitForReceipt(submission, files.length);
    } catch (err) {
      say(err.message || 'Đã có lỗi. Hãy thử lại.', 'error');
      if (err.status === 403 || err.status === 404 || err.status === 410) {
        setBusy(true);
        return;
      }
    }
    setBusy(false);
  });
})();
`;

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
      <dt>Tình trạng</dt><dd>${statusText(view)}</dd>
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

/** A page that says why the link cannot be used, with no data. */
export function renderLinkMessage(title: string, message: string, ctx: PageContext): string {
  return page(title, html`<h1>${title}</h1><p>${message}</p>`, { committeeName: ctx.committeeName });
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
              html`<li><strong>${f.fileName}</strong> — ${formatBytes(f.size)} — nhận lúc ${formatDateTimeVi(f.receivedAt, timeZone)}<br><span class="hash">SHA-256: ${f.sha256}</span></li>`,
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

function deadlineText(period: UnitStatusView['period']): SafeHtml {
  if (period.daysLate !== undefined)
    return html`<span class="late-text">đã trễ ${period.daysLate} ngày</span>`;
  if (period.daysLeft === 0) return html`<span class="late-text">hôm nay là hạn cuối</span>`;
  return html`<span class="left-text">còn ${period.daysLeft} ngày</span>`;
}

function statusText(view: UnitStatusView): string {
  if (view.status === 'missing' || !view.submittedAt) return 'Chưa nộp';
  return `Đã nộp lần số ${view.latestVersion} (${view.status === 'on_time' ? 'đúng hạn' : 'trễ hạn'})`;
}

function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
}
