import type { MailMessage, MailTemplate } from '#shared/domain/mail-message.ts';
import type { MailQueue } from '#shared/ports.ts';
import type { MemberStore } from './ports.ts';

/** The committee's e-mails that every member receives, admins and viewers alike. */
export const MEMBER_MAIL: ReadonlySet<MailTemplate> = new Set<MailTemplate>([
  'digest',
  'export-ready',
  'quarantined',
]);

const forMembers = (message: MailMessage) =>
  message.unitId === 'committee' && MEMBER_MAIL.has(message.template);

/**
 * A mail queue that addresses the committee's export and quarantine notices to every member as
 * the list stands when they are sent. The exporter and the scan build them for the configured
 * `COMMITTEE_EMAILS` (and build none when that is empty); this puts the members in their place,
 * reading the list (one Query) only when such an e-mail is queued. While the list is still empty
 * (no one has signed in yet), the configured addresses keep them: they are the members to be.
 * The list is never written here (the exporter may only read the plans table).
 */
export function mailToMembers(queue: MailQueue, members: Pick<MemberStore, 'list'>): MailQueue {
  return {
    enqueue: async (messages) => {
      if (!messages.some(forMembers)) return queue.enqueue(messages);
      const addresses = (await members.list()).map((m) => m.email);
      if (addresses.length === 0) return queue.enqueue(messages);
      return queue.enqueue(messages.map((m) => (forMembers(m) ? { ...m, to: addresses } : m)));
    },
  };
}

/**
 * The addresses a committee's own e-mail goes to as they stand now: every member, admins and
 * viewers alike (the digest shows only what the period page shows a viewer), else, while the
 * list is still empty, the configured addresses (`COMMITTEE_EMAILS`: the first committee's
 * members to be; none for any other committee). One Query of the list; empty when there is no
 * one (the caller then builds no message: a message to no one fails validation).
 */
export async function committeeRecipients(
  members: Pick<MemberStore, 'list'>,
  configured: readonly string[],
): Promise<string[]> {
  const addresses = (await members.list()).map((m) => m.email);
  return addresses.length > 0 ? addresses : [...configured];
}
