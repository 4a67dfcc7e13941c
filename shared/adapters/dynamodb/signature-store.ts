import type { Assignment } from '#shared/domain/period.ts';
import type { FileSignatureResult } from '#shared/domain/signature-result.ts';
import type { LatestFile, SignatureCheckRequest, SignatureResultStore } from '#shared/signatures/ports.ts';
import { DynamoItemStore } from './item-store.ts';
import { submissionKeys } from './submission-store.ts';

/** Not replacing a newer result: absent, or checked no later than this one. */
const NOT_NEWER = '(attribute_not_exists(#sigs.#id) OR #sigs.#id.#checkedAt <= :t)';

/**
 * Signature results on DynamoDB (docs/data-model.md): in the version item's map `signatures`
 * (by upload id) and, for the unit's latest version, the same in the assignment's `signatures`
 * so that the period's pages and exports read them with the assignments. Each write is a single
 * conditional UpdateItem; a map is created empty first when missing (DynamoDB cannot SET a path
 * under a missing map).
 */
export class DynamoSignatureStore extends DynamoItemStore implements SignatureResultStore {
  async saveResult(ref: SignatureCheckRequest, result: FileSignatureResult): Promise<boolean> {
    const versionKey = submissionKeys.version(ref.planId, ref.year, ref.unitId, ref.version);
    await this.ensureMap(versionKey, 'attribute_exists(#files.#id)', {
      '#files': 'files',
      '#id': ref.uploadId,
    });
    const names = { '#sigs': 'signatures', '#id': ref.uploadId, '#checkedAt': 'checkedAt' };
    const onVersion = await this.conditionalUpdate({
      Key: versionKey,
      UpdateExpression: 'SET #sigs.#id = :r',
      ConditionExpression: `attribute_exists(#files.#id) AND ${NOT_NEWER}`,
      ExpressionAttributeNames: { ...names, '#files': 'files' },
      ExpressionAttributeValues: { ':r': result, ':t': result.checkedAt },
    });
    if (!onVersion) {
      // Refused: no such file, or a newer result is kept. Only the first is "not saved".
      const item = await this.getItem<{ files?: Record<string, unknown> }>(versionKey, { consistent: true });
      if (!item?.files?.[ref.uploadId]) return false;
    }
    await this.saveOnAssignment(ref, result);
    return true;
  }

  /** The assignment shows the results of its latest version's files; older entries are dropped. */
  private async saveOnAssignment(ref: SignatureCheckRequest, result: FileSignatureResult): Promise<void> {
    const key = submissionKeys.assignment(ref.planId, ref.year, ref.unitId);
    const assignment = await this.getItem<Assignment>(key, { consistent: true });
    if (!assignment || assignment.latestVersion !== ref.version) return;
    await this.ensureMap(key, 'latestVersion = :v', {}, { ':v': ref.version });
    const current = new Set((assignment.files ?? []).map((f) => f.uploadId));
    const stale = Object.keys(assignment.signatures ?? {}).filter(
      (id) => !current.has(id) && id !== ref.uploadId,
    );
    const staleNames = Object.fromEntries(stale.map((id, i) => [`#s${i}`, id]));
    await this.conditionalUpdate({
      Key: key,
      UpdateExpression: `SET #sigs.#id = :r${stale.length > 0 ? ` REMOVE ${stale.map((_, i) => `#sigs.#s${i}`).join(', ')}` : ''}`,
      ConditionExpression: `latestVersion = :v AND ${NOT_NEWER}`,
      ExpressionAttributeNames: {
        '#sigs': 'signatures',
        '#id': ref.uploadId,
        '#checkedAt': 'checkedAt',
        ...staleNames,
      },
      ExpressionAttributeValues: { ':r': result, ':t': result.checkedAt, ':v': ref.version },
    });
  }

  /** `SET signatures = {}` when it is missing and `condition` holds (a no-op otherwise). */
  private ensureMap(
    key: { pk: string; sk: string },
    condition: string,
    names: Record<string, string>,
    values: Record<string, unknown> = {},
  ): Promise<void> {
    return this.ensureMapAttribute(key, 'signatures', condition, names, values);
  }

  async latestFiles(planId: string, year: number): Promise<LatestFile[]> {
    const assignments = await this.queryPrefix<Assignment>(submissionKeys.periodPk(planId, year), 'UNIT#');
    return assignments.flatMap((a) =>
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
