import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import {
  type CommitteeDirectory,
  committeeDirectory,
  depsForMessage,
} from '#functions/wiring/committee-directory.ts';
import { createMailDeps } from '#functions/wiring/create-mail-deps.ts';
import { createRuntime } from '#functions/wiring/runtime.ts';
import { loadConfig } from '#shared/config.ts';
import { parseMailMessage } from '#shared/domain/mail-message.ts';
import { deliverMail, type MailDeps } from '#shared/mail/deliver-mail.ts';
import { mailMetricsFor } from '#shared/metrics.ts';
import { logger } from '#shared/powertools.ts';
import { lambdaHandler } from '#shared/powertools-handler.ts';
import { metrics } from '#shared/powertools-metrics.ts';

/**
 * SQS consumer of the mail queue: each record is one e-mail. Failed records are reported as
 * batch item failures (only they return to the queue); after the redrive limit they go to the
 * dead-letter queue, whose alarm tells the operator.
 */
export async function handleMailBatch(
  event: SQSEvent,
  committees: CommitteeDirectory<MailDeps>,
): Promise<SQSBatchResponse> {
  const processor = new BatchProcessor(EventType.SQS);
  return processPartialResponse(
    event,
    async (record: SQSRecord) => {
      const body: unknown = JSON.parse(record.body);
      // The message's committee (docs/tenancy.md) records its delivery in its own scope.
      const deps = await depsForMessage(committees, body);
      const message = parseMailMessage(body);
      const outcome = await deliverMail(deps, message, record.messageId);
      // The total and the kind's own pair (ReminderSent, ReceiptSent, SignInMailSent …).
      for (const name of mailMetricsFor(message.template, outcome))
        metrics.addMetric(name, MetricUnit.Count, 1);
      logger.info('mail processed', { template: message.template, outcome });
    },
    processor,
    { throwOnFullBatchFailure: false },
  );
}

/** The Powertools-wrapped handler over deps made on first use (once per cold start; the local stack passes its own). */
export function createMailerHandler(makeDeps: () => CommitteeDirectory<MailDeps>) {
  let deps: CommitteeDirectory<MailDeps> | undefined;
  return lambdaHandler<SQSEvent, SQSBatchResponse>(
    async (event) => {
      deps ??= makeDeps();
      return handleMailBatch(event, deps);
    },
    { metrics },
  );
}

/** Lambda entry point (the mail queue). */
export const handler = createMailerHandler(() =>
  committeeDirectory(createRuntime(loadConfig()), createMailDeps),
);
