/**
 * `xl/styles.xml` from a short list of cell formats. A cell refers to a format by its style index:
 * format `i` of the list is style `i + 1` (style 0 is the workbook's default, Calibri 11).
 */
import { escapeXml, XML_DECLARATION } from '../xml.ts';

/** What a cell looks like; everything optional. */
export interface CellFormat {
  /** Excel number format code (`dd/mm/yyyy`, `#,##0`, `0.0%`). */
  numFmt?: string;
  bold?: boolean;
  /** Font size in points (default 11). */
  size?: number;
  /** Solid background colour, ARGB (`FFE8E8E8`). */
  fill?: string;
  /** A thin line under the cell. */
  borderBottom?: boolean;
  vertical?: 'top' | 'center' | 'bottom';
  horizontal?: 'left' | 'center' | 'right';
  /** Indent from the cell's left edge, in steps of about one character (a gap after a right-aligned number). */
  indent?: number;
  wrap?: boolean;
  /**
   * `quotePrefix="1"`: the cell's text stays text when someone edits it, as if typed with a
   * leading `'` (which Excel does not show). For text that looks like a formula
   * (../formula-like.ts): an inline string is never evaluated as written, but editing the cell
   * and pressing Enter would otherwise turn `=HYPERLINK(…)` into a live formula.
   */
  quotePrefix?: boolean;
}

/** Built-in number formats (ECMA-376 Part 1, 18.8.30): referred to by id, not declared. */
const BUILTIN_NUM_FMTS: Record<string, number> = {
  General: 0,
  '0': 1,
  '0.00': 2,
  '#,##0': 3,
  '#,##0.00': 4,
  '0%': 9,
  '0.00%': 10,
  '@': 49,
};
/** Ids below this are reserved for built-in formats. */
const FIRST_CUSTOM_NUM_FMT = 164;
const DEFAULT_FONT_SIZE = 11;
const FONT_NAME = '<name val="Calibri"/><family val="2"/>';

/** The style sheet; its children in the schema's order (CT_Stylesheet). */
export function stylesXml(formats: readonly CellFormat[]): string {
  const numFmts = new Map<string, number>();
  const fonts = new Map<string, number>([[fontXml(false, DEFAULT_FONT_SIZE), 0]]);
  // The first two fills are reserved by Excel: none and gray125.
  const fills = new Map<string, number>([
    ['<fill><patternFill patternType="none"/></fill>', 0],
    ['<fill><patternFill patternType="gray125"/></fill>', 1],
  ]);
  const borders = new Map<string, number>([[borderXml(false), 0]]);
  const idOf = (map: Map<string, number>, xml: string) => {
    let id = map.get(xml);
    if (id === undefined) {
      id = map.size;
      map.set(xml, id);
    }
    return id;
  };

  const xfs = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'];
  for (const f of formats) {
    let numFmtId = 0;
    if (f.numFmt !== undefined) {
      numFmtId = BUILTIN_NUM_FMTS[f.numFmt] ?? numFmts.get(f.numFmt) ?? FIRST_CUSTOM_NUM_FMT + numFmts.size;
      if (numFmtId >= FIRST_CUSTOM_NUM_FMT) numFmts.set(f.numFmt, numFmtId);
    }
    const fontId = idOf(fonts, fontXml(f.bold === true, f.size ?? DEFAULT_FONT_SIZE));
    const fillId = f.fill
      ? idOf(
          fills,
          `<fill><patternFill patternType="solid"><fgColor rgb="${escapeXml(f.fill)}"/><bgColor indexed="64"/></patternFill></fill>`,
        )
      : 0;
    const borderId = idOf(borders, borderXml(f.borderBottom === true));
    // CT_CellAlignment's attributes: horizontal, vertical, …, wrapText.
    if (f.indent !== undefined && !(Number.isInteger(f.indent) && f.indent >= 0 && f.indent <= 250)) {
      throw new Error(`Invalid indent: ${f.indent}`);
    }
    const alignment =
      f.vertical || f.wrap || f.horizontal || f.indent
        ? `<alignment${f.horizontal ? ` horizontal="${f.horizontal}"` : ''}${f.vertical ? ` vertical="${f.vertical}"` : ''}${f.wrap ? ' wrapText="1"' : ''}${f.indent ? ` indent="${f.indent}"` : ''}/>`
        : '';
    const apply = [
      numFmtId ? ' applyNumberFormat="1"' : '',
      fontId ? ' applyFont="1"' : '',
      fillId ? ' applyFill="1"' : '',
      borderId ? ' applyBorder="1"' : '',
      alignment ? ' applyAlignment="1"' : '',
    ].join('');
    const quote = f.quotePrefix ? ' quotePrefix="1"' : '';
    const open = `<xf numFmtId="${numFmtId}" fontId="${fontId}" fillId="${fillId}" borderId="${borderId}" xfId="0"${quote}${apply}`;
    xfs.push(alignment ? `${open}>${alignment}</xf>` : `${open}/>`);
  }

  const list = (name: string, items: Iterable<string>, count: number) =>
    `<${name} count="${count}">${[...items].join('')}</${name}>`;
  return (
    XML_DECLARATION +
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
    (numFmts.size
      ? list(
          'numFmts',
          [...numFmts].map(([code, id]) => `<numFmt numFmtId="${id}" formatCode="${escapeXml(code)}"/>`),
          numFmts.size,
        )
      : '') +
    list('fonts', fonts.keys(), fonts.size) +
    list('fills', fills.keys(), fills.size) +
    list('borders', borders.keys(), borders.size) +
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
    list('cellXfs', xfs, xfs.length) +
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
    '</styleSheet>'
  );
}

function fontXml(bold: boolean, size: number): string {
  return `<font>${bold ? '<b/>' : ''}<sz val="${size}"/>${FONT_NAME}</font>`;
}

/** CT_Border's children in the schema's order: left, right, top, bottom, diagonal. */
function borderXml(bottom: boolean): string {
  return `<border><left/><right/><top/>${bottom ? '<bottom style="thin"><color auto="1"/></bottom>' : '<bottom/>'}<diagonal/></border>`;
}
