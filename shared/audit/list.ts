import { addDays, localDate, parseDateVi, startOfLocalDay } from '#shared/domain/calendar.ts';
import { ValidationError } from '#shared/errors.ts';
import { COMMITTEE_CHAIN } from './append.ts';
import { keptIps } from './client-ips.ts';
import { AUDIT_EVENT_LABELS, type AuditEventKind, isAuditEventKind } from './events.ts';
import type { AuditStore } from './ports.ts';
import type { AuditRecord } from './record.ts';

/** Most rows one listing returns (the page shows them; the workbook takes up to {@link MAX_AUDIT_EXPORT_ROWS}). */
export const MAX_AUDIT_LIST_ROWS = 500;
/** Most rows of one .xlsx download. */
export const MAX_AUDIT_EXPORT_ROWS = 50_000;
/** Longest filter text accepted (a unit id, an address). */
export const MAX_AUDIT_FILTER_CHARS = 100;
/** Days shown when no start is given. */
export const DEFAULT_AUDIT_DAYS = 30;

/** A listing's filters, validated. */
export interface AuditFilter {
  /** First committee-local day (inclusive), `YYYY-MM-DD`. */
  since: string;
  /** Last committee-local day (inclusive), or undefined for up to now. */
  until?: string | undefined;
  unitId?: string | undefined;
  kind?: AuditEventKind | undefined;
  /** Part of the actor's id (a member's address). */
  actor?: string | undefined;
}

/** The filters as typed (query string, CLI options): text, possibly missing or hostile. */
export interface AuditFilterInput {
  since?: unknown;
  until?: unknown;
  unit?: unknown;
  kind?: unknown;
  actor?: unknown;
}

function text(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) {
    throw new ValidationError(
      `${field}: given more than once`,
      [],
      `Bộ lọc "${field}" chỉ được nhập một lần.`,
    );
  }
  if (typeof value !== 'string') {
    throw new ValidationError(`${field}: not text`, [], `Bộ lọc "${field}" không hợp lệ.`);
  }
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (trimmed.length > MAX_AUDIT_FILTER_CHARS) {
    throw new ValidationError(
      `${field}: longer than ${MAX_AUDIT_FILTER_CHARS} characters`,
      [],
      `Bộ lọc "${field}" dài quá ${MAX_AUDIT_FILTER_CHARS} ký tự.`,
    );
  }
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) {
    throw new ValidationError(
      `${field}: control characters`,
      [],
      `Bộ lọc "${field}" chứa ký tự không hợp lệ.`,
    );
  }
  return trimmed;
}

function date(value: unknown, field: string, label: string): string | undefined {
  const raw = text(value, field);
  if (raw === undefined) return undefined;
  try {
    return parseDateVi(raw);
  } catch {
    throw new ValidationError(
      `${field}: invalid date`,
      [],
      `${label} không hợp lệ: "${raw.slice(0, 40)}" (cần ngày có thật, dạng ngày/tháng/năm, ví dụ 15/12/2026).`,
    );
  }
}

/**
 * Reads a listing's filters: dates as dd/mm/yyyy (or YYYY-MM-DD), a unit id, an event kind, an
 * actor; none longer than {@link MAX_AUDIT_FILTER_CHARS}. Without a start, the last
 * {@link DEFAULT_AUDIT_DAYS} days.
 * @throws ValidationError with a Vietnamese message for anything else.
 */
export function parseAuditFilter(input: AuditFilterInput, today: string): AuditFilter {
  const since = date(input.since, 'since', 'Ngày bắt đầu') ?? addDays(today, -(DEFAULT_AUDIT_DAYS - 1));
  const until = date(input.until, 'until', 'Ngày kết thúc');
  if (until !== undefined && until < since) {
    throw new ValidationError('until before since', [], 'Ngày kết thúc phải sau hoặc bằng ngày bắt đầu.');
  }
  const unitId = text(input.unit, 'unit');
  if (unitId !== undefined && !/^[\p{L}\p{N}_.-]+$/u.test(unitId)) {
    throw new ValidationError(
      'unit: not a unit id',
      [],
      `Mã đơn vị không hợp lệ: "${unitId.slice(0, 40)}" (chỉ gồm chữ, số, "-", "_" và ".").`,
    );
  }
  const kindText = text(input.kind, 'kind');
  if (kindText !== undefined && !isAuditEventKind(kindText)) {
    throw new ValidationError('kind: unknown', [], `Loại sự kiện không có: "${kindText.slice(0, 40)}".`);
  }
  const actor = text(input.actor, 'actor')?.toLowerCase();
  return {
    since,
    ...(until ? { until } : {}),
    ...(unitId ? { unitId } : {}),
    ...(kindText ? { kind: kindText as AuditEventKind } : {}),
    ...(actor ? { actor } : {}),
  };
}

/** One row of a listing: the record, and its client IP while it is kept. */
export interface AuditRow {
  record: AuditRecord;
  ip?: string | undefined;
}

export interface AuditListing {
  rows: AuditRow[];
  /** True when more records matched than `limit`. */
  truncated: boolean;
}

export interface ListDeps {
  store: AuditStore;
  clock: { now(): Date };
  timeZone: string;
}

/** The records matching `filter`, newest first, at most `limit`. */
export async function listAuditRecords(
  deps: ListDeps,
  filter: AuditFilter,
  options: { limit?: number; chain?: string } = {},
): Promise<AuditListing> {
  const chain = options.chain ?? COMMITTEE_CHAIN;
  const limit = options.limit ?? MAX_AUDIT_LIST_ROWS;
  const start = startOfLocalDay(filter.since, deps.timeZone).toISOString();
  const end = filter.until
    ? startOfLocalDay(addDays(filter.until, 1), deps.timeZone).toISOString()
    : undefined;
  const rows: AuditRow[] = [];
  let truncated = false;
  // Times never run backwards along the chain, so the walk back stops at the first older record.
  scan: for await (const page of deps.store.pages(chain, { descending: true, pageSize: 200 })) {
    for (const { record } of page) {
      if (record.at < start) break scan;
      if (end && record.at >= end) continue;
      if (!matches(record, filter)) continue;
      if (rows.length === limit) {
        truncated = true;
        break scan;
      }
      rows.push({ record });
    }
  }
  if (rows.length > 0) {
    const ips = await keptIps(
      deps.store,
      chain,
      rows.map((row) => row.record),
      Math.floor(deps.clock.now().getTime() / 1000),
    );
    for (const row of rows) row.ip = ips.get(row.record.seq)?.ip;
  }
  return { rows, truncated };
}

function matches(record: AuditRecord, filter: AuditFilter): boolean {
  if (filter.kind && record.kind !== filter.kind) return false;
  if (
    filter.unitId &&
    record.target.unitId !== filter.unitId &&
    !(record.actor.type === 'unit' && record.actor.id === filter.unitId)
  ) {
    return false;
  }
  if (filter.actor && !record.actor.id.toLowerCase().includes(filter.actor)) return false;
  return true;
}

/** The Vietnamese label of a record's kind (the kind itself for one this version does not know). */
export function kindLabel(kind: string): string {
  return isAuditEventKind(kind) ? AUDIT_EVENT_LABELS[kind] : kind;
}

/** Today in the committee's zone. */
export function auditToday(clock: { now(): Date }, timeZone: string): string {
  return localDate(clock.now(), timeZone);
}
