/**
 * What a browser would submit from one of the app's server-rendered forms, read from the page's
 * HTML: every named input (checkboxes only when checked; no file inputs), textarea and select
 * (its selected option, else its first). Enough for the app's own markup, whose attribute values
 * are always double-quoted and escaped by functions/http/html.ts.
 */
export function formFields(page: string, action: string): Record<string, string> {
  const start = page.indexOf(`action="${action}"`);
  if (start < 0) throw new Error(`no form posting to ${action}`);
  const form = page.slice(start, page.indexOf('</form>', start));
  const fields: Record<string, string> = {};
  for (const [tag] of form.matchAll(/<input\b[^>]*>/g)) {
    const name = attribute(tag, 'name');
    const type = attribute(tag, 'type') ?? 'text';
    if (name === undefined || type === 'file' || type === 'submit') continue;
    if ((type === 'checkbox' || type === 'radio') && !/\schecked\b/.test(tag)) continue;
    fields[name] = attribute(tag, 'value') ?? (type === 'checkbox' ? 'on' : '');
  }
  for (const [, attrs, content] of form.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
    const name = attribute(attrs!, 'name');
    // A browser drops one newline right after the opening tag.
    if (name !== undefined) fields[name] = unescapeHtml(content!.replace(/^\r?\n/, ''));
  }
  for (const [, attrs, options] of form.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
    const name = attribute(attrs!, 'name');
    const all = [...options!.matchAll(/<option\b([^>]*)>/g)].map(([, a]) => a!);
    const chosen = all.find((a) => /\sselected\b/.test(a)) ?? all[0];
    if (name !== undefined && chosen !== undefined) fields[name] = attribute(chosen, 'value') ?? '';
  }
  return fields;
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return match ? unescapeHtml(match[1]!) : undefined;
}

function unescapeHtml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, '&');
}
