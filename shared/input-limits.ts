/**
 * Every bound on what a user can push into the system (files given to the CLI or the web app,
 * HTTP request bodies), in one place. Each is checked before the input is parsed, so a hostile
 * file costs at most what the limit allows. Sizes are binary (1 MB = 1,048,576 bytes), as
 * Windows Explorer shows them, and messages say "MB" the way Explorer does.
 */
import { formatBytes, formatCountVi } from './domain/bytes.ts';
import { PayloadTooLargeError } from './errors.ts';

const KB = 1024;
const MB = 1024 * KB;

/**
 * Largest plan document (.txt or .docx). A Kế hoạch is 3–10 pages: 3–30 KB as text, 20–200 KB as
 * Word, a few MB with a scanned seal or signature image. 10 MB keeps every real plan and refuses
 * anything the reader should not hold in memory.
 */
export const MAX_PLAN_DOCUMENT_BYTES = 10 * MB;

/**
 * Longest plan text given to the parser, in UTF-16 code units: the decoded .txt or the text
 * extracted from a .docx (shared/plans/docx-text.ts). The parser's cost follows the number of lines: a million blank
 * lines took 0.65 s and ~70 MB. A plan's text is 3–30 KB; 1,000,000 characters is ~500 pages.
 */
export const MAX_PLAN_TEXT_CHARS = 1_000_000;

/**
 * Most pages read from a PDF plan document: a 200-page plan is far inside it; the text is read a
 * page at a time, so memory stays at one page (and {@link MAX_PLAN_TEXT_CHARS} bounds the text).
 */
export const MAX_PLAN_PDF_PAGES = 1_000;

/**
 * Largest units CSV. A row is about 100–200 bytes (id, Vietnamese name, two or three
 * addresses), so {@link MAX_UNITS_CSV_ROWS} rows fit in about 1 MB; 2 MB leaves room for long
 * cc lists without letting a file grow past what the parser should hold as one string.
 */
export const MAX_UNITS_CSV_BYTES = 2 * MB;

/**
 * Most data rows in one units CSV. A committee has tens of units (a large Đảng bộ a few hundred);
 * 5,000 bounds one import's work: every row is a DynamoDB write, and every updated unit one
 * more write per period not yet closed, one after the other (~6 ms each: ~30 s for 5,000), which
 * must fit in a request once the web app takes the file. The 100,000-unit scale of docs/COST.md
 * imports in several files: an import upserts, units absent from the file are left as they are.
 */
export const MAX_UNITS_CSV_ROWS = 5_000;

/**
 * Most units a plan's recipients may name (`recipientUnitIds`, stored in the plan's item, which
 * DynamoDB bounds at 400 KB with the plan's text): 1,000 ids of up to 64 characters are 64 KB at
 * most. A plan for more units is addressed to every active unit (the default).
 */
export const MAX_PLAN_RECIPIENTS = 1_000;

/**
 * Longest cell of a units CSV, in characters. The longest legitimate cell is a cc list of a
 * dozen addresses (~400 characters); names stop at 200 and ids at 64 (shared/units/unit-rows.ts). A
 * longer cell is a mistake (a whole file pasted into one cell) and would bloat items and mails.
 */
export const MAX_CSV_CELL_CHARS = 500;

/**
 * Office documents (.docx, .xlsx) are ZIP archives, inflated by the readers in memory: each is
 * checked against these bounds first (shared/files/office-zip.ts), on the sizes the archive
 * declares and again while inflating, since declared sizes can lie.
 */
export const OFFICE_ZIP_LIMITS = {
  /**
   * Entries in the archive. A Word document has 10–30 parts; one with many images a few
   * hundred. Each entry costs a central-directory record and an inflate stream.
   */
  entries: 1_000,
  /**
   * Inflated bytes of any one entry. Images do not compress, so no part of a document within
   * {@link MAX_PLAN_DOCUMENT_BYTES} legitimately inflates to more than about that size.
   */
  entryBytes: 10 * MB,
  /** Inflated bytes of all entries together (declared, then counted): 5× the document limit. */
  totalBytes: 50 * MB,
  /**
   * Inflated bytes of all XML parts together (entries whose content starts with `<`, whatever
   * their name: a relationship can point the reader at any entry). mammoth builds a DOM of
   * every part it reads, measured at ~50 bytes of memory per byte of XML (a 5 MB document.xml
   * took 270 MB and 2.4 s), so 4 MB keeps the worst case near 200 MB. A 100-page Word document
   * has about 2 MB of XML; a plan has 50–300 KB.
   */
  markupBytes: 4 * MB,
} as const;

