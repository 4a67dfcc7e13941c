import { DynamoMemberStore } from '#shared/adapters/dynamodb/member-store.ts';
import type { InviteDeps } from '#shared/committee/members.ts';
import type { Runtime } from './runtime.ts';

/**
 * The member list's collaborators outside the web app (the CLI's `baocao member …`, the local
 * demo): the list on the plans table, the runtime's mail queue for invitations, and the
 * configured addresses that are the first admins.
 */
export function createMemberDeps(runtime: Runtime): InviteDeps {
  const { config } = runtime;
  return {
    members: new DynamoMemberStore(runtime.dynamo, config.PLANS_TABLE),
    clock: runtime.clock,
    committeeEmails: config.COMMITTEE_EMAILS,
    mail: runtime.mailQueue,
    committeeName: config.COMMITTEE_NAME,
    appUrl: config.APP_URL ?? 'http://localhost',
  };
}
