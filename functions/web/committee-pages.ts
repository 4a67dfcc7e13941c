import { html, type PageSession, page } from '#functions/http/html.ts';
import { pathFor } from '#functions/http/routes.ts';
import type { CommitteeMembership } from '#shared/committee/memberships.ts';
import { ROLE_LABELS } from '#shared/domain/member-role.ts';

/** The chooser of a person's committees, "Chọn cấp ủy" (Vietnamese). Pure functions of the data they show. */

interface PageContext {
  committeeName: string;
  timeZone: string;
  session?: PageSession | undefined;
}

/**
 * The person's committees, each with their role in it; the one the session works for is marked,
 * each other one has a button that switches to it (a form: POST with the CSRF token). With
 * `error`, the switch asked for was refused (not one of theirs).
 */
export function renderCommittees(
  committees: readonly CommitteeMembership[],
  currentId: string,
  ctx: PageContext,
  extra: { error?: string | undefined; chosen?: boolean } = {},
): string {
  const csrf = ctx.session?.csrf ?? '';
  const body = html`<h1>Chọn cấp ủy</h1>
    ${extra.error ? html`<p class="notice" role="alert">${extra.error}</p>` : ''}
    ${extra.chosen ? html`<p class="notice" role="status">Đồng chí là thành viên của ${committees.length} cấp ủy. Đang làm việc với cấp ủy đầu tiên; chọn cấp ủy khác nếu cần.</p>` : ''}
    <p>Mỗi cấp ủy có kế hoạch, đơn vị và thành viên riêng. Trang chỉ hiện dữ liệu của cấp ủy đang chọn.</p>
    <table>
      <thead><tr><th>Cấp ủy</th><th>Vai trò</th><th>Thao tác</th></tr></thead>
      <tbody>${committees.map((c) => {
        const current = c.committeeId === currentId;
        return html`<tr data-committee="${c.committeeId}">
          <td data-label="Cấp ủy">${c.committeeName}${current ? html` <strong>(đang làm việc)</strong>` : ''}</td>
          <td data-label="Vai trò">${ROLE_LABELS[c.role]}</td>
          <td data-label="Thao tác">${
            current
              ? html`<a href="${pathFor('dashboard', {})}">Về trang các kế hoạch</a>`
              : html`<form class="inline" method="post" action="${pathFor('selectCommittee', {})}">
                  <input type="hidden" name="csrf" value="${csrf}">
                  <input type="hidden" name="committeeId" value="${c.committeeId}">
                  <button type="submit" aria-label="Chuyển sang cấp ủy này: ${c.committeeName}">Chuyển sang cấp ủy này</button>
                </form>`
          }</td>
        </tr>`;
      })}</tbody>
    </table>
    <p class="onward"><a class="button secondary" href="${pathFor('dashboard', {})}">Về trang các kế hoạch</a></p>`;
  return page('Chọn cấp ủy', body, ctx);
}
