import type { MailMessage } from '#shared/domain/mail-message.ts';
import type { Assignment, Period, Withdrawal } from '#shared/domain/period.ts';
import type { Plan, ReportingCalendar } from '#shared/domain/plan.ts';
import type { Unit } from '#shared/domain/unit.ts';

/** Plans, units and periods: what the committee configures. */
export interface PlanStore {
  getPlan(planId: string): Promise<Plan | undefined>;
  listPlans(): Promise<Plan[]>;
  putPlan(plan: Plan): Promise<void>;
  /** Replaces only the plan's calendar (and `updatedAt`); returns false when the plan does not exist. */
  updateCalendar(planId: string, calendar: ReportingCalendar, updatedAt: string): Promise<boolean>;
  getUnit(unitId: string): Promise<Unit | undefined>;
  listUnits(): Promise<Unit[]>;
  /** Upsert every unit; idempotent, so a retry after a partial failure completes the import. */
  putUnits(units: Unit[]): Promise<void>;
  /** Stores a new unit once; false when a unit with that id exists. */
  createUnit(unit: Unit): Promise<boolean>;
  /**
   * Replaces only the plan's recipients (null: every active unit) and `updatedAt`; false when the
   * plan does not exist.
   */
  updateRecipients(planId: string, unitIds: string[] | null, updatedAt: string): Promise<boolean>;
  getPeriod(planId: string, year: number): Promise<Period | undefined>;
  listPeriods(planId: string): Promise<Period[]>;
  /** Creates the period once; returns false when it already exists. */
  createPeriod(period: Period): Promise<boolean>;
  /**
   * Records that the "period opened" e-mails were queued; false when already recorded (or no
   * such period).
   */
  markOpenedMailsQueued(planId: string, year: number, at: string): Promise<boolean>;
  /** Sets an open period's status to closed, once; false when it was not open. */
  closePeriod(planId: string, year: number, at: string): Promise<boolean>;
  /** Records the consolidated export request on the period, once; false when already recorded. */
  markExportRequested(planId: string, year: number, at: string): Promise<boolean>;
}

/** What happens in a period: assignments of units and their submissions. */
export interface SubmissionStore {
  /** Creates the assignment once; returns false when it already exists. */
  createAssignment(assignment: Assignment): Promise<boolean>;
  getAssignment(planId: string, year: number, unitId: string): Promise<Assignment | undefined>;
  listAssignments(planId: string, year: number): Promise<Assignment[]>;
  /**
   * The assignments of a period page by page (one Query page each, `pageSize` items at most),
   * so a caller can act on a page before reading the next.
   */
  assignmentPages(planId: string, year: number, pageSize?: number): AsyncIterable<Assignment[]>;
  /**
   * Records that the unit's "period opened" e-mail was queued (`announcedAt`, written after the
   * enqueue); false when it was already recorded or the unit has no assignment in that period.
   */
  markAnnounced(planId: string, year: number, unitId: string, at: string): Promise<boolean>;
  /**
   * Sets a unit's extended deadline (`YYYY-MM-DD`, or null for none); false when the unit has no
   * assignment in that period.
   */
  setExtendedDeadline(planId: string, year: number, unitId: string, until: string | null): Promise<boolean>;
  /**
   * Copies a unit's corrected name and addresses onto its assignment in a period; with
   * `clearMailProblem`, forgets the mail problem recorded for the old address. False when the
   * unit has no assignment in that period.
   */
  updateContact(
    planId: string,
    year: number,
    unitId: string,
    contact: { unitName: string; email: string; cc: string[] },
    clearMailProblem: boolean,
  ): Promise<boolean>;
  /**
   * Withdraws a unit's assignment from a date, or (null) clears its withdrawal; false when the
   * unit has no assignment in that period. See docs/units.md.
   */
  setWithdrawn(planId: string, year: number, unitId: string, withdrawn: Withdrawal | null): Promise<boolean>;
}

/** The current instant; a fixed clock makes every deadline test deterministic. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** The mail queue (SQS on AWS, in-process locally): one message per e-mail. */
export interface MailQueue {
  enqueue(messages: MailMessage[]): Promise<void>;
}

/** The port: the HMAC key that signs upload links (32 bytes). */
export interface KeyProvider {
  linkKey(): Promise<Uint8Array>;
}
