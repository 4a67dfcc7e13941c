import { daysBetween, localDate } from '#shared/domain/calendar.ts';
import type { ReportStatus } from '#shared/domain/period.ts';
import { ALLOWED_FILE_TYPES, MAX_FILES_PER_SUBMISSION } from '#shared/domain/submission.ts';
import type { UploadDeps } from './deps.ts';
import { type ResolvedLink, resolveLink } from './links.ts';
import type { StoredVersion } from './ports.ts';

/** One submission version as the unit sees it (its receipt). */
export interface VersionView {
  version: number;
  createdAt: string;
  /** How many files the unit said it would upload. */
  expectedFiles: number;
  files: { fileName: string; size: number; contentType: string; sha256: string; receivedAt: string }[];
  rejected: { fileName: string; reason: string; rejectedAt: string }[];
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
  /** Newest first. */
  versions: VersionView[];
  /** Server time of this answer, ISO-8601. */
  serverTime: string;
}

/** The unit's period, deadline and every submission with its receipt. */
export async function unitStatus(deps: UploadDeps, token: string): Promise<UnitStatusView> {
  const link = await resolveLink(deps, token);
  const { planId, year, unitId } = link.claims;
  const versions = await deps.uploads.listVersions(planId, year, unitId);
  return statusView(deps, link, versions);
}

function statusView(deps: UploadDeps, link: ResolvedLink, versions: StoredVersion[]): UnitStatusView {
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
    versions: versions
      .sort((a, b) => b.version - a.version)
      .map((v) => ({
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
          })),
        rejected: Object.values(v.rejected ?? {})
          .sort((a, b) => a.rejectedAt.localeCompare(b.rejectedAt))
          .map((r) => ({ fileName: r.fileName, reason: r.reason, rejectedAt: r.rejectedAt })),
        notes: v.notes ?? {},
        submittedAt: v.submittedAt,
        onTime: v.onTime,
      })),
    serverTime: now.toISOString(),
  };
}
