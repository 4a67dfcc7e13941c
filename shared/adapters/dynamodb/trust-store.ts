import { DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { TrustAnchor, TrustSnapshot, TrustStore } from '#shared/signatures/ports.ts';
import { DynamoItemStore, isConditionalCheckFailed } from './item-store.ts';
import { queryAll } from './query-all.ts';

const PK = 'TRUST';
const VERSION_SK = 'VERSION';
const anchorSk = (id: string) => `ANCHOR#${id}`;

/**
 * The trust store in the plans table (docs/data-model.md): partition `TRUST`, one item per
 * anchor (`ANCHOR#<sha256>`) and a counter (`VERSION`). A change bumps the counter first, then
 * writes: a crash in between leaves a version that changed for nothing, never a change under an
 * old version. One consistent Query reads the anchors and the counter together.
 */
export class DynamoTrustStore extends DynamoItemStore implements TrustStore {
  async snapshot(): Promise<TrustSnapshot> {
    const items = await queryAll<Record<string, unknown>>(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': PK },
      ConsistentRead: true,
    });
    const counter = items.find((i) => i.sk === VERSION_SK);
    const anchors = items
      .filter((i) => typeof i.sk === 'string' && i.sk.startsWith('ANCHOR#'))
      .map(({ pk: _pk, sk: _sk, type: _type, ...rest }) => rest as unknown as TrustAnchor);
    return { version: String(counter?.version ?? 0), anchors };
  }

  async add(anchors: TrustAnchor[]): Promise<{ added: TrustAnchor[]; version: string }> {
    const version = await this.bump();
    const added: TrustAnchor[] = [];
    for (const anchor of anchors) {
      if (await this.putIfAbsent({ pk: PK, sk: anchorSk(anchor.id), type: 'trust-anchor', ...anchor }))
        added.push(anchor);
    }
    return { added, version };
  }

  async remove(id: string): Promise<boolean> {
    await this.bump();
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { pk: PK, sk: anchorSk(id) },
          ConditionExpression: 'attribute_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  private async bump(): Promise<string> {
    const out = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: PK, sk: VERSION_SK },
        UpdateExpression: 'ADD #v :one',
        ExpressionAttributeNames: { '#v': 'version' },
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return String(out.Attributes?.version ?? 0);
  }
}
