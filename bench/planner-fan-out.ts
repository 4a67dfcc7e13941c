/**
 * Part of group `planner`: the daily run fanned out over 1,000 committees × 50 units in one
 * deployment (issue 14, docs/tenancy.md), against the DynamoDB emulator. The tick queries the
 * registry and queues one message per committee; the planner handles them in batches of five
 * (functions/planner.ts `handlePlannerBatch`), each committee in its own scope. Nine units in ten
 * have reported, so each committee's run is small; every DynamoDB request is counted on the SDK
 * client under the scoped ones, with the committee and unit its key names.
 */
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { handlePlannerBatch } from '#functions/planner.ts';
import { committeeDirectory } from '#functions/wiring/committee-directory.ts';
import { createDeps } from '#functions/wiring/create-deps.ts';
import { createPlannerDeps } from '#functions/wiring/create-planner-deps.ts';
import { createRegistryDeps } from '#functions/wiring/create-registry-deps.ts';
import { scopeRuntime } from '#functions/wiring/runtime.ts';
import { PLANNER_BATCH_SIZE } from '#infra/constructs/reminders.ts';
import { runLocalTick } from '#local/invoke-planner.ts';
import { submissionKeys } from '#shared/adapters/dynamodb/submission-store.ts';
import type { MailMessage } from '#shared/domain/mail-message.ts';
import type { Assignment, Period } from '#shared/domain/period.ts';
import type { Plan } from '#shared/domain/plan.ts';
import { defaultCalendar } from '#shared/plans/plans.ts';
import type { PlannerMessage } from '#shared/tenancy/planner-fan-out.ts';
import { addCommittee, listCommittees } from '#shared/tenancy/registry.ts';
import { startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { unitId, unitName } from './data.ts';
import {
  type BenchContext,
  fmtMs,
  fmtNumber,
  type GroupResult,
  info,
  mapLimit,
  type Row,
} from './support.ts';

/** 1,000 (issue 14); `BAOCAO_BENCH_COMMITTEES` makes a quick trial run smaller. */
const COMMITTEES = Number(process.env.BAOCAO_BENCH_COMMITTEES ?? 1_000);
const UNITS = 50;
const PLAN = 'kh-fan-out';
const YEAR = 2026;
/** 08:00 in Hanoi on 12/12/2026: three days before the deadline, a reminder day; a Saturday (no digest). */
const TICK_AT = new Date('2026-12-12T01:00:00Z');
const isReported = (i: number) => i % 10 !== 9;
const committeeId = (c: number) => `cu-${String(c).padStart(4, '0')}`;

/** Counts requests by operation, and which (committee, unit) pairs their keys name. */
class RequestCounter {
  on = false;
  readonly byCommand = new Map<string, number>();
  readonly byUnit = new Map<string, number>();

  constructor(client: DynamoDBDocumentClient) {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (this.on) {
          const command = String(context.commandName ?? 'unknown').replace(/Command$/, '');
          this.byCommand.set(command, (this.byCommand.get(command) ?? 0) + 1);
          const input = args.input as { Key?: unknown; Item?: unknown };
          const text = JSON.stringify(input.Key ?? input.Item ?? null);
          const committee = /C#(cu-\d{4})#/.exec(text)?.[1] ?? 'root';
          for (const id of new Set(text.match(/cb-\d{6}/g) ?? [])) {
            const k = `${committee}/${id}`;
            this.byUnit.set(k, (this.byUnit.get(k) ?? 0) + 1);
          }
        }
        return next(args);
      },
      { step: 'initialize', name: 'benchFanOutCounter' },
    );
  }

  total(): number {
    return [...this.byCommand.values()].reduce((a, b) => a + b, 0);
  }

  reset(): void {
    this.byCommand.clear();
    this.byUnit.clear();
  }
}

