/**
 * `bao-cao-tong-hop.docx`: a compiled draft of the committee's own report for the level above.
 * Plan header, the rates, then for each task group of the plan what each unit wrote for it
 * (the note of its latest version for that group), then the units that did not report and the
 * late ones. Units' text is data: it goes into plain text runs (the library escapes XML, and
 * {@link plainText} removes what XML cannot carry), never into styles, fields or hyperlinks.
 */
import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';
import { formatDateTimeVi, formatDateVi } from '#shared/domain/calendar.ts';
import type { PackContent, PackSummary } from './content.ts';
import { percentVi, plainText } from './text.ts';

export type ReportInput = PackSummary & Pick<PackContent, 'units'>;

export const DRAFT_MARK = 'Dự thảo — tổng hợp tự động';
export const NO_CONTENT = 'chưa có nội dung';
export const MISSING_HEADING = 'III. Các đơn vị chưa nộp báo cáo';
export const LATE_HEADING = 'IV. Các đơn vị nộp trễ hạn';

/** The report as a .docx file. */
export async function buildReportDocx(input: ReportInput): Promise<Buffer> {
  return Packer.toBuffer(reportDocument(input));
}

/** The report as a docx Document (exposed for tests and for other renderings). */
export function reportDocument(input: ReportInput): Document {
  const { plan, period } = input;
  const reported = input.units.filter((u) => u.row.status !== 'missing');
  const children: Paragraph[] = [
    new Paragraph({
      children: [new TextRun({ text: plainText(input.committeeName).toLocaleUpperCase('vi'), bold: true })],
    }),
    new Paragraph({ text: '' }),
    centered('BÁO CÁO', { bold: true, size: 32 }),
    centered(`Kết quả thực hiện Kế hoạch số ${plainText(plan.number)} năm ${period.year}`, { bold: true }),
    centered(plainText(plan.title), { italics: true }),
    centered(DRAFT_MARK, { italics: true, color: 'A50E0E' }),
    centered(
      `(Tổng hợp lúc ${formatDateTimeVi(input.generatedAt, input.timeZone)} từ báo cáo của các đơn vị; cần rà soát, biên tập trước khi ban hành.)`,
      { italics: true, size: 22 },
    ),
    heading('I. Tình hình báo cáo của các đơn vị', HeadingLevel.HEADING_1),
    body(
      `Số đơn vị phải báo cáo: ${input.expected}; đã nộp: ${input.reported}; nộp đúng hạn: ${input.onTime}; ` +
        `nộp trễ hạn: ${input.late}; chưa nộp: ${input.missing}. Hạn nộp: ${formatDateVi(period.deadline)}.`,
    ),
    body(
      `Tỷ lệ đầy đủ (đã nộp ÷ phải báo cáo): ${percentVi(input.completeness)} (${input.reported}/${input.expected}). ` +
        `Tỷ lệ đúng hạn (đúng hạn ÷ phải báo cáo): ${percentVi(input.timeliness)} (${input.onTime}/${input.expected}).`,
    ),
    heading('II. Kết quả thực hiện các nhiệm vụ', HeadingLevel.HEADING_1),
  ];

  const known = new Set(plan.taskGroups.map((g) => g.number));
  for (const group of plan.taskGroups) {
    children.push(heading(`${plainText(group.number)}. ${plainText(group.title)}`, HeadingLevel.HEADING_2));
    const silent: string[] = [];
    for (const unit of reported) {
      const note = unit.notes[group.number];
      if (note) children.push(...unitNote(unit.row.unitName, note));
      else silent.push(plainText(unit.row.unitName));
    }
    if (reported.length === 0) children.push(body('Chưa có đơn vị nào nộp báo cáo.', { italics: true }));
    else if (silent.length)
      children.push(body(`Các đơn vị ${NO_CONTENT}: ${silent.join('; ')}.`, { italics: true }));
  }
  // Notes for a group the plan no longer has (re-imported with other numbering) are kept, not lost.
  const other = reported.flatMap((u) =>
    Object.entries(u.notes)
      .filter(([group]) => !known.has(group))
      .map(([group, note]) => ({ unit: u, group, note })),
  );
  if (other.length) {
    children.push(
      heading('Nội dung khác (theo nhóm nhiệm vụ không còn trong kế hoạch)', HeadingLevel.HEADING_2),
    );
    for (const { unit, group, note } of other)
      children.push(...unitNote(`${unit.row.unitName} (nhóm ${group})`, note));
  }

  children.push(heading(MISSING_HEADING, HeadingLevel.HEADING_1));
  const missing = input.units.filter((u) => u.row.status === 'missing');
  if (missing.length === 0) children.push(body('Không có.'));
  missing.forEach((u, i) => {
    children.push(body(`${i + 1}. ${plainText(u.row.unitName)} (mã ${plainText(u.row.unitId)})`));
  });

  children.push(heading(LATE_HEADING, HeadingLevel.HEADING_1));
  const late = input.units.filter((u) => u.row.status === 'late');
  if (late.length === 0) children.push(body('Không có.'));
  late.forEach((u, i) => {
    const at = u.row.submittedAt ? `nộp lúc ${formatDateTimeVi(u.row.submittedAt, input.timeZone)}, ` : '';
    children.push(
      body(`${i + 1}. ${plainText(u.row.unitName)}: ${at}hạn nộp ${formatDateVi(u.row.deadline)}`),
    );
  });

  return new Document({
    creator: plainText(input.committeeName),
    title: `Báo cáo kết quả thực hiện Kế hoạch số ${plainText(plan.number)} năm ${period.year} (dự thảo)`,
    description: DRAFT_MARK,
    styles: {
      default: {
        document: { run: { font: 'Times New Roman', size: 28 }, paragraph: { spacing: { after: 120 } } },
        heading1: { run: { font: 'Times New Roman', size: 28, bold: true, color: '000000' } },
        heading2: { run: { font: 'Times New Roman', size: 28, bold: true, italics: true, color: '000000' } },
      },
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: 11906, height: 16838 },
            margin: { top: 1134, bottom: 1134, left: 1701, right: 850 },
          },
        },
        children,
      },
    ],
  });
}

/**
 * "<b>Unit name:</b> first paragraph of the note", then the note's other paragraphs (lines the
 * unit wrote) as paragraphs of their own; blank lines are dropped.
 */
function unitNote(unitName: string, note: string): Paragraph[] {
  const lines = plainText(note)
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const [first = '', ...rest] = lines;
  return [
    new Paragraph({
      alignment: AlignmentType.BOTH,
      children: [new TextRun({ text: `${plainText(unitName)}: `, bold: true }), new TextRun({ text: first })],
    }),
    ...rest.map((line) => body(line)),
  ];
}

type RunStyle = { bold?: boolean; italics?: boolean; size?: number; color?: string };

function centered(text: string, style: RunStyle = {}): Paragraph {
  return new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text, ...style })] });
}

function body(text: string, style: RunStyle = {}): Paragraph {
  return new Paragraph({ alignment: AlignmentType.BOTH, children: [new TextRun({ text, ...style })] });
}

function heading(text: string, level: (typeof HeadingLevel)[keyof typeof HeadingLevel]): Paragraph {
  return new Paragraph({ heading: level, children: [new TextRun({ text })] });
}
