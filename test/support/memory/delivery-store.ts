/**
 * FAKE FOR FAST USE-CASE TESTS: the DeliveryStore of shared/adapters/dynamodb/delivery-store.ts
 * over the in-memory submissions table (./table.ts): one `MAIL#<key>` item per e-mail, claimed
 * with the adapter's condition (nobody has it, or it is still `sending` and ours or stale), so a
 * key is sent once; `markSent`/`markFailed` are unconditional UpdateItems (they create the item
 * if it is missing, as DynamoDB does); the unit's mail problem is recorded on its assignment only
 * if it exists and holds no newer problem. The real adapter is tested against dynalite in
 * test/integration; ./store-contracts.ts runs one suite on both.
 */
import { submissionKeys } from '#shared/adapters/dynamodb/submission-store.ts';
import type { DeliveryRecord, DeliveryStore } from '#shared/mail/ports.ts';
import { attributeExists, compare, type MemoryTable, valueAt, withoutKeys } from './table.ts';

const mailKey = (planId: string, year: number, key: string) => ({
  pk: submissionKeys.periodPk(planId, year),
  sk: `MAIL#${key}`,
});

export class MemoryDeliveryStore implements DeliveryStore {
  constructor(private readonly table: MemoryTable) {}

  async claim(
    planId: string,
    year: number,
    key: string,
    owner: string,
    now: Date,
    staleBefore: Date,
  ): Promise<boolean> {
    return this.table.tryUpdate(
      mailKey(planId, year, key),
      (item) =>
        item === undefined ||
        (compare(item.state, '=', 'sending') &&
          (compare(item.owner, '=', owner) || compare(item.updatedAt, '<', staleBefore.toISOString()))),
      (item) => {
        item.type = 'mail';
        item.key = key;
        item.state = 'sending';
        item.owner = owner;
        item.updatedAt = now.toISOString();
        item.attempts = (typeof item.attempts === 'number' ? item.attempts : 0) + 1;
      },
    );
  }

  async markSent(planId: string, year: number, key: string, sesMessageId: string, now: Date): Promise<void> {
    this.setState(planId, year, key, 'sent', now, { sesMessageId });
  }

  async markFailed(planId: string, year: number, key: string, error: string, now: Date): Promise<void> {
    this.setState(planId, year, key, 'failed', now, { error });
  }

  async noteUnitProblem(
    planId: string,
    year: number,
    unitId: string,
    problem: string,
    at: Date,
  ): Promise<boolean> {
    const when = at.toISOString();
    return this.table.tryUpdate(
      submissionKeys.assignment(planId, year, unitId),
      (item) =>
        item !== undefined &&
        (!attributeExists(item, 'mailProblem') || compare(valueAt(item, 'mailProblem', 'at'), '<=', when)),
      (item) => {
        item.mailProblem = { at: when, problem };
      },
    );
  }

  async get(planId: string, year: number, key: string): Promise<DeliveryRecord | undefined> {
    return withoutKeys<DeliveryRecord>(this.table.get(mailKey(planId, year, key)));
  }

  /** Every delivery record of a period, for assertions. */
  records(planId: string, year: number): DeliveryRecord[] {
    return this.table
      .queryAll(submissionKeys.periodPk(planId, year), 'MAIL#')
      .map((i) => withoutKeys<DeliveryRecord>(i)!);
  }

  private setState(
    planId: string,
    year: number,
    key: string,
    state: DeliveryRecord['state'],
    now: Date,
    extra: Record<string, string>,
  ): void {
    this.table.update(
      mailKey(planId, year, key),
      () => true,
      (item) => {
        item.state = state;
        item.updatedAt = now.toISOString();
        Object.assign(item, extra);
      },
    );
  }
}
