/**
 * The upload page's script, run in the unit's browser on the page that functions/web/upload-page.ts
 * renders. For each chosen file it asks `POST …/uploads` for a presigned POST, posts the file to
 * storage with XMLHttpRequest (for its progress events), then polls `GET …/status` until the
 * receipt of the new submission appears, and moves the focus to it. The first request declares
 * every file (name, size, SHA-256, hashed here): the server refuses a submission identical to the
 * version that counts (`ALREADY_RECEIVED`), and the page shows that version's receipt instead.
 * After a receipt the chosen files are cleared and the status line at the top is updated.
 *
 * Browser code: the DOM and ES2017 only (./tsconfig.json, checked by `npm run typecheck`), no
 * third-party module, and DOM built with `textContent` and text nodes only. esbuild bundles it into a
 * minified IIFE (infra/bundling/upload-script.ts, `npm run build:web`); the page inlines that text
 * and its CSP allows it by its SHA-256.
 */
import { formatBytes } from '#shared/domain/bytes.ts';
import type { ErrorJson, Grant, StatusJson, StatusVersion, UploadBody } from './contract.ts';
import { extensionOf, formatDateTime, statusLine } from './format.ts';

/** A refused request: the server's Vietnamese message, the HTTP status and the error code. */
class RequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
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
  const unitStatus = byId<HTMLElement>('unit-status');
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
      say('Chỉ nộp tối đa ' + maxFiles + ' tệp mỗi lần; đơn vị đã chọn ' + files.length + ' tệp.', 'error');
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
    throw new RequestError(
      json.error?.message || 'Đã có lỗi hệ thống. Vui lòng thử lại sau.',
      res.status,
      json.error?.code || '',
    );
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

  /** The line about a file's digital signature, as the server-rendered receipt writes it. */
  function signatureLine(f: StatusVersion['files'][number]): (HTMLElement | string)[] {
    const sig = f.signature;
    if (!sig) return [];
    const who = sig.signedBy ? ' — ' + sig.signedBy : '';
    const why =
      sig.state === 'valid' || sig.state === 'pending' || !sig.reason ? '' : ' (' + sig.reason + ')';
    return [
      el('br'),
      el('span', { class: 'signature sig-' + sig.state }, ['Chữ ký số: ' + sig.label + who + why]),
    ];
  }

  /** The line about a file's malware scan, as the server-rendered receipt writes it. */
  function scanLine(f: StatusVersion['files'][number]): (HTMLElement | string)[] {
    const scan = f.scan;
    if (!scan) return [];
    const why = scan.state === 'clean' || scan.state === 'pending' ? '' : ' (' + scan.reason + ')';
    return [
      el('br'),
      el('span', { class: 'signature scan-' + scan.state, 'data-scan': scan.state }, [
        'Kiểm tra mã độc: ' + scan.label + why,
      ]),
    ];
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
              ...signatureLine(f),
              ...scanLine(f),
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

  /** The earlier submissions: every one but `except` (shown above as the receipt). */
  function showHistory(status: StatusJson, except: number): void {
    historyList.textContent = '';
    const shown = status.versions.filter(
      (v) => v.version !== except && (v.files.length || v.rejected.length),
    );
    if (!shown.length) historyList.appendChild(el('p', { class: 'muted' }, ['Chưa có lần nộp nào khác.']));
    for (const v of shown) historyList.appendChild(versionBlock(v));
  }

  /**
   * Shows version `v` once, as the receipt (or, when every file was refused, as the refusal),
   * updates the status line at the top, and clears the chosen files.
   */
  function showReceipt(status: StatusJson, v: StatusVersion): void {
    receipt.textContent = '';
    const title = el('h2', { tabindex: '-1' }, [
      v.files.length ? 'Biên nhận lần nộp số ' + v.version : 'Lần nộp số ' + v.version + ' không được nhận',
    ]);
    receipt.appendChild(title);
    receipt.appendChild(versionBlock(v));
    showHistory(status, v.version);
    unitStatus.textContent = statusLine(status);
    input.value = '';
    list.textContent = '';
    rows = [];
    title.focus();
  }

  /**
   * Polls the status until `version` holds `count` files, backing off: after 1 s, then each wait
   * 1.5× the one before (at most 10 s), about 3 minutes in all (about 25 polls, well inside the
   * server's per-link limit). A poll refused as too many (429) waits the longest before the next.
   */
  async function waitForReceipt(version: number, count: number): Promise<void> {
    let wait = 1000;
    for (let waited = 0; waited < 180000; waited += wait, wait = Math.min(wait * 1.5, 10000)) {
      await sleep(wait);
      let status: StatusJson;
      try {
        status = await api<StatusJson>('GET', '/status');
      } catch (error) {
        if (!(error instanceof RequestError) || error.status !== 429) throw error;
        wait = 10000;
        continue;
      }
      const v = status.versions.filter((x) => x.version === version)[0];
      if (v && v.files.length + v.rejected.length >= count) {
        showReceipt(status, v);
        if (!v.files.length) say('Không tệp nào được nhận: xem lý do bên dưới rồi nộp lại.', 'error');
        else if (v.rejected.length) say('Có tệp bị từ chối: xem lý do trong biên nhận.', 'error');
        else say('Đã nhận báo cáo. Biên nhận ở bên dưới.', 'ok');
        return;
      }
    }
    say('Đã tải tệp lên; hệ thống đang kiểm tra. Hãy tải lại trang sau ít phút để xem biên nhận.');
  }

  /** SHA-256 of each file, lower-case hex; undefined where the browser cannot hash (no secure context). */
  async function declare(files: File[]): Promise<UploadBody['files']> {
    const subtle = window.crypto?.subtle;
    if (!subtle) return undefined;
    const out: NonNullable<UploadBody['files']> = [];
    for (const file of files) {
      const digest = new Uint8Array(await subtle.digest('SHA-256', await file.arrayBuffer()));
      let hex = '';
      for (let i = 0; i < digest.length; i++) hex += (digest[i]! < 16 ? '0' : '') + digest[i]!.toString(16);
      out.push({ fileName: file.name, size: file.size, sha256: hex });
    }
    return out;
  }

  /** The files are those of the version that counts: show its receipt, record nothing. */
  async function alreadyReceived(message: string): Promise<void> {
    const status = await api<StatusJson>('GET', '/status');
    const v = status.versions.filter((x) => x.version === status.latestVersion)[0];
    if (v) showReceipt(status, v);
    say(message, 'ok');
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
      say('Đang kiểm tra tệp…');
      const declared = await declare(files).catch(() => undefined);
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
          if (declared) body.files = declared;
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
      if (err instanceof RequestError && err.code === 'ALREADY_RECEIVED') {
        await alreadyReceived(err.message).catch(() => say(err.message, 'ok'));
        setBusy(false);
        return;
      }
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
