/**
 * The text of a Word document (.docx), one paragraph per line, as the plan parser reads it:
 * what mammoth's `extractRawText` gave, from the two small libraries the Office checks and the
 * units workbook already use (yauzl for the archive, saxes for the XML) instead of mammoth and its
 * ~400 KB of dependencies (JSZip, pako, xmldom, underscore…), which the committee app's Lambda
 * bundle (≤ 450 KB) cannot carry now that it reads plan documents.
 *
 * Read: the main document part (found through the package's relationships), its paragraphs in
 * order — table cells' and text boxes' paragraphs each on its own line —, runs' text (`w:t`), tabs
 * as "\t", non-breaking hyphens as "-", and line and page breaks as "\n" (mammoth dropped them,
 * gluing "KẾ HOẠCH" to the title after a Shift+Enter), and the labels of Word's automatic
 * numbering ("1.", "a)", "II." from `word/numbering.xml`, set on the paragraph or its style),
 * which mammoth dropped, so that task headings keep their numbers. Not read, as mammoth did not:
 * deleted text (`w:delText`), field codes (`w:instrText`), headers, footers, footnotes and
 * comments; of an `mc:AlternateContent` only the fallback (Word writes a text box twice).
 *
 * Call only after `inspectOfficeZip` accepted the archive (sizes bounded, no DTD).
 */
import { SaxesParser } from 'saxes';
import { readOfficeParts } from '#shared/files/office-zip.ts';

/** Why a .docx has no readable text: not an archive yauzl reads, no document part, bad XML. */
export class DocxTextError extends Error {}

const OFFICE_DOCUMENT = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument';

/**
 * The document's text, each paragraph ended by "\n" (an empty paragraph is an empty line).
 * @throws DocxTextError when the archive, its document part or its XML cannot be read.
 */
export async function extractDocxText(bytes: Uint8Array): Promise<string> {
  const parts = await readParts(bytes, (name) => name === '_rels/.rels' || name.endsWith('.xml'));
  const main = mainDocumentName(parts.get('_rels/.rels')) ?? 'word/document.xml';
  const document = parts.get(main.toLowerCase());
  if (document === undefined) throw new DocxTextError(`no main document part ${main}`);
  const numbering = new Numbering(parts.get('word/numbering.xml'), parts.get('word/styles.xml'));
  // Every paragraph ends with "\n", as mammoth's paragraphs did.
  return paragraphsOf(document, numbering)
    .map((paragraph) => `${paragraph}\n`)
    .join('');
}

/** The main part's name from the package relationships (`/word/document.xml` → `word/document.xml`). */
function mainDocumentName(rels: string | undefined): string | undefined {
  if (rels === undefined) return undefined;
  let target: string | undefined;
  walk(rels, {
    open: (name, attributes) => {
      if (name === 'Relationship' && attributes.Type === OFFICE_DOCUMENT) target ??= attributes.Target;
    },
  });
  return target?.replace(/^\/+/, '');
}

/** Elements whose whole content is left out (prefix included, as written by Word). */
const SKIPPED = new Set(['w:delText', 'w:instrText', 'mc:Choice', 'w:del', 'w:moveFrom']);

function paragraphsOf(xml: string, numbering: Numbering): string[] {
  const out: string[] = [];
  const open: string[] = [];
  /** The numbering of each open paragraph: its own `w:numPr`, else its style's. */
  const numbers: { style?: string; numId?: string; ilvl?: string }[] = [];
  let skipping = 0;
  let inText = false;
  const append = (text: string) => {
    if (open.length > 0) open[open.length - 1] += text;
  };
  walk(xml, {
    open: (name, attributes) => {
      if (skipping > 0 || SKIPPED.has(name)) {
        skipping++;
        return;
      }
      if (name === 'w:p') {
        open.push('');
        numbers.push({});
      } else if (name === 'w:pStyle' && numbers.length > 0)
        numbers[numbers.length - 1]!.style = attributes['w:val'];
      else if (name === 'w:numId' && numbers.length > 0)
        numbers[numbers.length - 1]!.numId = attributes['w:val'];
      else if (name === 'w:ilvl' && numbers.length > 0)
        numbers[numbers.length - 1]!.ilvl = attributes['w:val'];
      else if (name === 'w:t') inText = true;
      else if (name === 'w:tab') append('\t');
      else if (name === 'w:br' || name === 'w:cr') append('\n');
      else if (name === 'w:noBreakHyphen') append('-');
    },
    text: (text) => {
      if (inText && skipping === 0) append(text);
    },
    close: (name) => {
      if (skipping > 0) {
        skipping--;
        return;
      }
      if (name === 'w:t') inText = false;
      else if (name === 'w:p') {
        const text = open.pop() ?? '';
        const label = numbering.label(numbers.pop() ?? {});
        out.push(label && text.trim() !== '' ? `${label}${text}` : text);
      }
    },
  });
  return out;
}

