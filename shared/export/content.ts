import type { Assignment, SubmittedFile } from '#shared/domain/period.ts';
import type { RecordedFile } from '#shared/domain/submission.ts';
import { type PeriodStatus, periodStatus, type StatusRow } from '#shared/periods/periods.ts';
import type { SubmissionStore } from '#shared/ports.ts';
import type { ExportFile, ExportUnit, PackContent } from './pack-content.ts';
import type { PackDeps } from './ports.ts';

export type { ChildPack, ExportFile, ExportUnit, PackContent, PackSummary } from './pack-content.ts';

/**
 * Reads the period (plan, period, assignments: one paged Query, through {@link periodStatus}) and
 * the latest version of every unit that reported (BatchGetItem, 100 a request). Throws
 * NotFoundError for an unknown plan or period before anything else is read.
 */
export async function collectPackContent(deps: PackDeps, planId: string, year: number): Promise<PackContent> {
  const { status, assignments } = await periodStatusWithAssignments(deps, planId, year);
  const byUnit = new Map(assignments.map((a) => [a.unitId, a]));
  // A unit withdrawn from the period is not expected, but what it sent before stays in the pack.
  const reportedWithdrawn = status.withdrawn.filter((r) => r.status !== 'missing');
  const latestOf = (row: StatusRow) => {
    const assignment = byUnit.get(row.unitId);
    return assignment && row.status !== 'missing' && assignment.latestVersion > 0 ? assignment : undefined;
  };
  const refs = [...status.rows, ...reportedWithdrawn].flatMap((row) => {
    const assignment = latestOf(row);
    return assignment ? [{ unitId: row.unitId, version: assignment.latestVersion }] : [];
  });
  const read = refs.length ? await deps.versions.getVersions(status.plan.id, status.period.year, refs) : [];
  const versions = new Map(read.map((v) => [`${v.unitId}#${v.version}`, v]));
  const exportUnit = (row: StatusRow): ExportUnit => {
    const assignment = latestOf(row);
    if (!assignment) return { row, version: 0, files: [], notes: {} };
    const version = versions.get(`${row.unitId}#${assignment.latestVersion}`);
    // The assignment carries a copy of the latest version's files: if the version item cannot be
    // read (it always should), the files still go into the pack, without notes.
    const files = version
      ? Object.values(version.files).map(fromRecorded)
      : assignment.files.map(fromAssignment);
    files.sort(
      (a, b) =>
        (a.receivedAt ?? '').localeCompare(b.receivedAt ?? '') ||
        a.fileName.localeCompare(b.fileName) ||
        a.uploadId.localeCompare(b.uploadId),
    );
    const signatures = version?.signatures ?? assignment.signatures;
    // The version's results are the reference; the assignment's copy may lag behind them.
    const scans = version?.scans || assignment.scans ? { ...assignment.scans, ...version?.scans } : undefined;
    return {
      row,
      version: assignment.latestVersion,
      files,
      notes: cleanNotes(version?.notes),
      ...(signatures ? { signatures } : {}),
      ...(scans ? { scans } : {}),
    };
  };
  const units = status.rows.map(exportUnit);
  const withdrawnUnits = reportedWithdrawn.map(exportUnit);
  const late = status.rows.filter((r) => r.status === 'late').length;
  return {
    plan: status.plan,
    period: status.period,
    committeeName: deps.settings.committeeName,
    committeePlace: deps.settings.committeePlace,
    superiorCommittee: deps.settings.superiorCommittee,
    timeZone: status.period.timeZone || deps.settings.timeZone,
    generatedAt: deps.clock.now(),
    expected: status.expected,
    reported: status.reported,
    onTime: status.onTime,
    late,
    missing: status.expected - status.reported,
    completeness: status.completeness,
    timeliness: status.timeliness,
    units,
    withdrawnUnits,
  };
}

/**
 * {@link periodStatus} (the one definition of statuses and rates), keeping the assignments it
 * read: the export needs their latest version numbers, and one Query of the period is enough.
 */
async function periodStatusWithAssignments(
  deps: PackDeps,
  planId: string,
  year: number,
): Promise<{ status: PeriodStatus; assignments: Assignment[] }> {
  let assignments: Assignment[] = [];
  const listAssignments: SubmissionStore['listAssignments'] = async (p, y) => {
    assignments = await deps.submissions.listAssignments(p, y);
    return assignments;
  };
  const submissions = new Proxy(deps.submissions, {
    get: (target, property, receiver) =>
      property === 'listAssignments' ? listAssignments : Reflect.get(target, property, receiver),
  });
  const status = await periodStatus({ ...deps, submissions }, planId, year);
  return { status, assignments };
}

function fromRecorded(f: RecordedFile): ExportFile {
  return {
    uploadId: f.uploadId,
    fileName: f.fileName,
    key: f.key,
    size: f.size,
    contentType: f.contentType,
    sha256: f.sha256,
    ...(f.versionId ? { versionId: f.versionId } : {}),
    receivedAt: f.receivedAt ?? null,
  };
}

function fromAssignment(f: SubmittedFile): ExportFile {
  return { ...f, receivedAt: null };
}

/** Notes with text only (a group left blank is no note). */
function cleanNotes(notes: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [group, text] of Object.entries(notes ?? {})) {
    if (typeof text === 'string' && text.trim()) out[group] = text;
  }
  return out;
}
