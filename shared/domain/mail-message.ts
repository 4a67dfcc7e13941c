import * as z from 'zod/mini';
import { MEMBER_ROLES } from './member-role.ts';

/**
 * One e-mail to send, as it travels on the mail queue. Messages are self-contained (everything
 * the template needs), so the mailer reads nothing but its delivery record.
 *
 * `key` identifies the e-mail for exactly-once delivery: the mailer sends a given key once
 * (`<planId>#<year>#<unitId>#<step>`, e.g. `30-kh-duk-2022#2026#cb-a#receipt-3`).
 */
const recipient = {
  key: z.string().check(z.minLength(3), z.maxLength(300)),
  planId: z.string().check(z.minLength(1)),
  year: z.int(),
  /** The unit concerned, or "committee" for committee mail. */
  unitId: z.string().check(z.minLength(1)),
  to: z.array(z.email()).check(z.minLength(1)),
  cc: z._default(z.array(z.email()), []),
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
      version: z.int().check(z.positive()),
      files: z.array(z.object({ fileName: z.string(), size: z.int(), sha256: z.string() })),
      rejected: z._default(z.array(z.object({ fileName: z.string(), reason: z.string() })), []),
      /** Server time of the last accepted file, ISO-8601. */
      receivedAt: z.string(),
      onTime: z.boolean(),
      /** `YYYY-MM-DD` */
      deadline: z.string(),
      timeZone: z.string(),
      statusUrl: z.optional(z.url()),
    }),
  }),
  z.object({
    template: z.literal('rejected'),
    ...recipient,
    data: z.object({
      ...planHeader,
      fileName: z.string(),
      reason: z.string(),
      uploadUrl: z.optional(z.url()),
    }),
  }),
  z.object({
    template: z.literal('link'),
    ...recipient,
    data: z.object({
      ...planHeader,
      /** Why the link is sent: the period opened, the committee re-sent it, or a new link after revocation. */
      occasion: z.enum(['opened', 'resent', 'revoked']),
      uploadUrl: z.url(),
      deadline: z.string(),
      closeDate: z.string(),
      taskGroups: z.array(z.object({ number: z.string(), title: z.string() })),
    }),
  }),
  z.object({
    /** To a unit: the committee granted (or withdrew) an extension; its own deadline is now `deadline`. */
    template: z.literal('extension-granted'),
    ...recipient,
    data: z.object({
      ...planHeader,
      /** The unit's deadline from now on `YYYY-MM-DD` (the extension, or the period's own). */
      deadline: z.string(),
      /** The unit's deadline before this change `YYYY-MM-DD`. */
      previousDeadline: z.string(),
      /** Whether `deadline` is an extension (false: the extension was withdrawn). */
      extended: z.boolean(),
      /** Late uploads are accepted through this date `YYYY-MM-DD`. */
      closeDate: z.string(),
      uploadUrl: z.url(),
    }),
  }),
  z.object({
    template: z.literal('sign-in'),
    ...recipient,
    data: z.object({
      ...planHeader,
      signInUrl: z.url(),
      validMinutes: z.int().check(z.positive()),
    }),
  }),
  z.object({
    /** To a new committee member: who invited them, their role, and the sign-in page (no secret). */
    template: z.literal('member-invite'),
    ...recipient,
    data: z.object({
      ...planHeader,
      role: z.enum(MEMBER_ROLES),
      /** The member who sent the invitation (absent when it came from the CLI). */
      invitedBy: z.optional(z.email()),
      signInUrl: z.url(),
    }),
  }),
  z.object({
    template: z.literal('reminder'),
    ...recipient,
    data: z.object({
      ...planHeader,
      /** Days from the unit's own deadline: negative before it ("còn N ngày"), positive after (overdue). */
      step: z.int().check(z.refine((n) => n !== 0, 'a reminder step is never 0')),
      /** The unit's own deadline `YYYY-MM-DD` (its extension when it has one). */
      deadline: z.string(),
      /** Whether `deadline` is an extension granted to the unit. */
      extended: z._default(z.boolean(), false),
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
      expected: z.int().check(z.nonnegative()),
      onTime: z.int().check(z.nonnegative()),
      late: z.int().check(z.nonnegative()),
      missing: z.int().check(z.nonnegative()),
      /** Units not (yet) reported, by id; `deadline` is their own (extended) one. */
      missingUnits: z.array(z.object({ unitId: z.string(), unitName: z.string(), deadline: z.string() })),
      lateUnits: z.array(z.object({ unitId: z.string(), unitName: z.string(), submittedAt: z.string() })),
      mailProblems: z.array(z.object({ unitId: z.string(), unitName: z.string(), problem: z.string() })),
      /** How many entries each list left out to keep the e-mail short (the dashboard has them all). */
      omitted: z.object({
        missingUnits: z.int().check(z.nonnegative()),
        lateUnits: z.int().check(z.nonnegative()),
        mailProblems: z.int().check(z.nonnegative()),
      }),
      dashboardUrl: z.optional(z.url()),
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
      expected: z.int().check(z.nonnegative()),
      reported: z.int().check(z.nonnegative()),
      onTime: z.int().check(z.nonnegative()),
      late: z.int().check(z.nonnegative()),
      missing: z.int().check(z.nonnegative()),
      /** reported ÷ expected and on time ÷ expected, 0..1 */
      completeness: z.number().check(z.gte(0), z.lte(1)),
      timeliness: z.number().check(z.gte(0), z.lte(1)),
      /** Unit files in the pack, and the ZIP's size in bytes. */
      files: z.int().check(z.nonnegative()),
      size: z.int().check(z.nonnegative()),
      /** ISO-8601 instant the pack was finished. */
      finishedAt: z.string(),
      timeZone: z.string(),
      /** The period's page in the app (downloads go through sign-in); never a presigned S3 URL. */
      pageUrl: z.optional(z.url()),
    }),
  }),
]);

export type MailMessage = z.infer<typeof mailMessageSchema>;
export type MailTemplate = MailMessage['template'];
