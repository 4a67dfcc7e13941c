/**
 * The upload page's script, run in the unit's browser on the page that functions/web/upload-page.ts
 * renders. For each chosen file it asks `POST …/uploads` for a presigned POST, posts the file to
 * storage with XMLHttpRequest (for its progress events), then polls `GET …/status` until the
 * receipt of the new submission appears, and moves the focus to it.
 *
 * Browser code: the DOM and ES2017 only (./tsconfig.json, checked by `npm run typecheck`), no
 * third-party module, and DOM built with `textContent` and text nodes only. esbuild bundles it into a
 * minified IIFE (infra/bundling/upload-script.ts, `npm run build:web`); the page inlines that text
 * and its CSP allows it by its SHA-256.
 */
import { formatBytes } from '#shared/domain/bytes.ts';
import type { ErrorJson, Grant, StatusJson, StatusVersion, UploadBody } from './contract.ts';
import { extensionOf, formatDateTime } from './format.ts';

/** A refused request: the server's Vietnamese message and the HTTP status. */
class RequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** The parts of a file's line in the list that change while it uploads. */
interface Row {
  state: HTMLSpanElement;
  progress: HTMLProgressElement;
}

const uploadForm = document.getElementById('upload-form');
if (uploadForm) runUploadForm(uploadForm);

