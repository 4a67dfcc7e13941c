/**
 * FAKE FOR FAST USE-CASE TESTS: the CommitteeRegistry of
 * shared/adapters/dynamodb/committee-registry.ts in memory: a committee and its first link are
 * written link first (idempotent for the same parent), a link from the same date to another parent is refused. Held to the
 * adapter by ./committee-registry-contract.ts, run on both.
 */
import type { Committee, ParentLink } from '#shared/tenancy/committee.ts';
import type { CommitteeRegistry } from '#shared/tenancy/ports.ts';

export class MemoryCommitteeRegistry implements CommitteeRegistry {
  private readonly committees = new Map<string, Committee>();
  private readonly links: ParentLink[] = [];

  async add(committee: Committee, link: ParentLink): Promise<boolean> {
    if (this.committees.has(committee.id) || !(await this.addParentLink(link))) return false;
    this.committees.set(committee.id, { ...committee });
    return true;
  }

  async get(id: string): Promise<Committee | undefined> {
    const found = this.committees.get(id);
    return found ? { ...found } : undefined;
  }

  async list(): Promise<Committee[]> {
    return [...this.committees.values()].map((c) => ({ ...c })).sort((a, b) => a.id.localeCompare(b.id));
  }

  async parentLinks(id: string): Promise<ParentLink[]> {
    return this.links
      .filter((l) => l.committeeId === id)
      .map((l) => ({ ...l }))
      .sort((a, b) => a.from.localeCompare(b.from));
  }

  async childLinks(parentId: string): Promise<ParentLink[]> {
    return this.links
      .filter((l) => l.parentId === parentId)
      .map((l) => ({ ...l }))
      .sort((a, b) => a.from.localeCompare(b.from) || a.committeeId.localeCompare(b.committeeId));
  }

  /** As the adapter: a link from the same date is kept when it names the same parent, else refused. */
  async addParentLink(link: ParentLink): Promise<boolean> {
    const same = this.links.find((l) => l.committeeId === link.committeeId && l.from === link.from);
    if (same) return same.parentId === link.parentId;
    this.links.push({ ...link });
    return true;
  }
}
