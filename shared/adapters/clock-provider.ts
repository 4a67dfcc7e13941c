import { type Clock, systemClock } from '#shared/ports.ts';

let override: Clock | undefined;

/**
 * Tests and the local stack may pin the clock of every handler in the process (deadlines,
 * sign-in expiry); on AWS nothing is set and the system clock is used.
 */
export function setClock(clock: Clock | undefined): void {
  override = clock;
}

/** The clock for this process's handlers. */
export const currentClock: Clock = { now: () => (override ?? systemClock).now() };
