import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Period } from '#shared/domain/period.ts';
import type { Plan, ReportingCalendar } from '#shared/domain/plan.ts';
import type { Unit } from '#shared/domain/unit.ts';
import type { PlanStore } from '#shared/ports.ts';
import { DynamoItemStore } from './item-store.ts';

/** Keys of the plans table, as documented in docs/data-model.md. */
export const planKeys = {
  plan: (planId: string) => ({ pk: 'PLANS', sk: `PLAN#${planId}` }),
  unit: (unitId: string) => ({ pk: 'UNITS', sk: `UNIT#${unitId}` }),
  period: (planId: string, year: number) => ({ pk: `PERIODS#${planId}`, sk: `YEAR#${year}` }),
};

const BATCH_SIZE = 25;
const MAX_BATCH_ATTEMPTS = 8;

/** PlanStore on DynamoDB. */
export class DynamoPlanStore extends DynamoItemStore implements PlanStore {
  async getPlan(planId: string): Promise<Plan | undefined> {
    return this.getItem<Plan>(planKeys.plan(planId));
  }

  async listPlans(): Promise<Plan[]> {
    return this.queryPrefix<Plan>('PLANS', 'PLAN#');
  }

  async putPlan(plan: Plan): Promise<void> {
    await this.putItem({ ...planKeys.plan(plan.id), type: 'plan', ...plan });
  }

  async updateCalendar(planId: string, calendar: ReportingCalendar, updatedAt: string): Promise<boolean> {
    return this.conditionalUpdate({
      Key: planKeys.plan(planId),
      UpdateExpression: 'SET calendar = :calendar, updatedAt = :at',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':calendar': calendar, ':at': updatedAt },
    });
  }

  async getUnit(unitId: string): Promise<Unit | undefined> {
    return this.getItem<Unit>(planKeys.unit(unitId));
  }

  async listUnits(): Promise<Unit[]> {
    return this.queryPrefix<Unit>('UNITS', 'UNIT#');
  }

  async putUnits(units: Unit[]): Promise<void> {
    for (let i = 0; i < units.length; i += BATCH_SIZE) {
      const requests = units
        .slice(i, i + BATCH_SIZE)
        .map((u) => ({ PutRequest: { Item: { ...planKeys.unit(u.id), type: 'unit', ...u } } }));
      await this.batchWrite(requests);
    }
  }

  async createUnit(unit: Unit): Promise<boolean> {
    return this.putIfAbsent({ ...planKeys.unit(unit.id), type: 'unit', ...unit });
  }

  async updateRecipients(planId: string, unitIds: string[] | null, updatedAt: string): Promise<boolean> {
    return this.conditionalUpdate({
      Key: planKeys.plan(planId),
      UpdateExpression: 'SET recipientUnitIds = :ids, updatedAt = :at',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':ids': unitIds, ':at': updatedAt },
    });
  }

  async getPeriod(planId: string, year: number): Promise<Period | undefined> {
    return this.getItem<Period>(planKeys.period(planId, year));
  }

  async listPeriods(planId: string): Promise<Period[]> {
    return this.queryPrefix<Period>(`PERIODS#${planId}`, 'YEAR#');
  }

  async createPeriod(period: Period): Promise<boolean> {
    return this.putIfAbsent({ ...planKeys.period(period.planId, period.year), type: 'period', ...period });
  }

  async markOpenedMailsQueued(planId: string, year: number, at: string): Promise<boolean> {
    return this.conditionalUpdate({
      Key: planKeys.period(planId, year),
      UpdateExpression: 'SET openedMailsQueuedAt = :at',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(openedMailsQueuedAt)',
      ExpressionAttributeValues: { ':at': at },
    });
  }

  async closePeriod(planId: string, year: number, at: string): Promise<boolean> {
    return this.conditionalUpdate({
      Key: planKeys.period(planId, year),
      UpdateExpression: 'SET #status = :closed, closedAt = :at',
      ConditionExpression: 'attribute_exists(pk) AND #status = :open',
      ExpressionAttributeValues: { ':closed': 'closed', ':open': 'open', ':at': at },
      ExpressionAttributeNames: { '#status': 'status' },
    });
  }

  async markExportRequested(planId: string, year: number, at: string): Promise<boolean> {
    return this.conditionalUpdate({
      Key: planKeys.period(planId, year),
      UpdateExpression: 'SET exportRequestedAt = :at',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(exportRequestedAt)',
      ExpressionAttributeValues: { ':at': at },
    });
  }

  /** BatchWriteItem with retries (and backoff) of the items DynamoDB left unprocessed. */
  private async batchWrite(requests: { PutRequest: { Item: Record<string, unknown> } }[]): Promise<void> {
    let pending: typeof requests = requests;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= MAX_BATCH_ATTEMPTS)
        throw new Error(`BatchWrite left ${pending.length} items unprocessed`);
      if (attempt > 0) await new Promise((r) => setTimeout(r, 2 ** attempt * 25));
      const out = await this.client.send(
        new BatchWriteCommand({ RequestItems: { [this.tableName]: pending } }),
      );
      pending = (out.UnprocessedItems?.[this.tableName] ?? []) as typeof requests;
    }
  }
}
