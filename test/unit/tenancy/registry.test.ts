import { describe, expect, it } from 'vitest';
import { objectKey } from '#shared/adapters/s3/s3-signing.ts';
import { ValidationError } from '#shared/errors.ts';
import { parseCommitteeId, parseCommitteeName, parseEffectiveDate } from '#shared/tenancy/committee.ts';
import {
  addCommittee,
  ancestorsOn,
  childrenOn,
  chooseCommittee,
  findCommittee,
  listCommittees,
  moveCommittee,
  parentOf,
  type RegistryDeps,
} from '#shared/tenancy/registry.ts';
import { scopeOf, splitObjectKey } from '#shared/tenancy/scope.ts';
import { ManualClock } from '#test/support/memory/clock.ts';
import { MemoryCommitteeRegistry } from '#test/support/memory/committee-registry.ts';
import { describeCommitteeRegistryContract } from '#test/support/memory/committee-registry-contract.ts';

/** The Vietnamese message of what `fn` throws. */
function userMessageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return error instanceof ValidationError ? error.userMessage : `not a ValidationError: ${String(error)}`;
  }
  return 'nothing thrown';
}

const deps = (): RegistryDeps => ({
  registry: new MemoryCommitteeRegistry(),
  clock: new ManualClock(new Date('2026-12-06T03:00:00Z')),
  root: { id: 'dus', name: 'Đảng ủy Sở', timeZone: 'Asia/Ho_Chi_Minh' },
});

describeCommitteeRegistryContract('memory', () => new MemoryCommitteeRegistry());

