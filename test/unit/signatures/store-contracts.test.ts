/** The signature store contracts against the in-memory fakes (the DynamoDB run: test/integration/signatures-stores.test.ts). */
import { describe } from 'vitest';
import { MemoryPlanStore } from '#test/support/memory/plan-store.ts';
import { MemoryRecordingStore } from '#test/support/memory/recording-store.ts';
import { MemorySignatureStore, MemoryTrustStore } from '#test/support/memory/signature-store.ts';
import { describeSignatureStoreContracts } from '#test/support/memory/signature-store-contracts.ts';
import { MemorySubmissionStore } from '#test/support/memory/submission-store.ts';
import { MemoryTables } from '#test/support/memory/table.ts';

describe('in-memory signature stores', () => {
  describeSignatureStoreContracts('in memory', () => {
    const tables = new MemoryTables();
    return {
      plans: new MemoryPlanStore(tables.plans),
      submissions: new MemorySubmissionStore(tables.submissions),
      recording: new MemoryRecordingStore(tables.submissions),
      signatures: new MemorySignatureStore(tables.submissions),
      trust: new MemoryTrustStore(tables.plans),
    };
  });
});
