import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ExportRecord, ExportStore } from '#shared/export/ports.ts';
import { isConditionalCheckFailed, queryAll, withoutKeys } from './query-all.ts';
import { submissionKeys } from './submission-store.ts';

/** `EXPORT#<exportId>` in the period partition (docs/data-model.md, docs/exports.md). */
export const exportKeys = {
  prefix: 'EXPORT#',
  item: (planId: string, year: number, exportId: string) => ({
    pk: submissionKeys.periodPk(planId, year),
    sk: `EXPORT#${exportId}`,
  }),
};

function toRecord(item: Record<string, unknown>): ExportRecord {
  const rest = withoutKeys(item);
  return rest as unknown as ExportRecord;
}

/** Export records on DynamoDB: every state change is one conditional write. */
export class DynamoExportStore implements ExportStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(record: ExportRecord): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...exportKeys.item(record.planId, record.year, record.exportId),
            type: 'export',
            ...record,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async get(planId: string, year: number, exportId: string): Promise<ExportRecord | undefined> {
    const out = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: exportKeys.item(planId, year, exportId),
        ConsistentRead: true,
      }),
    );
    return out.Item ? toRecord(out.Item) : undefined;
  }

  async list(planId: string, year: number): Promise<ExportRecord[]> {
    const items = await queryAll<Record<string, unknown>>(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: {
        ':pk': submissionKeys.periodPk(planId, year),
        ':prefix': exportKeys.prefix,
      },
    });
    return items.map(toRecord);
  }

  async restart(planId: string, year: number, exportId: string, now: string): Promise<boolean> {
    return this.transition(planId, year, exportId, 'failed', {
      state: 'building',
      createdAt: now,
      finishedAt: null,
      error: null,
    });
  }

  async markReady(
    planId: string,
    year: number,
    exportId: string,
    result: { finishedAt: string; size: number; units: number; files: number },
  ): Promise<boolean> {
    return this.transition(planId, year, exportId, 'building', { state: 'ready', error: null, ...result });
  }

  async markFailed(
    planId: string,
    year: number,
    exportId: string,
    finishedAt: string,
    error: string,
  ): Promise<boolean> {
    return this.transition(planId, year, exportId, 'building', { state: 'failed', finishedAt, error });
  }

  /** Sets `values` only while the record is in state `from`. */
  private async transition(
    planId: string,
    year: number,
    exportId: string,
    from: ExportRecord['state'],
    values: Record<string, unknown>,
  ): Promise<boolean> {
    const names: Record<string, string> = { '#state': 'state' };
    const attributeValues: Record<string, unknown> = { ':from': from };
    const sets: string[] = [];
    for (const [k, v] of Object.entries(values)) {
      names[`#${k}`] = k;
      attributeValues[`:${k}`] = v;
      sets.push(`#${k} = :${k}`);
    }
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: exportKeys.item(planId, year, exportId),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: 'attribute_exists(pk) AND #state = :from',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: attributeValues,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }
}