/** One level of a numbering definition (`w:lvl`). */
interface Level {
  start: number;
  format: string;
  /** e.g. "%1.", "%1)", "%1.%2." */
  text: string;
  /** What follows the label: "tab" (Word's default), "space" or "nothing". */
  suffix: string;
}

/**
 * Word's automatic numbering: `w:num` → `w:abstractNum` → levels; counters run per abstract
 * numbering, as in Word, and a deeper level restarts when a shallower one advances.
 */
class Numbering {
  readonly #abstractOf = new Map<string, string>();
  readonly #startOverride = new Map<string, Map<number, number>>();
  readonly #levels = new Map<string, Map<number, Level>>();
  readonly #styleNumbering = new Map<string, { numId?: string; ilvl?: string }>();
  readonly #counters = new Map<string, number[]>();
  readonly #started = new Set<string>();

  constructor(numberingXml: string | undefined, stylesXml: string | undefined) {
    if (numberingXml !== undefined) this.#readNumbering(numberingXml);
    if (stylesXml !== undefined) this.#readStyles(stylesXml);
  }

  /** The label of a paragraph with this numbering ("1. ", "a) "), or '' for none or a bullet ("- "). */
  label(paragraph: { style?: string; numId?: string; ilvl?: string }): string {
    const style = paragraph.style ? this.#styleNumbering.get(paragraph.style) : undefined;
    const numId = paragraph.numId ?? style?.numId;
    if (numId === undefined || numId === '0') return '';
    const level = Number(paragraph.ilvl ?? style?.ilvl ?? '0');
    const abstract = this.#abstractOf.get(numId);
    const levels = abstract === undefined ? undefined : this.#levels.get(abstract);
    const definition = levels?.get(level);
    if (abstract === undefined || !levels || !definition || level < 0 || level > 8) return '';
    if (definition.format === 'bullet') return '- ';
    const counters = this.#counters.get(abstract) ?? [];
    if (!this.#started.has(numId)) {
      this.#started.add(numId);
      // A list that restarts (its w:num overrides the start) begins again.
      for (const [lvl, start] of this.#startOverride.get(numId) ?? []) counters[lvl] = start - 1;
    }
    counters[level] = (counters[level] ?? (levels.get(level)?.start ?? 1) - 1) + 1;
    counters.length = level + 1;
    this.#counters.set(abstract, counters);
    const text = definition.text.replace(/%([1-9])/g, (_, n: string) => {
      const lvl = Number(n) - 1;
      const value = counters[lvl] ?? levels.get(lvl)?.start ?? 1;
      return formatNumber(value, levels.get(lvl)?.format ?? 'decimal');
    });
    if (text === '') return '';
    return `${text}${definition.suffix === 'nothing' ? '' : ' '}`;
  }

  #readNumbering(xml: string): void {
    let abstract: string | undefined;
    let level: (Level & { ilvl: number }) | undefined;
    let num: string | undefined;
    let override: number | undefined;
    walk(xml, {
      open: (name, a) => {
        if (name === 'w:abstractNum') abstract = a['w:abstractNumId'];
        else if (name === 'w:lvl' && abstract !== undefined && num === undefined) {
          level = { ilvl: Number(a['w:ilvl'] ?? 0), start: 1, format: 'decimal', text: '', suffix: 'tab' };
        } else if (level && name === 'w:start') level.start = Number(a['w:val'] ?? 1);
        else if (level && name === 'w:numFmt') level.format = a['w:val'] ?? 'decimal';
        else if (level && name === 'w:lvlText') level.text = a['w:val'] ?? '';
        else if (level && name === 'w:suff') level.suffix = a['w:val'] ?? 'tab';
        else if (name === 'w:num') num = a['w:numId'];
        else if (num !== undefined && name === 'w:abstractNumId') this.#abstractOf.set(num, a['w:val'] ?? '');
        else if (num !== undefined && name === 'w:lvlOverride') override = Number(a['w:ilvl'] ?? 0);
        else if (num !== undefined && override !== undefined && name === 'w:startOverride') {
          const overrides = this.#startOverride.get(num) ?? new Map<number, number>();
          overrides.set(override, Number(a['w:val'] ?? 1));
          this.#startOverride.set(num, overrides);
        }
      },
      close: (name) => {
        if (name === 'w:lvl' && level && abstract !== undefined) {
          const levels = this.#levels.get(abstract) ?? new Map<number, Level>();
          levels.set(level.ilvl, level);
          this.#levels.set(abstract, levels);
          level = undefined;
        } else if (name === 'w:abstractNum') abstract = undefined;
        else if (name === 'w:num') num = undefined;
        else if (name === 'w:lvlOverride') override = undefined;
      },
    });
  }

