import { type MailMessage, parseMailMessage } from '#shared/domain/mail-message.ts';
import type { Assignment, Period } from '#shared/domain/period.ts';
import type { Plan } from '#shared/domain/plan.ts';
import type { DigestDue, UnitMailDue } from './due-mails.ts';

/** Longest list of units a digest names (the dashboard has them all; SQS messages stay small). */
export const DIGEST_LIST_LIMIT = 100;

/**
 * The queue message of a unit e-mail, validated against the mailer's schema here so that a bad
 * message fails at the planner (with the unit named) instead of in the dead-letter queue.
 */
export function unitMailMessage(
  plan: Plan,
  period: Period,
  assignment: Assignment,
  due: UnitMailDue,
  uploadUrl: string,
): MailMessage {
  const base = {
    key: due.key,
    planId: period.planId,
    year: period.year,
    unitId: assignment.unitId,
    to: [assignment.email],
    cc: assignment.cc ?? [],
  };
  const header = { planNumber: plan.number, planTitle: plan.title, unitName: assignment.unitName };
  const message: MailMessage =
    due.kind === 'opened'
      ? {
          template: 'link',
          ...base,
          data: {
            ...header,
            occasion: 'opened',
            uploadUrl,
            deadline: due.deadline,
            closeDate: period.closeDate,
            taskGroups: plan.taskGroups.map((t) => ({ number: t.number, title: t.title })),
          },
        }
      : {
          template: 'reminder',
          ...base,
          data: {
            ...header,
            step: due.step,
            deadline: due.deadline,
            extended: due.extended,
            closeDate: period.closeDate,
            uploadUrl,
          },
        };
  return parseMailMessage(message);
}

/** Counts and lists for the committee digest, gathered page by page. */
export class DigestTally {
  expected = 0;
  onTime = 0;
  late = 0;
  missing = 0;
  readonly missingUnits: { unitId: string; unitName: string; deadline: string }[] = [];
  readonly lateUnits: { unitId: string; unitName: string; submittedAt: string }[] = [];
  readonly mailProblems: { unitId: string; unitName: string; problem: string }[] = [];
  readonly omitted = { missingUnits: 0, lateUnits: 0, mailProblems: 0 };

  constructor(private readonly period: Period) {}

  add(a: Assignment): void {
    this.expected++;
    if (a.status === 'on_time') this.onTime++;
    else if (a.status === 'late') {
      this.late++;
      this.push('lateUnits', {
        unitId: a.unitId,
        unitName: a.unitName,
        submittedAt: a.submittedAt ?? '',
      });
    } else {
      this.missing++;
      this.push('missingUnits', {
        unitId: a.unitId,
        unitName: a.unitName,
        deadline: a.extendedDeadline ?? this.period.deadline,
      });
    }
    if (a.mailProblem) {
      this.push('mailProblems', { unitId: a.unitId, unitName: a.unitName, problem: a.mailProblem.problem });
    }
  }

  /** The digest's queue message. */
  message(plan: Plan, due: DigestDue, committeeEmails: string[], appUrl: string | undefined): MailMessage {
    const p = this.period;
    return parseMailMessage({
      template: 'digest',
      key: due.key,
      planId: p.planId,
      year: p.year,
      unitId: 'committee',
      to: committeeEmails,
      cc: [],
      data: {
        planNumber: plan.number,
        planTitle: plan.title,
        occasion: due.occasion,
        date: due.date,
        deadline: p.deadline,
        closeDate: p.closeDate,
        timeZone: p.timeZone,
        expected: this.expected,
        onTime: this.onTime,
        late: this.late,
        missing: this.missing,
        missingUnits: this.missingUnits,
        lateUnits: this.lateUnits,
        mailProblems: this.mailProblems,
        omitted: this.omitted,
        ...(appUrl
          ? {
              dashboardUrl: `${appUrl.replace(/\/+$/, '')}/admin/plans/${encodeURIComponent(p.planId)}/${p.year}`,
            }
          : {}),
      },
    } satisfies MailMessage);
  }

  private push<K extends 'missingUnits' | 'lateUnits' | 'mailProblems'>(
    list: K,
    item: DigestTally[K][number],
  ): void {
    const target = this[list] as DigestTally[K][number][];
    if (target.length < DIGEST_LIST_LIMIT) target.push(item);
    else this.omitted[list]++;
  }
}
