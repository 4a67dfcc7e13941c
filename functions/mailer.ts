import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { createMailDeps } from '#shared/adapters/create-mail-deps.ts';
import { loadConfig } from '#shared/config.ts';
import { type DeliveryOutcome, deliverMail, type MailDeps } from '#shared/mail/deliver-mail.ts';
import { mailMessageSchema } from '#shared/mail/mail-message.ts';
import { logger, metrics } from '#shared/powertools.ts';

const METRIC: Record<DeliveryOutcome, string | undefined> = {
  sent: 'MailSent',
  failed: 'MailFailed',
  skipped: undefined,
};

/**
 * SQS consumer of the mail queue: each record is one e-mail. Failed records are reported as
 * batch item failures (only they return to the queue); after the redrive limit they go to the
 * dead-letter queue, whose alarm tells the operator.
 */
export async function handleMailBatch(event: SQSEvent, deps: MailDeps): Promise<SQSBatchResponse> {
  const processor = new BatchProcessor(EventType.SQS);
  return processPartialResponse(
    event,
    async (record: SQSRecord) => {
      const message = mailMessageSchema.parse(JSON.parse(record.body));
      const outcome = await deliverMail(deps, message, record.messageId);
      const metric = METRIC[outcome];
      if (metric) metrics.addMetric(metric, MetricUnit.Count, 1);
      if (message.template !== 'receipt' && message.template !== 'rejected' && metric) {
        metrics.addMetric(outcome === 'sent' ? 'ReminderSent' : 'ReminderFailed', MetricUnit.Count, 1);
      }
      logger.info('mail processed', { template: message.template, outcome });
    },
    processor,
    { throwOnFullBatchFailure: false },
  );
}

let deps: MailDeps | undefined;

export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .handler(async (event) => {
    deps ??= createMailDeps(loadConfig());
    return handleMailBatch(event, deps);
  });
