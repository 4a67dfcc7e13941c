import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { SubmissionVersion } from '#shared/domain/submission.ts';
import type { VersionReader } from '#shared/export/ports.ts';
import { submissionKeys } from './submission-store.ts';

/** `VERSION#<unitId>#<version zero-padded to 6>` in the period partition (docs/data-model.md). */
export function versionKey(planId: string, year: number, unitId: string, version: number) {
  return {
    pk: submissionKeys.periodPk(planId, year),
    sk: `VERSION#${unitId}#${String(version).padStart(6, '0')}`,
  };
}

/** Reads submission versions (GetItem by key; the export reads each unit's latest one). */
export class DynamoVersionReader implements VersionReader {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getVersion(
    planId: string,
    year: number,
    unitId: string,
    version: number,
  ): Promise<SubmissionVersion | undefined> {
    const out = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: versionKey(planId, year, unitId, version) }),
    );
    if (!out.Item) return undefined;
    const { pk: _pk, sk: _sk, type: _type, ...rest } = out.Item;
    return rest as SubmissionVersion;
  }
}
