/**
 * Group `period-page`: the committee's period page (`GET /admin/plans/{planId}/{year}`) for a
 * period of 1,000 units, through `handleAdminRequest` in this process with a real session,
 * against the DynamoDB emulator. Every DynamoDB request is counted by a middleware on the SDK
 * client (with the unit ids its key names); the anchor is a bare paged Query of the same
 * assignments on the same client, timed in the same rounds.
 */
import { gzipSync } from 'node:zlib';
import { BatchWriteCommand, type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { HttpRequest } from '#functions/http/request.ts';
import { handleAdminRequest } from '#functions/web/admin-app.ts';
import { renderPeriodPage } from '#functions/web/period-pages.ts';
import { createAdminDeps } from '#functions/wiring/create-admin-deps.ts';
import { submissionKeys } from '#shared/adapters/dynamodb/submission-store.ts';
import type { Assignment, Period } from '#shared/domain/period.ts';
import { periodStatus } from '#shared/periods/periods.ts';
import { fixedClock, startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { seedPlan } from '#test/support/planner.ts';
import { signIn } from '#test/support/sign-in.ts';
import { unitId, unitName } from './data.ts';
import {
  atMost,
  type BenchContext,
  fmtBytes,
  fmtMs,
  fmtNumber,
  fmtRatio,
  type GroupResult,
  info,
  KIB,
  mapLimit,
  median,
  type Row,
  ratioAtMost,
} from './support.ts';

const UNITS = 1_000;
const PLAN = 'bench-period-page';
const YEAR = 2026;
/** 10:00 in Hanoi on 20/12/2026: five days after the deadline, the period still open. */
const NOW = '2026-12-20T03:00:00Z';
const ROUNDS = 9;
/**
 * The server may take this many times a bare paged Query of the same assignments: the page makes
 * that Query, a fixed few small reads (the session, the plan, then the period, the exports) and
 * renders every unit's row; no part of it grows with the units but the Query and the rows.
 */
const MAX_TIME_RATIO = 3;
/** Largest page, gzipped, that a phone on a slow connection should wait for. */
const MAX_GZIPPED_BYTES = 150 * KIB;

/** 60% on time, 20% late, 20% missing; one in 50 with a bounced address, one in 25 extended. */
const statusOf = (i: number): Assignment['status'] =>
  i % 10 < 6 ? 'on_time' : i % 10 < 8 ? 'late' : 'missing';

/** Counts the requests a client sends while `on`, by operation, and those whose key names a unit. */
class RequestCounter {
  on = false;
  readonly byCommand = new Map<string, number>();
  naming = 0;

  constructor(client: DynamoDBDocumentClient) {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (this.on) {
          const command = String(context.commandName ?? 'unknown').replace(/Command$/, '');
          this.byCommand.set(command, (this.byCommand.get(command) ?? 0) + 1);
          const input = args.input as { Key?: unknown; Item?: unknown; ExpressionAttributeValues?: unknown };
          if (/cb-\d{6}/.test(JSON.stringify([input.Key, input.Item, input.ExpressionAttributeValues]))) {
            this.naming++;
          }
        }
        return next(args);
      },
      { step: 'initialize', name: 'benchPeriodPageCounter' },
    );
  }

  reset(): void {
    this.byCommand.clear();
    this.naming = 0;
  }

  total(): number {
    return [...this.byCommand.values()].reduce((a, b) => a + b, 0);
  }
}

