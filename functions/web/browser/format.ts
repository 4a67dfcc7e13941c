/**
 * Text the upload page's script shows, written as the server writes it so that a receipt drawn
 * in the browser reads like the one rendered by functions/web/upload-page.ts
 * (test/unit/web/upload-script.test.ts compares them). Sizes come from shared/domain/bytes.ts
 * itself. No DOM here: Node's tests import it.
 */

/** The extension of a file name, lower-case, without the dot; '' when it has none. */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot >= 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/**
 * An instant as dd/mm/yyyy hh:mm in `timeZone`, as `formatDateTimeVi` (shared/domain/calendar.ts)
 * writes it.
 */
export function formatDateTime(iso: string, timeZone: string | undefined): string {
  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  })
    .formatToParts(new Date(iso))
    .forEach((p) => {
      parts[p.type] = p.value;
    });
  return parts.day + '/' + parts.month + '/' + parts.year + ' ' + parts.hour + ':' + parts.minute;
}

/**
 * The unit's status line ("Tình trạng") as functions/web/upload-page.ts writes it, from the
 * status JSON: updated in place after an upload.
 */
export function statusLine(view: {
  status: 'on_time' | 'late' | 'missing';
  submittedAt: string | null;
  latestVersion: number;
}): string {
  if (view.status === 'missing' || !view.submittedAt) return 'Chưa nộp';
  return (
    'Đã nộp lần số ' + view.latestVersion + ' (' + (view.status === 'on_time' ? 'đúng hạn' : 'trễ hạn') + ')'
  );
}
