/**
 * Builds the .docx and .pdf documents of the plan corpus (test/fixtures/plans/corpus/) from their
 * sources (`sources/*.src.txt`), the way a committee's office would have made them:
 *
 * - lines before the "KẾ HOẠCH" / "CHƯƠNG TRÌNH" / "HƯỚNG DẪN" heading are the header table, a tab
 *   separating its left column (organisations, number) from its right one (motto, place and date);
 * - `#I `, `#1 `, `#a `, `#- ` start a paragraph with Word's automatic numbering (Roman, Arabic
 *   one level down, letters "a)", bullets) in the .docx; the .pdf prints the numbers as Word would.
 *
 * The PDF is A5-sized so that a short plan runs over several pages, with a running header and a
 * "Trang N/M" footer on every page, text in DejaVu Serif (embedded, subset). Run
 * `npx tsx test/support/plan-corpus.ts` to rebuild the committed files.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import {
  AlignmentType,
  Document,
  LevelFormat,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';

export const CORPUS_DIR = new URL('../fixtures/plans/corpus/', import.meta.url);
const SOURCES_DIR = new URL('sources/', CORPUS_DIR);
/** A Unicode serif font with Vietnamese letters, from Debian's fonts-dejavu-core. */
export const PDF_FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf';

type Marker = 'roman' | 'decimal' | 'letter' | 'bullet';
const MARKERS: Record<string, Marker> = {
  '#I ': 'roman',
  '#1 ': 'decimal',
  '#a ': 'letter',
  '#- ': 'bullet',
};

interface SourceLine {
  marker: Marker | null;
  text: string;
}

interface Source {
  header: [string, string][];
  body: SourceLine[];
}

const HEADING = /^(?:KẾ HOẠCH|CHƯƠNG TRÌNH|HƯỚNG DẪN)/u;

export function readSource(text: string): Source {
  const lines = text.replace(/\r\n?/g, '\n').replace(/\n$/, '').split('\n');
  const start = lines.findIndex((line) => HEADING.test(line));
  const header = lines.slice(0, start).map((line) => {
    const [left = '', right = ''] = line.split('\t');
    return [left, right] as [string, string];
  });
  const body = lines.slice(start).map((line) => {
    const marker = Object.entries(MARKERS).find(([prefix]) => line.startsWith(prefix));
    return marker ? { marker: marker[1], text: line.slice(3) } : { marker: null, text: line };
  });
  return { header, body };
}

/** The .docx of a source: the header as a two-column table, automatic numbering where marked. */
export async function sourceToDocx(source: Source): Promise<Uint8Array> {
  const cell = (lines: string[]) =>
    new TableCell({
      width: { size: 50, type: WidthType.PERCENTAGE },
      children: lines.map(
        (line) => new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun(line)] }),
      ),
    });
  const header = new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({
        children: [
          cell(source.header.map(([left]) => left)),
          cell(source.header.map(([, right]) => right).filter(Boolean)),
        ],
      }),
    ],
  });
  const numbering = {
    config: [
      {
        reference: 'sections',
        levels: [
          { level: 0, format: LevelFormat.UPPER_ROMAN, text: '%1.', alignment: AlignmentType.LEFT },
          { level: 1, format: LevelFormat.DECIMAL, text: '%2.', alignment: AlignmentType.LEFT },
        ],
      },
      {
        reference: 'letters',
        levels: [{ level: 0, format: LevelFormat.LOWER_LETTER, text: '%1)', alignment: AlignmentType.LEFT }],
      },
      {
        reference: 'bullets',
        levels: [{ level: 0, format: LevelFormat.BULLET, text: '-', alignment: AlignmentType.LEFT }],
      },
    ],
  };
  const paragraphs = source.body.map(({ marker, text }) => {
    const children = [new TextRun(text)];
    if (marker === 'roman')
      return new Paragraph({ children, numbering: { reference: 'sections', level: 0 } });
    if (marker === 'decimal')
      return new Paragraph({ children, numbering: { reference: 'sections', level: 1 } });
    if (marker === 'letter')
      return new Paragraph({ children, numbering: { reference: 'letters', level: 0 } });
    if (marker === 'bullet')
      return new Paragraph({ children, numbering: { reference: 'bullets', level: 0 } });
    return new Paragraph({ children });
  });
  const document = new Document({ numbering, sections: [{ children: [header, ...paragraphs] }] });
  return new Uint8Array(await Packer.toBuffer(document));
}

