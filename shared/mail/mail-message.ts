import * as z from 'zod';

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
  z.object({
    template: z.literal('sign-in'),
    ...recipient,
    data: z.object({
      ...planHeader,
      signInUrl: z.url(),
      validMinutes: z.number().int().positive(),
    }),
  }),
  z.object({
    template: z.literal('reminder'),
    ...recipient,
    data: z.object({
      ...planHeader,
      /** Days from the unit's own deadline: negative before it ("còn N ngày"), positive after (overdue). */
      step: z
        .number()
        .int()
        .refine((n) => n !== 0, 'a reminder step is never 0'),
      /** The unit's own deadline `YYYY-MM-DD` (its extension when it has one). */
      deadline: z.string(),
      /** Whether `deadline` is an extension granted to the unit. */
      extended: z.boolean().default(false),
      /** Late uploads are accepted through this date `YYYY-MM-DD`. */
      closeDate: z.string(),
      uploadUrl: z.url(),
    }),
  }),
  z.object({
    template: z.literal('digest'),
    ...recipient,
    data: z.object({
      planNumber: z.string(),
      planTitle: z.string(),
      /** A weekly digest while the period is open, or the one of the day after the deadline. */
      occasion: z.enum(['weekly', 'after_deadline']),
      /** The committee's local date of the digest `YYYY-MM-DD`. */
      date: z.string(),
      deadline: z.string(),
      closeDate: z.string(),
      timeZone: z.string(),
      expected: z.number().int().nonnegative(),
      onTime: z.number().int().nonnegative(),
      late: z.number().int().nonnegative(),
      missing: z.number().int().nonnegative(),
      /** Units not (yet) reported, by id; `deadline` is their own (extended) one. */
      missingUnits: z.array(z.object({ unitId: z.string(), unitName: z.string(), deadline: z.string() })),
      lateUnits: z.array(z.object({ unitId: z.string(), unitName: z.string(), submittedAt: z.string() })),
      mailProblems: z.array(z.object({ unitId: z.string(), unitName: z.string(), problem: z.string() })),
      /** How many entries each list left out to keep the e-mail short (the dashboard has them all). */
      omitted: z.object({
        missingUnits: z.number().int().nonnegative(),
        lateUnits: z.number().int().nonnegative(),
        mailProblems: z.number().int().nonnegative(),
      }),
      dashboardUrl: z.url().optional(),
    }),
  }),
  z.object({
    /** To the committee: the consolidated results of a period are ready to download in the app. */
    template: z.literal('export-ready'),
    ...recipient,
    data: z.object({
      planNumber: z.string(),
      planTitle: z.string(),
      exportId: z.string(),
      expected: z.number().int().nonnegative(),
      reported: z.number().int().nonnegative(),
      onTime: z.number().int().nonnegative(),
      late: z.number().int().nonnegative(),
      missing: z.number().int().nonnegative(),
      /** reported ÷ expected and on time ÷ expected, 0..1 */
      completeness: z.number().min(0).max(1),
      timeliness: z.number().min(0).max(1),
      /** Unit files in the pack, and the ZIP's size in bytes. */
      files: z.number().int().nonnegative(),
      size: z.number().int().nonnegative(),
      /** ISO-8601 instant the pack was finished. */
      finishedAt: z.string(),
      timeZone: z.string(),
      /** The period's page in the app (downloads go through sign-in); never a presigned S3 URL. */
      pageUrl: z.url().optional(),
    }),
  }),
]);

export type MailMessage = z.infer<typeof mailMessageSchema>;
export type MailTemplate = MailMessage['template'];
