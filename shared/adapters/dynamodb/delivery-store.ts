import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DeliveryRecord, DeliveryStore } from '#shared/mail/ports.ts';
import { DynamoItemStore, setFields } from './item-store.ts';
import { submissionKeys } from './submission-store.ts';

const mailKey = (planId: string, year: number, key: string) => ({
  pk: submissionKeys.periodPk(planId, year),
  sk: `MAIL#${key}`,
});

/** Delivery records on DynamoDB: one item per e-mail key, every change a conditional write. */
export class DynamoDeliveryStore extends DynamoItemStore implements DeliveryStore {
  async claim(
    planId: string,
    year: number,
    key: string,
    owner: string,
    now: Date,
    staleBefore: Date,
  ): Promise<boolean> {
    return this.conditionalUpdate({
      Key: mailKey(planId, year, key),
      UpdateExpression:
        'SET #type = :type, #key = :key, #state = :sending, #owner = :owner, updatedAt = :now, attempts = if_not_exists(attempts, :zero) + :one',
      ConditionExpression:
        'attribute_not_exists(pk) OR (#state = :sending AND (#owner = :owner OR updatedAt < :stale))',
      ExpressionAttributeNames: { '#type': 'type', '#key': 'key', '#state': 'state', '#owner': 'owner' },
      ExpressionAttributeValues: {
        ':type': 'mail',
        ':key': key,
        ':sending': 'sending',
        ':owner': owner,
        ':now': now.toISOString(),
        ':stale': staleBefore.toISOString(),
        ':zero': 0,
        ':one': 1,
      },
    });
  }

  async markSent(planId: string, year: number, key: string, sesMessageId: string, now: Date): Promise<void> {
    await this.setState(planId, year, key, 'sent', now, { sesMessageId });
  }

  async markFailed(planId: string, year: number, key: string, error: string, now: Date): Promise<void> {
    await this.setState(planId, year, key, 'failed', now, { error });
  }

  async noteUnitProblem(
    planId: string,
    year: number,
    unitId: string,
    problem: string,
    at: Date,
  ): Promise<boolean> {
    const when = at.toISOString();
    return this.conditionalUpdate({
      Key: submissionKeys.assignment(planId, year, unitId),
      UpdateExpression: 'SET mailProblem = :p',
      // Only on an existing assignment, and never over a newer problem: SES events arrive in
      // any order and possibly twice (ISO-8601 instants of one format compare as strings).
      ConditionExpression:
        'attribute_exists(pk) AND (attribute_not_exists(mailProblem) OR mailProblem.#at <= :at)',
      ExpressionAttributeNames: { '#at': 'at' },
      ExpressionAttributeValues: { ':p': { at: when, problem }, ':at': when },
    });
  }

  async get(planId: string, year: number, key: string): Promise<DeliveryRecord | undefined> {
    return this.getItem<DeliveryRecord>(mailKey(planId, year, key));
  }

  private async setState(
    planId: string,
    year: number,
    key: string,
    state: DeliveryRecord['state'],
    now: Date,
    extra: Record<string, string>,
  ): Promise<void> {
    const fields = setFields(extra);
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: mailKey(planId, year, key),
        UpdateExpression: `SET ${['#state = :state', 'updatedAt = :now', ...fields.assignments].join(', ')}`,
        ExpressionAttributeNames: { '#state': 'state', ...fields.names },
        ExpressionAttributeValues: { ':state': state, ':now': now.toISOString(), ...fields.values },
      }),
    );
  }
}
