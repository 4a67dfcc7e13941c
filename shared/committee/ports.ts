import type { MemberRole } from '#shared/domain/member-role.ts';

/** A committee session (server-side record: sign-out and expiry are enforced on every request). */
export interface Session {
  id: string;
  email: string;
  /**
   * The member's role when the session began: `admin` (quản trị: everything) or `viewer` (theo
   * dõi: dashboards and downloads only). Every request reads the member again and uses its
   * current role (`authenticate`): this one only records what it was at sign-in.
   */
  role: MemberRole;
  createdAt: string;
  expiresAt: string;
  /**
   * The committee the session works for (docs/tenancy.md): every request is answered with that
   * committee's stores (functions/web/committee-app.ts). Absent: the deployment's first committee
   * (sessions made before committees existed).
   */
  committeeId?: string | undefined;
  /** Whether the member belonged to more than one committee at sign-in (the header links to the chooser). */
  multiCommittee?: boolean | undefined;
}

/**
 * A committee member: an address that may sign in, with its role. The configured
 * `COMMITTEE_EMAILS` are the first admins (seeded into the list the first time it is needed,
 * while it is empty); from then on the list is the only authority (shared/committee/members.ts).
 */
export interface Member {
  /** Lower-case e-mail address: the member's identity. */
  email: string;
  role: MemberRole;
  /** Who added the member: a member's address, `COMMITTEE_EMAILS` (the bootstrap) or `cli`. */
  addedBy: string;
  /** ISO-8601 instant the member was added. */
  addedAt: string;
}

/**
 * The committee's members (plans table, partition `MEMBERS`, one item per member). Every write is
 * conditional on what the caller read, so two changes made at once cannot both act on the same
 * old state; the rule that an admin always remains is kept by the use cases (members.ts).
 */
export interface MemberStore {
  /** Every member, read strongly consistent (the last-admin re-check depends on it). */
  list(): Promise<Member[]>;
  /** One member (one strongly consistent GetItem), or undefined. */
  get(email: string): Promise<Member | undefined>;
  /**
   * Writes a member when what is stored for its address is still `expected`: `absent` (a new
   * member) or the role it had when read (a role change). False, writing nothing, otherwise.
   */
  put(member: Member, expected: 'absent' | MemberRole): Promise<boolean>;
  /** Removes a member if it still has role `expected`; false, removing nothing, otherwise. */
  remove(email: string, expected: MemberRole): Promise<boolean>;
}

/** Sign-in links, sessions and rate-limit counters (plans table, `AUTH#…` partitions). */
export interface AuthStore {
  /** Stores a sign-in link by the SHA-256 of its secret (the secret itself is never stored). */
  putSignInToken(hash: string, email: string, expiresAt: Date): Promise<void>;
  /** Marks the link used, once: returns its e-mail, or undefined when unknown, used or expired. */
  consumeSignInToken(hash: string, now: Date): Promise<string | undefined>;
  putSession(session: Session): Promise<void>;
  getSession(id: string): Promise<Session | undefined>;
  deleteSession(id: string): Promise<void>;
  /** Counts one attempt in a fixed window; false when the limit is already reached. */
  countAttempt(bucket: string, windowStart: Date, windowSeconds: number, limit: number): Promise<boolean>;
}

/** A committee (other than the deployment's first) an address is a member of, as the index has it. */
export interface Membership {
  committeeId: string;
  role: MemberRole;
}

/**
 * The deployment's index of memberships (plans table, outside every committee's scope: items
 * `MEMBER#<email>` / `C#<committeeId>`), so that signing in finds a person's committees with one
 * Query. Written by the member use cases (members.ts) for every committee but the deployment's
 * first, whose members are read from its own list. It is a hint, never an authority: whatever it
 * says is checked against the committee's own member list before a session is bound to it.
 */
export interface MembershipIndex {
  /** The committees `email` is indexed under, by committee id (at most `limit`). */
  committeesOf(email: string, limit: number): Promise<Membership[]>;
  /** Records (or updates the role of) a membership; idempotent. */
  put(email: string, membership: Membership): Promise<void>;
  /** Forgets a membership; nothing when there is none. */
  remove(email: string, committeeId: string): Promise<void>;
}
