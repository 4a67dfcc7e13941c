import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Committee, CommitteeRegistry, ParentLink } from '#shared/tenancy/ports.ts';
import { DynamoItemStore, whenConditionHolds } from './item-store.ts';

/**
 * The committee registry on the plans table, outside every committee's scope (built on the
 * deployment's client, never a scoped one; docs/tenancy.md):
 * - `COMMITTEES` / `COMMITTEE#<id>`: the committee;
 * - `TREE#<id>#PARENTS` / `FROM#<yyyy-mm-dd>`: its parent from that date on;
 * - `TREE#<parent>#CHILDREN` / `CHILD#<id>#FROM#<yyyy-mm-dd>`: the same link, indexed by parent.
 * No key starts with `C#`, so no committee's scoped keys can meet them.
 */
export const registryKeys = {
  committeesPk: 'COMMITTEES',
  committee: (id: string) => ({ pk: 'COMMITTEES', sk: `COMMITTEE#${id}` }),
  parentsPk: (id: string) => `TREE#${id}#PARENTS`,
  childrenPk: (parentId: string) => `TREE#${parentId}#CHILDREN`,
};

/**
 * DynamoDB Local and dynalite have no TransactWriteItems, so a committee and its links are
 * written in an order that a crash at any point leaves repairable by running the same command
 * again: the parent link first (conditional, but idempotent for the same parent), then its
 * inverse (idempotent), then the committee itself (conditional: the one write that decides).
 */
export class DynamoCommitteeRegistry extends DynamoItemStore implements CommitteeRegistry {
  async add(committee: Committee, link: ParentLink): Promise<boolean> {
    // A taken id writes nothing (the use case always starts a committee's links on 0001-01-01,
    // so two concurrent adds of one id meet on that link or on the committee item).
    if (await this.get(committee.id)) return false;
    if (!(await this.addParentLink(link))) return false;
    return this.putIfAbsent({ ...registryKeys.committee(committee.id), type: 'committee', ...committee });
  }

  get(id: string): Promise<Committee | undefined> {
    return this.getItem<Committee>(registryKeys.committee(id), { consistent: true });
  }

  async list(): Promise<Committee[]> {
    const all = await this.queryPrefix<Committee>(registryKeys.committeesPk, 'COMMITTEE#');
    return all.sort((a, b) => a.id.localeCompare(b.id));
  }

  async parentLinks(id: string): Promise<ParentLink[]> {
    const links = await this.queryPrefix<ParentLink>(registryKeys.parentsPk(id), 'FROM#');
    return links.map(toLink).sort((a, b) => a.from.localeCompare(b.from));
  }

  async childLinks(parentId: string): Promise<ParentLink[]> {
    const links = await this.queryPrefix<ParentLink>(registryKeys.childrenPk(parentId), 'CHILD#');
    return links
      .map(toLink)
      .sort((a, b) => a.from.localeCompare(b.from) || a.committeeId.localeCompare(b.committeeId));
  }

  /** True when the link is stored (now, or already with the same parent); false for another parent. */
  async addParentLink(link: ParentLink): Promise<boolean> {
    const item = {
      type: 'committee-link',
      committeeId: link.committeeId,
      parentId: link.parentId,
      from: link.from,
    };
    const stored = await whenConditionHolds(() =>
      this.client
        .send(
          new PutCommand({
            TableName: this.tableName,
            Item: { pk: registryKeys.parentsPk(link.committeeId), sk: `FROM#${link.from}`, ...item },
            ConditionExpression:
              link.parentId === null
                ? 'attribute_not_exists(pk) OR attribute_type(parentId, :null)'
                : 'attribute_not_exists(pk) OR parentId = :parent',
            ExpressionAttributeValues:
              link.parentId === null ? { ':null': 'NULL' } : { ':parent': link.parentId },
          }),
        )
        .then(() => true),
    );
    if (stored !== true) return false;
    if (link.parentId !== null) {
      await this.putItem({
        pk: registryKeys.childrenPk(link.parentId),
        sk: `CHILD#${link.committeeId}#FROM#${link.from}`,
        ...item,
      });
    }
    return true;
  }
}

function toLink(row: ParentLink): ParentLink {
  return { committeeId: row.committeeId, parentId: row.parentId ?? null, from: row.from };
}
