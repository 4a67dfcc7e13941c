/**
 * A minimal streaming WordprocessingML (docx) writer on the project's ZIP writer (../zip.ts), for
 * bao-cao-tong-hop.docx: one part per ZIP entry, `word/document.xml` generated paragraph by
 * paragraph in 64 KiB chunks as the ZIP's deflate asks for them (backpressure: a slow consumer
 * stops the paragraph source), so a document of any length never sits in memory.
 *
 * What it writes, and nothing more: paragraphs (a heading style or none, alignment, spacing, a
 * first-line indent, kept with the next) of text runs (bold, italics, underline, size, colour;
 * line breaks and tabs inside a run's text become `<w:br/>` and `<w:tab/>`), tables of such
 * paragraphs (fixed column widths, with or without borders, a repeated header row, shaded cells),
 * one section (page size and margins), the styles of ./styles.ts, core and app properties. No
 * fields, hyperlinks, images or numbering: text is only ever text. Every part's children appear in
 * the order of the ECMA-376 schema.
 */
import { Readable } from 'node:stream';
import { ChunkWriter } from '../chunk-writer.ts';
import {
  appPropsXml,
  CT_PREFIX,
  contentTypesXml,
  corePropsXml,
  NS_REL,
  relationshipsXml,
  rootRelsXml,
} from '../opc.ts';
import { escapeXml, XML_DECLARATION } from '../xml.ts';
import { type ZipEntrySpec, zipStream } from '../zip.ts';
import {
  halfPoints,
  NS_W,
  type ParagraphStyle,
  settingsXml,
  stylesXml,
  type TextDefaults,
} from './styles.ts';

export type { ParagraphStyle, TextDefaults } from './styles.ts';

/** A run of text with one formatting. */
export interface Run {
  /**
   * The text, or its pieces one after another (a list of any length without building one string).
   * LF, CR LF and CR become line breaks, tabs tab characters; what XML cannot carry is removed.
   */
  text: string | Iterable<string>;
  bold?: boolean;
  italics?: boolean;
  /** A single line under the text. */
  underline?: boolean;
  /** Size in points; default: the document's. */
  size?: number;
  /** `RRGGBB`. */
  color?: string;
}

export interface Paragraph {
  style?: ParagraphStyle;
  /** Kept on the same page as the next paragraph (a heading's lead, a block that belongs together). */
  keepNext?: boolean;
  /** Space before and after, in points; default: the document's (none before). */
  spacingBefore?: number;
  spacingAfter?: number;
  /** Indent of the first line, in twips (567 ≈ 1 cm). */
  firstLineIndent?: number;
  /** `both`: justified. Default: the style's (left). */
  align?: 'left' | 'center' | 'right' | 'both';
  runs?: Iterable<Run>;
}

/** A table cell: its paragraphs (at least one is written), shading. */
export interface TableCell {
  paragraphs: readonly Paragraph[];
  /** Background `RRGGBB`. */
  fill?: string;
  vAlign?: 'top' | 'center' | 'bottom';
}

export interface TableRow {
  cells: readonly TableCell[];
  /** Repeated at the top of each page the table runs onto (only the table's first rows can be). */
  header?: boolean;
  /** Kept on one page. */
  cantSplit?: boolean;
}

/**
 * A table with fixed column widths: one cell per column in each row. Without borders it lays
 * text out side by side (the header block and the signature block of a Party document).
 */
export interface Table {
  kind: 'table';
  /** Width of each column, in twips. */
  columns: readonly number[];
  borders: boolean;
  /** Rows in order, pulled one at a time (a generator may build them on the fly). */
  rows: Iterable<TableRow>;
}

/** What the body holds: paragraphs and tables. */
export type Block = Paragraph | Table;

/** Page size and margins, in twentieths of a point (twips: 1 cm ≈ 567). */
export interface PageSpec {
  width: number;
  height: number;
  margins: { top: number; right: number; bottom: number; left: number };
}

/** ISO 216 A4 portrait: 210 × 297 mm. */
export const A4 = { width: 11_906, height: 16_838 } as const;

export interface DocumentSpec {
  title?: string;
  creator?: string;
  description?: string;
  /** Creation time of the document and of its ZIP entries. Default: now. */
  created?: Date;
  /** Zone of the ZIP entries' DOS timestamps. Default UTC. */
  timeZone?: string;
  text: TextDefaults;
  page: PageSpec;
  /** Paragraphs and tables in order, pulled one at a time as the output drains (a generator builds them on the fly). */
  paragraphs: Iterable<Block>;
}

