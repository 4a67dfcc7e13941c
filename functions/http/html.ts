import { escapeHtml } from '#shared/html-escape.ts';
import { STYLE } from './style.ts';

export { escapeHtml };

/** Marks a string as already-safe HTML so `html` does not escape it again. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Tagged template that escapes every interpolated value unless it is SafeHtml (or an array of it). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

function render(value: unknown): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(value);
}

/** Who is signed in, for the page header's sign-out button. */
export interface PageSession {
  email: string;
  csrf: string;
  /** `viewer` members see no action they may not take (the server refuses them anyway). */
  role?: 'admin' | 'viewer' | undefined;
  /** A member of several committees: the header links to the chooser ("Chọn cấp ủy"). */
  multiCommittee?: boolean | undefined;
}

/** The committee app's sections, in the header's navigation. */
const NAV = [
  { href: '/admin', label: 'Kế hoạch' },
  { href: '/admin/units', label: 'Đơn vị' },
  { href: '/admin/members', label: 'Thành viên' },
  { href: '/admin/audit', label: 'Nhật ký' },
] as const;

/** A whole Vietnamese page with the app's inline style (allowed by its hash in the CSP). */
export function page(
  title: string,
  body: SafeHtml,
  options: { committeeName: string; session?: PageSession | undefined },
): string {
  const nav = options.session
    ? html`<nav aria-label="Các mục"><ul>${NAV.map((item) => html`<li><a href="${item.href}">${item.label}</a></li>`)}</ul></nav>`
    : '';
  const switcher = options.session?.multiCommittee
    ? html` <a class="switch" href="/admin/committees">Đổi cấp ủy</a>`
    : '';
  const account = options.session
    ? html`<form class="account" method="post" action="/admin/sign-out"><span>${options.session.email}</span>
        <input type="hidden" name="csrf" value="${options.session.csrf}"><button type="submit">Đăng xuất</button></form>`
    : '';
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<link rel="icon" href="data:,"><title>${escapeHtml(title)} · baocao</title><style>${STYLE}</style></head>
<body><header><strong>baocao</strong> · ${escapeHtml(options.committeeName)}${switcher.toString()}${nav.toString()}${account}</header>
<main>${body.value}</main></body></html>`;
}
