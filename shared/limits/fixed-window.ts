import { createHash } from 'node:crypto';
import { DomainError } from '#shared/errors.ts';
import type { RateLimitStore } from './ports.ts';

/** A limit: at most `limit` requests per `windowSeconds` in one bucket. */
export interface WindowLimit {
  limit: number;
  windowSeconds: number;
}

/** One limit to apply now: its bucket (a kind of request and whose it is) and its size. */
export interface LimitCheck extends WindowLimit {
  bucket: string;
}

/** Answered 429 (functions/http/responses.ts maps `RATE_LIMITED`), with a Vietnamese message. */
export class TooManyRequestsError extends DomainError {
  readonly code = 'RATE_LIMITED';
}

/** The start of the fixed window of `windowSeconds` that holds `now`. */
export function windowStart(now: Date, windowSeconds: number): Date {
  const ms = windowSeconds * 1000;
  return new Date(Math.floor(now.getTime() / ms) * ms);
}

/** A bucket name that keeps no personal data (a client IP, an address): its SHA-256, shortened. */
export function hashed(kind: string, value: string): string {
  return `${kind}#${createHash('sha256').update(value).digest('hex').slice(0, 32)}`;
}

/**
 * Counts one request against each check, in order, and refuses at the first that is full: the
 * later ones are not counted (a refused request costs its client nothing more).
 * @throws TooManyRequestsError with `userMessage` when one is full.
 */
export async function enforceLimits(
  store: RateLimitStore,
  now: Date,
  checks: readonly LimitCheck[],
  userMessage: string,
): Promise<void> {
  for (const check of checks) {
    const allowed = await store.hit(
      check.bucket,
      windowStart(now, check.windowSeconds),
      check.windowSeconds,
      check.limit,
    );
    if (!allowed)
      throw new TooManyRequestsError(`rate limit reached: ${check.bucket.split('#')[0]}`, userMessage);
  }
}
