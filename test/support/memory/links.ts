/**
 * FAKES FOR FAST USE-CASE TESTS: the link key, the planner's upload links and the exporter's
 * invocation, in memory. Tokens are the real ones (shared/links/link-token.ts), signed with a
 * fixed key; the real key providers and SignedUploadLinks are tested in test/unit/links and
 * test/integration, the Lambda invoke in test/unit/export/lambda-invoke.test.ts.
 */
import type { ExportInvocation, ExportInvoker } from '#shared/adapters/export-invoker.ts';
import type { Assignment, Period } from '#shared/domain/period.ts';
import type { KeyProvider } from '#shared/links/keys.ts';
import { issueLinkToken, linkExpiresAt } from '#shared/links/link-token.ts';
import type { UploadLinks } from '#shared/planner/ports.ts';

/** A KeyProvider of fixed bytes (32, as the real ones derive). */
export function fixedKeys(key: Uint8Array = new Uint8Array(32).fill(42)): KeyProvider {
  return { linkKey: async () => key };
}

/**
 * The planner's links as shared/adapters/signed-upload-links.ts builds them (the unit's current
 * link version, expiring at the end of the period's close date), with an injected key instead of
 * one read from the configuration.
 */
export class MemoryUploadLinks implements UploadLinks {
  constructor(
    private readonly keys: KeyProvider,
    private readonly appUrl: string,
  ) {}

  async urlFor(assignment: Assignment, period: Period): Promise<string> {
    const token = issueLinkToken(await this.keys.linkKey(), {
      planId: period.planId,
      year: period.year,
      unitId: assignment.unitId,
      linkVersion: assignment.linkVersion,
      expiresAt: linkExpiresAt(period.closeDate, period.timeZone),
    });
    return `${this.appUrl.replace(/\/+$/, '')}/u/${token}`;
  }
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
