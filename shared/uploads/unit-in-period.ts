import { localDate } from '#shared/domain/calendar.ts';
import {
  isWithdrawn,
  type MailProblem,
  type Period,
  type ReportStatus,
  type Withdrawal,
} from '#shared/domain/period.ts';
import { type FileScanView, fileScanView } from '#shared/domain/scan-result.ts';
import { type FileSignatureView, fileSignatureView } from '#shared/domain/signature-result.ts';
import type { SubmissionVersion } from '#shared/domain/submission.ts';
import { rejectedFiles, submittedFiles } from '#shared/domain/versions.ts';
import { NotFoundError } from '#shared/errors.ts';
import { getPlan } from '#shared/plans/stored-plans.ts';
import type { UploadDeps } from './deps.ts';
import { unitCloseDate } from './link-token.ts';

/**
 * Versions the committee's page of a unit lists, newest first. A unit may start up to the daily
 * bound of submissions every day; the page shows the recent ones and says how many were begun.
 */
export const UNIT_PAGE_VERSIONS = 10;

/** One submission version as the committee sees it on the unit's page. */
export interface UnitVersionView {
  version: number;
  createdAt: string;
  /** When its last accepted file arrived, or null (nothing accepted yet, or never). */
  submittedAt: string | null;
  onTime: boolean | null;
  expectedFiles: number;
  files: { fileName: string; size: number }[];
  rejected: { fileName: string; reason: string }[];
  /** Whether this is the version that counts (the latest with an accepted file). */
  counted: boolean;
}

/** `GET /api/plans/{planId}/periods/{year}/units/{unitId}`: one unit in one period. */
export interface UnitInPeriodView {
  plan: { id: string; number: string; title: string };
  period: Period;
  unit: { unitId: string; unitName: string; email: string; cc: string[] };
  status: ReportStatus;
  /** The unit's own deadline `YYYY-MM-DD`: its extension, or the period's. */
  deadline: string;
  extendedDeadline: string | null;
  /** The last day the unit's link takes reports. */
  closeDate: string;
  submittedAt: string | null;
  /** The version that counts, 0 when none. */
  latestVersion: number;
  /** Submissions begun in the period (older ones than {@link UNIT_PAGE_VERSIONS} are not listed). */
  versionsBegun: number;
  /** The accepted files of the version that counts (downloadable by `uploadId`). */
  files: {
    uploadId: string;
    fileName: string;
    size: number;
    contentType: string;
    sha256: string;
    /** Its digital signature as checked (docs/signatures.md). */
    signature?: FileSignatureView | undefined;
    /** Its malware scan (docs/malware-scanning.md): Đang kiểm tra until cleared. */
    scan?: FileScanView | undefined;
  }[];
  /**
   * The notes of the version that counts, one per task group of the plan (empty text when the
   * unit wrote none), then any note for a group the plan no longer has (`title` null).
   */
  notes: { number: string; title: string | null; text: string }[];
  /** The newest {@link UNIT_PAGE_VERSIONS} versions, newest first. */
  versions: UnitVersionView[];
  mailProblem: MailProblem | null;
  /** Set when the unit no longer reports in the period (today or from a later date). */
  withdrawn: Withdrawal | null;
  /** Whether the withdrawal applies today. */
  withdrawnNow: boolean;
}

/** Reads one submission version by number (the export's reader). */
export interface VersionLookup {
  getVersion(
    planId: string,
    year: number,
    unitId: string,
    version: number,
  ): Promise<SubmissionVersion | undefined>;
}

/**
 * One unit in one period for the committee: its status and deadline, the notes per task group and
 * the files of the version that counts, and its recent versions. Reads the plan, the period, the
 * assignment and one Query of the newest versions at once; the version that counts is read by key
 * only when it is older than those.
 * @throws NotFoundError for an unknown plan, period, or a unit with no assignment in the period.
 */
export async function unitInPeriod(
  deps: UploadDeps & { versions: VersionLookup },
  planId: string,
  year: number,
  unitId: string,
): Promise<UnitInPeriodView> {
  const [plan, period, assignment, recent] = await Promise.all([
    getPlan(deps, planId),
    deps.plans.getPeriod(planId, year),
    deps.submissions.getAssignment(planId, year, unitId),
    deps.uploads.recentVersions(planId, year, unitId, UNIT_PAGE_VERSIONS),
  ]);
  if (!period) {
    throw new NotFoundError(
      `No period ${year} for plan ${planId}`,
      `Kế hoạch "${planId}" chưa có kỳ báo cáo năm ${year}.`,
    );
  }
  if (!assignment) {
    throw new NotFoundError(
      `Unit ${unitId} is not assigned in period ${year} of ${planId}`,
      `Đơn vị "${unitId}" không thuộc kỳ báo cáo năm ${year} của kế hoạch "${planId}".`,
    );
  }
  const latest = assignment.latestVersion;
  const counted =
    latest > 0
      ? (recent.find((v) => v.version === latest) ??
        (await deps.versions.getVersion(planId, year, unitId, latest)))
      : undefined;
  const groups = new Set(plan.taskGroups.map((t) => t.number));
  const written = counted?.notes ?? {};
  const notes = [
    ...plan.taskGroups.map((t) => ({ number: t.number, title: t.title, text: written[t.number] ?? '' })),
    ...Object.entries(written)
      .filter(([number, text]) => !groups.has(number) && text)
      .sort(([a], [b]) => a.localeCompare(b, 'vi', { numeric: true }))
      .map(([number, text]) => ({ number, title: null, text })),
  ];
  const today = localDate(deps.clock.now(), period.timeZone);
  return {
    plan: { id: plan.id, number: plan.number, title: plan.title },
    period,
    unit: {
      unitId: assignment.unitId,
      unitName: assignment.unitName,
      email: assignment.email,
      cc: assignment.cc,
    },
    status: assignment.status,
    deadline: assignment.extendedDeadline ?? period.deadline,
    extendedDeadline: assignment.extendedDeadline,
    closeDate: unitCloseDate(period, assignment),
    submittedAt: assignment.submittedAt,
    latestVersion: latest,
    versionsBegun: assignment.versionCounter,
    files: assignment.files.map((f) => ({
      uploadId: f.uploadId,
      fileName: f.fileName,
      size: f.size,
      contentType: f.contentType,
      sha256: f.sha256,
      signature: fileSignatureView(f, assignment.signatures?.[f.uploadId]),
      scan: fileScanView(assignment.scans?.[f.uploadId] ?? counted?.scans?.[f.uploadId]),
    })),
    notes,
    versions: [...recent]
      .sort((a, b) => b.version - a.version)
      .map((v) => ({
        version: v.version,
        createdAt: v.createdAt,
        submittedAt: v.submittedAt,
        onTime: v.onTime,
        expectedFiles: v.expectedFiles,
        files: submittedFiles(v).map((f) => ({ fileName: f.fileName, size: f.size })),
        rejected: rejectedFiles(v).map((r) => ({ fileName: r.fileName, reason: r.reason })),
        counted: v.version === latest,
      })),
    mailProblem: assignment.mailProblem ?? null,
    withdrawn: assignment.withdrawn ?? null,
    withdrawnNow: isWithdrawn(assignment, today),
  };
}
