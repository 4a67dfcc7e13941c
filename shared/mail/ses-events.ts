import * as v from 'valibot';
import { isSesTagText, type UnitMailTags } from '#shared/domain/mail-tags.ts';
import type { DeliveryStore } from './ports.ts';

/**
 * SES's bounce, complaint, reject and delivery-delay events (event publishing through the
 * configuration set → SNS → the SES events queue), and what the app does with them: a problem
 * that means the unit did not get its e-mail is recorded on the unit, as the mailer records a
 * refusal SES makes at send time (`deliver-mail.ts`). Free of Lambda and SQS shapes: the handler
 * (functions/ses-events.ts) hands over the message body.
 *
 * Format: https://docs.aws.amazon.com/ses/latest/dg/event-publishing-retrieving-sns-contents.html
 * Only the fields used here are read; the others (headers, commonHeaders, …) are ignored.
 */

const recipient = v.object({
  emailAddress: v.string(),
  /** The receiving server's answer (`smtp; 550 5.1.1 user unknown`), when a DSN came back. */
  diagnosticCode: v.optional(v.string()),
});

const mail = v.object({
  messageId: v.optional(v.string()),
  /** When SES accepted the e-mail, ISO-8601. */
  timestamp: v.optional(v.string()),
  /** The e-mail's tags (ours and SES's own `ses:*`), each name with a list of values. */
  tags: v.optional(v.record(v.string(), v.array(v.string())), {}),
});

const optionalText = v.optional(v.string());

/** One SES event notification, as SES publishes it to SNS (the raw SQS body). */
export const sesEventSchema = v.variant('eventType', [
  v.object({
    eventType: v.literal('Bounce'),
    mail,
    bounce: v.object({
      bounceType: v.picklist(['Permanent', 'Transient', 'Undetermined']),
      bounceSubType: optionalText,
      bouncedRecipients: v.array(recipient),
      timestamp: optionalText,
    }),
  }),
  v.object({
    eventType: v.literal('Complaint'),
    mail,
    complaint: v.object({
      complainedRecipients: v.optional(v.array(recipient), []),
      timestamp: optionalText,
      /** As the reporting ISP labels it: `abuse`, `not-spam`, … */
      complaintFeedbackType: optionalText,
      /** `OnAccountSuppressionList` when SES did not send because of an earlier complaint. */
      complaintSubType: v.nullish(v.string()),
    }),
  }),
  v.object({
    eventType: v.literal('Reject'),
    mail,
    reject: v.object({ reason: v.string() }),
  }),
  v.object({
    eventType: v.literal('DeliveryDelay'),
    mail,
    deliveryDelay: v.optional(v.object({ delayType: optionalText, timestamp: optionalText })),
  }),
]);

export type SesEvent = v.InferOutput<typeof sesEventSchema>;

/**
 * A message on the SES events queue that is not an SES event this app expects: not JSON, not an
 * object of the shape above, or an event type the configuration set does not route here. The
 * handler reports it as a failed record, so it is retried and then kept in the events
 * dead-letter queue, whose alarm tells the operator. `problems` name fields, never values (they
 * hold e-mail addresses).
 */
