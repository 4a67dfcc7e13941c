import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AuthStore, Session } from '#shared/auth/ports.ts';
import { isConditionalCheckFailed } from './query-all.ts';

/** Epoch seconds for DynamoDB's TTL attribute `expiresAtEpoch` (expired items are deleted by AWS). */
const epoch = (d: Date) => Math.floor(d.getTime() / 1000);

/** AuthStore on the plans table: one small partition per sign-in link, session and counter. */
export class DynamoAuthStore implements AuthStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async putSignInToken(hash: string, email: string, expiresAt: Date): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          pk: `SIGNIN#${hash}`,
          sk: 'SIGNIN',
          type: 'sign-in',
          email,
          expiresAt: expiresAt.toISOString(),
          expiresAtEpoch: epoch(expiresAt),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async consumeSignInToken(hash: string, now: Date): Promise<string | undefined> {
    try {
      const out = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: `SIGNIN#${hash}`, sk: 'SIGNIN' },
          UpdateExpression: 'SET usedAt = :now',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(usedAt) AND expiresAt > :now',
          ExpressionAttributeValues: { ':now': now.toISOString() },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return out.Attributes?.email as string | undefined;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw error;
    }
  }

  async putSession(session: Session): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          pk: `SESSION#${session.id}`,
          sk: 'SESSION',
          type: 'session',
          ...session,
          expiresAtEpoch: epoch(new Date(session.expiresAt)),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async getSession(id: string): Promise<Session | undefined> {
    const out = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: `SESSION#${id}`, sk: 'SESSION' } }),
    );
    if (!out.Item) return undefined;
    const { id: sid, email, createdAt, expiresAt } = out.Item as Session;
    return { id: sid, email, createdAt, expiresAt };
  }

  async deleteSession(id: string): Promise<void> {
    await this.client.send(
      new DeleteCommand({ TableName: this.tableName, Key: { pk: `SESSION#${id}`, sk: 'SESSION' } }),
    );
  }

  async countAttempt(
    bucket: string,
    windowStart: Date,
    windowSeconds: number,
    limit: number,
  ): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: `RATE#${bucket}`, sk: windowStart.toISOString() },
          UpdateExpression: 'ADD attempts :one SET expiresAtEpoch = :ttl',
          ConditionExpression: 'attribute_not_exists(attempts) OR attempts < :limit',
          ExpressionAttributeValues: {
            ':one': 1,
            ':limit': limit,
            ':ttl': epoch(windowStart) + windowSeconds * 2,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }
}
