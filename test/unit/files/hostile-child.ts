/**
 * Runs one hostile input through the code `baocao plan import` / `baocao units import` run, in a
 * fresh process (started by hostile-memory.test.ts), and prints JSON on stdout: the process's
 * resident set (KiB) right before the input is read, its peak resident set (`maxRSS`, KiB) after,
 * and the error the input ended in. The baseline is the resident set then, not the peak so far:
 * loading the readers may have peaked higher before the collector gave memory back, and growth
 * below that earlier peak would not show in `maxRSS` at all.
 *
 * Usage: node --import tsx hostile-child.ts <case> <file>
 *   plan-file    the CLI's path for a plan: bounded read, then readPlanDocument
 *   units-file   the CLI's path for units: bounded read, then parseUnitsCsv
 *   units-bytes  the file read whole before the baseline (as a web upload would be held), then
 *                parseUnitsCsv on the bytes
 *   control      allocates and touches 256 MiB after the baseline: proves the measurement sees
 *                growth at all
 */

import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { inProcessDocumentReader } from '#functions/document-reader.ts';
import { DomainError } from '#shared/errors.ts';
import { readFileBounded } from '#shared/files/bounded-read.ts';
import {
  MAX_PLAN_DOCUMENT_BYTES,
  MAX_UNITS_CSV_BYTES,
  planDocumentTooLarge,
  unitsCsvTooLarge,
} from '#shared/input-limits.ts';
import { readPlanDocument } from '#shared/plans/read-plan-document.ts';
import { parseUnitsCsv } from '#shared/units/parse-units-csv.ts';

const [kind, file = ''] = process.argv.slice(2);
const name = basename(file);
// What the readers load on first use is loaded now, so that only the input's cost is measured.
await import('yauzl');
await import('mammoth');
const held = kind === 'units-bytes' ? await readFile(file) : undefined;

const before = Math.floor(process.memoryUsage().rss / 1024);
let error: unknown;
let kept: unknown;
try {
  switch (kind) {
    case 'plan-file':
      await readPlanDocument(
        await readFileBounded(file, MAX_PLAN_DOCUMENT_BYTES, (size) => planDocumentTooLarge(name, size)),
        name,
        inProcessDocumentReader,
      );
      break;
    case 'units-file':
      parseUnitsCsv(
        await readFileBounded(file, MAX_UNITS_CSV_BYTES, (size) => unitsCsvTooLarge(name, size)),
        name,
      );
      break;
    case 'units-bytes':
      parseUnitsCsv(held!, name);
      break;
    case 'control':
      kept = Buffer.alloc(256 * 1024 * 1024, 1);
      break;
    default:
      throw new Error(`unknown case ${kind}`);
  }
} catch (e) {
  error = e;
}
const after = process.resourceUsage().maxRSS;

process.stdout.write(
  JSON.stringify({
    beforeKiB: before,
    afterKiB: after,
    kept: kept !== undefined,
    error:
      error instanceof DomainError
        ? { name: error.name, code: error.code, message: error.message, userMessage: error.userMessage }
        : error === undefined
          ? null
          : { name: 'Error', message: String(error) },
  }),
);
