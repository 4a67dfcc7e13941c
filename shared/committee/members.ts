import { createHash } from 'node:crypto';
import { isEmailAddress } from '#shared/domain/formats.ts';
import type { MailMessage } from '#shared/domain/mail-message.ts';
import { type MemberRole, ROLE_LABELS } from '#shared/domain/member-role.ts';
import { ConflictError, NotFoundError, ValidationError } from '#shared/errors.ts';
import { MAX_COMMITTEE_MEMBERS, MAX_EMAIL_CHARS } from '#shared/input-limits.ts';
import type { Clock, MailQueue } from '#shared/ports.ts';
import type { Member, MemberStore, MembershipIndex } from './ports.ts';

/**
 * The committee's members and their roles: *quản trị* (admin: everything) and *theo dõi*
 * (viewer: dashboards and downloads only). The server refuses a viewer's every state-changing
 * request in one place (functions/web/committee-app.ts); these use cases keep the list:
 *
 * - **Bootstrap.** The configured `COMMITTEE_EMAILS` are the first admins: the first time the
 *   list is needed and found empty, they are written into it (idempotently: a request doing the
 *   same at the same moment writes the same items). From then on the list is the only authority;
 *   changing `COMMITTEE_EMAILS` later changes nothing.
 * - **An admin always remains.** Removing or demoting the last admin is refused, and nothing is
 *   changed. DynamoDB (and dynalite, which has no transactions) offers no write conditioned on
 *   other items, so the rule is kept by a check before the write and a re-check after it: see
 *   {@link keepAnAdmin}.
 */

/** `addedBy` of the members seeded from the configuration. */
export const BOOTSTRAP_ADDED_BY = 'COMMITTEE_EMAILS';

/** `addedBy` of the members added with `baocao member add`. */
export const CLI_ADDED_BY = 'cli';

/** Who added a member, as people read it: an address, or where the member came from. */
export function addedByLabel(addedBy: string): string {
  if (addedBy === BOOTSTRAP_ADDED_BY) return 'cấu hình ban đầu (COMMITTEE_EMAILS)';
  if (addedBy === CLI_ADDED_BY) return 'dòng lệnh baocao';
  return addedBy;
}

export interface MemberDeps {
  members: MemberStore;
  clock: Clock;
  /** `COMMITTEE_EMAILS`: the first admins, written into the member list while it is empty. */
  committeeEmails: readonly string[];
  /**
   * For a committee other than the deployment's first: the deployment's index of memberships
   * (ports.ts), kept by every change of the list so that signing in finds the committee. It may
   * hold more than the list (a write that failed halfway), never less: it is written before a
   * member is added and cleared after one is removed, and sign-in checks the list anyway.
   */
  index?: { committeeId: string; memberships: MembershipIndex } | undefined;
}

/** What inviting a member needs besides the list: the e-mail that tells them. */
export interface InviteDeps extends MemberDeps {
  mail: MailQueue;
  committeeName: string;
  appUrl: string;
}

/** The last admin cannot be removed or demoted. */
export class LastAdminError extends ConflictError {}

/** The names a role is given by: the form's and the API's, and the CLI's Vietnamese ones. */
const ROLE_NAMES: Readonly<Record<string, MemberRole>> = {
  admin: 'admin',
  'quan-tri': 'admin',
  'quản trị': 'admin',
  viewer: 'viewer',
  'theo-doi': 'viewer',
  'theo dõi': 'viewer',
};

/** A role by any of its names (`admin`, `quan-tri`, `quản trị`; `viewer`, `theo-doi`, `theo dõi`). */
export function parseRole(value: unknown): MemberRole {
  const key = typeof value === 'string' ? value.trim().toLowerCase().normalize('NFC') : '';
  const role = Object.hasOwn(ROLE_NAMES, key) ? ROLE_NAMES[key] : undefined;
  if (!role) {
    throw new ValidationError(
      `Unknown role ${typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : typeof value}: admin or viewer`,
      [],
      'Vai trò phải là "quản trị" (admin, quan-tri) hoặc "theo dõi" (viewer, theo-doi).',
    );
  }
  return role;
}

/** A member's address as stored (trimmed, lower case), or undefined when it is not one. */
export function readMemberEmail(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 4 * MAX_EMAIL_CHARS) return undefined;
  const email = value.trim().toLowerCase();
  return email.length <= MAX_EMAIL_CHARS && isEmailAddress(email) ? email : undefined;
}

