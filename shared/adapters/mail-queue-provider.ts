import { SQSClient } from '@aws-sdk/client-sqs';
import type { Config } from '#shared/config.ts';
import type { MailQueue } from '#shared/ports.ts';
import { SqsMailQueue } from './sqs/mail-queue.ts';

let override: MailQueue | undefined;
let sqsQueue: MailQueue | undefined;

/**
 * Local mode and tests hand the handlers an in-process queue here (there is no SQS emulator);
 * on AWS nothing is set and the handlers use SQS.
 */
export function setMailQueue(queue: MailQueue | undefined): void {
  override = queue;
}

/** The mail queue for this process: the injected one, or SQS at MAIL_QUEUE_URL. */
export function getMailQueue(config: Config): MailQueue {
  if (override) return override;
  if (!config.MAIL_QUEUE_URL)
    throw new Error('MAIL_QUEUE_URL is not set and no local mail queue was provided');
  sqsQueue ??= new SqsMailQueue(new SQSClient({ region: config.AWS_REGION }), config.MAIL_QUEUE_URL);
  return sqsQueue;
}
