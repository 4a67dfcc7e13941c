import { createVerifySignaturesHandler } from '#functions/verify-signatures.ts';
import { committeeDirectory } from '#functions/wiring/committee-directory.ts';
import { createSignatureDeps } from '#functions/wiring/create-signature-deps.ts';
import type { Runtime } from '#functions/wiring/runtime.ts';
import type { SignatureCheckRequest, SignatureQueue } from '#shared/signatures/ports.ts';
import { InProcessQueue, type SqsHandler } from './queue.ts';

/**
 * The local signatures queue: the in-process stand-in for SQS feeding the same verifier handler
 * that runs in Lambda (functions/verify-signatures.ts), with partial batch failures, retries and
 * a dead-letter list. Checks are not kept across restarts: `baocao signatures recheck` redoes
 * a period's.
 */
export class LocalSignatureQueue implements SignatureQueue {
  readonly queue: InProcessQueue;

  constructor(runtime: () => Runtime, onDeadLetter: (body: string, error: unknown) => void) {
    const handler = createVerifySignaturesHandler(() =>
      committeeDirectory(runtime(), (r) => createSignatureDeps(r)),
    );
    this.queue = new InProcessQueue({
      name: 'baocao-signatures',
      consumer: (event) =>
        (handler as unknown as (e: unknown, c: unknown) => ReturnType<SqsHandler>)(event, {
          awsRequestId: 'local',
          functionName: 'verify-signatures',
          getRemainingTimeInMillis: () => 120_000,
        }),
      batchSize: 5,
      maxReceiveCount: 5,
      retryDelayMs: 500,
      onDeadLetter,
    });
  }

  async enqueue(requests: SignatureCheckRequest[]): Promise<void> {
    await this.queue.send(requests.map((r) => JSON.stringify(r)));
  }

  /** Resolves when every queued check is done or dead-lettered. */
  drain(): Promise<void> {
    return this.queue.drain();
  }

  close(): void {
    this.queue.close();
  }
}
