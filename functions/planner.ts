import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import * as v from 'valibot';
import {
  type CommitteeDirectory,
  committeeDirectory,
  depsForMessage,
} from '#functions/wiring/committee-directory.ts';
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
import { lambdaHandler } from '#shared/powertools-handler.ts';
import { metrics } from '#shared/powertools-metrics.ts';
import { parsePlannerMessage } from '#shared/tenancy/planner-fan-out.ts';

/**
 * One committee's run: `{"at": …}` (the scheduled instant; with none, now), and on the planner
 * queue also the committee it is for (`committeeId`, read by {@link depsForMessage}).
 */
const plannerEventSchema = v.looseObject({ at: v.optional(v.string()) });

export type PlannerEvent = v.InferOutput<typeof plannerEventSchema> | null | undefined;

/** A run that failed somewhere; thrown after the whole run so that it is retried (safely). */
export class PlannerRunError extends Error {
  constructor(readonly summary: PlannerSummary) {
    super(`The planner run for ${summary.at} had ${summary.failures.length} failure(s)`);
    this.name = 'PlannerRunError';
  }
}

/**
 * Runs the daily planner of ONE committee (the one `deps` are scoped to) for the event's instant
 * (default: now), then that committee's audit digests. Logs and publishes the counts; throws
 * PlannerRunError when anything failed, after doing everything else.
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
    committeeId: (event as { committeeId?: unknown } | null | undefined)?.committeeId,
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

/**
 * One message of the planner queue: the committee's deps (its scoped runtime, through the
 * directory), then its run. Throws when the run failed or the committee is unknown.
 */
export async function planCommittee(
  body: unknown,
  committees: CommitteeDirectory<PlannerDeps>,
): Promise<PlannerSummary> {
  const message = parsePlannerMessage(body);
  const deps = await depsForMessage(committees, message);
  return handlePlannerEvent({ at: message.at, committeeId: message.committeeId }, deps);
}

/**
 * SQS consumer of the planner queue: each record is one committee's run for one day. A failed
 * run is reported as a batch item failure (only it returns to the queue, and is run again:
 * every step is idempotent); the other committees of the batch are done. After the redrive
 * limit it goes to the dead-letter queue, whose alarm tells the operator.
 */
export async function handlePlannerBatch(
  event: SQSEvent,
  committees: CommitteeDirectory<PlannerDeps>,
): Promise<SQSBatchResponse> {
  const processor = new BatchProcessor(EventType.SQS);
  return processPartialResponse(
    event,
    async (record: SQSRecord) => {
      await planCommittee(JSON.parse(record.body), committees);
    },
    processor,
    { throwOnFullBatchFailure: false },
  );
}

/** The Powertools-wrapped handler over deps made on first use (once per cold start; the local stack passes its own). */
export function createPlannerHandler(makeDeps: () => CommitteeDirectory<PlannerDeps>) {
  let deps: CommitteeDirectory<PlannerDeps> | undefined;
  return lambdaHandler<SQSEvent, SQSBatchResponse>(
    async (event) => {
      deps ??= makeDeps();
      return handlePlannerBatch(event, deps);
    },
    { metrics },
  );
}

/** Lambda entry point (the planner queue): one committee's daily run per message. */
export const handler = createPlannerHandler(() => {
  const config = loadConfig();
  return committeeDirectory(
    createRuntime(config, { mailQueue: sqsMailQueue(config), exportInvoker: lambdaExportInvoker(config) }),
    (runtime) => createPlannerDeps(runtime),
  );
});
