import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { LocalStack } from '#local/stack.ts';
import { createDynamoDocumentClient } from '#shared/adapters/aws-clients.ts';
import { submissionKeys } from '#shared/adapters/dynamodb/submission-store.ts';
import { isOnTime } from '#shared/domain/calendar.ts';
import type { MailMessage } from '#shared/domain/mail-message.ts';
import type { Plan, ReportingCalendar } from '#shared/domain/plan.ts';
import type { UploadLinks } from '#shared/periods/ports.ts';
import { defaultCalendar } from '#shared/plans/plans.ts';
import type { MailQueue } from '#shared/ports.ts';

/**
 * An in-memory MailQueue that only records what the planner enqueues. It stands in for SQS in
 * the planner's tests because delivery itself (claim, send once, retries) is tested in
 * mailer.test.ts; the end-to-end cases use the stack's real in-process queue and mailer.
 */
export class CapturingMailQueue implements MailQueue {
  readonly messages: MailMessage[] = [];

  async enqueue(messages: MailMessage[]): Promise<void> {
    this.messages.push(...messages);
  }

  /** Returns and forgets what was captured so far. */
  take(): MailMessage[] {
    return this.messages.splice(0);
  }
}

/** Sends every message to all the given queues (capture and deliver at once). */
export function teeQueue(...queues: MailQueue[]): MailQueue {
  return { enqueue: async (messages) => void (await Promise.all(queues.map((q) => q.enqueue(messages)))) };
}

/** Deterministic upload links (the signed ones come from shared/links). */
export const testLinks: UploadLinks = {
  urlFor: async (a, p) => `http://baocao.test/u/${p.planId}.${p.year}.${a.unitId}.v${a.linkVersion}`,
};

/** `<unitId> <step>` of a message, e.g. `cb-05 reminder-7` or `committee digest-2026-12-14`. */
export function shortKey(m: { key: string }): string {
  const [, , unitId, step] = m.key.split('#');
  return `${unitId} ${step}`;
}

/**
 * Records a unit's report the way the recording function does (status from the arrival time
 * against the unit's own deadline in the committee's zone, one file) — recording is its own
 * capability; the planner only reads the result.
 */
export async function recordSubmission(
  stack: LocalStack,
  planId: string,
  year: number,
  unitId: string,
  at: string,
): Promise<void> {
  const period = await stack.deps.plans.getPeriod(planId, year);
  const assignment = await stack.deps.submissions.getAssignment(planId, year, unitId);
  if (!period || !assignment) throw new Error(`no assignment ${planId}/${year}/${unitId}`);
  const onTime = isOnTime(at, assignment.extendedDeadline ?? period.deadline, period.timeZone);
  const client = createDynamoDocumentClient(stack.config);
  await client.send(
    new UpdateCommand({
      TableName: stack.config.SUBMISSIONS_TABLE,
      Key: submissionKeys.assignment(planId, year, unitId),
      UpdateExpression:
        'SET #status = :status, submittedAt = :at, versionCounter = :one, latestVersion = :one, files = :files',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':status': onTime ? 'on_time' : 'late',
        ':at': new Date(at).toISOString(),
        ':one': 1,
        ':files': [
          {
            uploadId: `up-${unitId}`,
            fileName: 'bao-cao.pdf',
            key: `reports/${planId}/${year}/${unitId}/up-${unitId}`,
            size: 1234,
            contentType: 'application/pdf',
            sha256: '0'.repeat(64),
          },
        ],
      },
    }),
  );
  client.destroy();
}

/** A plan stored directly (no document), addressed to the given units only. */
export async function seedPlan(
  stack: LocalStack,
  id: string,
  unitIds: string[] | null,
  calendar: Partial<ReportingCalendar> = {},
): Promise<Plan> {
  const plan: Plan = {
    id,
    number: `${id.toUpperCase()}-KH/ĐUS`,
    date: '2025-03-01',
    title: `Kế hoạch thử ${id}`,
    issuer: 'Đảng ủy Sở',
    superior: null,
    taskGroups: [{ number: '1', title: 'Nhiệm vụ một', body: '' }],
    recipients: ['Các chi bộ trực thuộc'],
    reportingFrequency: 'yearly',
    calendar: { ...defaultCalendar('Asia/Ho_Chi_Minh'), ...calendar },
    recipientUnitIds: unitIds,
    sourceFileName: `${id}.txt`,
    importedAt: '2025-03-01T00:00:00.000Z',
    updatedAt: '2025-03-01T00:00:00.000Z',
  };
  await stack.deps.plans.putPlan(plan);
  return plan;
}

/** A units CSV of `cb-01`… with addresses at example.org. */
export function unitsCsv(ids: string[]): string {
  return ['id,name,email', ...ids.map((id) => `${id},Chi bộ ${id.toUpperCase()},${id}@example.org`)].join(
    '\n',
  );
}

/** `cb-01` … `cb-NN` for from..to. */
export function unitIds(prefix: string, from: number, to: number): string[] {
  return Array.from({ length: to - from + 1 }, (_, i) => `${prefix}-${String(from + i).padStart(2, '0')}`);
}

/** 08:00 in Ho Chi Minh City on a date (the hour the daily cron runs the planner). */
export const at8 = (date: string): Date => new Date(`${date}T08:00:00+07:00`);

/**
 * A committee's plan of the default calendar (opens 15/11, −14 reminder on 01/12, deadline 15/12),
 * to every unit: the planner fan-out tests give each committee one.
 */
export function committeePlan(id: string): Plan {
  return {
    id,
    number: `${id.toUpperCase()}-KH/ĐU`,
    date: '2025-03-01',
    title: `Kế hoạch thử ${id}`,
    issuer: 'Đảng ủy',
    superior: null,
    taskGroups: [{ number: '1', title: 'Nhiệm vụ một', body: '' }],
    recipients: ['Các chi bộ trực thuộc'],
    reportingFrequency: 'yearly',
    calendar: defaultCalendar('Asia/Ho_Chi_Minh'),
    recipientUnitIds: null,
    sourceFileName: `${id}.txt`,
    importedAt: '2025-03-01T00:00:00.000Z',
    updatedAt: '2025-03-01T00:00:00.000Z',
  };
}
