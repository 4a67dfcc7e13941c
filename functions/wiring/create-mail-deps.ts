import { DynamoDeliveryStore } from '#shared/adapters/dynamodb/delivery-store.ts';
import { DynamoMemberStore } from '#shared/adapters/dynamodb/member-store.ts';
import { DynamoMembershipIndex } from '#shared/adapters/dynamodb/membership-index.ts';
import { createSesClient, SesMailSender } from '#shared/adapters/ses/ses-mail-sender.ts';
import { isSignInRecipient } from '#shared/committee/sign-in.ts';
import type { MailDeps } from '#shared/mail/deliver-mail.ts';
import { scopedCommittee } from './create-deps.ts';
import type { Runtime } from './runtime.ts';

/**
 * The mailer's collaborators: delivery records on DynamoDB, SES (real or emulated), and the
 * member lists (read only) that decide who is sent a sign-in link: the first committee's, and the
 * deployment's index of the other committees' members (docs/tenancy.md).
 */
export function createMailDeps(runtime: Runtime, overrides: Partial<MailDeps> = {}): MailDeps {
  const { config } = runtime;
  const members = new DynamoMemberStore(runtime.dynamo, config.PLANS_TABLE);
  const memberships = new DynamoMembershipIndex(runtime.deploymentDynamo, config.PLANS_TABLE);
  return {
    deliveries: new DynamoDeliveryStore(runtime.dynamo, config.SUBMISSIONS_TABLE),
    sender: new SesMailSender(createSesClient(config), config.SES_CONFIGURATION_SET),
    clock: runtime.clock,
    from: config.SENDER_EMAIL,
    committeeName: config.COMMITTEE_NAME,
    ...scopedCommittee(runtime),
    isSignInRecipient: (email) =>
      isSignInRecipient({ members, memberships, committeeEmails: config.COMMITTEE_EMAILS }, email),
    ...overrides,
  };
}
