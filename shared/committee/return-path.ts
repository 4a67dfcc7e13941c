/**
 * Where a committee member returns after signing in again (`next`): only a page of this app, as a
 * relative path under `/admin`, never another site. Browsers read `//evil`, `/\evil` and
 * `\\evil` as other hosts, and some decode `%2F`/`%5C` before they do; so anything with a
 * backslash, a scheme, a host, a control character or an encoded slash or backslash is refused
 * outright rather than repaired, and the sign-in pages themselves are refused (no loop).
 */

/** Longest return path kept, in characters (it travels in a query string and an e-mail). */
export const MAX_RETURN_PATH_CHARS = 512;

const BASE = 'https://baocao.invalid';

/**
 * The same-site page path (`/admin/…` with its query) that `raw` names, or undefined when it is
 * anything else.
 */
export function safeReturnPath(raw: unknown): string | undefined {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_RETURN_PATH_CHARS) return undefined;
  // One relative path: a single leading slash, then no second one, no backslash anywhere.
  if (!raw.startsWith('/') || raw.startsWith('//') || raw.includes('\\')) return undefined;
  // Control characters (tab and newline are dropped by URL parsers: `/\t/evil` is `//evil`).
  if (/[\u0000-\u001f\u007f]/.test(raw)) return undefined;
  // Encoded slashes and backslashes, and encoded percent signs that decode to them later.
  if (/%(?:2f|5c|25)/i.test(raw)) return undefined;
  let url: URL;
  try {
    url = new URL(raw, BASE);
  } catch {
    return undefined;
  }
  if (url.origin !== BASE || url.username || url.password) return undefined;
  const path = url.pathname;
  if (path !== '/admin' && !path.startsWith('/admin/')) return undefined;
  if (path === '/admin/sign-in' || path.startsWith('/admin/sign-in/') || path === '/admin/sign-out') {
    return undefined;
  }
  return `${path}${url.search}`;
}
