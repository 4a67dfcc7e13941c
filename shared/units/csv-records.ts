/**
 * The records of a CSV text (RFC 4180, as spreadsheet programs write it and people edit it by
 * hand), each with the physical line it starts on.
 *
 * Written here rather than taken from csv-parse: the units CSV needs one small dialect and the
 * line a person sees for every record, which csv-parse does not report reliably (its line count
 * drifts around blank lines and quoted line breaks in CRLF files, so the importer kept a second
 * pass to count lines). This reader is ~100 lines against csv-parse's 31 KB in the setup
 * function's bundle (docs/BENCHMARKS.md, `bundles`).
 *
 * The dialect: comma-separated; CRLF, LF or CR line ends, mixed; `"…"` quoting with `""` for a
 * quote inside; whitespace around values and around quotes is dropped; blank and
 * whitespace-only lines are skipped; records may have any number of fields.
 */

/** One record: its fields, trimmed, and the 1-based line of its first character. */
export interface CsvRecord {
  fields: string[];
  line: number;
}

/** Why a text is not CSV; the reader stops there, since later record boundaries are unknown. */
export type CsvSyntaxProblem =
  /** A quoted value is not closed before the end of the text. */
  | 'unclosed-quote'
  /** Something other than a comma or a line end follows a closing quote. */
  | 'after-closing-quote'
  /** A quote inside a value that is not quoted. */
  | 'quote-in-value';

export class CsvSyntaxError extends Error {
  constructor(
    readonly problem: CsvSyntaxProblem,
    /** The line of the record the problem is in (where the record starts). */
    readonly line: number,
  ) {
    super(`CSV ${problem} in the record starting on line ${line}`);
    this.name = 'CsvSyntaxError';
  }
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

/** Whitespace trimmed around values: any but the line ends. */
function isBlank(code: number): boolean {
  return code !== LF && code !== CR && /\s/u.test(String.fromCharCode(code));
}

/**
 * Yields the records of `text` in order.
 * @throws CsvSyntaxError at the first quoting problem (the records before it are yielded).
 */
export function* csvRecords(text: string): Generator<CsvRecord> {
  const end = text.length;
  let at = 0;
  let line = 1;

  /** Moves past one line end (CRLF counts once) at `at`, if there is one. */
  const lineEnd = (): boolean => {
    const code = text.charCodeAt(at);
    if (code === CR) {
      at += text.charCodeAt(at + 1) === LF ? 2 : 1;
    } else if (code === LF) {
      at += 1;
    } else {
      return false;
    }
    line += 1;
    return true;
  };

  while (true) {
    // Blank and whitespace-only lines before the record.
    while (at < end) {
      if (lineEnd()) continue;
      if (!isBlank(text.charCodeAt(at))) break;
      at += 1;
    }
    if (at >= end) return;
    const start = line;
    const fields: string[] = [];
    while (true) {
      while (at < end && isBlank(text.charCodeAt(at))) at += 1;
      if (text.charCodeAt(at) === QUOTE) {
        let value = '';
        at += 1;
        while (true) {
          const close = text.indexOf('"', at);
          if (close === -1) throw new CsvSyntaxError('unclosed-quote', start);
          value += text.slice(at, close);
          for (let i = at; i < close; i++) {
            const code = text.charCodeAt(i);
            if (code === LF || (code === CR && text.charCodeAt(i + 1) !== LF)) line += 1;
          }
          at = close + 1;
          if (text.charCodeAt(at) !== QUOTE) break;
          value += '"';
          at += 1;
        }
        while (at < end && isBlank(text.charCodeAt(at))) at += 1;
        const next = text.charCodeAt(at);
        if (at < end && next !== COMMA && next !== LF && next !== CR) {
          throw new CsvSyntaxError('after-closing-quote', start);
        }
        fields.push(value);
      } else {
        let stop = at;
        while (stop < end) {
          const code = text.charCodeAt(stop);
          if (code === COMMA || code === LF || code === CR) break;
          if (code === QUOTE) throw new CsvSyntaxError('quote-in-value', start);
          stop += 1;
        }
        fields.push(text.slice(at, stop).trim());
        at = stop;
      }
      if (text.charCodeAt(at) === COMMA) {
        at += 1;
        continue;
      }
      lineEnd();
      break;
    }
    yield { fields, line: start };
  }
}
