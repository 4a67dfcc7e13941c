/**
 * FAKE FOR FAST USE-CASE TESTS: the ScanResultStore of shared/adapters/dynamodb/scan-store.ts
 * over the in-memory tables. Same conditions: a result is kept only for a file of its version and
 * never replaces one made at the same time or later; the assignment's copy only for its latest
 * version. ./scan-store-contract.ts runs one suite on both.
 */
import { submissionKeys } from '#shared/adapters/dynamodb/submission-store.ts';
import type { Assignment } from '#shared/domain/period.ts';
import type { FileScanResult } from '#shared/domain/scan-result.ts';
import type { SubmissionVersion } from '#shared/domain/submission.ts';
import type { SaveScanOutcome, ScannedFile, ScanRef, ScanResultStore } from '#shared/scanning/ports.ts';
import { compare, type Item, type MemoryTable, valueAt, withoutKeys } from './table.ts';

const older = (item: Item | undefined, id: string, t: string) => {
  const at = valueAt(item, 'scans', id, 'scannedAt');
  return at === undefined || compare(at, '<', t);
};

export class MemoryScanStore implements ScanResultStore {
  constructor(private readonly table: MemoryTable) {}

  async findFile(ref: Omit<ScanRef, 'key' | 'versionId'>): Promise<ScannedFile | undefined> {
    const version = withoutKeys<SubmissionVersion>(
      this.table.get(submissionKeys.version(ref.planId, ref.year, ref.unitId, ref.version)),
    );
    const assignment = withoutKeys<Assignment>(
      this.table.get(submissionKeys.assignment(ref.planId, ref.year, ref.unitId)),
    );
    const file = version?.files?.[ref.uploadId];
    if (!file || !assignment) return undefined;
    return {
      fileName: file.fileName,
      key: file.key,
      ...(file.versionId ? { versionId: file.versionId } : {}),
      unitName: assignment.unitName,
      email: assignment.email,
      cc: assignment.cc ?? [],
    };
  }

  async saveScan(ref: ScanRef, result: FileScanResult): Promise<SaveScanOutcome> {
    const versionKey = submissionKeys.version(ref.planId, ref.year, ref.unitId, ref.version);
    if (valueAt(this.table.get(versionKey), 'files', ref.uploadId) === undefined) {
      return { version: 'no-file', assignment: 'skipped' };
    }
    const put = (item: Item) => {
      item.scans = { ...((item.scans as Record<string, unknown>) ?? {}), [ref.uploadId]: result };
    };
    const written = this.table.tryUpdate(
      versionKey,
      (item) => older(item, ref.uploadId, result.scannedAt),
      put,
    );
    const key = submissionKeys.assignment(ref.planId, ref.year, ref.unitId);
    const assignment = withoutKeys<Assignment>(this.table.get(key));
    let onAssignment: SaveScanOutcome['assignment'];
    if (!assignment) onAssignment = 'skipped';
    else if (assignment.latestVersion > ref.version) onAssignment = 'not-latest';
    else if (assignment.latestVersion < ref.version) onAssignment = 'not-promoted';
    else {
      onAssignment = this.table.tryUpdate(
        key,
        (item) => item?.latestVersion === ref.version && older(item, ref.uploadId, result.scannedAt),
        put,
      )
        ? 'written'
        : 'unchanged';
    }
    return { version: written ? 'written' : 'unchanged', assignment: onAssignment };
  }
}
