import type { MailMessage } from '#shared/domain/mail-message.ts';
import { unitMailTags } from '#shared/domain/mail-tags.ts';
import type { Clock } from '#shared/ports.ts';
import type { DeliveryStore, MailSender } from './ports.ts';
import { renderMail } from './templates.ts';

export interface MailDeps {
  deliveries: DeliveryStore;
  sender: MailSender;
  clock: Clock;
  from: string;
  committeeName: string;
  /**
   * The committee whose mail this is, when not the deployment's first (docs/tenancy.md): a
   * unit's e-mail carries it as the SES tag `committee`, so that a bounce finds its scope.
   */
  committeeId?: string | undefined;
  /**
   * The names of the committees whose member this address is now; none: no sign-in link is
   * sent to it. Decided here, at send time, so that asking for a link does the same work for
   * any address (issue 18); the e-mail then names the person's own committee(s), not the one
   * that queued it (docs/tenancy.md). Without it every sign-in e-mail is sent, as queued.
   */
  signInCommittees?: (email: string) => Promise<string[]>;
}

export type DeliveryOutcome = 'sent' | 'skipped' | 'failed';

/** A claim older than this is taken over: its message died (or went to the DLQ) mid-send. */
const STALE_CLAIM_MS = 15 * 60 * 1000;

/**
 * SES errors that will not go away by retrying: the mail is recorded as failed (and the unit's
 * status shows it) instead of being retried into the dead-letter queue.
 */
const PERMANENT_ERRORS = new Set([
  'MessageRejected',
  'MailFromDomainNotVerifiedException',
  'InvalidParameterValue',
]);

/** What each refusal means, for the committee (the dashboard and `baocao status` show it). */
const REFUSAL_TEXTS: Record<string, string> = {
  MessageRejected: 'SES từ chối gửi thư',
  MailFromDomainNotVerifiedException: 'SES từ chối gửi thư (địa chỉ gửi chưa được xác minh)',
  InvalidParameterValue: 'SES từ chối gửi thư (địa chỉ nhận không hợp lệ)',
};

/**
 * The unit's mail problem for a refusal at send time, in Vietnamese like the ones SES reports
 * later (ses-events.ts), with SES's own words after the colon for whoever has to fix it.
 */
export function refusalProblem(error: Error): string {
  return `${REFUSAL_TEXTS[error.name] ?? 'SES từ chối gửi thư'}: ${error.message}`.slice(0, 500);
}

/**
 * Sends one queued e-mail at most once per key, and never loses it:
 * claim (conditional write) → send → mark sent. A crash after the send and before the mark
 * makes SQS redeliver the message, whose claim is still ours, so the mail is sent again:
 * a rare duplicate is preferred to a loss. Throttling and other transient errors are thrown,
 * so the message returns to the queue and is retried with backoff, then dead-lettered.
 */
export async function deliverMail(
  deps: MailDeps,
  message: MailMessage,
  owner: string,
): Promise<DeliveryOutcome> {
  // A sign-in link asked for an address that is not a member's: queued like any other (the
  // request must not tell them apart), and dropped here without a trace. A member's names the
  // committees the person belongs to.
  let mail = message;
  if (message.template === 'sign-in' && deps.signInCommittees) {
    const to = message.to[0];
    const committees = to === undefined ? [] : await deps.signInCommittees(to);
    if (committees.length === 0) return 'skipped';
    mail = { ...message, data: { ...message.data, committees } };
  }
  const now = deps.clock.now();
  const staleBefore = new Date(now.getTime() - STALE_CLAIM_MS);
  const claimed = await deps.deliveries.claim(
    message.planId,
    message.year,
    message.key,
    owner,
    now,
    staleBefore,
  );
  if (!claimed) return 'skipped';
  const rendered = renderMail(mail, deps.committeeName);
  // A unit's e-mail carries its plan, year and unit as SES tags: a bounce or complaint that SES
  // reports later (functions/ses-events.ts) is recorded on the same unit as a refusal here.
  const tags = unitMailTags(message);
  try {
    const { messageId } = await deps.sender.send({
      from: deps.from,
      to: message.to,
      cc: message.cc,
      ...rendered,
      ...(tags ? { tags: { ...tags, ...(deps.committeeId ? { committee: deps.committeeId } : {}) } } : {}),
    });
    await deps.deliveries.markSent(message.planId, message.year, message.key, messageId, deps.clock.now());
    return 'sent';
  } catch (error) {
    if (!(error instanceof Error) || !PERMANENT_ERRORS.has(error.name)) throw error;
    // The delivery record keeps SES's error as is (for the operator); the unit gets it explained.
    const failure = `${error.name}: ${error.message}`.slice(0, 500);
    await deps.deliveries.markFailed(message.planId, message.year, message.key, failure, deps.clock.now());
    if (message.unitId !== 'committee') {
      await deps.deliveries.noteUnitProblem(
        message.planId,
        message.year,
        message.unitId,
        refusalProblem(error),
        deps.clock.now(),
      );
    }
    return 'failed';
  }
}
