import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Assignment, Period } from '#shared/domain/period.ts';
import type { Plan } from '#shared/domain/plan.ts';
import type { SubmissionVersion } from '#shared/domain/submission.ts';
import { NotFoundError } from '#shared/errors.ts';
import type { AddGrant, LinkContext, StartDraft, UploadStore } from '#shared/uploads/ports.ts';
import { planKeys } from './plan-store.ts';
import { isConditionalCheckFailed, withoutKeys } from './query-all.ts';
import { submissionKeys } from './submission-store.ts';

/** BatchGetItem may leave keys unprocessed under load: ask again for those, a few times. */
const MAX_BATCH_GET_ATTEMPTS = 5;

/**
 * UploadStore on DynamoDB. A grant costs two requests: one BatchGetItem for what the link names
 * (assignment, plan, period across both tables) and one conditional UpdateItem on the assignment.
 */
export class DynamoUploadStore implements UploadStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tables: { plans: string; submissions: string },
  ) {}

  async readLinkContext(planId: string, year: number, unitId: string): Promise<LinkContext> {
    const assignmentKey = submissionKeys.assignment(planId, year, unitId);
    const planKey = planKeys.plan(planId);
    const periodKey = planKeys.period(planId, year);
    let request: Record<string, { Keys: Record<string, unknown>[]; ConsistentRead: boolean }> = {
      [this.tables.submissions]: { Keys: [assignmentKey], ConsistentRead: true },
      [this.tables.plans]: { Keys: [planKey, periodKey], ConsistentRead: true },
    };
    const found: Record<string, unknown>[] = [];
    for (let attempt = 1; ; attempt++) {
      const out = await this.client.send(new BatchGetCommand({ RequestItems: request }));
      for (const items of Object.values(out.Responses ?? {})) found.push(...items);
      const rest = out.UnprocessedKeys ?? {};
      if (Object.keys(rest).length === 0) break;
      if (attempt >= MAX_BATCH_GET_ATTEMPTS) throw new Error('BatchGetItem left keys unprocessed');
      await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
      request = rest as typeof request;
    }
    const pick = <T>(key: { pk: string; sk: string }): T | undefined => {
      const item = found.find((i) => i.pk === key.pk && i.sk === key.sk);
      return item ? (withoutKeys(item) as T) : undefined;
    };
    return {
      assignment: pick<Assignment>(assignmentKey),
      plan: pick<Plan>(planKey),
      period: pick<Period>(periodKey),
    };
  }

  async startDraft(planId: string, year: number, unitId: string, start: StartDraft): Promise<boolean> {
    const { draft } = start;
    const names: Record<string, string> = { '#drafts': 'drafts', '#n': String(draft.version) };
    const values: Record<string, unknown> = {
      ':lv': draft.linkVersion,
      ':prev': start.previousCounter,
      ':n': draft.version,
      ':day': start.day,
      ':count': start.versionsOnDay,
    };
    const sets = ['versionCounter = :n', 'uploadDay = :day', 'versionsOnDay = :count'];
    const removes: string[] = [];
    let condition = 'attribute_exists(pk) AND linkVersion = :lv AND versionCounter = :prev';
    if (start.hasDrafts) {
      sets.push('#drafts.#n = :draft');
      values[':draft'] = draft;
      start.dropDrafts.forEach((version, i) => {
        names[`#d${i}`] = String(version);
        removes.push(`#drafts.#d${i}`);
      });
      condition += ' AND attribute_exists(#drafts)';
    } else {
      sets.push('#drafts = :drafts');
      values[':drafts'] = { [String(draft.version)]: draft };
      delete names['#n'];
      condition += ' AND attribute_not_exists(#drafts)';
    }
    return this.conditionalUpdate({
      Key: submissionKeys.assignment(planId, year, unitId),
      UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
      ConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    });
  }

  async addGrant(planId: string, year: number, unitId: string, grant: AddGrant): Promise<boolean> {
    return this.conditionalUpdate({
      Key: submissionKeys.assignment(planId, year, unitId),
      UpdateExpression: 'SET #drafts.#n.#grants.#id = :upload ADD #drafts.#n.#issued :one',
      ConditionExpression:
        'attribute_exists(pk) AND linkVersion = :lv AND #drafts.#n.#createdAt >= :notBefore AND #drafts.#n.#issued < #drafts.#n.#expected AND attribute_not_exists(#drafts.#n.#grants.#id)',
      ExpressionAttributeNames: {
        '#drafts': 'drafts',
        '#n': String(grant.version),
        '#grants': 'grants',
        '#id': grant.uploadId,
        '#issued': 'issued',
        '#createdAt': 'createdAt',
        '#expected': 'expectedFiles',
      },
      ExpressionAttributeValues: {
        ':upload': grant.upload,
        ':one': 1,
        ':lv': grant.linkVersion,
        ':notBefore': grant.createdNotBefore,
      },
    });
  }

  async recentVersions(
    planId: string,
    year: number,
    unitId: string,
    limit: number,
  ): Promise<SubmissionVersion[]> {
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.tables.submissions,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: {
          ':pk': submissionKeys.periodPk(planId, year),
          ':prefix': submissionKeys.versionPrefix(unitId),
        },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map((item) => withoutKeys(item) as unknown as SubmissionVersion);
  }

  async bumpLinkVersion(planId: string, year: number, unitId: string): Promise<number> {
    try {
      const out = await this.client.send(
        new UpdateCommand({
          TableName: this.tables.submissions,
          Key: submissionKeys.assignment(planId, year, unitId),
          UpdateExpression: 'ADD linkVersion :one',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':one': 1 },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Number(out.Attributes?.linkVersion);
    } catch (error) {
      if (isConditionalCheckFailed(error)) {
        throw new NotFoundError(
          `No assignment of unit ${unitId} in period ${year} of ${planId}`,
          `Đơn vị "${unitId}" không thuộc kỳ báo cáo năm ${year} của kế hoạch "${planId}".`,
        );
      }
      throw error;
    }
  }

  private async conditionalUpdate(
    input: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName'>,
  ): Promise<boolean> {
    try {
      await this.client.send(new UpdateCommand({ TableName: this.tables.submissions, ...input }));
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }
}
