import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Period } from '#shared/domain/period.ts';
import type { Plan, ReportingCalendar } from '#shared/domain/plan.ts';
import type { Unit } from '#shared/domain/unit.ts';
import type { PlanStore } from '#shared/ports.ts';
import { isConditionalCheckFailed, queryAll, withoutKeys } from './query-all.ts';

/** Keys of the plans table, as documented in docs/data-model.md. */
export const planKeys = {
  plan: (planId: string) => ({ pk: 'PLANS', sk: `PLAN#${planId}` }),
  unit: (unitId: string) => ({ pk: 'UNITS', sk: `UNIT#${unitId}` }),
  period: (planId: string, year: number) => ({ pk: `PERIODS#${planId}`, sk: `YEAR#${year}` }),
};

const BATCH_SIZE = 25;
const MAX_BATCH_ATTEMPTS = 8;

function strip<T>(item: Record<string, unknown> | undefined): T | undefined {
  if (!item) return undefined;
  const rest = withoutKeys(item);
  return rest as T;
}

/** PlanStore on DynamoDB. */
export class DynamoPlanStore implements PlanStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getPlan(planId: string): Promise<Plan | undefined> {
    return this.get<Plan>(planKeys.plan(planId));
  }

  async listPlans(): Promise<Plan[]> {
    return this.queryPartition<Plan>('PLANS', 'PLAN#');
  }

  async putPlan(plan: Plan): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...planKeys.plan(plan.id), type: 'plan', ...plan },
      }),
    );
  }

  async updateCalendar(planId: string, calendar: ReportingCalendar, updatedAt: string): Promise<boolean> {
    return this.conditionalUpdate(
      planKeys.plan(planId),
      'SET calendar = :calendar, updatedAt = :at',
      'attribute_exists(pk)',
      { ':calendar': calendar, ':at': updatedAt },
    );
  }

  async getUnit(unitId: string): Promise<Unit | undefined> {
    return this.get<Unit>(planKeys.unit(unitId));
  }

  async listUnits(): Promise<Unit[]> {
    return this.queryPartition<Unit>('UNITS', 'UNIT#');
  }

  async putUnits(units: Unit[]): Promise<void> {
    for (let i = 0; i < units.length; i += BATCH_SIZE) {
      const requests = units
        .slice(i, i + BATCH_SIZE)
        .map((u) => ({ PutRequest: { Item: { ...planKeys.unit(u.id), type: 'unit', ...u } } }));
      await this.batchWrite(requests);
    }
  }

  async getPeriod(planId: string, year: number): Promise<Period | undefined> {
    return this.get<Period>(planKeys.period(planId, year));
  }

  async listPeriods(planId: string): Promise<Period[]> {
    return this.queryPartition<Period>(`PERIODS#${planId}`, 'YEAR#');
  }

  async createPeriod(period: Period): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...planKeys.period(period.planId, period.year), type: 'period', ...period },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async markOpenedMailsQueued(planId: string, year: number, at: string): Promise<boolean> {
    return this.conditionalUpdate(
      planKeys.period(planId, year),
      'SET openedMailsQueuedAt = :at',
      'attribute_exists(pk) AND attribute_not_exists(openedMailsQueuedAt)',
      { ':at': at },
    );
  }

  async closePeriod(planId: string, year: number, at: string): Promise<boolean> {
    return this.conditionalUpdate(
      planKeys.period(planId, year),
      'SET #status = :closed, closedAt = :at',
      'attribute_exists(pk) AND #status = :open',
      { ':closed': 'closed', ':open': 'open', ':at': at },
      { '#status': 'status' },
    );
  }

  async markExportRequested(planId: string, year: number, at: string): Promise<boolean> {
    return this.conditionalUpdate(
      planKeys.period(planId, year),
      'SET exportRequestedAt = :at',
      'attribute_exists(pk) AND attribute_not_exists(exportRequestedAt)',
      { ':at': at },
    );
  }

  /** One UpdateItem with a condition; false when the condition did not hold. */
  private async conditionalUpdate(
    key: { pk: string; sk: string },
    update: string,
    condition: string,
    values: Record<string, unknown>,
    names?: Record<string, string>,
  ): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: update,
          ConditionExpression: condition,
          ExpressionAttributeValues: values,
          ...(names ? { ExpressionAttributeNames: names } : {}),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  private async get<T>(key: { pk: string; sk: string }): Promise<T | undefined> {
    const out = await this.client.send(new GetCommand({ TableName: this.tableName, Key: key }));
    return strip<T>(out.Item);
  }

  private async queryPartition<T>(pk: string, skPrefix: string): Promise<T[]> {
    const items = await queryAll<Record<string, unknown>>(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': skPrefix },
    });
    return items.map((i) => strip<T>(i)!);
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
