/** An HTTP request as the web layer needs it, independent of API Gateway's event shape. */
export interface HttpRequest {
  method: string;
  /** Path without a trailing slash ("/" for the root). */
  path: string;
  headers: Record<string, string | undefined>;
  cookies: Record<string, string>;
  /** The query string without `?`. */
  query: string;
  /** Raw body as text (decoded from base64 when needed). */
  body: string;
  sourceIp: string;
}

/** Parses `a=1; b=2` cookie headers (API Gateway v2 hands them over as an array). */
export function parseCookies(cookies: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (cookies ?? []).flatMap((c) => c.split(';'))) {
    const i = part.indexOf('=');
    if (i <= 0) continue;
    const name = part.slice(0, i).trim();
    if (!(name in out)) out[name] = part.slice(i + 1).trim();
  }
  return out;
}

/** Parses an `application/x-www-form-urlencoded` body. */
export function parseForm(body: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(body)) out[k] = v;
  return out;
}
