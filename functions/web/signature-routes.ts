/**
 * The committee's re-check of a unit's digital signatures (docs/signatures.md): the unit page's
 * button and its JSON twin queue the PDFs of the unit's latest submission for the verifier
 * function, which checks them against the current trust store; the page shows the new results
 * once they are kept (a few seconds). A viewer's POST is refused before this runs
 * (committee-app.ts `requiresAdmin`).
 */
import { describeError, htmlResponse, jsonResponse, redirect } from '#functions/http/responses.ts';
import { pathFor } from '#functions/http/routes.ts';
import { DomainError, ValidationError } from '#shared/errors.ts';
import { queueUnitRecheck } from '#shared/signatures/recheck.ts';
import {
  type AdminDeps,
  actionBody,
  type Result,
  type SignedInContext,
  type SignedInHandlers,
  type UnitInPeriod,
} from './admin-context.ts';
import { renderActionError } from './period-pages.ts';

export const SIGNATURE_HANDLERS = {
  signaturesRecheck: (params, context) => recheck(params, context, false),
  apiSignaturesRecheck: (params, context) => recheck(params, context, true),
} satisfies SignedInHandlers<'signaturesRecheck' | 'apiSignaturesRecheck'>;

async function recheck(
  params: UnitInPeriod,
  context: SignedInContext<AdminDeps>,
  json: boolean,
): Promise<Result> {
  const { planId, year, unitId } = params;
  const { req, deps, page } = context;
  actionBody(req, json);
  try {
    const queue = deps.signatures.queue;
    if (!queue) {
      throw new ValidationError(
        'No signatures queue in this runtime',
        [],
        'Chưa cấu hình hàng đợi kiểm tra chữ ký số; hãy dùng lệnh baocao signatures recheck.',
      );
    }
    const queued = await queueUnitRecheck({ results: deps.signatures.results, queue }, planId, year, unitId);
    return json
      ? jsonResponse(202, { unitId, queued })
      : redirect(`${pathFor('periodUnit', params)}?done=signatures-rechecked`);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const { statusCode, message } = describeError(error);
    if (json) return jsonResponse(statusCode, { error: { code: error.code, message } });
    return htmlResponse(
      statusCode,
      renderActionError(
        message,
        { href: pathFor('periodUnit', params), label: '← Quay lại trang của đơn vị' },
        page,
      ),
    );
  }
}
