import type { MailMessage } from '#shared/domain/mail-message.ts';
import type { Assignment, Period } from '#shared/domain/period.ts';
import type { Plan } from '#shared/domain/plan.ts';
import type { UnitMailDue } from './due-mails.ts';
import { unitMailMessage } from './mail-messages.ts';
import type { UnitMailDeps } from './ports.ts';

/** Announcement marks written at once (one UpdateItem each, on the opening run and for late units). */
const MARK_CONCURRENCY = 16;

/** What {@link queueUnitMails} queued. */
export interface QueuedUnitMails {
  opened: number;
  reminder: number;
  /** Units whose "period opened" e-mail was queued and recorded on their assignment. */
  announced: string[];
}

/**
 * Queues the e-mails due to some assignments of one period (one each, as `unitMailDue` decided)
 * in one enqueue, then records `announcedAt` on each assignment whose "period opened" e-mail was
 * among them. The planner (every page of every open period) and `openPeriod` (units added to an
 * announced period) both go through here. In that order, so that a crash between the two leaves
 * the unit unannounced and the next call (a repeated `openPeriod`, the next tick) queues its
 * e-mail again; the mailer sends each key once. A unit whose message cannot be built (its link)
 * is passed to `onFailure` and left unannounced; the others go on. An enqueue that fails throws,
 * with nothing recorded.
 */
export async function queueUnitMails(
  deps: UnitMailDeps,
  plan: Plan,
  period: Period,
  due: readonly (readonly [Assignment, UnitMailDue])[],
  at: Date,
  onFailure: (unitId: string, error: unknown) => void,
): Promise<QueuedUnitMails> {
  const messages: MailMessage[] = [];
  const announced: string[] = [];
  for (const [assignment, mail] of due) {
    try {
      messages.push(
        unitMailMessage(plan, period, assignment, mail, await deps.links.urlFor(assignment, period)),
      );
      if (mail.kind === 'opened') announced.push(assignment.unitId);
    } catch (error) {
      onFailure(assignment.unitId, error);
    }
  }
  if (messages.length === 0) return { opened: 0, reminder: 0, announced };
  await deps.mailQueue.enqueue(messages);
  const stamp = at.toISOString();
  for (let i = 0; i < announced.length; i += MARK_CONCURRENCY) {
    await Promise.all(
      announced
        .slice(i, i + MARK_CONCURRENCY)
        .map((unitId) => deps.submissions.markAnnounced(period.planId, period.year, unitId, stamp)),
    );
  }
  return { opened: announced.length, reminder: messages.length - announced.length, announced };
}
