import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Assignment, Withdrawal } from '#shared/domain/period.ts';
import type { SubmissionStore } from '#shared/ports.ts';
import { DynamoItemStore, withoutKeys } from './item-store.ts';

/**
 * Keys of the submissions table, as documented in docs/data-model.md: every item of a period
 * lives in the partition `PERIOD#<planId>#<year>`. The one place these formulas are written.
 */
const periodPk = (planId: string, year: number) => `PERIOD#${planId}#${year}`;
const versionPrefix = (unitId: string) => `VERSION#${unitId}#`;

export const submissionKeys = {
  periodPk,
  assignment: (planId: string, year: number, unitId: string) => ({
    pk: periodPk(planId, year),
    sk: `UNIT#${unitId}`,
  }),
  /** `VERSION#<unitId>#<version zero-padded to 6>`, so a unit's versions sort in order. */
  version: (planId: string, year: number, unitId: string, version: number) => ({
    pk: periodPk(planId, year),
    sk: `${versionPrefix(unitId)}${String(version).padStart(6, '0')}`,
  }),
  versionPrefix,
};

/** SubmissionStore on DynamoDB. */
export class DynamoSubmissionStore extends DynamoItemStore implements SubmissionStore {
  async createAssignment(assignment: Assignment): Promise<boolean> {
    return this.putIfAbsent({
      ...submissionKeys.assignment(assignment.planId, assignment.year, assignment.unitId),
      type: 'assignment',
      ...assignment,
    });
  }

  async getAssignment(planId: string, year: number, unitId: string): Promise<Assignment | undefined> {
    return this.getItem<Assignment>(submissionKeys.assignment(planId, year, unitId));
  }

  async listAssignments(planId: string, year: number): Promise<Assignment[]> {
    return this.queryPrefix<Assignment>(submissionKeys.periodPk(planId, year), 'UNIT#');
  }

  async *assignmentPages(planId: string, year: number, pageSize?: number): AsyncIterable<Assignment[]> {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': submissionKeys.periodPk(planId, year), ':prefix': 'UNIT#' },
          ExclusiveStartKey: startKey,
          ...(pageSize ? { Limit: pageSize } : {}),
        }),
      );
      const items = (page.Items ?? []) as Record<string, unknown>[];
      if (items.length > 0) yield items.map(toAssignment);
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }

  async markAnnounced(planId: string, year: number, unitId: string, at: string): Promise<boolean> {
    return this.conditionalUpdate({
      Key: submissionKeys.assignment(planId, year, unitId),
      UpdateExpression: 'SET announcedAt = :at',
      // Absent or null: not announced yet. The first announcement's instant stays.
      ConditionExpression: 'attribute_exists(pk) AND NOT attribute_type(announcedAt, :string)',
      ExpressionAttributeValues: { ':at': at, ':string': 'S' },
    });
  }

  async setExtendedDeadline(
    planId: string,
    year: number,
    unitId: string,
    until: string | null,
  ): Promise<boolean> {
    return this.conditionalUpdate({
      Key: submissionKeys.assignment(planId, year, unitId),
      UpdateExpression: 'SET extendedDeadline = :until',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':until': until },
    });
  }

  async updateContact(
    planId: string,
    year: number,
    unitId: string,
    contact: { unitName: string; email: string; cc: string[] },
    clearMailProblem: boolean,
  ): Promise<boolean> {
    return this.conditionalUpdate({
      Key: submissionKeys.assignment(planId, year, unitId),
      UpdateExpression: `SET unitName = :name, email = :email, cc = :cc${clearMailProblem ? ' REMOVE mailProblem' : ''}`,
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: {
        ':name': contact.unitName,
        ':email': contact.email,
        ':cc': contact.cc,
      },
    });
  }

  async setWithdrawn(
    planId: string,
    year: number,
    unitId: string,
    withdrawn: Withdrawal | null,
  ): Promise<boolean> {
    return this.conditionalUpdate({
      Key: submissionKeys.assignment(planId, year, unitId),
      UpdateExpression: 'SET withdrawn = :withdrawn',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':withdrawn': withdrawn },
    });
  }
}

function toAssignment(item: Record<string, unknown>): Assignment {
  const rest = withoutKeys(item);
  return rest as unknown as Assignment;
}
