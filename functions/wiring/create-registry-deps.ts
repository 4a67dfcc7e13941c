import { DynamoCommitteeRegistry } from '#shared/adapters/dynamodb/committee-registry.ts';
import type { RegistryDeps } from '#shared/tenancy/registry.ts';
import type { Runtime } from './runtime.ts';

/**
 * The committee registry's collaborators: the deployment's tables (never a committee's scoped
 * view) and the configured first committee (docs/tenancy.md).
 */
export function createRegistryDeps(runtime: Runtime): RegistryDeps {
  // The first committee as configured, even from another committee's runtime (whose config
  // carries that committee's name and zone).
  const { config } = runtime.base ?? runtime;
  return {
    registry: new DynamoCommitteeRegistry(runtime.deploymentDynamo, config.PLANS_TABLE),
    clock: runtime.clock,
    root: { id: config.COMMITTEE_ID, name: config.COMMITTEE_NAME, timeZone: config.TIME_ZONE },
  };
}