export async function runPlannerFanOut(ctx: BenchContext): Promise<GroupResult> {
  ctx.log('fan-out: starting the emulators…');
  const stack = await startTestStack({ s3Events: false });
  try {
    const seedMs = await seed(stack, ctx);
    const client = stack.runtime.dynamo;
    const counter = new RequestCounter(client);
    const mails: MailMessage[] = [];

    ctx.log('fan-out: the tick…');
    const messages: PlannerMessage[] = [];
    counter.on = true;
    await runLocalTick(stack.runtime, { enqueue: async (b) => void messages.push(...b) }, TICK_AT);
    counter.on = false;
    const tickCommands = new Map(counter.byCommand);
    const tickTotal = counter.total();
    counter.reset();

    ctx.log(`fan-out: ${fmtNumber(messages.length)} committees' runs in batches of ${PLANNER_BATCH_SIZE}…`);
    const directory = committeeDirectory(
      { ...stack.runtime, mailQueue: { enqueue: async (b) => void mails.push(...b) } },
      (r) => createPlannerDeps(r, { clock: { now: () => new Date(TICK_AT) } }),
      { max: 16 },
    );
    let failed = 0;
    counter.on = true;
    const started = performance.now();
    for (let i = 0; i < messages.length; i += PLANNER_BATCH_SIZE) {
      const result = await handlePlannerBatch(sqsEvent(messages.slice(i, i + PLANNER_BATCH_SIZE)), directory);
      failed += result.batchItemFailures.length;
    }
    const runMs = performance.now() - started;
    counter.on = false;

    const pendingPerCommittee = Array.from({ length: UNITS }, (_, i) => i).filter(
      (i) => !isReported(i),
    ).length;
    const pending = COMMITTEES * pendingPerCommittee;
    const total = counter.total();
    const commands = [...counter.byCommand].map(([c, n]) => `${c} ${n}`).join(', ');
    const reportedNamed = [...counter.byUnit].filter(([k]) => isReported(Number(k.slice(-6))));
    const pendingMax = Math.max(
      0,
      ...[...counter.byUnit].filter(([k]) => !isReported(Number(k.slice(-6)))).map(([, n]) => n),
    );
    const scans = (counter.byCommand.get('Scan') ?? 0) + (tickCommands.get('Scan') ?? 0);
    const reminders = mails.filter((m) => m.template === 'reminder').length;
    const perCommittee = total / messages.length;
    const rows: Row[] = [
      {
        what: `fan-out tick over ${fmtNumber(COMMITTEES)} committees: DynamoDB requests`,
        figure: `${fmtNumber(tickTotal)} (${[...tickCommands].map(([c, n]) => `${c} ${n}`).join(', ')})`,
        anchor: '–',
        ratio: '–',
        target: '1 Query page per 1 MB of committees',
        ok:
          tickTotal === (tickCommands.get('Query') ?? 0) &&
          tickTotal <= 1 + Math.floor((COMMITTEES * 250) / 1_000_000),
      },
      {
        what: 'fan-out: messages sent (one per committee, the first committee included)',
        figure: fmtNumber(messages.length),
        anchor: '–',
        ratio: '–',
        target: fmtNumber(COMMITTEES + 1),
        ok:
          messages.length === COMMITTEES + 1 &&
          new Set(messages.map((m) => m.committeeId)).size === messages.length,
      },
      {
        what: `fan-out runs, ${fmtNumber(COMMITTEES)} × ${UNITS} units, ${fmtNumber(pending)} pending: DynamoDB requests`,
        figure: `${fmtNumber(total)} (${commands})`,
        anchor: '–',
        ratio: '–',
        target: '–',
        ok: failed === 0,
      },
      info(
        '  requests per committee run (its deps, plans, periods, assignments, audit)',
        fmtNumber(perCommittee, 2),
      ),
      {
        what: '  requests per pending unit (all requests / pending units)',
        figure: fmtNumber(total / pending, 2),
        anchor: '–',
        ratio: '–',
        target: '≤ 3',
        ok: total / pending <= 3 && pendingMax <= 2,
      },
      {
        what: '  requests naming a reported unit',
        figure: fmtNumber(reportedNamed.length),
        anchor: '–',
        ratio: '–',
        target: '0',
        ok: reportedNamed.length === 0,
      },
      {
        what: '  Scan requests (tick and runs)',
        figure: fmtNumber(scans),
        anchor: '–',
        ratio: '–',
        target: '0',
        ok: scans === 0,
      },
      {
        what: '  reminders queued (one per pending unit), runs failed',
        figure: `${fmtNumber(reminders)}, ${failed}`,
        anchor: '–',
        ratio: '–',
        target: `${fmtNumber(pending)}, 0`,
        ok: reminders === pending && failed === 0,
      },
      info(
        '  committees per second on the emulator',
        `${fmtNumber(messages.length / (runMs / 1000), 1)}/s (${fmtMs(runMs)})`,
      ),
    ];
    const notes = [
      `Fan-out: seeded (${fmtMs(seedMs)}, not measured) ${fmtNumber(COMMITTEES)} committees registered with \`addCommittee\` in the registry, each with one plan, an open period (deadline 15/12/2026, its "opened" e-mails recorded as queued) and ${UNITS} assignments in its own scope (\`C#<id>#\` keys), nine in ten reported; the first committee has no plan. The tick (functions/planner-tick.ts through \`runLocalTick\`) and the planner's batches (\`handlePlannerBatch\`, ${PLANNER_BATCH_SIZE} records each, a directory of committees' deps as a warm planner keeps them) run in this process at 08:00 on 12/12/2026 (Hanoi); e-mails are only collected. The per-committee requests are fixed: the committee and its parent links (its scoped deps), its plans, its periods, one page of assignments, the audit record of the day's reminders and the digest's look-ups.`,
    ];
    return { rows, notes };
  } finally {
    await stack.stop();
  }
}

