/** The kinds of schema the sources use, with zod (the `levers` group compares it with zod/mini). */
import * as z from 'zod';

export const schema = z.object({
  name: z.string().min(3),
  email: z.email(),
  url: z.url().optional(),
  size: z.coerce.number().int().min(1),
  kind: z.enum(['a', 'b']),
  list: z.array(z.string()).default([]),
  message: z.discriminatedUnion('t', [z.object({ t: z.literal('a') }), z.object({ t: z.literal('b') })]),
});
