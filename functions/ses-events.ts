import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import {
  type CommitteeDirectory,
  committeeDirectory,
  depsForMessage,
} from '#functions/wiring/committee-directory.ts';
import { createSesEventsDeps, type SesEventsDeps } from '#functions/wiring/create-ses-events-deps.ts';
import { createRuntime } from '#functions/wiring/runtime.ts';
import { loadConfig } from '#shared/config.ts';
import {
  parseSesEvent,
  recordSesEvent,
  type SesEvent,
  UnreadableSesEventError,
} from '#shared/mail/ses-events.ts';
import { METRICS } from '#shared/metrics.ts';
import { logger } from '#shared/powertools.ts';
import { lambdaHandler } from '#shared/powertools-handler.ts';
import { metrics } from '#shared/powertools-metrics.ts';

/**
 * SQS consumer of the SES events queue: each record is one SES bounce, complaint, reject or
 * delivery-delay event (raw SNS delivery). A permanent problem with a unit's e-mail is recorded
 * on the unit (`MailProblemRecorded`); every other event is logged and dropped. A record that is
 * not a readable SES event, or whose recording fails, is reported as a batch item failure: it
 * returns to the queue and after 5 receives waits in the events dead-letter queue, whose alarm
 * tells the operator. Logs carry ids and outcomes, never e-mail addresses.
 */
export async function handleSesEventBatch(
  event: SQSEvent,
  committees: CommitteeDirectory<SesEventsDeps>,
): Promise<SQSBatchResponse> {
  const processor = new BatchProcessor(EventType.SQS);
  return processPartialResponse(
    event,
    async (record: SQSRecord) => {
      let sesEvent: SesEvent;
      try {
        sesEvent = parseSesEvent(record.body);
      } catch (error) {
        if (error instanceof UnreadableSesEventError) {
          logger.error('unreadable SES event', { messageId: record.messageId, problems: error.problems });
        }
        throw error;
      }
      // The e-mail's committee, from the tag the mailer set (docs/tenancy.md).
      const deps = await depsForMessage(committees, { committeeId: sesEvent.mail.tags.committee?.[0] });
      const result = await recordSesEvent(deps, sesEvent, deps.clock.now());
      const { planId, year, unitId, kind } = result.unit ?? {};
      if (result.outcome === 'recorded') {
        metrics.addMetric(METRICS.MailProblemRecorded, MetricUnit.Count, 1);
        logger.info('mail problem recorded', {
          eventType: sesEvent.eventType,
          outcome: result.outcome,
          planId,
          year,
          unitId,
          kind,
          at: result.at,
        });
      } else {
        logger.info('SES event ignored', {
          eventType: sesEvent.eventType,
          outcome: result.outcome,
          reason: result.reason,
          planId,
          year,
          unitId,
          kind,
        });
      }
    },
    processor,
    { throwOnFullBatchFailure: false },
  );
}

/** The Powertools-wrapped handler over deps made on first use (once per cold start). */
export function createSesEventsHandler(makeDeps: () => CommitteeDirectory<SesEventsDeps>) {
  let deps: CommitteeDirectory<SesEventsDeps> | undefined;
  return lambdaHandler<SQSEvent, SQSBatchResponse>(
    async (event) => {
      deps ??= makeDeps();
      return handleSesEventBatch(event, deps);
    },
    { metrics },
  );
}

/** Lambda entry point (the SES events queue). */
export const handler = createSesEventsHandler(() =>
  committeeDirectory(createRuntime(loadConfig()), (runtime) => createSesEventsDeps(runtime)),
);
