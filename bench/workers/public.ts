/**
 * `POST /u/{token}/uploads` through `handlePublicRequest` (functions/public-api.ts) in this
 * process, against the emulators named in the environment, one request at a time; and the
 * anchors, with the same client to the same DynamoDB emulator: a bare GetItem round trip, and the
 * POST's floor (its four DynamoDB requests, bare, in its two round trips: {@link floorPost}).
 * `node public.mjs PLAN YEAR UNITS WARMUP COUNT [WRITERS]` →
 * `{ latencies, getItem, floor, getItemCpuMs, floorCpuMs, cpuMs, userMs, systemMs, wallMs, requests: { command: count }, roundTrips }`.
 */

import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { handlePublicRequest } from '#functions/public-api.ts';
import { createAuditLog } from '#functions/wiring/create-audit-deps.ts';
import { createUploadDeps } from '#functions/wiring/create-upload-deps.ts';
import { createRuntime } from '#functions/wiring/runtime.ts';
import { submissionKeys } from '#shared/adapters/dynamodb/submission-store.ts';
import { loadConfig } from '#shared/config.ts';
import { issueLinkToken, linkExpiresAt } from '#shared/uploads/link-token.ts';
import { unitId } from '../data.ts';

const [planArg, yearArg, unitsArg, warmupArg, countArg, writersArg] = process.argv.slice(2);
if (!planArg || !yearArg || !unitsArg || !warmupArg || !countArg) {
  throw new Error('usage: public PLAN YEAR UNITS WARMUP COUNT');
}
const planId: string = planArg;
const year = Number(yearArg);
const units = Number(unitsArg);
const warmup = Number(warmupArg);
const count = Number(countArg);
/**
 * Function instances taking turns (default 1). With 2, each POST goes to the other instance's
 * deps, whose audit log remembers a chain head the other has since moved: the cost of a lost
 * race for the chain's next position, every time.
 */
const writers = Number(writersArg ?? 1);

// The runtime the public function builds on a cold start; its DynamoDB client is counted.
const runtime = createRuntime(loadConfig());
const { config, dynamo: client } = runtime;
const requests = new Map<string, number>();
let counting = false;
// Sequential round trips: the times DynamoDB requests went from none in flight to one (requests
// sent while another is in flight share its round trip).
let inFlight = 0;
let roundTrips = 0;
client.middlewareStack.add(
  (next, context) => async (args) => {
    if (!counting) return next(args);
    const name = String(context.commandName ?? 'unknown').replace(/Command$/, '');
    requests.set(name, (requests.get(name) ?? 0) + 1);
    if (inFlight++ === 0) roundTrips++;
    try {
      return await next(args);
    } finally {
      inFlight--;
    }
  },
  { step: 'initialize', name: 'benchRequestCounter' },
);
const deps = createUploadDeps(runtime);
// Each further instance: its own audit log (its own remembered head), on the same counted client.
const instances = [
  deps,
  ...Array.from({ length: writers - 1 }, () => createUploadDeps(runtime, { audit: createAuditLog(runtime) })),
];
const period = await deps.plans.getPeriod(planId, year);
if (!period) throw new Error(`no period ${planId}/${year}`);
const key = await deps.keys.linkKey();
const tokens = Array.from({ length: units }, (_, i) =>
  issueLinkToken(key, {
    planId,
    year,
    unitId: unitId(i),
    linkVersion: 1,
    expiresAt: linkExpiresAt(period.closeDate, period.timeZone),
  }),
);

function event(i: number): APIGatewayProxyEventV2 {
  const token = tokens[i % units]!;
  const body = JSON.stringify({
    fileName: `Báo cáo năm ${year} (bản ${i}).pdf`,
    contentType: 'application/pdf',
    size: 2_000_000,
    fileCount: 1,
    notes: { '1': 'Đã hoàn thành các nhiệm vụ của kế hoạch.' },
  });
  return {
    version: '2.0',
    routeKey: 'ANY /u/{token}/{proxy+}',
    rawPath: `/u/${token}/uploads`,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', host: 'bench.local' },
    requestContext: {
      accountId: 'bench',
      apiId: 'bench',
      domainName: 'bench.local',
      domainPrefix: 'bench',
      http: {
        method: 'POST',
        path: `/u/${token}/uploads`,
        protocol: 'HTTP/1.1',
        // Each unit from its own address, as branches are: the per-IP limit (100 presigns in 5
        // minutes, shared/uploads/unit-limits.ts) is counted, never reached.
        sourceIp: `10.0.${Math.floor((i % units) / 250)}.${(i % units) % 250}`,
        userAgent: 'bench',
      },
      requestId: `r${i}`,
      routeKey: 'ANY /u/{token}/{proxy+}',
      stage: '$default',
      time: new Date().toISOString(),
      timeEpoch: Date.now(),
    },
    body,
    isBase64Encoded: false,
  };
}

