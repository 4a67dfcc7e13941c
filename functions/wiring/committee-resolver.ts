import type { CommitteeDeps } from '#functions/web/admin-context.ts';
import { DynamoMembershipIndex } from '#shared/adapters/dynamodb/membership-index.ts';
import type { MembershipDeps } from '#shared/committee/memberships.ts';
import type { RegistryDeps } from '#shared/tenancy/registry.ts';
import { committeeDirectory } from './committee-directory.ts';
import type { Runtime } from './runtime.ts';

/** A committee function's deps as built for one committee: all but the resolver. */
export type Without<D extends CommitteeDeps> = Omit<D, 'forCommittee'>;

export { COMMITTEE_DEPS_MAX, COMMITTEE_DEPS_TTL_MS } from './committee-directory.ts';

/**
 * A committee function's deps for a deployment of many committees (docs/tenancy.md): those of
 * the deployment's first committee (built from `base`), whose `forCommittee(id)` gives any other
 * committee's — `build` over {@link scopeRuntime}, so every store of them is scoped to it — or
 * undefined for an id the registry does not hold. functions/web/committee-app.ts calls it once
 * per request with the session's committee: the one place a request is bound to a committee.
 * Built deps are kept as committee-directory.ts keeps them (a minute, 64 committees at most).
 * Each deps' sign-in (`auth.committees`) finds a person's committees through the deployment's
 * membership index and these same deps.
 */
export function withCommittees<D extends CommitteeDeps>(
  base: Runtime,
  build: (runtime: Runtime) => Without<D>,
  options: { ttlMs?: number; max?: number; registry?: RegistryDeps } = {},
): D {
  const { config } = base;
  // One session key for every committee (sessions are the deployment's): the provider of the
  // deps built first, which are `base`'s (`directory.root`, read at the end of this function).
  let sessionKey: (() => Promise<Uint8Array>) | undefined;
  const directory = committeeDirectory(
    base,
    (runtime) => {
      const built = build(runtime);
      sessionKey ??= built.auth.sessionKey;
      return attach(built);
    },
    options,
  );
  const forCommittee = (id: string | undefined) => directory.get(id);
  const committees: MembershipDeps = {
    index: new DynamoMembershipIndex(base.deploymentDynamo, config.PLANS_TABLE),
    rootCommitteeId: directory.rootId,
    committee: async (id) => {
      const deps = await forCommittee(id);
      return deps && { name: deps.committeeName, members: deps.auth };
    },
  };
  function attach(deps: Without<D>): D {
    return {
      ...deps,
      forCommittee,
      auth: { ...deps.auth, committees, sessionKey: sessionKey ?? deps.auth.sessionKey },
    } as unknown as D;
  }
  return directory.root;
}
