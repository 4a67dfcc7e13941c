import { DynamoMemberStore } from '#shared/adapters/dynamodb/member-store.ts';
import { DynamoMembershipIndex } from '#shared/adapters/dynamodb/membership-index.ts';
import type { InviteDeps, MemberDeps } from '#shared/committee/members.ts';
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
    ...committeeMembership(runtime),
    mail: runtime.mailQueue,
    committeeName: config.COMMITTEE_NAME,
    appUrl: config.APP_URL ?? 'http://localhost',
  };
}

/**
 * How a committee's member list relates to the deployment (docs/tenancy.md): the first committee
 * keeps its configured first admins (`COMMITTEE_EMAILS`) and needs no index; any other committee
 * gets its admins from whoever adds it (`baocao committee add --admin`, `baocao member add
 * --committee`) and keeps the deployment's membership index up to date, so that its members find
 * it at sign-in.
 */
export function committeeMembership(runtime: Runtime): Pick<MemberDeps, 'committeeEmails' | 'index'> {
  const { config, scope } = runtime;
  if (scope.committeeId === config.COMMITTEE_ID) return { committeeEmails: config.COMMITTEE_EMAILS };
  return {
    committeeEmails: [],
    index: {
      committeeId: scope.committeeId,
      memberships: new DynamoMembershipIndex(runtime.deploymentDynamo, config.PLANS_TABLE),
    },
  };
}
