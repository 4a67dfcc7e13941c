/** The signatures queue's message, validated where it is read (a malformed one is dropped, not retried). */
import * as v from 'valibot';
import type { SignatureCheckRequest } from './ports.ts';

const schema = v.object({
  planId: v.pipe(v.string(), v.regex(/^[a-z0-9-]{1,100}$/)),
  year: v.pipe(v.number(), v.integer(), v.minValue(2000), v.maxValue(2200)),
  unitId: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/)),
  version: v.pipe(v.number(), v.integer(), v.minValue(1)),
  uploadId: v.pipe(v.string(), v.regex(/^[1-9]\d{0,8}-[A-Za-z0-9]{16,64}$/)),
  key: v.pipe(v.string(), v.regex(/^reports\//), v.maxLength(1024)),
  versionId: v.optional(v.pipe(v.string(), v.maxLength(1024))),
  size: v.pipe(v.number(), v.integer(), v.minValue(0)),
});

/** A check request from a queue message body; undefined when it is not one. */
export function parseCheckRequest(body: string): SignatureCheckRequest | undefined {
  try {
    const parsed = v.safeParse(schema, JSON.parse(body));
    return parsed.success ? parsed.output : undefined;
  } catch {
    return undefined;
  }
}