export async function runPeriodPage(ctx: BenchContext): Promise<GroupResult> {
  ctx.log('starting the emulators…');
  const stack = await startTestStack({ s3Events: false, clock: fixedClock(NOW) });
  try {
    const seedMs = await seed(stack, ctx);
    const session = await signIn(stack, 'vanphong@demo.baocao.example');
    const deps = createAdminDeps(stack.runtime);
    const client = stack.runtime.dynamo;
    const counter = new RequestCounter(client);
    const [cookieName, cookieValue] = session.cookie.split('=') as [string, string];
    const request: HttpRequest = {
      method: 'GET',
      path: `/admin/plans/${PLAN}/${YEAR}`,
      headers: {},
      cookies: { [cookieName]: cookieValue },
      query: '',
      body: '',
      sourceIp: '127.0.0.1',
    };

    ctx.log(`warming up, then ${ROUNDS} rounds of a bare paged Query and the page…`);
    for (let i = 0; i < 2; i++) {
      await bareQuery(client, stack.config.SUBMISSIONS_TABLE);
      await handleAdminRequest(request, deps);
    }
    const queryMs: number[] = [];
    const pageMs: number[] = [];
    let pages = 0;
    let body = '';
    for (let round = 0; round < ROUNDS; round++) {
      const query = await bareQuery(client, stack.config.SUBMISSIONS_TABLE);
      queryMs.push(query.ms);
      pages = query.pages;
      counter.reset();
      counter.on = true;
      const started = performance.now();
      const res = await handleAdminRequest(request, deps);
      pageMs.push(performance.now() - started);
      counter.on = false;
      if (res.statusCode !== 200) throw new Error(`the period page answered ${res.statusCode}`);
      body = String(res.body);
    }
    const rowsShown = body.match(/<tr data-unit-id=/g)?.length ?? 0;
    if (rowsShown !== UNITS) throw new Error(`the page shows ${rowsShown} units, expected ${UNITS}`);

    // Rendering alone (no I/O): the same status, rendered again.
    const status = await periodStatus(deps.core, PLAN, YEAR);
    const page = {
      committeeName: deps.committeeName,
      timeZone: deps.timeZone,
      session: { email: 'vanphong@demo.baocao.example', csrf: session.csrf, role: 'admin' as const },
    };
    const renderMs: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const started = performance.now();
      renderPeriodPage(status, page, { today: '2026-12-20', filter: 'all', exports: [] });
      renderMs.push(performance.now() - started);
    }

    const raw = Buffer.byteLength(body);
    const gzipped = gzipSync(body).length;
    const total = counter.total();
    const commands = [...counter.byCommand].map(([c, n]) => `${c} ${n}`).join(', ');
    const page50 = median(pageMs);
    const query50 = median(queryMs);
    const fixed = 5;
    const rows: Row[] = [
      {
        what: `period page, ${fmtNumber(UNITS)} units: DynamoDB requests`,
        figure: `${fmtNumber(total)} (${commands})`,
        anchor: `bare Query ${pages} page${pages === 1 ? '' : 's'}`,
        ratio: fmtRatio(total / pages),
        target: `≤ pages + ${fixed}`,
        ok: total <= pages + fixed,
      },
      {
        what: 'requests naming a unit',
        figure: fmtNumber(counter.naming),
        anchor: '–',
        ratio: '–',
        target: '0',
        ok: counter.naming === 0,
      },
      ratioAtMost(
        `period page, ${fmtNumber(UNITS)} units: server time (median of ${ROUNDS})`,
        page50,
        { label: 'bare paged Query', value: query50 },
        MAX_TIME_RATIO,
        fmtMs,
      ),
      info(
        'of which rendering the HTML (no I/O)',
        fmtMs(median(renderMs)),
        `page ${fmtMs(page50)}`,
        fmtRatio(median(renderMs) / page50),
      ),
      atMost('period page HTML, gzipped', gzipped, MAX_GZIPPED_BYTES, fmtBytes, { label: 'raw', value: raw }),
    ];
    const notes = [
      `Seeded directly (${fmtMs(seedMs)}, not measured): a plan, an open period (deadline 15/12/2026, closes 14/01/2027) and ${fmtNumber(UNITS)} assignments written with BatchWriteItem: 60% on time, 20% late, 20% not reported, each reported one with its file; one in 50 with a bounced address, one in 25 with an extension. The page is asked at 10:00 on 20/12/2026 (Hanoi), signed in as the committee, through \`handleAdminRequest\` in this process (the admin function's handler without API Gateway's event mapping), unfiltered: every unit with its actions, the chart and the exports. A middleware on the SDK client counts every request and whether its key or values name a unit id; the page must read the assignments with the paged Query alone (the same as the anchor), plus a fixed few (the session, the plan, the period, the exports). The anchor Query reads the same partition page by page (1 MB pages) on the same client, alternating with the page in each round; the target is a ratio to it (≤ ${fmtRatio(MAX_TIME_RATIO)}). The HTML is measured as sent and gzipped (level 6): what a phone downloads behind a compressing front.`,
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
  const items = Array.from({ length: UNITS }, (_, i) => assignmentItem(i));
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  await mapLimit(batches, 4, async (batch) => {
    let requests = batch.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt > 10) throw new Error('BatchWriteItem kept returning unprocessed items');
      const out = await stack.runtime.dynamo.send(
        new BatchWriteCommand({ RequestItems: { [stack.config.SUBMISSIONS_TABLE]: requests } }),
      );
      requests = (out.UnprocessedItems?.[stack.config.SUBMISSIONS_TABLE] ?? []) as typeof requests;
    }
  });
  return performance.now() - started;
}

function assignmentItem(i: number): Record<string, unknown> {
  const id = unitId(i);
  const status = statusOf(i);
  const reported = status !== 'missing';
  // On-time reports spread over the month before the deadline, late ones over the days after it.
  const day =
    status === 'on_time'
      ? Date.UTC(2026, 10, 15) + (i % 31) * 86_400_000
      : Date.UTC(2026, 11, 16) + (i % 4) * 86_400_000;
  const assignment: Assignment = {
    planId: PLAN,
    year: YEAR,
    unitId: id,
    unitName: unitName(i),
    email: `u${i}@example.org`,
    cc: [],
    linkVersion: 1,
    extendedDeadline: i % 25 === 0 ? '2026-12-22' : null,
    status,
    submittedAt: reported ? new Date(day + 3 * 3_600_000).toISOString() : null,
    versionCounter: reported ? 1 : 0,
    latestVersion: reported ? 1 : 0,
    files: reported
      ? [
          {
            uploadId: `1-${i.toString(16).padStart(32, '0')}`,
            fileName: `Báo cáo năm 2026 - đơn vị ${i}.pdf`,
            key: `reports/${PLAN}/${YEAR}/${id}/1-${i.toString(16).padStart(32, '0')}`,
            size: 2_000_000,
            contentType: 'application/pdf',
            sha256: i.toString(16).padStart(64, '0'),
          },
        ]
      : [],
    mailProblem:
      i % 50 === 0
        ? {
            at: '2026-11-16T01:00:00.000Z',
            problem: `Thư bị trả lại (địa chỉ không tồn tại): u${i}@example.org`,
          }
        : null,
  };
  return { ...submissionKeys.assignment(PLAN, YEAR, id), type: 'assignment', ...assignment };
}

/** Reads the period's assignments page by page, as the page does, doing nothing with them. */
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
