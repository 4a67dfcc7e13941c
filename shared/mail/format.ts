/** Byte sizes for people, Vietnamese decimal comma: 1536 → "1,5 KB". */
export function formatBytes(bytes: number): string {
  const units = ['byte', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const text = unit === 0 ? String(value) : value.toFixed(1).replace(/\.0$/, '').replace('.', ',');
  return `${text} ${units[unit]}`;
}
