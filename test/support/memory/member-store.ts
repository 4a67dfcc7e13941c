/**
 * FAKE FOR FAST USE-CASE TESTS: the MemberStore of shared/adapters/dynamodb/member-store.ts over
 * the in-memory plans table (./table.ts): partition `MEMBERS`, one item `MEMBER#<email>` per
 * member, every write conditional on what the caller read (`attribute_not_exists(pk)` or the role
 * it expects), refused with nothing changed otherwise. Reads are consistent, as the adapter asks
 * DynamoDB for. Held to the adapter by ./member-store-contract.ts, run on both.
 */
import type { Member, MemberStore } from '#shared/committee/ports.ts';
import type { MemberRole } from '#shared/domain/member-role.ts';
import { compare, type MemoryTable } from './table.ts';

const PK = 'MEMBERS';
const skOf = (email: string) => `MEMBER#${email}`;

export class MemoryMemberStore implements MemberStore {
  constructor(private readonly table: MemoryTable) {}

  async list(): Promise<Member[]> {
    return this.table.queryAll(PK, 'MEMBER#').map(toMember);
  }

  async get(email: string): Promise<Member | undefined> {
    const item = this.table.get({ pk: PK, sk: skOf(email) });
    return item ? toMember(item) : undefined;
  }

  async put(member: Member, expected: 'absent' | MemberRole): Promise<boolean> {
    try {
      this.table.put(
        {
          pk: PK,
          sk: skOf(member.email),
          type: 'member',
          email: member.email,
          role: member.role,
          addedBy: member.addedBy,
          addedAt: member.addedAt,
        },
        (current) => (expected === 'absent' ? current === undefined : compare(current?.role, '=', expected)),
      );
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  async remove(email: string, expected: MemberRole): Promise<boolean> {
    const key = { pk: PK, sk: skOf(email) };
    if (!compare(this.table.get(key)?.role, '=', expected)) return false;
    this.table.delete(key);
    return true;
  }
}

function toMember(item: Record<string, unknown>): Member {
  return {
    email: String(item.email),
    role: item.role === 'admin' ? 'admin' : 'viewer',
    addedBy: String(item.addedBy ?? ''),
    addedAt: String(item.addedAt ?? ''),
  };
}
