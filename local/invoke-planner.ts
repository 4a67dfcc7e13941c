import type { Context } from 'aws-lambda';
import { planCommittee } from '#functions/planner.ts';
import { createPlannerTickHandler } from '#functions/planner-tick.ts';
import { type CommitteeDirectory, committeeDirectory } from '#functions/wiring/committee-directory.ts';
import { createPlannerDeps } from '#functions/wiring/create-planner-deps.ts';
import { createRegistryDeps } from '#functions/wiring/create-registry-deps.ts';
import type { Runtime } from '#functions/wiring/runtime.ts';
import type { PlannerDeps } from '#shared/periods/ports.ts';
import type { FanOutSummary, PlannerMessage, PlannerQueue } from '#shared/tenancy/planner-fan-out.ts';

const context = {
  awsRequestId: 'local',
  functionName: 'planner-tick',
  getRemainingTimeInMillis: () => 900_000,
} as unknown as Context;

/** The tick's handler per queue, as a warm Lambda (its registry deps built once). */
const ticks = new WeakMap<PlannerQueue, ReturnType<typeof createPlannerTickHandler>>();
/** Each runtime's committees' planner deps, as a warm worker keeps them. */
const directories = new WeakMap<Runtime, CommitteeDirectory<PlannerDeps>>();

/**
 * The daily tick through the same Powertools-wrapped handler as in Lambda (fed the event EventBridge
 * Scheduler sends): one message per committee of `runtime`'s deployment to `queue`.
 */
export async function runLocalTick(runtime: Runtime, queue: PlannerQueue, at: Date): Promise<FanOutSummary> {
  let handler = ticks.get(queue);
  if (!handler) {
    handler = createPlannerTickHandler(() => ({
      registry: createRegistryDeps(runtime),
      plannerQueue: queue,
      clock: runtime.clock,
    }));
    ticks.set(queue, handler);
  }
  return handler({ at: at.toISOString() }, context);
}

/** The committees' planner deps of a runtime (its own for the first committee, scoped for the others). */
export function plannerDirectory(runtime: Runtime): CommitteeDirectory<PlannerDeps> {
  let directory = directories.get(runtime);
  if (!directory) {
    directory = committeeDirectory(runtime, (r) => createPlannerDeps(r));
    directories.set(runtime, directory);
  }
  return directory;
}

/**
 * Runs the daily planner as of `at` and waits for it (tests, `npm start`'s cron goes through the
 * durable planner queue instead: local/planner-queue.ts): the tick fans out one message per
 * committee, and each is handled here as the worker handles a record, wired to `runtime` (the
 * local stack's mail queue and exporter). A committee whose run fails does not stop the others;
 * the first failure is thrown after every committee has run.
 */
export async function runLocalPlanner(runtime: Runtime, at: Date): Promise<FanOutSummary> {
  const messages: PlannerMessage[] = [];
  const summary = await runLocalTick(runtime, collecting(messages), at);
  const errors: unknown[] = [];
  for (const message of messages) {
    try {
      await planCommittee(message, plannerDirectory(runtime));
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length > 0) throw errors[0];
  return summary;
}

/** A planner queue that only collects (one per run: the tick's handler is kept per queue). */
function collecting(into: PlannerMessage[]): PlannerQueue {
  return { enqueue: async (batch) => void into.push(...batch) };
}
