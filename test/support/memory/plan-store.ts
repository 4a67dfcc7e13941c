/**
 * FAKE FOR FAST USE-CASE TESTS: the PlanStore of shared/adapters/dynamodb/plan-store.ts over an
 * in-memory table (./table.ts), same keys, same conditions, same answers. The real adapter is
 * tested against dynalite in test/integration; ./store-contracts.ts runs one suite on both.
 */
import { planKeys } from '#shared/adapters/dynamodb/plan-store.ts';
import type { Period } from '#shared/domain/period.ts';
import type { Plan, ReportingCalendar } from '#shared/domain/plan.ts';
import type { Unit } from '#shared/domain/unit.ts';
import type { PlanStore } from '#shared/ports.ts';
import { attributeExists, compare, type MemoryTable, validationException, withoutKeys } from './table.ts';

export class MemoryPlanStore implements PlanStore {
  constructor(private readonly table: MemoryTable) {}

  async getPlan(planId: string): Promise<Plan | undefined> {
    return withoutKeys<Plan>(this.table.get(planKeys.plan(planId)));
  }

  async listPlans(): Promise<Plan[]> {
    return this.table.queryAll('PLANS', 'PLAN#').map((i) => withoutKeys<Plan>(i)!);
  }

  async putPlan(plan: Plan): Promise<void> {
    this.table.put({ ...planKeys.plan(plan.id), type: 'plan', ...plan });
  }

  async updateCalendar(planId: string, calendar: ReportingCalendar, updatedAt: string): Promise<boolean> {
    return this.table.tryUpdate(
      planKeys.plan(planId),
      (item) => item !== undefined,
      (item) => {
        item.calendar = calendar;
        item.updatedAt = updatedAt;
      },
    );
  }

  async getUnit(unitId: string): Promise<Unit | undefined> {
    return withoutKeys<Unit>(this.table.get(planKeys.unit(unitId)));
  }

  async listUnits(): Promise<Unit[]> {
    return this.table.queryAll('UNITS', 'UNIT#').map((i) => withoutKeys<Unit>(i)!);
  }

  /** BatchWriteItem by 25: like DynamoDB, a batch naming one key twice is refused whole. */
  async putUnits(units: Unit[]): Promise<void> {
    for (let i = 0; i < units.length; i += 25) {
      const batch = units.slice(i, i + 25);
      if (new Set(batch.map((u) => u.id)).size < batch.length) {
        throw validationException('Provided list of item keys contains duplicates');
      }
      for (const unit of batch) this.table.put({ ...planKeys.unit(unit.id), type: 'unit', ...unit });
    }
  }

  async createUnit(unit: Unit): Promise<boolean> {
    try {
      this.table.put(
        { ...planKeys.unit(unit.id), type: 'unit', ...unit },
        (current) => current === undefined,
      );
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  async updateRecipients(planId: string, unitIds: string[] | null, updatedAt: string): Promise<boolean> {
    return this.table.tryUpdate(
      planKeys.plan(planId),
      (item) => item !== undefined,
      (item) => {
        item.recipientUnitIds = unitIds;
        item.updatedAt = updatedAt;
      },
    );
  }

  async getPeriod(planId: string, year: number): Promise<Period | undefined> {
    return withoutKeys<Period>(this.table.get(planKeys.period(planId, year)));
  }

  async listPeriods(planId: string): Promise<Period[]> {
    return this.table.queryAll(`PERIODS#${planId}`, 'YEAR#').map((i) => withoutKeys<Period>(i)!);
  }

  async createPeriod(period: Period): Promise<boolean> {
    try {
      this.table.put(
        { ...planKeys.period(period.planId, period.year), type: 'period', ...period },
        (current) => current === undefined,
      );
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  async markOpenedMailsQueued(planId: string, year: number, at: string): Promise<boolean> {
    return this.setOnce(planId, year, 'openedMailsQueuedAt', at);
  }

  async closePeriod(planId: string, year: number, at: string): Promise<boolean> {
    return this.table.tryUpdate(
      planKeys.period(planId, year),
      (item) => item !== undefined && compare(item.status, '=', 'open'),
      (item) => {
        item.status = 'closed';
        item.closedAt = at;
      },
    );
  }

  async markExportRequested(planId: string, year: number, at: string): Promise<boolean> {
    return this.setOnce(planId, year, 'exportRequestedAt', at);
  }

  /** `SET name = :at` on an existing period, `attribute_not_exists(name)`. */
  private setOnce(planId: string, year: number, name: string, at: string): boolean {
    return this.table.tryUpdate(
      planKeys.period(planId, year),
      (item) => item !== undefined && !attributeExists(item, name),
      (item) => {
        item[name] = at;
      },
    );
  }
}
