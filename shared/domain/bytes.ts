/**
 * Sizes and counts for people, the Vietnamese way, in one place: every message, page and e-mail
 * that shows a size uses these. Sizes are binary (1 MB = 1,048,576 bytes) and say "KB", "MB",
 * "GB" as Windows Explorer does. Pure and without imports, so that browser code can use it too.
 */

/** The units of {@link formatBytes}, largest first. */
export const BYTE_UNITS: readonly (readonly [size: number, unit: string])[] = [
  [1024 ** 3, 'GB'],
  [1024 ** 2, 'MB'],
  [1024, 'KB'],
];

/**
 * A size, rounded to one decimal with a decimal comma: "25 MB", "1,5 MB", "900 KB", "12 byte".
 * (A size just under a unit may round up to it: 1,048,575 bytes is "1024 KB".)
 */
export function formatBytes(bytes: number): string {
  for (const [size, unit] of BYTE_UNITS) {
    if (bytes >= size) return `${String(Math.round((bytes / size) * 10) / 10).replace('.', ',')} ${unit}`;
  }
  return `${bytes} byte`;
}

/** A count with Vietnamese digit grouping (1.000.000), without depending on the runtime's ICU data. */
export function formatCountVi(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

/** An exact size in bytes, for where a byte matters (a file shorter than declared): "1.200 byte". */
export function formatByteCount(bytes: number): string {
  return `${formatCountVi(bytes)} byte`;
}
