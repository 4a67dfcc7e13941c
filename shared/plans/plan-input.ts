/**
 * A plan's fields as the committee edits them before saving (the web app's preview form, or the
 * JSON of `POST /api/plans`): every value as typed, validated at once with one Vietnamese message
 * per field, so that a form can show each problem beside its field and keep what was typed.
 */
import { formatDateVi, parseDateVi, parseMonthDay } from '#shared/domain/calendar.ts';
import { planIdFor, slugify } from '#shared/domain/ids.ts';
import type { ParsedPlan, Plan, TaskGroup } from '#shared/domain/plan.ts';
import { ValidationError } from '#shared/errors.ts';
import { PLAN_FIELD_LIMITS as LIMITS } from '#shared/input-limits.ts';
import type { PlanDraft, RequiredPlanPart } from '#shared/plans/parse-plan.ts';
import { defaultCalendar } from '#shared/plans/stored-plans.ts';

/** One task group as edited: its numbering as written ("1", "II", "a"), title and body. */
export interface TaskGroupInput {
  number: string;
  title: string;
  body: string;
}

/** A plan's editable fields, as typed (dates `dd/mm/yyyy`, the deadline `dd/mm`). */
export interface PlanInput {
  number: string;
  /** `dd/mm/yyyy` (or `YYYY-MM-DD`); '' when the plan has no date. */
  date: string;
  title: string;
  issuer: string;
  /** The superior document this plan implements ("Thực hiện Kế hoạch số …"); '' for none. */
  superiorNumber: string;
  superiorDate: string;
  /** In the order they are saved in; a group with an empty number is numbered by its position. */
  taskGroups: TaskGroupInput[];
  /** "Nơi nhận", one entry each. */
  recipients: string[];
  /** Only `yearly` ("hằng năm") exists. */
  reportingFrequency: string;
  /** The yearly deadline, `dd/mm` (or `MM-DD`). */
  deadline: string;
  sourceFileName: string;
}

/** The fields of {@link PlanInput}, as the keys of {@link FieldErrors}. */
export type PlanField = keyof PlanInput;

/**
 * Problems by field: a {@link PlanField}, or `taskGroups.<i>.number|title|body` for the i-th
 * group (0-based, in the input's order). One Vietnamese message each.
 */
export type FieldErrors = Record<string, string>;

/** Fields that failed validation: nothing was saved. HTTP 400, `fields` for the form. */
export class PlanInputError extends ValidationError {
  constructor(readonly fields: FieldErrors) {
    const entries = Object.entries(fields);
    super(
      `Invalid plan fields: ${entries.map(([field]) => field).join(', ')}`,
      entries.map(([field, message]) => `${field}: ${message}`),
      `Kế hoạch chưa lưu được, hãy sửa: ${entries.map(([, message]) => message).join(' ')}`,
    );
  }
}

/** A plan's fields, validated and normalised, ready to be stored. */
export interface ValidPlanInput {
  plan: ParsedPlan;
  /** `MM-DD` */
  deadline: string;
  sourceFileName: string;
  /** The id the plan is stored under (number and year). */
  planId: string;
}

/** The reader's required parts → the form fields that show them. */
export const FIELD_OF_PART: Record<RequiredPlanPart, PlanField> = {
  number: 'number',
  title: 'title',
  issuer: 'issuer',
  taskGroups: 'taskGroups',
  reportingFrequency: 'reportingFrequency',
};

/** The only reporting frequency, with its Vietnamese label. */
export const REPORTING_FREQUENCIES = { yearly: 'Hằng năm' } as const;

const EARLIEST_YEAR = 1945;
const LATEST_YEAR = 2100;

/**
 * Validates every field at once.
 * @throws PlanInputError naming each field with a problem (and what is wrong with it).
 */
