/**
 * FAKE FOR FAST USE-CASE TESTS: the SubmissionStore of
 * shared/adapters/dynamodb/submission-store.ts over an in-memory table (./table.ts), same keys,
 * conditions and paging. The real adapter is tested against dynalite in test/integration;
 * ./store-contracts.ts runs one suite on both.
 */
import { submissionKeys } from '#shared/adapters/dynamodb/submission-store.ts';
import type { Assignment, Withdrawal } from '#shared/domain/period.ts';
import type { SubmissionStore } from '#shared/ports.ts';
import { type MemoryTable, withoutKeys } from './table.ts';

export class MemorySubmissionStore implements SubmissionStore {
  constructor(private readonly table: MemoryTable) {}

  async createAssignment(assignment: Assignment): Promise<boolean> {
    try {
      this.table.put(
        {
          ...submissionKeys.assignment(assignment.planId, assignment.year, assignment.unitId),
          type: 'assignment',
          ...assignment,
        },
        (current) => current === undefined,
      );
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  async getAssignment(planId: string, year: number, unitId: string): Promise<Assignment | undefined> {
    return withoutKeys<Assignment>(this.table.get(submissionKeys.assignment(planId, year, unitId)));
  }

  async listAssignments(planId: string, year: number): Promise<Assignment[]> {
    return this.table
      .queryAll(submissionKeys.periodPk(planId, year), 'UNIT#')
      .map((i) => withoutKeys<Assignment>(i)!);
  }

  /** Each page is read when the caller asks for it, as the adapter's Query pages are. */
  async *assignmentPages(planId: string, year: number, pageSize?: number): AsyncIterable<Assignment[]> {
    let startAfter: string | undefined;
    do {
      const page = this.table.query(submissionKeys.periodPk(planId, year), 'UNIT#', {
        limit: pageSize || undefined,
        startAfter,
      });
      if (page.items.length > 0) yield page.items.map((i) => withoutKeys<Assignment>(i)!);
      startAfter = page.lastSk;
    } while (startAfter !== undefined);
  }

  async markAnnounced(planId: string, year: number, unitId: string, at: string): Promise<boolean> {
    return this.table.tryUpdate(
      submissionKeys.assignment(planId, year, unitId),
      // attribute_exists(pk) AND NOT attribute_type(announcedAt, S): absent or null.
      (item) => item !== undefined && typeof item.announcedAt !== 'string',
      (item) => {
        item.announcedAt = at;
      },
    );
  }

  async setExtendedDeadline(
    planId: string,
    year: number,
    unitId: string,
    until: string | null,
  ): Promise<boolean> {
    return this.table.tryUpdate(
      submissionKeys.assignment(planId, year, unitId),
      (item) => item !== undefined,
      (item) => {
        item.extendedDeadline = until;
      },
    );
  }

  async updateContact(
    planId: string,
    year: number,
    unitId: string,
    contact: { unitName: string; email: string; cc: string[] },
    clearMailProblem: boolean,
  ): Promise<boolean> {
    return this.table.tryUpdate(
      submissionKeys.assignment(planId, year, unitId),
      (item) => item !== undefined,
      (item) => {
        item.unitName = contact.unitName;
        item.email = contact.email;
        item.cc = contact.cc;
        if (clearMailProblem) delete item.mailProblem;
      },
    );
  }

  async setWithdrawn(
    planId: string,
    year: number,
    unitId: string,
    withdrawn: Withdrawal | null,
  ): Promise<boolean> {
    return this.table.tryUpdate(
      submissionKeys.assignment(planId, year, unitId),
      (item) => item !== undefined,
      (item) => {
        item.withdrawn = withdrawn;
      },
    );
  }
}
