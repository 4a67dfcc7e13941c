import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import type { AuthStore, Session } from '#shared/committee/ports.ts';
import { DynamoItemStore } from './item-store.ts';

/** Epoch seconds for DynamoDB's TTL attribute `expiresAtEpoch` (expired items are deleted by AWS). */
const epoch = (d: Date) => Math.floor(d.getTime() / 1000);

/** AuthStore on the plans table: one small partition per sign-in link, session and counter. */
export class DynamoAuthStore extends DynamoItemStore implements AuthStore {
  async putSignInToken(hash: string, email: string, expiresAt: Date): Promise<void> {
    await this.putItem(
      {
        pk: `SIGNIN#${hash}`,
        sk: 'SIGNIN',
        type: 'sign-in',
        email,
        expiresAt: expiresAt.toISOString(),
        expiresAtEpoch: epoch(expiresAt),
      },
      'attribute_not_exists(pk)',
    );
  }

  async consumeSignInToken(hash: string, now: Date): Promise<string | undefined> {
    const attributes = await this.conditionalUpdateReturning({
      Key: { pk: `SIGNIN#${hash}`, sk: 'SIGNIN' },
      UpdateExpression: 'SET usedAt = :now',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(usedAt) AND expiresAt > :now',
      ExpressionAttributeValues: { ':now': now.toISOString() },
      ReturnValues: 'ALL_NEW',
    });
    return attributes?.email as string | undefined;
  }

  async putSession(session: Session): Promise<void> {
    await this.putItem(
      {
        pk: `SESSION#${session.id}`,
        sk: 'SESSION',
        type: 'session',
        ...session,
        expiresAtEpoch: epoch(new Date(session.expiresAt)),
      },
      'attribute_not_exists(pk)',
    );
  }

  async getSession(id: string): Promise<Session | undefined> {
    const item = await this.getItem<Session>({ pk: `SESSION#${id}`, sk: 'SESSION' });
    if (!item) return undefined;
    const { id: sid, email, role, createdAt, expiresAt, committeeId, multiCommittee } = item;
    // Sessions stored before roles existed were the configured committee addresses: admins.
    return {
      id: sid,
      email,
      role: role === 'viewer' ? 'viewer' : 'admin',
      createdAt,
      expiresAt,
      // Sessions stored before committees existed belong to the deployment's first (no committeeId).
      ...(typeof committeeId === 'string' ? { committeeId } : {}),
      ...(multiCommittee === true ? { multiCommittee } : {}),
    };
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
    return this.conditionalUpdate({
      Key: { pk: `RATE#${bucket}`, sk: windowStart.toISOString() },
      UpdateExpression: 'ADD attempts :one SET expiresAtEpoch = :ttl',
      ConditionExpression: 'attribute_not_exists(attempts) OR attempts < :limit',
      ExpressionAttributeValues: {
        ':one': 1,
        ':limit': limit,
        ':ttl': epoch(windowStart) + windowSeconds * 2,
      },
    });
  }
}
