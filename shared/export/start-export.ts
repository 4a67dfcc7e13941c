import type { Deps } from '#shared/deps.ts';
import type { ExportInvoker, ExportStore } from '#shared/export/ports.ts';
import { requestExport } from '#shared/export/records.ts';
import type { ExportStarter } from '#shared/periods/ports.ts';

/**
 * The planner's export starter: the day after the deadline it registers an export and invokes
 * the exporter, then records the request on the period (`exportRequestedAt`), so later ticks
 * leave it alone. Invoking before recording prefers a rare second export (two ticks at once)
 * to an export never built (a crash between the two steps).
 */
export class StartExport implements ExportStarter {
  constructor(
    private readonly deps: Deps & { exports: ExportStore },
    private readonly invoker: ExportInvoker,
  ) {}

  async start(planId: string, year: number): Promise<void> {
    const record = await requestExport(this.deps, planId, year, 'planner');
    await this.invoker.invoke({ planId, year, exportId: record.exportId, requestedBy: 'planner' });
    await this.deps.plans.markExportRequested(planId, year, this.deps.clock.now().toISOString());
  }
}
