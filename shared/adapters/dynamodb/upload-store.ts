import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Assignment, Period } from '#shared/domain/period.ts';
import type { SubmissionVersion } from '#shared/domain/submission.ts';
import { NotFoundError } from '#shared/errors.ts';
import {
  type AddGrant,
  LINK_PLAN_FIELDS,
  type LinkContext,
  type LinkCount,
  type LinkPlan,
  PERIOD_FIELDS,
  type StartDraft,
  type UploadStore,
} from '#shared/uploads/ports.ts';
import { fromItem, type UpdateInput, whenConditionHolds, withoutKeys } from './item-store.ts';
import { planKeys } from './plan-store.ts';
import { submissionKeys } from './submission-store.ts';

type KeysAndAttributes = {
  Keys: Record<string, unknown>[];
  ConsistentRead: boolean;
  ProjectionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
};

/** The attributes of {@link LinkPlan} and of {@link Period}, for the plans table's BatchGetItem. */
const PLANS_PROJECTION_NAMES: Record<string, string> = Object.fromEntries(
  ['pk', 'sk', ...LINK_PLAN_FIELDS, ...PERIOD_FIELDS].map((name) => [`#${name}`, name]),
);
const PLANS_PROJECTION = Object.keys(PLANS_PROJECTION_NAMES).join(', ');

/** BatchGetItem may leave keys unprocessed under load: ask again for those, a few times. */
const MAX_BATCH_GET_ATTEMPTS = 5;

/** Plans and periods a warm function keeps (the oldest goes first). */
const MAX_CACHED_PERIODS = 500;

/**
 * UploadStore on DynamoDB. A grant costs two requests: one read of what the link names and one
 * conditional UpdateItem on the assignment, which also counts the presign against the link's
 * limit (`presignWindow`, `presignCount` on the assignment: no request of its own). The read is a BatchGetItem of the assignment, the
 * plan and the period; or, when this warm function read that plan and period less than
 * `planCacheMs` ago, a GetItem of the assignment alone (everything that moves per unit — link
 * version, extension, drafts — is on the assignment, always read consistently).
 */
