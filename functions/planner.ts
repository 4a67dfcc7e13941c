import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import * as v from 'valibot';
import { createPlannerDeps } from '#functions/wiring/create-planner-deps.ts';
import { createRuntime } from '#functions/wiring/runtime.ts';
import { lambdaExportInvoker } from '#shared/adapters/export-invoker.ts';
import { sqsMailQueue } from '#shared/adapters/mail-queue-provider.ts';
import { loadConfig } from '#shared/config.ts';
import { parseInstant } from '#shared/domain/calendar.ts';
import { ValidationError } from '#shared/errors.ts';
import { METRICS } from '#shared/metrics.ts';
import type { PlannerDeps } from '#shared/periods/ports.ts';
import { type PlannerSummary, runPlanner } from '#shared/periods/run-planner.ts';
import { logger } from '#shared/powertools.ts';
import { metrics } from '#shared/powertools-metrics.ts';

/**
 * The scheduler's payload. EventBridge Scheduler sends `{"at":"<aws.scheduler.scheduled-time>"}`
 * so that a retried run decides for the scheduled instant; with no `at`, the run is for now.
 */
const plannerEventSchema = v.looseObject({ at: v.optional(v.string()) });

export type PlannerEvent = v.InferOutput<typeof plannerEventSchema> | null | undefined;

/** A run that failed somewhere; thrown after the whole run so the scheduler retries it (safely). */
export class PlannerRunError extends Error {
  constructor(readonly summary: PlannerSummary) {
    super(`The planner run for ${summary.at} had ${summary.failures.length} failure(s)`);
    this.name = 'PlannerRunError';
  }
}

/**
 * Runs the daily planner for the event's instant (default: now). Logs and publishes the counts;
 * throws PlannerRunError when anything failed, after doing everything else.
 */
export async function handlePlannerEvent(event: PlannerEvent, deps: PlannerDeps): Promise<PlannerSummary> {
  const parsed = v.safeParse(plannerEventSchema, event ?? {});
  if (!parsed.success) throw new ValidationError('Invalid planner event: expected {"at"?: ISO-8601 instant}');
  const at = parsed.output.at ? parseInstant(parsed.output.at) : deps.clock.now();
  const summary = await runPlanner(deps, at);
  // The audit log's signed digest of each day up to yesterday (a failure fails the run: retried).
  let auditDigests: string[] = [];
  try {
    auditDigests = (await deps.writeAuditDigests?.()) ?? [];
  } catch (error) {
    summary.failures.push({
      error: `audit digest: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
  metrics.addMetric(METRICS.PeriodsOpened, MetricUnit.Count, summary.opened.length);
  metrics.addMetric(METRICS.PeriodsClosed, MetricUnit.Count, summary.closed.length);
  metrics.addMetric(METRICS.ReminderQueued, MetricUnit.Count, summary.mails.reminder);
  metrics.addMetric(METRICS.PlannerFailed, MetricUnit.Count, summary.failures.length);
  // Counts and ids only: no addresses, no e-mail content.
  logger.info('planner ran', {
    at: summary.at,
    opened: summary.opened,
    closed: summary.closed,
    exportsRequested: summary.exportsRequested,
    mails: summary.mails,
    skipped: summary.skipped,
    auditDigests,
    failures: summary.failures.length,
  });
  if (summary.failures.length > 0) {
    logger.error('planner failures', { failures: summary.failures });
    throw new PlannerRunError(summary);
  }
  return summary;
}

/** The middy-wrapped handler over deps made on first use (once per cold start; the local stack passes its own). */
export function createPlannerHandler(makeDeps: () => PlannerDeps) {
  let deps: PlannerDeps | undefined;
  return middy<PlannerEvent, PlannerSummary>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .handler(async (event) => {
      deps ??= makeDeps();
      return handlePlannerEvent(event, deps);
    });
}

/** EventBridge Scheduler target: daily at 08:00 in the committee's time zone. */
export const handler = createPlannerHandler(() => {
  const config = loadConfig();
  return createPlannerDeps(
    createRuntime(config, { mailQueue: sqsMailQueue(config), exportInvoker: lambdaExportInvoker(config) }),
  );
});
