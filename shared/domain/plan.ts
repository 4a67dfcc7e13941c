/**
 * Plans (Kế hoạch) as parsed from a document and as stored.
 * Dates are calendar dates `YYYY-MM-DD` (no time, no zone); month-days are `MM-DD`.
 */

/** A numbered task group under "NHIỆM VỤ VÀ GIẢI PHÁP". */
export interface TaskGroup {
  /** The numbering as written, without punctuation: "1", "2", "II", "a". */
  number: string;
  /** The heading text, verbatim (without the numbering). */
  title: string;
  /** The body under the heading, paragraphs joined by "\n", page-break fragments re-joined. */
  body: string;
}

/** Another document referred to, e.g. the superior plan that this plan implements. */
export interface DocumentReference {
  /** e.g. "59-KH/ĐUK" */
  number: string;
  /** `YYYY-MM-DD` or null when the text gives no date. */
  date: string | null;
}

export type ReportingFrequency = 'yearly';

/**
 * File extensions a plan document may have, lower case with the dot (shared/plans/
 * read-plan-document.ts reads them; here so that a page can name them without bundling it).
 */
export const PLAN_DOCUMENT_EXTENSIONS = ['.txt', '.docx', '.pdf'] as const;

/** What the importer extracts from a plan document. */
export interface ParsedPlan {
  /** e.g. "30-KH/ĐUK" (without the "Số" prefix) */
  number: string;
  /** Issue date `YYYY-MM-DD`, or null when the document has none. */
  date: string | null;
  /** The title line(s) after "KẾ HOẠCH", e.g. "Đổi mới công tác tư tưởng trong tình hình mới". */
  title: string;
  /** The issuing body, e.g. "Đảng ủy Sở" (from the header, the signature block or the text). */
  issuer: string;
  /** The superior plan this one implements ("Thực hiện Kế hoạch số … ngày …"), or null. */
  superior: DocumentReference | null;
  taskGroups: TaskGroup[];
  /** Entries under "Nơi nhận", without bullets and trailing ";" or "." */
  recipients: string[];
  /** From "Định kỳ hàng năm báo cáo …" → 'yearly'. */
  reportingFrequency: ReportingFrequency;
}

/**
 * The reminder curve a plan gets by default (docs/reminders.md): days from each unit's own
 * deadline, negative before it (reminders), positive after it (overdue notices). The one place
 * these steps are written: the default calendar, the cost model (infra/cost-model.ts, one
 * reminder per step) and the cost benchmark (bench/cost.ts) are derived from it.
 */
export const DEFAULT_REMINDER_DAYS: readonly number[] = Object.freeze([-14, -7, -3, -1, 1, 7]);

/** The yearly reporting calendar of a plan; every date is local to `timeZone`. */
export interface ReportingCalendar {
  frequency: ReportingFrequency;
  /** Deadline month-day `MM-DD`, default "12-15". */
  deadline: string;
  /** The period opens this many days before the deadline (default 30). */
  openDaysBefore: number;
  /** The period closes (late uploads refused) this many days after the deadline (default 30). */
  closeDaysAfter: number;
  /**
   * Reminder steps in days relative to the deadline: negative before, positive after (default
   * {@link DEFAULT_REMINDER_DAYS}).
   */
  reminderDays: number[];
  /** IANA zone, default "Asia/Ho_Chi_Minh". */
  timeZone: string;
}

export interface Plan extends ParsedPlan {
  /** Stable id derived from number and year, e.g. "30-kh-duk-2022". */
  id: string;
  calendar: ReportingCalendar;
  /** Unit ids this plan is addressed to; null means every active unit. */
  recipientUnitIds: string[] | null;
  sourceFileName: string;
  importedAt: string;
  updatedAt: string;
}
