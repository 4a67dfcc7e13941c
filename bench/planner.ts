/**
 * Group `planner`: one committee's daily run over an open period of 10,000 units of which 9,000
 * have reported, on the day of the 3-days-before reminder, against the DynamoDB emulator (then
 * the run fanned out over 1,000 committees: bench/planner-fan-out.ts).
 * Every DynamoDB request is counted by a middleware on the SDK client (with the key it names);
 * the anchor is a bare paged Query of the same partition on the same client.
 */
import { BatchWriteCommand, type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createPlannerDeps } from '#functions/wiring/create-planner-deps.ts';
import { createDynamoDocumentClient } from '#shared/adapters/aws-clients.ts';
import { submissionKeys } from '#shared/adapters/dynamodb/submission-store.ts';
import type { MailMessage } from '#shared/domain/mail-message.ts';
import type { Assignment, Period } from '#shared/domain/period.ts';
import { runPlanner as plannerTick } from '#shared/periods/run-planner.ts';
import { startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { seedPlan } from '#test/support/planner.ts';
import { unitId, unitName } from './data.ts';
import { runPlannerFanOut } from './planner-fan-out.ts';
import {
  type BenchContext,
  fmtMs,
  fmtNumber,
  fmtRatio,
  type GroupResult,
  info,
  mapLimit,
  type Row,
} from './support.ts';

const UNITS = 10_000;
const PLAN = 'bench-planner';
const YEAR = 2026;
/** 08:00 in Hanoi on 12/12/2026: three days before the deadline, a reminder day; a Saturday (no digest). */
const TICK_AT = new Date('2026-12-12T01:00:00Z');

const isReported = (i: number) => i % 10 !== 9;

/** Counts the requests a client sends while `on`, by operation, and which units their keys name. */
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
          const named = JSON.stringify(input.Key ?? input.Item ?? null).match(/cb-\d{6}/g) ?? [];
          for (const id of new Set(named)) this.byUnit.set(id, (this.byUnit.get(id) ?? 0) + 1);
        }
        return next(args);
      },
      { step: 'initialize', name: 'benchRequestCounter' },
    );
  }

  total(): number {
    return [...this.byCommand.values()].reduce((a, b) => a + b, 0);
  }
}

export async function runPlanner(ctx: BenchContext): Promise<GroupResult> {
  const one = await runOneCommittee(ctx);
  // The daily run fanned out over 1,000 committees of one deployment (issue 14).
  const many = await runPlannerFanOut(ctx);
  return { rows: [...one.rows, ...many.rows], notes: [...one.notes, ...many.notes] };
}

