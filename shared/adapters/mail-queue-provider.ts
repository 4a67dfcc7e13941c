import { SQSClient } from '@aws-sdk/client-sqs';
import type { Config } from '#shared/config.ts';
import type { MailQueue } from '#shared/ports.ts';
import { SqsMailQueue } from './sqs/mail-queue.ts';

/**
 * The mail queue of a Lambda runtime: SQS at MAIL_QUEUE_URL, its client built on the first
 * message (most requests of the admin function queue none).
 * @throws Error on the first message when MAIL_QUEUE_URL is not set.
 */
export function sqsMailQueue(config: Config): MailQueue {
  let queue: MailQueue | undefined;
  return {
    enqueue: async (messages) => {
      if (!queue) {
        if (!config.MAIL_QUEUE_URL) throw new Error('MAIL_QUEUE_URL is not set');
        queue = new SqsMailQueue(new SQSClient({ region: config.AWS_REGION }), config.MAIL_QUEUE_URL);
      }
      return queue.enqueue(messages);
    },
  };
}