function runUploadForm(form: HTMLElement): void {
  const input = byId<HTMLInputElement>('files');
  const drop = byId<HTMLDivElement>('drop');
  const list = byId<HTMLUListElement>('file-list');
  const statusEl = byId<HTMLParagraphElement>('status');
  const button = byId<HTMLButtonElement>('submit');
  const receipt = byId<HTMLElement>('receipt');
  const historyList = byId<HTMLDivElement>('history-list');
  const types = JSON.parse(form.getAttribute('data-types') ?? '{}') as Record<string, string>;
  const maxBytes = Number(form.getAttribute('data-max-bytes'));
  const maxFiles = Number(form.getAttribute('data-max-files'));
  const timeZone = form.getAttribute('data-time-zone') ?? undefined;
  const base = location.pathname.replace(/\/+$/, '');
  let busy = false;
  let rows: Row[] = [];

  function say(text: string, kind?: 'error' | 'ok'): void {
    statusEl.textContent = text;
    statusEl.className = 'status' + (kind ? ' ' + kind : '');
  }

  function fileProblem(file: File): string {
    // An own property of the parsed JSON: inherited names (`constructor`) are never strings.
    // (Object.hasOwn is ES2022, newer than the browsers this page supports.)
    if (typeof types[extensionOf(file.name)] !== 'string') return 'không nhận loại tệp này';
    if (file.size < 1) return 'tệp rỗng (0 byte)';
    if (file.size > maxBytes) return 'tệp vượt giới hạn ' + formatBytes(maxBytes);
    return '';
  }

  function chosenFiles(): File[] {
    return Array.from(input.files || []);
  }

  function showSelection(): void {
    const files = chosenFiles();
    list.textContent = '';
    rows = files.map((file) => {
      const problem = fileProblem(file);
      const state = el('span', { class: problem ? 'bad' : '' }, [problem ? ' — ' + problem : '']);
      const progress = el('progress', {
        max: '100',
        value: '0',
        'aria-label': 'Tiến độ tải lên ' + file.name,
      });
      list.appendChild(
        el('li', {}, [el('strong', {}, [file.name]), ' (' + formatBytes(file.size) + ')', state, progress]),
      );
      return { state, progress };
    });
    if (files.length > maxFiles) {
      say('Chỉ nộp tối đa ' + maxFiles + ' tệp mỗi lần; bạn đã chọn ' + files.length + ' tệp.', 'error');
    } else {
      say('');
    }
  }

  function setRow(i: number, text: string): void {
    const row = rows[i]!;
    row.state.textContent = ' — ' + text;
    row.state.className = '';
  }

  async function api<T>(method: 'GET' | 'POST', path: string, body?: UploadBody): Promise<T> {
    const res = await fetch(base + path, {
      method,
      headers: body ? { 'Content-Type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
      cache: 'no-store',
      credentials: 'same-origin',
    });
    const json = (await res.json().catch(() => ({}))) as T & ErrorJson;
    if (res.ok) return json;
    throw new RequestError(json.error?.message || 'Đã có lỗi hệ thống. Vui lòng thử lại sau.', res.status);
  }

  function post(grant: Grant, file: File, progress: HTMLProgressElement): Promise<void> {
    return new Promise((resolve, reject) => {
      const data = new FormData();
      for (const k of Object.keys(grant.fields)) data.append(k, grant.fields[k]!);
      data.append('file', file);
      const xhr = new XMLHttpRequest();
      xhr.open('POST', grant.url);
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) progress.value = Math.round((e.loaded / e.total) * 100);
      };
      xhr.onload = () => {
        if (xhr.status >= 200 && xhr.status < 300) {
          progress.value = 100;
          resolve();
        } else {
          reject(
            new Error('Kho lưu trữ từ chối tệp ' + file.name + ' (mã ' + xhr.status + '). Hãy thử lại.'),
          );
        }
      };
      xhr.onerror = () => {
        reject(new Error('Mất kết nối khi tải tệp ' + file.name + '. Hãy thử lại.'));
      };
      xhr.send(data);
    });
  }

  function notes(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const t of Array.from(form.querySelectorAll<HTMLTextAreaElement>('textarea[data-group]'))) {
      if (t.value.trim()) out[t.getAttribute('data-group')!] = t.value;
    }
    return out;
  }

  function versionBlock(v: StatusVersion): HTMLElement {
    const box = el('article', { class: 'card version', 'data-version': String(v.version) });
    const when = v.submittedAt ? ' — nhận lúc ' + formatDateTime(v.submittedAt, timeZone) : '';
    const timing = v.onTime === true ? 'Đúng hạn' : v.onTime === false ? 'Trễ hạn' : '';
    box.appendChild(el('h3', {}, ['Lần nộp số ' + v.version + when]));
    if (timing) box.appendChild(el('p', { class: v.onTime ? 'on_time' : 'late' }, [timing]));
    if (v.files.length) {
      box.appendChild(
        el(
          'ul',
          {},
          v.files.map((f) =>
            el('li', {}, [
              el('strong', {}, [f.fileName]),
              ' — ' + formatBytes(f.size) + ' — nhận lúc ' + formatDateTime(f.receivedAt, timeZone),
              el('br'),
              el('span', { class: 'hash' }, ['SHA-256: ' + f.sha256]),
            ]),
          ),
        ),
      );
    }
    if (v.rejected.length) {
      box.appendChild(el('p', {}, ['Tệp bị từ chối:']));
      box.appendChild(
        el(
          'ul',
          {},
          v.rejected.map((r) =>
            el('li', { class: 'missing' }, [el('strong', {}, [r.fileName]), ' — ' + r.reason]),
          ),
        ),
      );
    }
    return box;
  }

  function showHistory(status: StatusJson): void {
    historyList.textContent = '';
    const shown = status.versions.filter((v) => v.files.length || v.rejected.length);
    if (!shown.length) historyList.appendChild(el('p', { class: 'muted' }, ['Chưa có lần nộp nào.']));
    for (const v of shown) historyList.appendChild(versionBlock(v));
  }

  /** Polls the status every 2 seconds, about 90 seconds in all, until `version` holds `count` files. */
  async function waitForReceipt(version: number, count: number): Promise<void> {
    for (let i = 0; i < 45; i++) {
      await sleep(i === 0 ? 1000 : 2000);
      const status = await api<StatusJson>('GET', '/status');
      const v = status.versions.filter((x) => x.version === version)[0];
      if (v && v.files.length + v.rejected.length >= count) {
        receipt.textContent = '';
        const title = el('h2', { tabindex: '-1' }, ['Biên nhận lần nộp số ' + version]);
        receipt.appendChild(title);
        receipt.appendChild(versionBlock(v));
        showHistory(status);
        if (v.rejected.length) say('Có tệp bị từ chối: xem lý do trong biên nhận.', 'error');
        else say('Đã nhận báo cáo. Biên nhận ở bên dưới.', 'ok');
        title.focus();
        return;
      }
    }
    say('Đã tải tệp lên; hệ thống đang kiểm tra. Hãy tải lại trang sau ít phút để xem biên nhận.');
  }

  function setBusy(on: boolean): void {
    busy = on;
    button.disabled = on;
    input.disabled = on;
  }

  async function submit(e: Event): Promise<void> {
    e.preventDefault();
    if (busy) return;
    const files = chosenFiles();
    if (!files.length) {
      say('Hãy chọn ít nhất một tệp báo cáo.', 'error');
      input.focus();
      return;
    }
    if (files.length > maxFiles) {
      say('Chỉ nộp tối đa ' + maxFiles + ' tệp mỗi lần.', 'error');
      input.focus();
      return;
    }
    const bad = files.filter((f) => fileProblem(f));
    if (bad.length) {
      say(
        'Có tệp không hợp lệ: ' + bad.map((f) => f.name + ' (' + fileProblem(f) + ')').join('; ') + '.',
        'error',
      );
      input.focus();
      return;
    }
    setBusy(true);
    let submission: number | undefined;
    try {
      for (let i = 0; i < files.length; i++) {
        const file = files[i]!;
        setRow(i, 'đang chuẩn bị…');
        const body: UploadBody = {
          fileName: file.name,
          contentType: types[extensionOf(file.name)],
          size: file.size,
        };
        if (submission === undefined) {
          body.fileCount = files.length;
          const n = notes();
          if (Object.keys(n).length) body.notes = n;
        } else {
          body.submission = submission;
        }
        say('Đang tải lên tệp ' + (i + 1) + '/' + files.length + '…');
        const grant = await api<Grant>('POST', '/uploads', body);
        submission = grant.submission;
        setRow(i, 'đang tải lên…');
        await post(grant, file, rows[i]!.progress);
        setRow(i, 'đã tải lên');
      }
      say('Đã tải lên ' + files.length + ' tệp (lần nộp số ' + submission + '). Đang chờ biên nhận…');
      await waitForReceipt(submission!, files.length);
    } catch (err) {
      say((err as Error).message || 'Đã có lỗi. Hãy thử lại.', 'error');
      // The link is no longer valid (revoked, unknown, expired): leave the form disabled.
      const status = err instanceof RequestError ? err.status : 0;
      if (status === 403 || status === 404 || status === 410) {
        setBusy(true);
        return;
      }
    }
    setBusy(false);
  }

  input.addEventListener('change', showSelection);
  for (const name of ['dragenter', 'dragover']) {
    drop.addEventListener(name, (e) => {
      e.preventDefault();
      drop.classList.add('over');
    });
  }
  for (const name of ['dragleave', 'drop']) {
    drop.addEventListener(name, () => {
      drop.classList.remove('over');
    });
  }
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    if (busy || !e.dataTransfer || !e.dataTransfer.files.length) return;
    input.files = e.dataTransfer.files;
    showSelection();
  });
  form.addEventListener('submit', submit);
}

function byId<T extends HTMLElement>(id: string): T {
  return document.getElementById(id) as T;
}

/** An element with attributes and children (strings become text nodes: never parsed as HTML). */
function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  children: (Node | string)[] = [],
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const k of Object.keys(attrs)) node.setAttribute(k, attrs[k]!);
  for (const c of children) node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  return node;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
