import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { queryAll } from './query-all.ts';

/** The key of an item of either table (docs/data-model.md). */
export interface ItemKey {
  pk: string;
  sk: string;
}

/** An UpdateItem request without its table: the store adds it. */
export type UpdateInput = Omit<UpdateCommandInput, 'TableName'>;

/** True when a conditional write was refused because its condition did not hold. */
export function isConditionalCheckFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/** A stored item without its table keys and type tag: the domain object it holds. */
export function withoutKeys(item: Record<string, unknown>): Record<string, unknown> {
  const { pk: _pk, sk: _sk, type: _type, ...rest } = item;
  return rest;
}

/** {@link withoutKeys} as the domain type; nothing stays nothing. */
export function fromItem<T>(item: Record<string, unknown> | undefined): T | undefined {
  return item ? (withoutKeys(item) as T) : undefined;
}

/**
 * Sends a conditional write: its answer, or undefined when its condition did not hold (any other
 * error is thrown).
 */
export async function whenConditionHolds<T>(write: () => Promise<T>): Promise<T | undefined> {
  try {
    return await write();
  } catch (error) {
    if (isConditionalCheckFailed(error)) return undefined;
    throw error;
  }
}

/**
 * `SET` assignments for each field of `fields`, through name and value placeholders named after
 * the field (`#state = :state`): to spread into an UpdateItem's expression and maps.
 */
export function setFields(fields: Record<string, unknown>): {
  assignments: string[];
  names: Record<string, string>;
  values: Record<string, unknown>;
} {
  const assignments: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(fields)) {
    names[`#${field}`] = field;
    values[`:${field}`] = value;
    assignments.push(`#${field} = :${field}`);
  }
  return { assignments, names, values };
}

/**
 * What the item stores of one table share: reads by key, conditional writes that answer false
 * when their condition does not hold, and partition queries by sort-key prefix. Each store
 * keeps its own keys and expressions; these only send them.
 */
export abstract class DynamoItemStore {
  constructor(
    protected readonly client: DynamoDBDocumentClient,
    protected readonly tableName: string,
  ) {}

  /** GetItem of `key` as the domain object; strongly consistent when asked. */
  protected async getItem<T>(key: ItemKey, options: { consistent?: boolean } = {}): Promise<T | undefined> {
    const out = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: key,
        ...(options.consistent ? { ConsistentRead: true } : {}),
      }),
    );
    return fromItem<T>(out.Item);
  }

  /** PutItem, with a condition when given (a refused condition is thrown). */
  protected async putItem(item: Record<string, unknown>, condition?: string): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: item,
        ...(condition ? { ConditionExpression: condition } : {}),
      }),
    );
  }

  /** PutItem of a new item: false when one with its key exists (nothing is written then). */
  protected async putIfAbsent(item: Record<string, unknown>): Promise<boolean> {
    const out = await whenConditionHolds(() =>
      this.putItem(item, 'attribute_not_exists(pk)').then(() => true),
    );
    return out === true;
  }

  /** UpdateItem with a condition: false when the condition did not hold. */
  protected async conditionalUpdate(input: UpdateInput): Promise<boolean> {
    return (await this.conditionalUpdateReturning(input)) !== undefined;
  }

  /**
   * UpdateItem with a condition: the attributes it returned (with `ReturnValues`; else `{}`), or
   * undefined when the condition did not hold.
   */
  protected async conditionalUpdateReturning(
    input: UpdateInput,
  ): Promise<Record<string, unknown> | undefined> {
    const out = await whenConditionHolds(() =>
      this.client.send(new UpdateCommand({ TableName: this.tableName, ...input })),
    );
    return out === undefined ? undefined : (out.Attributes ?? {});
  }

  /**
   * `SET <attribute> = {}` on an existing item when the map is missing and `condition` holds (a
   * no-op otherwise): so that `SET <attribute>.<key> = …` can follow (results kept per file).
   */
  protected async ensureMapAttribute(
    key: ItemKey,
    attribute: string,
    condition: string,
    names: Record<string, string>,
    values: Record<string, unknown> = {},
  ): Promise<void> {
    await this.conditionalUpdate({
      Key: key,
      UpdateExpression: 'SET #map = :empty',
      ConditionExpression: `attribute_exists(pk) AND attribute_not_exists(#map) AND ${condition}`,
      ExpressionAttributeNames: { '#map': attribute, ...names },
      ExpressionAttributeValues: { ':empty': {}, ...values },
    });
  }

  /** Every item of partition `pk` whose sort key starts with `prefix`, as domain objects. */
  protected async queryPrefix<T>(pk: string, prefix: string): Promise<T[]> {
    const items = await queryAll<Record<string, unknown>>(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
    });
    return items.map((item) => withoutKeys(item) as T);
  }
}
