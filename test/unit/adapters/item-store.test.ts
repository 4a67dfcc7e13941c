import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoItemStore, setFields, whenConditionHolds } from '#shared/adapters/dynamodb/item-store.ts';

/** A client that records each command's name and input and answers with `answer`. */
function fakeClient(answer: (name: string) => unknown = () => ({})) {
  const sent: { name: string; input: Record<string, unknown> }[] = [];
  const client = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      sent.push({ name: command.constructor.name, input: command.input });
      const out = answer(command.constructor.name);
      if (out instanceof Error) throw out;
      return out;
    },
  } as unknown as DynamoDBDocumentClient;
  return { client, sent };
}

const refused = () =>
  Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' });

/** The protected helpers, opened for the test. */
class Store extends DynamoItemStore {
  get = this.getItem.bind(this);
  putNew = this.putIfAbsent.bind(this);
  update = this.conditionalUpdate.bind(this);
  updateReturning = this.conditionalUpdateReturning.bind(this);
}

describe('DynamoItemStore (shared/adapters/dynamodb/item-store.ts)', () => {
  it('reads by key, consistently only when asked, and strips keys and type tag', async () => {
    // Prepare
    const { client, sent } = fakeClient(() => ({ Item: { pk: 'P', sk: 'S', type: 'plan', id: 'x' } }));
    const store = new Store(client, 'plans');

    // Act
    const item = await store.get({ pk: 'P', sk: 'S' });
    await store.get({ pk: 'P', sk: 'S' }, { consistent: true });

    // Assess
    expect(item).toEqual({ id: 'x' });
    expect(sent.map((s) => s.input)).toEqual([
      { TableName: 'plans', Key: { pk: 'P', sk: 'S' } },
      { TableName: 'plans', Key: { pk: 'P', sk: 'S' }, ConsistentRead: true },
    ]);
  });

  it('answers false when a conditional write is refused, and throws any other error', async () => {
    // Prepare
    const { client, sent } = fakeClient(refused);
    const store = new Store(client, 'subs');
    const failing = new Store(fakeClient(() => new Error('throttled')).client, 'subs');

    // Act
    const put = await store.putNew({ pk: 'P', sk: 'S', a: 1 });
    const update = await store.update({ Key: { pk: 'P', sk: 'S' }, UpdateExpression: 'SET a = :a' });
    const returning = await store.updateReturning({
      Key: { pk: 'P', sk: 'S' },
      UpdateExpression: 'SET a = :a',
    });

    // Assess
    expect([put, update, returning]).toEqual([false, false, undefined]);
    expect(sent.map((s) => [s.name, s.input])).toEqual([
      [
        'PutCommand',
        {
          TableName: 'subs',
          Item: { pk: 'P', sk: 'S', a: 1 },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      ],
      ['UpdateCommand', { TableName: 'subs', Key: { pk: 'P', sk: 'S' }, UpdateExpression: 'SET a = :a' }],
      ['UpdateCommand', { TableName: 'subs', Key: { pk: 'P', sk: 'S' }, UpdateExpression: 'SET a = :a' }],
    ]);
    await expect(failing.putNew({ pk: 'P', sk: 'S' })).rejects.toThrow('throttled');
    await expect(failing.update({ Key: { pk: 'P', sk: 'S' } })).rejects.toThrow('throttled');
    await expect(whenConditionHolds(async () => Promise.reject(refused()))).resolves.toBeUndefined();
  });

  it('answers true, or the returned attributes, when the write is done', async () => {
    const { client } = fakeClient((name) => (name === 'UpdateCommand' ? { Attributes: { n: 2 } } : {}));
    const store = new Store(client, 'subs');

    expect(await store.putNew({ pk: 'P', sk: 'S' })).toBe(true);
    expect(await store.update({ Key: { pk: 'P', sk: 'S' } })).toBe(true);
    expect(await store.updateReturning({ Key: { pk: 'P', sk: 'S' }, ReturnValues: 'ALL_NEW' })).toEqual({
      n: 2,
    });
  });

  it('writes SET assignments through placeholders named after each field, in order', () => {
    expect(setFields({ state: 'ready', error: null })).toEqual({
      assignments: ['#state = :state', '#error = :error'],
      names: { '#state': 'state', '#error': 'error' },
      values: { ':state': 'ready', ':error': null },
    });
  });
});
