import { formatDateVi, localDate, parseDateVi } from '#shared/domain/calendar.ts';
import type { MailMessage } from '#shared/domain/mail-message.ts';
import { type Assignment, isWithdrawn } from '#shared/domain/period.ts';
import { ConflictError, NotFoundError } from '#shared/errors.ts';
import { grantExtension } from '#shared/periods/reporting-calendar.ts';
import { getPlan } from '#shared/plans/stored-plans.ts';
import type { MailQueue } from '#shared/ports.ts';
import type { UploadDeps } from './deps.ts';
import { unitCloseDate } from './link-token.ts';
import { linkFor } from './links.ts';

export interface ExtendDeadlineResult {
  assignment: Assignment;
  /** The unit's deadline from now on `YYYY-MM-DD`: its extension, or the period's own. */
  deadline: string;
  /** The key of the e-mail that tells the unit (sent once per key by the mailer). */
  mailKey: string;
}

/**
 * Extends one unit's deadline to `until` (`dd/mm/yyyy`, or `YYYY-MM-DD`) and e-mails the unit its
 * new deadline with its (unchanged) link. The rules are those of {@link grantExtension}: from the
 * period's deadline to its close date; the period's deadline itself withdraws the extension
 * (the e-mail then gives that date). The e-mail's key is one per unit and deadline value, so a
 * form sent twice, or retried after a failed enqueue, e-mails the unit once.
 *
 * The write comes first: the e-mail tells the unit what is stored. A unit withdrawn from the
 * period gets no extension (its link takes nothing).
 * @throws ValidationError for a bad date or one outside the period; NotFoundError for an unknown
 * plan, period or unit; ConflictError for a withdrawn unit.
 */
export async function extendDeadline(
  deps: UploadDeps,
  mail: MailQueue,
  planId: string,
  year: number,
  unitId: string,
  until: string,
): Promise<ExtendDeadlineResult> {
  const date = parseDateVi(until);
  const [before, period] = await Promise.all([
    deps.submissions.getAssignment(planId, year, unitId),
    deps.plans.getPeriod(planId, year),
  ]);
  if (before?.withdrawn && period && isWithdrawn(before, localDate(deps.clock.now(), period.timeZone))) {
    throw new ConflictError(
      `Unit ${unitId} no longer reports in period ${year} of ${planId}`,
      `Đơn vị "${before.unitName}" đã thôi báo cáo trong kỳ này từ ngày ${formatDateVi(before.withdrawn.from)}; không thể gia hạn.`,
    );
  }
  const assignment = await grantExtension(deps, planId, year, unitId, date);
  // grantExtension found both; read again only for the e-mail (the plan's number and title).
  const [plan, link] = await Promise.all([getPlan(deps, planId), linkFor(deps, planId, year, unitId)]);
  if (!period || !before) {
    throw new NotFoundError(`No period ${year} for plan ${planId}`, `Không tìm thấy kỳ báo cáo năm ${year}.`);
  }
  const deadline = assignment.extendedDeadline ?? period.deadline;
  const mailKey = `${planId}#${year}#${unitId}#extension-${deadline}`;
  const message: MailMessage = {
    template: 'extension-granted',
    key: mailKey,
    planId,
    year,
    unitId,
    to: [assignment.email],
    cc: assignment.cc,
    data: {
      planNumber: plan.number,
      planTitle: plan.title,
      unitName: assignment.unitName,
      deadline,
      previousDeadline: before.extendedDeadline ?? period.deadline,
      extended: assignment.extendedDeadline !== null,
      closeDate: unitCloseDate(period, assignment),
      uploadUrl: link.url,
    },
  };
  await mail.enqueue([message]);
  return { assignment, deadline, mailKey };
}
