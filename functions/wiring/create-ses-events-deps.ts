import { DynamoDeliveryStore } from '#shared/adapters/dynamodb/delivery-store.ts';
import type { SesEventDeps } from '#shared/mail/ses-events.ts';
import type { Clock } from '#shared/ports.ts';
import type { Runtime } from './runtime.ts';

/** What the SES events consumer works with: the units' mail problems, and the clock. */
export type SesEventsDeps = SesEventDeps & { clock: Clock };

/**
 * The SES events consumer's collaborators: the units' mail problems on DynamoDB (the same store
 * the mailer records refusals in) and the runtime's clock. No SES client: the consumer sends
 * nothing, so its bundle carries no SES SDK.
 */
export function createSesEventsDeps(runtime: Runtime, overrides: Partial<SesEventsDeps> = {}): SesEventsDeps {
  return {
    deliveries: new DynamoDeliveryStore(runtime.dynamo, runtime.config.SUBMISSIONS_TABLE),
    clock: runtime.clock,
    ...overrides,
  };
}
