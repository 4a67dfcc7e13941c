import { enforceLimits, hashed, type LimitCheck, type WindowLimit } from '#shared/limits/fixed-window.ts';
import type { UploadDeps } from './deps.ts';
import { verifyLinkToken } from './link-token.ts';

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
 * Counts one request of a unit's link against its per-link, then its per-IP limit. Only a
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
