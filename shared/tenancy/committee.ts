import { parseIsoDate } from '#shared/domain/calendar.ts';
import { isCommitteeId } from '#shared/domain/ids.ts';
import { ValidationError } from '#shared/errors.ts';

/**
 * A committee (cấp ủy): the tenant of a deployment. Everything a committee owns (plans, units,
 * periods, files, members, its audit chain) lives under its scope (./scope.ts); the registry
 * (./ports.ts) holds the committees themselves and the tree they form.
 */
export interface Committee {
  /** `[a-z0-9-]{2,40}`, chosen by whoever creates it (`duk-hd`, `dus-gtvt`); never changes. */
  id: string;
  /** Its name as printed on its documents ("Đảng ủy Sở Giao thông vận tải"); may change. */
  name: string;
  /** IANA zone of its deadlines and dates. */
  timeZone: string;
  /** ISO-8601 instant it was registered. */
  createdAt: string;
  /** Who registered it: `cli`, `config` (the deployment's first committee) or a member's address. */
  createdBy: string;
}

/**
 * One edge of the tree as of a date: from `from` on (inclusive, a calendar date), `committeeId`
 * reports to `parentId` (null: to nobody in this deployment). A committee's links, read in
 * order, are its history; nothing is rewritten when it moves, so a closed period keeps the tree
 * it had (`parentOn`).
 */
export interface ParentLink {
  committeeId: string;
  parentId: string | null;
  /** yyyy-mm-dd */
  from: string;
}

const MAX_NAME = 200;

/** A committee id as typed by a person, checked; a Vietnamese error otherwise. */
export function parseCommitteeId(raw: unknown): string {
  const id = typeof raw === 'string' ? raw.trim() : '';
  if (!isCommitteeId(id)) {
    throw new ValidationError(
      `Invalid committee id ${JSON.stringify(String(raw).slice(0, 60))}`,
      [],
      'Mã cấp ủy không hợp lệ: dùng 2–40 ký tự a–z, 0–9 và dấu gạch ngang (ví dụ: dus-gtvt), không bắt đầu hay kết thúc bằng dấu gạch ngang.',
    );
  }
  return id;
}

/** A committee's name: 1–200 printable characters, spaces collapsed. */
export function parseCommitteeName(raw: unknown): string {
  const name = typeof raw === 'string' ? raw.replace(/\s+/g, ' ').trim() : '';
  if (name.length === 0 || name.length > MAX_NAME || /[\u0000-\u001f\u007f]/.test(name)) {
    throw new ValidationError(
      'Invalid committee name',
      [],
      `Tên cấp ủy phải có từ 1 đến ${MAX_NAME} ký tự, không chứa ký tự điều khiển.`,
    );
  }
  return name;
}

/** A date a move takes effect from: yyyy-mm-dd or dd/mm/yyyy. */
export function parseEffectiveDate(raw: unknown): string {
  const text = typeof raw === 'string' ? raw.trim() : '';
  const vi = text.match(/^(\d{1,2})\/(\d{1,2})\/(\d{4})$/);
  const iso = vi ? `${vi[3]}-${vi[2]!.padStart(2, '0')}-${vi[1]!.padStart(2, '0')}` : text;
  try {
    return parseIsoDate(iso);
  } catch {
    throw new ValidationError(
      `Invalid effective date ${JSON.stringify(text.slice(0, 40))}`,
      [],
      'Ngày hiệu lực không hợp lệ: dùng dạng yyyy-mm-dd hoặc dd/mm/yyyy.',
    );
  }
}

/** The link in force on `date` (the latest whose `from` is on or before it), if any. */
export function linkOn(links: readonly ParentLink[], date: string): ParentLink | undefined {
  let found: ParentLink | undefined;
  for (const link of links) {
    if (link.from <= date && (!found || link.from > found.from)) found = link;
  }
  return found;
}

/** The parent of a committee on `date`: its id, or null when it reports to no one here. */
export function parentOn(links: readonly ParentLink[], date: string): string | null {
  return linkOn(links, date)?.parentId ?? null;
}
