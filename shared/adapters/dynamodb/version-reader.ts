import type { SubmissionVersion } from '#shared/domain/submission.ts';
import type { VersionReader } from '#shared/export/ports.ts';
import { DynamoItemStore } from './item-store.ts';
import { submissionKeys } from './submission-store.ts';

/** Reads submission versions (GetItem by key; the export reads each unit's latest one). */
export class DynamoVersionReader extends DynamoItemStore implements VersionReader {
  async getVersion(
    planId: string,
    year: number,
    unitId: string,
    version: number,
  ): Promise<SubmissionVersion | undefined> {
    return this.getItem<SubmissionVersion>(submissionKeys.version(planId, year, unitId, version));
  }
}