/** The bounds of {@link OFFICE_ZIP_LIMITS}, for callers (and tests) that need others. */
export interface OfficeZipLimits {
  entries: number;
  entryBytes: number;
  totalBytes: number;
  markupBytes: number;
}

/**
 * Largest HTTP request body, after base64 decoding. The largest legitimate body is an upload
 * request whose notes (up to 5,000 characters per task group of a plan) reach about 150 KB in
 * UTF-8; the committee's forms are under 1 KB.
 */
export const MAX_REQUEST_BODY_BYTES = 256 * KB;

/**
 * Largest file the committee's web app takes in one form (a plan document, a units CSV or .xlsx):
 * 4 MB, so that the base64-encoded request (4/3 larger) stays under Lambda's 6 MB synchronous
 * payload. Real plan documents are tens of kilobytes to about 1 MB; larger ones go through the CLI
 * ({@link MAX_PLAN_DOCUMENT_BYTES}).
 */
export const MAX_WEB_UPLOAD_BYTES = 4 * MB;

/**
 * Bounds of a plan's fields as the committee edits them in the web app or sends them as JSON
 * (shared/plans/plan-input.ts), in characters. A real plan has 3–10 task groups with titles of
 * 20–250 characters and bodies of 0.3–3 K characters; the whole form, percent-encoded, must stay
 * under {@link MAX_REQUEST_BODY_BYTES} (Vietnamese text is ~3.5 bytes a character once encoded):
 * 50 bodies at the limit would not, and are refused by the body limit with the same message.
 */
export const PLAN_FIELD_LIMITS = {
  number: 50,
  title: 500,
  issuer: 200,
  superiorNumber: 50,
  taskGroups: 50,
  taskGroupNumber: 10,
  taskGroupTitle: 500,
  taskGroupBody: 20_000,
  recipients: 100,
  recipient: 300,
  sourceFileName: 255,
} as const;

/**
 * Most members of a committee (admins and viewers together). An office has a handful of staff,
 * plus the standing committee as viewers: tens at most. The digests and export notices go to every
 * member in one e-mail, and SES takes at most 50 recipients per e-mail.
 */
export const MAX_COMMITTEE_MEMBERS = 50;

/**
 * Most committees of one deployment a person is found in at sign-in (and listed on the chooser,
 * "Chọn cấp ủy"): the first this many of the membership index, by committee id.
 */
export const MAX_COMMITTEES_PER_MEMBER = 50;

/** Longest e-mail address (RFC 5321's path limit). */
export const MAX_EMAIL_CHARS = 254;

/**
 * The size of something over `limit`, as shown beside the limit: "12,5 MB", or "hơn 10 MB" when
 * the size is unknown or rounds to the limit itself (10 MB and 1 byte).
 */
export function formatSizeOver(size: number | undefined, limit: number): string {
  const shown = size === undefined ? undefined : formatBytes(size);
  return shown === undefined || shown === formatBytes(limit) ? `hơn ${formatBytes(limit)}` : shown;
}

/** A plan document refused for its size (undefined: it grew past the limit while being read). */
export function planDocumentTooLarge(fileName: string, size: number | undefined): PayloadTooLargeError {
  return fileTooLarge(fileName, size, MAX_PLAN_DOCUMENT_BYTES, 'a plan document', 'tài liệu kế hoạch');
}

/** A plan document whose text is longer than {@link MAX_PLAN_TEXT_CHARS}. */
export function planTextTooLong(fileName: string, chars: number): PayloadTooLargeError {
  return new PayloadTooLargeError(
    `Plan document too long: ${fileName} has ${chars} characters of text; the limit is ${MAX_PLAN_TEXT_CHARS}`,
    `Tài liệu ${fileName} dài quá (${formatCountVi(chars)} ký tự); giới hạn cho tài liệu kế hoạch là ` +
      `${formatCountVi(MAX_PLAN_TEXT_CHARS)} ký tự.`,
  );
}

/** A units CSV refused for its size (undefined: it grew past the limit while being read). */
export function unitsCsvTooLarge(fileName: string, size: number | undefined): PayloadTooLargeError {
  return fileTooLarge(fileName, size, MAX_UNITS_CSV_BYTES, 'a units CSV', 'danh sách đơn vị (CSV)');
}

function fileTooLarge(
  label: string,
  size: number | undefined,
  limit: number,
  purpose: string,
  purposeVi: string,
): PayloadTooLargeError {
  const bytes = size === undefined ? `more than ${limit}` : String(size);
  const shown = formatSizeOver(size, limit);
  return new PayloadTooLargeError(
    `File too large: ${label} has ${bytes} bytes; the limit for ${purpose} is ${limit} bytes`,
    `Tệp ${label} lớn quá (${shown}); giới hạn cho ${purposeVi} là ${formatBytes(limit)}.`,
  );
}
