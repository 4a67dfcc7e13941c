/**
 * The store contracts (test/support/memory/store-contracts.ts) against the in-memory fakes. The
 * same suite runs against the DynamoDB adapters on dynalite in
 * test/integration/store-contracts.test.ts: a fake that drifts from its adapter fails one of them.
 */
import { describe } from 'vitest';
import { MemoryDeliveryStore } from '#test/support/memory/delivery-store.ts';
import { MemoryExportStore, MemoryVersionReader } from '#test/support/memory/export-store.ts';
import { MemoryPlanStore } from '#test/support/memory/plan-store.ts';
import { MemoryRecordingStore } from '#test/support/memory/recording-store.ts';
import { describeStoreContracts } from '#test/support/memory/store-contracts.ts';
import { MemorySubmissionStore } from '#test/support/memory/submission-store.ts';
import { MemoryTables } from '#test/support/memory/table.ts';
import { MemoryUploadStore } from '#test/support/memory/upload-store.ts';

describe('in-memory stores', () => {
  describeStoreContracts('in memory', () => {
    const tables = new MemoryTables();
    return {
      plans: new MemoryPlanStore(tables.plans),
      submissions: new MemorySubmissionStore(tables.submissions),
      uploads: new MemoryUploadStore(tables),
      recording: new MemoryRecordingStore(tables.submissions),
      deliveries: new MemoryDeliveryStore(tables.submissions),
      exports: new MemoryExportStore(tables.submissions),
      versions: new MemoryVersionReader(tables.submissions),
    };
  });
});
