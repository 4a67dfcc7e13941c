/**
 * The committee deps of a warm function (functions/wiring/committee-resolver.ts): the first
 * committee's at once, any other's built once over its scoped runtime and kept for a short time,
 * a bounded number of them; an id the registry does not hold (or that is no id at all) gives
 * nothing. An in-memory registry; the DynamoDB client is never called (no store is used).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { CommitteeDeps } from '#functions/web/admin-context.ts';
import { type Without, withCommittees } from '#functions/wiring/committee-resolver.ts';
import { createRuntime, type Runtime } from '#functions/wiring/runtime.ts';
import { parseConfig } from '#shared/config.ts';
import type { RegistryDeps } from '#shared/tenancy/registry.ts';
import { addCommittee, moveCommittee } from '#shared/tenancy/registry.ts';
import { ManualClock } from '#test/support/memory/clock.ts';
import { MemoryCommitteeRegistry } from '#test/support/memory/committee-registry.ts';

describe('the committee deps of a warm function', () => {
  let clock: ManualClock;
  let base: Runtime;
  let registry: RegistryDeps & { registry: MemoryCommitteeRegistry };
  let reads: string[];
  let built: Runtime[];
  let deps: CommitteeDeps;

  beforeEach(async () => {
    clock = new ManualClock('2026-12-06T02:00:00Z');
    const config = parseConfig({
      PLANS_TABLE: 'plans',
      SUBMISSIONS_TABLE: 'subs',
      REPORTS_BUCKET: 'bucket',
      COMMITTEE_NAME: 'Đảng ủy Khối',
    });
    base = createRuntime(config, { clock, dynamo: {} as never });
    const memory = new MemoryCommitteeRegistry();
    reads = [];
    const counted = new Proxy(memory, {
      get: (target, prop, receiver) => {
        if (prop !== 'get') return Reflect.get(target, prop, receiver);
        return (id: string) => {
          reads.push(id);
          return target.get(id);
        };
      },
    });
    registry = {
      registry: counted,
      clock,
      root: { id: 'main', name: 'Đảng ủy Khối', timeZone: 'Asia/Ho_Chi_Minh' },
    };
    await addCommittee(registry, { id: 'dus-a', name: 'Đảng ủy Sở A', by: 'cli' });
    await addCommittee(registry, { id: 'dus-b', name: 'Đảng ủy Sở B', parentId: 'main', by: 'cli' });
    await addCommittee(registry, { id: 'dus-c', name: 'Đảng ủy Sở C', by: 'cli' });
    reads = [];
    built = [];
    const build = (runtime: Runtime) => {
      built.push(runtime);
      return {
        committeeName: runtime.config.COMMITTEE_NAME,
        auth: { sessionKey: async () => new Uint8Array(32) },
      } as unknown as Without<CommitteeDeps>;
    };
    deps = withCommittees(base, build, { ttlMs: 60_000, max: 2, registry });
  });

  it('gives the first committee’s at once, and any other’s scoped to it, with its parent’s name', async () => {
    // Act
    const first = await deps.forCommittee(undefined);
    const alsoFirst = await deps.forCommittee('main');
    const b = await deps.forCommittee('dus-b');
    // Assess
    expect(first).toBe(deps);
    expect(alsoFirst).toBe(deps);
    expect(b?.committeeName).toBe('Đảng ủy Sở B');
    const runtime = built.at(-1)!;
    expect(runtime.scope).toMatchObject({ committeeId: 'dus-b', keyPrefix: 'C#dus-b#' });
    expect(runtime.config.objectPrefix).toBe(runtime.scope.objectPrefix);
    expect(runtime.config.SUPERIOR_COMMITTEE).toBe('Đảng ủy Khối');
    // Every committee's deps resolve the others too, and share the first's session key.
    expect(await b?.forCommittee('dus-a')).toMatchObject({ committeeName: 'Đảng ủy Sở A' });
    expect(b?.auth.sessionKey).toBe(deps.auth.sessionKey);
  });

  it('builds a committee’s deps once within the time they are kept, and again after it', async () => {
    // Act
    const one = await deps.forCommittee('dus-a');
    const two = await deps.forCommittee('dus-a');
    const readsWhileKept = reads.length;
    clock.advance(61_000);
    const three = await deps.forCommittee('dus-a');
    // Assess
    expect(two).toBe(one);
    expect(readsWhileKept).toBe(1);
    expect(three).not.toBe(one);
    expect(reads).toEqual(['dus-a', 'dus-a']);
  });

  it('keeps a bounded number, dropping the oldest first', async () => {
    // Act
    const a = await deps.forCommittee('dus-a');
    await deps.forCommittee('dus-b');
    await deps.forCommittee('dus-c');
    const aAgain = await deps.forCommittee('dus-a');
    // Assess
    expect(aAgain).not.toBe(a);
    expect(reads).toEqual(['dus-a', 'dus-b', 'main', 'dus-c', 'dus-a']);
  });

  it('gives nothing for an unknown id, and reads nothing for what is not an id at all', async () => {
    // Act & Assess
    expect(await deps.forCommittee('khong-co')).toBeUndefined();
    expect(await deps.forCommittee('C#dus-a#')).toBeUndefined();
    expect(await deps.forCommittee('x'.repeat(500))).toBeUndefined();
    expect(reads).toEqual(['khong-co']);
  });

  it('reads a committee moved to another parent with its new parent’s name once the kept deps expire', async () => {
    // Arrange
    await deps.forCommittee('dus-c');
    await moveCommittee(registry, { id: 'dus-c', parentId: 'dus-a', from: '2026-12-01' });
    // Act
    clock.advance(61_000);
    await deps.forCommittee('dus-c');
    // Assess
    expect(built.at(-1)!.config.SUPERIOR_COMMITTEE).toBe('Đảng ủy Sở A');
  });
});
