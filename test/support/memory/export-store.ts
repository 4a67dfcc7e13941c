/**
 * FAKES FOR FAST USE-CASE TESTS: the ExportStore of shared/adapters/dynamodb/export-store.ts
 * (`EXPORT#<id>` items, every state change conditional on the state it leaves) and the
 * VersionReader of shared/adapters/dynamodb/version-reader.ts, over the in-memory submissions
 * table (./table.ts). The real adapters are tested against dynalite in test/integration;
 * ./store-contracts.ts runs one suite on both.
 */
import { exportKeys } from '#shared/adapters/dynamodb/export-store.ts';
import { submissionKeys } from '#shared/adapters/dynamodb/submission-store.ts';
import type { SubmissionVersion } from '#shared/domain/submission.ts';
import type { ExportRecord, ExportStore, VersionReader, VersionRef } from '#shared/export/ports.ts';
import { compare, type MemoryTable, withoutKeys } from './table.ts';

export class MemoryExportStore implements ExportStore {
  constructor(private readonly table: MemoryTable) {}

  async create(record: ExportRecord): Promise<boolean> {
    try {
      this.table.put(
        { ...exportKeys.item(record.planId, record.year, record.exportId), type: 'export', ...record },
        (current) => current === undefined,
      );
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  async get(planId: string, year: number, exportId: string): Promise<ExportRecord | undefined> {
    return withoutKeys<ExportRecord>(this.table.get(exportKeys.item(planId, year, exportId)));
  }

  async list(planId: string, year: number): Promise<ExportRecord[]> {
    return this.table
      .queryAll(submissionKeys.periodPk(planId, year), exportKeys.prefix)
      .map((i) => withoutKeys<ExportRecord>(i)!);
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
  private transition(
    planId: string,
    year: number,
    exportId: string,
    from: ExportRecord['state'],
    values: Record<string, unknown>,
  ): boolean {
    return this.table.tryUpdate(
      exportKeys.item(planId, year, exportId),
      (item) => item !== undefined && compare(item.state, '=', from),
      (item) => void Object.assign(item, values),
    );
  }
}

export class MemoryVersionReader implements VersionReader {
  constructor(private readonly table: MemoryTable) {}

  async getVersion(
    planId: string,
    year: number,
    unitId: string,
    version: number,
  ): Promise<SubmissionVersion | undefined> {
    return withoutKeys<SubmissionVersion>(
      this.table.get(submissionKeys.version(planId, year, unitId, version)),
    );
  }

  async getVersions(planId: string, year: number, refs: readonly VersionRef[]): Promise<SubmissionVersion[]> {
    const found = new Map<string, SubmissionVersion>();
    for (const { unitId, version } of refs) {
      const item = await this.getVersion(planId, year, unitId, version);
      if (item) found.set(`${unitId}#${version}`, item);
    }
    return [...found.values()];
  }
}
