import { html, type PageSession, page } from '#functions/http/html.ts';
import { pathFor } from '#functions/http/routes.ts';
import { addedByLabel } from '#shared/committee/members.ts';
import type { Member } from '#shared/committee/ports.ts';
import { formatDateTimeVi } from '#shared/domain/calendar.ts';
import { MEMBER_ROLES, ROLE_DESCRIPTIONS, ROLE_LABELS } from '#shared/domain/member-role.ts';

/** The committee's members (Vietnamese). Pure functions of the data they show. */

interface PageContext {
  committeeName: string;
  timeZone: string;
  session?: PageSession | undefined;
}

/** What `?done=…` on the members page says happened. */
export const MEMBER_NOTICES = {
  invited: 'Đã thêm thành viên và gửi thư mời tới địa chỉ của họ.',
  role: 'Đã đổi vai trò của thành viên.',
  'role-unchanged': 'Thành viên đã có vai trò này; không có gì thay đổi.',
  removed: 'Đã xóa thành viên. Địa chỉ này không đăng nhập được nữa.',
} as const;

export type MemberNotice = keyof typeof MEMBER_NOTICES;

/**
 * The list of members with their roles; for admins, per row a role change and a removal (after a
 * confirmation page), and the invitation form. Viewers see the list only.
 */
export function renderMembers(
  members: Member[],
  ctx: PageContext,
  extra: {
    notice?: string | undefined;
    error?: string | undefined;
    form?: { email?: string; role?: string };
  } = {},
): string {
  const admin = ctx.session?.role === 'admin';
  const csrf = ctx.session?.csrf ?? '';
  const me = ctx.session?.email;
  const notice =
    extra.notice && Object.hasOwn(MEMBER_NOTICES, extra.notice)
      ? MEMBER_NOTICES[extra.notice as MemberNotice]
      : undefined;
  const body = html`<h1>Thành viên</h1>
    ${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
    ${extra.error ? html`<p class="notice" role="alert">${extra.error}</p>` : ''}
    <ul>${MEMBER_ROLES.map((r) => html`<li><strong>${capitalize(ROLE_LABELS[r])}</strong>: ${ROLE_DESCRIPTIONS[r]}.</li>`)}</ul>
    <table>
      <thead><tr><th>Địa chỉ e-mail</th><th>Vai trò</th><th>Người thêm</th><th>Thời điểm thêm</th>${admin ? html`<th>Thao tác</th>` : ''}</tr></thead>
      <tbody>${members.map((m, i) => {
        const encoded = { email: m.email };
        return html`<tr data-member="${m.email}" data-role="${m.role}">
          <td data-label="Địa chỉ e-mail">${m.email}${m.email === me ? html` <span class="muted">(đồng chí)</span>` : ''}</td>
          <td data-label="Vai trò">${ROLE_LABELS[m.role]}</td>
          <td data-label="Người thêm">${addedByLabel(m.addedBy)}</td>
          <td data-label="Thời điểm thêm">${m.addedAt ? formatDateTimeVi(new Date(m.addedAt), ctx.timeZone) : '—'}</td>
          ${
            admin
              ? html`<td data-label="Thao tác" class="actions">
            <form method="post" action="${pathFor('memberRole', encoded)}" class="inline"><input type="hidden" name="csrf" value="${csrf}">
              <label class="sr" for="role-${i}">Vai trò của ${m.email}</label>
              <select id="role-${i}" name="role">${MEMBER_ROLES.map((r) => html`<option value="${r}"${r === m.role ? html` selected` : ''}>${ROLE_LABELS[r]}</option>`)}</select>
              <button type="submit" class="secondary" aria-label="Đổi vai trò của ${m.email}">Đổi vai trò</button></form>
            <a class="button" href="${pathFor('confirmRemoveMember', encoded)}" aria-label="Xóa thành viên ${m.email}">Xóa</a>
          </td>`
              : ''
          }
        </tr>`;
      })}</tbody>
    </table>
    ${
      admin
        ? html`<h2>Mời thành viên</h2>
    <p>Người được mời nhận một e-mail có địa chỉ trang đăng nhập; họ đăng nhập bằng liên kết gửi tới chính địa chỉ đó, không cần mật khẩu.</p>
    <form method="post" action="${pathFor('inviteMember', {})}">
      <input type="hidden" name="csrf" value="${csrf}">
      <label for="invite-email">Địa chỉ e-mail</label>
      <input id="invite-email" name="email" type="email" required maxlength="254" size="32" autocomplete="off" value="${extra.form?.email ?? ''}">
      <label for="invite-role">Vai trò</label>
      <select id="invite-role" name="role">${MEMBER_ROLES.map((r) => html`<option value="${r}"${r === (extra.form?.role ?? 'viewer') ? html` selected` : ''}>${ROLE_LABELS[r]}</option>`)}</select>
      <p><button type="submit">Thêm và gửi thư mời</button></p>
    </form>`
        : html`<p class="muted">Tài khoản theo dõi chỉ xem được danh sách này; việc mời, đổi vai trò hay xóa thành viên do quản trị thực hiện.</p>`
    }`;
  return page('Thành viên', body, ctx);
}

/** The confirmation before a member is removed: a GET shows it, only its button's POST removes. */
export function renderConfirmRemoveMember(member: Member, ctx: PageContext): string {
  const self = member.email === ctx.session?.email;
  const back = pathFor('members', {});
  const body = html`<p><a href="${back}">← Thành viên</a></p>
    <h1>Xóa thành viên</h1>
    <p>Xóa <strong>${member.email}</strong> (vai trò ${ROLE_LABELS[member.role]}) khỏi danh sách thành viên? Địa chỉ này sẽ không đăng nhập được nữa; phiên làm việc đang mở của họ bị từ chối ngay.</p>
    ${self ? html`<p class="notice" role="alert">Đây là tài khoản của chính đồng chí: sau khi xóa, đồng chí sẽ bị đăng xuất.</p>` : ''}
    ${
      ctx.session?.role === 'admin'
        ? html`<form method="post" action="${pathFor('removeMember', { email: member.email })}" class="inline">
      <input type="hidden" name="csrf" value="${ctx.session.csrf}">
      <button type="submit">Xóa thành viên ${member.email}</button>
    </form>
    <form method="get" action="${back}" class="inline"><button type="submit" class="secondary">Không xóa, quay lại</button></form>`
        : html`<p class="muted">Chỉ quản trị mới xóa được thành viên.</p>`
    }`;
  return page('Xóa thành viên', body, ctx);
}

/** An error about members, with the way back to the list. */
export function renderMemberError(message: string, ctx: PageContext): string {
  return page(
    'Không thực hiện được',
    html`<h1>Không thực hiện được</h1><p role="alert">${message}</p><p><a href="${pathFor('members', {})}">← Quay lại danh sách thành viên</a></p>`,
    ctx,
  );
}

function capitalize(text: string): string {
  return text.charAt(0).toLocaleUpperCase('vi') + text.slice(1);
}
