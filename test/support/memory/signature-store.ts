/**
 * FAKES FOR FAST USE-CASE TESTS: the SignatureResultStore and TrustStore of
 * shared/adapters/dynamodb/signature-store.ts and trust-store.ts over the in-memory tables. Same
 * conditions: a result is kept only for a file of its version and never replaces a newer one;
 * the assignment's copy only for its latest version, other files' entries dropped; the trust
 * counter is bumped before each change. ./store-contracts.ts runs one suite on both.
 */
import { submissionKeys } from '#shared/adapters/dynamodb/submission-store.ts';
import type { Assignment } from '#shared/domain/period.ts';
import type { FileSignatureResult } from '#shared/domain/signature-result.ts';
import type {
  LatestFile,
  SignatureCheckRequest,
  SignatureResultStore,
  TrustAnchor,
  TrustSnapshot,
  TrustStore,
} from '#shared/signatures/ports.ts';
import { compare, type Item, type MemoryTable, valueAt, withoutKeys } from './table.ts';

const notNewer = (item: Item | undefined, id: string, t: string) => {
  const at = valueAt(item, 'signatures', id, 'checkedAt');
  return at === undefined || compare(at, '<=', t);
};

export class MemorySignatureStore implements SignatureResultStore {
  constructor(private readonly table: MemoryTable) {}

  async saveResult(ref: SignatureCheckRequest, result: FileSignatureResult): Promise<boolean> {
    const versionKey = submissionKeys.version(ref.planId, ref.year, ref.unitId, ref.version);
    const version = this.table.get(versionKey);
    if (valueAt(version, 'files', ref.uploadId) === undefined) return false;
    this.table.tryUpdate(
      versionKey,
      (item) => notNewer(item, ref.uploadId, result.checkedAt),
      (item) => {
        item.signatures = { ...((item.signatures as Record<string, unknown>) ?? {}), [ref.uploadId]: result };
      },
    );
    const key = submissionKeys.assignment(ref.planId, ref.year, ref.unitId);
    const assignment = withoutKeys<Assignment>(this.table.get(key));
    if (!assignment || assignment.latestVersion !== ref.version) return true;
    const current = new Set((assignment.files ?? []).map((f) => f.uploadId));
    this.table.tryUpdate(
      key,
      (item) => item?.latestVersion === ref.version && notNewer(item, ref.uploadId, result.checkedAt),
      (item) => {
        const kept = Object.entries((item.signatures as Record<string, unknown>) ?? {}).filter(
          ([id]) => current.has(id) || id === ref.uploadId,
        );
        item.signatures = { ...Object.fromEntries(kept), [ref.uploadId]: result };
      },
    );
    return true;
  }

  async latestFiles(planId: string, year: number): Promise<LatestFile[]> {
    return this.table
      .queryAll(submissionKeys.periodPk(planId, year), 'UNIT#')
      .map((item) => withoutKeys<Assignment>(item)!)
      .flatMap((a) =>
        (a.files ?? []).map((f) => ({
          planId,
          year,
          unitId: a.unitId,
          version: a.latestVersion,
          uploadId: f.uploadId,
          key: f.key,
          ...(f.versionId ? { versionId: f.versionId } : {}),
          size: f.size,
          contentType: f.contentType,
          fileName: f.fileName,
        })),
      );
  }
}

export class MemoryTrustStore implements TrustStore {
  constructor(private readonly table: MemoryTable) {}

  async snapshot(): Promise<TrustSnapshot> {
    const items = this.table.queryAll('TRUST', '');
    const counter = items.find((i) => i.sk === 'VERSION');
    return {
      version: String(counter?.version ?? 0),
      anchors: items
        .filter((i) => String(i.sk).startsWith('ANCHOR#'))
        .map((i) => withoutKeys<TrustAnchor>(i)!),
    };
  }

  async add(anchors: TrustAnchor[]): Promise<{ added: TrustAnchor[]; version: string }> {
    const version = this.bump();
    const added: TrustAnchor[] = [];
    for (const anchor of anchors) {
      const key = { pk: 'TRUST', sk: `ANCHOR#${anchor.id}` };
      if (this.table.get(key)) continue;
      this.table.put({ ...key, type: 'trust-anchor', ...anchor });
      added.push(anchor);
    }
    return { added, version };
  }

  async remove(id: string): Promise<boolean> {
    this.bump();
    const key = { pk: 'TRUST', sk: `ANCHOR#${id}` };
    if (!this.table.get(key)) return false;
    this.table.delete(key);
    return true;
  }

  private bump(): string {
    const item = this.table.update(
      { pk: 'TRUST', sk: 'VERSION' },
      () => true,
      (i) => {
        i.version = Number(i.version ?? 0) + 1;
      },
    );
    return String(item.version);
  }
}
