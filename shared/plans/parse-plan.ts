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

/**
 * What the reader found in a plan document, read tolerantly: each required part it could not
 * find is null (or empty) and named in `missing`, in the order of {@link REQUIRED_PLAN_PARTS}.
 * The web app shows a draft for the committee to complete; {@link parsePlanText} refuses one.
 */
export interface PlanDraft {
  number: string | null;
  date: string | null;
  title: string | null;
  issuer: string | null;
  superior: DocumentReference | null;
  taskGroups: TaskGroup[];
  recipients: string[];
  reportingFrequency: ReportingFrequency | null;
  missing: RequiredPart[];
}

/**
 * Reads what it can of a plan from the text of a plan document (see {@link parsePlanText} for
 * the messy text it copes with); never throws for missing parts, which it lists in `missing`.
 */
export function parsePlanDraft(text: string): PlanDraft {
  const doc = readText(text);
  const heading = findPlanHeading(doc.paragraphs);
  const headerEnd = heading ? heading.paragraph.line : headerFallbackEnd(doc);
  const tasks = findTasksSection(doc.paragraphs);

  const number = findPlanNumber(doc.lines);
  const title = heading ? readTitle(doc.paragraphs, heading) : null;
  const issuer = findIssuer(doc, headerEnd);
  const taskGroups = tasks ? readTaskGroups(doc.paragraphs, tasks) : [];
  const reportingFrequency = findReportingFrequency(doc.paragraphs);

  const found: Record<RequiredPart, boolean> = {
    number: number !== null,
    title: title !== null,
    issuer: issuer !== null,
    taskGroups: taskGroups.length > 0,
    reportingFrequency: reportingFrequency !== null,
  };
  return {
    number,
    date: findIssueDate(doc.lines.slice(0, headerEnd)),
    title: title?.text ?? null,
    issuer,
    superior: findSuperior(doc.paragraphs, heading ? heading.index + 1 : 0, title?.end ?? 0),
    taskGroups,
    recipients: findRecipients(doc.lines),
    reportingFrequency,
    missing: (Object.keys(REQUIRED_PLAN_PARTS) as RequiredPart[]).filter((part) => !found[part]),
  };
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

function notAPlan(parts: RequiredPart[]): PlanDocumentError {
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
const DOCUMENT_NUMBER = String.raw`\d{1,4}\s*(?:-\s*\p{Lu}{1,6}\s*\/|\/\s*\p{Lu}{1,6}\s*-)\s*[\p{Lu}\d]+(?:[-.][\p{Lu}\d]+)*`;
const PLAN_NUMBER_LINE = new RegExp(String.raw`^Số\s*[:.]?\s*(${DOCUMENT_NUMBER})`, 'u');

function normaliseDocumentNumber(text: string): string {
  return text.replace(/\s+/g, '');
}

/** The plan's own number from the "Số …" line; a number of another kind ("45-CV/ĐU") is not a plan's. */
function findPlanNumber(lines: Line[]): string | null {
  for (const line of lines) {
    for (const column of columns(line.raw)) {
      const match = PLAN_NUMBER_LINE.exec(column);
      if (!match?.[1]) continue;
      const number = normaliseDocumentNumber(match[1]);
      if (/^\d+(?:-KH\/|\/KH-)/u.test(number)) return number;
    }
  }
  return null;
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
function findIssueDate(headerLines: Line[]): string | null {
  return parseDate(headerLines.map((line) => line.text).join('\n'));
}

interface PlanHeading {
  index: number;
  paragraph: Paragraph;
  /** Title text on the heading line itself ("KẾ HOẠCH Phát triển …"), if any. */
  inlineTitle: string | null;
}

function findPlanHeading(paragraphs: Paragraph[]): PlanHeading | null {
  for (const [index, paragraph] of paragraphs.entries()) {
    const match = /^KẾ\s*HOẠCH(?:\s*[:\-–]?\s+(?<rest>\S.{4,}))?$/u.exec(paragraph.text);
    if (match) return { index, paragraph, inlineTitle: match.groups?.rest ?? null };
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

const SUPERIOR = new RegExp(
  String.raw`(?:Thực hiện|Căn cứ|Triển khai)\s+Kế hoạch\s+số\s*:?\s*(${DOCUMENT_NUMBER})\s*,?\s*(?:ban hành\s+)?(?:ngày\s+([^,;()]{6,30}))?`,
  'iu',
);

/**
 * The superior plan named in the title or the preamble ("Thực hiện Kế hoạch số 59-KH/ĐUK ngày
 * 22/3/2022 của …"). The body is not searched: plans cited there are not the one implemented.
 */
function findSuperior(paragraphs: Paragraph[], from: number, titleEnd: number): DocumentReference | null {
  // The title may be in capitals like a section heading: the preamble ends at a heading after it.
  const firstSection = paragraphs.findIndex((p, index) => index >= titleEnd && isSectionHeading(p));
  const preamble = paragraphs.slice(from, firstSection < 0 ? undefined : firstSection);
  const match = SUPERIOR.exec(preamble.map((p) => p.text).join('\n'));
  if (!match?.[1]) return null;
  const date = match[2] ? parseDate(`ngày ${match[2]}`) : null;
  return { number: normaliseDocumentNumber(match[1]), date };
}

// ---------------------------------------------------------------------------------------------
// Task groups
// ---------------------------------------------------------------------------------------------

/** "NHIỆM VỤ VÀ GIẢI PHÁP", "Nhiệm vụ, giải pháp", "NHIỆM VỤ CHỦ YẾU", "CÁC NHIỆM VỤ TRỌNG TÂM" … */
const TASKS_HEADING = /^(?:(?:các|những)\s+)?(?:nội dung,?\s+)?nhiệm vụ(?:\s|,|$)/iu;

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
    if (!isTasksHeading(paragraph, heading)) continue;
    const offset = paragraphs.slice(start + 1).findIndex((p) => endsTasksSection(p, heading));
    const end = offset < 0 ? paragraphs.length : start + 1 + offset;
    return { start, end, kind: heading?.kind ?? null };
  }
  return null;
}

/** The next heading of the same level, the recipients or the signature closes the tasks section. */
function endsTasksSection(paragraph: Paragraph, heading: Numbering | null): boolean {
  if (/^Nơi nhận/iu.test(paragraph.text) || SIGNATURE.test(paragraph.text)) return true;
  const numbering = parseNumbering(paragraph.text);
  if (!numbering) return isAllCaps(paragraph.text) && paragraph.text.includes(' ');
  if (!heading) return numbering.kind === 'roman';
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
  /^(?:ĐẢNG (?:ỦY|UỶ|BỘ)|BAN (?:THƯỜNG VỤ|CHẤP HÀNH|CÁN SỰ)|CHI (?:ỦY|UỶ|BỘ)|CÔNG ĐOÀN|ĐOÀN)(?:\s|$)/u;
const SIGNATURE = /^(?:T\/M|T\.M\.?|TM\.?|TM\/)\s*(?<organisation>\p{Lu}[\p{Lu}\s]*)$/u;

/**
 * The issuing body, in normal case: from the header ("ĐẢNG ỦY SỞ …" above "Số …"), else from
 * the signature block ("T/M ĐẢNG ỦY"), made specific by the body's own wording where it names
 * the same body ("… báo cáo về Đảng ủy Sở"), else from that wording alone.
 */
function findIssuer(doc: PlanText, headerEnd: number): string | null {
  const header = findHeaderIssuer(doc.lines.slice(0, headerEnd));
  if (header) return toNormalCase(header, doc.body);
  const phrase = findIssuerPhrase(doc.body);
  const signature = findSignatureIssuer(doc.lines);
  if (!signature) return phrase;
  const name = toNormalCase(signature, doc.body);
  return phrase?.toLowerCase().startsWith(name.toLowerCase()) ? phrase : name;
}

/**
 * The header names the superior organisation first and the issuer last ("ĐẢNG BỘ TỈNH …",
 * "ĐẢNG ỦY SỞ …"), sometimes wrapped onto a second all-caps line; "ĐẢNG CỘNG SẢN VIỆT NAM" is
 * the motto column, not an issuer.
 */
function findHeaderIssuer(headerLines: Line[]): string | null {
  let issuer: string | null = null;
  let previousWasIssuer = false;
  for (const line of headerLines) {
    const column = columns(line.raw)[0] ?? '';
    if (ORGANISATION.test(column)) {
      issuer = column;
      previousWasIssuer = true;
    } else if (previousWasIssuer && isNameContinuation(column)) {
      issuer = `${issuer} ${column}`;
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

function findSignatureIssuer(lines: Line[]): string | null {
  let issuer: string | null = null;
  for (const line of lines) {
    for (const column of columns(line.raw)) {
      const organisation = SIGNATURE.exec(column)?.groups?.organisation;
      if (organisation) issuer = organisation.trim();
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
  const pattern = new RegExp(`(?<![\\p{L}])${escapeRegExp(name).replace(/\s+/g, '\\s+')}(?![\\p{L}])`, 'giu');
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
      inPlace ||= PLACE_WORDS.has(word);
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
function findRecipients(lines: Line[]): string[] {
  const start = lines.findIndex((line) => /^Nơi nhận(?:\s|:|$)/iu.test(columns(line.raw)[0] ?? ''));
  if (start < 0) return [];
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
  return recipients.filter((recipient) => recipient !== '');
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

const YEARLY = /(?:^|[^\p{L}])(?:(?:hàng|hằng|mỗi)\s+năm|(?:01|1|một)\s+lần\s*\/\s*năm)(?![\p{L}])/iu;
const REPORT = /báo cáo(?!\s+viên)/iu;

/** "Định kỳ hàng năm báo cáo …", "… báo cáo kết quả hằng năm …", "mỗi năm một lần … báo cáo". */
function findReportingFrequency(paragraphs: Paragraph[]): ReportingFrequency | null {
  const sentences = paragraphs.flatMap((p) => p.text.split(/(?<=[.;!?])\s+/u));
  return sentences.some((sentence) => YEARLY.test(sentence) && REPORT.test(sentence)) ? 'yearly' : null;
}
