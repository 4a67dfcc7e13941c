/**
 * What the unit side of uploads tells the audit log (docs/audit.md, "What is logged"): a link's
 * page opened, an upload granted, a repeat or late upload refused. The actor is the unit (its id,
 * never the link's token), the target its plan, period and unit; no file content is recorded.
 */
import type { AuditEvent, AuditLog } from '#shared/audit/ports.ts';
import { AlreadyReceivedError } from './already-received.ts';
import { ExpiredLinkError, PeriodClosedError } from './link-errors.ts';
import { type LinkClaims, verifyLinkToken } from './link-token.ts';

/** Where a unit's request came from: the request id and the client IP, recorded with the event. */
export interface RequestOrigin {
  requestId?: string | undefined;
  clientIp?: string | undefined;
}

type LinkRef = Pick<LinkClaims, 'planId' | 'year' | 'unitId'>;

/** An event of the unit holding a link: the unit acts, on its own report of that period. */
export function unitEvent(
  kind: AuditEvent['kind'],
  link: LinkRef,
  origin: RequestOrigin,
  extra: Pick<AuditEvent, 'outcome' | 'details'> & { ref?: string } = {},
): AuditEvent {
  const { planId, year, unitId } = link;
  return {
    kind,
    actor: { type: 'unit', id: unitId },
    target: { planId, year, unitId, ...(extra.ref ? { ref: extra.ref } : {}) },
    ...(extra.outcome ? { outcome: extra.outcome } : {}),
    ...(origin.requestId ? { requestId: origin.requestId } : {}),
    ...(origin.clientIp ? { clientIp: origin.clientIp } : {}),
    ...(extra.details ? { details: extra.details } : {}),
  };
}

/**
 * Records that a valid link's upload page was opened (`link.opened`), once per page load: the
 * page's status polls record nothing. An invalid, expired or revoked link never gets here.
 */
export async function recordLinkOpened(audit: AuditLog, link: LinkRef, origin: RequestOrigin): Promise<void> {
  await audit.record(unitEvent('link.opened', link, origin));
}

/**
 * Writes a grant and records it at once (the record does not wait for the write: no round trip
 * is added to the presign). Called only once every check has passed, so the record describes a
 * grant made; should the conditional write still lose a race (a revocation, another first file)
 * or fail, a second record with outcome `failed` says that this grant was not written.
 * @returns whether the grant was written.
 * @throws the write's error, else the log's (an action is never answered as done unrecorded).
 */
export async function writeRecorded(
  audit: AuditLog,
  write: Promise<boolean>,
  event: AuditEvent,
): Promise<boolean> {
  const [wrote, logged] = await Promise.allSettled([write, audit.record(event)]);
  const written = wrote.status === 'fulfilled' && wrote.value;
  if (!written && logged.status === 'fulfilled') {
    await audit.record({
      ...event,
      outcome: 'failed',
      details: { ...event.details, reason: wrote.status === 'rejected' ? 'error' : 'conflict' },
    });
  }
  if (wrote.status === 'rejected') throw wrote.reason;
  if (logged.status === 'rejected') throw logged.reason;
  return written;
}

/**
 * Records a refused replacement: a presign refused because the files repeat the version that
 * counts (409 ALREADY_RECEIVED) or because the unit's period has closed (after close). Any other
 * error records nothing. The unit is named by the token's claims when the token is genuine (its
 * MAC checked, its expiry not: a late upload is what is recorded); a forged token records nothing.
 */
export async function recordRefusedUpload(
  deps: { audit: AuditLog; keys: { linkKey(): Promise<Uint8Array> } },
  token: string,
  error: unknown,
  origin: RequestOrigin,
): Promise<void> {
  const reason = refusalOf(error);
  if (!reason) return;
  let claims: LinkClaims;
  try {
    // Epoch 0: the expiry is not checked here; the MAC and the claims' form are.
    claims = verifyLinkToken(await deps.keys.linkKey(), token, new Date(0));
  } catch {
    return;
  }
  await deps.audit.record(
    unitEvent('upload.replace-refused', claims, origin, { outcome: 'refused', details: reason }),
  );
}

/** Why a presign refusal is a refused replacement, or undefined when it is not one. */
export function refusalOf(error: unknown): Record<string, string | number> | undefined {
  if (error instanceof AlreadyReceivedError) return { reason: 'already-received', version: error.version };
  if (error instanceof PeriodClosedError) return { reason: 'period-closed' };
  if (error instanceof ExpiredLinkError) return { reason: 'link-expired' };
  return undefined;
}
