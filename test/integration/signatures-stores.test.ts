/** The signature store contracts against the DynamoDB adapters on dynalite (the fakes' run: test/unit/signatures/store-contracts.test.ts). */
import { afterAll, beforeAll, describe } from 'vitest';
import { createDynamoDocumentClient } from '#shared/adapters/aws-clients.ts';
import { DynamoPlanStore } from '#shared/adapters/dynamodb/plan-store.ts';
import { DynamoRecordingStore } from '#shared/adapters/dynamodb/recording-store.ts';
import { DynamoSignatureStore } from '#shared/adapters/dynamodb/signature-store.ts';
import { DynamoSubmissionStore } from '#shared/adapters/dynamodb/submission-store.ts';
import { DynamoTrustStore } from '#shared/adapters/dynamodb/trust-store.ts';
import { startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { describeSignatureStoreContracts } from '#test/support/memory/signature-store-contracts.ts';

describe('DynamoDB signature stores on dynalite', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  describeSignatureStoreContracts('dynalite', () => {
    const client = createDynamoDocumentClient(stack.config);
    const { PLANS_TABLE: plans, SUBMISSIONS_TABLE: submissions } = stack.config;
    return {
      plans: new DynamoPlanStore(client, plans),
      submissions: new DynamoSubmissionStore(client, submissions),
      recording: new DynamoRecordingStore(client, submissions),
      signatures: new DynamoSignatureStore(client, submissions),
      trust: new DynamoTrustStore(client, plans),
    };
  });
});
