import type { RateLimitStore } from '#shared/limits/ports.ts';
import { DynamoItemStore } from './item-store.ts';

/** Epoch seconds for DynamoDB's TTL attribute `expiresAtEpoch` (expired items are deleted by AWS). */
const epoch = (d: Date) => Math.floor(d.getTime() / 1000);

/**
 * Fixed-window counters on the plans table: one small item per bucket and window
 * (`LIMIT#<bucket>` / the window's start), counted with one conditional UpdateItem (and given
 * back with another) and deleted by the table's TTL two windows later.
 */
export class DynamoRateLimitStore extends DynamoItemStore implements RateLimitStore {
  async hit(bucket: string, windowStart: Date, windowSeconds: number, limit: number): Promise<boolean> {
    return this.conditionalUpdate({
      Key: { pk: `LIMIT#${bucket}`, sk: windowStart.toISOString() },
      UpdateExpression: 'ADD requests :one SET expiresAtEpoch = :ttl',
      ConditionExpression: 'attribute_not_exists(requests) OR requests < :limit',
      ExpressionAttributeValues: {
        ':one': 1,
        ':limit': limit,
        ':ttl': epoch(windowStart) + windowSeconds * 2,
      },
    });
  }

  async release(bucket: string, windowStart: Date): Promise<void> {
    await this.conditionalUpdate({
      Key: { pk: `LIMIT#${bucket}`, sk: windowStart.toISOString() },
      UpdateExpression: 'ADD requests :minus',
      ConditionExpression: 'requests > :zero',
      ExpressionAttributeValues: { ':minus': -1, ':zero': 0 },
    });
  }
}
