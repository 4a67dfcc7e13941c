import type { RollUpLink, RollUpStore } from '#shared/tenancy/ports.ts';
import { DynamoItemStore } from './item-store.ts';

/** A committee's confirmed roll-up links on the plans table: partition `ROLLUPS`, `PLAN#<planId>`. */
export class DynamoRollUpStore extends DynamoItemStore implements RollUpStore {
  get(planId: string): Promise<RollUpLink | undefined> {
    return this.getItem<RollUpLink>({ pk: 'ROLLUPS', sk: `PLAN#${planId}` }, { consistent: true });
  }

  list(): Promise<RollUpLink[]> {
    return this.queryPrefix<RollUpLink>('ROLLUPS', 'PLAN#');
  }

  put(link: RollUpLink): Promise<void> {
    return this.putItem({ pk: 'ROLLUPS', sk: `PLAN#${link.planId}`, type: 'roll-up', ...link });
  }
}
