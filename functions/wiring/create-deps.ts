import { DynamoPlanStore } from '#shared/adapters/dynamodb/plan-store.ts';
import { DynamoSubmissionStore } from '#shared/adapters/dynamodb/submission-store.ts';
import type { Deps } from '#shared/deps.ts';
import { createAuditLog } from './create-audit-deps.ts';
import type { Runtime } from './runtime.ts';

/** The use cases' common collaborators, wired to the runtime's DynamoDB (real or emulated). */
export function createDeps(runtime: Runtime, overrides: Partial<Deps> = {}): Deps {
  const { config } = runtime;
  return {
    plans: new DynamoPlanStore(runtime.dynamo, config.PLANS_TABLE),
    submissions: new DynamoSubmissionStore(runtime.dynamo, config.SUBMISSIONS_TABLE),
    clock: runtime.clock,
    settings: {
      committeeName: config.COMMITTEE_NAME,
      timeZone: config.TIME_ZONE,
      committeePlace: config.COMMITTEE_PLACE,
      superiorCommittee: config.SUPERIOR_COMMITTEE,
      ...scopedCommittee(runtime),
    },
    audit: createAuditLog(runtime, overrides.clock),
    ...overrides,
  };
}

/** `{committeeId}` for a committee other than the deployment's first, else nothing. */
export function scopedCommittee(runtime: Runtime): { committeeId?: string } {
  return runtime.scope.keyPrefix ? { committeeId: runtime.scope.committeeId } : {};
}
