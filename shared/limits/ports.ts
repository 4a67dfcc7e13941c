/**
 * The port: fixed-window request counters that expire by themselves (DynamoDB items with a TTL on
 * AWS and locally; a map in the tests' fake).
 */
export interface RateLimitStore {
  /**
   * Counts one request in `bucket`'s window that starts at `windowStart` and lasts
   * `windowSeconds`. Answers false, counting nothing, when `limit` requests are counted there
   * already. The counter is kept until two windows later, then expires.
   */
  hit(bucket: string, windowStart: Date, windowSeconds: number, limit: number): Promise<boolean>;
  /**
   * Gives back one request counted by {@link hit} in `bucket`'s window that starts at
   * `windowStart`: the request was refused by another limit counted at the same time, and
   * must not use this budget. Never counts below zero; nothing happens where none is counted.
   */
  release(bucket: string, windowStart: Date): Promise<void>;
}
