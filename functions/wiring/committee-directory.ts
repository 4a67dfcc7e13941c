import { localDate } from '#shared/domain/calendar.ts';
import { isCommitteeId } from '#shared/domain/ids.ts';
import { findCommittee, parentOf, type RegistryDeps } from '#shared/tenancy/registry.ts';
import { createRegistryDeps } from './create-registry-deps.ts';
import { type Runtime, scopeRuntime } from './runtime.ts';

/**
 * A function's collaborators per committee of the deployment (docs/tenancy.md): the first
 * committee's built with the function, any other's built from its scoped runtime the first time
 * a request names it (a link token's claim, an object key's prefix, a message's field) and kept
 * for a minute, so that a renamed or moved committee is seen soon and a warm function does not
 * read the registry on every request. Bounded: the oldest built goes first.
 */
export interface CommitteeDirectory<T> {
  /** The deployment's first committee's. */
  readonly root: T;
  readonly rootId: string;
  /** The committee's, or undefined when the deployment has no such committee. */
  get(committeeId: string | undefined): Promise<T | undefined>;
}

/** How long a committee's deps are reused before the registry is read again (a rename shows after this). */
export const COMMITTEE_DEPS_TTL_MS = 60_000;
/** How many committees' deps one warm function keeps at most (the oldest is dropped first). */
export const COMMITTEE_DEPS_MAX = 64;

export function committeeDirectory<T>(
  base: Runtime,
  build: (runtime: Runtime) => T,
  options: { ttlMs?: number; max?: number; registry?: RegistryDeps } = {},
): CommitteeDirectory<T> {
  const rootId = base.config.COMMITTEE_ID;
  const ttl = options.ttlMs ?? COMMITTEE_DEPS_TTL_MS;
  const max = options.max ?? COMMITTEE_DEPS_MAX;
  // A runtime already bound to one committee (the CLI's) serves that committee only.
  const boundTo = base.scope.committeeId !== rootId ? base.scope.committeeId : undefined;
  const registry = options.registry ?? createRegistryDeps(base);
  const cache = new Map<string, { at: number; value: Promise<T | undefined> }>();
  let root: T | undefined;

  async function load(id: string): Promise<T | undefined> {
    const committee = await findCommittee(registry, id);
    if (!committee) return undefined;
    const parentId = await parentOf(registry, id, localDate(base.clock.now(), committee.timeZone));
    const parent = parentId === null ? undefined : await findCommittee(registry, parentId);
    return build(scopeRuntime(base, committee, parent?.name));
  }

  const directory: CommitteeDirectory<T> = {
    get root() {
      root ??= build(base);
      return root;
    },
    rootId: boundTo ?? rootId,
    async get(committeeId) {
      if (boundTo !== undefined) return committeeId === boundTo ? directory.root : undefined;
      if (committeeId === undefined || committeeId === rootId) return directory.root;
      // Not an id at all (a forged session, a corrupted message): no registry read.
      if (!isCommitteeId(committeeId)) return undefined;
      const now = base.clock.now().getTime();
      const hit = cache.get(committeeId);
      if (hit && now - hit.at < ttl && now >= hit.at) return hit.value;
      cache.delete(committeeId);
      while (cache.size >= max) cache.delete(cache.keys().next().value as string);
      // Concurrent requests for one committee share one load; a failed load is not kept.
      const value = load(committeeId).catch((error: unknown) => {
        cache.delete(committeeId);
        throw error;
      });
      cache.set(committeeId, { at: now, value });
      return value;
    },
  };
  return directory;
}

/** A directory of one committee (tests, benches): every committee id but its own is unknown. */
export function singleCommittee<T>(value: T, rootId = 'main'): CommitteeDirectory<T> {
  return {
    root: value,
    rootId,
    get: async (committeeId) => (committeeId === undefined || committeeId === rootId ? value : undefined),
  };
}

/**
 * The committee a queue message or an invocation names (`committeeId`, stamped by the queues of
 * a committee's runtime: functions/wiring/runtime.ts `scopeRuntime`); undefined for the
 * deployment's first committee. Read before the message is parsed, whose schema drops it.
 */
export function committeeOfMessage(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const id = (value as { committeeId?: unknown }).committeeId;
  return isCommitteeId(id) ? id : undefined;
}

/** Thrown for a message of a committee the deployment does not hold: it goes to the dead letters. */
export class UnknownCommitteeMessageError extends Error {
  constructor(committeeId: string | undefined) {
    super(`Message of unknown committee ${committeeId ?? '(none)'}`);
    this.name = 'UnknownCommitteeMessageError';
  }
}

/** The deps of the committee a message names (the first committee's when it names none). */
export async function depsForMessage<T>(committees: CommitteeDirectory<T>, message: unknown): Promise<T> {
  const committeeId = committeeOfMessage(message);
  const deps = await committees.get(committeeId);
  if (!deps) throw new UnknownCommitteeMessageError(committeeId);
  return deps;
}
