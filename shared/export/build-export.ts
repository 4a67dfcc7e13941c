/**
 * The consolidated results of one period: build the pack (see pack.ts), stream it to S3 or to a
 * local file, keep a record of each export, and tell the committee when it is ready.
 */
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { pipeline as pipelineCallback, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { MailMessage } from '#shared/domain/mail-message.ts';
import { ValidationError } from '#shared/errors.ts';
import { collectPackContent, type PackContent } from './content.ts';
import { packStream, ZipMeter } from './pack.ts';
import type { ExportDeps, ExportRecord, PackDeps } from './ports.ts';
import { exportKey, isExportId, newExportId, newRecord } from './records.ts';

export const ZIP_CONTENT_TYPE = 'application/zip';

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
    if (deps.childContent) content.children = await deps.childContent(content);
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
  await deps.audit.record({
    kind: 'export.built',
    actor: { type: 'system', id: 'exporter' },
    target: { planId: plan.id, year: period.year, ref: exportId },
    details: { units: result.units, files: result.files, bytes: result.bytes },
  });
  const mail = exportReadyMail(await deps.committeeRecipients(), deps, content, record);
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
  if (deps.childContent) content.children = await deps.childContent(content);
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

/** The `export-ready` e-mail to `to`, or undefined when there is no one to send it to. */
export function exportReadyMail(
  to: string[],
  deps: Pick<ExportDeps, 'appUrl'>,
  content: PackContent,
  record: ExportRecord,
): MailMessage | undefined {
  if (to.length === 0) return undefined;
  const { plan, period } = content;
  return {
    template: 'export-ready',
    key: `${plan.id}#${period.year}#committee#export-${record.exportId}`,
    planId: plan.id,
    year: period.year,
    unitId: 'committee',
    to,
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

function describe(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.slice(0, 1000);
}
