import { html, type PageSession, page } from '#functions/http/html.ts';
import type { ReportStatus } from '#shared/domain/period.ts';

/** Committee pages (Vietnamese). Pure functions of the data they show. */

export const STATUS_LABELS: Record<ReportStatus, string> = {
  on_time: 'Đúng hạn',
  late: 'Trễ hạn',
  missing: 'Chưa nộp',
};

interface PageContext {
  committeeName: string;
  timeZone: string;
  /** The signed-in committee member, for the header's sign-out button. */
  session?: PageSession | undefined;
}

/**
 * An error or notice page, always with a way onward: the list of plans and, when the page was
 * reached without a session (or the session is what failed), the sign-in page.
 */
export function renderMessage(title: string, message: string, ctx: PageContext): string {
  const onward = html`<p class="onward"><a class="button" href="/admin">Về trang các kế hoạch</a>${
    ctx.session ? '' : html` <a class="button secondary" href="/admin/sign-in">Đăng nhập</a>`
  }</p>`;
  return page(title, html`<h1>${title}</h1><p>${message}</p>${onward}`, ctx);
}