export function validatePlanInput(raw: unknown): ValidPlanInput {
  const errors: FieldErrors = {};
  const source =
    raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const text = (field: PlanField): string => {
    const value = source[field] ?? '';
    if (typeof value === 'string') return value;
    errors[field] = 'Giá trị phải là chữ.';
    return '';
  };
  const bounded = (field: PlanField, value: string, max: number, label: string): string => {
    if (length(value) > max) errors[field] = `${label} dài quá ${max} ký tự (hiện ${length(value)}).`;
    return value;
  };

  const number = bounded('number', oneLine(text('number')).replace(/\s+/g, ''), LIMITS.number, 'Số kế hoạch');
  if (!errors.number) {
    if (number === '') errors.number = 'Hãy nhập số kế hoạch, ví dụ 30-KH/ĐUK.';
    else if (!/\d/.test(number) || slugify(number) === '') {
      errors.number = 'Số kế hoạch phải có chữ số, ví dụ 30-KH/ĐUK.';
    }
  }
  const date = optionalDate('date', text('date'), 'Ngày ban hành', errors);
  const title = bounded('title', oneLine(text('title')), LIMITS.title, 'Tên kế hoạch');
  if (title === '' && !errors.title) errors.title = 'Hãy nhập tên kế hoạch.';
  const issuer = bounded('issuer', oneLine(text('issuer')), LIMITS.issuer, 'Cơ quan ban hành');
  if (issuer === '' && !errors.issuer) errors.issuer = 'Hãy nhập cơ quan ban hành, ví dụ Đảng ủy Sở.';

  const superiorNumber = bounded(
    'superiorNumber',
    oneLine(text('superiorNumber')).replace(/\s+/g, ''),
    LIMITS.superiorNumber,
    'Số văn bản cấp trên',
  );
  const superiorDate = optionalDate('superiorDate', text('superiorDate'), 'Ngày văn bản cấp trên', errors);
  if (superiorNumber === '' && superiorDate !== null && !errors.superiorNumber) {
    errors.superiorNumber = 'Hãy nhập số của văn bản cấp trên (hoặc xóa ngày của nó).';
  }

  const taskGroups = validateTaskGroups(source.taskGroups, errors);
  const recipients = validateRecipients(source.recipients, errors);

  const frequency = text('reportingFrequency');
  if (!errors.reportingFrequency && frequency !== 'yearly') {
    errors.reportingFrequency = 'Hãy chọn định kỳ báo cáo (hằng năm).';
  }
  let deadline = '';
  try {
    deadline = parseDayMonthVi(text('deadline'));
  } catch (error) {
    errors.deadline ??= error instanceof ValidationError ? error.userMessage : 'Hạn nộp không hợp lệ.';
  }
  const sourceFileName = bounded(
    'sourceFileName',
    oneLine(text('sourceFileName')).split(/[\\/]/).pop() ?? '',
    LIMITS.sourceFileName,
    'Tên tệp',
  );

  if (Object.keys(errors).length > 0) throw new PlanInputError(errors);
  return {
    plan: {
      number,
      date,
      title,
      issuer,
      superior: superiorNumber ? { number: superiorNumber, date: superiorDate } : null,
      taskGroups,
      recipients,
      reportingFrequency: 'yearly',
    },
    deadline,
    sourceFileName,
    planId: planIdFor(number, date),
  };
}

/**
 * A yearly deadline as typed: `dd/mm` (also `d/m`, `dd.mm`) — day first, as Vietnamese readers
 * write it — or the stored form `MM-DD` (month first, with a hyphen) → `MM-DD`.
 * @throws ValidationError with a Vietnamese message.
 */
export function parseDayMonthVi(value: string): string {
  const text = typeof value === 'string' ? value.trim() : '';
  const vi = /^(\d{1,2})[/.](\d{1,2})$/.exec(text);
  const monthDay = vi ? `${vi[2]!.padStart(2, '0')}-${vi[1]!.padStart(2, '0')}` : text;
  try {
    return parseMonthDay(monthDay);
  } catch {
    throw new ValidationError(
      `Invalid day/month ${JSON.stringify(text.slice(0, 40))}: expected dd/mm`,
      [],
      `Hạn nộp "${text.slice(0, 20)}" không hợp lệ: cần ngày/tháng có thật, ví dụ 15/12.`,
    );
  }
}