export class DynamoUploadStore implements UploadStore {
  private readonly periods = new Map<string, { plan: LinkPlan; period: Period; at: number }>();

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tables: { plans: string; submissions: string },
    private readonly options: { planCacheMs: number; now?: () => number } = { planCacheMs: 0 },
  ) {}

  async readLinkContext(planId: string, year: number, unitId: string): Promise<LinkContext> {
    const now = (this.options.now ?? Date.now)();
    const cacheKey = `${planId}#${year}`;
    const cached = this.periods.get(cacheKey);
    if (cached && now - cached.at < this.options.planCacheMs) {
      const out = await this.client.send(
        new GetCommand({
          TableName: this.tables.submissions,
          Key: submissionKeys.assignment(planId, year, unitId),
          ConsistentRead: true,
        }),
      );
      return { assignment: fromItem<Assignment>(out.Item), plan: cached.plan, period: cached.period };
    }
    const context = await this.readAll(planId, year, unitId);
    if (this.options.planCacheMs > 0 && context.plan && context.period) {
      this.periods.delete(cacheKey);
      this.periods.set(cacheKey, { plan: context.plan, period: context.period, at: now });
      if (this.periods.size > MAX_CACHED_PERIODS) this.periods.delete(this.periods.keys().next().value!);
    }
    return context;
  }

  private async readAll(planId: string, year: number, unitId: string): Promise<LinkContext> {
    const assignmentKey = submissionKeys.assignment(planId, year, unitId);
    const planKey = planKeys.plan(planId);
    const periodKey = planKeys.period(planId, year);
    let request: Record<string, KeysAndAttributes> = {
      [this.tables.submissions]: { Keys: [assignmentKey], ConsistentRead: true },
      // Only what a unit's page and grant use of the plan (not its recipients, bodies, calendar),
      // and the period whole: one projection serves both items of the plans table.
      [this.tables.plans]: {
        Keys: [planKey, periodKey],
        ConsistentRead: true,
        ProjectionExpression: PLANS_PROJECTION,
        ExpressionAttributeNames: PLANS_PROJECTION_NAMES,
      },
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
    const pick = <T>(key: { pk: string; sk: string }): T | undefined =>
      fromItem<T>(found.find((i) => i.pk === key.pk && i.sk === key.sk));
    return {
      assignment: pick<Assignment>(assignmentKey),
      plan: pick<LinkPlan>(planKey),
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
    const counted = linkCountParts(start.linkCount);
    sets.push(...counted.sets);
    Object.assign(values, counted.values);
    if (counted.condition) condition += ` AND ${counted.condition}`;
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
    const counted = linkCountParts(grant.linkCount);
    return this.conditionalUpdate({
      Key: submissionKeys.assignment(planId, year, unitId),
      UpdateExpression: `SET ${['#drafts.#n.#grants.#id = :upload', ...counted.sets].join(', ')} ADD #drafts.#n.#issued :one`,
      ConditionExpression: `attribute_exists(pk) AND linkVersion = :lv AND #drafts.#n.#createdAt >= :notBefore AND #drafts.#n.#issued < #drafts.#n.#expected AND attribute_not_exists(#drafts.#n.#grants.#id)${counted.condition ? ` AND ${counted.condition}` : ''}`,
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
        ...counted.values,
      },
    });
  }

  async countPresign(planId: string, year: number, unitId: string, count: LinkCount): Promise<boolean> {
    const counted = linkCountParts(count);
    return this.conditionalUpdate({
      Key: submissionKeys.assignment(planId, year, unitId),
      UpdateExpression: `SET ${counted.sets.join(', ')}`,
      ConditionExpression: `attribute_exists(pk) AND ${counted.condition}`,
      ExpressionAttributeValues: counted.values,
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
    const out = await whenConditionHolds(() =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tables.submissions,
          Key: submissionKeys.assignment(planId, year, unitId),
          UpdateExpression: 'ADD linkVersion :one',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':one': 1 },
          ReturnValues: 'UPDATED_NEW',
        }),
      ),
    );
    if (!out) {
      throw new NotFoundError(
        `No assignment of unit ${unitId} in period ${year} of ${planId}`,
        `Đơn vị "${unitId}" không thuộc kỳ báo cáo năm ${year} của kế hoạch "${planId}".`,
      );
    }
    return Number(out.Attributes?.linkVersion);
  }

  /** A conditional UpdateItem on the submissions table: false when the condition did not hold. */
  private async conditionalUpdate(input: UpdateInput): Promise<boolean> {
    const out = await whenConditionHolds(() =>
      this.client.send(new UpdateCommand({ TableName: this.tables.submissions, ...input })),
    );
    return out !== undefined;
  }
}

/**
 * What an UpdateItem on the assignment adds to count one presign ({@link LinkCount}): a window
 * read as earlier (or absent) is started at 1 while it is still earlier; the current one gets 1
 * more while under its limit. Either way a full window fails the whole write.
 */
function linkCountParts(count: LinkCount | undefined): {
  sets: string[];
  condition: string | undefined;
  values: Record<string, unknown>;
} {
  if (!count) return { sets: [], condition: undefined, values: {} };
  if (count.fresh) {
    return {
      sets: ['presignWindow = :pw', 'presignCount = :pone'],
      condition: '(attribute_not_exists(presignWindow) OR presignWindow < :pw)',
      values: { ':pw': count.window, ':pone': 1 },
    };
  }
  return {
    sets: ['presignCount = presignCount + :pone'],
    condition: 'presignWindow = :pw AND presignCount < :plimit',
    values: { ':pw': count.window, ':pone': 1, ':plimit': count.limit },
  };
}
