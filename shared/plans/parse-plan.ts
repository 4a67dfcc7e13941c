/**
 * Reads a Vietnamese Party plan (Kế hoạch) from its plain text.
 *
 * Real plans arrive as text pasted from Word, exported by mammoth or typed by hand, so the parser
 * works on cleaned lines and re-assembled paragraphs rather than on a fixed layout:
 * header (issuing body, "Số …", place and date) → "KẾ HOẠCH" → title → preamble
 * ("Thực hiện Kế hoạch số …") → numbered sections, one of which holds the task groups →
 * "Nơi nhận:" → signature block.
 */
import type { DocumentReference, ParsedPlan, ReportingFrequency, TaskGroup } from '#shared/domain/plan.ts';
import { PlanDocumentError } from '#shared/errors.ts';

/**
 * The required parts of a plan, in the order `PlanDocumentError.missing` lists them.
 * `missing` holds the Vietnamese names (`vi`); the English ones go into the log message.
 */
export const REQUIRED_PLAN_PARTS = {
  number: { vi: 'số kế hoạch', en: 'plan number' },
  title: { vi: 'tên kế hoạch', en: 'title' },
  issuer: { vi: 'cơ quan ban hành', en: 'issuing body' },
  taskGroups: { vi: 'nhiệm vụ', en: 'task groups' },
  reportingFrequency: { vi: 'định kỳ báo cáo', en: 'reporting frequency' },
} as const;

type RequiredPart = keyof typeof REQUIRED_PLAN_PARTS;

/** The parts of a plan the reader looks for, required or not (`REQUIRED_PLAN_PARTS` are required). */
export type RequiredPlanPart = RequiredPart;

/** The kinds of document a plan may be (Hướng dẫn 36-HD/VPTW): Kế hoạch, Chương trình, Hướng dẫn. */
export type PlanDocumentType = 'KH' | 'CTr' | 'HD';

/**
 * How often the text asks for reports: yearly, every six months, quarterly, monthly, "định kỳ"
 * without a period, or at a mid-term/final review (sơ kết, tổng kết).
 */
export type ReportingCycle = 'yearly' | 'half-yearly' | 'quarterly' | 'monthly' | 'periodic' | 'review';

/** A document the plan is based on ("Căn cứ …", "Thực hiện …"): its type, number, date and issuer. */
export interface ReferencedDocument {
  /** As written, e.g. "Nghị quyết", "Chỉ thị", "Kế hoạch". */
  type: string;
  number: string;
  /** `YYYY-MM-DD`, or null when the text gives no date. */
  date: string | null;
  /** e.g. "Bộ Chính trị", or null when the text names none. */
  issuer: string | null;
}

/** Every field the reader looks for, each with where it was read ({@link FieldSource}). */
export type DraftField =
  | 'documentType'
  | 'number'
  | 'date'
  | 'title'
  | 'issuer'
  | 'superior'
  | 'taskGroups'
  | 'recipients'
  | 'reportingFrequency'
  | 'deadline'
  | 'reportsTo';

/** Where a field was read: the 1-based line of the document's text, and that line or paragraph. */
export interface FieldSource {
  line: number;
  text: string;
}

/**
 * What the reader found in a plan document, read tolerantly: each required part it could not
 * find is null (or empty) and named in `missing`, in the order of {@link REQUIRED_PLAN_PARTS}.
 * `sources` says where each field found was read; a field without a source was not found.
 * The web app shows a draft for the committee to complete; {@link parsePlanText} refuses one.
 */
export interface PlanDraft {
  documentType: PlanDocumentType | null;
  number: string | null;
  date: string | null;
  title: string | null;
  issuer: string | null;
  superior: DocumentReference | null;
  /** Every document named in the title and the preamble ("Căn cứ …; Thực hiện …"), in order. */
  references: ReferencedDocument[];
  taskGroups: TaskGroup[];
  recipients: string[];
  reportingFrequency: ReportingFrequency | null;
  /** Every reporting cycle the text asks for, in the order of {@link ReportingCycle}. */
  reportingCycles: ReportingCycle[];
  /** The reporting deadline written in the text ("trước ngày 30/11"), `MM-DD`; null when none. */
  deadline: string | null;
  /** Who reports ("Các chi bộ trực thuộc"), when the reporting sentence says. */
  reportedBy: string | null;
  /** To whom reports go ("Đảng ủy Sở"), when the reporting sentence says. */
  reportsTo: string | null;
  sources: Partial<Record<DraftField, FieldSource>>;
  missing: RequiredPart[];
}

/**
 * Reads what it can of a plan from the text of a plan document (see {@link parsePlanText} for
 * the messy text it copes with); never throws for missing parts, which it lists in `missing`.
 */
export function parsePlanDraft(text: string): PlanDraft {
  const doc = readText(text);
  const sources: Partial<Record<DraftField, FieldSource>> = {};
  const note = (field: DraftField, line: number | undefined) => {
    if (line === undefined || line < 0) return;
    sources[field] = { line: line + 1, text: sourceText(doc, line) };
  };
  const heading = findPlanHeading(doc.paragraphs);
  const headerEnd = heading ? heading.paragraph.line : headerFallbackEnd(doc);
  const tasks = findTasksSection(doc.paragraphs);

  const number = findPlanNumber(doc.lines);
  const title = heading ? readTitle(doc.paragraphs, heading) : null;
  const issuer = findIssuer(doc, headerEnd);
  const taskGroups = tasks ? readTaskGroups(doc.paragraphs, tasks) : [];
  const reporting = findReporting(doc.paragraphs);
  const reportingFrequency = reporting.cycles.includes('yearly') ? 'yearly' : null;
  const date = findIssueDate(doc.lines.slice(0, headerEnd));
  const references = findReferences(doc.paragraphs, heading ? heading.index : 0, title?.end ?? 0);
  const superior = findSuperior(references);
  const recipients = findRecipients(doc.lines);
  const documentType = heading?.type ?? typeOfNumber(number?.value ?? null);

  note('documentType', heading?.paragraph.line ?? number?.line);
  note('number', number?.line);
  note('date', date?.line);
  if (title && heading)
    note('title', doc.paragraphs[heading.inlineTitle ? heading.index : heading.index + 1]?.line);
  note('issuer', issuer?.line);
  note('superior', superior ? references.source : undefined);
  if (tasks && taskGroups.length > 0) note('taskGroups', doc.paragraphs[tasks.start]?.line);
  if (recipients.list.length > 0) note('recipients', recipients.line);
  if (reportingFrequency) note('reportingFrequency', reporting.frequencyLine);
  note('deadline', reporting.deadline?.line);
  note('reportsTo', reporting.reportsTo?.line);

  const found: Record<RequiredPart, boolean> = {
    number: number !== null,
    title: title !== null,
    issuer: issuer !== null,
    taskGroups: taskGroups.length > 0,
    reportingFrequency: reportingFrequency !== null,
  };
  return {
    documentType,
    number: number?.value ?? null,
    date: date?.value ?? null,
    title: title?.text ?? null,
    issuer: issuer?.value ?? null,
    superior,
    references: references.list,
    taskGroups,
    recipients: recipients.list,
    reportingFrequency,
    reportingCycles: reporting.cycles,
    deadline: reporting.deadline?.value ?? null,
    reportedBy: reporting.reportedBy,
    reportsTo: reporting.reportsTo?.value ?? null,
    sources,
    missing: (Object.keys(REQUIRED_PLAN_PARTS) as RequiredPart[]).filter((part) => !found[part]),
  };
}

