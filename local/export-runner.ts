import type { ExportInvocation, ExportInvoker } from '#shared/export/ports.ts';

type Invoke = (event: unknown, context: unknown) => Promise<unknown>;

/**
 * The local stand-in for the exporter's asynchronous Lambda invocation: runs the same handler
 * in this process without making the caller wait. `drain()` waits for the running exports.
 */
export class LocalExportRunner implements ExportInvoker {
  private readonly running = new Set<Promise<void>>();

  constructor(
    /** The exporter handler of this runtime (functions/exporter.ts `createExporterHandler`). */
    private readonly exporterHandler: unknown,
    private readonly onError: (error: unknown) => void,
  ) {}

  async invoke(event: ExportInvocation): Promise<void> {
    const run = (this.exporterHandler as Invoke)(event, {
      awsRequestId: `local-${event.exportId}`,
      functionName: 'exporter',
      getRemainingTimeInMillis: () => 15 * 60_000,
    })
      .then(() => undefined)
      .catch(this.onError)
      .finally(() => this.running.delete(run));
    this.running.add(run);
  }

  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}