export class UnreadableSesEventError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Unreadable SES event: ${problems.join('; ')}`);
    this.name = 'UnreadableSesEventError';
  }
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new UnreadableSesEventError([`${what} is not JSON`]);
  }
}

/**
 * The SES event in the body of a message of the SES events queue. The subscription delivers raw
 * messages, so the body is the event itself; a body still wrapped in SNS's envelope (raw
 * delivery turned off) is unwrapped.
 *
 * @throws UnreadableSesEventError for anything else.
 */
export function parseSesEvent(body: string): SesEvent {
  let value = parseJson(body, 'the message body');
  if (isSnsNotification(value)) value = parseJson(value.Message, "the SNS notification's Message");
  const result = v.safeParse(sesEventSchema, value);
  if (!result.success) {
    throw new UnreadableSesEventError(
      result.issues.map((issue) => `${v.getDotPath(issue) ?? '(root)'}: ${issue.type}`),
    );
  }
  return result.output;
}

function isSnsNotification(value: unknown): value is { Type: 'Notification'; Message: string } {
  const v = value as { Type?: unknown; Message?: unknown } | null;
  return typeof v === 'object' && v !== null && v.Type === 'Notification' && typeof v.Message === 'string';
}

/** The unit a tagged e-mail was about. */
export interface TaggedUnit {
  planId: string;
  year: number;
  unitId: string;
  /** The e-mail's template, when tagged. */
  kind?: string;
}

/**
 * The unit of an event's e-mail, from the tags the mailer set (`mail-tags.ts`), or undefined for
 * an e-mail without them: committee mail (digests, export notices, sign-in links), or mail sent
 * before tagging existed.
 */
export function taggedUnit(event: SesEvent): TaggedUnit | undefined {
  const tag = (name: keyof UnitMailTags): string | undefined => {
    const value = event.mail.tags[name]?.[0];
    return value !== undefined && isSesTagText(value) ? value : undefined;
  };
  const planId = tag('planId');
  const year = tag('year');
  const unitId = tag('unitId');
  const kind = tag('kind');
  if (!planId || !year || !unitId || !/^\d{4}$/.test(year) || unitId === 'committee') return undefined;
  return { planId, year: Number(year), unitId, ...(kind ? { kind } : {}) };
}

export interface SesEventDeps {
  deliveries: Pick<DeliveryStore, 'noteUnitProblem'>;
}

/** Why an event changed nothing. */
export type IgnoredReason =
  /** A transient or undetermined bounce: SES gave up for now, the address may work next time. */
  | 'not-permanent'
  /** SES is still trying; a delay that ends in failure arrives as a bounce. */
  | 'delivery-delay'
  /** A complaint report whose feedback type says the mail is not spam. */
  | 'not-spam'
  /** The e-mail carried no unit tags (committee mail, sign-in links). */
  | 'no-unit'
  /** The tagged unit has no assignment in that period, or a newer problem is already recorded. */
  | 'not-recorded';

export type SesEventOutcome =
  | { outcome: 'recorded'; unit: TaggedUnit; problem: string; at: string }
  | { outcome: 'ignored'; reason: IgnoredReason; unit?: TaggedUnit };

/** At most this many characters of a problem (as the mailer's `<SES error>: <message>`). */
const MAX_PROBLEM = 500;
/** At most this many characters of a receiving server's diagnostic in a problem. */
const MAX_DIAGNOSTIC = 200;

/** Bounce subtypes of a permanent bounce, for people. */
const PERMANENT_BOUNCES: Record<string, string> = {
  General: 'Thư bị trả lại (địa chỉ không nhận thư)',
  NoEmail: 'Thư bị trả lại (địa chỉ không tồn tại)',
  Suppressed: 'Thư không được gửi (SES chặn địa chỉ này vì thư gửi đến đã nhiều lần bị trả lại)',
  OnAccountSuppressionList: 'Thư không được gửi (địa chỉ nằm trong danh sách chặn của tài khoản SES)',
};

const cut = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

const addresses = (recipients: readonly { emailAddress: string }[]): string =>
  [...new Set(recipients.map((r) => r.emailAddress.trim()).filter(Boolean))].join(', ');

/** `title: a@b.vn, c@d.vn — diagnostic`, or just the title when no address is known. */
function phrase(title: string, recipients: readonly { emailAddress: string }[], diagnostic?: string): string {
  const who = addresses(recipients);
  const detail = diagnostic?.trim() ? ` — ${cut(diagnostic.trim(), MAX_DIAGNOSTIC)}` : '';
  return cut(`${title}${who ? `: ${who}` : ''}${detail}`, MAX_PROBLEM);
}

/**
 * The problem to show for an event, in Vietnamese (the dashboard prefixes "Lỗi gửi e-mail:"),
 * and when it happened; or why the event is no problem of the unit's.
 */
function problemOf(event: SesEvent): { problem: string; when?: string } | IgnoredReason {
  switch (event.eventType) {
    case 'Bounce': {
      const { bounce } = event;
      if (bounce.bounceType !== 'Permanent') return 'not-permanent';
      const subType = bounce.bounceSubType ?? 'General';
      const title = PERMANENT_BOUNCES[Object.hasOwn(PERMANENT_BOUNCES, subType) ? subType : 'General']!;
      const diagnostic = bounce.bouncedRecipients.find((r) => r.diagnosticCode?.trim())?.diagnosticCode;
      return { problem: phrase(title, bounce.bouncedRecipients, diagnostic), when: bounce.timestamp };
    }
    case 'Complaint': {
      const { complaint } = event;
      if (complaint.complaintFeedbackType === 'not-spam') return 'not-spam';
      const title =
        complaint.complaintSubType === 'OnAccountSuppressionList'
          ? PERMANENT_BOUNCES.OnAccountSuppressionList!
          : 'Người nhận đã đánh dấu thư là thư rác';
      return { problem: phrase(title, complaint.complainedRecipients), when: complaint.timestamp };
    }
    case 'Reject': {
      const reason = event.reject.reason.trim();
      const problem =
        reason === 'Bad content'
          ? 'SES từ chối gửi thư (phát hiện virus trong thư)'
          : cut(`SES từ chối gửi thư: ${reason}`, MAX_PROBLEM);
      return { problem, when: event.mail.timestamp };
    }
    case 'DeliveryDelay':
      return 'delivery-delay';
  }
}

/** The event's own instant, when it is a valid one not after `now`; otherwise `now`. */
function instant(when: string | undefined, now: Date): Date {
  const at = when ? new Date(when) : now;
  return Number.isNaN(at.getTime()) || at > now ? now : at;
}

/**
 * Records what an SES event says about a unit's e-mail:
 *
 * - a permanent bounce (the address does not exist, does not accept mail, or is on a
 *   suppression list), a complaint (the recipient marked it as spam) or a reject (SES found a
 *   virus) → the unit's `mailProblem`, shown by `baocao status`, the dashboard and the digest;
 * - transient and undetermined bounces, delivery delays, "not spam" reports, and e-mails without
 *   unit tags (committee mail, sign-in links) → nothing.
 *
 * The problem is stamped with the event's own time, so recording the same event twice writes the
 * same value, and an event that arrives late never replaces a newer problem.
 */
export async function recordSesEvent(
  deps: SesEventDeps,
  event: SesEvent,
  now: Date,
): Promise<SesEventOutcome> {
  const unit = taggedUnit(event);
  const found = problemOf(event);
  if (typeof found === 'string') return { outcome: 'ignored', reason: found, ...(unit ? { unit } : {}) };
  if (!unit) return { outcome: 'ignored', reason: 'no-unit' };
  const at = instant(found.when, now);
  const recorded = await deps.deliveries.noteUnitProblem(
    unit.planId,
    unit.year,
    unit.unitId,
    found.problem,
    at,
  );
  return recorded
    ? { outcome: 'recorded', unit, problem: found.problem, at: at.toISOString() }
    : { outcome: 'ignored', reason: 'not-recorded', unit };
}
