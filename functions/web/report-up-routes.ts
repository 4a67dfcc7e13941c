/**
 * "Gửi báo cáo lên cấp trên" (issue 14; docs/tenancy.md "Roll-up"): the committee's own report
 * for a period goes up to its parent's period of the plan it carries out, through the parent's
 * upload page for the unit this committee is — the very page, checks, receipt and kept copy of a
 * branch's upload. The page says where the report goes and asks once to confirm the matched
 * parent plan; the POST (an admin's: committee-app.ts `requiresAdmin`) confirms it and opens the
 * upload page. Its JSON twins answer the same.
 */
import { html, type PageSession, page } from '#functions/http/html.ts';
import { describeError, htmlResponse, jsonResponse, redirect } from '#functions/http/responses.ts';
import { pathFor } from '#functions/http/routes.ts';
import { DomainError } from '#shared/errors.ts';
import {
  type RollUpDeps,
  type RollUpTarget,
  rollUpTarget,
  rollUpUploadLink,
} from '#shared/tenancy/roll-up.ts';
import {
  type AdminDeps,
  actionBody,
  type Result,
  type SignedInContext,
  type SignedInHandlers,
} from './admin-context.ts';
import { renderActionError } from './period-pages.ts';

type PeriodParams = { planId: string; year: number };

export const REPORT_UP_HANDLERS = {
  reportUp: async ({ planId, year }, context) => {
    const { deps, page: ctx } = context;
    try {
      const target = await rollUpTarget(rollUpDepsOf(deps), planId);
      return htmlResponse(200, renderReportUp(target, { planId, year }, ctx));
    } catch (error) {
      return refusal(error, { planId, year }, context, false);
    }
  },
  apiReportUp: async ({ planId }, context) => {
    try {
      const target = await rollUpTarget(rollUpDepsOf(context.deps), planId);
      return jsonResponse(200, targetJson(target));
    } catch (error) {
      return refusal(error, { planId, year: 0 }, context, true);
    }
  },
  reportUpOpen: (params, context) => open(params, context, false),
  apiReportUpOpen: (params, context) => open(params, context, true),
} satisfies SignedInHandlers<'reportUp' | 'reportUpOpen' | 'apiReportUp' | 'apiReportUpOpen'>;

async function open(
  params: PeriodParams,
  context: SignedInContext<AdminDeps>,
  json: boolean,
): Promise<Result> {
  const { req, deps, session } = context;
  actionBody(req, json);
  try {
    const { url, target } = await rollUpUploadLink(rollUpDepsOf(deps), {
      planId: params.planId,
      year: params.year,
      by: session.email,
    });
    return json ? jsonResponse(200, { ...targetJson(target), url }) : redirect(url);
  } catch (error) {
    return refusal(error, params, context, json);
  }
}

/** The roll-up's collaborators from this committee's deps (the parent's through the resolver). */
function rollUpDepsOf(deps: AdminDeps): RollUpDeps {
  return {
    registry: deps.tenancy.registry,
    child: { committeeId: deps.tenancy.committeeId, deps: deps.core, rollUps: deps.tenancy.rollUps },
    uploadsOf: async (id) => (await deps.forCommittee(id))?.uploads,
  };
}

function targetJson(target: RollUpTarget) {
  return {
    parentId: target.link.parentId,
    parentName: target.parentName,
    parentPlanId: target.link.parentPlanId,
    parentPlanNumber: target.parentPlanNumber,
    confirmed: target.confirmed,
    unitId: target.unitId,
  };
}

function refusal(
  error: unknown,
  params: PeriodParams,
  context: SignedInContext<AdminDeps>,
  json: boolean,
): Result {
  if (!(error instanceof DomainError)) throw error;
  const { statusCode, code, message } = describeError(error);
  if (json) return jsonResponse(statusCode, { error: { code, message } });
  const back = params.year
    ? { href: pathFor('period', params), label: `← Báo cáo năm ${params.year}` }
    : { href: pathFor('dashboard', {}), label: '← Trang chính' };
  return htmlResponse(statusCode, renderActionError(message, back, context.page));
}

function renderReportUp(
  target: RollUpTarget,
  params: PeriodParams,
  ctx: { committeeName: string; timeZone: string; session?: PageSession | undefined },
): string {
  const admin = ctx.session?.role === 'admin';
  const action = pathFor('reportUpOpen', params);
  const body = html`<p><a href="${pathFor('period', params)}">← Báo cáo năm ${params.year}</a></p>
    <h1>Gửi báo cáo lên cấp trên</h1>
    <dl class="facts">
      <div><dt>Cấp trên</dt><dd data-parent="${target.link.parentId}">${target.parentName}</dd></div>
      <div><dt>Kế hoạch của cấp trên</dt><dd>Kế hoạch số ${target.parentPlanNumber}: ${target.parentPlanTitle}</dd></div>
      <div><dt>Năm</dt><dd>${params.year}</dd></div>
    </dl>
    ${
      target.confirmed
        ? html`<p>Báo cáo của cấp ủy được nộp như báo cáo của một đơn vị trực thuộc: cấp trên ghi nhận, kiểm tra và gửi biên nhận qua e-mail.</p>`
        : html`<p role="status">Hệ thống đối chiếu theo số kế hoạch cấp trên ghi trong kế hoạch của cấp ủy. Hãy xác nhận một lần rằng kế hoạch trên đúng là kế hoạch mà kế hoạch của cấp ủy thực hiện.</p>`
    }
    ${
      admin
        ? html`<form method="post" action="${action}"><input type="hidden" name="csrf" value="${ctx.session?.csrf ?? ''}"><button type="submit">${target.confirmed ? 'Mở trang nộp báo cáo' : 'Xác nhận và mở trang nộp báo cáo'}</button></form>`
        : html`<p class="muted">Tài khoản theo dõi không gửi được báo cáo; đề nghị người quản trị thực hiện.</p>`
    }`;
  return page('Gửi báo cáo lên cấp trên', body, ctx);
}