/** {@link readMemberEmail}, refusing anything else with a Vietnamese message. */
export function parseMemberEmail(value: unknown): string {
  const email = readMemberEmail(value);
  if (email === undefined) {
    throw new ValidationError(
      'Not an e-mail address',
      [],
      `Địa chỉ e-mail không hợp lệ. Hãy nhập một địa chỉ như vanphong@example.gov.vn (tối đa ${MAX_EMAIL_CHARS} ký tự).`,
    );
  }
  return email;
}

/** Every member: admins first, then by address. Seeds the list from the configuration when empty. */
export async function listMembers(deps: MemberDeps): Promise<Member[]> {
  return sortMembers(await membersOrSeed(deps));
}

/**
 * The member with this (normalized) address, or undefined: one GetItem for a member. A
 * configured address that is not in the list also reads the list, which is seeded if it is
 * still empty (the first sign-in of a new installation).
 */
export async function findMember(deps: MemberDeps, email: string): Promise<Member | undefined> {
  const member = await deps.members.get(email);
  if (member || !deps.committeeEmails.includes(email)) return member;
  return (await membersOrSeed(deps)).find((m) => m.email === email);
}

/**
 * Adds a member with a role and (unless `notify` is false) e-mails them an invitation with the
 * sign-in page's address. Refused: an address that is a member already, a full list
 * ({@link MAX_COMMITTEE_MEMBERS}), a viewer while there is no admin.
 */
export async function inviteMember(
  deps: InviteDeps,
  input: { email: unknown; role: unknown },
  addedBy: string,
  options: { notify?: boolean } = {},
): Promise<Member> {
  const email = parseMemberEmail(input.email);
  const role = parseRole(input.role);
  const members = await membersOrSeed(deps);
  const existing = members.find((m) => m.email === email);
  if (existing) throw alreadyMember(existing);
  if (members.length >= MAX_COMMITTEE_MEMBERS) {
    throw new ValidationError(
      `The committee has ${members.length} members, the most allowed (${MAX_COMMITTEE_MEMBERS})`,
      [],
      `Đã có ${members.length} thành viên, tối đa là ${MAX_COMMITTEE_MEMBERS}. Hãy xóa bớt trước khi mời thêm.`,
    );
  }
  if (role === 'viewer' && !members.some((m) => m.role === 'admin')) {
    throw new ValidationError(
      'The first member must be an admin',
      [],
      'Thành viên đầu tiên phải có vai trò quản trị.',
    );
  }
  const member: Member = { email, role, addedBy, addedAt: deps.clock.now().toISOString() };
  await deps.index?.memberships.put(email, { committeeId: deps.index.committeeId, role });
  if (!(await deps.members.put(member, 'absent'))) {
    const now = await deps.members.get(email);
    if (now)
      await deps.index?.memberships.put(email, { committeeId: deps.index.committeeId, role: now.role });
    else await deps.index?.memberships.remove(email, deps.index.committeeId);
    throw now ? alreadyMember(now) : changedMeanwhile();
  }
  if (options.notify !== false) await deps.mail.enqueue([memberInviteMail(deps, member)]);
  return member;
}

/**
 * Gives a member another role. Demoting the last admin is refused (nothing changed). Giving the
 * role the member has already changes nothing (`changed: false`).
 */
export async function changeMemberRole(
  deps: MemberDeps,
  rawEmail: unknown,
  rawRole: unknown,
): Promise<{ member: Member; changed: boolean }> {
  const email = parseMemberEmail(rawEmail);
  const role = parseRole(rawRole);
  const current = await findMember(deps, email);
  if (!current) throw notAMember(email);
  if (current.role === role) return { member: current, changed: false };
  const demoted = current.role === 'admin';
  if (demoted) await assertAnotherAdmin(deps, email);
  const next: Member = { ...current, role };
  if (!(await deps.members.put(next, current.role))) throw changedMeanwhile();
  if (demoted) await keepAnAdmin(deps, email, () => deps.members.put(current, role));
  await deps.index?.memberships.put(email, { committeeId: deps.index.committeeId, role });
  return { member: next, changed: true };
}

