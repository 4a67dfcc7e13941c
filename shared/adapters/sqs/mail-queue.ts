import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { MailMessage } from '#shared/domain/mail-message.ts';
import type { MailQueue } from '#shared/ports.ts';

const MAX_ATTEMPTS = 5;

/** The mail queue on SQS: SendMessageBatch in chunks of ten, retrying the entries SQS refused. */
export class SqsMailQueue implements MailQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(messages: MailMessage[]): Promise<void> {
    for (let i = 0; i < messages.length; i += 10) {
      let pending = messages
        .slice(i, i + 10)
        .map((m, j) => ({ Id: String(j), MessageBody: JSON.stringify(m) }));
      for (let attempt = 1; pending.length > 0; attempt++) {
        if (attempt > MAX_ATTEMPTS)
          throw new Error(`SQS refused ${pending.length} mail messages ${MAX_ATTEMPTS} times`);
        if (attempt > 1) await new Promise((r) => setTimeout(r, 2 ** attempt * 50));
        const out = await this.client.send(
          new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: pending }),
        );
        const failed = new Set((out.Failed ?? []).map((f) => f.Id));
        pending = pending.filter((e) => failed.has(e.Id));
      }
    }
  }
}
