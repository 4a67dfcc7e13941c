import type { SendEmailCommandInput } from '@aws-sdk/client-ses';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSesEventsHandler, handleSesEventBatch } from '#functions/ses-events.ts';
import { singleCommittee } from '#functions/wiring/committee-directory.ts';
import { createMailDeps } from '#functions/wiring/create-mail-deps.ts';
import { createSesEventsDeps, type SesEventsDeps } from '#functions/wiring/create-ses-events-deps.ts';
import { InProcessQueue } from '#local/queue.ts';
import { createSesClient, SesMailSender } from '#shared/adapters/ses/ses-mail-sender.ts';
import type { MailMessage } from '#shared/domain/mail-message.ts';
import { deliverMail } from '#shared/mail/deliver-mail.ts';
import { openPeriod, periodStatus } from '#shared/periods/periods.ts';
import { importUnits } from '#shared/units/units.ts';
import { fixedClock, startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { clearEmails, storedEmails } from '#test/support/mail.ts';
import { seedPlan } from '#test/support/planner.ts';
import {
  bounceEvent,
  complaintEvent,
  deliveryDelayEvent,
  inSnsEnvelope,
  unitTags,
} from '#test/support/ses-events.ts';

const PLAN = 'kh-ses-2025';
const YEAR = 2026;
const UNITS = [
  'id,name,email,cc',
  'cb-buu-chinh,Chi bộ Bưu chính,vanphong@cb-buu-chinh.example.vn,pho.bithu@cb-buu-chinh.example.vn',
  'cb-van-phong,Chi bộ Văn phòng,vanphong@cb-van-phong.example.vn,',
  'cb-thanh-tra,Chi bộ Thanh tra,thanhtra@cb-thanh-tra.example.vn,',
].join('\n');

let counter = 0;
const sqsEvent = (bodies: string[]): SQSEvent =>
  ({
    Records: bodies.map((body) => ({
      messageId: `m-${++counter}`,
      body,
      receiptHandle: 'r',
      attributes: {},
    })),
  }) as unknown as SQSEvent;

/** What `baocao status` and the dashboard show: the unit's e-mail problem, through the same service. */
async function problemOf(stack: TestStack, unitId: string) {
  const status = await periodStatus(stack.deps, PLAN, YEAR);
  return status.rows.find((r) => r.unitId === unitId)?.mailProblem;
}

describe('ses-events: SES bounces and complaints recorded on the units, against dynalite', () => {
  let stack: TestStack;
  let deps: SesEventsDeps;
  const clock = fixedClock('2026-12-08T02:00:00Z');

  beforeAll(async () => {
    stack = await startTestStack({ clock });
    await importUnits(stack.deps, UNITS);
    await seedPlan(stack, PLAN, null);
    clock.set('2026-11-15T02:00:00Z');
    await openPeriod(stack.deps, { planId: PLAN, year: YEAR });
    clock.set('2026-12-08T02:00:00Z');
    deps = createSesEventsDeps(stack.runtime, { clock });
  });
  afterAll(async () => {
    await stack.stop();
  });

  it("records a permanent bounce through the deployed handler, visible in the unit's status", async () => {
    // Prepare: SES's bounce notification of a reminder to cb-buu-chinh, as raw SNS delivery puts it on the queue.
    const body = JSON.stringify(bounceEvent({ tags: unitTags(PLAN, YEAR, 'cb-buu-chinh') }));
    // Act: the Powertools-wrapped handler as deployed, built over this stack's runtime.
    const handler = createSesEventsHandler(() => singleCommittee(createSesEventsDeps(stack.runtime)));
    const response = (await handler(sqsEvent([body]), {
      awsRequestId: 'test',
      functionName: 'ses-events',
    } as Context)) as SQSBatchResponse;
    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(await problemOf(stack, 'cb-buu-chinh')).toEqual({
      at: '2026-12-08T01:01:02.669Z',
      problem:
        'Thư bị trả lại (địa chỉ không nhận thư): vanphong@cb-buu-chinh.example.vn — smtp; 550 5.1.1 user unknown',
    });
    expect(await problemOf(stack, 'cb-van-phong')).toBeNull();
  });

  it('records the same event delivered twice once, and an older event never over a newer problem', async () => {
    const complaint = JSON.stringify(
      complaintEvent({
        tags: unitTags(PLAN, YEAR, 'cb-thanh-tra'),
        to: ['thanhtra@cb-thanh-tra.example.vn'],
      }),
    );
    const olderBounce = JSON.stringify(
      bounceEvent({
        tags: unitTags(PLAN, YEAR, 'cb-thanh-tra'),
        to: ['thanhtra@cb-thanh-tra.example.vn'],
        at: '2026-12-08T00:30:00.000Z',
      }),
    );

    await handleSesEventBatch(sqsEvent([complaint]), singleCommittee(deps));
    const first = await problemOf(stack, 'cb-thanh-tra');
    clock.set('2026-12-09T02:00:00Z');
    const again = await handleSesEventBatch(sqsEvent([complaint, olderBounce]), singleCommittee(deps));

    expect(again.batchItemFailures).toEqual([]);
    expect(first).toEqual({
      at: '2026-12-08T01:01:02.669Z',
      problem: 'Người nhận đã đánh dấu thư là thư rác: thanhtra@cb-thanh-tra.example.vn',
    });
    expect(await problemOf(stack, 'cb-thanh-tra')).toEqual(first);
  });

  it('ignores transient bounces, delays, committee mail and unknown units, and records the rest of the batch', async () => {
    const tags = unitTags(PLAN, YEAR, 'cb-van-phong');
    const response = await handleSesEventBatch(
      sqsEvent([
        JSON.stringify(bounceEvent({ tags, bounceType: 'Transient', bounceSubType: 'MailboxFull' })),
        JSON.stringify(deliveryDelayEvent({ tags })),
        JSON.stringify(bounceEvent()),
        JSON.stringify(bounceEvent({ tags: unitTags(PLAN, YEAR, 'cb-khong-co') })),
        JSON.stringify(bounceEvent({ tags: unitTags(PLAN, 2031, 'cb-van-phong') })),
      ]),
      singleCommittee(deps),
    );

    expect(response.batchItemFailures).toEqual([]);
    expect(await problemOf(stack, 'cb-van-phong')).toBeNull();
    const status = await periodStatus(stack.deps, PLAN, YEAR);
    expect(status.rows.map((r) => r.unitId)).toEqual(['cb-buu-chinh', 'cb-thanh-tra', 'cb-van-phong']);
  });

  it('accepts an event still wrapped in its SNS envelope', async () => {
    const body = JSON.stringify(
      inSnsEnvelope(
        bounceEvent({
          tags: unitTags(PLAN, YEAR, 'cb-van-phong'),
          to: ['vanphong@cb-van-phong.example.vn'],
          bounceSubType: 'NoEmail',
        }),
      ),
    );

    const response = await handleSesEventBatch(sqsEvent([body]), singleCommittee(deps));

    expect(response.batchItemFailures).toEqual([]);
    expect((await problemOf(stack, 'cb-van-phong'))?.problem).toMatch(
      /^Thư bị trả lại \(địa chỉ không tồn tại\): vanphong@cb-van-phong\.example\.vn/,
    );
  });

  it('sends unreadable messages to the dead-letter queue after 5 receives, and records the good ones', async () => {
    // Prepare: the local stand-in of the queue and its redrive policy (5 receives).
    const queue = new InProcessQueue({
      name: 'ses-events-test',
      consumer: (event) => handleSesEventBatch(event, singleCommittee(deps)),
      maxReceiveCount: 5,
      retryDelayMs: 5,
    });
    const garbage = [
      'not json at all',
      '{"eventType":"Bounce","mail":{"tags":"cb-a"}}',
      '{"Type":"Notification"}',
    ];
    const good = JSON.stringify(
      bounceEvent({ tags: unitTags(PLAN, YEAR, 'cb-buu-chinh'), at: '2026-12-08T01:45:00.000Z' }),
    );
    // Act
    await queue.send([...garbage, good]);
    await queue.drain();
    // Assess
    expect(queue.deadLetters.map((d) => d.body).sort()).toEqual([...garbage].sort());
    expect((await problemOf(stack, 'cb-buu-chinh'))?.at).toBe('2026-12-08T01:45:00.000Z');
  });

  it('closes the loop: the tags the mailer sends to SES are the ones the consumer finds the unit by', async () => {
    // Prepare: the real SES client against the emulator, recording the SendEmail input it sends.
    await clearEmails(stack.mailUrl);
    const client = createSesClient(stack.config);
    const inputs: SendEmailCommandInput[] = [];
    client.middlewareStack.add(
      (next) => async (args) => {
        inputs.push(args.input as SendEmailCommandInput);
        return next(args);
      },
      { step: 'initialize', name: 'recordInput' },
    );
    const bodies: string[] = [];
    client.middlewareStack.add(
      (next) => async (args) => {
        bodies.push(String((args.request as { body?: unknown }).body));
        return next(args);
      },
      { step: 'finalizeRequest', name: 'recordWire' },
    );
    const mailDeps = createMailDeps(stack.runtime, { sender: new SesMailSender(client), clock });
    const message: MailMessage = {
      template: 'reminder',
      key: `${PLAN}#${YEAR}#cb-van-phong#reminder-7`,
      planId: PLAN,
      year: YEAR,
      unitId: 'cb-van-phong',
      to: ['vanphong@cb-van-phong.example.vn'],
      cc: [],
      data: {
        planNumber: 'KH-SES-KH/ĐUS',
        planTitle: 'Kế hoạch thử',
        unitName: 'Chi bộ Văn phòng',
        step: -7,
        deadline: '2026-12-15',
        extended: false,
        closeDate: '2027-01-14',
        uploadUrl: 'http://127.0.0.1/u/abc',
      },
    };
    // Act: send (the emulator accepts the tagged e-mail), then SES bounces it.
    const outcome = await deliverMail(mailDeps, message, 'msg-loop');
    const tags = Object.fromEntries((inputs[0]?.Tags ?? []).map((t) => [t.Name!, [t.Value!]]));
    clock.set('2026-12-10T02:00:00Z');
    await handleSesEventBatch(
      sqsEvent([
        JSON.stringify(
          bounceEvent({
            tags,
            to: message.to,
            at: '2026-12-10T01:00:00.000Z',
            bounceSubType: 'OnAccountSuppressionList',
          }),
        ),
      ]),
      singleCommittee(deps),
    );
    // Assess: on the wire as SES's query protocol has them, and recorded on the unit.
    expect(outcome).toBe('sent');
    expect(await storedEmails(stack.mailUrl)).toHaveLength(1);
    expect(inputs[0]?.Tags).toEqual([
      { Name: 'planId', Value: PLAN },
      { Name: 'year', Value: '2026' },
      { Name: 'unitId', Value: 'cb-van-phong' },
      { Name: 'kind', Value: 'reminder' },
    ]);
    expect(bodies[0]).toContain('Tags.member.1.Name=planId');
    expect(bodies[0]).toContain(`Tags.member.1.Value=${PLAN}`);
    expect(bodies[0]).toContain('Tags.member.3.Value=cb-van-phong');
    expect(await problemOf(stack, 'cb-van-phong')).toEqual({
      at: '2026-12-10T01:00:00.000Z',
      problem:
        'Thư không được gửi (địa chỉ nằm trong danh sách chặn của tài khoản SES): vanphong@cb-van-phong.example.vn — smtp; 550 5.1.1 user unknown',
    });
  });
});
