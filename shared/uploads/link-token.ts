/**
 * Upload link tokens: what a unit's personal link `/u/<token>` carries.
 *
 * Format: `base64url(payload) "." base64url(mac)` where `payload` is the compact JSON
 * `{"p":planId,"y":year,"u":unitId,"v":linkVersion,"e":expiresAtEpochSeconds}` (exactly these
 * keys, in this order, no spaces; a committee other than the deployment's first adds `"c":id`
 * before them, docs/tenancy.md) and `mac = HMAC-SHA256(key, MAC_CONTEXT + base64url(payload))`
 * over the full 256 bits. Tokens are not stored: the server recomputes the MAC, so only the key
 * must stay secret. The claims are readable by whoever holds the link (nothing in them is
 * secret); they cannot be changed without the key.
 *
 * Parsing is strict so that every token has exactly one accepted spelling: one dot, canonical
 * base64url without padding, canonical JSON, no extra or missing claims, at most
 * {@link MAX_TOKEN_LENGTH} characters. The MAC is compared in constant time before the payload
 * is parsed. Revocation (the link version) is checked by the caller against the assignment.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { addDays, startOfLocalDay } from '#shared/domain/calendar.ts';
import { isCommitteeId } from '#shared/domain/ids.ts';
import type { Assignment, Period } from '#shared/domain/period.ts';
import { ExpiredLinkError, InvalidLinkError } from './link-errors.ts';

/** What a link grants: uploads for one unit in one period, until `expiresAt`. */
export interface LinkClaims {
  planId: string;
  year: number;
  unitId: string;
  /** Must equal the assignment's `linkVersion`; bumping it revokes this unit's older links. */
  linkVersion: number;
  /** End of the period's close date in the committee's zone; whole seconds. */
  expiresAt: Date;
  /**
   * The committee of the period (docs/tenancy.md), claim `c`, first; absent for the deployment's
   * first committee, so that links sent before committees existed stay valid and unchanged.
   */
  committeeId?: string | undefined;
}

/** Longest token accepted (real tokens are well under 400 characters). */
export const MAX_TOKEN_LENGTH = 512;

/** Shortest key accepted: 256 bits. */
export const MIN_KEY_BYTES = 32;

/** Domain separation: a MAC made for anything else with the same key never verifies here. */
const MAC_CONTEXT = 'baocao/upload-link/v1\n';
const MAC_BYTES = 32;
const CLAIM_KEYS = ['p', 'y', 'u', 'v', 'e'] as const;
const SCOPED_CLAIM_KEYS = ['c', ...CLAIM_KEYS] as const;
const PLAN_ID = /^[a-z0-9][a-z0-9-]{0,127}$/;
const UNIT_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;
/** 9999-12-31T23:59:59Z */
const MAX_EPOCH_SECONDS = 253_402_300_799;

/**
 * Signs `claims` into a token.
 * @throws Error when the key is shorter than 256 bits or a claim is out of range (a bug, not
 * user input).
 */
export function issueLinkToken(key: Uint8Array, claims: LinkClaims): string {
  checkKey(key);
  const compact = {
    ...(claims.committeeId !== undefined ? { c: claims.committeeId } : {}),
    p: claims.planId,
    y: claims.year,
    u: claims.unitId,
    v: claims.linkVersion,
    e: Math.floor(claims.expiresAt.getTime() / 1000),
  };
  if (!validClaims(compact)) throw new Error('Link claims out of range');
  const payload = Buffer.from(JSON.stringify(compact), 'utf8').toString('base64url');
  const token = `${payload}.${mac(key, payload).toString('base64url')}`;
  if (token.length > MAX_TOKEN_LENGTH) throw new Error('Link claims too long for a token');
  return token;
}

/**
 * Checks a token and returns its claims.
 * @throws InvalidLinkError when it is malformed, tampered with or signed with another key.
 * @throws ExpiredLinkError when it is genuine but `now` is at or after its expiry.
 */
export function verifyLinkToken(key: Uint8Array, token: string, now: Date): LinkClaims {
  checkKey(key);
  if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) {
    throw new InvalidLinkError('malformed link token (length)');
  }
  const parts = token.split('.');
  if (parts.length !== 2) throw new InvalidLinkError('malformed link token (parts)');
  const [payload, macText] = parts as [string, string];
  const payloadBytes = decodeCanonical(payload);
  const given = decodeCanonical(macText);
  if (!payloadBytes || !given || given.length !== MAC_BYTES) {
    throw new InvalidLinkError('malformed link token (encoding)');
  }
  // Length checked above, so timingSafeEqual cannot throw and leaks nothing but "not equal".
  if (!timingSafeEqual(given, mac(key, payload))) throw new InvalidLinkError('link token signature mismatch');
  const claims = parseClaims(payloadBytes);
  if (!claims) throw new InvalidLinkError('malformed link token (claims)');
  if (now.getTime() >= claims.expiresAt.getTime()) throw new ExpiredLinkError(claims.expiresAt);
  return claims;
}

