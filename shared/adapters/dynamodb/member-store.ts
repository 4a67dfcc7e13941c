import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Member, MemberStore } from '#shared/committee/ports.ts';
import type { MemberRole } from '#shared/domain/member-role.ts';
import { DynamoItemStore, whenConditionHolds } from './item-store.ts';
import { queryAll } from './query-all.ts';

const PK = 'MEMBERS';
const skOf = (email: string) => `MEMBER#${email}`;

/**
 * MemberStore on the plans table: partition `MEMBERS`, one item `MEMBER#<email>` per member.
 * Reads are strongly consistent (a removed member is refused at once; the last-admin re-check
 * must see the write it follows); every write is conditional on what the caller read.
 */
export class DynamoMemberStore extends DynamoItemStore implements MemberStore {
  async list(): Promise<Member[]> {
    const items = await queryAll<Record<string, unknown>>(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': PK, ':prefix': 'MEMBER#' },
      ConsistentRead: true,
    });
    return items.map(toMember);
  }

  async get(email: string): Promise<Member | undefined> {
    const item = await this.getItem<Record<string, unknown>>(
      { pk: PK, sk: skOf(email) },
      { consistent: true },
    );
    return item ? toMember(item) : undefined;
  }

  async put(member: Member, expected: 'absent' | MemberRole): Promise<boolean> {
    const item = {
      pk: PK,
      sk: skOf(member.email),
      type: 'member',
      email: member.email,
      role: member.role,
      addedBy: member.addedBy,
      addedAt: member.addedAt,
    };
    const written = await whenConditionHolds(() =>
      this.client
        .send(
          new PutCommand({
            TableName: this.tableName,
            Item: item,
            ...(expected === 'absent'
              ? { ConditionExpression: 'attribute_not_exists(pk)' }
              : {
                  ConditionExpression: '#role = :expected',
                  ExpressionAttributeNames: { '#role': 'role' },
                  ExpressionAttributeValues: { ':expected': expected },
                }),
          }),
        )
        .then(() => true),
    );
    return written === true;
  }

  async remove(email: string, expected: MemberRole): Promise<boolean> {
    const removed = await whenConditionHolds(() =>
      this.client
        .send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: { pk: PK, sk: skOf(email) },
            ConditionExpression: '#role = :role',
            ExpressionAttributeNames: { '#role': 'role' },
            ExpressionAttributeValues: { ':role': expected },
          }),
        )
        .then(() => true),
    );
    return removed === true;
  }
}

/** The member an item holds (its attributes only; keys and type tag dropped). */
function toMember(item: Record<string, unknown>): Member {
  return {
    email: String(item.email),
    role: item.role === 'admin' ? 'admin' : 'viewer',
    addedBy: String(item.addedBy ?? ''),
    addedAt: String(item.addedAt ?? ''),
  };
}
