import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SubmissionVersion, UploadIntent } from '#shared/domain/submission.ts';
import { NotFoundError } from '#shared/errors.ts';
import type { StoredVersion, UploadStore } from '#shared/uploads/ports.ts';
import { isConditionalCheckFailed, queryAll } from './query-all.ts';
import { submissionKeys } from './submission-store.ts';

/** Keys of the upload items in a period's partition, as documented in docs/data-model.md. */
export const uploadKeys = {
  /** `VERSION#<unitId>#<version zero-padded to 6>`, so a unit's versions sort in order. */
  version: (planId: string, year: number, unitId: string, version: number) => ({
    pk: submissionKeys.periodPk(planId, year),
    sk: `${uploadKeys.versionPrefix(unitId)}${String(version).padStart(6, '0')}`,
  }),
  versionPrefix: (unitId: string) => `VERSION#${unitId}#`,
  /** `UPLOAD#<uploadId>`: the on-upload function finds it from the object key. */
  intent: (planId: string, year: number, uploadId: string) => ({
    pk: submissionKeys.periodPk(planId, year),
    sk: `UPLOAD#${uploadId}`,
  }),
};

function toVersion(item: Record<string, unknown>): StoredVersion {
  const { pk: _pk, sk: _sk, type: _type, ...rest } = item;
  const version = rest as unknown as StoredVersion;
  return { ...version, uploadsIssued: version.uploadsIssued ?? 0 };
}

/** UploadStore on DynamoDB: single-item conditional writes only (no transactions). */
export class DynamoUploadStore implements UploadStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async allocateVersion(
    planId: string,
    year: number,
    unitId: string,
    linkVersion: number,
  ): Promise<number | undefined> {
    try {
      const out = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: submissionKeys.assignment(planId, year, unitId),
          UpdateExpression: 'ADD versionCounter :one',
          ConditionExpression: 'attribute_exists(pk) AND linkVersion = :lv',
          ExpressionAttributeValues: { ':one': 1, ':lv': linkVersion },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Number(out.Attributes?.versionCounter);
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw error;
    }
  }

  async createVersion(version: SubmissionVersion, uploadsIssued: number): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...uploadKeys.version(version.planId, version.year, version.unitId, version.version),
            type: 'version',
            ...version,
            uploadsIssued,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async getVersion(
    planId: string,
    year: number,
    unitId: string,
    version: number,
  ): Promise<StoredVersion | undefined> {
    const out = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: uploadKeys.version(planId, year, unitId, version),
        ConsistentRead: true,
      }),
    );
    return out.Item ? toVersion(out.Item) : undefined;
  }

  async listVersions(planId: string, year: number, unitId: string): Promise<StoredVersion[]> {
    const items = await queryAll<Record<string, unknown>>(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: {
        ':pk': submissionKeys.periodPk(planId, year),
        ':prefix': uploadKeys.versionPrefix(unitId),
      },
    });
    return items.map(toVersion);
  }

  async reserveUpload(
    planId: string,
    year: number,
    unitId: string,
    version: number,
    createdNotBefore: string,
  ): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: uploadKeys.version(planId, year, unitId, version),
          UpdateExpression: 'ADD uploadsIssued :one',
          ConditionExpression:
            'attribute_exists(pk) AND uploadsIssued < expectedFiles AND createdAt >= :notBefore',
          ExpressionAttributeValues: { ':one': 1, ':notBefore': createdNotBefore },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async putIntent(intent: UploadIntent): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...uploadKeys.intent(intent.planId, intent.year, intent.uploadId),
          type: 'upload',
          ...intent,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async bumpLinkVersion(planId: string, year: number, unitId: string): Promise<number> {
    try {
      const out = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: submissionKeys.assignment(planId, year, unitId),
          UpdateExpression: 'ADD linkVersion :one',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':one': 1 },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Number(out.Attributes?.linkVersion);
    } catch (error) {
      if (isConditionalCheckFailed(error)) {
        throw new NotFoundError(
          `No assignment of unit ${unitId} in period ${year} of ${planId}`,
          `Đơn vị "${unitId}" không thuộc kỳ báo cáo năm ${year} của kế hoạch "${planId}".`,
        );
      }
      throw error;
    }
  }
}
