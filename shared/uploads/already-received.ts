import type { Assignment } from '#shared/domain/period.ts';
import type { SubmissionVersion } from '#shared/domain/submission.ts';
import { DomainError } from '#shared/errors.ts';
import type { DeclaredFile } from './validate-upload-request.ts';

/**
 * A new submission whose files are exactly those of the version that counts (same names, sizes
 * and SHA-256) and whose notes are unchanged: nothing is recorded, and the unit is pointed at the
 * receipt it already has. HTTP 409, code `ALREADY_RECEIVED`.
 */
export class AlreadyReceivedError extends DomainError {
  readonly code = 'ALREADY_RECEIVED';
  constructor(readonly version: number) {
    super(
      `the files and notes are those of version ${version}: no new version`,
      `Các tệp này đã được nhận ở lần nộp số ${version}, cùng tên, kích thước và mã SHA-256; không tạo lần nộp mới. Biên nhận của lần nộp đó ở bên dưới. Nếu muốn nộp bản khác, hãy chọn tệp đã sửa.`,
    );
  }
}

/** The key of a file for comparing sets: name, size and content. */
function fileKey(f: { fileName: string; size: number; sha256: string }): string {
  return JSON.stringify([f.fileName.normalize('NFC'), f.size, f.sha256.toLowerCase()]);
}

/**
 * Whether the declared files are, as a multiset, the accepted files of the version that counts
 * (the assignment keeps a copy of them). Cheap: no read.
 */
export function sameFilesAsLatest(assignment: Assignment, declared: readonly DeclaredFile[]): boolean {
  if (assignment.latestVersion < 1 || assignment.files.length !== declared.length) return false;
  const a = assignment.files.map(fileKey).sort();
  const b = declared.map(fileKey).sort();
  return a.every((key, i) => key === b[i]);
}

/** Whether two sets of notes (task group number → text, empty ones absent) say the same. */
export function sameNotes(
  a: Record<string, string> | undefined,
  b: Record<string, string> | undefined,
): boolean {
  const entries = (n: Record<string, string> | undefined) =>
    JSON.stringify(
      Object.entries(n ?? {})
        .filter(([, text]) => text.trim() !== '')
        .sort(([x], [y]) => x.localeCompare(y)),
    );
  return entries(a) === entries(b);
}

/** The version that counts among `versions`, if its files and notes are those declared. */
export function repeatedVersion(
  assignment: Assignment,
  versions: readonly SubmissionVersion[],
  declared: readonly DeclaredFile[],
  notes: Record<string, string> | undefined,
): SubmissionVersion | undefined {
  if (!sameFilesAsLatest(assignment, declared)) return undefined;
  const latest = versions.find((v) => v.version === assignment.latestVersion);
  return latest && sameNotes(latest.notes, notes) ? latest : undefined;
}
