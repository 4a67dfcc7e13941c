import type { ExportRecord, ExportStore } from '#shared/export/ports.ts';
import { DynamoItemStore, setFields } from './item-store.ts';
import { submissionKeys } from './submission-store.ts';

/** `EXPORT#<exportId>` in the period partition (docs/data-model.md, docs/exports.md). */
export const exportKeys = {
  prefix: 'EXPORT#',
  item: (planId: string, year: number, exportId: string) => ({
    pk: submissionKeys.periodPk(planId, year),
    sk: `EXPORT#${exportId}`,
  }),
};

/** Export records on DynamoDB: every state change is one conditional write. */
export class DynamoExportStore extends DynamoItemStore implements ExportStore {
  async create(record: ExportRecord): Promise<boolean> {
    return this.putIfAbsent({
      ...exportKeys.item(record.planId, record.year, record.exportId),
      type: 'export',
      ...record,
    });
  }

  async get(planId: string, year: number, exportId: string): Promise<ExportRecord | undefined> {
    return this.getItem<ExportRecord>(exportKeys.item(planId, year, exportId), { consistent: true });
  }

  async list(planId: string, year: number): Promise<ExportRecord[]> {
    return this.queryPrefix<ExportRecord>(submissionKeys.periodPk(planId, year), exportKeys.prefix);
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
    const fields = setFields(values);
    return this.conditionalUpdate({
      Key: exportKeys.item(planId, year, exportId),
      UpdateExpression: `SET ${fields.assignments.join(', ')}`,
      ConditionExpression: 'attribute_exists(pk) AND #state = :from',
      ExpressionAttributeNames: { '#state': 'state', ...fields.names },
      ExpressionAttributeValues: { ':from': from, ...fields.values },
    });
  }
}
