import type { Config } from '#shared/config.ts';
import type { MailQueue } from '#shared/ports.ts';
import { awsCredentials } from './aws-signing.ts';
import { SqsMailQueue } from './sqs/mail-queue.ts';

/**
 * The mail queue of a Lambda runtime: SQS at MAIL_QUEUE_URL, as whom the SDK's credential chain
 * says, built on the first message (most requests of the admin function queue none).
 * @throws Error on the first message when MAIL_QUEUE_URL is not set.
 */
export function sqsMailQueue(config: Config): MailQueue {
  let queue: MailQueue | undefined;
  return {
    enqueue: async (messages) => {
      if (!queue) {
        if (!config.MAIL_QUEUE_URL) throw new Error('MAIL_QUEUE_URL is not set');
        queue = new SqsMailQueue({
          region: config.AWS_REGION,
          queueUrl: config.MAIL_QUEUE_URL,
          credentials: awsCredentials(),
        });
      }
      return queue.enqueue(messages);
    },
  };
}
