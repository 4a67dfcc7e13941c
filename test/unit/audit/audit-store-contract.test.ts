import { MemoryAuditStore } from '../../support/memory/audit-store.ts';
import { describeAuditStoreContract } from '../../support/memory/audit-store-contract.ts';

describeAuditStoreContract('in memory', () => {
  const store = new MemoryAuditStore();
  return {
    store,
    raw: {
      get: async (pk, sk) => store.table.get({ pk, sk }),
      put: async (item) => store.table.put(item),
      delete: async (pk, sk) => store.table.delete({ pk, sk }),
    },
  };
});
