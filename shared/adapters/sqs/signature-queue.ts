import type { SignatureCheckRequest, SignatureQueue } from '#shared/signatures/ports.ts';
import { SqsJsonQueue, type SqsQueueTarget } from './mail-queue.ts';

/**
 * The signatures queue on SQS: the same signed SendMessageBatch as the mail queue (./mail-queue.ts
 * sends each message as its JSON, whatever its shape), to another queue URL.
 */
export class SqsSignatureQueue implements SignatureQueue {
  private readonly sender: SqsJsonQueue<SignatureCheckRequest>;

  constructor(target: SqsQueueTarget) {
    this.sender = new SqsJsonQueue(target);
  }

  async enqueue(requests: SignatureCheckRequest[]): Promise<void> {
    await this.sender.enqueue(requests);
  }
}
