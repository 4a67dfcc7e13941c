/**
 * Typed domain errors. Services throw these; only the edges (HTTP adapter, CLI) turn them
 * into status codes and Vietnamese messages. `message` is English for logs and the CLI;
 * `userMessage` is the Vietnamese text shown to people.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  /** Vietnamese text for people; defaults to the English message. */
  readonly userMessage: string;

  constructor(message: string, userMessage?: string) {
    super(message);
    this.name = new.target.name;
    this.userMessage = userMessage ?? message;
  }
}

/** Input that is malformed or fails validation; `details` lists each problem. */
export class ValidationError extends DomainError {
  readonly code = 'VALIDATION_FAILED';
  constructor(
    message: string,
    readonly details: readonly string[] = [],
    userMessage?: string,
  ) {
    super(message, userMessage);
  }
}

/** A document that is not a plan (or not readable); `missing` names the parts not found. */
export class PlanDocumentError extends DomainError {
  readonly code = 'PLAN_DOCUMENT_INVALID';
  constructor(
    message: string,
    readonly missing: readonly string[] = [],
    userMessage?: string,
  ) {
    super(message, userMessage);
  }
}

/** One line of an imported CSV that failed validation (1-based line numbers as in an editor). */
export interface CsvLineError {
  line: number;
  message: string;
}

/**
 * A units file (CSV, or `fileKind` such as "Excel (.xlsx)") with one or more bad rows; nothing is
 * written when this is thrown.
 */
export class CsvValidationError extends DomainError {
  readonly code = 'CSV_INVALID';
  constructor(
    readonly errors: readonly CsvLineError[],
    fileKind = 'CSV',
  ) {
    super(
      `${fileKind === 'CSV' ? 'CSV' : 'File'} rejected, nothing imported: ${errors.map((e) => `line ${e.line}: ${e.message}`).join('; ')}`,
      `Tệp ${fileKind} không hợp lệ, chưa nhập dữ liệu nào: ${errors.map((e) => `dòng ${e.line}: ${e.message}`).join('; ')}`,
    );
  }
}

export class NotFoundError extends DomainError {
  readonly code = 'NOT_FOUND';
}

export class ConflictError extends DomainError {
  readonly code = 'CONFLICT';
}

/**
 * Input refused for its size before it was parsed: a file over its limit, a request body over
 * its limit (shared/input-limits.ts). HTTP 413.
 */
export class PayloadTooLargeError extends DomainError {
  readonly code = 'PAYLOAD_TOO_LARGE';
}
