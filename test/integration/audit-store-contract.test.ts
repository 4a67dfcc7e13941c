/**
 * The audit log's contract (test/support/memory/audit-store-contract.ts) against the DynamoDB
 * adapter on dynalite. The same suite runs against the in-memory fake in
 * test/unit/audit/audit-store-contract.test.ts.
 */
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe } from 'vitest';
import { createDynamoDocumentClient } from '#shared/adapters/aws-clients.ts';
import { DynamoAuditStore } from '#shared/adapters/dynamodb/audit-store.ts';
import { startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { describeAuditStoreContract } from '#test/support/memory/audit-store-contract.ts';

describe('DynamoDB audit store on dynalite', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  describeAuditStoreContract('dynalite', () => {
    const client = createDynamoDocumentClient(stack.config);
    const TableName = stack.config.AUDIT_TABLE!;
    return {
      store: new DynamoAuditStore(client, TableName),
      raw: {
        get: async (pk, sk) => (await client.send(new GetCommand({ TableName, Key: { pk, sk } }))).Item,
        put: async (Item) => {
          await client.send(new PutCommand({ TableName, Item }));
        },
        delete: async (pk, sk) => {
          await client.send(new DeleteCommand({ TableName, Key: { pk, sk } }));
        },
      },
    };
  });
});
