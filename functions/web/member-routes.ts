import { parseForm } from '#functions/http/request.ts';
import { describeError, htmlResponse, jsonResponse, redirect } from '#functions/http/responses.ts';
import { pathFor } from '#functions/http/routes.ts';
import {
  changeMemberRole,
  findMember,
  inviteMember,
  listMembers,
  parseMemberEmail,
  removeMember,
} from '#shared/committee/members.ts';
import { signOut } from '#shared/committee/sign-in.ts';
import { DomainError } from '#shared/errors.ts';
import { MAX_EMAIL_CHARS } from '#shared/input-limits.ts';
import { actionBody, type Result, type SignedInContext, type SignedInHandlers } from './admin-context.ts';
import {
  type MemberNotice,
  renderConfirmRemoveMember,
  renderMemberError,
  renderMembers,
} from './member-pages.ts';

/**
 * The committee's members: the list, the invitation, a role change and a removal (after a
 * confirmation page), as pages and JSON. Only admins get here with a POST (committee-app.ts refuses a
 * viewer's before any handler runs); viewers see the list without its forms. A page's action
 * that is refused (the last admin, an address already a member, bad input) shows the list again
 * with the reason and what was typed; `/api/…` answers JSON.
 */
export const MEMBER_HANDLERS = {
  members: async (_, { req, deps, page }) => {
    const notice = new URLSearchParams(req.query).get('done') ?? undefined;
    return htmlResponse(200, renderMembers(await listMembers(deps.auth), page, { notice }));
  },
  inviteMember: (_, context) => {
    const form = parseForm(context.req.body);
    const typed = { email: (form.email ?? '').slice(0, MAX_EMAIL_CHARS), role: form.role ?? '' };
    return onMembersPage(context, typed, async () => {
      await inviteMember(context.deps.auth, { email: form.email, role: form.role }, context.session.email);
      return 'invited';
    });
  },
  memberRole: ({ email }, context) =>
    onMembersPage(context, {}, async () => {
      const { changed } = await changeMemberRole(context.deps.auth, email, parseForm(context.req.body).role);
      return changed ? 'role' : 'role-unchanged';
    }),
  confirmRemoveMember: async ({ email }, { deps, page }) => {
    const address = parseMemberEmail(email);
    const member = await findMember(deps.auth, address);
    if (!member) return htmlResponse(404, renderMemberError(`${address} không phải là thành viên.`, page));
    return htmlResponse(200, renderConfirmRemoveMember(member, page));
  },
  removeMember: async ({ email }, context) => {
    const { deps, session } = context;
    try {
      const removed = await removeMember(deps.auth, email);
      // Removing oneself ends one's session too: the next page is the sign-in form.
      if (removed.email === session.email) {
        await signOut(deps.auth, session);
        return redirect(pathFor('signInPage', {}));
      }
      return redirect(`${pathFor('members', {})}?done=removed`);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const { statusCode, message } = describeError(error);
      return htmlResponse(statusCode, renderMemberError(message, context.page));
    }
  },
  apiMembers: async (_, { deps }) => jsonResponse(200, { members: await listMembers(deps.auth) }),
  apiInviteMember: async (_, { req, deps, session }) => {
    const body = actionBody(req, true);
    const member = await inviteMember(deps.auth, { email: body.email, role: body.role }, session.email);
    return jsonResponse(201, { member });
  },
  apiMemberRole: async ({ email }, { req, deps }) => {
    const result = await changeMemberRole(deps.auth, email, actionBody(req, true).role);
    return jsonResponse(200, result);
  },
  apiRemoveMember: async ({ email }, { req, deps, session }) => {
    actionBody(req, true);
    const removed = await removeMember(deps.auth, email);
    if (removed.email === session.email) await signOut(deps.auth, session);
    return jsonResponse(200, { removed });
  },
} satisfies SignedInHandlers<
  | 'members'
  | 'inviteMember'
  | 'memberRole'
  | 'confirmRemoveMember'
  | 'removeMember'
  | 'apiMembers'
  | 'apiInviteMember'
  | 'apiMemberRole'
  | 'apiRemoveMember'
>;

/**
 * Runs a page's action and returns to the list with `?done=…`; a refusal (a DomainError: bad
 * input, the last admin, a conflict) shows the list again with its message and what was typed,
 * under the error's status. Session and CSRF errors never get here (checked before).
 */
async function onMembersPage(
  { deps, page }: SignedInContext,
  typed: { email?: string; role?: string },
  action: () => Promise<MemberNotice>,
): Promise<Result> {
  try {
    const notice = await action();
    return redirect(`${pathFor('members', {})}?done=${notice}`);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const { statusCode, message } = describeError(error);
    const members = await listMembers(deps.auth);
    return htmlResponse(statusCode, renderMembers(members, page, { error: message, form: typed }));
  }
}
