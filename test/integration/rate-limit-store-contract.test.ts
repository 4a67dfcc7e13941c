/**
 * The RateLimitStore contract (test/support/memory/rate-limit-store-contract.ts) against the
 * DynamoDB adapter on dynalite. The same suite runs against the in-memory fake in
 * test/unit/use-cases/rate-limit-store-contract.test.ts.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { createDynamoDocumentClient } from '#shared/adapters/aws-clients.ts';
import { DynamoRateLimitStore } from '#shared/adapters/dynamodb/rate-limit-store.ts';
import { startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { describeRateLimitStoreContract } from '#test/support/memory/rate-limit-store-contract.ts';

describe('DynamoDB rate-limit store on dynalite', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  describeRateLimitStoreContract(
    'dynalite',
    () => new DynamoRateLimitStore(createDynamoDocumentClient(stack.config), stack.config.PLANS_TABLE),
  );
});
