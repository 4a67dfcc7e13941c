/** The scan store contract against the DynamoDB adapter on dynalite (the fake's run: test/unit/scanning/scan-store-contract.test.ts). */
import { afterAll, beforeAll, describe } from 'vitest';
import { createDynamoDocumentClient } from '#shared/adapters/aws-clients.ts';
import { DynamoRecordingStore } from '#shared/adapters/dynamodb/recording-store.ts';
import { DynamoScanStore } from '#shared/adapters/dynamodb/scan-store.ts';
import { DynamoSubmissionStore } from '#shared/adapters/dynamodb/submission-store.ts';
import { startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { describeScanStoreContract } from '#test/support/memory/scan-store-contract.ts';

describe('DynamoDB scan store on dynalite', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  describeScanStoreContract('dynalite', () => {
    const client = createDynamoDocumentClient(stack.config);
    const { SUBMISSIONS_TABLE: submissions } = stack.config;
    return {
      submissions: new DynamoSubmissionStore(client, submissions),
      recording: new DynamoRecordingStore(client, submissions),
      scans: new DynamoScanStore(client, submissions),
    };
  });
});
