/**
 * The CommitteeRegistry contract, run against the in-memory fake
 * (test/unit/tenancy/registry.test.ts) and the DynamoDB adapter on dynalite
 * (test/integration/tenancy.test.ts). Ids are unique per run: the registry is deployment-wide.
 */
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Committee } from '#shared/tenancy/committee.ts';
import type { CommitteeRegistry } from '#shared/tenancy/ports.ts';

const committee = (id: string, name = `Đảng ủy ${id}`): Committee => ({
  id,
  name,
  timeZone: 'Asia/Ho_Chi_Minh',
  createdAt: '2026-12-01T02:00:00.000Z',
  createdBy: 'cli',
});

export function describeCommitteeRegistryContract(
  name: string,
  make: () => CommitteeRegistry | Promise<CommitteeRegistry>,
): void {
  let registry: CommitteeRegistry;
  const run = randomBytes(3).toString('hex');
  const id = (s: string) => `${s}-${run}`;
  beforeAll(async () => {
    registry = await make();
  });

  describe(`${name}: CommitteeRegistry`, () => {
    it('adds a committee once with its first link, and reads both back whole', async () => {
      // Arrange
      const bloc = committee(id('bloc'), 'Đảng ủy Khối các cơ quan tỉnh');
      // Act
      const first = await registry.add(bloc, { committeeId: bloc.id, parentId: null, from: '0001-01-01' });
      const again = await registry.add(
        { ...bloc, name: 'khác' },
        { committeeId: bloc.id, parentId: null, from: '2026-01-01' },
      );
      // Assess
      expect([first, again]).toEqual([true, false]);
      expect(await registry.get(bloc.id)).toEqual(bloc);
      expect(await registry.parentLinks(bloc.id)).toEqual([
        { committeeId: bloc.id, parentId: null, from: '0001-01-01' },
      ]);
      expect((await registry.list()).filter((c) => c.id === bloc.id)).toEqual([bloc]);
      expect(await registry.get(id('none'))).toBeUndefined();
    });

    it('keeps every move as a dated link, indexed by parent, one per date', async () => {
      // Arrange
      const [a, b, child] = [committee(id('a')), committee(id('b')), committee(id('child'))];
      await registry.add(a, { committeeId: a.id, parentId: null, from: '0001-01-01' });
      await registry.add(b, { committeeId: b.id, parentId: null, from: '0001-01-01' });
      await registry.add(child, { committeeId: child.id, parentId: a.id, from: '0001-01-01' });
      // Act
      const moved = await registry.addParentLink({
        committeeId: child.id,
        parentId: b.id,
        from: '2025-07-01',
      });
      const again = await registry.addParentLink({
        committeeId: child.id,
        parentId: b.id,
        from: '2025-07-01',
      });
      const other = await registry.addParentLink({
        committeeId: child.id,
        parentId: a.id,
        from: '2025-07-01',
      });
      // Assess: the same move again is a no-op (a crashed command re-run), another parent refused
      expect([moved, again, other]).toEqual([true, true, false]);
      expect(await registry.parentLinks(child.id)).toEqual([
        { committeeId: child.id, parentId: a.id, from: '0001-01-01' },
        { committeeId: child.id, parentId: b.id, from: '2025-07-01' },
      ]);
      expect(await registry.childLinks(a.id)).toEqual([
        { committeeId: child.id, parentId: a.id, from: '0001-01-01' },
      ]);
      expect(await registry.childLinks(b.id)).toEqual([
        { committeeId: child.id, parentId: b.id, from: '2025-07-01' },
      ]);
    });
  });
}
