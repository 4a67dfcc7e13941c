import type { Assignment, Period, SubmittedFile } from '#shared/domain/period.ts';
import type { Plan } from '#shared/domain/plan.ts';
import type { FileScanResult } from '#shared/domain/scan-result.ts';
import type { FileSignatureResult } from '#shared/domain/signature-result.ts';
import type { RecordedFile } from '#shared/domain/submission.ts';
import { type PeriodStatus, periodStatus, type StatusRow } from '#shared/periods/periods.ts';
import type { SubmissionStore } from '#shared/ports.ts';
import type { PackDeps } from './ports.ts';

/** One file of a unit's latest version, as it goes into the pack. */
export interface ExportFile {
  uploadId: string;
  fileName: string;
  key: string;
  size: number;
  contentType: string;
  sha256: string;
  /** The S3 version of the kept object, where the store is versioned: the export reads exactly it. */
  versionId?: string | undefined;
  /** When S3 received it (ISO-8601 UTC), or null when only the assignment's copy was available. */
  receivedAt: string | null;
}

/** One expected unit: its status row, and the files and notes of its latest version. */
export interface ExportUnit {
  row: StatusRow;
  /** The latest version's number, 0 when the unit has not reported. */
  version: number;
  /** In the order they arrived. Empty for a unit that has not reported. */
  files: ExportFile[];
  /** Notes per task group number, as the unit wrote them. */
  notes: Record<string, string>;
  /** Signature results of its files by upload id (docs/signatures.md); a PDF without one is still being checked. */
  signatures?: Record<string, FileSignatureResult> | undefined;
  /**
   * Malware scan results of its files by upload id (docs/malware-scanning.md): a file that is not
   * cleared (pending, infected, failed, unsupported) stays out of `don-vi/` and is listed as such.
   */
  scans?: Record<string, FileScanResult> | undefined;
}

/** Everything the pack shows, read once at the start of an export. */
/** A child committee's period in its parent's pack: its units' rows (summary.csv). */
export interface ChildPack {
  committeeId: string;
  units: ExportUnit[];
}

export interface PackContent {
  plan: Plan;
  period: Period;
  committeeName: string;
  /** Place in the compiled report's date line, when configured. */
  committeePlace?: string | undefined;
  /** The superior committee (report header, "Nơi nhận"), when configured; else from the plan. */
  superiorCommittee?: string | undefined;
  /** The committee's zone (the period's): local times in the spreadsheet and the report. */
  timeZone: string;
  generatedAt: Date;
  expected: number;
  reported: number;
  onTime: number;
  late: number;
  missing: number;
  /** reported ÷ expected, 0..1 (DHIS2 reporting rate). */
  completeness: number;
  /** on time ÷ expected, 0..1 (DHIS2 reporting rate on time). */
  timeliness: number;
  /** Every expected unit, sorted by unit id: the rows of the summary and of the report. */
  units: ExportUnit[];
  /**
   * The child committees' own periods (docs/tenancy.md): each one's units, written as its
   * `cap-duoi/<committeeId>/summary.csv`; absent for a committee with none.
   */
  children?: ChildPack[] | undefined;
  /**
   * The units withdrawn from the period (docs/units.md) that had reported before, sorted by unit
   * id: not expected, so in none of the numbers above nor in the summary's rows, but what they
   * sent stays in the pack (their folder in `don-vi/`).
   */
  withdrawnUnits?: ExportUnit[] | undefined;
}

/** The plan, the period and its rates: the header of the spreadsheet and of the compiled report. */
export type PackSummary = Pick<
  PackContent,
  | 'plan'
  | 'period'
  | 'committeeName'
  | 'committeePlace'
  | 'superiorCommittee'
  | 'timeZone'
  | 'generatedAt'
  | 'expected'
  | 'reported'
  | 'onTime'
  | 'late'
  | 'missing'
  | 'completeness'
  | 'timeliness'
>;

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
