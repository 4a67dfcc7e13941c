/**
 * The port through which the committee's Office and PDF files are read, without loading their
 * readers (pdf.js, yauzl, saxes) in the caller: the CLI and the local stack run them in their own
 * process (functions/document-reader.ts); setup-api, whose bundle must stay small, asks the
 * document-reader Lambda (shared/adapters/document-reader-invoker.ts), which also keeps the
 * parsing of a hostile file out of the committee's process. A .txt or a CSV needs no library and
 * is read by the caller itself.
 */

/** Why a file gave no text or rows; `kind` chooses the Vietnamese message (the callers'). */
export type DocumentProblem =
  /** Not a readable PDF, Word document or workbook. */
  | 'unreadable'
  /** A PDF with a password. */
  | 'encrypted'
  /** A PDF with JavaScript or a launch action. */
  | 'script'
  /** A PDF without a text layer (a scan). */
  | 'no-text'
  /** A PDF over the page limit (`detail`: its pages). */
  | 'too-many-pages'
  /** Text over the limit (`detail`: the characters counted), or a sheet's cells over theirs. */
  | 'too-long'
  /** An Office archive over a limit, with a DTD, or corrupt (`refusal` says why). */
  | 'refused'
  /** A workbook without a worksheet. */
  | 'no-sheet'
  /** A workbook part that is not UTF-8. */
  | 'not-utf8'
  /** A workbook part that is not well-formed XML. */
  | 'bad-xml';

/** Why an Office archive was refused, in English (logs) and in Vietnamese (the person). */
export interface ArchiveRefusal {
  detail: string;
  detailVi: string;
}

export class DocumentReadError extends Error {
  constructor(
    readonly kind: DocumentProblem,
    message: string,
    /** The page count or the characters counted, for the messages that name them. */
    readonly detail?: number,
    /** Why an archive was refused (kind `refused`). */
    readonly refusal?: ArchiveRefusal,
  ) {
    super(message);
  }
}

/** A cell of a units sheet that holds no plain value: named by its reference (`C5`). */
export type SheetCellProblem =
  | { kind: 'formula'; ref: string; formula: string }
  | { kind: 'error-value'; ref: string; value: string }
  | { kind: 'missing-string'; ref: string }
  | { kind: 'outside'; ref: string };

/**
 * One non-blank row of a workbook's first sheet: its number, its values as strings placed by
 * column (untrimmed, trailing empty cells kept as read), or the problems of its cells.
 */
export interface SheetRow {
  row: number;
  cells: string[];
  problems?: SheetCellProblem[] | undefined;
}

/** Reads the text of a plan document, or the rows of a units workbook. */
export interface DocumentReader {
  /**
   * The text of a PDF or Word (.docx) plan document, one paragraph per line.
   * @throws DocumentReadError when the file gives no usable text.
   */
  planText(kind: 'pdf' | 'docx', bytes: Uint8Array): Promise<string>;
  /**
   * The rows of an .xlsx workbook's first sheet, values only (never a formula evaluated).
   * @throws DocumentReadError when the workbook cannot be read.
   */
  unitsSheet(bytes: Uint8Array): Promise<SheetRow[]>;
}
