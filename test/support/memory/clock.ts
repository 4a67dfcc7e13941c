/**
 * FAKE FOR FAST USE-CASE TESTS: a clock the test sets by hand (the Clock port of shared/ports.ts),
 * so every deadline, reminder day and receipt time is deterministic.
 */
import type { Clock } from '#shared/ports.ts';

export class ManualClock implements Clock {
  private current: number;

  constructor(start: string | Date) {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(at: string | Date): void {
    const next = new Date(at).getTime();
    if (Number.isNaN(next)) throw new Error(`Invalid instant: ${String(at)}`);
    this.current = next;
  }

  advance(ms: number): void {
    this.current += ms;
  }
}
