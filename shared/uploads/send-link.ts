import { formatDateVi, localDate } from '#shared/domain/calendar.ts';
import { isWithdrawn } from '#shared/domain/period.ts';
import { ConflictError } from '#shared/errors.ts';
import { getPlan } from '#shared/plans/stored-plans.ts';
import type { MailQueue } from '#shared/ports.ts';
import { unitCloseDate } from '#shared/uploads/link-token.ts';
import type { UploadDeps } from './deps.ts';
import { linkFor, revokeLink, type UploadLink } from './links.ts';

export interface SendLinkOptions {
  /** Revoke the unit's current link first (a lost or forwarded e-mail); the new one is sent. */
  revoke?: boolean;
  /** E-mail the link to the unit (and its cc). */
  resend?: boolean;
}

/**
 * The committee's link actions for one unit (CLI `baocao link`, the dashboard): print, revoke
 * and/or re-send. A re-send is a new e-mail every time it is asked for (its own mail key); the
 * e-mail of a revocation is sent once per new link version and tells the unit that its old link
 * no longer works.
 */
export async function manageLink(
  deps: UploadDeps,
  mail: MailQueue,
  planId: string,
  year: number,
  unitId: string,
  options: SendLinkOptions = {},
): Promise<{ link: UploadLink; revoked: boolean; resent: boolean }> {
  if (options.revoke || options.resend) await refuseWithdrawn(deps, planId, year, unitId);
  const link = options.revoke
    ? await revokeLink(deps, planId, year, unitId)
    : await linkFor(deps, planId, year, unitId);
  if (options.resend) {
    const [plan, period, assignment] = await Promise.all([
      getPlan(deps, planId),
      deps.plans.getPeriod(planId, year),
      deps.submissions.getAssignment(planId, year, unitId),
    ]);
    // linkFor has checked both exist.
    await mail.enqueue([
      {
        template: 'link',
        // A revocation's e-mail once per new link; a plain re-send every time it is asked for.
        key: options.revoke
          ? `${planId}#${year}#${unitId}#revoked-${link.linkVersion}`
          : `${planId}#${year}#${unitId}#resent-${deps.clock.now().getTime()}`,
        planId,
        year,
        unitId,
        to: [assignment!.email],
        cc: assignment!.cc,
        data: {
          planNumber: plan.number,
          planTitle: plan.title,
          unitName: assignment!.unitName,
          // A new link after a revocation says that the old one no longer works.
          occasion: options.revoke ? 'revoked' : 'resent',
          uploadUrl: link.url,
          deadline: assignment!.extendedDeadline ?? period!.deadline,
          closeDate: unitCloseDate(period!, assignment!),
          taskGroups: plan.taskGroups.map((t) => ({ number: t.number, title: t.title })),
        },
      },
    ]);
  }
  return { link, revoked: Boolean(options.revoke), resent: Boolean(options.resend) };
}

/** A unit withdrawn from the period (docs/units.md) is sent no link: its link takes nothing. */
async function refuseWithdrawn(
  deps: UploadDeps,
  planId: string,
  year: number,
  unitId: string,
): Promise<void> {
  const [assignment, period] = await Promise.all([
    deps.submissions.getAssignment(planId, year, unitId),
    deps.plans.getPeriod(planId, year),
  ]);
  if (!assignment?.withdrawn || !period) return;
  if (!isWithdrawn(assignment, localDate(deps.clock.now(), period.timeZone))) return;
  throw new ConflictError(
    `Unit ${unitId} no longer reports in period ${year} of ${planId}`,
    `Đơn vị "${assignment.unitName}" đã thôi báo cáo trong kỳ này từ ngày ${formatDateVi(assignment.withdrawn.from)}; không gửi hay cấp lại liên kết. Nếu cần, hãy khôi phục đơn vị hoặc thêm lại vào danh sách đơn vị nhận kế hoạch trước.`,
  );
}