/** `MM-DD` → `dd/mm`. */
export function formatDayMonthVi(monthDay: string): string {
  return `${monthDay.slice(3, 5)}/${monthDay.slice(0, 2)}`;
}

/**
 * The form's first values for a document just read: what the reader found, dates as `dd/mm/yyyy`;
 * `deadline` is the existing plan's (a re-import keeps the committee's calendar) or the default.
 */
export function inputFromDraft(
  draft: Pick<
    PlanDraft,
    'number' | 'date' | 'title' | 'issuer' | 'superior' | 'taskGroups' | 'recipients' | 'reportingFrequency'
  >,
  fileName: string,
  deadline: string,
): PlanInput {
  return {
    number: draft.number ?? '',
    date: draft.date ? formatDateVi(draft.date) : '',
    title: draft.title ?? '',
    issuer: draft.issuer ?? '',
    superiorNumber: draft.superior?.number ?? '',
    superiorDate: draft.superior?.date ? formatDateVi(draft.superior.date) : '',
    taskGroups: draft.taskGroups.map(({ number, title, body }) => ({ number, title, body })),
    recipients: [...draft.recipients],
    reportingFrequency: draft.reportingFrequency ?? '',
    deadline: formatDayMonthVi(deadline),
    sourceFileName: fileName.split(/[\\/]/).pop() ?? fileName,
  };
}

/** A stored plan as the form's values. */
export function inputFromPlan(plan: Plan): PlanInput {
  return inputFromDraft(plan, plan.sourceFileName, plan.calendar.deadline);
}

/** The plan stored from valid input: new, or replacing the parsed fields of `existing`. */
export function planFromInput(
  valid: ValidPlanInput,
  existing: Plan | undefined,
  now: string,
  timeZone: string,
): Plan {
  const calendar = existing?.calendar ?? defaultCalendar(timeZone);
  return {
    ...valid.plan,
    id: valid.planId,
    calendar: { ...calendar, deadline: valid.deadline },
    recipientUnitIds: existing?.recipientUnitIds ?? null,
    sourceFileName: valid.sourceFileName,
    importedAt: existing?.importedAt ?? now,
    updatedAt: now,
  };
}

function validateTaskGroups(raw: unknown, errors: FieldErrors): TaskGroup[] {
  if (raw !== undefined && !Array.isArray(raw)) {
    errors.taskGroups = 'Danh sách nhóm nhiệm vụ không hợp lệ.';
    return [];
  }
  const rows = (raw ?? []) as unknown[];
  if (rows.length === 0) {
    errors.taskGroups = 'Cần ít nhất một nhóm nhiệm vụ: hãy điền tên nhóm vào một dòng trống.';
    return [];
  }
  if (rows.length > LIMITS.taskGroups) {
    errors.taskGroups = `Tối đa ${LIMITS.taskGroups} nhóm nhiệm vụ (hiện ${rows.length}); hãy xóa bớt.`;
    return [];
  }
  const seen = new Map<string, number>();
  return rows.map((row, index) => {
    const at = (part: string) => `taskGroups.${index}.${part}`;
    const value = (part: keyof TaskGroupInput): string => {
      const v = row && typeof row === 'object' ? (row as Record<string, unknown>)[part] : undefined;
      if (v === undefined || typeof v === 'string') return v ?? '';
      errors[at(part)] = 'Giá trị phải là chữ.';
      return '';
    };
    const typed = oneLine(value('number')).replace(/[\s.):–-]+$/u, '');
    const number = typed === '' ? String(index + 1) : typed;
    const title = oneLine(value('title'));
    const body = block(value('body'));
    if (length(number) > LIMITS.taskGroupNumber || !/^[\p{L}\p{N}]+$/u.test(number)) {
      errors[at('number')] ??=
        `Số thứ tự "${number.slice(0, 20)}" không hợp lệ: chỉ gồm chữ và số, tối đa ${LIMITS.taskGroupNumber} ký tự (ví dụ 1, II, a).`;
    } else if (seen.has(number.toLowerCase())) {
      errors[at('number')] ??=
        `Số thứ tự "${number}" trùng với nhóm thứ ${seen.get(number.toLowerCase())! + 1}; mỗi nhóm một số riêng.`;
    }
    seen.set(number.toLowerCase(), index);
    if (title === '') errors[at('title')] ??= 'Hãy nhập tên nhóm nhiệm vụ (hoặc đánh dấu xóa).';
    else if (length(title) > LIMITS.taskGroupTitle) {
      errors[at('title')] ??=
        `Tên nhóm nhiệm vụ dài quá ${LIMITS.taskGroupTitle} ký tự (hiện ${length(title)}).`;
    }
    if (length(body) > LIMITS.taskGroupBody) {
      errors[at('body')] ??=
        `Nội dung nhóm nhiệm vụ dài quá ${LIMITS.taskGroupBody} ký tự (hiện ${length(body)}).`;
    }
    return { number, title, body };
  });
}