async function post(i: number): Promise<number> {
  const started = performance.now();
  const result = await handlePublicRequest(event(i), instances[i % writers]!, config);
  const ms = performance.now() - started;
  if (result.statusCode !== 201) throw new Error(`POST answered ${result.statusCode}: ${result.body}`);
  return ms;
}

async function getItem(i: number): Promise<number> {
  const started = performance.now();
  const out = await client.send(
    new GetCommand({
      TableName: config.SUBMISSIONS_TABLE,
      Key: submissionKeys.assignment(planId, year, unitId(i % units)),
    }),
  );
  if (!out.Item) throw new Error('GetItem found nothing');
  return performance.now() - started;
}

/** A record-sized item (an `upload.granted` record is about this size, its hashes included). */
const FLOOR_RECORD = 'x'.repeat(600);
/** Each floor's record at a new position, as each append of the chain is. */
let floorSeq = 0;

/**
 * The floor of a POST: what any implementation of the grant as designed must send to DynamoDB,
 * bare, in the same two round trips: the unit's assignment read (GetItem) while the address's
 * counter is added to (UpdateItem); then a conditional UpdateItem of the assignment while a
 * record-sized item is put under the condition that its key is new (PutItem). The same client,
 * tables and items as the POST's; none of our code around them.
 */
async function floorPost(i: number): Promise<number> {
  const started = performance.now();
  const assignment = submissionKeys.assignment(planId, year, unitId(i % units));
  const [read] = await Promise.all([
    client.send(
      new GetCommand({ TableName: config.SUBMISSIONS_TABLE, Key: assignment, ConsistentRead: true }),
    ),
    client.send(
      new UpdateCommand({
        TableName: config.PLANS_TABLE,
        Key: { pk: `LIMIT#bench-floor#${i % units}`, sk: 'window' },
        UpdateExpression: 'ADD requests :one',
        ExpressionAttributeValues: { ':one': 1 },
      }),
    ),
  ]);
  if (!read.Item) throw new Error('GetItem found nothing');
  await Promise.all([
    client.send(
      new UpdateCommand({
        TableName: config.SUBMISSIONS_TABLE,
        Key: assignment,
        UpdateExpression: 'ADD benchFloor :one',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':one': 1 },
      }),
    ),
    client.send(
      new PutCommand({
        TableName: config.AUDIT_TABLE!,
        Item: { pk: `CHAIN#bench-floor`, sk: `REC#${process.pid}#${floorSeq++}`, record: FLOOR_RECORD },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    ),
  ]);
  return performance.now() - started;
}

for (let i = 0; i < warmup; i++) await getItem(i);
for (let i = 0; i < warmup; i++) await floorPost(i);
for (let i = 0; i < warmup; i++) await post(i);
const getItemMs: number[] = [];
const getItemCpu = process.cpuUsage();
for (let i = 0; i < count; i++) getItemMs.push(await getItem(i));
const getItemUsed = process.cpuUsage(getItemCpu);
// The floor: half before the POSTs, half after them, so that a drift of the machine's speed
// over the run weighs on both alike.
const floorMs: number[] = [];
let floorCpuMs = 0;
async function floorRuns(from: number, to: number): Promise<void> {
  const cpu = process.cpuUsage();
  for (let i = from; i < to; i++) floorMs.push(await floorPost(i));
  const used = process.cpuUsage(cpu);
  floorCpuMs += (used.user + used.system) / 1000;
}
await floorRuns(0, Math.floor(count / 2));
const latencies: number[] = [];
counting = true;
const cpu = process.cpuUsage();
const started = performance.now();
for (let i = warmup; i < warmup + count; i++) latencies.push(await post(i));
const wallMs = performance.now() - started;
const used = process.cpuUsage(cpu);
counting = false;
await floorRuns(Math.floor(count / 2), count);
console.log(
  JSON.stringify({
    latencies,
    getItem: getItemMs,
    floor: floorMs,
    getItemCpuMs: (getItemUsed.user + getItemUsed.system) / 1000,
    floorCpuMs,
    cpuMs: (used.user + used.system) / 1000,
    userMs: used.user / 1000,
    systemMs: used.system / 1000,
    wallMs,
    requests: Object.fromEntries(requests),
    roundTrips,
  }),
);
process.exit(0);