function sqsEvent(messages: PlannerMessage[]): SQSEvent {
  return {
    Records: messages.map((m, i) => ({
      messageId: `m-${i}-${m.committeeId}`,
      receiptHandle: `r-${i}`,
      body: JSON.stringify(m),
      attributes: {} as never,
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:ap-southeast-1:000000000000:planner',
      awsRegion: 'ap-southeast-1',
    })),
  };
}

async function seed(stack: TestStack, ctx: BenchContext): Promise<number> {
  const started = performance.now();
  ctx.log(`fan-out: seeding ${fmtNumber(COMMITTEES)} committees × ${UNITS} assignments…`);
  const registry = createRegistryDeps(stack.runtime);
  // The first committee registers itself on the deployment's first read: done once, not measured.
  await listCommittees(registry);
  const client = stack.runtime.dynamo;
  let done = 0;
  await mapLimit(
    Array.from({ length: COMMITTEES }, (_, c) => c),
    4,
    async (c) => {
      const committee = await addCommittee(registry, {
        id: committeeId(c),
        name: `Đảng ủy ${c}`,
        by: 'bench',
      });
      const deps = createDeps(scopeRuntime(stack.runtime, committee));
      await deps.plans.putPlan(plan());
      if (!(await deps.plans.createPeriod(period()))) throw new Error('period exists');
      const prefix = `C#${committee.id}#`;
      const items = Array.from({ length: UNITS }, (_, i) => {
        const item = assignmentItem(i);
        return { ...item, pk: `${prefix}${item.pk as string}` };
      });
      for (let i = 0; i < items.length; i += 25) {
        let requests = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
        for (let attempt = 0; requests.length > 0; attempt++) {
          if (attempt > 10) throw new Error('BatchWriteItem kept returning unprocessed items');
          const out = await client.send(
            new BatchWriteCommand({ RequestItems: { [stack.config.SUBMISSIONS_TABLE]: requests } }),
          );
          requests = (out.UnprocessedItems?.[stack.config.SUBMISSIONS_TABLE] ?? []) as typeof requests;
        }
      }
      if (++done % 200 === 0) ctx.log(`fan-out: ${done} committees seeded`);
    },
  );
  return performance.now() - started;
}

function plan(): Plan {
  return {
    id: PLAN,
    number: '30-KH/ĐU',
    date: '2025-03-01',
    title: 'Kế hoạch thử',
    issuer: 'Đảng ủy',
    superior: null,
    taskGroups: [{ number: '1', title: 'Nhiệm vụ một', body: '' }],
    recipients: ['Các chi bộ trực thuộc'],
    reportingFrequency: 'yearly',
    calendar: defaultCalendar('Asia/Ho_Chi_Minh'),
    recipientUnitIds: null,
    sourceFileName: 'kh.txt',
    importedAt: '2025-03-01T00:00:00.000Z',
    updatedAt: '2025-03-01T00:00:00.000Z',
  };
}

function period(): Period {
  return {
    planId: PLAN,
    year: YEAR,
    openDate: '2026-11-15',
    deadline: '2026-12-15',
    closeDate: '2027-01-14',
    timeZone: 'Asia/Ho_Chi_Minh',
    status: 'open',
    openedAt: '2026-11-15T01:00:00.000Z',
    openedMailsQueuedAt: '2026-11-15T01:00:05.000Z',
  };
}

function assignmentItem(i: number): Record<string, unknown> {
  const id = unitId(i);
  const reported = isReported(i);
  const assignment: Assignment = {
    planId: PLAN,
    year: YEAR,
    unitId: id,
    unitName: unitName(i),
    email: `u${i}@example.org`,
    cc: [],
    linkVersion: 1,
    extendedDeadline: null,
    status: reported ? 'on_time' : 'missing',
    submittedAt: reported ? '2026-11-20T03:00:00.000Z' : null,
    versionCounter: reported ? 1 : 0,
    latestVersion: reported ? 1 : 0,
    files: reported
      ? [
          {
            uploadId: `up${i}`,
            fileName: 'bao-cao.pdf',
            key: `reports/${PLAN}/${YEAR}/${id}/up${i}`,
            size: 2_000_000,
            contentType: 'application/pdf',
            sha256: i.toString(16).padStart(64, '0'),
          },
        ]
      : [],
    mailProblem: null,
  };
  return { ...submissionKeys.assignment(PLAN, YEAR, id), type: 'assignment', ...assignment };
}
