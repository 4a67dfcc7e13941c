import type { Assignment } from '#shared/domain/period.ts';
import type { RecordedFile, RejectedFile, SubmissionVersion, UploadRef } from '#shared/domain/submission.ts';
import { submittedFiles } from '#shared/domain/versions.ts';
import type { FileWrite, RecordingStore } from '#shared/recording/ports.ts';
import { DynamoItemStore, fromItem } from './item-store.ts';
import { submissionKeys } from './submission-store.ts';

/** The upload id is the map key inside `files` / `rejected`: always through a name placeholder. */
const NOT_SETTLED =
  'attribute_exists(pk) AND attribute_not_exists(#files.#id) AND attribute_not_exists(#rejected.#id)';

/** RecordingStore on DynamoDB: single-item conditional writes, consistent reads. */
export class DynamoRecordingStore extends DynamoItemStore implements RecordingStore {
  async getVersion(
    planId: string,
    year: number,
    unitId: string,
    version: number,
  ): Promise<SubmissionVersion | undefined> {
    return this.getItem<SubmissionVersion>(submissionKeys.version(planId, year, unitId, version), {
      consistent: true,
    });
  }

  async getAssignment(planId: string, year: number, unitId: string): Promise<Assignment | undefined> {
    return this.getItem<Assignment>(submissionKeys.assignment(planId, year, unitId), { consistent: true });
  }

  async ensureVersion(version: SubmissionVersion): Promise<SubmissionVersion> {
    const created = await this.putIfAbsent({
      ...submissionKeys.version(version.planId, version.year, version.unitId, version.version),
      type: 'version',
      ...version,
    });
    return created ? version : this.requireVersion(version);
  }

  async dropDraft(planId: string, year: number, unitId: string, version: number): Promise<void> {
    // Already gone: nothing to do.
    await this.conditionalUpdate({
      Key: submissionKeys.assignment(planId, year, unitId),
      UpdateExpression: 'REMOVE #drafts.#n',
      ConditionExpression: 'attribute_exists(#drafts.#n)',
      ExpressionAttributeNames: { '#drafts': 'drafts', '#n': String(version) },
    });
  }

  async recordFile(intent: UploadRef, file: RecordedFile, onTime: boolean): Promise<FileWrite> {
    const key = this.versionKey(intent);
    const names = { '#files': 'files', '#rejected': 'rejected', '#id': intent.uploadId };
    // The usual case: the file is the latest to arrive, so it also sets the version's time.
    const latest = await this.conditionalUpdateReturning({
      Key: key,
      UpdateExpression: 'SET #files.#id = :file, #submittedAt = :t, #onTime = :o',
      ConditionExpression: `${NOT_SETTLED} AND (attribute_not_exists(#submittedAt) OR attribute_type(#submittedAt, :null) OR #submittedAt <= :t)`,
      ExpressionAttributeNames: { ...names, '#submittedAt': 'submittedAt', '#onTime': 'onTime' },
      ExpressionAttributeValues: { ':file': file, ':t': file.receivedAt, ':o': onTime, ':null': 'NULL' },
      ReturnValues: 'ALL_NEW',
    });
    if (latest) return { recorded: true, version: fromItem<SubmissionVersion>(latest)! };
    const current = await this.requireVersion(intent);
    if (current.files?.[intent.uploadId] || current.rejected?.[intent.uploadId]) {
      return { recorded: false, version: current };
    }
    // A later file came first (events out of order): add this one, keep the version's time.
    return this.addOnce(intent, 'SET #files.#id = :file', { ':file': file }, names);
  }

  async rejectFile(intent: UploadRef, rejection: RejectedFile): Promise<FileWrite> {
    return this.addOnce(
      intent,
      'SET #rejected.#id = :rejection',
      { ':rejection': rejection },
      { '#files': 'files', '#rejected': 'rejected', '#id': intent.uploadId },
    );
  }

  async promoteLatest(
    planId: string,
    year: number,
    unitId: string,
    version: SubmissionVersion,
    status: 'on_time' | 'late',
    submittedAt: string,
  ): Promise<boolean> {
    const files = submittedFiles(version);
    return this.conditionalUpdate({
      Key: submissionKeys.assignment(planId, year, unitId),
      UpdateExpression:
        'SET latestVersion = :v, fileCount = :n, #files = :files, #status = :status, submittedAt = :t',
      // A later version, or more files of the same one (files are only ever added), wins.
      ConditionExpression:
        'attribute_exists(pk) AND (latestVersion < :v OR (latestVersion = :v AND (attribute_not_exists(fileCount) OR fileCount < :n)))',
      ExpressionAttributeNames: { '#files': 'files', '#status': 'status' },
      ExpressionAttributeValues: {
        ':v': version.version,
        ':n': files.length,
        ':files': files,
        ':status': status,
        ':t': submittedAt,
      },
    });
  }

  private versionKey(intent: UploadRef) {
    return submissionKeys.version(intent.planId, intent.year, intent.unitId, intent.version);
  }

  /** One `SET` into the version's files or rejected map, once per upload id. */
  private async addOnce(
    intent: UploadRef,
    update: string,
    values: Record<string, unknown>,
    names: Record<string, string>,
  ): Promise<FileWrite> {
    const updated = await this.conditionalUpdateReturning({
      Key: this.versionKey(intent),
      UpdateExpression: update,
      ConditionExpression: NOT_SETTLED,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ReturnValues: 'ALL_NEW',
    });
    if (updated) return { recorded: true, version: fromItem<SubmissionVersion>(updated)! };
    return { recorded: false, version: await this.requireVersion(intent) };
  }

  private async requireVersion(ref: Omit<UploadRef, 'uploadId'>): Promise<SubmissionVersion> {
    const version = await this.getVersion(ref.planId, ref.year, ref.unitId, ref.version);
    if (!version) {
      throw new Error(`Version ${ref.version} of ${ref.planId}/${ref.year}/${ref.unitId} does not exist`);
    }
    return version;
  }
}