/** Most characters of a source line shown beside a field. */
const SOURCE_CHARS = 300;

/** The paragraph that starts at `line`, or the line itself, for a field's source. */
function sourceText(doc: PlanText, line: number): string {
  const paragraph = doc.paragraphs.find((p) => p.line === line);
  const text = paragraph?.text ?? doc.lines[line]?.text ?? '';
  return text.length > SOURCE_CHARS ? `${text.slice(0, SOURCE_CHARS - 1)}…` : text;
}

/**
 * Extracts a plan from the text of a plan document.
 *
 * The text may be messy: CRLF or CR line ends, a BOM, decomposed Unicode, NBSP and tabs,
 * markdown emphasis, decoration lines ("*", "-----") and page-break fragments that split a
 * sentence or a word across blank lines.
 *
 * @throws PlanDocumentError when the number, title, issuing body, task groups or yearly
 *   reporting instruction cannot be found; `missing` names each of them in Vietnamese.
 */
export function parsePlanText(text: string): ParsedPlan {
  const { missing, number, title, issuer, reportingFrequency, ...rest } = parsePlanDraft(text);
  if (missing.length > 0 || !number || !title || !issuer || !reportingFrequency) throw notAPlan(missing);
  return {
    number,
    date: rest.date,
    title,
    issuer,
    superior: rest.superior,
    taskGroups: rest.taskGroups,
    recipients: rest.recipients,
    reportingFrequency,
  };
}

