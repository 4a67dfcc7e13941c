import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import type { SubmissionVersion } from '#shared/domain/submission.ts';
import type { VersionReader, VersionRef } from '#shared/export/ports.ts';
import { DynamoItemStore, fromItem } from './item-store.ts';
import { submissionKeys } from './submission-store.ts';

/** BatchGetItem takes at most 100 keys a request. */
const BATCH_KEYS = 100;
/** Batches in flight at once. */
const BATCH_CONCURRENCY = 4;
/** BatchGetItem may leave keys unprocessed under load: ask again for those, a few times. */
const MAX_BATCH_GET_ATTEMPTS = 5;

/**
 * Reads submission versions: one by key (GetItem), or many at once (BatchGetItem, 100 keys a
 * request: the export reads every unit's latest one, and one GetItem per unit was a tenth of its
 * time on the emulator; docs/BENCHMARKS.md, `export`).
 */
export class DynamoVersionReader extends DynamoItemStore implements VersionReader {
  async getVersion(
    planId: string,
    year: number,
    unitId: string,
    version: number,
  ): Promise<SubmissionVersion | undefined> {
    return this.getItem<SubmissionVersion>(submissionKeys.version(planId, year, unitId, version));
  }

  async getVersions(planId: string, year: number, refs: readonly VersionRef[]): Promise<SubmissionVersion[]> {
    // A request naming a key twice is refused.
    const unique = [...new Map(refs.map((r) => [`${r.unitId}#${r.version}`, r])).values()];
    const batches: VersionRef[][] = [];
    for (let i = 0; i < unique.length; i += BATCH_KEYS) batches.push(unique.slice(i, i + BATCH_KEYS));
    const found: SubmissionVersion[] = [];
    let next = 0;
    const worker = async () => {
      while (next < batches.length) {
        const batch = batches[next++]!;
        const keys = batch.map((r) => submissionKeys.version(planId, year, r.unitId, r.version));
        found.push(...(await this.batchGet(keys)));
      }
    };
    await Promise.all(Array.from({ length: Math.min(BATCH_CONCURRENCY, batches.length) }, worker));
    return found;
  }

  private async batchGet(keys: Record<string, unknown>[]): Promise<SubmissionVersion[]> {
    const found: SubmissionVersion[] = [];
    let pending = keys;
    for (let attempt = 1; pending.length > 0; attempt++) {
      const out = await this.client.send(
        new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending } } }),
      );
      for (const item of out.Responses?.[this.tableName] ?? [])
        found.push(fromItem<SubmissionVersion>(item)!);
      pending = (out.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Record<string, unknown>[];
      if (pending.length === 0) break;
      if (attempt >= MAX_BATCH_GET_ATTEMPTS) throw new Error('BatchGetItem left keys unprocessed');
      await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
    }
    return found;
  }
}
