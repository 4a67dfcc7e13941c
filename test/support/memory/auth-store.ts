/**
 * FAKE FOR FAST USE-CASE TESTS: the AuthStore of shared/adapters/dynamodb/auth-store.ts over the
 * in-memory plans table (./table.ts): sign-in links used once and before they expire, sessions
 * written once (a second put with the same id throws, as the adapter's conditional PutItem does),
 * attempts counted per window up to a limit. Expired items are not deleted (DynamoDB's TTL is
 * lazy too: the use cases check expiry themselves). The real adapter is tested against dynalite
 * in test/integration.
 */
import type { AuthStore, Session } from '#shared/committee/ports.ts';
import { attributeExists, compare, type MemoryTable } from './table.ts';

const epoch = (d: Date) => Math.floor(d.getTime() / 1000);

export class MemoryAuthStore implements AuthStore {
  constructor(private readonly table: MemoryTable) {}

  async putSignInToken(hash: string, email: string, expiresAt: Date): Promise<void> {
    this.table.put(
      {
        pk: `SIGNIN#${hash}`,
        sk: 'SIGNIN',
        type: 'sign-in',
        email,
        expiresAt: expiresAt.toISOString(),
        expiresAtEpoch: epoch(expiresAt),
      },
      (current) => current === undefined,
    );
  }

  async consumeSignInToken(hash: string, now: Date): Promise<string | undefined> {
    let email: string | undefined;
    const used = this.table.tryUpdate(
      { pk: `SIGNIN#${hash}`, sk: 'SIGNIN' },
      (item) =>
        item !== undefined &&
        !attributeExists(item, 'usedAt') &&
        compare(item.expiresAt, '>', now.toISOString()),
      (item) => {
        item.usedAt = now.toISOString();
        email = item.email as string | undefined;
      },
    );
    return used ? email : undefined;
  }

  async putSession(session: Session): Promise<void> {
    this.table.put(
      {
        pk: `SESSION#${session.id}`,
        sk: 'SESSION',
        type: 'session',
        ...session,
        expiresAtEpoch: epoch(new Date(session.expiresAt)),
      },
      (current) => current === undefined,
    );
  }

  async getSession(id: string): Promise<Session | undefined> {
    const item = this.table.get({ pk: `SESSION#${id}`, sk: 'SESSION' });
    if (!item) return undefined;
    const {
      id: sid,
      email,
      role,
      createdAt,
      expiresAt,
      committeeId,
      multiCommittee,
    } = item as unknown as Session;
    // Sessions stored before roles existed were the configured committee addresses: admins.
    return {
      id: sid,
      email,
      role: role === 'viewer' ? 'viewer' : 'admin',
      createdAt,
      expiresAt,
      // Sessions stored before committees existed belong to the deployment's first (no committeeId).
      ...(typeof committeeId === 'string' ? { committeeId } : {}),
      ...(multiCommittee === true ? { multiCommittee } : {}),
    };
  }

  async deleteSession(id: string): Promise<void> {
    this.table.delete({ pk: `SESSION#${id}`, sk: 'SESSION' });
  }

  async countAttempt(
    bucket: string,
    windowStart: Date,
    windowSeconds: number,
    limit: number,
  ): Promise<boolean> {
    return this.table.tryUpdate(
      { pk: `RATE#${bucket}`, sk: windowStart.toISOString() },
      (item) => !attributeExists(item, 'attempts') || compare(item!.attempts, '<', limit),
      (item) => {
        item.attempts = (typeof item.attempts === 'number' ? item.attempts : 0) + 1;
        item.expiresAtEpoch = epoch(windowStart) + windowSeconds * 2;
      },
    );
  }
}
