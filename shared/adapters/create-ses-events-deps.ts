import type { Config } from '#shared/config.ts';
import type { SesEventDeps } from '#shared/mail/ses-events.ts';
import type { Clock } from '#shared/ports.ts';
import { dynamoDocumentClient } from './aws-clients.ts';
import { currentClock } from './clock-provider.ts';
import { DynamoDeliveryStore } from './dynamodb/delivery-store.ts';

/** What the SES events consumer works with: the units' mail problems, and the clock. */
export type SesEventsDeps = SesEventDeps & { clock: Clock };

/**
 * The SES events consumer's collaborators: the units' mail problems on DynamoDB (the same store
 * the mailer records refusals in) and the process clock. No SES client: the consumer sends
 * nothing, so its bundle carries no SES SDK.
 */
export function createSesEventsDeps(config: Config, overrides: Partial<SesEventsDeps> = {}): SesEventsDeps {
  return {
    deliveries: new DynamoDeliveryStore(dynamoDocumentClient(config), config.SUBMISSIONS_TABLE),
    clock: currentClock,
    ...overrides,
  };
}