/** document.xml is handed to the ZIP in chunks of about this many characters. */
const CHUNK = 64 * 1024;
/**
 * Deflate level of the parts: zip.ts's default. Unlike the summary sheet (level 1: ../xlsx/
 * workbook.ts), the report is small and cheap: 10,000 units (bench `export`, docx row) take
 * ~0.2 s of CPU at either level (122 KB at level 6, 126 KB at level 1 for the bench's short
 * notes; real notes, more varied, gain more).
 */
const DEFLATE_LEVEL = 6;
const SECTION_HEADER_FOOTER = 708;

/** The document's bytes as a ZIP stream (it ends when the document is complete). */
export function docxStream(doc: DocumentSpec): Readable {
  // lookAhead 0: document.xml (last) is generated only once the parts before it are written.
  return zipStream(documentEntries(doc), {
    lookAhead: 0,
    level: DEFLATE_LEVEL,
    timeZone: doc.timeZone ?? 'UTC',
  });
}

function* documentEntries(doc: DocumentSpec): Generator<ZipEntrySpec> {
  const mtime = doc.created ?? new Date();
  const part = (name: string, xml: string): ZipEntrySpec => ({
    name,
    compress: true,
    mtime,
    data: Buffer.from(xml, 'utf8'),
  });
  yield part(
    '[Content_Types].xml',
    contentTypesXml([
      ['/word/document.xml', `${CT_PREFIX}.wordprocessingml.document.main+xml`],
      ['/word/styles.xml', `${CT_PREFIX}.wordprocessingml.styles+xml`],
      ['/word/settings.xml', `${CT_PREFIX}.wordprocessingml.settings+xml`],
    ]),
  );
  yield part('_rels/.rels', rootRelsXml('word/document.xml'));
  yield part('docProps/core.xml', corePropsXml(doc, mtime));
  yield part('docProps/app.xml', appPropsXml());
  yield part('word/_rels/document.xml.rels', documentRelsXml());
  yield part('word/styles.xml', stylesXml(doc.text));
  yield part('word/settings.xml', settingsXml());
  yield {
    name: 'word/document.xml',
    compress: true,
    mtime,
    data: () => Readable.from(documentChunks(doc), { objectMode: false }),
  };
}

/** The document part, in chunks: CT_Document > CT_Body > paragraphs and tables, then the section. */
function* documentChunks(doc: DocumentSpec): Generator<Buffer> {
  const defaultSize = halfPoints(doc.text.size);
  const out = new ChunkWriter(CHUNK);
  out.write(`${XML_DECLARATION}<w:document xmlns:w="${NS_W}"><w:body>`);
  for (const block of doc.paragraphs) {
    if (isTable(block)) {
      yield* tableChunks(block, out, defaultSize);
    } else {
      yield* paragraphChunks(block, out, defaultSize);
    }
    if (out.length >= CHUNK) yield out.take();
  }
  out.write(`${sectionXml(doc.page)}</w:body></w:document>`);
  yield out.take();
}

function isTable(block: Block): block is Table {
  return (block as Table).kind === 'table';
}

/**
 * A paragraph's XML as one string when every run's text is a string (table cells, headings: the
 * common case, written without a generator per paragraph), else undefined.
 */
function paragraphXml(paragraph: Paragraph, defaultSize: number): string | undefined {
  let xml = `<w:p>${paragraphPropertiesXml(paragraph)}`;
  for (const run of paragraph.runs ?? []) {
    if (typeof run.text !== 'string') return undefined;
    xml += `<w:r>${runPropertiesXml(run, defaultSize)}${runContentXml(run.text)}</w:r>`;
  }
  return `${xml}</w:p>`;
}

/** One paragraph into `out`, handing out a chunk whenever one is full. */
function* paragraphChunks(paragraph: Paragraph, out: ChunkWriter, defaultSize: number): Generator<Buffer> {
  out.write(`<w:p>${paragraphPropertiesXml(paragraph)}`);
  for (const run of paragraph.runs ?? []) {
    out.write(`<w:r>${runPropertiesXml(run, defaultSize)}`);
    if (typeof run.text === 'string') {
      out.write(runContentXml(run.text));
    } else {
      for (const piece of run.text) {
        out.write(runContentXml(piece));
        if (out.length >= CHUNK) yield out.take();
      }
    }
    out.write('</w:r>');
    if (out.length >= CHUNK) yield out.take();
  }
  out.write('</w:p>');
}

