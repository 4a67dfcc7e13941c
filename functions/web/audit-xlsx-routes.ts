import { describeError, htmlResponse, jsonResponse, SECURITY_HEADERS } from '#functions/http/responses.ts';
import { auditToday, listAuditRecords, MAX_AUDIT_EXPORT_ROWS, parseAuditFilter } from '#shared/audit/list.ts';
import { ValidationError } from '#shared/errors.ts';
import type { Result, SignedInContext, SignedInHandlers } from './admin-context.ts';
import { renderAuditLog } from './audit-pages.ts';
import { filterInput, typedFilter } from './audit-routes.ts';
import { auditXlsx } from './audit-xlsx.ts';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * The audit records selected by the "Nhật ký" page's filters as .xlsx (`nhat-ky-<since>.xlsx`),
 * served by setup-api, which holds the .xlsx writer already (the units workbook): admin-api's
 * bundle stays without it. A refused filter answers the page with its reason (or JSON under /api).
 */
export const AUDIT_XLSX_HANDLERS = {
  auditXlsx: (_, context) => auditWorkbook(context, false),
  apiAuditXlsx: (_, context) => auditWorkbook(context, true),
} satisfies SignedInHandlers<'auditXlsx' | 'apiAuditXlsx'>;

/** The filtered records as .xlsx (up to {@link MAX_AUDIT_EXPORT_ROWS}). */
async function auditWorkbook({ req, deps, page }: SignedInContext, json: boolean): Promise<Result> {
  const audit = deps.auditRecords;
  try {
    const filter = parseAuditFilter(filterInput(req), auditToday(audit.clock, audit.timeZone));
    const listing = await listAuditRecords(audit, filter, { limit: MAX_AUDIT_EXPORT_ROWS });
    const bytes = await auditXlsx(listing.rows, { now: audit.clock.now(), timeZone: audit.timeZone });
    return {
      statusCode: 200,
      headers: {
        ...SECURITY_HEADERS,
        'Content-Type': XLSX_TYPE,
        'Content-Disposition': `attachment; filename="nhat-ky-${filter.since}.xlsx"`,
      },
      body: bytes.toString('base64'),
      isBase64Encoded: true,
    };
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const { statusCode, message } = describeError(error);
    if (!json)
      return htmlResponse(
        statusCode,
        renderAuditLog(undefined, typedFilter(filterInput(req)), page, { error: message }),
      );
    return jsonResponse(statusCode, { error: { code: error.code, message } });
  }
}