function validateRecipients(raw: unknown, errors: FieldErrors): string[] {
  const lines = typeof raw === 'string' ? raw.split('\n') : raw === undefined ? [] : raw;
  if (!Array.isArray(lines) || lines.some((line) => typeof line !== 'string')) {
    errors.recipients = 'Nơi nhận phải là danh sách, mỗi nơi một dòng.';
    return [];
  }
  const entries = [
    ...new Set(
      (lines as string[]).map((line) =>
        oneLine(line)
          .replace(/^[-–—+•·*]\s*/u, '')
          .replace(/[\s;.,]+$/u, ''),
      ),
    ),
  ].filter((line) => line !== '');
  if (entries.length > LIMITS.recipients) {
    errors.recipients = `Tối đa ${LIMITS.recipients} nơi nhận (hiện ${entries.length}).`;
  } else {
    const long = entries.find((entry) => length(entry) > LIMITS.recipient);
    if (long) errors.recipients = `Mỗi nơi nhận tối đa ${LIMITS.recipient} ký tự ("${long.slice(0, 30)}…").`;
  }
  return entries;
}

function optionalDate(field: PlanField, typed: string, label: string, errors: FieldErrors): string | null {
  const value = oneLine(typed);
  if (value === '') return null;
  try {
    const date = parseDateVi(value);
    const year = Number(date.slice(0, 4));
    if (year < EARLIEST_YEAR || year > LATEST_YEAR) {
      errors[field] ??= `${label} phải trong khoảng năm ${EARLIEST_YEAR}–${LATEST_YEAR}.`;
    }
    return date;
  } catch {
    errors[field] ??=
      `${label} "${value.slice(0, 20)}" không hợp lệ: cần ngày có thật dạng ngày/tháng/năm, ví dụ 22/03/2022.`;
    return null;
  }
}

/**
 * Control characters (C0 but tab and newlines, DEL, C1), zero-width characters and soft
 * hyphens: invisible in Word and in the browser, they would make two equal texts differ.
 */
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200D\u2060\uFEFF\u00AD]/g;

/** NFC, invisible characters removed, every run of white space (newlines too) one space, trimmed. */
function oneLine(value: string): string {
  return value.normalize('NFC').replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
}

/** NFC, invisible characters removed, line ends "\n", trailing spaces of lines dropped, trimmed. */
function block(value: string): string {
  return value
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(INVISIBLE, '')
    .replace(/[ \t]+$/gm, '')
    .trim();
}

/** Length in characters as people count them (code points). */
function length(value: string): number {
  return [...value].length;
}
