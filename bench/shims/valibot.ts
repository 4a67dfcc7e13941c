/** The same schema as zod-mini.ts with valibot, as the sources use it since 2026-12. */
import * as v from 'valibot';

export const schema = v.object({
  name: v.pipe(v.string(), v.minLength(3)),
  email: v.pipe(v.string(), v.email()),
  url: v.optional(v.pipe(v.string(), v.url())),
  size: v.pipe(v.string(), v.transform(Number), v.number(), v.integer(), v.minValue(1)),
  kind: v.picklist(['a', 'b']),
  list: v.optional(v.array(v.string()), []),
  message: v.variant('t', [v.object({ t: v.literal('a') }), v.object({ t: v.literal('b') })]),
});
