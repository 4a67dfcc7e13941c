/** A committee member's role. */
export type MemberRole = 'admin' | 'viewer';

/** A committee session (server-side record: sign-out and expiry are enforced on every request). */
export interface Session {
  id: string;
  email: string;
  /**
   * The member's role when the session began: `admin` (quản trị: everything) or `viewer` (theo
   * dõi: dashboards and downloads only). Checked again against the member list on every request.
   */
  role: MemberRole;
  createdAt: string;
  expiresAt: string;
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
