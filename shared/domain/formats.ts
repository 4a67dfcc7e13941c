/**
 * The two text formats checked everywhere a value comes in (queue messages, configuration, the
 * units list, members), written once so that every entry point accepts the same addresses.
 */

/**
 * An e-mail address as the product accepts it: dotted atoms of letters, digits and `_'+-` (no
 * leading, trailing or doubled dot) @ a domain of dotted labels ending in a 2+ letter TLD. The
 * pattern is zod 4's `email` (the project validated with zod until 2026-12; kept so that no
 * stored or configured address changes meaning). Case is not folded here.
 */
export const EMAIL_PATTERN =
  /^(?:[A-Za-z0-9_'+-]+\.)*[A-Za-z0-9_'+-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;

/** Whether `value` is an e-mail address ({@link EMAIL_PATTERN}). */
export function isEmailAddress(value: string): boolean {
  return EMAIL_PATTERN.test(value);
}

/** Whether `value` is an absolute http(s) URL. */
export function isHttpUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const { protocol, hostname } = new URL(value);
  return (protocol === 'https:' || protocol === 'http:') && hostname !== '';
}
