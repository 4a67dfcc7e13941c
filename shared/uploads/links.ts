import { ConfigError } from '#shared/config.ts';
import { formatDateVi, localDate } from '#shared/domain/calendar.ts';
import { type Assignment, isWithdrawn, type Period } from '#shared/domain/period.ts';
import { NotFoundError } from '#shared/errors.ts';
import {
  InvalidLinkError,
  PeriodClosedError,
  RevokedLinkError,
  WithdrawnLinkError,
} from '#shared/uploads/link-errors.ts';
import {
  issueLinkToken,
  type LinkClaims,
  linkExpiresAt,
  unitCloseDate,
  unitLinkClaims,
  verifyLinkToken,
} from '#shared/uploads/link-token.ts';
import type { UploadDeps } from './deps.ts';
import type { LinkPlan } from './ports.ts';

/** A checked link: who it is for and what it may do. */
export interface ResolvedLink {
  claims: LinkClaims;
  plan: LinkPlan;
  period: Period;
  assignment: Assignment;
  /** The unit's deadline `YYYY-MM-DD`: its extended deadline, or the period's. */
  deadline: string;
  /** When this unit's uploads stop: the end of its last day (see {@link unitCloseDate}), local time. */
  closesAt: Date;
}

/**
 * Checks a unit's link token against the key, the clock and the stored assignment.
 * @throws InvalidLinkError for anything malformed, tampered, or naming no assignment (all alike).
 * @throws ExpiredLinkError when the period the token was issued for has closed.
 * @throws RevokedLinkError when the unit has been sent a newer link.
 * @throws WithdrawnLinkError when the unit no longer reports in the period (docs/units.md).
 * @throws PeriodClosedError when the period no longer accepts reports.
 */
export async function resolveLink(deps: UploadDeps, token: string): Promise<ResolvedLink> {
  const now = deps.clock.now();
  return resolveClaims(deps, verifyLinkToken(await deps.keys.linkKey(), token, now), now);
}

/**
 * {@link resolveLink} for a token already verified (its claims): the same reads and checks, so
 * that a request that verified the token once (to count it, shared/uploads/unit-limits.ts) does
 * not verify it again. Throws what resolveLink throws but InvalidLinkError for the token itself.
 */
export async function resolveClaims(
  deps: UploadDeps,
  claims: LinkClaims,
  now: Date = deps.clock.now(),
): Promise<ResolvedLink> {
  const { planId, year, unitId } = claims;
  // One request (BatchGetItem): the token's MAC is checked first, so only a genuine link reaches
  // the tables, and the three reads depend on nothing but its claims.
  const { assignment, plan, period } = await deps.uploads.readLinkContext(planId, year, unitId);
  if (!assignment) throw new InvalidLinkError('no assignment for the link claims');
  if (claims.linkVersion < assignment.linkVersion) throw new RevokedLinkError();
  if (claims.linkVersion > assignment.linkVersion) throw new InvalidLinkError('link version from the future');
  if (!plan || !period) throw new InvalidLinkError('plan or period of the link not found');
  // Its history stays, but a withdrawn unit's link takes nothing more (docs/units.md).
  if (isWithdrawn(assignment, localDate(now, period.timeZone))) {
    throw new WithdrawnLinkError(period.year, formatDateVi(assignment.withdrawn!.from));
  }
  const closeDate = unitCloseDate(period, assignment);
  const closesAt = linkExpiresAt(closeDate, period.timeZone);
  // A period the planner has closed stays closed, except for a unit whose extension runs longer.
  const closedForUnit = period.status === 'closed' && closeDate === period.closeDate;
  if (closedForUnit || now.getTime() >= closesAt.getTime()) {
    throw new PeriodClosedError(period.year, formatDateVi(closeDate));
  }
  return {
    claims,
    plan,
    period,
    assignment,
    deadline: assignment.extendedDeadline ?? period.deadline,
    closesAt,
  };
}

/** A unit's upload link. */
export interface UploadLink {
  /** `<APP_URL>/u/<token>` */
  url: string;
  token: string;
  expiresAt: Date;
  /** The link version the token carries (a revocation's new version, e.g. for its e-mail's key). */
  linkVersion: number;
}

/**
 * The current upload link of a unit in a period (the same link every time until it is revoked
 * or the period changes). For `baocao link` and the "period opened" e-mail.
 * @throws NotFoundError when the unit has no assignment in that period.
 * @throws ConfigError when APP_URL is not set.
 */
export async function linkFor(
  deps: UploadDeps,
  planId: string,
  year: number,
  unitId: string,
): Promise<UploadLink> {
  const { assignment, period, appUrl } = await linkPrerequisites(deps, planId, year, unitId);
  return buildLink(deps, appUrl, period, assignment, assignment.linkVersion);
}

/**
 * Revokes a unit's link (bumps its link version: only this unit's older links stop working)
 * and returns the new one. Checks everything before it changes anything.
 * @throws NotFoundError when the unit has no assignment in that period.
 * @throws ConfigError when APP_URL is not set.
 */
export async function revokeLink(
  deps: UploadDeps,
  planId: string,
  year: number,
  unitId: string,
): Promise<UploadLink> {
  const { assignment, period, appUrl } = await linkPrerequisites(deps, planId, year, unitId);
  // Fetch the key first: a missing key must not leave a revoked link without a replacement.
  await deps.keys.linkKey();
  const linkVersion = await deps.uploads.bumpLinkVersion(planId, year, unitId);
  return buildLink(deps, appUrl, period, assignment, linkVersion);
}

async function linkPrerequisites(
  deps: UploadDeps,
  planId: string,
  year: number,
  unitId: string,
): Promise<{ assignment: Assignment; period: Period; appUrl: string }> {
  const appUrl = deps.uploadSettings.appUrl;
  if (!appUrl) throw new ConfigError(['APP_URL: required to build upload links']);
  const [assignment, period] = await Promise.all([
    deps.submissions.getAssignment(planId, year, unitId),
    deps.plans.getPeriod(planId, year),
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
  return { assignment, period, appUrl };
}

async function buildLink(
  deps: UploadDeps,
  appUrl: string,
  period: Period,
  assignment: Assignment,
  linkVersion: number,
): Promise<UploadLink> {
  const claims = {
    ...unitLinkClaims(period, { ...assignment, linkVersion }),
    committeeId: deps.settings.committeeId,
  };
  const token = issueLinkToken(await deps.keys.linkKey(), claims);
  return { url: `${appUrl.replace(/\/+$/, '')}/u/${token}`, token, expiresAt: claims.expiresAt, linkVersion };
}
