import { getPlan } from '#shared/plans/plans.ts';
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
 * and/or re-send. A re-send is a new e-mail every time it is asked for (its own mail key).
 */
export async function manageLink(
  deps: UploadDeps,
  mail: MailQueue,
  planId: string,
  year: number,
  unitId: string,
  options: SendLinkOptions = {},
): Promise<{ link: UploadLink; revoked: boolean; resent: boolean }> {
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
        key: `${planId}#${year}#${unitId}#resent-${deps.clock.now().getTime()}`,
        planId,
        year,
        unitId,
        to: [assignment!.email],
        cc: assignment!.cc,
        data: {
          planNumber: plan.number,
          planTitle: plan.title,
          unitName: assignment!.unitName,
          occasion: 'resent',
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
