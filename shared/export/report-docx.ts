/**
 * `bao-cao-tong-hop.docx`: a draft of the committee's own report for the level above, laid out as
 * a Party report (Hướng dẫn 36-HD/VPTW: ./docx/party-frame.ts). The header block, "BÁO CÁO" and
 * "Kết quả thực hiện Kế hoạch số … năm …"; Part I the results: how the units reported (the
 * counts, the rates, the units that did not report or were late, a table of every unit), then for
 * each task group of the plan what each unit wrote for it (the note of its latest version for
 * that group, the unit named); Parts II–IV (shortcomings, next year's direction, proposals) as
 * marked placeholders the office writes; "Nơi nhận" and the "T/M ĐẢNG ỦY" block. A4, Times New
 * Roman 14 pt, margins 2 / 2 / 3 / 1.5 cm; marked "Dự thảo" throughout its header.
 *
 * Units' text is data: it goes into plain text runs ({@link plainText} cleans it, and the writer
 * escapes it and removes what XML cannot carry), never into styles, fields or hyperlinks.
 *
 * Written by the project's own streaming docx writer (./docx/document.ts): the paragraphs and
 * table rows are generated from the pack's content as the output drains, so nothing but that
 * content (already in memory) grows with the number of units — lists are walked again rather
 * than collected.
 */
import type { Readable } from 'node:stream';
import { formatDateTimeVi, formatDateVi } from '#shared/domain/calendar.ts';
import { INDICATION_LABELS, signedBy } from '#shared/domain/signature-result.ts';
import type { ExportUnit, PackContent, PackSummary } from './content.ts';
import { A4, type Block, docxStream, type Paragraph, type Run, type TableRow } from './docx/document.ts';
import { closingBlock, headerBlock } from './docx/party-frame.ts';
import { STATUS_LABELS } from './summary-columns.ts';
import { percentVi, plainText, timeZoneVi } from './text.ts';

export type ReportInput = PackSummary & Pick<PackContent, 'units'>;

export const DRAFT_MARK = 'Dự thảo — tổng hợp tự động';
export const NO_CONTENT = 'chưa có nội dung';
export const PART_RESULTS = 'I. KẾT QUẢ ĐẠT ĐƯỢC';
export const REPORTING_HEADING = '1. Tình hình báo cáo của các đơn vị';
export const TASKS_HEADING = '2. Kết quả thực hiện các nhiệm vụ';
export const PART_SHORTCOMINGS = 'II. HẠN CHẾ, KHUYẾT ĐIỂM VÀ NGUYÊN NHÂN';
export const PART_PROPOSALS = 'IV. KIẾN NGHỊ, ĐỀ XUẤT';
export const OTHER_HEADING = 'Nội dung khác (theo nhóm nhiệm vụ không còn trong kế hoạch)';
/** The part a person writes: what each placeholder starts with. */
export const PLACEHOLDER_START = '[Văn phòng Đảng ủy bổ sung:';

/** "III. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM <next year>". */
export function directionHeading(year: number): string {
  return `III. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM ${year + 1}`;
}

/** Times New Roman 14 pt on A4, margins 2 / 2 / 3 / 1.5 cm (Hướng dẫn 36-HD/VPTW). */
const TEXT = { font: 'Times New Roman', size: 14, language: 'vi-VN', spacingAfter: 6 };
const PAGE = { ...A4, margins: { top: 1134, bottom: 1134, left: 1701, right: 850 } };
const DRAFT_COLOR = 'A50E0E';
/** First-line indent of body paragraphs: 1 cm. */
const INDENT = 567;
/** The units table: STT, Đơn vị, Tình trạng, Thời điểm nộp (9,355 twips: the text width). */
const UNIT_TABLE_COLUMNS = [680, 4_875, 1_500, 2_300];
const TABLE_HEADER_FILL = 'E8E8E8';

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
    paragraphs: reportBlocks(input),
  });
}

