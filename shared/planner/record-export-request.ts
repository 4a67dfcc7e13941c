import type { Clock, PlanStore } from '#shared/ports.ts';
import type { ExportStarter } from './ports.ts';

/**
 * The export starter until the exporter is connected: records the request on the period
 * (`exportRequestedAt`, a conditional write, so concurrent ticks record it once). It is real
 * state, visible in `baocao status --json`; the exporter picks the request up from there.
 */
export class RecordExportRequest implements ExportStarter {
  constructor(
    private readonly plans: PlanStore,
    private readonly clock: Clock,
  ) {}

  async start(planId: string, year: number): Promise<void> {
    await this.plans.markExportRequested(planId, year, this.clock.now().toISOString());
  }
}