const BORDER = 'w:val="single" w:sz="4" w:space="0" w:color="000000"';
/** CT_TblBorders' children in the schema's order. */
const TABLE_BORDERS = `<w:tblBorders>${['top', 'left', 'bottom', 'right', 'insideH', 'insideV']
  .map((side) => `<w:${side} ${BORDER}/>`)
  .join('')}</w:tblBorders>`;
const NO_TABLE_BORDERS = `<w:tblBorders>${['top', 'left', 'bottom', 'right', 'insideH', 'insideV']
  .map((side) => `<w:${side} w:val="nil"/>`)
  .join('')}</w:tblBorders>`;

/**
 * CT_Tbl: tblPr (tblW, tblBorders, tblLayout, tblCellMar, tblLook in the schema's order), tblGrid,
 * then the rows; CT_Tc: tcPr (tcW, shd, vAlign), then its paragraphs.
 */
function* tableChunks(table: Table, out: ChunkWriter, defaultSize: number): Generator<Buffer> {
  const widths = table.columns;
  if (widths.length === 0 || !widths.every((w) => Number.isInteger(w) && w > 0)) {
    throw new Error('Invalid table column widths');
  }
  const total = widths.reduce((a, b) => a + b, 0);
  const cellWidths = widths.map((w) => `<w:tcW w:w="${w}" w:type="dxa"/>`);
  out.write(
    '<w:tbl><w:tblPr>' +
      `<w:tblW w:w="${total}" w:type="dxa"/>` +
      (table.borders ? TABLE_BORDERS : NO_TABLE_BORDERS) +
      '<w:tblLayout w:type="fixed"/>' +
      '<w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>' +
      '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>' +
      `</w:tblPr><w:tblGrid>${widths.map((w) => `<w:gridCol w:w="${w}"/>`).join('')}</w:tblGrid>`,
  );
  for (const row of table.rows) {
    if (row.cells.length !== widths.length) {
      throw new Error(`A table row has ${row.cells.length} cells for ${widths.length} columns`);
    }
    const rowProps = (row.cantSplit ? '<w:cantSplit/>' : '') + (row.header ? '<w:tblHeader/>' : '');
    // A row is usually a few short cells: built as one string, written once (a 10,000-unit table).
    let xml = rowProps ? `<w:tr><w:trPr>${rowProps}</w:trPr>` : '<w:tr>';
    for (const [i, cell] of row.cells.entries()) {
      let props = cellWidths[i]!;
      if (cell.fill) props += `<w:shd w:val="clear" w:color="auto" w:fill="${checkedColor(cell.fill)}"/>`;
      if (cell.vAlign) props += `<w:vAlign w:val="${cell.vAlign}"/>`;
      xml += `<w:tc><w:tcPr>${props}</w:tcPr>`;
      // A cell must end with a paragraph.
      const paragraphs = cell.paragraphs.length ? cell.paragraphs : [{}];
      for (const paragraph of paragraphs) {
        const p = paragraphXml(paragraph, defaultSize);
        if (p !== undefined) {
          xml += p;
        } else {
          out.write(xml);
          xml = '';
          yield* paragraphChunks(paragraph, out, defaultSize);
        }
      }
      xml += '</w:tc>';
    }
    out.write(`${xml}</w:tr>`);
    if (out.length >= CHUNK) yield out.take();
  }
  out.write('</w:tbl>');
}

/** CT_PPrBase's children used here, in the schema's order: pStyle, keepNext, spacing, ind, jc. */
function paragraphPropertiesXml(p: Paragraph): string {
  let xml = p.style ? `<w:pStyle w:val="${p.style}"/>` : '';
  if (p.keepNext) xml += '<w:keepNext/>';
  if (p.spacingBefore !== undefined || p.spacingAfter !== undefined) {
    const before = p.spacingBefore !== undefined ? ` w:before="${twipsOf(p.spacingBefore)}"` : '';
    const after = p.spacingAfter !== undefined ? ` w:after="${twipsOf(p.spacingAfter)}"` : '';
    xml += `<w:spacing${before}${after}/>`;
  }
  if (p.firstLineIndent !== undefined) {
    if (!Number.isInteger(p.firstLineIndent) || p.firstLineIndent < 0) throw new Error('Invalid indent');
    xml += `<w:ind w:firstLine="${p.firstLineIndent}"/>`;
  }
  if (p.align) xml += `<w:jc w:val="${p.align}"/>`;
  return xml ? `<w:pPr>${xml}</w:pPr>` : '';
}

