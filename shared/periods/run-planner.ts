import { localDate } from '#shared/domain/calendar.ts';
import { type Assignment, isWithdrawn, type Period } from '#shared/domain/period.ts';
import type { Plan } from '#shared/domain/plan.ts';
import { DomainError, ValidationError } from '#shared/errors.ts';
import { openPeriod } from '#shared/periods/periods.ts';
import {
  closeDue,
  digestDue,
  exportDue,
  isActive,
  periodToOpen,
  type UnitMailDue,
  unitMailDue,
} from './due-mails.ts';
import { DigestTally } from './mail-messages.ts';
import type { PlannerDeps } from './ports.ts';
import { queueUnitMails } from './queue-unit-mails.ts';

export interface PeriodRef {
  planId: string;
  year: number;
}

/** What one run of the planner did, for logs, metrics and `baocao tick`. */
export interface PlannerSummary {
  /** The instant the run decided for (ISO-8601). */
  at: string;
  opened: PeriodRef[];
  closed: PeriodRef[];
  exportsRequested: PeriodRef[];
  /** Messages enqueued, by kind. The mailer sends each key once, so a repeat enqueues duplicates it drops. */
  mails: { opened: number; reminder: number; digest: number };
  /** Work not done for a reason that retrying will not change (e.g. a plan with no units). */
  skipped: (PeriodRef & { reason: string })[];
  /** Errors; the rest of the run went on. The scheduler retries the run (it is idempotent). */
  failures: (Partial<PeriodRef> & { unitId?: string; error: string })[];
}

/**
 * The daily planner. Every decision is made from the stored state at `at`, in the committee's
 * time zone (`localDate(at, timeZone)`), and is idempotent: running it twice, or twice at once,
 * changes nothing more than once (conditional writes) and enqueues only e-mails whose keys the
 * mailer sends once.
 *
 * For each plan (Query, never Scan): opens the period due today (with its scheduled open date),
 * then for each open period: queues the "period opened" e-mails until they are recorded as
 * queued, and to any unit assigned since and not yet announced, the reminders and overdue
 * notices due today to units that have not reported, the committee digest; requests the
 * consolidated export from the day after the deadline; closes the period the day after its
 * close date. DynamoDB requests per period: one paged Query of the assignments; per unit only
 * the record of a "period opened" e-mail queued (`announcedAt`, once a unit).
 */
export async function runPlanner(deps: PlannerDeps, at: Date): Promise<PlannerSummary> {
  const summary = emptySummary(at);
  const plans = (await deps.plans.listPlans()).sort((a, b) => a.id.localeCompare(b.id));
  for (const plan of plans) {
    try {
      await planOnePlan(deps, plan, at, summary);
    } catch (error) {
      summary.failures.push({ planId: plan.id, error: describe(error) });
    }
  }
  return summary;
}

async function planOnePlan(deps: PlannerDeps, plan: Plan, at: Date, summary: PlannerSummary): Promise<void> {
  const today = localDate(at, plan.calendar.timeZone);
  const periods = await deps.plans.listPeriods(plan.id);
  const due = periodToOpen(plan.calendar, today);
  if (due && !periods.some((p) => p.year === due.year)) {
    const opened = await openDuePeriod(deps, plan, due.year, due.dates, periods, at, summary);
    if (opened) periods.push(opened);
  }
  for (const period of periods.sort((a, b) => a.year - b.year)) {
    if (period.status !== 'open') continue;
    try {
      await planOnePeriod(deps, plan, period, at, summary);
    } catch (error) {
      summary.failures.push({ planId: plan.id, year: period.year, error: describe(error) });
    }
  }
}

async function openDuePeriod(
  deps: PlannerDeps,
  plan: Plan,
  year: number,
  dates: { openDate: string; deadline: string },
  periods: Period[],
  at: Date,
  summary: PlannerSummary,
): Promise<Period | undefined> {
  // Only after a calendar change could two periods of a plan overlap; never open a second one.
  const stillOpen = periods.find((p) => p.status === 'open' && localDate(at, p.timeZone) <= p.closeDate);
  if (stillOpen) {
    summary.skipped.push({
      planId: plan.id,
      year,
      reason: `period ${stillOpen.year} is still open until ${stillOpen.closeDate}`,
    });
    return undefined;
  }
  try {
    // The decision instant is the clock of the use case too (`baocao tick --at` in the past).
    const result = await openPeriod(
      { ...deps, clock: { now: () => new Date(at) } },
      { planId: plan.id, year, openDate: dates.openDate, deadline: dates.deadline },
    );
    if (result.created) summary.opened.push({ planId: plan.id, year });
    return result.period;
  } catch (error) {
    // A plan with no recipient units: nothing to open until the committee imports some.
    if (error instanceof ValidationError) {
      summary.skipped.push({ planId: plan.id, year, reason: error.message });
      return undefined;
    }
    throw error;
  }
}

