import type { Assignment, Period } from '#shared/domain/period.ts';
import type { MailMessage } from '#shared/mail/mail-message.ts';
import type { Plan } from '#shared/domain/plan.ts';
import type { Unit } from '#shared/domain/unit.ts';

/** Plans, units and periods: what the committee configures. */
export interface PlanStore {
  getPlan(planId: string): Promise<Plan | undefined>;
  listPlans(): Promise<Plan[]>;
  putPlan(plan: Plan): Promise<void>;
  getUnit(unitId: string): Promise<Unit | undefined>;
  listUnits(): Promise<Unit[]>;
  /** Upsert every unit; idempotent, so a retry after a partial failure completes the import. */
  putUnits(units: Unit[]): Promise<void>;
  getPeriod(planId: string, year: number): Promise<Period | undefined>;
  listPeriods(planId: string): Promise<Period[]>;
  /** Creates the period once; returns false when it already exists. */
  createPeriod(period: Period): Promise<boolean>;
}

/** What happens in a period: assignments of units and their submissions. */
export interface SubmissionStore {
  /** Creates the assignment once; returns false when it already exists. */
  createAssignment(assignment: Assignment): Promise<boolean>;
  getAssignment(planId: string, year: number, unitId: string): Promise<Assignment | undefined>;
  listAssignments(planId: string, year: number): Promise<Assignment[]>;
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
