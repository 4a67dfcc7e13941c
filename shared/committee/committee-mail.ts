import type { MemberStore } from './ports.ts';

/**
 * The addresses a committee's own e-mail goes to as they stand now — its daily digest, its
 * export-ready notice, its notice of a quarantined file: every member, admins and viewers alike
 * (they show only what the period page shows a viewer), else, while the list is still empty (no
 * one has signed in yet), the configured addresses (`COMMITTEE_EMAILS`: the first committee's
 * members to be; none for any other committee). One Query of the list, made only when such an
 * e-mail is due; empty when there is no one (the caller then builds no message: a message to no
 * one fails validation). The list is never written here (the exporter may only read it).
 */
export async function committeeRecipients(
  members: Pick<MemberStore, 'list'>,
  configured: readonly string[],
): Promise<string[]> {
  const addresses = (await members.list()).map((m) => m.email);
  return addresses.length > 0 ? addresses : [...configured];
}
