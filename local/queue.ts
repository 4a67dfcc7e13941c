import { randomUUID } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

/** An SQS consumer Lambda (reportBatchItemFailures on). */
export type SqsHandler = (event: SQSEvent) => Promise<SQSBatchResponse | undefined>;

export interface InProcessQueueOptions {
  name: string;
  consumer: SqsHandler;
  /** Records per invocation, as the event source mapping's BatchSize. */
  batchSize?: number;
  /** Receives before a message moves to the dead-letter list, as the redrive policy. */
  maxReceiveCount?: number;
  /** Delay before a failed message is visible again (the visibility timeout, shortened locally). */
  retryDelayMs?: number;
  onDeadLetter?: (body: string, error: unknown) => void;
}

interface Message {
  id: string;
  body: string;
  receiveCount: number;
}

/**
 * The local stand-in for an SQS queue and its event source mapping: messages are delivered in
 * batches to the same consumer handler that runs in Lambda, failed items (partial batch response
 * or a thrown error) are retried, and after maxReceiveCount they move to a dead-letter list.
 */
export class InProcessQueue implements LocalQueue {
  readonly deadLetters: { body: string; error: unknown }[] = [];
  private readonly pending: Message[] = [];
  private running: Promise<void> | undefined;
  private timers = new Set<NodeJS.Timeout>();
  private readonly batchSize: number;
  private readonly maxReceiveCount: number;
  private readonly retryDelayMs: number;

  constructor(private readonly options: InProcessQueueOptions) {
    this.batchSize = options.batchSize ?? 10;
    this.maxReceiveCount = options.maxReceiveCount ?? 5;
    this.retryDelayMs = options.retryDelayMs ?? 200;
  }

  /** Enqueues message bodies; delivery starts on the next tick. */
  async send(bodies: string[]): Promise<void> {
    for (const body of bodies) this.pending.push({ id: randomUUID(), body, receiveCount: 0 });
    this.kick();
  }

  /** Resolves when no message is pending or waiting for a retry. */
  async drain(): Promise<void> {
    while (this.running || this.timers.size > 0 || this.pending.length > 0) {
      this.kick();
      await (this.running ?? new Promise((r) => setTimeout(r, 10)));
    }
  }

  /** Stops retry timers (messages still pending are dropped: the process is ending). */
  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.pending.length = 0;
  }

  private kick(): void {
    if (this.running || this.pending.length === 0) return;
    this.running = this.pump().finally(() => {
      this.running = undefined;
      if (this.pending.length > 0) this.kick();
    });
  }

  private async pump(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.batchSize);
      for (const m of batch) m.receiveCount++;
      const failed = await this.deliver(batch);
      for (const m of failed.messages) {
        if (m.receiveCount >= this.maxReceiveCount) {
          this.deadLetters.push({ body: m.body, error: failed.error });
          this.options.onDeadLetter?.(m.body, failed.error);
        } else {
          const timer = setTimeout(() => {
            this.timers.delete(timer);
            this.pending.push(m);
            this.kick();
          }, this.retryDelayMs);
          this.timers.add(timer);
        }
      }
    }
  }

  private async deliver(batch: Message[]): Promise<{ messages: Message[]; error: unknown }> {
    const event: SQSEvent = { Records: batch.map((m) => this.toRecord(m)) };
    try {
      const response = await this.options.consumer(event);
      const failedIds = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
      return {
        messages: batch.filter((m) => failedIds.has(m.id)),
        error: 'reported as a batch item failure',
      };
    } catch (error) {
      return { messages: batch, error };
    }
  }

  private toRecord(m: Message): SQSRecord {
    return {
      messageId: m.id,
      receiptHandle: m.id,
      body: m.body,
      attributes: {
        ApproximateReceiveCount: String(m.receiveCount),
        SentTimestamp: String(Date.now()),
        SenderId: 'local',
        ApproximateFirstReceiveTimestamp: String(Date.now()),
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:local:000000000000:${this.options.name}`,
      awsRegion: 'local',
    };
  }
}

/** What the local queues have in common (in memory for tests, or durable under the data folder). */
export interface LocalQueue {
  readonly deadLetters: { body: string; error: unknown }[];
  send(bodies: string[]): Promise<unknown>;
  drain(): Promise<void>;
  close(): void | Promise<void>;
}