/** Removes a member (their session is refused from the next request on). Not the last admin. */
export async function removeMember(deps: MemberDeps, rawEmail: unknown): Promise<Member> {
  const email = parseMemberEmail(rawEmail);
  const current = await findMember(deps, email);
  if (!current) throw notAMember(email);
  const admin = current.role === 'admin';
  if (admin) await assertAnotherAdmin(deps, email);
  if (!(await deps.members.remove(email, current.role))) throw changedMeanwhile();
  if (admin) await keepAnAdmin(deps, email, () => deps.members.put(current, 'absent'));
  await deps.index?.memberships.remove(email, deps.index.committeeId);
  return current;
}

/** The invitation e-mail: the committee, the role and the sign-in page (no secret: it signs no one in). */
export function memberInviteMail(
  deps: Pick<InviteDeps, 'committeeName' | 'appUrl'>,
  member: Member,
): MailMessage {
  const id = createHash('sha256').update(`${member.email}\n${member.addedAt}`).digest('hex').slice(0, 16);
  return {
    template: 'member-invite',
    key: `auth#0#committee#member-invite-${id}`,
    planId: 'auth',
    year: 0,
    unitId: 'committee',
    to: [member.email],
    cc: [],
    data: {
      planNumber: 'baocao',
      planTitle: deps.committeeName,
      unitName: deps.committeeName,
      role: member.role,
      ...(readMemberEmail(member.addedBy) ? { invitedBy: member.addedBy } : {}),
      signInUrl: `${deps.appUrl}/admin/sign-in`,
    },
  };
}

/** The list as stored, or, when it is empty, the configured addresses written into it as admins. */
async function membersOrSeed(deps: MemberDeps): Promise<Member[]> {
  const members = await deps.members.list();
  if (members.length > 0 || deps.committeeEmails.length === 0) return members;
  const addedAt = deps.clock.now().toISOString();
  for (const email of new Set(deps.committeeEmails)) {
    // False when a request seeding at the same moment wrote it first: the same member.
    await deps.members.put({ email, role: 'admin', addedBy: BOOTSTRAP_ADDED_BY, addedAt }, 'absent');
  }
  return deps.members.list();
}

/** The check before the write: another admin than `email` exists (else nothing is written). */
async function assertAnotherAdmin(deps: MemberDeps, email: string): Promise<void> {
  const members = await deps.members.list();
  if (!members.some((m) => m.role === 'admin' && m.email !== email)) throw lastAdmin(email);
}

/**
 * The re-check after a write that took an admin away. Two such writes made at the same moment
 * (two admins demoting each other) can both pass the check before writing; each then reads the
 * list again, strongly consistent, and undoes its own write (conditionally: only if nothing
 * changed it since) when no admin is left. The later of two writes always sees the earlier one,
 * so at least one of them is undone and an admin remains; at worst both are, and both people are
 * told to try again. What this cannot cover is a process that dies between its write and its
 * re-check (no transactions on dynalite, see docs/data-model.md): `baocao member add EMAIL
 * --role admin` then gives the committee an admin again.
 */
async function keepAnAdmin(deps: MemberDeps, email: string, undo: () => Promise<boolean>): Promise<void> {
  const after = await deps.members.list();
  if (after.some((m) => m.role === 'admin')) return;
  await undo();
  throw lastAdmin(email);
}

function sortMembers(members: Member[]): Member[] {
  const rank = (m: Member) => (m.role === 'admin' ? 0 : 1);
  return [...members].sort(
    (a, b) => rank(a) - rank(b) || (a.email < b.email ? -1 : a.email > b.email ? 1 : 0),
  );
}

function alreadyMember(member: Member): ConflictError {
  return new ConflictError(
    `${member.email} is already a member (${member.role})`,
    `${member.email} đã là thành viên (${ROLE_LABELS[member.role]}).`,
  );
}

function notAMember(email: string): NotFoundError {
  return new NotFoundError(`${email} is not a member`, `${email} không phải là thành viên.`);
}

function lastAdmin(email: string): LastAdminError {
  return new LastAdminError(
    `${email} is the last admin`,
    `${email} là quản trị cuối cùng: không thể xóa hoặc chuyển sang theo dõi. Hãy giao vai trò quản trị cho một thành viên khác trước.`,
  );
}

function changedMeanwhile(): ConflictError {
  return new ConflictError(
    'The member list changed meanwhile',
    'Danh sách thành viên vừa được thay đổi ở nơi khác. Hãy tải lại trang và thử lại.',
  );
}
