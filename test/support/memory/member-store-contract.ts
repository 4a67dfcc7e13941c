/**
 * The MemberStore contract, run against the in-memory fake (test/unit/use-cases/member-store-contract.test.ts)
 * and the DynamoDB adapter on dynalite (test/integration/member-store-contract.test.ts): every
 * conditional write on both sides of its condition, and what is read back compared whole. The
 * members live in one partition, so each test starts from an empty list.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Member, MemberStore } from '#shared/committee/ports.ts';

const member = (email: string, role: Member['role'], overrides: Partial<Member> = {}): Member => ({
  email,
  role,
  addedBy: 'vanphong@so.example.vn',
  addedAt: '2026-11-29T02:00:00.000Z',
  ...overrides,
});

/** Runs the contract against the store `make` returns (called once, before the tests). */
export function describeMemberStoreContract(
  name: string,
  make: () => MemberStore | Promise<MemberStore>,
): void {
  let store: MemberStore;
  beforeAll(async () => {
    store = await make();
  });
  beforeEach(async () => {
    for (const m of await store.list()) await store.remove(m.email, m.role);
  });

  describe(`${name}: MemberStore`, () => {
    it('adds a member once and reads it back whole, by address and in the list (by address order)', async () => {
      // Act
      const results = [
        await store.put(member('theodoi@so.example.vn', 'viewer'), 'absent'),
        await store.put(member('a.quantri@so.example.vn', 'admin'), 'absent'),
        await store.put(member('theodoi@so.example.vn', 'admin', { addedBy: 'khac' }), 'absent'),
      ];
      // Assess
      expect(results).toEqual([true, true, false]);
      expect(await store.get('theodoi@so.example.vn')).toStrictEqual(
        member('theodoi@so.example.vn', 'viewer'),
      );
      expect(await store.get('khong-co@so.example.vn')).toBeUndefined();
      expect(await store.list()).toStrictEqual([
        member('a.quantri@so.example.vn', 'admin'),
        member('theodoi@so.example.vn', 'viewer'),
      ]);
    });

    it('changes a role only from the role the caller read', async () => {
      // Prepare
      await store.put(member('x@so.example.vn', 'admin'), 'absent');
      // Act
      const results = [
        await store.put(member('x@so.example.vn', 'viewer'), 'viewer'),
        await store.put(member('x@so.example.vn', 'viewer'), 'admin'),
        await store.put(member('x@so.example.vn', 'admin'), 'admin'),
        await store.put(member('moi@so.example.vn', 'admin'), 'viewer'),
      ];
      // Assess
      expect(results).toEqual([false, true, false, false]);
      expect(await store.list()).toStrictEqual([member('x@so.example.vn', 'viewer')]);
    });

    it('removes a member only while it has the role the caller read', async () => {
      // Prepare
      await store.put(member('x@so.example.vn', 'admin'), 'absent');
      await store.put(member('y@so.example.vn', 'viewer'), 'absent');
      // Act
      const results = [
        await store.remove('x@so.example.vn', 'viewer'),
        await store.remove('khong-co@so.example.vn', 'viewer'),
        await store.remove('y@so.example.vn', 'viewer'),
        await store.remove('y@so.example.vn', 'viewer'),
      ];
      // Assess
      expect(results).toEqual([false, false, true, false]);
      expect(await store.list()).toStrictEqual([member('x@so.example.vn', 'admin')]);
      expect(await store.get('y@so.example.vn')).toBeUndefined();
    });

    it('keeps addresses with Vietnamese letters and plus signs apart, byte for byte', async () => {
      // Prepare
      const odd = ['a+b@so.example.vn', 'a@so.example.vn', 'đ@so.example.vn'];
      // Act
      for (const email of odd) await store.put(member(email, 'viewer'), 'absent');
      // Assess
      expect((await store.list()).map((m) => m.email)).toEqual(odd);
      expect(await store.remove('a@so.example.vn', 'viewer')).toBe(true);
      expect((await store.list()).map((m) => m.email)).toEqual(['a+b@so.example.vn', 'đ@so.example.vn']);
    });
  });
}
