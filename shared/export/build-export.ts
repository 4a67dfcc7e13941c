/**
 * The consolidated results of one period: build the pack (see pack.ts), stream it to S3 or to a
 * local file, keep a record of each export, and tell the committee when it is ready.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { pipeline as pipelineCallback, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { NotFoundError, ValidationError } from '#shared/errors.ts';
import type { MailMessage } from '#shared/mail/mail-message.ts';
import type { Deps } from '#shared/services/deps.ts';
import { periodStatus } from '#shared/services/periods.ts';
import { collectPackContent, type PackContent } from './content.ts';
import { packStream, ZipMeter } from './pack.ts';
import type { ExportDeps, ExportRecord, ExportStore, PackDeps } from './ports.ts';

export const ZIP_CONTENT_TYPE = 'application/zip';

/** A building export older than this is shown as failed: its function died (Lambda max is 15 min). */
export const STALE_BUILD_MS = 30 * 60 * 1000;

/** Export ids sort by creation time: `20261216T010203Z-1a2b3c4d`. */
const EXPORT_ID = /^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{8}$/;

export function newExportId(now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  return `${stamp}-${randomBytes(4).toString('hex')}`;
}

export function isExportId(id: string): boolean {
  return EXPORT_ID.test(id);
}

/** S3 key of an export's ZIP. */
export function exportKey(planId: string, year: number, exportId: string): string {
  return `exports/${planId}/${year}/${exportId}.zip`;
}

/** What a finished pack holds. */
export interface PackResult {
  /** Size of the ZIP in bytes. */
  bytes: number;
  /** Expected units (rows of summary.csv). */
  units: number;
  /** Unit files in `don-vi/`. */
  files: number;
}

export interface ExportResult extends PackResult {
  exportId: string;
  key: string;
  record: ExportRecord;
  /** false when this call found the export already finished (a retried invocation): no mail then. */
  built: boolean;
}

export interface BuildExportOptions {
  /** The export to build (created by {@link requestExport}); default: a new one. */
  exportId?: string | undefined;
  /** Who asked (a committee address, `planner`, `cli`); recorded. */
  requestedBy?: string | undefined;
}

/**
 * Builds the period's pack into `exports/<planId>/<year>/<exportId>.zip`, recording the export
 * (building → ready | failed) and queueing the `export-ready` e-mail to the committee.
 * An unknown plan or period throws NotFoundError before any record is written. Safe to retry with
 * the same exportId: a ready export is returned as it is, a failed one is built again.
 */
export async function buildExport(
  deps: ExportDeps,
  planId: string,
  year: number,
  options: BuildExportOptions = {},
): Promise<ExportResult> {
  // Validates plan and period first: a bad request leaves no record behind (a requested
  // export, whose record exists already, is marked failed).
  let content: PackContent;
  try {
    content = await collectPackContent(deps, planId, year);
  } catch (error) {
    if (options.exportId && isExportId(options.exportId)) {
      await deps.exports
        .markFailed(planId, year, options.exportId, deps.clock.now().toISOString(), describe(error))
        .catch(() => {});
    }
    throw error;
  }
  const { plan, period } = content;
  const now = deps.clock.now();
  const exportId = options.exportId ?? newExportId(now);
  if (!isExportId(exportId)) {
    throw new ValidationError(
      `Invalid export id: ${exportId}`,
      [],
      `Mã bản tổng hợp không hợp lệ: ${exportId}`,
    );
  }
  const key = exportKey(plan.id, period.year, exportId);
  const existing = await deps.exports.get(plan.id, period.year, exportId);
  if (existing?.state === 'ready') return { ...resultOf(existing), built: false };
  if (!existing) {
    const created = await deps.exports.create(
      newRecord(plan.id, period.year, exportId, options.requestedBy ?? 'system', now.toISOString()),
    );
    if (!created) throw new Error(`Export ${exportId} was created concurrently`);
  } else if (existing.state === 'failed') {
    await deps.exports.restart(plan.id, period.year, exportId, now.toISOString());
  }

  let result: PackResult;
  try {
    result = await writePack(content, deps, (stream) => deps.writer.upload(key, stream, ZIP_CONTENT_TYPE));
  } catch (error) {
    await deps.exports
      .markFailed(plan.id, period.year, exportId, deps.clock.now().toISOString(), describe(error))
      .catch(() => {});
    throw error;
  }
  const finishedAt = deps.clock.now().toISOString();
  const won = await deps.exports.markReady(plan.id, period.year, exportId, {
    finishedAt,
    size: result.bytes,
    units: result.units,
    files: result.files,
  });
  const record = (await deps.exports.get(plan.id, period.year, exportId))!;
  // A concurrent duplicate invocation finished first and sent the e-mail.
  if (!won) return { ...resultOf(record), built: false };
  const mail = exportReadyMail(deps, content, record);
  if (mail) await deps.mailQueue.enqueue([mail]);
  return { exportId, key, record, built: true, ...result };
}

