/**
 * The MemberStore contract (test/support/memory/member-store-contract.ts) against the DynamoDB
 * adapter on dynalite. The same suite runs against the in-memory fake in
 * test/unit/use-cases/member-store-contract.test.ts.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { createDynamoDocumentClient } from '#shared/adapters/aws-clients.ts';
import { DynamoMemberStore } from '#shared/adapters/dynamodb/member-store.ts';
import { startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { describeMemberStoreContract } from '#test/support/memory/member-store-contract.ts';

describe('DynamoDB member store on dynalite', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  describeMemberStoreContract(
    'dynalite',
    () => new DynamoMemberStore(createDynamoDocumentClient(stack.config), stack.config.PLANS_TABLE),
  );
});
