import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';

/**
 * A committee's view of the tables (docs/tenancy.md): the same client, with every partition key
 * the stores send prefixed by the committee's key prefix (`C#<id>#`) and the prefix taken off
 * every key that comes back. The stores keep their keys and expressions (`pk = :pk`) and never
 * see a committee id, so no store method can name another committee's data: this is the one
 * place isolation is enforced for DynamoDB.
 *
 * It fails closed: a command it does not know, or a Query whose key condition is not on `:pk`,
 * is refused rather than sent unscoped.
 */
export function scopeDocumentClient(
  client: DynamoDBDocumentClient,
  keyPrefix: string,
): DynamoDBDocumentClient {
  if (!/^C#[a-z0-9-]{2,40}#$/.test(keyPrefix)) throw new Error(`Not a committee key prefix: ${keyPrefix}`);
  const send = async (command: unknown) => {
    const out = await client.send(scopeCommand(command, keyPrefix) as never);
    return unscopeOutput(out as Record<string, unknown>, keyPrefix);
  };
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === 'send') return send;
      if (property === 'destroy') return () => {};
      return Reflect.get(target, property, receiver);
    },
  });
}

type Row = Record<string, unknown>;

function scopeCommand(command: unknown, prefix: string): unknown {
  if (command instanceof GetCommand)
    return new GetCommand({ ...command.input, Key: key(command.input.Key, prefix) });
  if (command instanceof DeleteCommand) {
    return new DeleteCommand({ ...command.input, Key: key(command.input.Key, prefix) });
  }
  if (command instanceof UpdateCommand) {
    return new UpdateCommand({ ...command.input, Key: key(command.input.Key, prefix) });
  }
  if (command instanceof PutCommand)
    return new PutCommand({ ...command.input, Item: key(command.input.Item, prefix) });
  if (command instanceof QueryCommand) {
    const input = command.input;
    if (!/^\s*pk\s*=\s*:pk\b/.test(input.KeyConditionExpression ?? '')) {
      throw new Error('Scoped Query refused: its key condition must start with `pk = :pk`');
    }
    const values = input.ExpressionAttributeValues ?? {};
    return new QueryCommand({
      ...input,
      ExpressionAttributeValues: { ...values, ':pk': prefixed(values[':pk'], prefix) },
      ...(input.ExclusiveStartKey ? { ExclusiveStartKey: key(input.ExclusiveStartKey, prefix) } : {}),
    });
  }
  if (command instanceof BatchGetCommand) {
    const request: Row = {};
    for (const [table, spec] of Object.entries(command.input.RequestItems ?? {})) {
      request[table] = { ...spec, Keys: (spec.Keys ?? []).map((k) => key(k, prefix)) };
    }
    return new BatchGetCommand({ ...command.input, RequestItems: request as never });
  }
  if (command instanceof BatchWriteCommand) {
    const request: Row = {};
    for (const [table, writes] of Object.entries(command.input.RequestItems ?? {})) {
      request[table] = writes.map((w) => mapWrite(w as Row, (row) => key(row, prefix)));
    }
    return new BatchWriteCommand({ ...command.input, RequestItems: request as never });
  }
  throw new Error('Scoped client: this command is not scoped, refused');
}

function unscopeOutput(out: Row, prefix: string): Row {
  const result: Row = { ...out };
  const strip = (row: unknown) => unkey(row as Row | undefined, prefix);
  if (out.Item) result.Item = strip(out.Item);
  if (out.Attributes) result.Attributes = strip(out.Attributes);
  if (Array.isArray(out.Items)) result.Items = out.Items.map(strip);
  if (out.LastEvaluatedKey) result.LastEvaluatedKey = strip(out.LastEvaluatedKey);
  if (out.Responses && typeof out.Responses === 'object') {
    const responses: Row = {};
    for (const [table, rows] of Object.entries(out.Responses as Record<string, Row[]>)) {
      responses[table] = rows.map(strip);
    }
    result.Responses = responses;
  }
  if (out.UnprocessedKeys && typeof out.UnprocessedKeys === 'object') {
    const keys: Row = {};
    for (const [table, spec] of Object.entries(out.UnprocessedKeys as Record<string, { Keys?: Row[] }>)) {
      keys[table] = { ...spec, Keys: (spec.Keys ?? []).map(strip) };
    }
    result.UnprocessedKeys = keys;
  }
  if (out.UnprocessedItems && typeof out.UnprocessedItems === 'object') {
    const items: Row = {};
    for (const [table, writes] of Object.entries(out.UnprocessedItems as Record<string, Row[]>)) {
      items[table] = writes.map((w) => mapWrite(w, (row) => unkey(row, prefix)));
    }
    result.UnprocessedItems = items;
  }
  return result;
}

function mapWrite(write: Row, map: (row: Row | undefined) => Row | undefined): Row {
  const put = write.PutRequest as { Item?: Row } | undefined;
  const del = write.DeleteRequest as { Key?: Row } | undefined;
  if (put) return { ...write, PutRequest: { ...put, Item: map(put.Item) } };
  if (del) return { ...write, DeleteRequest: { ...del, Key: map(del.Key) } };
  return write;
}

function prefixed(pk: unknown, prefix: string): string {
  if (typeof pk !== 'string' || pk.length === 0)
    throw new Error('Scoped client: a partition key must be a string');
  return prefix + pk;
}

function key<T extends Row | undefined>(row: T, prefix: string): T {
  if (!row) throw new Error('Scoped client: a key or item is required');
  return { ...row, pk: prefixed(row.pk, prefix) };
}

function unkey(row: Row | undefined, prefix: string): Row | undefined {
  if (!row || typeof row.pk !== 'string') return row;
  if (!row.pk.startsWith(prefix)) throw new Error('Scoped client: an item of another scope came back');
  return { ...row, pk: row.pk.slice(prefix.length) };
}
