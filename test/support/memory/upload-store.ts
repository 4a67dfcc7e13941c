/**
 * FAKE FOR FAST USE-CASE TESTS: the UploadStore of shared/adapters/dynamodb/upload-store.ts over
 * the in-memory tables (./table.ts): the link's three items read at once with the same projection
 * of the plan and the period, and the grant's one conditional write on the assignment (a new
 * draft, or one more grant in a draft, and the link's presign counter) with the same conditions. Not reproduced: the warm
 * function's plan cache (`planCacheMs`), whose reads would be the same items. The real adapter
 * is tested against dynalite in test/integration; ./store-contracts.ts runs one suite on both.
 */
import { planKeys } from '#shared/adapters/dynamodb/plan-store.ts';
import { submissionKeys } from '#shared/adapters/dynamodb/submission-store.ts';
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
import {
  addNumber,
  attributeExists,
  compare,
  type Item,
  type MemoryTables,
  removePath,
  setPath,
  validationException,
  valueAt,
  withoutKeys,
} from './table.ts';

/** The adapter's projection of the plans table's two items (the port's lists). */
const PROJECTION: readonly string[] = ['pk', 'sk', ...LINK_PLAN_FIELDS, ...PERIOD_FIELDS];

function project(item: Item | undefined): Item | undefined {
  if (!item) return undefined;
  return Object.fromEntries(Object.entries(item).filter(([name]) => PROJECTION.includes(name)));
}

export class MemoryUploadStore implements UploadStore {
  constructor(private readonly tables: MemoryTables) {}

  async readLinkContext(planId: string, year: number, unitId: string): Promise<LinkContext> {
    return {
      assignment: withoutKeys<Assignment>(
        this.tables.submissions.get(submissionKeys.assignment(planId, year, unitId)),
      ),
      plan: withoutKeys<LinkPlan>(project(this.tables.plans.get(planKeys.plan(planId)))),
      period: withoutKeys<Period>(project(this.tables.plans.get(planKeys.period(planId, year)))),
    };
  }

  async startDraft(planId: string, year: number, unitId: string, start: StartDraft): Promise<boolean> {
    const { draft } = start;
    const n = String(draft.version);
    if (start.hasDrafts && start.dropDrafts.some((v) => String(v) === n)) {
      // SET drafts.#n … REMOVE drafts.#n in one UpdateItem.
      throw validationException('Invalid UpdateExpression: Two document paths overlap with each other');
    }
    return this.tables.submissions.tryUpdate(
      submissionKeys.assignment(planId, year, unitId),
      (item) =>
        item !== undefined &&
        compare(item.linkVersion, '=', draft.linkVersion) &&
        compare(item.versionCounter, '=', start.previousCounter) &&
        attributeExists(item, 'drafts') === start.hasDrafts &&
        hasRoom(item, start.linkCount),
      (item) => {
        count(item, start.linkCount);
        item.versionCounter = draft.version;
        item.uploadDay = start.day;
        item.versionsOnDay = start.versionsOnDay;
        if (start.hasDrafts) {
          setPath(item, ['drafts', n], draft);
          for (const version of start.dropDrafts) removePath(item, ['drafts', String(version)]);
        } else {
          item.drafts = { [n]: draft };
        }
      },
    );
  }

  async addGrant(planId: string, year: number, unitId: string, grant: AddGrant): Promise<boolean> {
    const n = String(grant.version);
    return this.tables.submissions.tryUpdate(
      submissionKeys.assignment(planId, year, unitId),
      (item) =>
        item !== undefined &&
        compare(item.linkVersion, '=', grant.linkVersion) &&
        compare(valueAt(item, 'drafts', n, 'createdAt'), '>=', grant.createdNotBefore) &&
        compare(valueAt(item, 'drafts', n, 'issued'), '<', valueAt(item, 'drafts', n, 'expectedFiles')) &&
        !attributeExists(item, 'drafts', n, 'grants', grant.uploadId) &&
        hasRoom(item, grant.linkCount),
      (item) => {
        count(item, grant.linkCount);
        setPath(item, ['drafts', n, 'grants', grant.uploadId], grant.upload);
        addNumber(item, ['drafts', n, 'issued'], 1);
      },
    );
  }

  async countPresign(planId: string, year: number, unitId: string, linkCount: LinkCount): Promise<boolean> {
    return this.tables.submissions.tryUpdate(
      submissionKeys.assignment(planId, year, unitId),
      (item) => item !== undefined && hasRoom(item, linkCount),
      (item) => count(item, linkCount),
    );
  }

  async recentVersions(
    planId: string,
    year: number,
    unitId: string,
    limit: number,
  ): Promise<SubmissionVersion[]> {
    const page = this.tables.submissions.query(
      submissionKeys.periodPk(planId, year),
      submissionKeys.versionPrefix(unitId),
      { descending: true, limit },
    );
    return page.items.map((i) => withoutKeys<SubmissionVersion>(i)!);
  }

  async bumpLinkVersion(planId: string, year: number, unitId: string): Promise<number> {
    let linkVersion = 0;
    const bumped = this.tables.submissions.tryUpdate(
      submissionKeys.assignment(planId, year, unitId),
      (item) => item !== undefined,
      (item) => {
        linkVersion = addNumber(item, ['linkVersion'], 1);
      },
    );
    if (!bumped) {
      throw new NotFoundError(
        `No assignment of unit ${unitId} in period ${year} of ${planId}`,
        `Đơn vị "${unitId}" không thuộc kỳ báo cáo năm ${year} của kế hoạch "${planId}".`,
      );
    }
    return linkVersion;
  }
}

/** The adapter's condition on the link's presign counter (no LinkCount: always). */
function hasRoom(item: Item | undefined, linkCount: LinkCount | undefined): boolean {
  if (!linkCount) return true;
  if (linkCount.fresh) {
    return !attributeExists(item, 'presignWindow') || compare(item!.presignWindow, '<', linkCount.window);
  }
  return (
    compare(item?.presignWindow, '=', linkCount.window) && compare(item?.presignCount, '<', linkCount.limit)
  );
}

/** The adapter's update of the counter: a fresh window starts at 1, the current one gets 1 more. */
function count(item: Item, linkCount: LinkCount | undefined): void {
  if (!linkCount) return;
  if (linkCount.fresh) {
    item.presignWindow = linkCount.window;
    item.presignCount = 1;
  } else addNumber(item, ['presignCount'], 1);
}
