import type { HttpRequest } from '#functions/http/request.ts';
import { describeError, htmlResponse, jsonResponse } from '#functions/http/responses.ts';
import {
  type AuditFilterInput,
  auditToday,
  listAuditRecords,
  MAX_AUDIT_FILTER_CHARS,
  parseAuditFilter,
} from '#shared/audit/list.ts';
import { ValidationError } from '#shared/errors.ts';
import type { SignedInHandlers } from './admin-context.ts';
import { renderAuditLog, type TypedAuditFilter } from './audit-pages.ts';

const FILTER_FIELDS = ['since', 'until', 'unit', 'kind', 'actor'] as const;

/**
 * The audit log "Nhật ký" (docs/audit.md): the records filtered by dates, unit, kind and actor,
 * as a page and as JSON (admin-api; the .xlsx download is setup-api's: ./audit-xlsx-routes.ts). Reading only: members of both roles see it. A
 * filter that does not read (a date that is not one, text too long, a kind that does not exist,
 * a field given twice) is refused with a Vietnamese reason (page: 400 with the form as typed).
 */
export const AUDIT_HANDLERS = {
  auditLog: async (_, { req, deps, page }) => {
    const input = filterInput(req);
    const typed = typedFilter(input);
    try {
      const today = auditToday(deps.auditRecords.clock, deps.auditRecords.timeZone);
      const filter = parseAuditFilter(input, today);
      const listing = await listAuditRecords(deps.auditRecords, filter);
      return htmlResponse(200, renderAuditLog(listing, typed, page, { since: filter.since }));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return htmlResponse(
        400,
        renderAuditLog(undefined, typed, page, { error: describeError(error).message }),
      );
    }
  },
  apiAuditLog: async (_, { req, deps }) => {
    const today = auditToday(deps.auditRecords.clock, deps.auditRecords.timeZone);
    const filter = parseAuditFilter(filterInput(req), today);
    const listing = await listAuditRecords(deps.auditRecords, filter);
    return jsonResponse(200, {
      filter,
      records: listing.rows.map((r) => ({ ...r.record, ...(r.ip ? { ip: r.ip } : {}) })),
      truncated: listing.truncated,
    });
  },
} satisfies SignedInHandlers<'auditLog' | 'apiAuditLog'>;

/** The filters of the query string; a field given twice stays an array (refused by the parser). */
export function filterInput(req: HttpRequest): AuditFilterInput {
  const params = new URLSearchParams(req.query);
  const input: Record<string, unknown> = {};
  for (const field of FILTER_FIELDS) {
    const values = params.getAll(field);
    if (values.length > 0) input[field] = values.length === 1 ? values[0] : values;
  }
  return input;
}

/** What was typed, bounded, for the form. */
export function typedFilter(input: AuditFilterInput): TypedAuditFilter {
  const one = (v: unknown) => (typeof v === 'string' ? v.slice(0, MAX_AUDIT_FILTER_CHARS) : '');
  return {
    since: one(input.since),
    until: one(input.until),
    unit: one(input.unit),
    kind: one(input.kind),
    actor: one(input.actor),
  };
}