/** The report's paragraphs and tables, in order (exposed for tests and for other renderings). */
export function* reportBlocks(input: ReportInput): Generator<Block> {
  const { plan, period } = input;
  yield headerBlock(input);
  yield centered('BÁO CÁO', { bold: true, size: 15 }, { spacingBefore: 18, spacingAfter: 0 });
  yield centered(
    `Kết quả thực hiện Kế hoạch số ${plainText(plan.number)} năm ${period.year}`,
    { bold: true },
    { spacingAfter: 0 },
  );
  yield centered(plainText(plan.title), { italics: true }, { spacingAfter: 0 });
  yield centered('-----', {}, { spacingAfter: 0 });
  yield centered(DRAFT_MARK, { italics: true, bold: true, color: DRAFT_COLOR }, { spacingAfter: 0 });
  yield centered(
    `(Tổng hợp lúc ${formatDateTimeVi(input.generatedAt, input.timeZone)}, ${timeZoneVi(input.timeZone, input.generatedAt)}, từ báo cáo của các đơn vị; cần rà soát, biên tập trước khi ban hành.)`,
    { italics: true, size: 11, color: DRAFT_COLOR },
    { spacingAfter: 12 },
  );
  const planDate = plan.date ? ` ngày ${formatDateVi(plan.date)}` : '';
  const issuer = plan.issuer ? ` của ${plainText(plan.issuer)}` : '';
  yield body(
    `Thực hiện Kế hoạch số ${plainText(plan.number)}${planDate}${issuer} về ${plainText(plan.title)}, ` +
      `${plainText(input.committeeName)} báo cáo kết quả thực hiện năm ${period.year} như sau:`,
  );

  yield heading(1, PART_RESULTS);
  yield heading(2, REPORTING_HEADING);
  yield body(
    `Số đơn vị phải báo cáo: ${input.expected}; đã nộp: ${input.reported}; nộp đúng hạn: ${input.onTime}; ` +
      `nộp trễ hạn: ${input.late}; chưa nộp: ${input.missing}. Hạn nộp: ${formatDateVi(period.deadline)}.`,
  );
  yield body(
    `Tỷ lệ đầy đủ (đã nộp ÷ phải báo cáo): ${percentVi(input.completeness)} (${input.reported}/${input.expected}). ` +
      `Tỷ lệ đúng hạn (đúng hạn ÷ phải báo cáo): ${percentVi(input.timeliness)} (${input.onTime}/${input.expected}).`,
  );
  if (input.missing > 0) yield namesParagraph('Các đơn vị chưa nộp báo cáo: ', input.units, 'missing');
  if (input.late > 0) yield namesParagraph('Các đơn vị nộp trễ hạn: ', input.units, 'late');
  yield body('Tình hình nộp báo cáo của từng đơn vị:', {}, { keepNext: true });
  yield { kind: 'table', columns: UNIT_TABLE_COLUMNS, borders: true, rows: unitTableRows(input) };

  yield heading(2, TASKS_HEADING);
  for (const group of plan.taskGroups) {
    yield heading(3, `${plainText(group.number)}. ${plainText(group.title)}`);
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
      yield {
        align: 'both',
        firstLineIndent: INDENT,
        runs: [{ text: silentUnits(input.units, group.number), italics: true }],
      };
    }
  }
  // Notes for a group the plan no longer has (re-imported with other numbering) are kept, not lost.
  const known = new Set(plan.taskGroups.map((g) => g.number));
  const others = (unit: ExportUnit) => Object.keys(unit.notes).filter((group) => !known.has(group));
  if (input.units.some((u) => u.row.status !== 'missing' && others(u).length > 0)) {
    yield heading(3, OTHER_HEADING);
    for (const unit of reportedUnits(input.units)) {
      for (const group of others(unit)) {
        yield* unitNote(`${unit.row.unitName} (nhóm ${group})`, unit.notes[group]!);
      }
    }
  }

  yield heading(1, PART_SHORTCOMINGS);
  yield placeholder(
    `những hạn chế, khuyết điểm trong thực hiện Kế hoạch năm ${period.year} và nguyên nhân (khách quan, chủ quan).]`,
  );
  yield heading(1, directionHeading(period.year));
  yield placeholder(`phương hướng, nhiệm vụ, giải pháp thực hiện Kế hoạch trong năm ${period.year + 1}.]`);
  yield heading(1, PART_PROPOSALS);
  yield placeholder('kiến nghị, đề xuất với cấp ủy cấp trên (nếu có).]');
  yield { spacingAfter: 0 };
  yield closingBlock(input);
}

