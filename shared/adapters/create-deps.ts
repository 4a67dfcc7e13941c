import type { Config } from '#shared/config.ts';
import type { Deps } from '#shared/services/deps.ts';
import { dynamoDocumentClient } from './aws-clients.ts';
import { currentClock } from './clock-provider.ts';
import { DynamoPlanStore } from './dynamodb/plan-store.ts';
import { DynamoSubmissionStore } from './dynamodb/submission-store.ts';

/** The composition root: the use cases' collaborators wired to DynamoDB (real or emulated). */
export function createDeps(config: Config, overrides: Partial<Deps> = {}): Deps {
  const client = dynamoDocumentClient(config);
  return {
    plans: new DynamoPlanStore(client, config.PLANS_TABLE),
    submissions: new DynamoSubmissionStore(client, config.SUBMISSIONS_TABLE),
    clock: currentClock,
    settings: { committeeName: config.COMMITTEE_NAME, timeZone: config.TIME_ZONE },
    ...overrides,
  };
}