async function runOneCommittee(ctx: BenchContext): Promise<GroupResult> {
  ctx.log('starting the emulators…');
  const stack = await startTestStack({ s3Events: false });
  try {
    const seedMs = await seed(stack, ctx);
    const client = stack.runtime.dynamo;
    const counter = new RequestCounter(client);
    const messages: MailMessage[] = [];
    const deps = createPlannerDeps(stack.runtime, {
      mailQueue: { enqueue: async (batch) => void messages.push(...batch) },
      clock: { now: () => new Date(TICK_AT) },
    });

    ctx.log('bare paged Query, planner tick, bare paged Query…');
    const before = await bareQuery(client, stack.config.SUBMISSIONS_TABLE);
    counter.on = true;
    const started = performance.now();
    const summary = await plannerTick(deps, TICK_AT);
    const tickMs = performance.now() - started;
    counter.on = false;
    const after = await bareQuery(client, stack.config.SUBMISSIONS_TABLE);
    if (summary.failures.length > 0)
      throw new Error(`planner failures: ${JSON.stringify(summary.failures[0])}`);
    const anchorMs = (before.ms + after.ms) / 2;

    const pending = UNITS - Array.from({ length: UNITS }, (_, i) => i).filter(isReported).length;
    const total = counter.total();
    const commands = [...counter.byCommand].map(([c, n]) => `${c} ${n}`).join(', ');
    const reportedNamed = [...counter.byUnit].filter(([id]) => isReported(Number(id.slice(3))));
    const pendingMax = Math.max(
      0,
      ...[...counter.byUnit].filter(([id]) => !isReported(Number(id.slice(3)))).map(([, n]) => n),
    );
    const scans = counter.byCommand.get('Scan') ?? 0;
    const reminders = messages.filter((m) => m.template === 'reminder').length;
    const rows: Row[] = [
      {
        what: `planner tick, ${fmtNumber(UNITS)} units, ${fmtNumber(pending)} pending: DynamoDB requests`,
        figure: `${fmtNumber(total)} (${commands})`,
        anchor: `bare Query ${before.pages} pages`,
        ratio: fmtRatio(total / before.pages),
        target: `≤ ${fmtNumber(2 * pending)}`,
        ok: total <= 2 * pending,
      },
      {
        what: 'requests per pending unit',
        figure: fmtNumber(total / pending, 3),
        anchor: '–',
        ratio: '–',
        target: '≤ 2',
        ok: total / pending <= 2 && pendingMax <= 2,
      },
      {
        what: 'requests naming a reported unit',
        figure: fmtNumber(reportedNamed.length),
        anchor: '–',
        ratio: '–',
        target: '0',
        ok: reportedNamed.length === 0,
      },
      {
        what: 'Scan requests',
        figure: fmtNumber(scans),
        anchor: '–',
        ratio: '–',
        target: '0',
        ok: scans === 0,
      },
      {
        what: 'reminders queued (one per pending unit)',
        figure: fmtNumber(reminders),
        anchor: '–',
        ratio: '–',
        target: fmtNumber(pending),
        ok: reminders === pending,
      },
      info(
        'planner tick: units per second on the emulator',
        `${fmtNumber(UNITS / (tickMs / 1000))}/s (${fmtMs(tickMs)})`,
        `bare paged Query ${fmtMs(anchorMs)}`,
        fmtRatio(tickMs / anchorMs),
      ),
    ];
    const notes = [
      `Seeded directly (${fmtMs(seedMs)}, not measured): a plan with the default calendar (reminders at −14, −7, −3, −1, +1, +7 days), an open period (deadline 15/12/2026, its "opened" e-mails recorded as queued) and ${fmtNumber(UNITS)} assignments written with BatchWriteItem, nine in ten reported. The tick runs \`runPlanner\` in this process at 08:00 on 12/12/2026 (Hanoi) with the real signed upload links and a mail queue that only collects; a middleware on the SDK client counts every request and the unit ids its key or item names. The anchor Query reads the same assignment partition page by page (1 MB pages, ${before.pages} of them) with the same client, once before and once after the tick (${fmtMs(before.ms)}, ${fmtMs(after.ms)}). On AWS a Query page of 1 MB takes tens of milliseconds; dynalite (JavaScript, LevelDB in memory) is the slow part here.`,
    ];
    return { rows, notes };
  } finally {
    await stack.stop();
  }
}

async function seed(stack: TestStack, ctx: BenchContext): Promise<number> {
  const started = performance.now();
  ctx.log(`seeding ${fmtNumber(UNITS)} assignments with BatchWriteItem…`);
  await seedPlan(stack, PLAN, null);
  const period: Period = {
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
  if (!(await stack.deps.plans.createPeriod(period))) throw new Error('period exists');
  const client = createDynamoDocumentClient(stack.config);
  const items = Array.from({ length: UNITS }, (_, i) => assignmentItem(i));
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  await mapLimit(batches, 4, async (batch) => {
    let requests = batch.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt > 10) throw new Error('BatchWriteItem kept returning unprocessed items');
      const out = await client.send(
        new BatchWriteCommand({ RequestItems: { [stack.config.SUBMISSIONS_TABLE]: requests } }),
      );
      requests = (out.UnprocessedItems?.[stack.config.SUBMISSIONS_TABLE] ?? []) as typeof requests;
    }
  });
  return performance.now() - started;
}

function assignmentItem(i: number): Record<string, unknown> {
  const id = unitId(i);
  const reported = isReported(i);
  const submittedAt = reported ? new Date(Date.UTC(2026, 10, 20) + i * 60_000).toISOString() : null;
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
    submittedAt,
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

/** Reads the period's assignments page by page, as the planner does, doing nothing with them. */
async function bareQuery(
  client: DynamoDBDocumentClient,
  table: string,
): Promise<{ ms: number; pages: number }> {
  const started = performance.now();
  let pages = 0;
  let items = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': submissionKeys.periodPk(PLAN, YEAR), ':prefix': 'UNIT#' },
        ExclusiveStartKey: startKey,
      }),
    );
    pages++;
    items += page.Items?.length ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  if (items !== UNITS) throw new Error(`bare Query read ${items} assignments, expected ${UNITS}`);
  return { ms: performance.now() - started, pages };
}