/** Points as twips, for spacing. */
function twipsOf(points: number): number {
  const twips = Math.round(points * 20);
  if (!(twips >= 0 && twips <= 31_680)) throw new Error(`Invalid spacing: ${points}`);
  return twips;
}

function checkedColor(color: string): string {
  if (!/^[0-9A-Fa-f]{6}$/.test(color)) throw new Error(`Invalid colour: ${JSON.stringify(color)}`);
  return color;
}

/** EG_RPrBase's children used here, in the schema's order: b, bCs, i, iCs, color, sz, szCs, u. */
function runPropertiesXml(run: Run, defaultSize: number): string {
  let xml = '';
  if (run.bold) xml += '<w:b/><w:bCs/>';
  if (run.italics) xml += '<w:i/><w:iCs/>';
  if (run.color) xml += `<w:color w:val="${checkedColor(run.color)}"/>`;
  if (run.size !== undefined) {
    const size = halfPoints(run.size);
    if (!(size >= 2 && size <= 3276)) throw new Error(`Invalid font size: ${run.size}`);
    if (size !== defaultSize) xml += `<w:sz w:val="${size}"/><w:szCs w:val="${size}"/>`;
  }
  if (run.underline) xml += '<w:u w:val="single"/>';
  return xml ? `<w:rPr>${xml}</w:rPr>` : '';
}

/** Line breaks (LF, CR LF, CR) and tabs, the separators of a run's text. */
const BREAKS = /\r\n|[\r\n\t]/g;

/**
 * A run's text: each stretch between line breaks and tabs is a `<w:t>` (escaped; what XML cannot
 * carry removed; spaces at its ends kept with `xml:space="preserve"`, which Word otherwise
 * drops), each line break a `<w:br/>`, each tab a `<w:tab/>`.
 */
export function runContentXml(text: string): string {
  let xml = '';
  let from = 0;
  for (const match of text.matchAll(BREAKS)) {
    xml += textXml(text.slice(from, match.index));
    xml += match[0] === '\t' ? '<w:tab/>' : '<w:br/>';
    from = match.index + match[0].length;
  }
  return xml + textXml(from === 0 ? text : text.slice(from));
}

function textXml(text: string): string {
  const escaped = escapeXml(text);
  if (!escaped) return '';
  return hasOuterSpace(escaped) ? `<w:t xml:space="preserve">${escaped}</w:t>` : `<w:t>${escaped}</w:t>`;
}

function hasOuterSpace(text: string): boolean {
  return /^\s|\s$/.test(text);
}

/** CT_SectPr: pgSz, pgMar, cols, docGrid (EG_SectPrContents' order). */
function sectionXml(page: PageSpec): string {
  const m = page.margins;
  const twips = [page.width, page.height, m.top, m.right, m.bottom, m.left];
  if (!twips.every((t) => Number.isInteger(t) && t >= 0)) throw new Error('Invalid page size or margins');
  const orient = page.width > page.height ? ' w:orient="landscape"' : '';
  return (
    '<w:sectPr>' +
    `<w:pgSz w:w="${page.width}" w:h="${page.height}"${orient}/>` +
    `<w:pgMar w:top="${m.top}" w:right="${m.right}" w:bottom="${m.bottom}" w:left="${m.left}"` +
    ` w:header="${SECTION_HEADER_FOOTER}" w:footer="${SECTION_HEADER_FOOTER}" w:gutter="0"/>` +
    `<w:cols w:space="${SECTION_HEADER_FOOTER}"/>` +
    '<w:docGrid w:linePitch="360"/>' +
    '</w:sectPr>'
  );
}

function documentRelsXml(): string {
  return relationshipsXml([
    [`${NS_REL}/styles`, 'styles.xml'],
    [`${NS_REL}/settings`, 'settings.xml'],
  ]);
}
