import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import {
  type CommitteeDirectory,
  committeeDirectory,
  depsForMessage,
} from '#functions/wiring/committee-directory.ts';
import { createScanDeps } from '#functions/wiring/create-scan-deps.ts';
import type { Runtime } from '#functions/wiring/runtime.ts';
import type { ScanQueue, ScanRequest } from '#shared/scanning/ports.ts';
import { ScanNotReadyError } from '#shared/scanning/record-scan.ts';
import { type ScanFileDeps, scanKeptFile } from '#shared/scanning/scan-file.ts';
import { InProcessQueue } from './queue.ts';

/**
 * The local malware scan queue (docs/malware-scanning.md): the recorder puts each kept file here,
 * and ClamAV (clamscan) scans it in this process — where AWS has GuardDuty Malware Protection for
 * S3 scanning the kept copies by itself. Failed items (a store that could not be written) are
 * retried and dead-lettered as SQS would. Scans are not kept across restarts: a file whose scan
 * was lost stays "Đang kiểm tra" (never downloadable) until the file is scanned again.
 */
export class LocalScanQueue implements ScanQueue {
  readonly queue: InProcessQueue;

  /** The scan deps of a request's committee (docs/tenancy.md: the request names it). */
  private readonly deps: (request: unknown) => Promise<ScanFileDeps>;

  constructor(runtime: () => Runtime, onDeadLetter: (body: string, error: unknown) => void) {
    let committees: CommitteeDirectory<ScanFileDeps> | undefined;
    this.deps = (request) => {
      committees ??= committeeDirectory(runtime(), (r) => createScanDeps(r));
      return depsForMessage(committees, request);
    };
    this.queue = new InProcessQueue({
      name: 'baocao-scans',
      consumer: async (event: SQSEvent): Promise<SQSBatchResponse> => {
        const failures: { itemIdentifier: string }[] = [];
        for (const record of event.Records) {
          try {
            // A file not yet on the assignment is retried (ScanNotReadyError) until it is.
            const request = JSON.parse(record.body) as ScanRequest;
            await scanKeptFile(await this.deps(request), request);
          } catch {
            failures.push({ itemIdentifier: record.messageId });
          }
        }
        return { batchItemFailures: failures };
      },
      // One clamscan process at a time (each loads its database): the machine stays usable.
      batchSize: 1,
      maxReceiveCount: 5,
      retryDelayMs: 500,
      onDeadLetter,
    });
  }

  async enqueue(requests: ScanRequest[]): Promise<void> {
    // Without a scanner the result is known at once: it is kept on the version before the
    // recorder shows the file on the assignment, so that no one sees the file "Đang kiểm tra"
    // for nothing. The queued pass below puts it on the assignment once the file is shown there.
    for (const request of requests) {
      const deps = await this.deps(request);
      if (!(await deps.scanner.available()).ok) {
        try {
          await scanKeptFile(deps, request);
        } catch (error) {
          if (!(error instanceof ScanNotReadyError)) throw error;
        }
      }
    }
    await this.queue.send(requests.map((r) => JSON.stringify(r)));
  }

  /** Resolves when every queued scan is done or dead-lettered. */
  drain(): Promise<void> {
    return this.queue.drain();
  }

  close(): void {
    this.queue.close();
  }
}
