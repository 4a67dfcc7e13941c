import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DeliveryRecord, DeliveryStore } from '#shared/mail/ports.ts';
import { isConditionalCheckFailed, withoutKeys } from './query-all.ts';
import { submissionKeys } from './submission-store.ts';

const mailKey = (planId: string, year: number, key: string) => ({
  pk: submissionKeys.periodPk(planId, year),
  sk: `MAIL#${key}`,
});

/** Delivery records on DynamoDB: one item per e-mail key, every change a conditional write. */
export class DynamoDeliveryStore implements DeliveryStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(
    planId: string,
    year: number,
    key: string,
    owner: string,
    now: Date,
    staleBefore: Date,
  ): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
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
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
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
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: submissionKeys.assignment(planId, year, unitId),
          UpdateExpression: 'SET mailProblem = :p',
          // Only on an existing assignment, and never over a newer problem: SES events arrive in
          // any order and possibly twice (ISO-8601 instants of one format compare as strings).
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(mailProblem) OR mailProblem.#at <= :at)',
          ExpressionAttributeNames: { '#at': 'at' },
          ExpressionAttributeValues: { ':p': { at: when, problem }, ':at': when },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async get(planId: string, year: number, key: string): Promise<DeliveryRecord | undefined> {
    const out = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: mailKey(planId, year, key) }),
    );
    if (!out.Item) return undefined;
    const rest = withoutKeys(out.Item);
    return rest as unknown as DeliveryRecord;
  }

  private async setState(
    planId: string,
    year: number,
    key: string,
    state: DeliveryRecord['state'],
    now: Date,
    extra: Record<string, string>,
  ): Promise<void> {
    const names: Record<string, string> = { '#state': 'state' };
    const values: Record<string, string> = { ':state': state, ':now': now.toISOString() };
    const sets = ['#state = :state', 'updatedAt = :now'];
    for (const [k, v] of Object.entries(extra)) {
      names[`#${k}`] = k;
      values[`:${k}`] = v;
      sets.push(`#${k} = :${k}`);
    }
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: mailKey(planId, year, key),
        UpdateExpression: `SET ${sets.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  }
}