/** The table of units: a repeated header row, then one row per expected unit in unit id order. */
function* unitTableRows(input: ReportInput): Generator<TableRow> {
  const head = (text: string): Paragraph => ({
    align: 'center',
    spacingAfter: 0,
    runs: [{ text, bold: true, size: 13 }],
  });
  yield {
    header: true,
    cantSplit: true,
    cells: [
      'STT',
      'Đơn vị',
      'Tình trạng',
      `Thời điểm nộp (${timeZoneVi(input.timeZone, input.generatedAt)})`,
    ].map((text) => ({ paragraphs: [head(text)], fill: TABLE_HEADER_FILL, vAlign: 'center' as const })),
  };
  const cellOf = (text: string, align: Paragraph['align'] = 'left') => ({
    paragraphs: [{ align, spacingAfter: 0, runs: [{ text, size: 13 }] }],
  });
  let n = 0;
  for (const unit of input.units) {
    const { row } = unit;
    yield {
      cantSplit: true,
      cells: [
        cellOf(String(++n), 'center'),
        withSigners(cellOf(plainText(row.unitName)), unit),
        cellOf(STATUS_LABELS[row.status], 'center'),
        cellOf(row.submittedAt ? formatDateTimeVi(row.submittedAt, input.timeZone) : '', 'center'),
      ],
    };
  }
}

/**
 * The unit's signers under its name (docs/signatures.md): "Ký số: Nguyễn Văn A (Chi bộ X) — Hợp lệ",
 * one line per signer and result of its files' signatures.
 */
function withSigners<T extends { paragraphs: Paragraph[] }>(cell: T, unit: ExportUnit): T {
  const lines = new Set<string>();
  for (const file of unit.files) {
    const result = unit.signatures?.[file.uploadId];
    const who = signedBy(result);
    if (result && who) lines.add(`Ký số: ${plainText(who)} — ${INDICATION_LABELS[result.indication]}`);
  }
  const extra = [...lines].map((text) => ({
    align: 'left' as const,
    spacingAfter: 0,
    runs: [{ text, size: 11 }],
  }));
  return { ...cell, paragraphs: [...cell.paragraphs, ...extra] };
}

function* reportedUnits(units: readonly ExportUnit[]): Generator<ExportUnit> {
  for (const unit of units) if (unit.row.status !== 'missing') yield unit;
}

/** The unit's note for a group; a group number is data, never a property of Object.prototype. */
function noteOf(unit: ExportUnit, group: string): string | undefined {
  return Object.hasOwn(unit.notes, group) ? unit.notes[group] : undefined;
}

/** "<lead>A; B; C." naming the units of one status, in pieces (one unit at a time). */
function namesParagraph(lead: string, units: readonly ExportUnit[], status: 'missing' | 'late'): Paragraph {
  function* names(): Generator<string> {
    let first = true;
    for (const unit of units) {
      if (unit.row.status !== status) continue;
      yield first ? plainText(unit.row.unitName) : `; ${plainText(unit.row.unitName)}`;
      first = false;
    }
    yield '.';
  }
  return { align: 'both', firstLineIndent: INDENT, runs: [{ text: lead }, { text: names() }] };
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
  yield {
    align: 'both',
    firstLineIndent: INDENT,
    runs: [{ text: `${plainText(unitName)}: `, bold: true }, { text: first }],
  };
  for (const line of rest) yield body(line);
}

/** A part the office writes: visibly marked (red italics in brackets). */
function placeholder(text: string): Paragraph {
  return body(`${PLACEHOLDER_START} ${text}`, { italics: true, color: DRAFT_COLOR });
}

type RunStyle = Omit<Run, 'text'>;
type ParagraphLook = Omit<Paragraph, 'runs' | 'style' | 'align'>;

function centered(text: string, style: RunStyle = {}, look: ParagraphLook = {}): Paragraph {
  return { align: 'center', ...look, runs: [{ text, ...style }] };
}

function body(text: string, style: RunStyle = {}, look: ParagraphLook = {}): Paragraph {
  return { align: 'both', firstLineIndent: INDENT, ...look, runs: [{ text, ...style }] };
}

function heading(level: 1 | 2 | 3, text: string): Paragraph {
  return { style: `Heading${level}`, spacingBefore: level === 1 ? 6 : 0, runs: [{ text }] };
}
