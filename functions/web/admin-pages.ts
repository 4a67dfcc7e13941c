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

export function renderMessage(title: string, message: string, ctx: PageContext): string {
  return page(title, html`<h1>${title}</h1><p>${message}</p>`, ctx);
}