async function planOnePeriod(
  deps: PlannerDeps,
  plan: Plan,
  period: Period,
  at: Date,
  summary: PlannerSummary,
): Promise<void> {
  const today = localDate(at, period.timeZone);
  const ref = { planId: plan.id, year: period.year };
  if (isActive(period, today)) await queuePeriodMails(deps, plan, period, at, today, summary);
  if (exportDue(period, today)) {
    await deps.exports.start(plan.id, period.year);
    summary.exportsRequested.push(ref);
    await deps.audit.record({
      kind: 'export.started',
      actor: { type: 'system', id: 'planner' },
      target: ref,
    });
  }
  if (closeDue(period, today) && (await deps.plans.closePeriod(plan.id, period.year, at.toISOString()))) {
    summary.closed.push(ref);
  }
}

async function queuePeriodMails(
  deps: PlannerDeps,
  plan: Plan,
  period: Period,
  at: Date,
  today: string,
  summary: PlannerSummary,
): Promise<void> {
  const digest = digestDue(period, today);
  // Tallied whenever a digest is due; whether anyone receives it is read once the tally is done.
  const tally = digest ? new DigestTally(period) : undefined;
  let unitFailures = 0;
  const sent = { opened: 0, reminder: 0 };
  const onFailure = (unitId: string, error: unknown) => {
    unitFailures++;
    summary.failures.push({ ...refOf(period), unitId, error: describe(error) });
  };
  for await (const page of deps.submissions.assignmentPages(plan.id, period.year, deps.assignmentPageSize)) {
    const due: [Assignment, UnitMailDue][] = [];
    for (const assignment of page) {
      // A withdrawn unit is not expected any more: the digest neither counts nor lists it.
      if (!isWithdrawn(assignment, today)) tally?.add(assignment);
      const mail = unitMailDue(period, assignment, plan.calendar, today);
      if (mail) due.push([assignment, mail]);
    }
    // Each "opened" e-mail is recorded on its assignment after the enqueue: a unit left
    // unannounced by a crash (or added since) gets it at the next tick.
    const queued = await queueUnitMails(deps, plan, period, due, at, onFailure);
    summary.mails.opened += queued.opened;
    summary.mails.reminder += queued.reminder;
    sent.opened += queued.opened;
    sent.reminder += queued.reminder;
  }
  // One audit record per period and kind of e-mail queued today (the mail store has each unit's).
  const system = { type: 'system', id: 'planner' } as const;
  if (sent.opened > 0) {
    await deps.audit.record({
      kind: 'link.issued',
      actor: system,
      target: refOf(period),
      details: { units: sent.opened },
    });
  }
  if (sent.reminder > 0) {
    await deps.audit.record({
      kind: 'reminder.sent',
      actor: system,
      target: refOf(period),
      details: { units: sent.reminder },
    });
  }
  // Recorded only once every unit's "opened" e-mail is queued: a crash before this line makes
  // the next tick queue the missing ones again, and the mailer drops the keys already sent.
  if (!period.openedMailsQueuedAt && unitFailures === 0) {
    await deps.plans.markOpenedMailsQueued(plan.id, period.year, at.toISOString());
  }
  // No recipient at all (a committee with no member yet): no digest, rather than a message to no one.
  const recipients = digest && tally ? await deps.planner.digestRecipients() : [];
  if (digest && tally && recipients.length > 0) {
    await deps.mailQueue.enqueue([tally.message(plan, digest, recipients, deps.planner.appUrl)]);
    summary.mails.digest++;
    await deps.audit.record({
      kind: 'digest.sent',
      actor: { type: 'system', id: 'planner' },
      target: refOf(period),
      details: { day: digest.date, occasion: digest.occasion },
    });
  }
}

function refOf(period: Period): { planId: string; year: number } {
  return { planId: period.planId, year: period.year };
}

function describe(error: unknown): string {
  if (error instanceof DomainError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Queues the "period opened" e-mail, with each unit's link, for a period just opened by hand
 * (`baocao period open`), the same way the planner does on the open date. Nothing is queued
 * again once the period records that its opened e-mails were queued: from then on `openPeriod`
 * itself e-mails the units it adds.
 */
export async function announcePeriod(
  deps: PlannerDeps,
  planId: string,
  year: number,
  at: Date,
): Promise<PlannerSummary> {
  const summary = emptySummary(at);
  const [plan, period] = await Promise.all([deps.plans.getPlan(planId), deps.plans.getPeriod(planId, year)]);
  if (!plan || !period || period.openedMailsQueuedAt || period.status !== 'open') return summary;
  await queuePeriodMails(deps, plan, period, at, localDate(at, period.timeZone), summary);
  return summary;
}

/** A run's summary before it has done anything. */
function emptySummary(at: Date): PlannerSummary {
  return {
    at: at.toISOString(),
    opened: [],
    closed: [],
    exportsRequested: [],
    mails: { opened: 0, reminder: 0, digest: 0 },
    skipped: [],
    failures: [],
  };
}
