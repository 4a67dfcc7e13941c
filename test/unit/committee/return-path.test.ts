import { describe, expect, it } from 'vitest';
import { MAX_RETURN_PATH_CHARS, safeReturnPath } from '#shared/committee/return-path.ts';
import { returnQuery } from '#shared/committee/sign-in.ts';

describe('the page a member returns to after signing in (next)', () => {
  it.each([
    ['/admin', '/admin'],
    ['/admin/plans/12-kh-dus-2025/2026', '/admin/plans/12-kh-dus-2025/2026'],
    ['/admin/units?done=saved', '/admin/units?done=saved'],
    ['/admin/plans/k%E1%BA%BF', '/admin/plans/k%E1%BA%BF'],
    ['/admin/units/../members', '/admin/members'],
  ])('keeps a page of the app: %s', (raw, kept) => {
    expect(safeReturnPath(raw)).toBe(kept);
  });

  it.each([
    ['another site, scheme-relative', '//evil.example/admin'],
    ['another site, absolute', 'https://evil.example/admin'],
    ['another site, javascript:', 'javascript:alert(1)'],
    ['a backslash read as a slash', '/\\evil.example/admin'],
    ['two backslashes', '\\\\evil.example'],
    ['a backslash later on', '/admin/\\\\evil.example'],
    ['an encoded slash', '/%2F%2Fevil.example'],
    ['an encoded slash after the mount', '/admin%2F..%2F..%2F%2Fevil.example'],
    ['an encoded backslash', '/%5Cevil.example'],
    ['a doubly encoded slash', '/%252F%252Fevil.example'],
    ['a tab that URL parsers drop', '/\t/evil.example'],
    ['a newline', '/admin\n/x'],
    ['credentials', '/admin@evil.example'],
    ['a relative path', 'admin/units'],
    ['outside the app’s pages', '/u/abc'],
    ['the JSON API', '/api/plans'],
    ['a look-alike mount', '/administrator'],
    ['dot segments out of the mount', '/admin/../u/token'],
    ['the sign-in page (a loop)', '/admin/sign-in'],
    ['a sign-in link', '/admin/sign-in/secret'],
    ['sign-out', '/admin/sign-out'],
    ['empty', ''],
    ['too long', `/admin/${'a'.repeat(MAX_RETURN_PATH_CHARS)}`],
  ])('refuses %s', (_, raw) => {
    expect(safeReturnPath(raw)).toBeUndefined();
  });

  it.each([undefined, null, 42, ['/admin'], { path: '/admin' }])('refuses a non-string: %s', (raw) => {
    expect(safeReturnPath(raw)).toBeUndefined();
  });

  it('travels percent-encoded in a query, and not at all when refused', () => {
    expect(returnQuery('/admin/units?done=saved')).toBe('?next=%2Fadmin%2Funits%3Fdone%3Dsaved');
    expect(returnQuery('//evil.example')).toBe('');
    expect(returnQuery(undefined)).toBe('');
  });
});
