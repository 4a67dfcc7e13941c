/**
 * The frame of a Party document (Hướng dẫn 36-HD/VPTW, 03/04/2018, under Quy định 66-QĐ/TW) as the
 * compiled report uses it: the header block (superior organisation, issuing committee, `*`, the
 * number; the motto "ĐẢNG CỘNG SẢN VIỆT NAM", place and date), and the closing block ("Nơi nhận"
 * beside "T/M …" and the signer). The names come from the configuration or the plan; what nobody
 * knows yet (the number, the day, the signer) is left as dots for the office to fill in.
 */
import type { Plan } from '#shared/domain/plan.ts';
import { plainText } from '../text.ts';
import type { Paragraph, Table, TableCell } from './document.ts';

/** Dots a person fills in by hand. */
export const BLANK = '…';
const LONG_BLANK = '……………';

/**
 * The two columns of the header and closing blocks, in twips (A4 less 3 cm and 1.5 cm margins:
 * 9,355): the left one as wide as the motto's column allows, so that names wrap less.
 */
const LEFT = 4_900;
const RIGHT = 4_455;

export interface PartyFrameInput {
  plan: Pick<Plan, 'number' | 'issuer' | 'recipients'>;
  committeeName: string;
  committeePlace?: string | undefined;
  superiorCommittee?: string | undefined;
}

/** A committee's kind, first words of its name: Đảng ủy, Chi bộ, Ban Thường vụ … */
const COMMITTEE_KIND =
  /^(Đảng (?:ủy|uỷ)|Chi (?:ủy|uỷ|bộ)|Ban Thường vụ|Ban Chấp hành|Đảng đoàn|Ban cán sự đảng)(?=\s|$)/iu;
/** An organisation among a plan's recipients (not "Các chi bộ …", not "Lưu …"). */
const ORGANISATION =
  /^(?:Ban Thường vụ|Ban Chấp hành|Đảng (?:ủy|uỷ)|Tỉnh (?:ủy|uỷ)|Thành (?:ủy|uỷ)|Huyện (?:ủy|uỷ)|Quận (?:ủy|uỷ)|Thị (?:ủy|uỷ))\s/u;

/**
 * The superior committee: the configured one, else the first organisation among the plan's
 * recipients (a plan is sent up "để báo cáo" first), else none.
 */
export function superiorCommitteeOf(input: PartyFrameInput): string | undefined {
  if (input.superiorCommittee?.trim()) return plainText(input.superiorCommittee.trim());
  const first = input.plan.recipients
    .map((r) => r.replace(/\s*\((?:để )?(?:b\/c|báo cáo)\)\s*$/iu, '').trim())
    .find((r) => ORGANISATION.test(r));
  return first ? plainText(first) : undefined;
}

/**
 * The header's first line: the superior Party organisation ("Đảng ủy Khối các cơ quan tỉnh" →
 * "ĐẢNG BỘ KHỐI CÁC CƠ QUAN TỈNH": a committee leads its Đảng bộ), or dots.
 */
export function superiorHeaderLine(superior: string | undefined): string {
  if (!superior) return `ĐẢNG BỘ ${LONG_BLANK}`;
  const organisation = superior.replace(/^(?:Ban Thường vụ |Ban Chấp hành )?Đảng (?:ủy|uỷ)\s+/iu, 'Đảng bộ ');
  return organisation.toLocaleUpperCase('vi');
}

/** "ĐUS" from "12-KH/ĐUS": the committee's sign after the plan number's slash, or dots. */
export function committeeSign(planNumber: string): string {
  const sign = /\/\s*([^\s/]+)\s*$/u.exec(plainText(planNumber))?.[1];
  return sign ?? BLANK;
}

/** "ĐẢNG ỦY" of "T/M ĐẢNG ỦY" from the committee's name (Đảng ủy when it cannot tell). */
export function committeeKind(committeeName: string): string {
  const kind = COMMITTEE_KIND.exec(plainText(committeeName).trim())?.[1] ?? 'Đảng ủy';
  return kind.replace(/uỷ/iu, 'ủy').toLocaleUpperCase('vi');
}

const FRAME = { spacingAfter: 0, align: 'center' } as const;

function line(text: string, style: Omit<Paragraph, 'runs'> & RunLook = {}): Paragraph {
  const { bold, italics, underline, size, ...paragraph } = style;
  return { ...FRAME, ...paragraph, runs: [{ text, bold, italics, underline, size }] };
}

interface RunLook {
  bold?: boolean;
  italics?: boolean;
  underline?: boolean;
  size?: number;
}

function cell(paragraphs: Paragraph[]): TableCell {
  return { paragraphs };
}

/**
 * The header block, a borderless table of two columns: superior organisation (upper case),
 * issuing committee (upper case, bold), `*`, "Số: …-BC/<sign>" | "ĐẢNG CỘNG SẢN VIỆT NAM"
 * (bold, underlined), "<place>, ngày … tháng … năm …" (italics).
 */
export function headerBlock(input: PartyFrameInput): Table {
  const superior = superiorCommitteeOf(input);
  const place = input.committeePlace?.trim() ? plainText(input.committeePlace.trim()) : LONG_BLANK;
  return {
    kind: 'table',
    columns: [LEFT, RIGHT],
    borders: false,
    rows: [
      {
        cantSplit: true,
        cells: [
          cell([
            // 13 pt: the superior's name, often long, then fits on one line more often.
            line(superiorHeaderLine(superior), { size: 13 }),
            line(plainText(input.committeeName).toLocaleUpperCase('vi'), { bold: true }),
            line('*'),
            line(`Số: ${BLANK}-BC/${committeeSign(input.plan.number)}`),
          ]),
          cell([
            line('ĐẢNG CỘNG SẢN VIỆT NAM', { bold: true, underline: true, size: 15 }),
            line(`${place}, ngày ${BLANK} tháng ${BLANK} năm ${BLANK}`, { italics: true, spacingBefore: 12 }),
          ]),
        ],
      },
    ],
  };
}

/**
 * The closing block, a borderless table of two columns: "Nơi nhận:" (underlined) with the superior
 * committee "(để báo cáo)" and "Lưu VP" (12 pt) | "T/M ĐẢNG ỦY", the signer's title, room to sign
 * and dots for the name.
 */
export function closingBlock(input: PartyFrameInput): Table {
  const superior = superiorCommitteeOf(input) ?? `${LONG_BLANK} (cấp ủy cấp trên)`;
  const left = (text: string, look: RunLook = {}): Paragraph =>
    line(text, { align: 'left', size: 12, ...look });
  return {
    kind: 'table',
    columns: [LEFT, RIGHT],
    borders: false,
    rows: [
      {
        cantSplit: true,
        cells: [
          cell([
            left('Nơi nhận:', { underline: true, size: 14 }),
            left(`- ${superior} (để báo cáo),`),
            left('- Lưu VP.'),
          ]),
          cell([
            line(`T/M ${committeeKind(input.committeeName)}`, { bold: true }),
            line('BÍ THƯ', { bold: true }),
            line('(Ký, ghi rõ họ tên)', { italics: true, size: 12, spacingAfter: 60 }),
            line(LONG_BLANK, { bold: true }),
          ]),
        ],
      },
    ],
  };
}
