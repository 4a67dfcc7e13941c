import type { Assignment } from '#shared/domain/period.ts';
import type { FileScanResult } from '#shared/domain/scan-result.ts';
import type { SubmissionVersion } from '#shared/domain/submission.ts';
import type { SaveScanOutcome, ScannedFile, ScanRef, ScanResultStore } from '#shared/scanning/ports.ts';
import { DynamoItemStore } from './item-store.ts';
import { submissionKeys } from './submission-store.ts';

/** Not replacing a result made at the same time or later: absent, or scanned strictly earlier. */
const OLDER = '(attribute_not_exists(#scans.#id) OR #scans.#id.#scannedAt < :t)';

/**
 * Malware scan results on DynamoDB (docs/malware-scanning.md, docs/data-model.md): in the version
 * item's map `scans` (by upload id) and, for the unit's latest version, the same in the
 * assignment's `scans`, which the period's pages and the downloads read with the assignment.
 * Each write is one conditional UpdateItem; the map is created empty first when missing
 * (DynamoDB cannot SET a path under a missing map). The same shape as the signature results.
 */
export class DynamoScanStore extends DynamoItemStore implements ScanResultStore {
  async findFile(ref: Omit<ScanRef, 'key' | 'versionId'>): Promise<ScannedFile | undefined> {
    const [version, assignment] = await Promise.all([
      this.getItem<SubmissionVersion>(submissionKeys.version(ref.planId, ref.year, ref.unitId, ref.version), {
        consistent: true,
      }),
      this.getItem<Assignment>(submissionKeys.assignment(ref.planId, ref.year, ref.unitId), {
        consistent: true,
      }),
    ]);
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
    const fileNames = { '#files': 'files', '#id': ref.uploadId };
    await this.ensureMap(versionKey, 'attribute_exists(#files.#id)', fileNames);
    const names = { '#scans': 'scans', '#id': ref.uploadId, '#scannedAt': 'scannedAt' };
    const written = await this.conditionalUpdate({
      Key: versionKey,
      UpdateExpression: 'SET #scans.#id = :r',
      ConditionExpression: `attribute_exists(#files.#id) AND ${OLDER}`,
      ExpressionAttributeNames: { ...names, '#files': 'files' },
      ExpressionAttributeValues: { ':r': result, ':t': result.scannedAt },
    });
    if (!written) {
      const item = await this.getItem<SubmissionVersion>(versionKey, { consistent: true });
      if (!item?.files?.[ref.uploadId]) return { version: 'no-file', assignment: 'skipped' };
    }
    return {
      version: written ? 'written' : 'unchanged',
      assignment: await this.saveOnAssignment(ref, result),
    };
  }

  private async saveOnAssignment(
    ref: ScanRef,
    result: FileScanResult,
  ): Promise<SaveScanOutcome['assignment']> {
    const key = submissionKeys.assignment(ref.planId, ref.year, ref.unitId);
    const assignment = await this.getItem<Assignment>(key, { consistent: true });
    if (!assignment) return 'skipped';
    if (assignment.latestVersion > ref.version) return 'not-latest';
    if (assignment.latestVersion < ref.version) return 'not-promoted';
    await this.ensureMap(key, 'latestVersion = :v', {}, { ':v': ref.version });
    const written = await this.conditionalUpdate({
      Key: key,
      UpdateExpression: 'SET #scans.#id = :r',
      ConditionExpression: `latestVersion = :v AND ${OLDER}`,
      ExpressionAttributeNames: { '#scans': 'scans', '#id': ref.uploadId, '#scannedAt': 'scannedAt' },
      ExpressionAttributeValues: { ':r': result, ':t': result.scannedAt, ':v': ref.version },
    });
    if (written) return 'written';
    // Refused: a result at least as new is there, or the assignment moved on meanwhile.
    const now = await this.getItem<Assignment>(key, { consistent: true });
    return now && now.latestVersion > ref.version ? 'not-latest' : 'unchanged';
  }

  /** `SET scans = {}` when it is missing and `condition` holds (a no-op otherwise). */
  private ensureMap(
    key: { pk: string; sk: string },
    condition: string,
    names: Record<string, string>,
    values: Record<string, unknown> = {},
  ): Promise<void> {
    return this.ensureMapAttribute(key, 'scans', condition, names, values);
  }
}
