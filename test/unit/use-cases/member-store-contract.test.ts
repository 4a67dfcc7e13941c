/**
 * The MemberStore contract (test/support/memory/member-store-contract.ts) against the in-memory
 * fake. The same suite runs against the DynamoDB adapter on dynalite in
 * test/integration/member-store-contract.test.ts.
 */
import { describe } from 'vitest';
import { MemoryMemberStore } from '#test/support/memory/member-store.ts';
import { describeMemberStoreContract } from '#test/support/memory/member-store-contract.ts';
import { MemoryTables } from '#test/support/memory/table.ts';

describe('in-memory member store', () => {
  describeMemberStoreContract('in memory', () => new MemoryMemberStore(new MemoryTables().plans));
});
