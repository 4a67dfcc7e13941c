import * as v from 'valibot';
import { isEmailAddress, isHttpUrl } from './formats.ts';
import { MEMBER_ROLES } from './member-role.ts';

const email = v.pipe(v.string(), v.check(isEmailAddress, 'not an e-mail address'));
const url = v.pipe(v.string(), v.check(isHttpUrl, 'not an http(s) URL'));
const int = v.pipe(v.number(), v.integer());
const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const ratio = v.pipe(v.number(), v.minValue(0), v.maxValue(1));
const text = v.string();

/**
 * One e-mail to send, as it travels on the mail queue. Messages are self-contained (everything
 * the template needs), so the mailer reads nothing but its delivery record.
 *
 * `key` identifies the e-mail for exactly-once delivery: the mailer sends a given key once
 * (`<planId>#<year>#<unitId>#<step>`, e.g. `30-kh-duk-2022#2026#cb-a#receipt-3`).
 */
const recipient = {
  key: v.pipe(v.string(), v.minLength(3), v.maxLength(300)),
  planId: v.pipe(v.string(), v.minLength(1)),
  year: int,
  /** The unit concerned, or "committee" for committee mail. */
  unitId: v.pipe(v.string(), v.minLength(1)),
  to: v.pipe(v.array(email), v.minLength(1)),
  cc: v.optional(v.array(email), []),
};

const planHeader = {
  planNumber: text,
  planTitle: text,
  unitName: text,
};

