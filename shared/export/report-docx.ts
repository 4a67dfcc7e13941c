/**
 * `bao-cao-tong-hop.docx`: a compiled draft of the committee's own report for the level above.
 * Plan header, the rates, then for each task group of the plan what each unit wrote for it
 * (the note of its latest version for that group), then the units that did not report and the
 * late ones. Units' text is data: it goes into plain text runs ({@link plainText} cleans it, and
 * the writer escapes it and removes what XML cannot carry), never into styles, fields or
 * hyperlinks.
 *
 * Written by the project's own streaming docx writer (./docx/document.ts): the paragraphs are
 * generated from the pack's content as the output drains, so nothing but that content (already in
 * memory) grows with the number of units — lists are walked again rather than collected.
 */
import type { Readable } from 'node:stream';
import { formatDateTimeVi, formatDateVi } from '#shared/domain/calendar.ts';
import type { ExportUnit, PackContent, PackSummary } from './content.ts';
import { A4, docxStream, type Paragraph, type Run } from './docx/document.ts';
import { percentVi, plainText } from './text.ts';

export type ReportInput = PackSummary & Pick<PackContent, 'units'>;

export const DRAFT_MARK = 'Dự thảo — tổng hợp tự động';
export const NO_CONTENT = 'chưa có nội dung';
export const MISSING_HEADING = 'III. Các đơn vị chưa nộp báo cáo';
export const LATE_HEADING = 'IV. Các đơn vị nộp trễ hạn';
export const OTHER_HEADING = 'Nội dung khác (theo nhóm nhiệm vụ không còn trong kế hoạch)';

/** Times New Roman 14 pt on A4, margins 2 / 2 / 3 / 1.5 cm: Vietnamese administrative documents. */
const TEXT = { font: 'Times New Roman', size: 14, language: 'vi-VN', spacingAfter: 6 };
const PAGE = { ...A4, margins: { top: 1134, bottom: 1134, left: 1701, right: 850 } };
const DRAFT_COLOR = 'A50E0E';

/** The report as a .docx byte stream (a ZIP), generated as it is read. */
export function reportDocxStream(input: ReportInput): Readable {
  return docxStream({
    title: `Báo cáo kết quả thực hiện Kế hoạch số ${plainText(input.plan.number)} năm ${input.period.year} (dự thảo)`,
    creator: plainText(input.committeeName),
    description: DRAFT_MARK,
    created: input.generatedAt,
    timeZone: input.timeZone,
    text: TEXT,
    page: PAGE,
    paragraphs: reportParagraphs(input),
  });
}

