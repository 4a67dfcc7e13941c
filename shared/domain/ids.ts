/** ASCII slug of a Vietnamese text: "30-KH/ĐUK" → "30-kh-duk". */
export function slugify(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * A plan's id: its number and year, so re-importing the same document updates the same plan,
 * while a plan reusing a number in another year gets its own id.
 */
export function planIdFor(number: string, date: string | null): string {
  const base = slugify(number);
  return date ? `${base}-${date.slice(0, 4)}` : base;
}

/**
 * A committee's id: 2 to 40 lowercase ASCII letters and digits, single hyphens between them. It
 * becomes part of DynamoDB keys (`C#<id>#`) and S3 keys (`_c/<id>/`), so every place that takes
 * one checks it against this one pattern.
 */
export const COMMITTEE_ID_PATTERN = /^(?=.{2,40}$)[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** True for a well-formed committee id ({@link COMMITTEE_ID_PATTERN}). */
export function isCommitteeId(id: unknown): id is string {
  return typeof id === 'string' && COMMITTEE_ID_PATTERN.test(id);
}
