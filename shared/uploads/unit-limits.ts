import type { Assignment } from '#shared/domain/period.ts';
import {
  enforceLimits,
  hashed,
  type LimitCheck,
  TooManyRequestsError,
  type WindowLimit,
  windowStart,
} from '#shared/limits/fixed-window.ts';
import type { UploadDeps } from './deps.ts';
import { verifyLinkToken } from './link-token.ts';
import type { LinkCount } from './ports.ts';

/** The requests of a unit's link that are limited per link and per client. */
export type LimitedUnitRequest = 'presign' | 'status';

/**
 * How many presigns (`POST /u/{token}/uploads`) and status reads (`GET /u/{token}/status`) one
 * link and one client IP may make in 5 minutes (issue 18; docs/limits.md says why these). A unit
 * presigns once per submission (up to 10 files each) and its page polls the status with backoff
 * (about 25 polls in 3 minutes); an office's units may share one IP address behind a NAT, so the
 * per-IP limits are several links' worth.
 */
export const UNIT_LIMITS: Record<LimitedUnitRequest, { perLink: WindowLimit; perIp: WindowLimit }> = {
  presign: {
    perLink: { limit: 20, windowSeconds: 300 },
    perIp: { limit: 100, windowSeconds: 300 },
  },
  status: {
    perLink: { limit: 120, windowSeconds: 300 },
    perIp: { limit: 600, windowSeconds: 300 },
  },
};

/** What a unit is told when it is refused as too many (429), by request. */
export const UNIT_LIMIT_MESSAGES: Record<LimitedUnitRequest, string> = {
  presign: 'Đơn vị đã gửi quá nhiều yêu cầu nộp tệp trong ít phút. Vui lòng đợi 5 phút rồi thử lại.',
  status: 'Trang đã hỏi tình trạng quá nhiều lần trong ít phút. Vui lòng đợi vài phút rồi tải lại trang.',
};

/**
 * Counts one request of a unit's link against its per-link, then its per-IP limit (the status
 * reads; a presign is counted by requestUpload, its link's count in the grant's own write: see
 * {@link presignLinkCount}). Only a
 * genuine link is counted (its MAC is checked first, which costs no read): a forged or malformed
 * token writes nothing and is refused by the use case as before; the gateway's route throttle
 * bounds those. The per-link bucket is the unit's in its period (every link version alike), the
 * per-IP one a hash of the address (no personal data kept), both expiring with their window.
 * @throws TooManyRequestsError (429) with a Vietnamese message when a limit is reached.
 */
export async function limitUnitRequest(
  deps: Pick<UploadDeps, 'limits' | 'keys' | 'clock'>,
  token: string,
  clientIp: string,
  request: LimitedUnitRequest,
): Promise<void> {
  const now = deps.clock.now();
  let unit: string;
  try {
    const claims = verifyLinkToken(await deps.keys.linkKey(), token, now);
    unit = `${claims.planId}#${claims.year}#${claims.unitId}`;
  } catch {
    return;
  }
  const { perLink, perIp } = UNIT_LIMITS[request];
  const checks: LimitCheck[] = [
    { bucket: `${request}-link#${unit}`, ...perLink },
    { bucket: hashed(`${request}-ip`, clientIp), ...perIp },
  ];
  await enforceLimits(deps.limits, now, checks, UNIT_LIMIT_MESSAGES[request]);
}

/**
 * A presign's count against its link (issue 18), as the grant's own conditional UpdateItem on
 * the assignment applies it (shared/uploads/request-upload.ts): no request of its own, and a
 * refused grant writes nothing. `full` when the assignment as read has counted the limit in the
 * current window already: the presign is refused (429) before anything is written.
 */
export function presignLinkCount(
  assignment: Pick<Assignment, 'presignWindow' | 'presignCount'>,
  now: Date,
): { count: LinkCount; full: boolean } {
  const { limit, windowSeconds } = UNIT_LIMITS.presign.perLink;
  const current = windowStart(now, windowSeconds).toISOString();
  const stored = assignment.presignWindow;
  // A window stored by a function whose clock runs slightly ahead is this presign's window too.
  const window = stored !== undefined && stored > current ? stored : current;
  const fresh = stored === undefined || stored < window;
  return { count: { window, limit, fresh }, full: !fresh && (assignment.presignCount ?? 0) >= limit };
}

/** A presign counted against its client's address, and how to give it back. */
export interface AddressCount {
  allowed: boolean;
  /** Gives the count back (a presign refused by its link's limit uses none of its address's budget). */
  release: () => Promise<void>;
}

/**
 * Counts a presign against its client's address (one conditional UpdateItem, run while the link
 * is read). Nothing is counted without an address (a use case called from the CLI or a test).
 */
export async function countPresignAddress(
  deps: Pick<UploadDeps, 'limits'>,
  clientIp: string | undefined,
  now: Date,
): Promise<AddressCount> {
  if (!clientIp) return { allowed: true, release: async () => {} };
  const { limit, windowSeconds } = UNIT_LIMITS.presign.perIp;
  const bucket = hashed('presign-ip', clientIp);
  const start = windowStart(now, windowSeconds);
  const allowed = await deps.limits.hit(bucket, start, windowSeconds, limit);
  return { allowed, release: allowed ? () => deps.limits.release(bucket, start) : async () => {} };
}

/** The 429 of a presign refused by its link's (`link`) or its address's (`ip`) limit. */
export class TooManyPresignsError extends TooManyRequestsError {
  constructor(readonly limitedBy: 'link' | 'ip') {
    super(`rate limit reached: presign-${limitedBy}`, UNIT_LIMIT_MESSAGES.presign);
  }
}