/** Body lines with the numbers Word would show (the PDF is "printed" from the Word document). */
export function numberedLines(body: SourceLine[]): string[] {
  const counters = { roman: 0, decimal: 0, letter: 0 };
  const romans = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X'];
  return body.map(({ marker, text }) => {
    if (marker === 'roman') {
      counters.roman++;
      counters.decimal = 0;
      return `${romans[counters.roman - 1]}. ${text}`;
    }
    if (marker === 'decimal') return `${++counters.decimal}. ${text}`;
    if (marker === 'letter') return `${String.fromCharCode(96 + ++counters.letter)}) ${text}`;
    if (marker === 'bullet') return `- ${text}`;
    return text;
  });
}

export interface PdfOptions {
  /** A line printed at the top of every page (a running header). */
  runningHeader?: string;
  /** Repeat the body this many times (the bench's long plans). */
  repeatBody?: number;
  fontBytes?: Uint8Array;
}

/** The .pdf of a source: A5 pages, wrapped lines, a running header and a page-number footer. */
export async function sourceToPdf(source: Source, options: PdfOptions = {}): Promise<Uint8Array> {
  const { PDFDocument } = await import('pdf-lib');
  const { default: fontkit } = await import('@pdf-lib/fontkit');
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  const font = await pdf.embedFont(options.fontBytes ?? readFileSync(PDF_FONT), { subset: true });
  const [width, height] = [420, 595];
  const margin = { left: 50, right: 30, top: 50, bottom: 50 };
  const size = 10;
  const leading = 14;
  const maxWidth = width - margin.left - margin.right;
  const pages: ReturnType<typeof pdf.addPage>[] = [];
  let page = pdf.addPage([width, height]);
  pages.push(page);
  let y = height - margin.top;
  const newPage = () => {
    page = pdf.addPage([width, height]);
    pages.push(page);
    y = height - margin.top;
  };
  const draw = (text: string, x: number) => {
    if (y < margin.bottom) newPage();
    page.drawText(text, { x, y, size, font });
  };

  // The header table: two columns in a smaller size, as Party documents set them.
  for (const [left, right] of source.header) {
    if (left) page.drawText(left, { x: margin.left, y, size: 7, font });
    if (right) page.drawText(right, { x: margin.left + 185, y, size: 7, font });
    y -= leading;
  }
  const body = numberedLines(source.body);
  const repeated = Array.from({ length: options.repeatBody ?? 1 }, () => body).flat();
  for (const line of repeated) {
    if (line === '') {
      y -= leading / 2;
      continue;
    }
    for (const wrapped of wrap(line, (text) => font.widthOfTextAtSize(text, size), maxWidth)) {
      draw(wrapped, margin.left);
      y -= leading;
    }
  }
  pages.forEach((p, index) => {
    if (options.runningHeader)
      p.drawText(options.runningHeader, { x: margin.left, y: height - 25, size: 8, font });
    p.drawText(`Trang ${index + 1}/${pages.length}`, { x: width / 2 - 20, y: 25, size: 8, font });
  });
  return pdf.save();
}

function wrap(text: string, measure: (text: string) => number, maxWidth: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    const next = current ? `${current} ${word}` : word;
    if (measure(next) <= maxWidth || current === '') current = next;
    else {
      lines.push(current);
      current = word;
    }
  }
  if (current) lines.push(current);
  return lines;
}

/** Rebuilds every .docx and .pdf of the corpus from its source. */
async function main(): Promise<void> {
  for (const name of readdirSync(SOURCES_DIR)) {
    if (!name.endsWith('.src.txt')) continue;
    const base = name.replace(/\.src\.txt$/, '');
    const source = readSource(readFileSync(new URL(name, SOURCES_DIR), 'utf8'));
    if (base.startsWith('docx-'))
      writeFileSync(new URL(`${base}.docx`, CORPUS_DIR), await sourceToDocx(source));
    if (base.startsWith('pdf-')) {
      const runningHeader =
        base === 'pdf-ke-hoach-nhieu-trang'
          ? 'Đảng ủy Sở Khoa học và Công nghệ — Kế hoạch số 31-KH/ĐU'
          : undefined;
      writeFileSync(new URL(`${base}.pdf`, CORPUS_DIR), await sourceToPdf(source, { runningHeader }));
    }
  }
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) await main();
