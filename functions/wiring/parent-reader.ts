import { type ParentLink, parentOn } from '#shared/tenancy/committee.ts';
import type { RegistryDeps } from '#shared/tenancy/registry.ts';
import { COMMITTEE_DEPS_TTL_MS } from './committee-directory.ts';

/**
 * A committee's parent on a date (docs/tenancy.md: a period reads the tree as of its own open
 * date), for the period page's "Gửi báo cáo lên cấp trên". Its parent links (one Query of
 * `TREE#<id>#PARENTS`) are read the first time a page asks, then kept as long as a committee's
 * deps are kept (a minute): a warm function reads them at most once a minute, never per page,
 * and a move (`baocao committee move`) shows within a minute. The deployment's first committee
 * is built without a registry read, so this is how its pages learn that it was moved under
 * another. A failed read is not kept.
 */
export function parentReader(
  registry: RegistryDeps,
  committeeId: string,
  ttlMs = COMMITTEE_DEPS_TTL_MS,
): (date: string) => Promise<string | null> {
  let cached: { at: number; links: Promise<ParentLink[]> } | undefined;
  return async (date) => {
    const now = registry.clock.now().getTime();
    if (!cached || now - cached.at >= ttlMs || now < cached.at) {
      const links = registry.registry.parentLinks(committeeId);
      cached = { at: now, links };
      links.catch(() => {
        if (cached?.links === links) cached = undefined;
      });
    }
    return parentOn(await cached.links, date);
  };
}
