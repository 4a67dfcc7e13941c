import { join } from 'node:path';
import type { MailMessage } from '#shared/domain/mail-message.ts';
import type { MailQueue } from '#shared/ports.ts';
import { DurableQueue } from './durable-queue.ts';
import { InProcessQueue, type LocalQueue, type SqsHandler } from './queue.ts';

/** The mail queue's folder under the local data folder. */
export function mailQueueDir(dataDir: string): string {
  return join(dataDir, 'queues', MAIL_QUEUE_NAME);
}

const MAIL_QUEUE_NAME = 'baocao-mail';

/** As the deployed queue's redrive policy (infra/constructs/queues.ts MAX_RECEIVE_COUNT). */
const MAX_RECEIVE_COUNT = 5;

/** Where a {@link LocalMailQueue} keeps its messages. */
export interface LocalMailQueueOptions {
  /**
   * The local data folder: the queue is kept in `<dataDir>/queues/baocao-mail/` and survives the
   * process (see docs/local-mode.md). Without it the queue lives in this process only.
   */
  dataDir?: string;
}

/**
 * The local mail queue: a stand-in for SQS feeding the same mailer handler that runs in Lambda,
 * with partial batch failures, retries and dead-lettering. With a data folder it is durable
 * (stored under `.data/queues/`, redelivered after a restart); the stack consumes it one e-mail
 * at a time, so a process killed mid-send leaves at most one e-mail to be sent twice.
 */
export class LocalMailQueue implements MailQueue {
  readonly queue: LocalQueue;

  constructor(
    onDeadLetter: (body: string, error: unknown) => void,
    /** The consumer: the mailer handler of this runtime (see {@link asSqsHandler}). */
    consumer: SqsHandler,
    options: LocalMailQueueOptions = {},
  ) {
    if (options.dataDir !== undefined) {
      const durable = new DurableQueue({
        name: MAIL_QUEUE_NAME,
        dir: mailQueueDir(options.dataDir),
        consumer,
        batchSize: 1,
        maxReceiveCount: MAX_RECEIVE_COUNT,
        retryDelayMs: 500,
        onDeadLetter,
      });
      this.queue = durable;
    } else {
      this.queue = new InProcessQueue({
        name: MAIL_QUEUE_NAME,
        consumer,
        maxReceiveCount: MAX_RECEIVE_COUNT,
        retryDelayMs: 500,
        onDeadLetter,
      });
    }
  }

  /**
   * Starts delivering (a durable queue: what earlier processes left first). Call it once the
   * consumer's runtime exists; an in-process queue delivers from its first message anyway.
   */
  start(): void {
    if (this.queue instanceof DurableQueue) this.queue.start();
  }

  async enqueue(messages: MailMessage[]): Promise<void> {
    await this.queue.send(messages.map((m) => JSON.stringify(m)));
  }

  /** Resolves when every queued e-mail has been delivered or dead-lettered. */
  drain(): Promise<void> {
    return this.queue.drain();
  }

  /** Stops delivering (a durable queue keeps what is left for the next process). */
  async close(): Promise<void> {
    await this.queue.close();
  }
}

/**
 * A producer's handle on the durable mail queue of a data folder (the CLI's): it stores the
 * e-mails and remembers their ids; the running stack delivers them.
 */
export class DurableMailProducer implements MailQueue {
  readonly queue: DurableQueue;
  readonly sent: string[] = [];

  constructor(dataDir: string) {
    this.queue = new DurableQueue({ name: MAIL_QUEUE_NAME, dir: mailQueueDir(dataDir) });
  }

  async enqueue(messages: MailMessage[]): Promise<void> {
    this.sent.push(...(await this.queue.send(messages.map((m) => JSON.stringify(m)))));
  }

  /**
   * Waits until the running stack has delivered (or dead-lettered) every e-mail sent through this
   * handle, or until `alive` says the stack stopped (the rest is delivered at its next start).
   */
  settled(alive: () => Promise<boolean>): Promise<{ dead: string[]; remaining: string[] }> {
    return this.queue.settled(this.sent, alive);
  }
}

/** A Lambda-shaped SQS handler (functions/mailer.ts `createMailerHandler`) as the queue's consumer. */
export function asSqsHandler(h: unknown): SqsHandler {
  const fn = h as (event: unknown, context: unknown) => Promise<never>;
  return (event) =>
    fn(event, { awsRequestId: 'local', functionName: 'mailer', getRemainingTimeInMillis: () => 60_000 });
}
