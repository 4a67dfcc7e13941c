/**
 * FAKES FOR FAST USE-CASE TESTS: the link key and the exporter's invocation, in memory. Tokens
 * are the real ones (shared/uploads/link-token.ts, and the planner's links come from the real
 * SignedUploadLinks), signed with a fixed key instead of one from Secrets Manager or the local
 * key file; the real key providers are tested in test/unit and test/integration, the Lambda
 * invoke in test/unit/export/lambda-invoke.test.ts.
 */
import type { ExportInvocation, ExportInvoker } from '#shared/export/ports.ts';
import type { KeyProvider } from '#shared/ports.ts';

/** A KeyProvider of fixed bytes (32, as the real ones derive). */
export function fixedKeys(key: Uint8Array = new Uint8Array(32).fill(42)): KeyProvider {
  return { linkKey: async () => key };
}

/**
 * The exporter's asynchronous invocation: `invoke` records the event and returns at once (as
 * Lambda's `Event` invoke does); `drain` runs the recorded ones through `run` (the exporter),
 * in order. A run that throws is kept in `failures` (Lambda would retry it, then dead-letter it).
 */
export class MemoryExportInvoker implements ExportInvoker {
  readonly invocations: ExportInvocation[] = [];
  readonly failures: { event: ExportInvocation; error: unknown }[] = [];
  private readonly pending: ExportInvocation[] = [];

  constructor(private readonly run: (event: ExportInvocation) => Promise<unknown>) {}

  async invoke(event: ExportInvocation): Promise<void> {
    this.invocations.push({ ...event });
    this.pending.push({ ...event });
  }

  async drain(): Promise<void> {
    for (const event of this.pending.splice(0)) {
      try {
        await this.run(event);
      } catch (error) {
        this.failures.push({ event, error });
      }
    }
  }
}
