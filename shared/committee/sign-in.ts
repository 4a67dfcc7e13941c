import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { DomainError, NotFoundError } from '#shared/errors.ts';
import { MAX_COMMITTEES_PER_MEMBER } from '#shared/input-limits.ts';
import type { Clock, MailQueue } from '#shared/ports.ts';
import { findMember, type MemberDeps, readMemberEmail } from './members.ts';
import { type CommitteeMembership, committeesOf, isIndexed, type MembershipDeps } from './memberships.ts';
import type { AuthStore, MemberStore, MembershipIndex, Session } from './ports.ts';
import { safeReturnPath } from './return-path.ts';

/** Sign-in links are valid this long and work once. */
export const SIGN_IN_TTL_MS = 15 * 60 * 1000;
/** A committee session lasts a working day. */
export const SESSION_TTL_MS = 8 * 60 * 60 * 1000;
/** Sign-in requests allowed per address and per client IP, per hour. */
export const SIGN_IN_LIMITS = { perAddress: 5, perIp: 20, windowSeconds: 3600 };

export interface AuthDeps {
  auth: AuthStore;
  /** Who may sign in, and as what (shared/committee/members.ts). */
  members: MemberStore;
  mail: MailQueue;
  clock: Clock;
  /** `COMMITTEE_EMAILS`: the first admins, written into the member list while it is empty. */
  committeeEmails: readonly string[];
  committeeName: string;
  appUrl: string;
  /** HMAC key for session cookies and CSRF tokens. */
  sessionKey: () => Promise<Uint8Array>;
  /**
   * A deployment of many committees (docs/tenancy.md): where a person's committees are found at
   * sign-in and on the chooser. Absent: `members` is the only list, and sessions carry no
   * committee (the deployment's first).
   */
  committees?: MembershipDeps | undefined;
}

export class UnauthorizedError extends DomainError {
  readonly code = 'UNAUTHORIZED';
}

export class ForbiddenError extends DomainError {
  readonly code = 'FORBIDDEN';
}