/** The report's paragraphs, in order (exposed for tests and for other renderings). */
export function* reportParagraphs(input: ReportInput): Generator<Paragraph> {
  const { plan, period } = input;
  yield { runs: [{ text: plainText(input.committeeName).toLocaleUpperCase('vi'), bold: true }] };
  yield {};
  yield centered('BÁO CÁO', { bold: true, size: 16 });
  yield centered(`Kết quả thực hiện Kế hoạch số ${plainText(plan.number)} năm ${period.year}`, {
    bold: true,
  });
  yield centered(plainText(plan.title), { italics: true });
  yield centered(DRAFT_MARK, { italics: true, color: DRAFT_COLOR });
  yield centered(
    `(Tổng hợp lúc ${formatDateTimeVi(input.generatedAt, input.timeZone)} từ báo cáo của các đơn vị; cần rà soát, biên tập trước khi ban hành.)`,
    { italics: true, size: 11 },
  );
  yield heading1('I. Tình hình báo cáo của các đơn vị');
  yield body(
    `Số đơn vị phải báo cáo: ${input.expected}; đã nộp: ${input.reported}; nộp đúng hạn: ${input.onTime}; ` +
      `nộp trễ hạn: ${input.late}; chưa nộp: ${input.missing}. Hạn nộp: ${formatDateVi(period.deadline)}.`,
  );
  yield body(
    `Tỷ lệ đầy đủ (đã nộp ÷ phải báo cáo): ${percentVi(input.completeness)} (${input.reported}/${input.expected}). ` +
      `Tỷ lệ đúng hạn (đúng hạn ÷ phải báo cáo): ${percentVi(input.timeliness)} (${input.onTime}/${input.expected}).`,
  );

  yield heading1('II. Kết quả thực hiện các nhiệm vụ');
  for (const group of plan.taskGroups) {
    yield heading2(`${plainText(group.number)}. ${plainText(group.title)}`);
    let reported = 0;
    let silent = 0;
    for (const unit of reportedUnits(input.units)) {
      reported++;
      const note = noteOf(unit, group.number);
      if (note) yield* unitNote(unit.row.unitName, note);
      else silent++;
    }
    if (reported === 0) yield body('Chưa có đơn vị nào nộp báo cáo.', { italics: true });
    else if (silent > 0) {
      // One paragraph naming every unit without a note, written name by name (a second walk).
      yield { align: 'both', runs: [{ text: silentUnits(input.units, group.number), italics: true }] };
    }
  }
  // Notes for a group the plan no longer has (re-imported with other numbering) are kept, not lost.
  const known = new Set(plan.taskGroups.map((g) => g.number));
  const others = (unit: ExportUnit) => Object.keys(unit.notes).filter((group) => !known.has(group));
  if (input.units.some((u) => u.row.status !== 'missing' && others(u).length > 0)) {
    yield heading2(OTHER_HEADING);
    for (const unit of reportedUnits(input.units)) {
      for (const group of others(unit)) {
        yield* unitNote(`${unit.row.unitName} (nhóm ${group})`, unit.notes[group]!);
      }
    }
  }

  yield heading1(MISSING_HEADING);
  let missing = 0;
  for (const u of input.units) {
    if (u.row.status !== 'missing') continue;
    yield body(`${++missing}. ${plainText(u.row.unitName)} (mã ${plainText(u.row.unitId)})`);
  }
  if (missing === 0) yield body('Không có.');

  yield heading1(LATE_HEADING);
  let late = 0;
  for (const u of input.units) {
    if (u.row.status !== 'late') continue;
    const at = u.row.submittedAt ? `nộp lúc ${formatDateTimeVi(u.row.submittedAt, input.timeZone)}, ` : '';
    yield body(`${++late}. ${plainText(u.row.unitName)}: ${at}hạn nộp ${formatDateVi(u.row.deadline)}`);
  }
  if (late === 0) yield body('Không có.');
}

function* reportedUnits(units: readonly ExportUnit[]): Generator<ExportUnit> {
  for (const unit of units) if (unit.row.status !== 'missing') yield unit;
}

/** The unit's note for a group; a group number is data, never a property of Object.prototype. */
function noteOf(unit: ExportUnit, group: string): string | undefined {
  return Object.hasOwn(unit.notes, group) ? unit.notes[group] : undefined;
}

/** "Các đơn vị chưa có nội dung: A; B; C." in pieces, one unit at a time. */
function* silentUnits(units: readonly ExportUnit[], group: string): Generator<string> {
  yield `Các đơn vị ${NO_CONTENT}: `;
  let first = true;
  for (const unit of reportedUnits(units)) {
    if (noteOf(unit, group)) continue;
    yield first ? plainText(unit.row.unitName) : `; ${plainText(unit.row.unitName)}`;
    first = false;
  }
  yield '.';
}

/**
 * "<b>Unit name:</b> first paragraph of the note", then the note's other paragraphs (lines the
 * unit wrote) as paragraphs of their own; blank lines are dropped, lines trimmed.
 */
function* unitNote(unitName: string, note: string): Generator<Paragraph> {
  const lines = plainText(note)
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const [first = '', ...rest] = lines;
  yield { align: 'both', runs: [{ text: `${plainText(unitName)}: `, bold: true }, { text: first }] };
  for (const line of rest) yield body(line);
}

type RunStyle = Omit<Run, 'text'>;

function centered(text: string, style: RunStyle = {}): Paragraph {
  return { align: 'center', runs: [{ text, ...style }] };
}

function body(text: string, style: RunStyle = {}): Paragraph {
  return { align: 'both', runs: [{ text, ...style }] };
}

function heading1(text: string): Paragraph {
  return { style: 'Heading1', runs: [{ text }] };
}

function heading2(text: string): Paragraph {
  return { style: 'Heading2', runs: [{ text }] };
}
