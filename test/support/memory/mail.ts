/**
 * FAKES FOR FAST USE-CASE TESTS: the mail side in memory. {@link CapturingMailSender} stands in
 * for SES (shared/adapters/ses/), {@link MemoryMailQueue} for SQS (shared/adapters/sqs/) and the
 * mailer Lambda in front of the real `deliverMail` use case. The real adapters are tested against
 * aws-ses-v2-local and the local queue in test/integration (mailer.test.ts, planner tests).
 */

import { type MailMessage, parseMailMessage } from '#shared/domain/mail-message.ts';
import { type DeliveryOutcome, deliverMail, type MailDeps } from '#shared/mail/deliver-mail.ts';
import type { MailSender, OutgoingMail } from '#shared/mail/ports.ts';
import type { Clock, MailQueue } from '#shared/ports.ts';

/** One e-mail handed to the sender. */
export interface SentMail {
  mail: OutgoingMail;
  messageId: string;
  at: Date;
}

/**
 * A MailSender that keeps what it is given. `refuse(address)` makes it throw SES's error for any
 * mail to that address (e.g. `MessageRejected`, which the mailer records as a permanent refusal),
 * as SES does in its sandbox for an unverified recipient.
 */
export class CapturingMailSender implements MailSender {
  readonly sent: SentMail[] = [];
  private readonly refusals = new Map<string, { name: string; message: string }>();

  constructor(private readonly clock: Clock) {}

  refuse(
    address: string,
    name = 'MessageRejected',
    message = `Email address is not verified: ${address}`,
  ): void {
    this.refusals.set(address.toLowerCase(), { name, message });
  }

  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    for (const address of [...mail.to, ...mail.cc]) {
      const refusal = this.refusals.get(address.toLowerCase());
      if (refusal) {
        const error = new Error(refusal.message);
        error.name = refusal.name;
        throw error;
      }
    }
    const messageId = `memory-${String(this.sent.length + 1).padStart(6, '0')}`;
    this.sent.push({ mail: structuredClone(mail), messageId, at: this.clock.now() });
    return { messageId };
  }

  /** Returns and forgets what was sent so far. */
  take(): SentMail[] {
    return this.sent.splice(0);
  }
}

/** One delivery attempt of a queued message by the mailer. */
export interface MailDelivery {
  message: MailMessage;
  /** The queue message id: the mailer's claim owner, stable across redeliveries. */
  messageId: string;
  outcome: DeliveryOutcome;
  at: Date;
}

interface Queued {
  messageId: string;
  body: string;
  receiveCount: number;
}

/** SQS's largest batch (SendMessageBatch, all entries together). */
const MAX_BATCH_BYTES = 256 * 1024;
/** The mail queue's redrive policy (infra: maxReceiveCount 5). */
const MAX_RECEIVE_COUNT = 5;

/**
 * The mail queue and its consumer in memory. `enqueue` does what SqsMailQueue does (JSON bodies,
 * batches of ten, a batch over 256 KB refused), and each message is then handed, as the mailer
 * handler does, to `parseMailMessage` and the real {@link deliverMail} with its queue message id
 * as the claim owner: at once (`delivery: 'sync'`) or when the test calls {@link drain}
 * (`'manual'`). A delivery that throws leaves the message in the queue (SQS makes it visible
 * again), retried by the next drain and dead-lettered after five receives; without mail deps the
 * queue only records. Nothing here loses or duplicates a message by itself.
 */
export class MemoryMailQueue implements MailQueue {
  /** Every message accepted, in order, as the consumer parses it. */
  readonly enqueued: MailMessage[] = [];
  readonly deliveries: MailDelivery[] = [];
  readonly deadLetters: { body: string; error: unknown }[] = [];
  private readonly pending: Queued[] = [];
  private count = 0;
  private draining: Promise<void> | undefined;

  constructor(
    private readonly mailer: MailDeps | undefined,
    private readonly options: { delivery: 'sync' | 'manual' } = { delivery: 'sync' },
  ) {}

  async enqueue(messages: MailMessage[]): Promise<void> {
    for (let i = 0; i < messages.length; i += 10) {
      const bodies = messages.slice(i, i + 10).map((m) => JSON.stringify(m));
      if (bodies.reduce((sum, b) => sum + Buffer.byteLength(b), 0) > MAX_BATCH_BYTES) {
        const error = new Error('Batch requests cannot be longer than 262144 bytes');
        error.name = 'BatchRequestTooLong';
        throw error;
      }
      for (const body of bodies) {
        this.enqueued.push(parseMailMessage(JSON.parse(body)));
        this.pending.push({ messageId: `msg-${++this.count}`, body, receiveCount: 0 });
      }
    }
    if (this.options.delivery === 'sync') await this.drain();
  }

  /** Delivers every queued message (once each per call; failures stay for the next call). */
  async drain(): Promise<void> {
    if (!this.mailer) return;
    // One consumer at a time, as one poller would (a sync enqueue inside a delivery waits its turn).
    while (this.draining) await this.draining;
    this.draining = this.deliverPending(this.mailer);
    try {
      await this.draining;
    } finally {
      this.draining = undefined;
    }
  }

  /** Messages still waiting for a successful delivery. */
  get size(): number {
    return this.pending.length;
  }

  /** Returns and forgets the deliveries made so far. */
  takeDeliveries(): MailDelivery[] {
    return this.deliveries.splice(0);
  }

  private async deliverPending(mailer: MailDeps): Promise<void> {
    for (const queued of this.pending.splice(0)) {
      queued.receiveCount++;
      try {
        const message = parseMailMessage(JSON.parse(queued.body));
        const outcome = await deliverMail(mailer, message, queued.messageId);
        this.deliveries.push({ message, messageId: queued.messageId, outcome, at: mailer.clock.now() });
      } catch (error) {
        if (queued.receiveCount >= MAX_RECEIVE_COUNT) this.deadLetters.push({ body: queued.body, error });
        else this.pending.push(queued);
      }
    }
  }
}
