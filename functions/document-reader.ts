import { inspectOfficeZip } from '#shared/files/office-zip.ts';
import {
  type ArchiveRefusal,
  DocumentReadError,
  type DocumentReader,
  type SheetRow,
} from '#shared/files/ports.ts';
import { MAX_PLAN_DOCUMENT_BYTES, MAX_PLAN_TEXT_CHARS, MAX_UNITS_CSV_BYTES } from '#shared/input-limits.ts';
import { extractDocxText } from '#shared/plans/docx-text.ts';
import { extractPdfText } from '#shared/plans/pdf-text.ts';
import { logger } from '#shared/powertools.ts';
import { readXlsxSheet } from '#shared/units/xlsx-sheet.ts';

/**
 * What setup-api sends: the document's bytes in base64 (a web upload is at most 4 MB: ~5.4 MB
 * here), and what to read from it.
 */
export type DocumentReaderRequest =
  | { read: 'plan-text'; kind: 'pdf' | 'docx'; document: string }
  | { read: 'units-sheet'; document: string };

/** The text or the rows, or why there are none (the kind of {@link DocumentReadError}). */
export type DocumentReaderResponse =
  | { text: string }
  | { rows: SheetRow[] }
  | { problem: DocumentReadError['kind']; detail?: number | undefined; refusal?: ArchiveRefusal | undefined };

/**
 * The reader of the committee's Office and PDF files (a plan's .pdf or .docx, the units' .xlsx),
 * as this process runs it: the CLI, the local stack and the document-reader Lambda.
 */
export const inProcessDocumentReader: DocumentReader = {
  async planText(kind, bytes) {
    if (kind === 'pdf') return extractPdfText(bytes);
    // The archive is inflated in memory: its sizes are checked first.
    const problem = await inspectOfficeZip(bytes);
    if (problem?.kind === 'unreadable') throw new DocumentReadError('unreadable', 'not a ZIP archive');
    if (problem)
      throw new DocumentReadError('refused', `archive refused: ${problem.detail}`, undefined, problem);
    let text: string;
    try {
      text = await extractDocxText(bytes);
    } catch (error) {
      throw new DocumentReadError('unreadable', `not a readable Word document: ${(error as Error).message}`);
    }
    // Refused here, so that an answer never carries more than the import takes.
    if (text.length > MAX_PLAN_TEXT_CHARS)
      throw new DocumentReadError('too-long', 'text too long', text.length);
    return text;
  },
  unitsSheet: readXlsxSheet,
};

/** Longest base64 of `bytes` bytes: anything longer is refused unread. */
const base64Length = (bytes: number) => Math.ceil(bytes / 3) * 4;

/**
 * Reads one committee document. Apart from the committee's functions: pdf.js (about 1.5 MB),
 * yauzl and saxes stay out of setup-api's bundle, and a hostile document is parsed in a process
 * with no permission at all (no table, no bucket, no secret) and its own memory and time limits.
 */
export async function readDocument(request: unknown): Promise<DocumentReaderResponse> {
  const asked = (request ?? {}) as Partial<{ read: unknown; kind: unknown; document: unknown }>;
  const { read, kind, document } = asked;
  const limit =
    read === 'plan-text' && (kind === 'pdf' || kind === 'docx')
      ? MAX_PLAN_DOCUMENT_BYTES
      : read === 'units-sheet'
        ? MAX_UNITS_CSV_BYTES
        : 0;
  if (typeof document !== 'string' || document.length === 0 || document.length > base64Length(limit)) {
    return { problem: 'unreadable' };
  }
  const bytes = new Uint8Array(Buffer.from(document, 'base64'));
  try {
    return read === 'units-sheet'
      ? { rows: await inProcessDocumentReader.unitsSheet(bytes) }
      : { text: await inProcessDocumentReader.planText(kind as 'pdf' | 'docx', bytes) };
  } catch (error) {
    if (error instanceof DocumentReadError) {
      logger.info('Document refused', { read, kind, problem: error.kind });
      return {
        problem: error.kind,
        ...(error.detail === undefined ? {} : { detail: error.detail }),
        ...(error.refusal
          ? { refusal: { detail: error.refusal.detail, detailVi: error.refusal.detailVi } }
          : {}),
      };
    }
    logger.warn('Document unreadable', { read, kind, error: (error as Error).message });
    return { problem: 'unreadable' };
  }
}

/** Lambda entry point, invoked synchronously by setup-api (shared/adapters/document-reader-invoker.ts). */
export const handler = readDocument;
