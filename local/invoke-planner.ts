import type { Context } from 'aws-lambda';
import { createPlannerHandler } from '#functions/planner.ts';
import { createPlannerDeps } from '#functions/wiring/create-planner-deps.ts';
import type { Runtime } from '#functions/wiring/runtime.ts';

const context = {
  awsRequestId: 'local',
  functionName: 'planner',
  getRemainingTimeInMillis: () => 900_000,
} as unknown as Context;

/** One planner handler per runtime: its deps are built once, as in a warm Lambda. */
const handlers = new WeakMap<Runtime, ReturnType<typeof createPlannerHandler>>();

/**
 * Runs the daily planner as of `at` through the same middy handler as in Lambda (fed the event
 * EventBridge Scheduler sends), wired to `runtime` (the local stack's mail queue and exporter).
 */
export async function runLocalPlanner(runtime: Runtime, at: Date): Promise<void> {
  let handler = handlers.get(runtime);
  if (!handler) {
    handler = createPlannerHandler(() => createPlannerDeps(runtime));
    handlers.set(runtime, handler);
  }
  await handler({ at: at.toISOString() }, context);
}
