import type { Context } from 'aws-lambda';
import { createPlannerHandler } from '#functions/planner.ts';
import { createPlannerDeps } from '#shared/adapters/create-planner-deps.ts';
import { loadConfig } from '#shared/config.ts';
import type { MailQueue } from '#shared/ports.ts';

const context = {
  awsRequestId: 'local',
  functionName: 'planner',
  getRemainingTimeInMillis: () => 900_000,
} as unknown as Context;

const handlers = new WeakMap<MailQueue, ReturnType<typeof createPlannerHandler>>();

/**
 * One scheduler invocation of the planner handler, locally: the same middy handler as on AWS,
 * fed the in-process mail queue, with the event EventBridge Scheduler sends (`{at}`).
 */
export async function runLocalPlanner(mailQueue: MailQueue, at: Date): Promise<void> {
  let handler = handlers.get(mailQueue);
  if (!handler) {
    handler = createPlannerHandler(() => createPlannerDeps(loadConfig(), { mailQueue }));
    handlers.set(mailQueue, handler);
  }
  await handler({ at: at.toISOString() }, context);
}