export class RateLimitedError extends DomainError {
  readonly code = 'RATE_LIMITED';
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * Step 1: someone asks for a sign-in link. The answer is the same whether or not the address is
 * a member's (no address enumeration), and so is the work, hence the time (issue 18): every valid
 * address within its limit gets a link stored and an e-mail queued, and the mail queue's consumer
 * decides who is sent one ({@link isSignInRecipient}: members only). A link stored for a stranger
 * signs no one in (confirmSignIn checks membership again). Rate limits per address and per
 * client IP, counted alike for everyone, stop mail bombing and guessing.
 * `next`, a page of the app (shared/committee/return-path.ts; anything else is dropped), rides in
 * the e-mailed link so that signing in returns there, on whichever device the link is opened.
 */
export async function requestSignIn(
  deps: AuthDeps,
  rawEmail: unknown,
  clientIp: string,
  next?: unknown,
): Promise<void> {
  const now = deps.clock.now();
  const window = new Date(
    Math.floor(now.getTime() / (SIGN_IN_LIMITS.windowSeconds * 1000)) * SIGN_IN_LIMITS.windowSeconds * 1000,
  );
  const ipAllowed = await deps.auth.countAttempt(
    `ip#${sha256(clientIp)}`,
    window,
    SIGN_IN_LIMITS.windowSeconds,
    SIGN_IN_LIMITS.perIp,
  );
  if (!ipAllowed) {
    throw new RateLimitedError(
      'Too many sign-in requests from this address',
      'Quá nhiều yêu cầu đăng nhập. Vui lòng thử lại sau một giờ.',
    );
  }
  const email = readMemberEmail(rawEmail);
  if (email === undefined) return;
  const addressAllowed = await deps.auth.countAttempt(
    `email#${sha256(email)}`,
    window,
    SIGN_IN_LIMITS.windowSeconds,
    SIGN_IN_LIMITS.perAddress,
  );
  // Silently, and for members and strangers alike: the answer must not tell them apart.
  if (!addressAllowed) return;
  const secret = randomBytes(32).toString('base64url');
  await deps.auth.putSignInToken(sha256(secret), email, new Date(now.getTime() + SIGN_IN_TTL_MS));
  await deps.mail.enqueue([
    {
      template: 'sign-in',
      key: `auth#0#committee#sign-in-${sha256(secret).slice(0, 16)}`,
      planId: 'auth',
      year: 0,
      unitId: 'committee',
      to: [email],
      cc: [],
      data: {
        planNumber: 'baocao',
        planTitle: deps.committeeName,
        unitName: deps.committeeName,
        signInUrl: `${deps.appUrl}/admin/sign-in/${secret}${returnQuery(next)}`,
        validMinutes: SIGN_IN_TTL_MS / 60_000,
      },
    },
  ]);
}

/**
 * Whether a sign-in e-mail to `email` is sent: asked by the mail queue's consumer (the mailer), not
 * by {@link requestSignIn}, so that a request costs the same for any address. A member's address
 * is; so is a configured address (`COMMITTEE_EMAILS`) while the member list is still empty (the
 * first sign-in of a new installation, which seeds the list when the link is confirmed). Reads
 * only: one GetItem, and the list for a configured address that is not in it.
 */
export async function isSignInRecipient(
  deps: Pick<MemberDeps, 'members' | 'committeeEmails'> & { memberships?: MembershipIndex | undefined },
  email: string,
): Promise<boolean> {
  if (await deps.members.get(email)) return true;
  // A member of another committee of the deployment (its index: one Query).
  if (deps.memberships && (await isIndexed(deps.memberships, email))) return true;
  if (!deps.committeeEmails.includes(email)) return false;
  return (await deps.members.list()).length === 0;
}

/**
 * The names of the committees a sign-in e-mail to `email` is for (the mailer's decision, like
 * {@link isSignInRecipient}): the first committee's when its own list (or, while that is empty,
 * its configuration) has the address, then each other committee the membership index names whose
 * own list has it (one GetItem each: a stale index entry names nothing), by id. None: the e-mail
 * is not sent. Reads only, at most {@link MAX_COMMITTEES_PER_MEMBER} committees.
 */
export async function signInCommitteeNames(
  deps: Pick<MemberDeps, 'members' | 'committeeEmails'> & {
    committeeName: string;
    committees?: MembershipDeps | undefined;
  },
  email: string,
): Promise<string[]> {
  const names = (await isSignInRecipient(deps, email)) ? [deps.committeeName] : [];
  if (!deps.committees) return names;
  const { index, rootCommitteeId } = deps.committees;
  for (const { committeeId } of await index.committeesOf(email, MAX_COMMITTEES_PER_MEMBER)) {
    if (committeeId === rootCommitteeId || names.length >= MAX_COMMITTEES_PER_MEMBER) continue;
    const committee = await deps.committees.committee(committeeId);
    if (committee && (await committee.members.members.get(email))) names.push(committee.name);
  }
  return names;
}

/**
 * Step 2: the link is followed and confirmed (POST); it works once, within 15 minutes. With many
 * committees (`deps.committees`), the session is bound to the person's first committee
 * (`committees`, checked against each committee's own list); with more than one, the app then
 * offers the others (switchCommittee).
 */
export async function confirmSignIn(
  deps: AuthDeps,
  secret: string,
): Promise<{ session: Session; cookieValue: string; committees: CommitteeMembership[] }> {
  const now = deps.clock.now();
  if (!/^[A-Za-z0-9_-]{43}$/.test(secret)) throw invalidLink();
  const email = await deps.auth.consumeSignInToken(sha256(secret), now);
  if (!email) throw invalidLink();
  // A link asked for by a member removed since then signs no one in.
  const committees = deps.committees ? await committeesOf(deps.committees, email) : [];
  const member = deps.committees ? committees[0] : await findMember(deps, email);
  if (!member) throw invalidLink();
  const session: Session = {
    id: randomBytes(24).toString('base64url'),
    email,
    role: member.role,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + SESSION_TTL_MS).toISOString(),
    ...(committees[0] ? { committeeId: committees[0].committeeId } : {}),
    ...(committees.length > 1 ? { multiCommittee: true } : {}),
  };
  await deps.auth.putSession(session);
  return { session, cookieValue: await cookieOf(deps, session), committees };
}

/**
 * The chooser's switch: the same person's session bound to another of their committees, checked
 * against that committee's list now. A new session (new id, new CSRF token, the same expiry)
 * replaces the old one, which is deleted. An id that is not one of theirs — another committee's,
 * or none at all — is answered alike: not found.
 */
