/**
 * Export records (item `EXPORT#<exportId>` in the period partition) and their ids, apart from the
 * pack builders: the admin function and the planner register and list exports without carrying
 * the ZIP, XLSX and DOCX writers in their bundles.
 */
import { randomBytes } from 'node:crypto';
import type { Deps } from '#shared/deps.ts';
import { NotFoundError } from '#shared/errors.ts';
import { periodStatus } from '#shared/periods/periods.ts';
import type { ExportRecord, ExportStore } from './ports.ts';

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

/** A new record in state `building`. */
export function newRecord(
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

/** A record as shown: a build that died is failed. */
export function presented(record: ExportRecord, now: Date): ExportRecord {
  if (record.state === 'building' && now.getTime() - Date.parse(record.createdAt) > STALE_BUILD_MS) {
    return { ...record, state: 'failed', error: record.error ?? 'interrupted: the build did not finish' };
  }
  return record;
}
