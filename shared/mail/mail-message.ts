import { z } from 'zod';

/**
 * One e-mail to send, as it travels on the mail queue. Messages are self-contained (everything
 * the template needs), so the mailer reads nothing but its delivery record.
 *
 * `key` identifies the e-mail for exactly-once delivery: the mailer sends a given key once
 * (`<planId>#<year>#<unitId>#<step>`, e.g. `30-kh-duk-2022#2026#cb-a#receipt-3`).
 */
const recipient = {
  key: z.string().min(3).max(300),
  planId: z.string().min(1),
  year: z.number().int(),
  /** The unit concerned, or "committee" for committee mail. */
  unitId: z.string().min(1),
  to: z.array(z.email()).min(1),
  cc: z.array(z.email()).default([]),
};

const planHeader = {
  planNumber: z.string(),
  planTitle: z.string(),
  unitName: z.string(),
};

export const mailMessageSchema = z.discriminatedUnion('template', [
  z.object({
    template: z.literal('receipt'),
    ...recipient,
    data: z.object({
      ...planHeader,
      version: z.number().int().positive(),
      files: z.array(z.object({ fileName: z.string(), size: z.number().int(), sha256: z.string() })),
      rejected: z.array(z.object({ fileName: z.string(), reason: z.string() })).default([]),
      /** Server time of the last accepted file, ISO-8601. */
      receivedAt: z.string(),
      onTime: z.boolean(),
      /** `YYYY-MM-DD` */
      deadline: z.string(),
      timeZone: z.string(),
      statusUrl: z.url().optional(),
    }),
  }),
  z.object({
    template: z.literal('rejected'),
    ...recipient,
    data: z.object({
      ...planHeader,
      fileName: z.string(),
      reason: z.string(),
      uploadUrl: z.url().optional(),
    }),
  }),
  z.object({
    template: z.literal('link'),
    ...recipient,
    data: z.object({
      ...planHeader,
      /** Why the link is sent: the period opened, the committee re-sent it, or a new link after revocation. */
      occasion: z.enum(['opened', 'resent']),
      uploadUrl: z.url(),
      deadline: z.string(),
      closeDate: z.string(),
      taskGroups: z.array(z.object({ number: z.string(), title: z.string() })),
    }),
  }),
]);

export type MailMessage = z.infer<typeof mailMessageSchema>;
export type MailTemplate = MailMessage['template'];