export const mailMessageSchema = v.variant('template', [
  v.object({
    template: v.literal('receipt'),
    ...recipient,
    data: v.object({
      ...planHeader,
      version: v.pipe(v.number(), v.integer(), v.minValue(1)),
      files: v.array(v.object({ fileName: text, size: int, sha256: text })),
      rejected: v.optional(v.array(v.object({ fileName: text, reason: text })), []),
      /** Server time of the last accepted file, ISO-8601. */
      receivedAt: text,
      onTime: v.boolean(),
      /** `YYYY-MM-DD` */
      deadline: text,
      timeZone: text,
      statusUrl: v.optional(url),
    }),
  }),
  v.object({
    template: v.literal('rejected'),
    ...recipient,
    data: v.object({
      ...planHeader,
      fileName: text,
      reason: text,
      uploadUrl: v.optional(url),
    }),
  }),
  v.object({
    /** A kept file in which the malware scan found a threat: to the unit, and to the committee (docs/malware-scanning.md). */
    template: v.literal('quarantined'),
    ...recipient,
    data: v.object({
      ...planHeader,
      fileName: text,
      /** The threat's name as the scanner reported it. */
      threat: text,
      audience: v.picklist(['unit', 'committee']),
      /** The committee's: the unit's page in the app. */
      pageUrl: v.optional(url),
    }),
  }),
  v.object({
    template: v.literal('link'),
    ...recipient,
    data: v.object({
      ...planHeader,
      /** Why the link is sent: the period opened, the committee re-sent it, or a new link after revocation. */
      occasion: v.picklist(['opened', 'resent', 'revoked']),
      uploadUrl: url,
      deadline: text,
      closeDate: text,
      taskGroups: v.array(v.object({ number: text, title: text })),
    }),
  }),
  v.object({
    /** To a unit: the committee granted (or withdrew) an extension; its own deadline is now `deadline`. */
    template: v.literal('extension-granted'),
    ...recipient,
    data: v.object({
      ...planHeader,
      /** The unit's deadline from now on `YYYY-MM-DD` (the extension, or the period's own). */
      deadline: text,
      /** The unit's deadline before this change `YYYY-MM-DD`. */
      previousDeadline: text,
      /** Whether `deadline` is an extension (false: the extension was withdrawn). */
      extended: v.boolean(),
      /** Late uploads are accepted through this date `YYYY-MM-DD`. */
      closeDate: text,
      uploadUrl: url,
    }),
  }),
  v.object({
    template: v.literal('sign-in'),
    ...recipient,
    data: v.object({
      ...planHeader,
      signInUrl: url,
      validMinutes: v.pipe(v.number(), v.integer(), v.minValue(1)),
      /**
       * The committees the address belongs to, filled in by the mailer when it decides to send
       * (docs/tenancy.md): one names it, several get a neutral wording (the chooser follows).
       * Absent: the committee of `unitName`.
       */
      committees: v.optional(v.pipe(v.array(text), v.maxLength(50))),
    }),
  }),
  v.object({
    /** To a new committee member: who invited them, their role, and the sign-in page (no secret). */
    template: v.literal('member-invite'),
    ...recipient,
    data: v.object({
      ...planHeader,
      role: v.picklist(MEMBER_ROLES),
      /** The member who sent the invitation (absent when it came from the CLI). */
      invitedBy: v.optional(email),
      signInUrl: url,
    }),
  }),
  v.object({
    template: v.literal('reminder'),
    ...recipient,
    data: v.object({
      ...planHeader,
      /** Days from the unit's own deadline: negative before it ("còn N ngày"), positive after (overdue). */
      step: v.pipe(
        v.number(),
        v.integer(),
        v.check((n) => n !== 0, 'a reminder step is never 0'),
      ),
      /** The unit's own deadline `YYYY-MM-DD` (its extension when it has one). */
      deadline: text,
      /** Whether `deadline` is an extension granted to the unit. */
      extended: v.optional(v.boolean(), false),
      /** Late uploads are accepted through this date `YYYY-MM-DD`. */
      closeDate: text,
      uploadUrl: url,
    }),
  }),
  v.object({
    template: v.literal('digest'),
    ...recipient,
    data: v.object({
      planNumber: text,
      planTitle: text,
      /** A weekly digest while the period is open, or the one of the day after the deadline. */
      occasion: v.picklist(['weekly', 'after_deadline']),
      /** The committee's local date of the digest `YYYY-MM-DD`. */
      date: text,
      deadline: text,
      closeDate: text,
      timeZone: text,
      expected: count,
      onTime: count,
      late: count,
      missing: count,
      /** Units not (yet) reported, by id; `deadline` is their own (extended) one. */
      missingUnits: v.array(v.object({ unitId: text, unitName: text, deadline: text })),
      lateUnits: v.array(v.object({ unitId: text, unitName: text, submittedAt: text })),
      mailProblems: v.array(v.object({ unitId: text, unitName: text, problem: text })),
      /** How many entries each list left out to keep the e-mail short (the dashboard has them all). */
      omitted: v.object({
        missingUnits: count,
        lateUnits: count,
        mailProblems: count,
      }),
      dashboardUrl: v.optional(url),
    }),
  }),
  v.object({
    /** To the committee: the consolidated results of a period are ready to download in the app. */
    template: v.literal('export-ready'),
    ...recipient,
    data: v.object({
      planNumber: text,
      planTitle: text,
      exportId: text,
      expected: count,
      reported: count,
      onTime: count,
      late: count,
      missing: count,
      /** reported ÷ expected and on time ÷ expected, 0..1 */
      completeness: ratio,
      timeliness: ratio,
      /** Unit files in the pack, and the ZIP's size in bytes. */
      files: count,
      size: count,
      /** ISO-8601 instant the pack was finished. */
      finishedAt: text,
      timeZone: text,
      /** The period's page in the app (downloads go through sign-in); never a presigned S3 URL. */
      pageUrl: v.optional(url),
    }),
  }),
]);

export type MailMessage = v.InferOutput<typeof mailMessageSchema>;

/**
 * A queue message's body (parsed JSON) as a {@link MailMessage}, with defaults filled in.
 * @throws ValiError when it is not one (the mailer reports the record as failed).
 */
export function parseMailMessage(value: unknown): MailMessage {
  return v.parse(mailMessageSchema, value);
}
export type MailTemplate = MailMessage['template'];
