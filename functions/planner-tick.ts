import * as v from 'valibot';
import { createRegistryDeps } from '#functions/wiring/create-registry-deps.ts';
import { createRuntime } from '#functions/wiring/runtime.ts';
import { awsCredentials } from '#shared/adapters/aws-signing.ts';
import { SqsJsonQueue } from '#shared/adapters/sqs/mail-queue.ts';
import { loadConfig } from '#shared/config.ts';
import { parseInstant } from '#shared/domain/calendar.ts';
import { ValidationError } from '#shared/errors.ts';
import type { Clock } from '#shared/ports.ts';
import { logger } from '#shared/powertools.ts';
import { lambdaHandler } from '#shared/powertools-handler.ts';
import { metrics } from '#shared/powertools-metrics.ts';
import {
  type FanOutDeps,
  type FanOutSummary,
  fanOutPlanner,
  type PlannerMessage,
} from '#shared/tenancy/planner-fan-out.ts';

/**
 * The scheduler's payload. EventBridge Scheduler sends `{"at":"<aws.scheduler.scheduled-time>"}`
 * so that a retried tick (and every committee's run) decides for the scheduled instant; with no
 * `at`, the tick is for now.
 */
const tickEventSchema = v.looseObject({ at: v.optional(v.string()) });

export type PlannerTickEvent = v.InferOutput<typeof tickEventSchema> | null | undefined;

/**
 * The daily tick (docs/tenancy.md "The planner fans out"): lists the deployment's committees
 * (one Query of the registry) and sends one message per committee to the planner queue, whose
 * consumer (functions/planner.ts) runs that committee's planner. Nothing here reads or
 * writes a committee's data. A failure throws: the asynchronous invocation is retried, and
 * sending a committee's message twice is harmless (its run is idempotent).
 */
export async function handlePlannerTick(
  event: PlannerTickEvent,
  deps: FanOutDeps & { clock: Clock },
): Promise<FanOutSummary> {
  const parsed = v.safeParse(tickEventSchema, event ?? {});
  if (!parsed.success) throw new ValidationError('Invalid planner event: expected {"at"?: ISO-8601 instant}');
  const at = parsed.output.at ? parseInstant(parsed.output.at) : deps.clock.now();
  const summary = await fanOutPlanner(deps, at);
  logger.info('planner fanned out', { ...summary });
  return summary;
}

/** The Powertools-wrapped tick over deps made on first use (once per cold start; the local stack passes its own). */
export function createPlannerTickHandler(makeDeps: () => FanOutDeps & { clock: Clock }) {
  let deps: (FanOutDeps & { clock: Clock }) | undefined;
  return lambdaHandler<PlannerTickEvent, FanOutSummary>(
    async (event) => {
      deps ??= makeDeps();
      return handlePlannerTick(event, deps);
    },
    { metrics },
  );
}

/** EventBridge Scheduler target: daily at 08:00 in the deployment's time zone. */
export const handler = createPlannerTickHandler(() => {
  const config = loadConfig();
  const runtime = createRuntime(config);
  if (!config.PLANNER_QUEUE_URL) throw new Error('PLANNER_QUEUE_URL is not set');
  const queue = new SqsJsonQueue<PlannerMessage>({
    region: config.AWS_REGION,
    queueUrl: config.PLANNER_QUEUE_URL,
    credentials: awsCredentials(),
  });
  return { registry: createRegistryDeps(runtime), plannerQueue: queue, clock: runtime.clock };
});
