import { daysBetween, localDate } from '#shared/domain/calendar.ts';
import type { ReportStatus } from '#shared/domain/period.ts';
import { type FileScanView, fileScanView } from '#shared/domain/scan-result.ts';
import { type FileSignatureView, fileSignatureView } from '#shared/domain/signature-result.ts';
import type { SubmissionVersion } from '#shared/domain/submission.ts';
import { ALLOWED_FILE_TYPES, MAX_FILES_PER_SUBMISSION } from '#shared/domain/submission.ts';
import type { UploadDeps } from './deps.ts';
import { type ResolvedLink, resolveLink } from './links.ts';

/** One submission version as the unit sees it (its receipt). */
export interface VersionView {
  version: number;
  createdAt: string;
  /** How many files the unit said it would upload. */
  expectedFiles: number;
  files: {
    fileName: string;
    size: number;
    contentType: string;
    sha256: string;
    receivedAt: string;
    /** Its digital signature as checked (docs/signatures.md); for a PDF, "being checked" until then. */
    signature?: FileSignatureView | undefined;
    /** Its malware scan (docs/malware-scanning.md): Đang kiểm tra until cleared. */
    scan?: FileScanView | undefined;
  }[];
  rejected: { fileName: string; reason: string; rejectedAt: string }[];
  /**
   * Notes per task group: given for the version that counts and the newest one only (the page
   * shows those); `{}` on the others, which keeps the answer small.
   */
  notes: Record<string, string>;
  /** When the last accepted file arrived (server time), or null. */
  submittedAt: string | null;
  onTime: boolean | null;
}

/** `GET /u/{token}/status`: what the upload page shows. Only this unit's data; no keys, no ids. */
export interface UnitStatusView {
  plan: { id: string; number: string; title: string; taskGroups: { number: string; title: string }[] };
  unit: { id: string; name: string };
  period: {
    year: number;
    /** The unit's deadline `YYYY-MM-DD` (extended, or the period's). */
    deadline: string;
    closeDate: string;
    timeZone: string;
    open: boolean;
    /** ISO-8601: uploads are refused from this instant. */
    closesAt: string;
    /** Days until the deadline (0 on the day itself), when not late. */
    daysLeft?: number;
    /** Days since the deadline, when late. */
    daysLate?: number;
  };
  limits: { maxBytes: number; maxFiles: number; fileTypes: Record<string, string> };
  status: ReportStatus;
  submittedAt: string | null;
  /** The number of the version that counts (latest with an accepted file), 0 when none. */
  latestVersion: number;
  /** The newest {@link STATUS_VERSIONS} versions, newest first. */
  versions: VersionView[];
  /** How many submissions the unit has begun in this period (older ones are not listed). */
  versionsBegun: number;
  /** Server time of this answer, ISO-8601. */
  serverTime: string;
}

/**
 * Versions listed in the status: a unit may submit many times (up to the daily bound every day),
 * and the page needs only the recent ones; the answer stays far below Lambda's 6 MB (≤ 256 KB
 * at every limit: 10 versions × 10 files, the notes of two versions).
 */
export const STATUS_VERSIONS = 10;

/**
 * The unit's period, deadline and its recent submissions with their receipts. `whileReading`
 * (the page's `link.opened` record) runs once the link is valid, beside the read of the versions.
 */
export async function unitStatus(
  deps: UploadDeps,
  token: string,
  whileReading?: (link: ResolvedLink) => Promise<void>,
): Promise<UnitStatusView> {
  const link = await resolveLink(deps, token);
  const { planId, year, unitId } = link.claims;
  const [versions] = await Promise.all([
    deps.uploads.recentVersions(planId, year, unitId, STATUS_VERSIONS),
    whileReading?.(link),
  ]);
  return statusView(deps, link, versions);
}

function statusView(deps: UploadDeps, link: ResolvedLink, versions: SubmissionVersion[]): UnitStatusView {
  const { plan, period, assignment, deadline } = link;
  const now = deps.clock.now();
  const daysToDeadline = daysBetween(localDate(now, period.timeZone), deadline);
  return {
    plan: {
      id: plan.id,
      number: plan.number,
      title: plan.title,
      taskGroups: plan.taskGroups.map((t) => ({ number: t.number, title: t.title })),
    },
    unit: { id: assignment.unitId, name: assignment.unitName },
    period: {
      year: period.year,
      deadline,
      closeDate: period.closeDate,
      timeZone: period.timeZone,
      open: true,
      closesAt: link.closesAt.toISOString(),
      ...(daysToDeadline >= 0 ? { daysLeft: daysToDeadline } : { daysLate: -daysToDeadline }),
    },
    limits: {
      maxBytes: deps.uploadSettings.maxUploadBytes,
      maxFiles: MAX_FILES_PER_SUBMISSION,
      fileTypes: { ...ALLOWED_FILE_TYPES },
    },
    status: assignment.status,
    submittedAt: assignment.submittedAt,
    latestVersion: assignment.latestVersion,
    versionsBegun: assignment.versionCounter,
    versions: [...versions]
      .sort((a, b) => b.version - a.version)
      .map((v, i) => ({
        version: v.version,
        createdAt: v.createdAt,
        expectedFiles: v.expectedFiles,
        files: Object.values(v.files ?? {})
          .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt) || a.fileName.localeCompare(b.fileName))
          .map((f) => ({
            fileName: f.fileName,
            size: f.size,
            contentType: f.contentType,
            sha256: f.sha256,
            receivedAt: f.receivedAt,
            signature: fileSignatureView(f, v.signatures?.[f.uploadId]),
            scan: fileScanView(v.scans?.[f.uploadId]),
          })),
        rejected: Object.values(v.rejected ?? {})
          .sort((a, b) => a.rejectedAt.localeCompare(b.rejectedAt))
          .map((r) => ({ fileName: r.fileName, reason: r.reason, rejectedAt: r.rejectedAt })),
        notes: i === 0 || v.version === assignment.latestVersion ? (v.notes ?? {}) : {},
        submittedAt: v.submittedAt,
        onTime: v.onTime,
      })),
    serverTime: now.toISOString(),
  };
}
