import type { Config } from '#shared/config.ts';
import type { SignatureQueue } from '#shared/signatures/ports.ts';
import { awsCredentials } from './aws-signing.ts';
import { SqsSignatureQueue } from './sqs/signature-queue.ts';

/**
 * The signatures queue of a Lambda runtime: SQS at SIGNATURE_QUEUE_URL, built on the first
 * message. Without SIGNATURE_QUEUE_URL nothing is queued (a stack deployed before the verifier).
 */
export function sqsSignatureQueue(config: Config): SignatureQueue {
  let queue: SignatureQueue | undefined;
  return {
    enqueue: async (requests) => {
      if (!config.SIGNATURE_QUEUE_URL) return;
      queue ??= new SqsSignatureQueue({
        region: config.AWS_REGION,
        queueUrl: config.SIGNATURE_QUEUE_URL,
        credentials: awsCredentials(),
      });
      return queue.enqueue(requests);
    },
  };
}
