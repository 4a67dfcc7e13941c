import type { Config } from '#shared/config.ts';
import type { MailDeps } from '#shared/mail/deliver-mail.ts';
import { dynamoDocumentClient } from './aws-clients.ts';
import { currentClock } from './clock-provider.ts';
import { DynamoDeliveryStore } from './dynamodb/delivery-store.ts';
import { createSesClient, SesMailSender } from './ses/ses-mail-sender.ts';

/** The mailer's collaborators: delivery records on DynamoDB, SES (real or emulated). */
export function createMailDeps(config: Config, overrides: Partial<MailDeps> = {}): MailDeps {
  return {
    deliveries: new DynamoDeliveryStore(dynamoDocumentClient(config), config.SUBMISSIONS_TABLE),
    sender: new SesMailSender(createSesClient(config), config.SES_CONFIGURATION_SET),
    clock: currentClock,
    from: config.SENDER_EMAIL,
    committeeName: config.COMMITTEE_NAME,
    ...overrides,
  };
}
