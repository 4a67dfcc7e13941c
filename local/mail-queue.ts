import type { MailMessage } from '#shared/domain/mail-message.ts';
import type { MailQueue } from '#shared/ports.ts';
import { InProcessQueue, type SqsHandler } from './queue.ts';

/**
 * The local mail queue: an in-process stand-in for SQS feeding the same mailer handler that runs
 * in Lambda, with partial batch failures, retries and a dead-letter list.
 */
export class LocalMailQueue implements MailQueue {
  readonly queue: InProcessQueue;

  constructor(
    onDeadLetter: (body: string, error: unknown) => void,
    /** The consumer: the mailer handler of this runtime (see {@link asSqsHandler}). */
    consumer: SqsHandler,
  ) {
    this.queue = new InProcessQueue({
      name: 'baocao-mail',
      consumer,
      maxReceiveCount: 5,
      retryDelayMs: 500,
      onDeadLetter,
    });
  }

  async enqueue(messages: MailMessage[]): Promise<void> {
    await this.queue.send(messages.map((m) => JSON.stringify(m)));
  }

  /** Resolves when every queued e-mail has been delivered or dead-lettered. */
  drain(): Promise<void> {
    return this.queue.drain();
  }

  close(): void {
    this.queue.close();
  }
}

/** A Lambda-shaped SQS handler (functions/mailer.ts `createMailerHandler`) as the queue's consumer. */
export function asSqsHandler(h: unknown): SqsHandler {
  const fn = h as (event: unknown, context: unknown) => Promise<never>;
  return (event) =>
    fn(event, { awsRequestId: 'local', functionName: 'mailer', getRemainingTimeInMillis: () => 60_000 });
}