describe('the committee registry', () => {
  it('holds the configured first committee from the first read on, once', async () => {
    // Arrange
    const d = deps();
    // Act
    const [first, second] = [await listCommittees(d), await listCommittees(d)];
    // Assess
    expect(first.map((c) => [c.id, c.name, c.createdBy])).toEqual([['dus', 'Đảng ủy Sở', 'config']]);
    expect(second).toEqual(first);
    expect(await parentOf(d, 'dus', '2026-01-01')).toBeNull();
  });

  it('builds a three-level tree and reads it as of any date, the old tree kept after a move', async () => {
    // Arrange
    const d = deps();
    await addCommittee(d, { id: 'khoi', name: 'Đảng ủy Khối', by: 'cli' });
    await addCommittee(d, { id: 'khoi-2', name: 'Đảng ủy Khối 2', by: 'cli' });
    await addCommittee(d, { id: 'so-gtvt', name: 'Đảng ủy Sở GTVT', parentId: 'khoi', by: 'cli' });
    await addCommittee(d, { id: 'so-xd', name: 'Đảng ủy Sở Xây dựng', parentId: 'khoi', by: 'cli' });
    // Act
    await moveCommittee(d, { id: 'so-xd', parentId: 'khoi-2', from: '01/07/2025' });
    // Assess
    expect(await childrenOn(d, 'khoi', '2025-06-30')).toEqual(['so-gtvt', 'so-xd']);
    expect(await childrenOn(d, 'khoi', '2025-07-01')).toEqual(['so-gtvt']);
    expect(await childrenOn(d, 'khoi-2', '2025-07-01')).toEqual(['so-xd']);
    expect(await ancestorsOn(d, 'so-xd', '2024-12-31')).toEqual(['khoi']);
    expect((await listCommittees(d)).map((c) => c.id)).toEqual(['dus', 'khoi', 'khoi-2', 'so-gtvt', 'so-xd']);
  });

  it('refuses a cycle, a second move on one date, unknown parents and taken ids, changing nothing', async () => {
    // Arrange
    const d = deps();
    await addCommittee(d, { id: 'khoi', name: 'Đảng ủy Khối', by: 'cli' });
    await addCommittee(d, { id: 'so', name: 'Đảng ủy Sở', parentId: 'khoi', by: 'cli' });
    await moveCommittee(d, { id: 'so', parentId: null, from: '2026-01-01' });
    const before = await d.registry.parentLinks('khoi');
    // Act & Assess
    await expect(moveCommittee(d, { id: 'khoi', parentId: 'so', from: '2025-01-01' })).rejects.toMatchObject({
      userMessage: expect.stringMatching(/chuyển/),
    });
    await expect(moveCommittee(d, { id: 'khoi', parentId: 'khoi', from: '2025-01-01' })).rejects.toThrow(
      ValidationError,
    );
    await expect(moveCommittee(d, { id: 'so', parentId: 'khoi', from: '2026-01-01' })).rejects.toMatchObject({
      userMessage: expect.stringMatching(/ngày khác/),
    });
    await expect(
      addCommittee(d, { id: 'x1', name: 'X', parentId: 'khong-co', by: 'cli' }),
    ).rejects.toMatchObject({ userMessage: expect.stringMatching(/Không có cấp ủy/) });
    await expect(addCommittee(d, { id: 'so', name: 'Trùng', by: 'cli' })).rejects.toMatchObject({
      userMessage: expect.stringMatching(/đã có/),
    });
    await expect(addCommittee(d, { id: 'dus', name: 'Trùng gốc', by: 'cli' })).rejects.toMatchObject({
      userMessage: expect.stringMatching(/đã có/),
    });
    // A move that is no cycle on its own date but closes one on a later move's date.
    await addCommittee(d, { id: 'a1', name: 'A1', by: 'cli' });
    await addCommittee(d, { id: 'b1', name: 'B1', by: 'cli' });
    await moveCommittee(d, { id: 'b1', parentId: 'a1', from: '2027-01-01' });
    await expect(moveCommittee(d, { id: 'a1', parentId: 'b1', from: '2026-01-01' })).rejects.toMatchObject({
      userMessage: expect.stringMatching(/Không thể chuyển/),
    });
    expect(await d.registry.parentLinks('khoi')).toEqual(before);
    expect(await d.registry.parentLinks('a1')).toHaveLength(1);
    expect(await findCommittee(d, 'x1')).toBeUndefined();
  });

  it('chooses the only committee, or the named one, and asks to name one when there are several', async () => {
    // Arrange
    const d = deps();
    // Act & Assess
    expect((await chooseCommittee(d, undefined)).id).toBe('dus');
    await addCommittee(d, { id: 'khoi', name: 'Đảng ủy Khối', by: 'cli' });
    await expect(chooseCommittee(d, undefined)).rejects.toMatchObject({
      userMessage: expect.stringMatching(/--committee/),
    });
    expect((await chooseCommittee(d, 'khoi')).name).toBe('Đảng ủy Khối');
    await expect(chooseCommittee(d, 'khong-co')).rejects.toMatchObject({
      userMessage: expect.stringMatching(/Không có cấp ủy/),
    });
  });

  it('reads ids, names and dates strictly: hostile input gets a Vietnamese error', () => {
    for (const bad of [
      '',
      'a',
      'A-B',
      'c#x',
      '-ab',
      'ab-',
      'a--b',
      'x'.repeat(41),
      '../etc',
      'đảng',
      42,
      null,
    ]) {
      expect(
        userMessageOf(() => parseCommitteeId(bad)),
        String(bad),
      ).toMatch(/Mã cấp ủy không hợp lệ/);
    }
    expect(parseCommitteeId(' dus-gtvt ')).toBe('dus-gtvt');
    for (const bad of ['', '   ', 'x'.repeat(201), 'a\u0000b', 7]) {
      expect(userMessageOf(() => parseCommitteeName(bad))).toMatch(/Tên cấp ủy/);
    }
    expect(parseCommitteeName('  Đảng ủy\tKhối  ')).toBe('Đảng ủy Khối');
    for (const bad of ['31/02/2025', '2025-13-01', 'hôm qua', '']) {
      expect(userMessageOf(() => parseEffectiveDate(bad))).toMatch(/Ngày hiệu lực/);
    }
    expect(parseEffectiveDate('1/7/2025')).toBe('2025-07-01');
  });
});

describe('a committee scope', () => {
  it('prefixes every committee but the first, and splits object keys back', () => {
    expect(scopeOf('dus', 'dus')).toEqual({ committeeId: 'dus', keyPrefix: '', objectPrefix: '' });
    const khoi = scopeOf('khoi', 'dus');
    expect(khoi).toEqual({ committeeId: 'khoi', keyPrefix: 'C#khoi#', objectPrefix: '_c/khoi/' });
    const scoped = objectKey({ keyPrefix: khoi.objectPrefix }, 'uploads/p/2026/u/1-x');
    expect(scoped).toBe('uploads/_c/khoi/p/2026/u/1-x');
    expect(splitObjectKey(scoped, 'dus')).toEqual({ committeeId: 'khoi', key: 'uploads/p/2026/u/1-x' });
    expect(splitObjectKey('uploads/p/2026/u/1-x', 'dus')).toEqual({
      committeeId: 'dus',
      key: 'uploads/p/2026/u/1-x',
    });
    expect(splitObjectKey('uploads/_c/../x', 'dus')).toEqual({ committeeId: 'dus', key: 'uploads/_c/../x' });
    expect(objectKey({ keyPrefix: '' }, 'uploads/x')).toBe('uploads/x');
    expect(() => objectKey({ keyPrefix: khoi.objectPrefix }, 'no-folder')).toThrow(/top folder/);
  });
});
