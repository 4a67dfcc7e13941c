import { DeleteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Membership, MembershipIndex } from '#shared/committee/ports.ts';
import { DynamoItemStore } from './item-store.ts';

/**
 * The index of memberships on the plans table, outside every committee's scope (built on the
 * deployment's client, never a scoped one; docs/tenancy.md): partition `MEMBER#<email>`, one item
 * `C#<committeeId>` per committee, with the role. No committee's scoped key starts with `MEMBER#`
 * (theirs start with `C#`), and the first committee's member list is partition `MEMBERS`.
 */
export const membershipKeys = {
  pk: (email: string) => `MEMBER#${email}`,
  sk: (committeeId: string) => `C#${committeeId}`,
};

export class DynamoMembershipIndex extends DynamoItemStore implements MembershipIndex {
  async committeesOf(email: string, limit: number): Promise<Membership[]> {
    // One page, bounded: a person belongs to a handful of committees.
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': membershipKeys.pk(email), ':prefix': 'C#' },
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map((item) => ({
      committeeId: String(item.committeeId),
      role: item.role === 'admin' ? 'admin' : 'viewer',
    }));
  }

  async put(email: string, membership: Membership): Promise<void> {
    await this.putItem({
      pk: membershipKeys.pk(email),
      sk: membershipKeys.sk(membership.committeeId),
      type: 'membership',
      email,
      committeeId: membership.committeeId,
      role: membership.role,
    });
  }

  async remove(email: string, committeeId: string): Promise<void> {
    await this.client.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: { pk: membershipKeys.pk(email), sk: membershipKeys.sk(committeeId) },
      }),
    );
  }
}
