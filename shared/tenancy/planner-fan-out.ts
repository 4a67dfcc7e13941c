import * as v from 'valibot';
import { COMMITTEE_ID_PATTERN } from '#shared/domain/ids.ts';
import { listCommittees, type RegistryDeps } from './registry.ts';

/**
 * One committee's daily planner run, as queued by the daily tick (docs/tenancy.md "The planner
 * fans out"): the committee and the scheduled instant the run decides for, so that a retried or
 * redriven message decides for the same day.
 */
export interface PlannerMessage {
  committeeId: string;
  /** ISO-8601 instant (the scheduler's scheduled time). */
  at: string;
}

/** Where the tick sends the committees' runs: SQS on AWS, a durable local queue in local mode. */
export interface PlannerQueue {
  enqueue(messages: PlannerMessage[]): Promise<void>;
}

export interface FanOutDeps {
  registry: RegistryDeps;
  plannerQueue: PlannerQueue;
}

/** What one tick did: the committees it found and the messages it sent (one each). */
export interface FanOutSummary {
  at: string;
  committees: number;
  messages: number;
}

/**
 * The daily tick: one Query of the registry's committee partition (never a Scan), then one
 * message per committee. A committee with nothing due costs its worker three or four requests
 * (its plans, their periods): cheaper at this scale than keeping a `DUE#<date>` index exact
 * through every calendar change (docs/tenancy.md). Sending again is harmless: each committee's
 * run is idempotent.
 */
export async function fanOutPlanner(deps: FanOutDeps, at: Date): Promise<FanOutSummary> {
  const committees = await listCommittees(deps.registry);
  const iso = at.toISOString();
  const messages = committees.map((c) => ({ committeeId: c.id, at: iso }));
  await deps.plannerQueue.enqueue(messages);
  return { at: iso, committees: committees.length, messages: messages.length };
}

const plannerMessageSchema = v.looseObject({
  committeeId: v.pipe(v.string(), v.regex(COMMITTEE_ID_PATTERN)),
  at: v.pipe(v.string(), v.maxLength(40)),
});

/**
 * A queued message as a {@link PlannerMessage} (its instant is parsed by the run); throws on
 * anything else, so that it goes to the dead letters.
 */
export function parsePlannerMessage(value: unknown): PlannerMessage {
  const parsed = v.safeParse(plannerMessageSchema, value);
  if (!parsed.success) throw new Error('Invalid planner message: expected {"committeeId", "at"}');
  return { committeeId: parsed.output.committeeId, at: parsed.output.at };
}
