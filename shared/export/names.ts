/**
 * Names of entries in the consolidated ZIP. Unit names and the users' file names are data: they
 * are made safe to be one path segment on Windows, macOS and Linux, keeping Vietnamese letters.
 */

/** Longest folder name (`<unit_id> - <unit name>`) and file name, in characters. */
export const MAX_FOLDER_CHARS = 100;
export const MAX_FILE_CHARS = 150;

/** Characters Windows refuses in names, path separators, and control characters (C0, DEL, C1). */
const FORBIDDEN = /[<>:"/\\|?*\u0000-\u001f\u007f-\u009f]/g;
/** Invisible format characters that could disguise a name (bidi overrides, zero-width). */
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
/** Device names Windows reserves whatever the extension (`con.txt` is the console). */
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

/**
 * One safe path segment: Unicode NFC (macOS sends decomposed names), separators, `..`, control and
 * Windows-forbidden characters replaced by `_`, whitespace collapsed, no leading or trailing dots
 * or spaces, no reserved device names, at most `maxChars` characters (the extension is kept when
 * cutting). Never empty: `fallback` stands in for a name with nothing left.
 */
export function safeSegment(name: string, maxChars: number, fallback = 'tep'): string {
  let s = String(name)
    .normalize('NFC')
    .replace(INVISIBLE, '')
    .replace(FORBIDDEN, '_')
    .replace(/\s+/g, ' ')
    .trim()
    // Leading dots would hide the file; trailing dots and spaces are dropped by Windows.
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '');
  if (!s || /^_+$/.test(s)) s = fallback;
  if (RESERVED.test(s)) s = `_${s}`;
  return truncateKeepingExtension(s, maxChars);
}

/** The folder of a unit: `<unit_id> - <unit name>`, made safe. */
export function unitFolderName(unitId: string, unitName: string): string {
  return safeSegment(`${unitId} - ${unitName}`, MAX_FOLDER_CHARS, unitId || 'don-vi');
}

/**
 * Hands out unique file names within one folder: a name already taken (compared the way Windows and
 * macOS compare: case-insensitively, after NFC) gets ` (2)`, ` (3)`, … before its extension.
 */
export class NameDeduper {
  private readonly taken = new Set<string>();

  /** The safe, unique name for `fileName` in this folder. */
  next(fileName: string): string {
    const safe = safeSegment(fileName, MAX_FILE_CHARS);
    let candidate = safe;
    for (let n = 2; this.taken.has(foldCase(candidate)); n++) {
      const { stem, ext } = splitExtension(safe);
      const suffix = ` (${n})`;
      candidate = `${truncateChars(stem, MAX_FILE_CHARS - [...suffix, ...ext].length)}${suffix}${ext}`;
    }
    this.taken.add(foldCase(candidate));
    return candidate;
  }
}

/** `báo cáo.final.PDF` → stem `báo cáo.final`, ext `.PDF`; a name without a dot has no extension. */
export function splitExtension(name: string): { stem: string; ext: string } {
  const dot = name.lastIndexOf('.');
  // An "extension" longer than 10 characters or with spaces is part of the name.
  if (dot <= 0 || name.length - dot > 11 || /\s/.test(name.slice(dot))) return { stem: name, ext: '' };
  return { stem: name.slice(0, dot), ext: name.slice(dot) };
}

/** The lower-case extension without the dot (`pdf`), or '' when there is none. */
export function extensionOf(name: string): string {
  return splitExtension(name).ext.slice(1).toLowerCase();
}

function foldCase(name: string): string {
  return name.normalize('NFC').toLowerCase();
}

function truncateKeepingExtension(name: string, maxChars: number): string {
  if ([...name].length <= maxChars) return name;
  const { stem, ext } = splitExtension(name);
  const extChars = [...ext].length;
  if (extChars >= maxChars) return truncateChars(name, maxChars);
  return `${truncateChars(stem, maxChars - extChars).replace(/[.\s]+$/, '')}${ext}`;
}

/** The first `n` characters (code points, so no half surrogate pair). */
function truncateChars(s: string, n: number): string {
  const chars = [...s];
  return chars.length <= n ? s : chars.slice(0, Math.max(1, n)).join('');
}

/**
 * The consolidated ZIP's file name, the same from the web (its download) and the CLI (its
 * default `--out`): `tong-hop-<plan>-<year>.zip`.
 */
export function exportZipName(planId: string, year: number): string {
  return `tong-hop-${planId}-${year}.zip`;
}
