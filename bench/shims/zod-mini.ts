/** The same schema as zod-classic.ts with zod/mini's functional API. */
import * as z from 'zod/mini';

export const schema = z.object({
  name: z.string().check(z.minLength(3)),
  email: z.email(),
  url: z.optional(z.url()),
  size: z.coerce.number().check(z.int(), z.minimum(1)),
  kind: z.enum(['a', 'b']),
  list: z._default(z.array(z.string()), []),
  message: z.discriminatedUnion('t', [z.object({ t: z.literal('a') }), z.object({ t: z.literal('b') })]),
});
