/** The scan store contract against the in-memory fake (the DynamoDB run: test/integration/scan-store-contract.test.ts). */
import { describe } from 'vitest';
import { MemoryRecordingStore } from '#test/support/memory/recording-store.ts';
import { MemoryScanStore } from '#test/support/memory/scan-store.ts';
import { describeScanStoreContract } from '#test/support/memory/scan-store-contract.ts';
import { MemorySubmissionStore } from '#test/support/memory/submission-store.ts';
import { MemoryTables } from '#test/support/memory/table.ts';

describe('in-memory scan store', () => {
  describeScanStoreContract('in memory', () => {
    const tables = new MemoryTables();
    return {
      submissions: new MemorySubmissionStore(tables.submissions),
      recording: new MemoryRecordingStore(tables.submissions),
      scans: new MemoryScanStore(tables.submissions),
    };
  });
});