/**
 * Writes the same pack to a local file (`baocao export PLAN YEAR --out FILE.zip`): no record, no
 * e-mail. The ZIP is written next to `path` and renamed into place when complete, so a failed
 * export never leaves a truncated file.
 */
export async function writeExportToFile(
  deps: PackDeps,
  planId: string,
  year: number,
  path: string,
): Promise<PackResult> {
  const content = await collectPackContent(deps, planId, year);
  const partial = `${path}.partial`;
  try {
    const result = await writePack(content, deps, (stream) => pipeline(stream, createWriteStream(partial)));
    await rename(partial, path);
    return result;
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

/** Streams the pack of `content` into `sink`, counting its bytes on the way. */
export async function writePack(
  content: PackContent,
  deps: Pick<PackDeps, 'reports'>,
  sink: (stream: Readable) => Promise<void>,
): Promise<PackResult> {
  const { stream, files } = packStream(content, deps.reports);
  const meter = new ZipMeter();
  pipelineCallback(stream, meter, () => {});
  await sink(meter);
  return { bytes: meter.bytes, units: content.units.length, files };
}

/**
 * Registers an export to be built (the dashboard's "Tổng hợp" button): validates plan and period,
 * writes the record in state `building` and returns it; the caller then invokes the exporter
 * asynchronously with its `exportId`.
 */
export async function requestExport(
  deps: Deps & { exports: ExportStore },
  planId: string,
  year: number,
  requestedBy: string,
): Promise<ExportRecord> {
  const { plan, period } = await periodStatus(deps, planId, year);
  const now = deps.clock.now();
  const record = newRecord(plan.id, period.year, newExportId(now), requestedBy, now.toISOString());
  if (!(await deps.exports.create(record))) throw new Error(`Export id collision: ${record.exportId}`);
  return record;
}

/** A period's exports, newest first. A build that died is shown as failed. */
export async function listExports(
  deps: Pick<Deps, 'clock'> & { exports: ExportStore },
  planId: string,
  year: number,
): Promise<ExportRecord[]> {
  const now = deps.clock.now();
  return (await deps.exports.list(planId, year)).map((r) => presented(r, now)).reverse();
}

/** One export, or NotFoundError. */
export async function getExport(
  deps: Pick<Deps, 'clock'> & { exports: ExportStore },
  planId: string,
  year: number,
  exportId: string,
): Promise<ExportRecord> {
  const record = isExportId(exportId) ? await deps.exports.get(planId, year, exportId) : undefined;
  if (!record) {
    throw new NotFoundError(
      `No export ${exportId} for ${planId}/${year}`,
      `Không tìm thấy bản tổng hợp "${exportId}" của kỳ báo cáo năm ${year}.`,
    );
  }
  return presented(record, deps.clock.now());
}

/** The `export-ready` e-mail, or undefined when no committee address is configured. */
export function exportReadyMail(
  deps: Pick<ExportDeps, 'committeeEmails' | 'appUrl'>,
  content: PackContent,
  record: ExportRecord,
): MailMessage | undefined {
  if (deps.committeeEmails.length === 0) return undefined;
  const { plan, period } = content;
  return {
    template: 'export-ready',
    key: `${plan.id}#${period.year}#committee#export-${record.exportId}`,
    planId: plan.id,
    year: period.year,
    unitId: 'committee',
    to: deps.committeeEmails,
    cc: [],
    data: {
      planNumber: plan.number,
      planTitle: plan.title,
      exportId: record.exportId,
      expected: content.expected,
      reported: content.reported,
      onTime: content.onTime,
      late: content.late,
      missing: content.missing,
      completeness: content.completeness,
      timeliness: content.timeliness,
      files: record.files ?? 0,
      size: record.size ?? 0,
      finishedAt: record.finishedAt ?? record.createdAt,
      timeZone: content.timeZone,
      // A link to the app's period page (sign-in, then a fresh presigned GET), never to S3.
      ...(deps.appUrl
        ? {
            pageUrl: `${deps.appUrl.replace(/\/+$/, '')}/admin/plans/${encodeURIComponent(plan.id)}/${period.year}`,
          }
        : {}),
    },
  };
}

function newRecord(
  planId: string,
  year: number,
  exportId: string,
  requestedBy: string,
  createdAt: string,
): ExportRecord {
  return {
    planId,
    year,
    exportId,
    state: 'building',
    requestedBy,
    createdAt,
    finishedAt: null,
    key: exportKey(planId, year, exportId),
    size: null,
    units: null,
    files: null,
    error: null,
  };
}

function resultOf(record: ExportRecord): Omit<ExportResult, 'built'> {
  return {
    exportId: record.exportId,
    key: record.key,
    record,
    bytes: record.size ?? 0,
    units: record.units ?? 0,
    files: record.files ?? 0,
  };
}

function presented(record: ExportRecord, now: Date): ExportRecord {
  if (record.state === 'building' && now.getTime() - Date.parse(record.createdAt) > STALE_BUILD_MS) {
    return { ...record, state: 'failed', error: record.error ?? 'interrupted: the build did not finish' };
  }
  return record;
}

function describe(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.slice(0, 1000);
}
