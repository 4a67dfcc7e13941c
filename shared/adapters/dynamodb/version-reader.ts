import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { SubmissionVersion } from '#shared/domain/submission.ts';
import type { VersionReader } from '#shared/export/ports.ts';
import { withoutKeys } from './query-all.ts';
import { submissionKeys } from './submission-store.ts';

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
      new GetCommand({
        TableName: this.tableName,
        Key: submissionKeys.version(planId, year, unitId, version),
      }),
    );
    if (!out.Item) return undefined;
    const rest = withoutKeys(out.Item);
    return rest as unknown as SubmissionVersion;
  }
}
