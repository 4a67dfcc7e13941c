/**
 * FAKE FOR FAST USE-CASE TESTS: the RecordingStore of shared/adapters/dynamodb/recording-store.ts
 * over an in-memory table (./table.ts). Each write is the adapter's conditional write: a file is
 * added once per upload id (neither accepted nor refused before); the version's `submittedAt` and
 * `onTime` move only with a file that is not older (first write's condition), otherwise the file
 * is added alone (second write); `promoteLatest` only for a later version or more files of the
 * same one. A refused condition answers as the adapter does (false, or the version as stored, or
 * the same error for a version that does not exist). The real adapter is tested against dynalite
 * in test/integration; ./store-contracts.ts runs one suite on both.
 */
import { submissionKeys } from '#shared/adapters/dynamodb/submission-store.ts';
import type { Assignment } from '#shared/domain/period.ts';
import type { RecordedFile, RejectedFile, SubmissionVersion, UploadRef } from '#shared/domain/submission.ts';
import { submittedFiles } from '#shared/domain/versions.ts';
import type { FileWrite, RecordingStore } from '#shared/recording/ports.ts';
import {
  attributeExists,
  compare,
  type Item,
  type MemoryTable,
  removePath,
  setPath,
  withoutKeys,
} from './table.ts';

/** `attribute_exists(pk) AND attribute_not_exists(files.#id) AND attribute_not_exists(rejected.#id)` */
function notSettled(uploadId: string) {
  return (item: Item | undefined) =>
    item !== undefined &&
    !attributeExists(item, 'files', uploadId) &&
    !attributeExists(item, 'rejected', uploadId);
}

export class MemoryRecordingStore implements RecordingStore {
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

  async getAssignment(planId: string, year: number, unitId: string): Promise<Assignment | undefined> {
    return withoutKeys<Assignment>(this.table.get(submissionKeys.assignment(planId, year, unitId)));
  }

  async ensureVersion(version: SubmissionVersion): Promise<SubmissionVersion> {
    try {
      this.table.put(
        {
          ...submissionKeys.version(version.planId, version.year, version.unitId, version.version),
          type: 'version',
          ...version,
        },
        (current) => current === undefined,
      );
      // As the adapter: the argument itself, not a copy of what was stored.
      return version;
    } catch (error) {
      if (!(error instanceof Error && error.name === 'ConditionalCheckFailedException')) throw error;
    }
    return this.requireVersion(version);
  }

  async dropDraft(planId: string, year: number, unitId: string, version: number): Promise<void> {
    this.table.tryUpdate(
      submissionKeys.assignment(planId, year, unitId),
      (item) => attributeExists(item, 'drafts', String(version)),
      (item) => removePath(item, ['drafts', String(version)]),
    );
  }

  async recordFile(ref: UploadRef, file: RecordedFile, onTime: boolean): Promise<FileWrite> {
    const key = this.versionKey(ref);
    const first = this.tryWrite(
      key,
      (item) =>
        notSettled(ref.uploadId)(item) &&
        (!attributeExists(item, 'submittedAt') ||
          item!.submittedAt === null ||
          compare(item!.submittedAt, '<=', file.receivedAt)),
      (item) => {
        setPath(item, ['files', ref.uploadId], file);
        item.submittedAt = file.receivedAt;
        item.onTime = onTime;
      },
    );
    if (first) return { recorded: true, version: first };
    const current = await this.requireVersion(ref);
    if (current.files?.[ref.uploadId] || current.rejected?.[ref.uploadId]) {
      return { recorded: false, version: current };
    }
    // A later file came first (events out of order): add this one, keep the version's time.
    return this.addOnce(ref, (item) => setPath(item, ['files', ref.uploadId], file));
  }

  async rejectFile(ref: UploadRef, rejection: RejectedFile): Promise<FileWrite> {
    return this.addOnce(ref, (item) => setPath(item, ['rejected', ref.uploadId], rejection));
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
    return this.table.tryUpdate(
      submissionKeys.assignment(planId, year, unitId),
      (item) =>
        item !== undefined &&
        (compare(item.latestVersion, '<', version.version) ||
          (compare(item.latestVersion, '=', version.version) &&
            (!attributeExists(item, 'fileCount') || compare(item.fileCount, '<', files.length)))),
      (item) => {
        item.latestVersion = version.version;
        item.fileCount = files.length;
        item.files = files;
        item.status = status;
        item.submittedAt = submittedAt;
      },
    );
  }

  private versionKey(ref: Omit<UploadRef, 'uploadId'>) {
    return submissionKeys.version(ref.planId, ref.year, ref.unitId, ref.version);
  }

  /** One conditional UpdateItem with `ALL_NEW`: the version after it, or undefined when refused. */
  private tryWrite(
    key: { pk: string; sk: string },
    condition: (item: Item | undefined) => boolean,
    apply: (item: Item) => void,
  ): SubmissionVersion | undefined {
    try {
      return withoutKeys<SubmissionVersion>(this.table.update(key, condition, apply));
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return undefined;
      throw error;
    }
  }

  /** One `SET` into the version's files or rejected map, once per upload id. */
  private async addOnce(ref: UploadRef, apply: (item: Item) => void): Promise<FileWrite> {
    const written = this.tryWrite(this.versionKey(ref), notSettled(ref.uploadId), apply);
    if (written) return { recorded: true, version: written };
    return { recorded: false, version: await this.requireVersion(ref) };
  }

  private async requireVersion(ref: Omit<UploadRef, 'uploadId'>): Promise<SubmissionVersion> {
    const version = await this.getVersion(ref.planId, ref.year, ref.unitId, ref.version);
    if (!version) {
      throw new Error(`Version ${ref.version} of ${ref.planId}/${ref.year}/${ref.unitId} does not exist`);
    }
    return version;
  }
}
