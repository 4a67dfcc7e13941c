/**
 * The text of a PDF plan document with a text layer, one paragraph per line, in the shape the
 * plan parser reads (as a .txt saved from Word): pdf.js (pdfjs-dist, legacy build for Node 20)
 * gives positioned pieces of text; they are put back into lines by their baseline, columns of the
 * header table separated by a tab, lines wrapped at the right margin joined back into their
 * paragraph, and what every page repeats at its top or bottom (running headers, footers, page
 * numbers) left out.
 *
 * Hostile documents: nothing is rendered and no script runs (`isEvalSupported: false`, no
 * scripting, no fonts loaded); a PDF carrying JavaScript or a launch action is refused anyway, as
 * is an encrypted one, one over {@link MAX_PLAN_PDF_PAGES} pages and one without text (a scan,
 * which must be typed or OCR'd first). Pages are read one at a time and released, so memory stays
 * flat in the page count.
 *
 * This module loads pdf.js (about 1.5 MB): keep it out of Lambda bundles that do not read PDFs
 * (the committee's setup-api reaches it through the DocumentReader port only: the
 * document-reader Lambda, functions/document-reader.ts).
 */

import { DocumentReadError as PdfTextError } from '#shared/files/ports.ts';
import { MAX_PLAN_PDF_PAGES, MAX_PLAN_TEXT_CHARS } from '#shared/input-limits.ts';

