/**
 * What an export's pack shows, read once at its start (content.ts reads it): the types alone, so
 * that the feature's ports and its use cases can both name them without importing each other.
 */
import type { Period, SubmittedFile } from '#shared/domain/period.ts';
import type { Plan } from '#shared/domain/plan.ts';
import type { FileScanResult } from '#shared/domain/scan-result.ts';
import type { FileSignatureResult } from '#shared/domain/signature-result.ts';
import type { StatusRow } from '#shared/periods/periods.ts';

/**
 * One file of a unit's latest version, as it goes into the pack: the file as submitted (where
 * the store is versioned, the export reads exactly its `versionId`) and when it arrived.
 */
export interface ExportFile extends SubmittedFile {
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

/** A child committee's period in its parent's pack: its units' rows (summary.csv). */
export interface ChildPack {
  committeeId: string;
  units: ExportUnit[];
}

/** Everything the pack shows, read once at the start of an export. */
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