/** The refusal of a plan document that lacks `parts` (Vietnamese names in `missing`). */
export function notAPlan(parts: RequiredPart[]): PlanDocumentError {
  const en = parts.map((part) => REQUIRED_PLAN_PARTS[part].en).join(', ');
  const vi = parts.map((part) => REQUIRED_PLAN_PARTS[part].vi);
  return new PlanDocumentError(
    `Not a valid plan document: missing ${en}`,
    vi,
    `Tài liệu không phải là kế hoạch hợp lệ: thiếu ${vi.join(', ')}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Text model: cleaned lines and re-assembled paragraphs
// ---------------------------------------------------------------------------------------------

interface Line {
  /** NFC text with tabs and runs of spaces kept: they separate the columns of header tables. */
  raw: string;
  /** Emphasis removed, whitespace collapsed, trimmed; '' for blank and decoration lines. */
  text: string;
}

interface Paragraph {
  text: string;
  /** Index in `lines` of the paragraph's first line. */
  line: number;
  /** Blank (or decoration) lines right before the paragraph. */
  blankBefore: number;
}

interface PlanText {
  lines: Line[];
  paragraphs: Paragraph[];
  /** All paragraphs joined by "\n", for searches that do not care about structure. */
  body: string;
}

function readText(input: string): PlanText {
  const lines = normaliseText(input)
    .split('\n')
    .map((raw) => ({ raw, text: cleanLine(raw) }));
  const paragraphs = toParagraphs(lines);
  return { lines, paragraphs, body: paragraphs.map((p) => p.text).join('\n') };
}

function normaliseText(input: string): string {
  return (
    input
      .replace(/^\uFEFF/, '')
      // Vietnamese typed on some systems arrives decomposed (base letter + combining marks).
      .normalize('NFC')
      .replace(/\r\n?|[\f\v\u2028\u2029]/g, '\n')
      // Zero-width characters, stray BOMs and soft hyphens are invisible in Word but break matching.
      .replace(/[\u200B-\u200D\u2060\uFEFF\u00AD]/g, '')
      .replace(/[\u00A0\u2000-\u200A\u202F\u205F\u3000]/g, ' ')
  );
}

/** Lines made only of stars, dashes, dots or "oOo" are layout decoration, not text. */
const DECORATION = /^[*\-–—_=~.·•oO0\s]+$/u;

function cleanLine(raw: string): string {
  const text = stripEmphasis(raw).replace(/\s+/g, ' ').trim();
  return DECORATION.test(text) ? '' : text;
}

/** Removes markdown-style emphasis (`*x*`, `**x**`) but keeps a lone "*" such as "(*)". */
function stripEmphasis(text: string): string {
  return text.replace(/\*{1,3}(?=\S)([^*\n]*?\S)\*{1,3}/g, '$1');
}

function toParagraphs(lines: Line[]): Paragraph[] {
  const paragraphs: Paragraph[] = [];
  let blanks = 0;
  lines.forEach(({ text }, index) => {
    if (text === '') {
      blanks++;
      return;
    }
    const previous = paragraphs.at(-1);
    if (previous && continuesParagraph(previous.text, text)) {
      previous.text = joinFragments(previous.text, text);
    } else {
      paragraphs.push({ text, line: index, blankBefore: blanks });
    }
    blanks = 0;
  });
  return paragraphs;
}

/** Words that cannot end a sentence or heading: a paragraph ending with one was cut by a page break. */
const CONNECTIVES = new Set(
  'của và với các những cho trong về là được theo tại để từ đến trên bởi do mà như hoặc nhằm giữa đối vì sự việc'.split(
    ' ',
  ),
);

/**
 * Whether `next` is the rest of `previous`, split off by a page break or a hard line wrap.
 * Sentences, bullets and numbered items start with a capital, a dash or a number; a fragment
 * starts with a lowercase letter, or follows a comma or a word like "của" that needs more text.
 */
function continuesParagraph(previous: string, next: string): boolean {
  if (isAllCaps(previous) || /[.!?:;…]["”’)]*$/u.test(previous)) return false;
  if (parseNumbering(next) || /^[-–—+•]/u.test(next)) return false;
  if (/^\p{Ll}/u.test(next)) return true;
  if (!/^\p{Lu}/u.test(next) || isAllCaps(next)) return false;
  return previous.endsWith(',') || CONNECTIVES.has(lastWord(previous).toLowerCase());
}

/** Joins two fragments: with a space, or without one where a word was split across them. */
function joinFragments(previous: string, next: string): string {
  if (/\p{L}-$/u.test(previous)) return previous.slice(0, -1) + next;
  if (isSplitSyllable(lastWord(previous), firstWord(next))) return previous + next;
  return `${previous} ${next}`;
}

/**
 * Every Vietnamese syllable has a vowel, so a lowercase piece without one ("chín" | "h trị",
 * "ng" | "hiệp") is half of a word that a page break cut.
 */
function isSplitSyllable(before: string, after: string): boolean {
  const isLowercasePiece = (word: string) => word !== '' && !/\p{Lu}/u.test(word);
  const hasVowel = (word: string) => /[aeiouy]/i.test(word.normalize('NFD'));
  return isLowercasePiece(before) && isLowercasePiece(after) && (!hasVowel(before) || !hasVowel(after));
}

function lastWord(text: string): string {
  return /(\p{L}+)$/u.exec(text)?.[1] ?? '';
}

function firstWord(text: string): string {
  return /^(\p{L}+)/u.exec(text)?.[1] ?? '';
}

function isAllCaps(text: string): boolean {
  return /\p{Lu}/u.test(text) && !/\p{Ll}/u.test(text);
}

/** Splits a raw line into table columns: text exported from Word separates cells by tabs or wide gaps. */
function columns(raw: string): string[] {
  return raw
    .split(/\t| {2,}/)
    .map(cleanLine)
    .filter((column) => column !== '');
}

// ---------------------------------------------------------------------------------------------
// Numbering: "I-", "II.", "1.", "1-", "1)", "a)", "b.", "đ)"
// ---------------------------------------------------------------------------------------------

type NumberingKind = 'roman' | 'arabic' | 'letter';

interface Numbering {
  kind: NumberingKind;
  /** As written, without punctuation: "II", "1", "a". */
  label: string;
  /** The heading text after the numbering. */
  rest: string;
}

const NUMBERING =
  /^\(?(?<label>[IVXLC]{1,7}|\d{1,2}|[a-zđ])\s*(?<sep>\.-|[.)\-–/])(?<space>\s*)(?<rest>\S.*)$/u;

function parseNumbering(text: string): Numbering | null {
  const match = NUMBERING.exec(text);
  if (!match?.groups) return null;
  const { label = '', sep, space, rest = '' } = match.groups;
  // "1.5 triệu", "2/3 số đảng viên", "e-learning": numbering is followed by words, and a
  // letter or a number glued to its text is only numbering before a capital ("1.Đổi mới").
  if (!/^[\p{L}"“'(]/u.test(rest)) return null;
  if (!space && !/^\p{Lu}/u.test(rest)) return null;
  const kind: NumberingKind = /^\d/.test(label) ? 'arabic' : /^[a-zđ]$/.test(label) ? 'letter' : 'roman';
  if (kind === 'letter' && sep !== ')' && sep !== '.') return null;
  if (kind === 'roman' && romanValue(label) === null) return null;
  return { kind, label, rest };
}

function romanValue(label: string): number | null {
  const values: Record<string, number> = { I: 1, V: 5, X: 10, L: 50, C: 100 };
  let total = 0;
  for (let i = 0; i < label.length; i++) {
    const value = values[label[i] ?? ''] ?? 0;
    const next = values[label[i + 1] ?? ''] ?? 0;
    total += value < next ? -value : value;
  }
  return total > 0 ? total : null;
}

/** Vietnamese lists run a b c d đ e g h i k …; some writers follow the Latin alphabet instead. */
const VIETNAMESE_LETTERS = 'abcdđeghiklmnopqrstuvxy';
const LATIN_LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** Whether `next` is the label that follows `previous` in the same list ("1" → "2", "d" → "đ"). */
function followsLabel(previous: Numbering, next: Numbering): boolean {
  if (previous.kind !== next.kind) return false;
  if (next.kind === 'arabic') return Number(next.label) === Number(previous.label) + 1;
  if (next.kind === 'roman') return romanValue(next.label) === (romanValue(previous.label) ?? 0) + 1;
  return [VIETNAMESE_LETTERS, LATIN_LETTERS].some(
    (alphabet) => alphabet.indexOf(next.label) === alphabet.indexOf(previous.label) + 1,
  );
}

// ---------------------------------------------------------------------------------------------
// Number, date, title
// ---------------------------------------------------------------------------------------------

/** A document number: Party style "30-KH/ĐUK", state style "45/KH-UBND"; spaces around "-" and "/" allowed. */
const DOCUMENT_NUMBER = String.raw`\d{1,4}\s*(?:-\s*(?:CTr|\p{Lu}{1,6})\s*\/|\/\s*(?:CTr|\p{Lu}{1,6})\s*-)\s*[\p{Lu}\d]+(?:[-.][\p{Lu}\d]+)*`;
const PLAN_NUMBER_LINE = new RegExp(String.raw`^Số\s*[:.]?\s*(${DOCUMENT_NUMBER})`, 'u');

function normaliseDocumentNumber(text: string): string {
  return text.replace(/\s+/g, '');
}

/** A value read and the index in `lines` of the line it was read from. */
interface Found<T> {
  value: T;
  line: number;
}

/** The number of a plan, programme or guide (Kế hoạch, Chương trình, Hướng dẫn): "30-KH/ĐUK", "05-CTr/ĐU", "12/KH-UBND". */
const PLAN_NUMBER = /^\d+(?:-(?<party>KH|CTr|HD)\/|\/(?<state>KH|CTr|HD)-)/u;

/** The plan's own number from the "Số …" line; a number of another kind ("45-CV/ĐU") is not a plan's. */
function findPlanNumber(lines: Line[]): Found<string> | null {
  for (const [index, line] of lines.entries()) {
    for (const column of columns(line.raw)) {
      const match = PLAN_NUMBER_LINE.exec(column);
      if (!match?.[1]) continue;
      const number = normaliseDocumentNumber(match[1]).replace(/-CTR\//u, '-CTr/');
      if (PLAN_NUMBER.test(number)) return { value: number, line: index };
    }
  }
  return null;
}

/** The document type a plan number carries ("05-CTr/ĐU" → CTr). */
function typeOfNumber(number: string | null): PlanDocumentType | null {
  const groups = number ? PLAN_NUMBER.exec(number)?.groups : undefined;
  return ((groups?.party ?? groups?.state) as PlanDocumentType | undefined) ?? null;
}

const DATE_IN_WORDS = /ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})/iu;
const DATE_IN_DIGITS = /(?<![\d/.-])(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{4})(?!\d)/u;

/** The first date in `text` ("ngày 22 tháng 3 năm 2022", "22/3/2022", "22-03-2022") as `YYYY-MM-DD`. */
function parseDate(text: string): string | null {
  const words = DATE_IN_WORDS.exec(text);
  if (words) return isoDate(words[1], words[2], words[3]);
  const digits = DATE_IN_DIGITS.exec(text);
  return digits ? isoDate(digits[1], digits[3], digits[4]) : null;
}

function isoDate(day = '', month = '', year = ''): string | null {
  const [d, m, y] = [Number(day), Number(month), Number(year)];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

/**
 * The issue date from the header ("Tam Kỳ, ngày 22 tháng 3 năm 2022"). Only the header is
 * searched: dates in the body belong to other documents. A date left blank for signing
 * ("ngày   tháng   năm 2022") gives null.
 */
function findIssueDate(headerLines: Line[]): Found<string> | null {
  for (const [index, line] of headerLines.entries()) {
    // The place-and-date line ("Tam Kỳ, ngày …"), not a date inside another document's number.
    if (!/ngày|\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}/iu.test(line.text)) continue;
    const value = parseDate(line.text);
    if (value) return { value, line: index };
  }
  return null;
}

interface PlanHeading {
  index: number;
  paragraph: Paragraph;
  type: PlanDocumentType;
  /** Title text on the heading line itself ("KẾ HOẠCH Phát triển …"), if any. */
  inlineTitle: string | null;
}

function findPlanHeading(paragraphs: Paragraph[]): PlanHeading | null {
  for (const [index, paragraph] of paragraphs.entries()) {
    const match =
      /^(?<type>KẾ\s*HOẠCH|CHƯƠNG\s*TRÌNH(?:\s+HÀNH\s+ĐỘNG)?|HƯỚNG\s*DẪN)(?:\s*[:\-–]?\s+(?<rest>\S.{4,}))?$/u.exec(
        paragraph.text,
      );
    if (!match?.groups) continue;
    const word = match.groups.type ?? '';
    const type: PlanDocumentType = word.startsWith('KẾ') ? 'KH' : word.startsWith('CHƯƠNG') ? 'CTr' : 'HD';
    // "CHƯƠNG TRÌNH HÀNH ĐỘNG" keeps its words as the heading; a rest in capitals is still the title.
    return { index, paragraph, type, inlineTitle: match.groups.rest ?? null };
  }
  return null;
}

/** The first lines of the body proper; a title line never starts like this (after its first line). */
const BODY_OPENER = /^(?:Thực hiện|Căn cứ|Triển khai|Thi hành|Nhằm|Để|Theo|Qua|Trên cơ sở)(?:\s|,|$)/u;

/** The title and the index of the paragraph after it. */
function readTitle(paragraphs: Paragraph[], heading: PlanHeading): { text: string; end: number } | null {
  if (heading.inlineTitle) return { text: heading.inlineTitle, end: heading.index + 1 };
  const first = paragraphs[heading.index + 1];
  // A paragraph ending with ":" introduces the body ("… xây dựng kế hoạch như sau:"): no title.
  if (!first || parseNumbering(first.text) || first.text.endsWith(':')) return null;
  // Lowercase continuations were already joined as fragments; a second title line that starts
  // with a capital ("Đảng bộ Sở …") is taken only when it follows directly, without a blank line.
  let text = first.text;
  let end = heading.index + 2;
  for (let next = paragraphs[end]; next && isTitleContinuation(text, next); next = paragraphs[++end]) {
    text = `${text} ${next.text}`;
  }
  return { text, end };
}

function isTitleContinuation(title: string, next: Paragraph): boolean {
  return (
    next.blankBefore === 0 &&
    next.text.length <= 120 &&
    !/[.:;!?]$/u.test(title) &&
    !/[.:;]$/u.test(next.text) &&
    !BODY_OPENER.test(next.text) &&
    !parseNumbering(next.text) &&
    !/^[-–—+•]/u.test(next.text)
  );
}

/** Without a "KẾ HOẠCH" heading the header is the top of the document, up to the first numbered section. */
function headerFallbackEnd(doc: PlanText): number {
  const section = doc.paragraphs.find((p) => parseNumbering(p.text) && isSectionHeading(p));
  return Math.min(section?.line ?? doc.lines.length, 12);
}

// ---------------------------------------------------------------------------------------------
// Superior plan
// ---------------------------------------------------------------------------------------------

/** The kinds of document a plan is based on, as the preamble names them. */
const REFERENCE_TYPES =
  'Nghị quyết|Chỉ thị|Kết luận|Quy định|Quy chế|Quyết định|Kế hoạch|Chương trình(?: hành động)?|Hướng dẫn|Công văn|Thông báo|Thông tri|Đề án';

/**
 * "Nghị quyết số 35-NQ/TW, ngày 22/10/2018 của Bộ Chính trị về …": the type, the number, an
 * optional date (digits or words) and an optional issuer after "của", up to "về", "(",
 * a comma, a semicolon or the end of the sentence.
 */
const REFERENCE = new RegExp(
  String.raw`(?<![\p{L}])(?<type>${REFERENCE_TYPES})\s+(?:số\s*:?\s*)?(?<number>${DOCUMENT_NUMBER})` +
    String.raw`\s*,?\s*(?:(?:ban hành\s+)?(?:ngày\s+(?<date>\d{1,2}\s*(?:[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}|tháng\s+\d{1,2}\s+năm\s+\d{4})))\s*,?\s*)?` +
    String.raw`(?:của\s+(?<issuer>[^,;.()\n]+?)(?=\s+(?:về|khóa|khoá|nhiệm kỳ|đối với|nhằm|trong)\s|\s*[,;.()]|\s*$))?`,
  'giu',
);

interface References {
  list: ReferencedDocument[];
  /** Index in `list` of the one the plan carries out ("Thực hiện …", "Triển khai …"), if any. */
  implemented: number | undefined;
  /** Index in `lines` of the paragraph naming the first one. */
  source: number | undefined;
}

/**
 * The documents named in the title and the preamble ("Căn cứ Nghị quyết số …; Thực hiện Kế
 * hoạch số …"). The body is not searched: documents cited there are not the ones implemented.
 */
function findReferences(paragraphs: Paragraph[], from: number, titleEnd: number): References {
  // The title may be in capitals like a section heading: the preamble ends at a heading after it.
  const firstSection = paragraphs.findIndex((p, index) => index >= titleEnd && isSectionHeading(p));
  const preamble = paragraphs.slice(from, firstSection < 0 ? undefined : firstSection);
  const list: ReferencedDocument[] = [];
  let source: number | undefined;
  let implemented: number | undefined;
  for (const paragraph of preamble) {
    for (const match of paragraph.text.matchAll(REFERENCE)) {
      const groups = match.groups ?? {};
      const number = normaliseDocumentNumber(groups.number ?? '');
      if (list.some((reference) => reference.number === number)) continue;
      const lead = paragraph.text.slice(0, match.index);
      const verb = /(?:^|[.;]\s*)(Thực hiện|Triển khai|Căn cứ|Thi hành)[^.;]*$/iu
        .exec(lead)?.[1]
        ?.toLowerCase();
      if (
        implemented === undefined &&
        (verb === 'thực hiện' || verb === 'triển khai' || verb === 'thi hành')
      ) {
        implemented = list.length;
        source = paragraph.line;
      }
      source ??= paragraph.line;
      const type = groups.type ?? '';
      list.push({
        type: type.charAt(0).toUpperCase() + type.slice(1).toLowerCase(),
        number,
        date: groups.date ? parseDate(`ngày ${groups.date}`) : null,
        issuer: groups.issuer?.trim() || null,
      });
    }
  }
  return { list, implemented, source };
}

/**
 * The superior document this plan implements: the first one "Thực hiện"/"Triển khai" introduces
 * ("Thực hiện Kế hoạch số 59-KH/ĐUK ngày 22/3/2022 của …"), else the first one named.
 */
function findSuperior(references: References): DocumentReference | null {
  const first = references.list[references.implemented ?? 0];
  return first ? { number: first.number, date: first.date } : null;
}

// ---------------------------------------------------------------------------------------------
// Task groups
// ---------------------------------------------------------------------------------------------

/**
 * "NHIỆM VỤ VÀ GIẢI PHÁP", "Nhiệm vụ, giải pháp", "NHIỆM VỤ CHỦ YẾU", "CÁC NHIỆM VỤ TRỌNG TÂM",
 * "NỘI DUNG", "NỘI DUNG VÀ GIẢI PHÁP", "GIẢI PHÁP", "NHỮNG GIẢI PHÁP CHỦ YẾU" …
 */
const TASKS_HEADING =
  /^(?:(?:các|những)\s+)?(?:(?:nội dung,?\s+)?nhiệm vụ|nội dung|(?:các\s+)?giải pháp)(?:\s|,|$)/iu;
/** The section before the tasks in most plans, whose next numbered sibling holds them when no heading says so. */
const PURPOSE_HEADING = /^mục đích/iu;
/** Sections that never hold the task groups. */
const NOT_TASKS = /^(?:tổ chức thực hiện|thời gian|thành phần|kinh phí|phân công)/iu;

interface TasksSection {
  /** Paragraph index of the heading. */
  start: number;
  /** Paragraph index where the next section (or the recipients, or the signature) begins. */
  end: number;
  /** Numbering kind of the section level; null for an unnumbered all-caps heading. */
  kind: NumberingKind | null;
}

/**
 * A heading that may start a section: Roman "I-", Arabic "1." in capitals or short without final
 * punctuation ("1. Mục đích, yêu cầu"), or an unnumbered all-caps line ("TỔ CHỨC THỰC HIỆN").
 */
function isSectionHeading(paragraph: Paragraph): boolean {
  const numbering = parseNumbering(paragraph.text);
  if (!numbering) return isAllCaps(paragraph.text) && paragraph.text.includes(' ');
  if (numbering.kind === 'roman' || isAllCaps(numbering.rest)) return true;
  return numbering.kind === 'arabic' && numbering.rest.length <= 60 && !/[.;:]$/u.test(numbering.rest);
}

function isTasksHeading(paragraph: Paragraph, numbering: Numbering | null): boolean {
  const text = numbering ? numbering.rest : paragraph.text;
  if (text.length > 80 || !TASKS_HEADING.test(text)) return false;
  if (!numbering) return isAllCaps(text);
  // An Arabic "2. Nhiệm vụ và giải pháp" is a section; "1. Nhiệm vụ phát triển … của chi bộ" is a task.
  return numbering.kind !== 'letter' && (isAllCaps(text) || text.length <= 40);
}

function findTasksSection(paragraphs: Paragraph[]): TasksSection | null {
  for (const [start, paragraph] of paragraphs.entries()) {
    const heading = parseNumbering(paragraph.text);
    if (isTasksHeading(paragraph, heading)) return sectionFrom(paragraphs, start, heading);
  }
  // No heading names the tasks: they are the numbered section after "MỤC ĐÍCH, YÊU CẦU".
  const purpose = paragraphs.findIndex((p) => {
    const numbering = parseNumbering(p.text);
    return (
      numbering !== null &&
      numbering.kind !== 'letter' &&
      isSectionHeading(p) &&
      PURPOSE_HEADING.test(numbering.rest)
    );
  });
  const purposeHeading = purpose < 0 ? null : parseNumbering(paragraphs[purpose]?.text ?? '');
  if (!purposeHeading) return null;
  const next = paragraphs.findIndex((p, index) => {
    if (index <= purpose) return false;
    const numbering = parseNumbering(p.text);
    return (
      numbering !== null && numbering.kind === purposeHeading.kind && followsLabel(purposeHeading, numbering)
    );
  });
  const nextHeading = next < 0 ? null : parseNumbering(paragraphs[next]?.text ?? '');
  if (!nextHeading || NOT_TASKS.test(nextHeading.rest)) return null;
  return sectionFrom(paragraphs, next, nextHeading);
}

function sectionFrom(paragraphs: Paragraph[], start: number, heading: Numbering | null): TasksSection {
  const firstNumbered = paragraphs
    .slice(start + 1)
    .map((p) => parseNumbering(p.text))
    .find((n) => n !== null);
  const offset = paragraphs
    .slice(start + 1)
    .findIndex((p) => endsTasksSection(p, heading, firstNumbered?.kind));
  const end = offset < 0 ? paragraphs.length : start + 1 + offset;
  return { start, end, kind: heading?.kind ?? null };
}

/** The next heading of the same level, the recipients or the signature closes the tasks section. */
function endsTasksSection(
  paragraph: Paragraph,
  heading: Numbering | null,
  groupKind: NumberingKind | undefined,
): boolean {
  if (/^Nơi nhận/iu.test(paragraph.text) || SIGNATURE.test(paragraph.text)) return true;
  const numbering = parseNumbering(paragraph.text);
  if (!numbering) return isAllCaps(paragraph.text) && paragraph.text.includes(' ');
  // Under an unnumbered heading the groups may be Roman ("I. …"): only another kind of Roman section ends it.
  if (!heading)
    return numbering.kind === 'roman' && (groupKind !== 'roman' || NOT_TASKS.test(numbering.rest));
  return numbering.kind === heading.kind && (followsLabel(heading, numbering) || isAllCaps(numbering.rest));
}

function readTaskGroups(paragraphs: Paragraph[], section: TasksSection): TaskGroup[] {
  const groups: { heading: Numbering; body: string[] }[] = [];
  let groupKind: NumberingKind | null = null;
  for (const paragraph of paragraphs.slice(section.start + 1, section.end)) {
    const numbering = parseNumbering(paragraph.text);
    groupKind ??= numbering && numbering.kind !== section.kind ? numbering.kind : null;
    const current = groups.at(-1);
    // Only the next label in sequence opens a group, so "a)" items or a stray "3)" inside a
    // task's body stay in that body.
    if (numbering && numbering.kind === groupKind && (!current || followsLabel(current.heading, numbering))) {
      groups.push({ heading: numbering, body: [] });
    } else {
      current?.body.push(paragraph.text);
    }
  }
  return groups.map(({ heading, body }) => ({
    number: heading.label,
    title: heading.rest,
    body: body.join('\n'),
  }));
}

// ---------------------------------------------------------------------------------------------
// Issuer
// ---------------------------------------------------------------------------------------------

/** The start of an organisation's name in an all-caps header line. */
const ORGANISATION =
  /^(?:ĐẢNG (?:ỦY|UỶ|BỘ|ĐOÀN)|(?:TỈNH|THÀNH|HUYỆN|QUẬN|THỊ) (?:ỦY|UỶ)|BAN (?:THƯỜNG VỤ|CHẤP HÀNH|CÁN SỰ|CHỈ ĐẠO)|CHI (?:ỦY|UỶ|BỘ)|CÔNG ĐOÀN|ĐOÀN)(?:\s|$)/u;
const SIGNATURE = /^(?:T\/M|T\.M\.?|TM\.?|TM\/)\s*(?<organisation>\p{Lu}[\p{Lu}\s]*)$/u;

/**
 * The issuing body, in normal case: from the header ("ĐẢNG ỦY SỞ …" above "Số …"), else from
 * the signature block ("T/M ĐẢNG ỦY"), made specific by the body's own wording where it names
 * the same body ("… báo cáo về Đảng ủy Sở"), else from that wording alone.
 */
function findIssuer(doc: PlanText, headerEnd: number): Found<string> | null {
  const header = findHeaderIssuer(doc.lines.slice(0, headerEnd));
  if (header) return { value: toNormalCase(header.value, doc.body), line: header.line };
  const phrase = findIssuerPhrase(doc.body);
  const phraseFound = phrase ? { value: phrase, line: lineOfText(doc, phrase) } : null;
  const signature = findSignatureIssuer(doc.lines);
  if (!signature) return phraseFound;
  const name = toNormalCase(signature.value, doc.body);
  return phraseFound && phrase?.toLowerCase().startsWith(name.toLowerCase())
    ? phraseFound
    : { value: name, line: signature.line };
}

/** The first line of the paragraph that contains `text`. */
function lineOfText(doc: PlanText, text: string): number {
  return doc.paragraphs.find((p) => p.text.includes(text))?.line ?? -1;
}

/**
 * The header names the superior organisation first and the issuer last ("ĐẢNG BỘ TỈNH …",
 * "ĐẢNG ỦY SỞ …"), sometimes wrapped onto a second all-caps line; "ĐẢNG CỘNG SẢN VIỆT NAM" is
 * the motto column, not an issuer.
 */
function findHeaderIssuer(headerLines: Line[]): Found<string> | null {
  let issuer: Found<string> | null = null;
  let previousWasIssuer = false;
  for (const [index, line] of headerLines.entries()) {
    const column = columns(line.raw)[0] ?? '';
    if (ORGANISATION.test(column)) {
      issuer = { value: column, line: index };
      previousWasIssuer = true;
    } else if (previousWasIssuer && issuer && isNameContinuation(column)) {
      issuer = { value: `${issuer.value} ${column}`, line: issuer.line };
    } else {
      previousWasIssuer = false;
    }
  }
  return issuer;
}

/** The wrapped rest of a header name ("VÀ PHÁT TRIỂN NÔNG THÔN"), not the motto, a date or the heading. */
function isNameContinuation(column: string): boolean {
  return isAllCaps(column) && !/\d/.test(column) && !/^(?:ĐẢNG CỘNG SẢN|CỘNG HÒA|KẾ HOẠCH)/u.test(column);
}

function findSignatureIssuer(lines: Line[]): Found<string> | null {
  let issuer: Found<string> | null = null;
  for (const [index, line] of lines.entries()) {
    for (const column of columns(line.raw)) {
      const organisation = SIGNATURE.exec(column)?.groups?.organisation;
      if (organisation) issuer = { value: organisation.trim(), line: index };
    }
  }
  return issuer;
}

const ORGANISATION_IN_TEXT = '(?:Đảng (?:ủy|uỷ|bộ)|Ban (?:Thường vụ|Chấp hành)|Chi (?:ủy|uỷ|bộ))';
/** "Đảng ủy Sở xây dựng kế hoạch …": the issuer introduces its own plan. */
const ISSUER_INTRODUCES_PLAN = new RegExp(
  String.raw`(?:^|[.:;]\s+)(${ORGANISATION_IN_TEXT}[^.;:,\n]*?)\s+(?:xây dựng|ban hành)\s+kế hoạch`,
  'imu',
);
/** "… báo cáo kết quả thực hiện về Đảng ủy Sở.": reports go back to the issuer. */
const REPORTS_TO_ISSUER = new RegExp(
  String.raw`báo cáo[^.\n]*?\svề\s+(${ORGANISATION_IN_TEXT}[^.;,()\n]*?)\s*(?:[.;,()]|$|\s(?:trước|để|qua|theo|vào)\s)`,
  'imu',
);

function findIssuerPhrase(body: string): string | null {
  const match = ISSUER_INTRODUCES_PLAN.exec(body) ?? REPORTS_TO_ISSUER.exec(body);
  return match?.[1]?.trim() ?? null;
}

/**
 * Turns an all-caps name into normal case. The document usually spells the same name in normal
 * case somewhere ("Đảng ủy Sở Văn hóa, Thể thao và Du lịch"), and that spelling wins; otherwise
 * the usual rules apply (see `capitaliseName`).
 */
function toNormalCase(name: string, body: string): string {
  // Not the name followed by its verb ("Đảng ủy Sở xây dựng kế hoạch" is no "Sở Xây dựng").
  const pattern = new RegExp(
    `(?<![\\p{L}])${escapeRegExp(name).replace(/\s+/g, '\\s+')}(?![\\p{L}])(?!\\s+(?:kế hoạch|chương trình|hướng dẫn|như sau))`,
    'giu',
  );
  for (const match of body.matchAll(pattern)) {
    if (/^\p{Lu}/u.test(match[0]) && /\p{Ll}/u.test(match[0])) return match[0].replace(/\s+/g, ' ');
  }
  return capitaliseName(name);
}

const ALWAYS_CAPITALISED = new Set(['đảng', 'sở', 'khối', 'ban']);
// Not "xã": in "Lao động - Thương binh và Xã hội" it is society, not a commune.
const PLACE_WORDS = new Set(['tỉnh', 'huyện', 'quận']);

/**
 * Vietnamese capitalisation of an organisation's name: "Đảng", "Sở", "Khối", "Ban" and the word
 * after "Sở"/"Ban"; each part of a department's name ("Sở Thông tin và Truyền thông", "Sở Lao
 * động - Thương binh và Xã hội"); every word of a place name after "tỉnh"/"huyện".
 */
function capitaliseName(name: string): string {
  const words = name.toLowerCase().split(/\s+/);
  let inDepartment = false;
  let inPlace = false;
  return words
    .map((word, index) => {
      const previous = words[index - 1] ?? '';
      const startsPart = previous === 'và' || previous === '-' || previous.endsWith(',');
      const capital =
        index === 0 ||
        inPlace ||
        ALWAYS_CAPITALISED.has(word) ||
        previous === 'sở' ||
        previous === 'ban' ||
        (inDepartment && startsPart);
      inDepartment ||= word === 'sở';
      // "Đảng ủy xã Tịnh Hà": a commune after the committee's name (elsewhere "xã" is society).
      inPlace ||= PLACE_WORDS.has(word) || (word === 'xã' && /^(?:ủy|uỷ|bộ)$/u.test(previous));
      return capital ? word.charAt(0).toUpperCase() + word.slice(1) : word;
    })
    .join(' ');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

// ---------------------------------------------------------------------------------------------
// Recipients and reporting frequency
// ---------------------------------------------------------------------------------------------

const BULLET = /^[-–—+•·]\s*/u;

/**
 * The entries under "Nơi nhận:" ("- Lưu: ĐU." → "Lưu: ĐU"). The list ends at the signature
 * block (which Word often puts in a column beside it, hence the column split), at any other
 * text, or at a run of blank lines.
 */
function findRecipients(lines: Line[]): { list: string[]; line: number } {
  const start = lines.findIndex((line) => /^Nơi nhận(?:\s|:|$)/iu.test(columns(line.raw)[0] ?? ''));
  if (start < 0) return { list: [], line: -1 };
  const recipients: string[] = [];
  const sameLine = (columns(lines[start]?.raw ?? '')[0] ?? '').replace(/^Nơi nhận\s*:?\s*/iu, '');
  if (BULLET.test(sameLine)) recipients.push(cleanRecipient(sameLine));

  let blanks = 0;
  for (const line of lines.slice(start + 1)) {
    const cells = columns(line.raw);
    if (cells.length === 0) {
      if (recipients.length > 0 && ++blanks >= 2) break;
      continue;
    }
    blanks = 0;
    const entry = cells.find((cell) => BULLET.test(cell)) ?? unbulletedRecipient(cells[0] ?? '');
    if (!entry) break;
    recipients.push(cleanRecipient(entry));
  }
  return { list: recipients.filter((recipient) => recipient !== ''), line: start };
}

/** "Như trên;" without a bullet is still an entry; "T/M ĐẢNG ỦY", "BÍ THƯ" or a name is not. */
function unbulletedRecipient(cell: string): string | null {
  return /[;.]$/u.test(cell) && !isAllCaps(cell) && !SIGNATURE.test(cell) ? cell : null;
}

function cleanRecipient(entry: string): string {
  return entry
    .replace(BULLET, '')
    .replace(/[\s;.,]+$/u, '')
    .trim();
}

const CYCLES: [ReportingCycle, RegExp][] = [
  [
    'yearly',
    /(?:^|[^\p{L}])(?:(?:hàng|hằng|mỗi)\s+năm|(?:01|1|một)\s+lần\s*\/\s*năm|cuối năm|năm một lần)(?![\p{L}])/iu,
  ],
  [
    'half-yearly',
    /(?:^|[^\p{L}])(?:(?:0?6|sáu)\s+tháng(?:\s+(?:một lần|đầu năm))?|nửa năm|giữa năm)(?![\p{L}])/iu,
  ],
  ['quarterly', /(?:^|[^\p{L}])(?:(?:hàng|hằng|mỗi)\s+quý|quý\s+một lần|theo quý)(?![\p{L}])/iu],
  ['monthly', /(?:^|[^\p{L}])(?:(?:hàng|hằng|mỗi)\s+tháng|theo tháng)(?![\p{L}])/iu],
  ['periodic', /(?:^|[^\p{L}])định kỳ(?![\p{L}])/iu],
  ['review', /(?:^|[^\p{L}])(?:sơ kết|tổng kết)(?![\p{L}])/iu],
];
const REPORT = /báo cáo(?!\s+viên)/iu;

/** "trước ngày 30/11", "trước ngày 10 tháng 12 hằng năm", "chậm nhất ngày 15/12", "trước 15/12", "hạn chót …". */
const DEADLINE =
  /(?:trước|chậm nhất|muộn nhất|hạn chót|không quá|hạn cuối)\s*(?:là\s*)?(?:vào\s*)?(?:ngày\s*)?(?<day>\d{1,2})\s*(?:[/.-]\s*|\s+tháng\s+)(?<month>\d{1,2})(?:\s*(?:[/.-]\s*|\s+năm\s+)(?<year>\d{4}))?(?!\d)/iu;

const ORGANISATION_OR_OFFICE = `(?:${ORGANISATION_IN_TEXT}|Văn phòng|Ban Tuyên giáo|Ban Tổ chức|Ủy ban Kiểm tra|Uỷ ban Kiểm tra|Thường trực|Ban Chỉ đạo)`;
const REPORTS_TO = new RegExp(
  String.raw`(?:\s(?:về|cho|lên)|gửi(?:\s+về)?)\s+(${ORGANISATION_OR_OFFICE}[^.;,()\n]*?)\s*(?=[.;,()]|$|\s\d|\s(?:trước|để|qua|theo|vào|chậm|định|hằng|hàng|mỗi|tổng hợp|và\s+(?:Ban|Văn))\s)`,
  'iu',
);
/** The subject of a reporting sentence: the units that report. */
const REPORTER =
  /(?:^[-–+•]?\s*|[.;:]\s*|,\s*)(?<who>(?:[Cc]ác|[Cc]ấp [uủ]y các|[Bb]an chi [uủ]y các)\s+(?:chi bộ|đảng bộ|tổ chức cơ sở đảng|tổ đảng|đơn vị|đoàn thể|chi, đảng bộ)[^,.;:]*?|(?:(?:Ban Chấp hành )?Công đoàn|Đoàn Thanh niên|Chi đoàn|[Cc]hi [uủ]y|Ủy ban Kiểm tra|Uỷ ban Kiểm tra)[^,.;:]*?)(?=\s+(?:định kỳ|hằng|hàng|mỗi|báo cáo|tổng hợp|gửi|có trách nhiệm|thực hiện|chủ động|căn cứ|xây dựng|triển khai|tổ chức|sơ kết|tổng kết)(?:\s|[,.;:]|$)|,)/u;

interface Reporting {
  cycles: ReportingCycle[];
  /** Index in `lines` of the paragraph with the yearly reporting sentence. */
  frequencyLine: number | undefined;
  deadline: Found<string> | null;
  reportedBy: string | null;
  reportsTo: Found<string> | null;
}

/**
 * The reporting duty, from the sentences that speak of reports ("Định kỳ hằng năm báo cáo …",
 * "… báo cáo kết quả 6 tháng, năm trước ngày 30/11 về Đảng ủy Sở"): every cycle named, the
 * deadline (`MM-DD`), who reports and to whom. The first sentence that says each wins.
 */
function findReporting(paragraphs: Paragraph[]): Reporting {
  const cycles = new Set<ReportingCycle>();
  const result: Reporting = {
    cycles: [],
    frequencyLine: undefined,
    deadline: null,
    reportedBy: null,
    reportsTo: null,
  };
  for (const paragraph of paragraphs) {
    const sentences = paragraph.text.split(/(?<=[.;!?])\s+/u);
    sentences.forEach((sentence, index) => {
      if (!REPORT.test(sentence)) return;
      // "Định kỳ hằng năm, …" may open the sentence before, as its own clause.
      const context = `${/định kỳ|hằng năm|hàng năm/iu.test(sentences[index - 1] ?? '') && (sentences[index - 1] ?? '').length < 60 ? sentences[index - 1] : ''} ${sentence}`;
      for (const [cycle, pattern] of CYCLES) {
        if (!pattern.test(context)) continue;
        if (cycle === 'yearly') result.frequencyLine ??= paragraph.line;
        cycles.add(cycle);
      }
      const deadline = DEADLINE.exec(sentence)?.groups;
      if (deadline && !result.deadline) {
        const day = Number(deadline.day);
        const month = Number(deadline.month);
        const valid = isoDate(String(day), String(month), deadline.year ?? '2024');
        if (valid) result.deadline = { value: valid.slice(5), line: paragraph.line };
      }
      const to = REPORTS_TO.exec(sentence)?.[1]?.trim();
      if (to && !result.reportsTo) result.reportsTo = { value: to, line: paragraph.line };
      // The subject may open the sentence before ("Các chi bộ triển khai …; định kỳ … báo cáo").
      let who = REPORTER.exec(sentence)?.groups?.who;
      for (let back = index - 1; !who && back >= 0; back--)
        who = REPORTER.exec(sentences[back] ?? '')?.groups?.who;
      who = who?.trim();
      if (who && !result.reportedBy) result.reportedBy = who.charAt(0).toUpperCase() + who.slice(1);
    });
  }
  // "định kỳ" names a period of its own only when no other cycle is given.
  if ([...cycles].some((cycle) => cycle !== 'periodic' && cycle !== 'review')) cycles.delete('periodic');
  result.cycles = CYCLES.map(([cycle]) => cycle).filter((cycle) => cycles.has(cycle));
  return result;
}
