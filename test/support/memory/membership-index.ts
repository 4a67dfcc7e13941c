/**
 * FAKE FOR FAST USE-CASE TESTS: the MembershipIndex of
 * shared/adapters/dynamodb/membership-index.ts over the in-memory plans table (./table.ts):
 * partition `MEMBER#<email>`, one item `C#<committeeId>` per committee, read in sort-key order up
 * to a limit. Held to the adapter by ./membership-index-contract.ts, run on both.
 */
import type { Membership, MembershipIndex } from '#shared/committee/ports.ts';
import type { MemoryTable } from './table.ts';

export class MemoryMembershipIndex implements MembershipIndex {
  constructor(private readonly table: MemoryTable) {}

  async committeesOf(email: string, limit: number): Promise<Membership[]> {
    return this.table
      .queryAll(`MEMBER#${email}`, 'C#')
      .slice(0, limit)
      .map((item) => ({
        committeeId: String(item.committeeId),
        role: item.role === 'admin' ? 'admin' : 'viewer',
      }));
  }

  async put(email: string, membership: Membership): Promise<void> {
    this.table.put({
      pk: `MEMBER#${email}`,
      sk: `C#${membership.committeeId}`,
      type: 'membership',
      email,
      committeeId: membership.committeeId,
      role: membership.role,
    });
  }

  async remove(email: string, committeeId: string): Promise<void> {
    this.table.delete({ pk: `MEMBER#${email}`, sk: `C#${committeeId}` });
  }
}
