import { DynamoDeliveryStore } from '#shared/adapters/dynamodb/delivery-store.ts';
import { DynamoMemberStore } from '#shared/adapters/dynamodb/member-store.ts';
import { DynamoMembershipIndex } from '#shared/adapters/dynamodb/membership-index.ts';
import { createSesClient, SesMailSender } from '#shared/adapters/ses/ses-mail-sender.ts';
import type { MembershipDeps } from '#shared/committee/memberships.ts';
import { signInCommitteeNames } from '#shared/committee/sign-in.ts';
import type { MailDeps } from '#shared/mail/deliver-mail.ts';
import { findCommittee } from '#shared/tenancy/registry.ts';
import { scopedCommittee } from './create-deps.ts';
import { createRegistryDeps } from './create-registry-deps.ts';
import { type Runtime, scopeRuntime } from './runtime.ts';

/**
 * The mailer's collaborators: delivery records on DynamoDB, SES (real or emulated), and the
 * member lists (read only) that decide who is sent a sign-in link and which committees it names:
 * the first committee's, and through the deployment's index each other committee's own list
 * (docs/tenancy.md).
 */
export function createMailDeps(runtime: Runtime, overrides: Partial<MailDeps> = {}): MailDeps {
  const { config } = runtime;
  // Sign-in links are the deployment's: always judged from the first committee's side.
  const base = runtime.base ?? runtime;
  const members = new DynamoMemberStore(base.dynamo, config.PLANS_TABLE);
  return {
    deliveries: new DynamoDeliveryStore(runtime.dynamo, config.SUBMISSIONS_TABLE),
    sender: new SesMailSender(createSesClient(config), config.SES_CONFIGURATION_SET),
    clock: runtime.clock,
    from: config.SENDER_EMAIL,
    committeeName: config.COMMITTEE_NAME,
    ...scopedCommittee(runtime),
    signInCommittees: (email) =>
      signInCommitteeNames(
        {
          members,
          committeeEmails: base.config.COMMITTEE_EMAILS,
          committeeName: base.config.COMMITTEE_NAME,
          committees: otherCommittees(base),
        },
        email,
      ),
    ...overrides,
  };
}

/** The other committees of the deployment, read only: the index, each one's name and own list. */
function otherCommittees(base: Runtime): MembershipDeps {
  const { config } = base;
  const registry = createRegistryDeps(base);
  return {
    index: new DynamoMembershipIndex(base.deploymentDynamo, config.PLANS_TABLE),
    rootCommitteeId: config.COMMITTEE_ID,
    committee: async (id) => {
      const committee = await findCommittee(registry, id);
      if (!committee) return undefined;
      const scoped = scopeRuntime(base, committee);
      return {
        name: committee.name,
        members: {
          members: new DynamoMemberStore(scoped.dynamo, config.PLANS_TABLE),
          clock: base.clock,
          committeeEmails: [],
        },
      };
    },
  };
}
