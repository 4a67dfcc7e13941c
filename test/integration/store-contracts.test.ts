/**
 * The store contracts (test/support/memory/store-contracts.ts) against the DynamoDB adapters on
 * dynalite. The same suite runs against the in-memory fakes that the fast use-case tests use
 * (test/unit/use-cases/store-contracts.test.ts): a fake that drifts from its adapter fails one of them.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { createDynamoDocumentClient } from '#shared/adapters/aws-clients.ts';
import { DynamoDeliveryStore } from '#shared/adapters/dynamodb/delivery-store.ts';
import { DynamoExportStore } from '#shared/adapters/dynamodb/export-store.ts';
import { DynamoPlanStore } from '#shared/adapters/dynamodb/plan-store.ts';
import { DynamoRecordingStore } from '#shared/adapters/dynamodb/recording-store.ts';
import { DynamoSubmissionStore } from '#shared/adapters/dynamodb/submission-store.ts';
import { DynamoUploadStore } from '#shared/adapters/dynamodb/upload-store.ts';
import { DynamoVersionReader } from '#shared/adapters/dynamodb/version-reader.ts';
import { startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { describeStoreContracts } from '#test/support/memory/store-contracts.ts';

describe('DynamoDB store adapters on dynalite', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  describeStoreContracts('dynalite', () => {
    const client = createDynamoDocumentClient(stack.config);
    const { PLANS_TABLE: plans, SUBMISSIONS_TABLE: submissions } = stack.config;
    return {
      plans: new DynamoPlanStore(client, plans),
      submissions: new DynamoSubmissionStore(client, submissions),
      uploads: new DynamoUploadStore(client, { plans, submissions }),
      recording: new DynamoRecordingStore(client, submissions),
      deliveries: new DynamoDeliveryStore(client, submissions),
      exports: new DynamoExportStore(client, submissions),
      versions: new DynamoVersionReader(client, submissions),
    };
  });
});
