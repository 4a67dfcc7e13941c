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
 * gluing "KẾ HOẠCH" to the title after a Shift+Enter). Not read, as mammoth did not:
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
  // Every paragraph ends with "\n", as mammoth's paragraphs did.
  return paragraphsOf(document)
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

function paragraphsOf(xml: string): string[] {
  const out: string[] = [];
  const open: string[] = [];
  let skipping = 0;
  let inText = false;
  const append = (text: string) => {
    if (open.length > 0) open[open.length - 1] += text;
  };
  walk(xml, {
    open: (name) => {
      if (skipping > 0 || SKIPPED.has(name)) {
        skipping++;
        return;
      }
      if (name === 'w:p') open.push('');
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
      else if (name === 'w:p') out.push(open.pop() ?? '');
    },
  });
  return out;
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
