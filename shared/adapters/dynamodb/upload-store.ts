import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SubmissionVersion, UploadIntent } from '#shared/domain/submission.ts';
import { NotFoundError } from '#shared/errors.ts';
import type { StoredVersion, UploadStore } from '#shared/uploads/ports.ts';
import { isConditionalCheckFailed, queryAll, withoutKeys } from './query-all.ts';
import { submissionKeys } from './submission-store.ts';

function toVersion(item: Record<string, unknown>): StoredVersion {
  const rest = withoutKeys(item);
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
            ...submissionKeys.version(version.planId, version.year, version.unitId, version.version),
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
        Key: submissionKeys.version(planId, year, unitId, version),
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
        ':prefix': submissionKeys.versionPrefix(unitId),
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
          Key: submissionKeys.version(planId, year, unitId, version),
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
          ...submissionKeys.intent(intent.planId, intent.year, intent.uploadId),
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