function mac(key: Uint8Array, payload: string): Buffer {
  return createHmac('sha256', key).update(MAC_CONTEXT).update(payload).digest();
}

function checkKey(key: Uint8Array): void {
  if (!(key instanceof Uint8Array) || key.length < MIN_KEY_BYTES) {
    throw new Error(`Link key must be at least ${MIN_KEY_BYTES} bytes`);
  }
}

/** base64url without padding, and only the one spelling that re-encodes to itself. */
function decodeCanonical(text: string): Buffer | undefined {
  if (!BASE64URL.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}

interface CompactClaims {
  c?: string;
  p: string;
  y: number;
  u: string;
  v: number;
  e: number;
}

function parseClaims(bytes: Buffer): LinkClaims | undefined {
  const text = bytes.toString('utf8');
  if (!PRINTABLE_ASCII.test(text)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  const expected: readonly string[] = keys[0] === 'c' ? SCOPED_CLAIM_KEYS : CLAIM_KEYS;
  if (keys.length !== expected.length || keys.some((k, i) => k !== expected[i])) return undefined;
  const c = value as CompactClaims;
  // Canonical JSON only: no spaces, no escapes, no `1.0` or `1e3` for integers.
  if (!validClaims(c) || JSON.stringify(c) !== text) return undefined;
  const claims = { planId: c.p, year: c.y, unitId: c.u, linkVersion: c.v, expiresAt: new Date(c.e * 1000) };
  return c.c === undefined ? claims : { committeeId: c.c, ...claims };
}

function validClaims(c: CompactClaims): boolean {
  return (
    (c.c === undefined || isCommitteeId(c.c)) &&
    typeof c.p === 'string' &&
    PLAN_ID.test(c.p) &&
    Number.isInteger(c.y) &&
    c.y >= 2000 &&
    c.y <= 2100 &&
    typeof c.u === 'string' &&
    UNIT_ID.test(c.u) &&
    Number.isInteger(c.v) &&
    c.v >= 1 &&
    c.v <= 2 ** 31 &&
    Number.isInteger(c.e) &&
    c.e > 0 &&
    c.e <= MAX_EPOCH_SECONDS
  );
}

/**
 * When a period's links expire: the end of its close date in the committee's time zone (00:00
 * local of the next day), the instant late uploads stop being accepted.
 */
export function linkExpiresAt(closeDate: string, timeZone: string): Date {
  return startOfLocalDay(addDays(closeDate, 1), timeZone);
}

/**
 * The last day a unit may upload (`YYYY-MM-DD`): the period's close date, or the unit's
 * extended deadline when the committee granted one that runs past it.
 */
export function unitCloseDate(period: Period, assignment: Pick<Assignment, 'extendedDeadline'>): string {
  const extended = assignment.extendedDeadline;
  return extended && extended > period.closeDate ? extended : period.closeDate;
}

/**
 * The claims of a unit's current link: everyone who builds a link (`linkFor`, the planner's
 * e-mails) uses this, so they all hand out the very same token.
 */
export function unitLinkClaims(
  period: Period,
  assignment: Pick<Assignment, 'unitId' | 'linkVersion' | 'extendedDeadline'>,
): LinkClaims {
  return {
    planId: period.planId,
    year: period.year,
    unitId: assignment.unitId,
    linkVersion: assignment.linkVersion,
    expiresAt: linkExpiresAt(unitCloseDate(period, assignment), period.timeZone),
  };
}

/**
 * The committee a token names (claim `c`), read WITHOUT checking it: only to choose whose stores
 * will check it (docs/tenancy.md). The MAC covers the claim, so a changed committee fails that
 * check; a token that does not parse names no committee (the first committee's stores refuse it).
 */
export function linkTokenCommittee(token: string): string | undefined {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return undefined;
  const payload = decodeCanonical(token.split('.')[0] ?? '');
  if (!payload) return undefined;
  const m = /^\{"c":"([a-z0-9-]{2,40})",/.exec(payload.toString('latin1'));
  return m && isCommitteeId(m[1]) ? m[1] : undefined;
}