  #readStyles(xml: string): void {
    let style: string | undefined;
    walk(xml, {
      open: (name, a) => {
        if (name === 'w:style') style = a['w:styleId'];
        else if (style !== undefined && (name === 'w:numId' || name === 'w:ilvl')) {
          const entry = this.#styleNumbering.get(style) ?? {};
          if (name === 'w:numId') entry.numId = a['w:val'];
          else entry.ilvl = a['w:val'];
          this.#styleNumbering.set(style, entry);
        }
      },
      close: (name) => {
        if (name === 'w:style') style = undefined;
      },
    });
  }
}

/** A counter in a numbering format: decimal, Roman, letters (a … z, aa …). */
function formatNumber(value: number, format: string): string {
  switch (format) {
    case 'upperRoman':
      return roman(value);
    case 'lowerRoman':
      return roman(value).toLowerCase();
    case 'upperLetter':
      return letters(value).toUpperCase();
    case 'lowerLetter':
      return letters(value);
    case 'decimalZero':
      return String(value).padStart(2, '0');
    default:
      return String(value);
  }
}

function roman(value: number): string {
  const table: [number, string][] = [
    [1000, 'M'],
    [900, 'CM'],
    [500, 'D'],
    [400, 'CD'],
    [100, 'C'],
    [90, 'XC'],
    [50, 'L'],
    [40, 'XL'],
    [10, 'X'],
    [9, 'IX'],
    [5, 'V'],
    [4, 'IV'],
    [1, 'I'],
  ];
  let rest = Math.max(1, Math.min(value, 3999));
  let out = '';
  for (const [n, symbol] of table) {
    while (rest >= n) {
      out += symbol;
      rest -= n;
    }
  }
  return out;
}

/** Word's letter numbering: a … z, then aa … zz. */
function letters(value: number): string {
  const n = Math.max(1, value);
  const letter = String.fromCharCode(97 + ((n - 1) % 26));
  return letter.repeat(Math.floor((n - 1) / 26) + 1);
}

function walk(
  xml: string,
  handlers: {
    open?: (name: string, attributes: Record<string, string>) => void;
    text?: (text: string) => void;
    close?: (name: string) => void;
  },
): void {
  const parser = new SaxesParser();
  let failure: Error | undefined;
  parser.on('error', (error) => {
    failure ??= error;
  });
  parser.on('opentag', (tag) => {
    const attributes: Record<string, string> = {};
    for (const [key, value] of Object.entries(tag.attributes)) attributes[key] = String(value);
    handlers.open?.(tag.name, attributes);
    // A self-closing element gets its close event from saxes too.
  });
  parser.on('text', (text) => handlers.text?.(text));
  parser.on('closetag', (tag) => handlers.close?.(tag.name));
  try {
    parser.write(xml).close();
  } catch (error) {
    failure ??= error as Error;
  }
  if (failure) throw new DocxTextError(`unreadable XML: ${failure.message}`);
}

/** The archive's parts whose lower-case names `wanted` accepts, decoded as text. */
async function readParts(bytes: Uint8Array, wanted: (name: string) => boolean): Promise<Map<string, string>> {
  let raw: Map<string, Buffer>;
  try {
    raw = await readOfficeParts(bytes, wanted);
  } catch (error) {
    throw new DocxTextError(`unreadable archive: ${(error as Error).message}`);
  }
  return new Map([...raw].map(([name, data]) => [name, decodeXml(data)]));
}

/** XML as Word writes it: UTF-8, or UTF-16 with its byte order mark. */
function decodeXml(bytes: Buffer): string {
  const encoding =
    bytes[0] === 0xff && bytes[1] === 0xfe
      ? 'utf-16le'
      : bytes[0] === 0xfe && bytes[1] === 0xff
        ? 'utf-16be'
        : 'utf-8';
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    throw new DocxTextError(`a part is not ${encoding} text`);
  }
}