export async function switchCommittee(
  deps: AuthDeps,
  current: Session,
  rawCommitteeId: unknown,
): Promise<{ session: Session; cookieValue: string; committee: CommitteeMembership }> {
  const wanted =
    typeof rawCommitteeId === 'string' && rawCommitteeId.length <= 40 ? rawCommitteeId.trim() : '';
  const committees = deps.committees ? await committeesOf(deps.committees, current.email) : [];
  const committee = committees.find((c) => c.committeeId === wanted);
  if (!committee) {
    throw new NotFoundError(
      `No committee ${JSON.stringify(wanted.slice(0, 40))} of ${current.email}`,
      'Không tìm thấy cấp ủy này trong các cấp ủy của đồng chí.',
    );
  }
  const session: Session = {
    id: randomBytes(24).toString('base64url'),
    email: current.email,
    role: committee.role,
    createdAt: current.createdAt,
    expiresAt: current.expiresAt,
    committeeId: committee.committeeId,
    ...(committees.length > 1 ? { multiCommittee: true } : {}),
  };
  await deps.auth.putSession(session);
  await deps.auth.deleteSession(current.id);
  return { session, cookieValue: await cookieOf(deps, session), committee };
}

/**
 * Every committee request: the cookie's MAC must verify (constant time), the session must exist
 * and be unexpired, and its address must still be a member's (one more GetItem). The session
 * answered carries the member's role now, not the one recorded at sign-in: a member removed or
 * given another role is treated so from their next request on.
 */
export async function authenticate(deps: AuthDeps, cookieValue: string | undefined): Promise<Session> {
  return memberSession(deps, await readSession(deps, cookieValue));
}

/**
 * The first half of {@link authenticate}: the session a cookie names, MAC verified, existing and
 * unexpired; its member is not read yet (the web app reads them in the session's committee).
 */
export async function readSession(
  deps: Pick<AuthDeps, 'auth' | 'clock' | 'sessionKey'>,
  cookieValue: string | undefined,
): Promise<Session> {
  const [id, tag, ...rest] = (cookieValue ?? '').split('.');
  if (!id || !tag || rest.length > 0 || !(await verifyMac(deps, `session:${id}`, tag))) throw notSignedIn();
  const session = await deps.auth.getSession(id);
  if (!session || session.expiresAt <= deps.clock.now().toISOString()) throw notSignedIn();
  return session;
}

/**
 * The second half of {@link authenticate}: the session's address must be a member of `deps`'s
 * committee now; answered with the member's current role.
 */
export async function memberSession(deps: MemberDeps, session: Session): Promise<Session> {
  const member = await findMember(deps, session.email);
  if (!member) {
    throw new ForbiddenError(
      'Address is no longer a committee member',
      'Địa chỉ này không còn quyền truy cập trang của văn phòng Đảng ủy.',
    );
  }
  return { ...session, role: member.role };
}

/** The CSRF token of a session, embedded in every form and checked on every state change. */
export async function csrfToken(deps: AuthDeps, session: Session): Promise<string> {
  return mac(deps, `csrf:${session.id}`);
}

export async function checkCsrf(deps: AuthDeps, session: Session, token: unknown): Promise<void> {
  if (typeof token !== 'string' || !(await verifyMac(deps, `csrf:${session.id}`, token))) {
    throw new ForbiddenError(
      'CSRF token missing or wrong',
      'Yêu cầu không hợp lệ (phiên làm việc đã thay đổi). Hãy tải lại trang và thử lại.',
    );
  }
}

export async function signOut(deps: AuthDeps, session: Session): Promise<void> {
  await deps.auth.deleteSession(session.id);
}

async function cookieOf(deps: Pick<AuthDeps, 'sessionKey'>, session: Session): Promise<string> {
  return `${session.id}.${await mac(deps, `session:${session.id}`)}`;
}

async function mac(deps: Pick<AuthDeps, 'sessionKey'>, message: string): Promise<string> {
  return createHmac('sha256', await deps.sessionKey())
    .update(`baocao-session-v1:${message}`)
    .digest('base64url');
}

async function verifyMac(deps: Pick<AuthDeps, 'sessionKey'>, message: string, tag: string): Promise<boolean> {
  const expected = Buffer.from(await mac(deps, message));
  const given = Buffer.from(tag);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function invalidLink(): UnauthorizedError {
  return new UnauthorizedError(
    'Sign-in link unknown, used or expired',
    'Liên kết đăng nhập không hợp lệ, đã được dùng hoặc đã hết hạn (15 phút). Hãy yêu cầu liên kết mới.',
  );
}

function notSignedIn(): UnauthorizedError {
  return new UnauthorizedError('Not signed in', 'Vui lòng đăng nhập.');
}

/** `?next=<page>` for a safe return path, else nothing. */
export function returnQuery(next: unknown): string {
  const path = safeReturnPath(next);
  return path ? `?next=${encodeURIComponent(path)}` : '';
}
