/**
 * The MembershipIndex contract, run against the in-memory fake
 * (test/unit/committee/memberships.test.ts) and the DynamoDB adapter on dynalite
 * (test/integration/committee-sign-in.test.ts). Addresses are unique per run: the index is
 * deployment-wide.
 */
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MembershipIndex } from '#shared/committee/ports.ts';

export function describeMembershipIndexContract(
  name: string,
  make: () => MembershipIndex | Promise<MembershipIndex>,
): void {
  let index: MembershipIndex;
  const run = randomBytes(3).toString('hex');
  const email = (s: string) => `${s}.${run}@so.example.vn`;
  beforeAll(async () => {
    index = await make();
  });

  describe(`${name}: MembershipIndex`, () => {
    it("records a person's committees, by id, a second put changing the role only", async () => {
      // Arrange
      const who = email('vanphong');
      // Act
      await index.put(who, { committeeId: 'dus-b', role: 'viewer' });
      await index.put(who, { committeeId: 'dus-a', role: 'admin' });
      await index.put(who, { committeeId: 'dus-b', role: 'admin' });
      await index.put(email('khac'), { committeeId: 'dus-c', role: 'admin' });
      // Assess
      expect(await index.committeesOf(who, 10)).toStrictEqual([
        { committeeId: 'dus-a', role: 'admin' },
        { committeeId: 'dus-b', role: 'admin' },
      ]);
      expect(await index.committeesOf(who, 1)).toStrictEqual([{ committeeId: 'dus-a', role: 'admin' }]);
      expect(await index.committeesOf(email('khong-co'), 10)).toStrictEqual([]);
    });

    it('forgets one membership, and forgetting one that is not there changes nothing', async () => {
      // Arrange
      const who = email('a+b');
      await index.put(who, { committeeId: 'dus-a', role: 'viewer' });
      await index.put(who, { committeeId: 'dus-b', role: 'viewer' });
      // Act
      await index.remove(who, 'dus-a');
      await index.remove(who, 'dus-a');
      await index.remove(who, 'dus-z');
      // Assess
      expect(await index.committeesOf(who, 10)).toStrictEqual([{ committeeId: 'dus-b', role: 'viewer' }]);
      expect(await index.committeesOf(email('a'), 10)).toStrictEqual([]);
    });
  });
}