interface Piece {
  text: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

interface PdfLine {
  text: string;
  left: number;
  right: number;
  y: number;
  height: number;
}

/** Fewer letters than this in the whole document: a scan without a text layer. */
const MIN_LETTERS = 20;

/**
 * The document's text, paragraphs one per line, pages separated by a blank line.
 * @throws DocumentReadError when the PDF cannot be read, is encrypted, carries a script, has too many
 *   pages or too much text, or has no text layer.
 */
export async function extractPdfText(bytes: Uint8Array): Promise<string> {
  if (hasActiveContent(bytes)) throw new PdfTextError('script', 'PDF carries JavaScript or a launch action');
  const pdfjs = await loadPdfjs();
  const task = pdfjs.getDocument({
    // pdf.js takes ownership of (detaches) the buffer it is given: hand it a copy.
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    enableScripting: false,
    disableFontFace: true,
    useSystemFonts: false,
    stopAtErrors: false,
    verbosity: 0,
  } as Parameters<typeof pdfjs.getDocument>[0]);
  let pdf: Awaited<typeof task.promise>;
  try {
    pdf = await task.promise;
  } catch (error) {
    await task.destroy();
    const name = (error as { name?: string }).name;
    if (name === 'PasswordException') throw new PdfTextError('encrypted', 'PDF is encrypted');
    throw new PdfTextError('unreadable', `not a readable PDF: ${(error as Error).message}`);
  }
  try {
    if (pdf.numPages > MAX_PLAN_PDF_PAGES) {
      throw new PdfTextError('too-many-pages', `${pdf.numPages} pages`, pdf.numPages);
    }
    if (await hasDocumentScripts(pdf)) throw new PdfTextError('script', 'PDF carries JavaScript');
    const pages: PdfLine[][] = [];
    let chars = 0;
    for (let number = 1; number <= pdf.numPages; number++) {
      const page = await pdf.getPage(number);
      try {
        const content = await page.getTextContent();
        const pieces: Piece[] = [];
        for (const item of content.items) {
          // pdf.js fills gaps with space pieces: the gaps themselves say where the columns are.
          if (!('str' in item) || item.str.trim() === '') continue;
          const [, , , scaleY = 0, x = 0, y = 0] = item.transform as number[];
          pieces.push({ text: item.str, x, y, width: item.width, height: item.height || Math.abs(scaleY) });
        }
        const lines = toLines(pieces);
        chars += lines.reduce((sum, line) => sum + line.text.length + 1, 0);
        if (chars > MAX_PLAN_TEXT_CHARS)
          throw new PdfTextError('too-long', `over ${MAX_PLAN_TEXT_CHARS} characters`, chars);
        pages.push(lines);
      } finally {
        page.cleanup();
      }
    }
    const text = joinPages(dropRunningLines(pages));
    if ((text.match(/\p{L}/gu) ?? []).length < MIN_LETTERS)
      throw new PdfTextError('no-text', 'no text layer');
    return text;
  } finally {
    await pdf.destroy();
  }
}

type Pdfjs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjsModule: Promise<Pdfjs> | undefined;

/**
 * pdf.js, loaded on first use, with its worker code in this thread (Node has no web worker for
 * it; a bundled Lambda has no worker file beside it either).
 */
function loadPdfjs(): Promise<Pdfjs> {
  pdfjsModule ??= (async () => {
    // pdf.js's drawing code builds a DOMMatrix when its module loads (bundled, before any polyfill
    // of its own could run). Nothing is drawn here: an inert stand-in is enough for reading text.
    const scope = globalThis as Record<string, unknown>;
    for (const name of ['DOMMatrix', 'Path2D', 'ImageData']) scope[name] ??= class {};
    // The worker module has no type declarations; only its presence on globalThis matters.
    const worker: unknown = await import('pdfjs-dist/legacy/build/pdf.worker.mjs' as string);
    (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = worker;
    return import('pdfjs-dist/legacy/build/pdf.mjs');
  })();
  return pdfjsModule;
}

/**
 * Whether the file names JavaScript or a launch action in its (uncompressed) objects. Objects
 * inside compressed object streams are caught by {@link hasDocumentScripts}.
 */
function hasActiveContent(bytes: Uint8Array): boolean {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return /\/(?:JavaScript|JS|Launch)\b/.test(text);
}

async function hasDocumentScripts(pdf: { getJSActions(): Promise<unknown> }): Promise<boolean> {
  try {
    const actions = await pdf.getJSActions();
    return actions !== null && actions !== undefined && Object.keys(actions as object).length > 0;
  } catch {
    return false;
  }
}

/** Pieces → lines by baseline (top to bottom), pieces left to right; wide gaps become a tab. */
function toLines(pieces: Piece[]): PdfLine[] {
  const sorted = [...pieces].sort((a, b) => b.y - a.y || a.x - b.x);
  const rows: Piece[][] = [];
  for (const piece of sorted) {
    const row = rows.at(-1);
    const first = row?.[0];
    if (row && first && Math.abs(first.y - piece.y) <= Math.max(first.height, piece.height, 1) * 0.4)
      row.push(piece);
    else rows.push([piece]);
  }
  return rows.map((row) => {
    row.sort((a, b) => a.x - b.x);
    let text = '';
    let right = row[0]?.x ?? 0;
    for (const piece of row) {
      const gap = piece.x - right;
      const size = piece.height || 10;
      if (text !== '' && gap > size * 2.5) text += '\t';
      else if (text !== '' && gap > size * 0.15 && !/\s$/.test(text) && !/^\s/.test(piece.text)) text += ' ';
      text += piece.text;
      right = Math.max(right, piece.x + piece.width);
    }
    const first = row[0];
    return {
      text: text.trimEnd(),
      left: first?.x ?? 0,
      right,
      y: first?.y ?? 0,
      height: first?.height ?? 10,
    };
  });
}

/** A line that is only a page number: "2", "- 2 -", "Trang 2", "2/5", "Trang 2/5". */
const PAGE_NUMBER = /^(?:[-–—]\s*)?(?:trang\s+)?\d{1,4}(?:\s*\/\s*\d{1,4})?(?:\s*[-–—])?$/iu;

/**
 * Leaves out the running header and footer: lines among the first or last two of a page that
 * are page numbers, or that (digits aside) recur on at least half the pages (and at least two).
 */
function dropRunningLines(pages: PdfLine[][]): PdfLine[][] {
  const edgeKey = (line: PdfLine) => line.text.replace(/\d+/g, '#').replace(/\s+/g, ' ').trim().toLowerCase();
  const edges = (lines: PdfLine[]) => [...lines.slice(0, 2), ...lines.slice(-2)];
  const seen = new Map<string, number>();
  for (const lines of pages) {
    for (const key of new Set(edges(lines).map(edgeKey))) seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  const threshold = Math.max(2, Math.ceil(pages.length / 2));
  return pages.map((lines) => {
    const edge = new Set(edges(lines));
    return lines.filter(
      (line) =>
        !(
          edge.has(line) &&
          (PAGE_NUMBER.test(line.text.trim()) || (seen.get(edgeKey(line)) ?? 0) >= threshold)
        ),
    );
  });
}

/** Starts of a line that begins a new paragraph even right after a full line: numbering, bullets. */
const NEW_ITEM = /^(?:[-–—+•]\s|\(?(?:[IVXLC]{1,7}|\d{1,2}|[a-zđ])\s*(?:\.-|[.)\-–])\s*\S)/u;

/**
 * Whether the next line's first word would not have fitted at the end of `previous` (so the
 * writer's program wrapped it there): word widths are estimated from the line's mean letter width.
 */
function wouldOverflow(previous: PdfLine, next: PdfLine, margin: number): boolean {
  const letter = (next.right - next.left) / Math.max(1, next.text.length);
  const firstWord = next.text.trim().split(/\s/)[0] ?? '';
  return previous.right + letter * (firstWord.length + 1) > margin - letter * 0.5;
}

/**
 * Lines → paragraphs: a line that ends where the next line's first word would not have fitted
 * continues on the next line, unless that one starts an item; pages are separated by a
 * blank line, and a paragraph cut by the page break is left for the parser to re-join.
 */
function joinPages(pages: PdfLine[][]): string {
  const out: string[] = [];
  for (const lines of pages) {
    const margin = Math.max(0, ...lines.map((line) => line.right));
    // The usual distance between two lines of a paragraph: more than that is a paragraph's spacing.
    const gaps = lines
      .slice(1)
      .map((line, index) => (lines[index]?.y ?? 0) - line.y)
      .filter((gap) => gap > 0);
    const leading = gaps.sort((a, b) => a - b)[Math.floor(gaps.length / 2)] ?? 0;
    let paragraph = '';
    let previous: PdfLine | undefined;
    for (const line of lines) {
      const full =
        previous !== undefined && !previous.text.includes('\t') && wouldOverflow(previous, line, margin);
      const close =
        previous !== undefined &&
        previous.y - line.y <= (leading > 0 ? leading * 1.25 : Math.max(previous.height, line.height) * 2.2);
      if (previous && full && close && !line.text.includes('\t') && !NEW_ITEM.test(line.text)) {
        paragraph += ` ${line.text.trim()}`;
      } else {
        if (previous) out.push(paragraph);
        paragraph = line.text;
      }
      previous = line;
    }
    if (previous) out.push(paragraph);
    out.push('');
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}
