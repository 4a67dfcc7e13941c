import type { MemberRole } from '#shared/domain/member-role.ts';
import { MAX_COMMITTEES_PER_MEMBER } from '#shared/input-limits.ts';
import { findMember, type MemberDeps } from './members.ts';
import type { MembershipIndex } from './ports.ts';

/**
 * A person's committees in a deployment of many (docs/tenancy.md): the deployment's first
 * committee, whose own member list says whether they belong to it (no index for it, so nothing
 * to migrate), and every other committee the membership index names — each checked against that
 * committee's own list, so a stale index entry finds nothing.
 */
export interface MembershipDeps {
  /** The deployment's index of memberships (not the first committee's). */
  index: MembershipIndex;
  /** `COMMITTEE_ID`: the deployment's first committee. */
  rootCommitteeId: string;
  /** A committee of the deployment, with its member list; undefined when there is none with this id. */
  committee(id: string): Promise<{ name: string; members: MemberDeps } | undefined>;
}

/** One of a person's committees, as the chooser lists it. */
export interface CommitteeMembership {
  committeeId: string;
  committeeName: string;
  role: MemberRole;
}

/**
 * The committees `email` is a member of now: the first committee first (when a member), then the
 * others by id; at most {@link MAX_COMMITTEES_PER_MEMBER}. One GetItem per committee named.
 */
export async function committeesOf(deps: MembershipDeps, email: string): Promise<CommitteeMembership[]> {
  const indexed = await deps.index.committeesOf(email, MAX_COMMITTEES_PER_MEMBER);
  const ids = [
    deps.rootCommitteeId,
    ...indexed.map((m) => m.committeeId).filter((id) => id !== deps.rootCommitteeId),
  ];
  const found: CommitteeMembership[] = [];
  for (const id of ids.slice(0, MAX_COMMITTEES_PER_MEMBER)) {
    const committee = await deps.committee(id);
    const member = committee ? await findMember(committee.members, email) : undefined;
    if (committee && member)
      found.push({ committeeId: id, committeeName: committee.name, role: member.role });
  }
  return found;
}

/**
 * Whether `email` is in the index at all (the mailer's cheap test before sending a sign-in link:
 * one Query; the link is checked against the committee's list when it is used).
 */
export async function isIndexed(index: MembershipIndex, email: string): Promise<boolean> {
  return (await index.committeesOf(email, 1)).length > 0;
}
