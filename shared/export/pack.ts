/**
 * The layout of the consolidated ZIP (DESIGN.md §4, an outside contract):
 *
 *     summary.csv
 *     tong-hop.xlsx
 *     bao-cao-tong-hop.docx
 *     don-vi/<unit_id> - <unit name>/<original file names>
 *
 * Built as a list of entries whose contents are produced or opened only when the ZIP writer
 * reaches them, so the whole pack streams with bounded memory.
 */
import { createHash } from 'node:crypto';
import { PassThrough, pipeline, type Readable, Transform, type TransformCallback } from 'node:stream';
import { isCleared, scanState } from '#shared/domain/scan-result.ts';
import type { PackContent } from './content.ts';
import { summaryCsvChunks } from './csv.ts';
import { extensionOf, NameDeduper, unitFolderName } from './names.ts';
import type { ReportReader } from './ports.ts';
import { reportDocxStream } from './report-docx.ts';
import { summaryRows, writeSummaryXlsx } from './summary-xlsx.ts';
import { readableFrom, type ZipEntrySpec, zipStream } from './zip.ts';

export const PACK_NAMES = {
  summaryCsv: 'summary.csv',
  /** The child committees' summaries (docs/tenancy.md). */
  childrenFolder: 'cap-duoi',
  summaryXlsx: 'tong-hop.xlsx',
  reportDocx: 'bao-cao-tong-hop.docx',
  unitsFolder: 'don-vi',
} as const;

/**
 * Formats whose bytes are compressed already (ZIP containers: docx, xlsx, odt, ods; images; PDF
 * streams): deflating them again costs CPU for a percent or two, so they are stored. Everything
 * else (doc, xls, csv, txt, unknown) is deflated: the old binary Office formats shrink by half.
 */
export const STORED_EXTENSIONS: ReadonlySet<string> = new Set([
  'pdf',
  'jpg',
  'jpeg',
  'png',
  'docx',
  'xlsx',
  'odt',
  'ods',
  'zip',
]);

/**
 * Unit files downloaded ahead of the one being written, each read ahead up to
 * {@link PREFETCH_BYTES}: one S3 GET stream is slower than the writer, a few in parallel are not.
 * Memory: at most LOOK_AHEAD × PREFETCH_BYTES (32 MiB).
 */
export const LOOK_AHEAD = 4;
export const PREFETCH_BYTES = 8 * 1024 * 1024;

export function shouldCompress(fileName: string): boolean {
  return !STORED_EXTENSIONS.has(extensionOf(fileName));
}

/** The entries of a pack, in order, and how many unit files they hold. */
export interface PackPlan {
  entries: ZipEntrySpec[];
  files: number;
}

/** Lists the pack's entries; nothing is opened or generated until the writer gets there. */
export function planPack(content: PackContent, reports: ReportReader): PackPlan {
  const mtime = content.generatedAt;
  const entries: ZipEntrySpec[] = [
    {
      name: PACK_NAMES.summaryCsv,
      compress: true,
      mtime,
      data: () => readableFrom(summaryCsvChunks(content.units)),
    },
    {
      // The workbook's parts are deflated inside it already (shared/export/xlsx/): stored.
      name: PACK_NAMES.summaryXlsx,
      compress: false,
      mtime,
      data: () => {
        const out = new PassThrough();
        // With the units: columns sized to the names, and a sheet of notes per task group.
        writeSummaryXlsx(content, summaryRows(content), out, undefined, content.units).catch((error) =>
          out.destroy(error),
        );
        return out;
      },
    },
    {
      // The document's parts are deflated inside it already (shared/export/docx/): stored.
      name: PACK_NAMES.reportDocx,
      compress: false,
      mtime,
      data: () => reportDocxStream(content),
    },
  ];
  // Each child committee's own period: its summary rows (docs/tenancy.md).
  for (const child of content.children ?? []) {
    entries.push({
      name: `${PACK_NAMES.childrenFolder}/${child.committeeId}/${PACK_NAMES.summaryCsv}`,
      compress: true,
      mtime,
      data: () => readableFrom(summaryCsvChunks(child.units)),
    });
  }
  let files = 0;
  // Units withdrawn from the period keep what they sent (docs/units.md): by unit id among the others.
  const withdrawn = content.withdrawnUnits ?? [];
  const withFiles =
    withdrawn.length === 0
      ? content.units
      : [...content.units, ...withdrawn].sort((a, b) => a.row.unitId.localeCompare(b.row.unitId));
  for (const unit of withFiles) {
    if (unit.files.length === 0) continue;
    const folder = `${PACK_NAMES.unitsFolder}/${unitFolderName(unit.row.unitId, unit.row.unitName)}`;
    const names = new NameDeduper();
    for (const file of unit.files) {
      // A file the malware scan has not cleared never goes into the pack (summary.csv lists it).
      if (!isCleared(scanState(unit.scans?.[file.uploadId]))) continue;
      const name = `${folder}/${names.next(file.fileName)}`;
      entries.push({
        name,
        compress: shouldCompress(file.fileName),
        mtime: file.receivedAt ? new Date(file.receivedAt) : mtime,
        size: file.size,
        data: async () =>
          verifySha256(
            await reports.open(file.key, file.versionId),
            file.sha256,
            name,
            Math.min(file.size, PREFETCH_BYTES),
          ),
      });
      files++;
    }
  }
  return { entries, files };
}

/** The pack as a ZIP stream. */
export function packStream(content: PackContent, reports: ReportReader): { stream: Readable; files: number } {
  const { entries, files } = planPack(content, reports);
  // DOS timestamps (zone-less) in the committee's zone: what Vietnamese users see when unzipping.
  return { stream: zipStream(entries, { timeZone: content.timeZone, lookAhead: LOOK_AHEAD }), files };
}

/** Thrown (as the stream's error) when an object's bytes are not those its receipt records. */
export class ChecksumMismatchError extends Error {
  constructor(
    readonly entry: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`SHA-256 of ${entry} is ${actual}, its receipt says ${expected}`);
    this.name = 'ChecksumMismatchError';
  }
}

/**
 * Passes the bytes through and, at the end, checks their SHA-256 against the recorded one: the
 * pack never carries a file whose bytes differ from the unit's receipt (and from summary.csv).
 * With `buffer` > 0, up to that many bytes are read ahead (a download runs while earlier entries
 * are written: see {@link LOOK_AHEAD}).
 */
export function verifySha256(source: Readable, expected: string, entry: string, buffer = 0): Readable {
  const hash = createHash('sha256');
  const verifier = new Transform({
    ...(buffer > 0 ? { readableHighWaterMark: buffer } : {}),
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      hash.update(chunk);
      callback(null, chunk);
    },
    flush(callback: TransformCallback) {
      const actual = hash.digest('hex');
      callback(actual === expected.toLowerCase() ? null : new ChecksumMismatchError(entry, expected, actual));
    },
  });
  pipeline(source, verifier, () => {});
  return verifier;
}

/**
 * Counts the bytes of the finished ZIP on their way to the sink. (No hash of the whole pack: the
 * unit files are verified one by one, S3 checks each part's checksum, and hashing every byte
 * once more would cost a second of CPU per GiB.)
 */
export class ZipMeter extends Transform {
  bytes = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    callback(null, chunk);
  }
}
