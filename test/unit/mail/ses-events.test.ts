import { beforeEach, describe, expect, it } from 'vitest';
import type { DeliveryStore } from '#shared/mail/ports.ts';
import {
  parseSesEvent,
  recordSesEvent,
  type SesEventDeps,
  taggedUnit,
  UnreadableSesEventError,
} from '#shared/mail/ses-events.ts';
import {
  bounceEvent,
  complaintEvent,
  deliveryDelayEvent,
  inSnsEnvelope,
  rejectEvent,
  unitTags,
} from '#test/support/ses-events.ts';

const PLAN = '12-kh-dus-2025';
const NOW = new Date('2026-12-08T02:00:00.000Z');
const TAGS = unitTags(PLAN, 2026, 'cb-buu-chinh');

interface Problem {
  planId: string;
  year: number;
  unitId: string;
  problem: string;
  at: string;
}

/**
 * The store's contract as DynamoDeliveryStore implements it (a conditional UpdateItem): only an
 * existing assignment, and never over a newer problem. The integration test runs the real one.
 */
class FakeProblems implements Pick<DeliveryStore, 'noteUnitProblem'> {
  readonly problems = new Map<string, Problem>();
  calls = 0;
  constructor(private readonly assigned: string[]) {}

  async noteUnitProblem(planId: string, year: number, unitId: string, problem: string, at: Date) {
    this.calls++;
    const key = `${planId}#${year}#${unitId}`;
    if (!this.assigned.includes(key)) return false;
    const previous = this.problems.get(key);
    if (previous && previous.at > at.toISOString()) return false;
    this.problems.set(key, { planId, year, unitId, problem, at: at.toISOString() });
    return true;
  }
}

const body = (event: unknown) => JSON.stringify(event);

describe('parseSesEvent', () => {
  it('reads a bounce notification with every field SES sends', () => {
    const event = parseSesEvent(body(bounceEvent({ tags: TAGS })));

    expect(event).toMatchObject({
      eventType: 'Bounce',
      bounce: {
        bounceType: 'Permanent',
        bounceSubType: 'General',
        bouncedRecipients: [
          {
            emailAddress: 'vanphong@cb-buu-chinh.example.vn',
            diagnosticCode: 'smtp; 550 5.1.1 user unknown',
          },
        ],
      },
    });
    expect(event.mail.tags).toMatchObject({ planId: [PLAN], year: ['2026'], unitId: ['cb-buu-chinh'] });
  });

  it('reads complaint, reject and delivery-delay notifications', () => {
    expect(parseSesEvent(body(complaintEvent())).eventType).toBe('Complaint');
    expect(parseSesEvent(body(rejectEvent())).eventType).toBe('Reject');
    expect(parseSesEvent(body(deliveryDelayEvent())).eventType).toBe('DeliveryDelay');
  });

  it('unwraps an event still in its SNS envelope (raw message delivery turned off)', () => {
    const event = parseSesEvent(body(inSnsEnvelope(bounceEvent({ tags: TAGS }))));

    expect(event.eventType).toBe('Bounce');
    expect(taggedUnit(event)).toEqual({ planId: PLAN, year: 2026, unitId: 'cb-buu-chinh', kind: 'reminder' });
  });

  it('takes an event without tags (an e-mail sent without them) as having none', () => {
    const event = bounceEvent();
    delete (event.mail as { tags?: unknown }).tags;

    expect(parseSesEvent(body(event)).mail.tags).toEqual({});
  });

  it.each([
    ['a body that is not JSON', 'Bounce: a@b.vn', /message body is not JSON/],
    ['an empty body', '', /message body is not JSON/],
    ['JSON that is not an object', '"Bounce"', /\(root\)/],
    ['null', 'null', /\(root\)/],
    [
      'an SNS envelope whose Message is not JSON',
      body({ Type: 'Notification', Message: '<xml/>' }),
      /Message is not JSON/,
    ],
    ['an event type SES does not route here', body({ ...bounceEvent(), eventType: 'Delivery' }), /eventType/],
    ['the old notification format (notificationType)', body({ notificationType: 'Bounce' }), /eventType/],
    ['an event without its mail object', body({ ...bounceEvent(), mail: undefined }), /mail/],
    ['a bounce without its bounce object', body({ eventType: 'Bounce', mail: {} }), /bounce/],
    ['an unknown bounce type', body(bounceEvent({ bounceType: 'Hard' })), /bounce\.bounceType/],
    [
      'recipients that are not a list',
      body({ ...bounceEvent(), bounce: { bounceType: 'Permanent', bouncedRecipients: 'a@b.vn' } }),
      /bounce\.bouncedRecipients/,
    ],
    [
      'tags that are not lists of strings',
      body(bounceEvent({ tags: { planId: PLAN } as never })),
      /mail\.tags\.planId/,
    ],
    ['a reject without its reason', body({ ...rejectEvent(), reject: {} }), /reject\.reason/],
  ])('refuses %s with an error naming the field', (_what, text, problem) => {
    expect(() => parseSesEvent(text)).toThrow(UnreadableSesEventError);
    expect(() => parseSesEvent(text)).toThrow(problem);
  });

  it('never puts the values it refuses (e-mail addresses) into the error', () => {
    const text = body({
      ...bounceEvent(),
      bounce: { bounceType: 'Permanent', bouncedRecipients: 'x@secret.vn' },
    });

    let error: unknown;
    try {
      parseSesEvent(text);
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(UnreadableSesEventError);
    expect((error as Error).message).not.toContain('secret');
  });
});

describe('taggedUnit', () => {
  const event = (tags: Record<string, string[]>) => parseSesEvent(body(bounceEvent({ tags })));

  it('reads plan, year, unit and kind from the tags the mailer set', () => {
    expect(taggedUnit(event(unitTags(PLAN, 2026, 'CB_01', 'link')))).toEqual({
      planId: PLAN,
      year: 2026,
      unitId: 'CB_01',
      kind: 'link',
    });
  });

  it.each([
    ['no tags of ours (committee mail, sign-in link)', {}],
    ['no unit', { planId: [PLAN], year: ['2026'] }],
    ['no year', { planId: [PLAN], unitId: ['cb-a'] }],
    ['a year that is not one', { ...unitTags(PLAN, 2026, 'cb-a'), year: ['20x6'] }],
    ['an empty value list', { ...unitTags(PLAN, 2026, 'cb-a'), unitId: [] }],
    ['a value SES could not have carried', { ...unitTags(PLAN, 2026, 'cb-a'), unitId: ['cb a/../b'] }],
    ['the committee as unit', unitTags(PLAN, 2026, 'committee')],
  ])('finds no unit with %s', (_what, tags) => {
    expect(taggedUnit(event(tags as Record<string, string[]>))).toBeUndefined();
  });
});

describe('recordSesEvent', () => {
  let store: FakeProblems;
  let deps: SesEventDeps;

  beforeEach(() => {
    store = new FakeProblems([`${PLAN}#2026#cb-buu-chinh`]);
    deps = { deliveries: store };
  });

  const record = (event: Record<string, unknown>, now = NOW) =>
    recordSesEvent(deps, parseSesEvent(body(event)), now);
  const recorded = () => store.problems.get(`${PLAN}#2026#cb-buu-chinh`);

  it('records a permanent bounce on the tagged unit, in Vietnamese, at the time of the bounce', async () => {
    const outcome = await record(bounceEvent({ tags: TAGS }));

    expect(outcome).toEqual({
      outcome: 'recorded',
      unit: { planId: PLAN, year: 2026, unitId: 'cb-buu-chinh', kind: 'reminder' },
      problem:
        'Thư bị trả lại (địa chỉ không nhận thư): vanphong@cb-buu-chinh.example.vn — smtp; 550 5.1.1 user unknown',
      at: '2026-12-08T01:01:02.669Z',
    });
    expect(recorded()).toMatchObject({ problem: outcome.outcome === 'recorded' ? outcome.problem : '' });
  });

  it.each([
    ['NoEmail', 'Thư bị trả lại (địa chỉ không tồn tại): '],
    ['Suppressed', 'Thư không được gửi (SES chặn địa chỉ này vì thư gửi đến đã nhiều lần bị trả lại): '],
    ['OnAccountSuppressionList', 'Thư không được gửi (địa chỉ nằm trong danh sách chặn của tài khoản SES): '],
    ['SomethingNew', 'Thư bị trả lại (địa chỉ không nhận thư): '],
    ['toString', 'Thư bị trả lại (địa chỉ không nhận thư): '],
  ])('names the permanent bounce subtype %s for people', async (bounceSubType, start) => {
    await record(bounceEvent({ tags: TAGS, bounceSubType }));

    expect(recorded()?.problem.startsWith(`${start}vanphong@cb-buu-chinh.example.vn`)).toBe(true);
  });

  it('names every bounced address (to and cc) once, and keeps the text at most 500 characters', async () => {
    const to = ['a@cb.example.vn', 'b@cb.example.vn', 'a@cb.example.vn'];
    await record(bounceEvent({ tags: TAGS, to, diagnosticCode: `smtp; 550 ${'x'.repeat(600)}` }));

    const problem = recorded()!.problem;
    expect(problem).toMatch(
      /^Thư bị trả lại \(địa chỉ không nhận thư\): a@cb\.example\.vn, b@cb\.example\.vn — smtp; 550 x+…$/,
    );
    expect(problem.length).toBeLessThanOrEqual(500);
  });

  it('records a complaint, and a complaint SES answered from the account suppression list', async () => {
    await record(complaintEvent({ tags: TAGS }));
    expect(recorded()?.problem).toBe(
      'Người nhận đã đánh dấu thư là thư rác: vanphong@cb-buu-chinh.example.vn',
    );

    await record(
      complaintEvent({ tags: TAGS, subType: 'OnAccountSuppressionList', at: '2026-12-08T01:30:00.000Z' }),
    );
    expect(recorded()?.problem).toBe(
      'Thư không được gửi (địa chỉ nằm trong danh sách chặn của tài khoản SES): vanphong@cb-buu-chinh.example.vn',
    );
  });

  it('records a reject at the time the e-mail was sent', async () => {
    const outcome = await record(rejectEvent({ tags: TAGS }));

    expect(outcome).toMatchObject({ outcome: 'recorded', at: '2026-12-08T01:00:02.012Z' });
    expect(recorded()?.problem).toBe('SES từ chối gửi thư (phát hiện virus trong thư)');
  });

  it.each([
    [
      'a transient bounce',
      bounceEvent({ tags: TAGS, bounceType: 'Transient', bounceSubType: 'MailboxFull' }),
      'not-permanent',
    ],
    ['an undetermined bounce', bounceEvent({ tags: TAGS, bounceType: 'Undetermined' }), 'not-permanent'],
    ['a delivery delay', deliveryDelayEvent({ tags: TAGS }), 'delivery-delay'],
    ['a "not spam" report', complaintEvent({ tags: TAGS, feedbackType: 'not-spam' }), 'not-spam'],
    ['a bounce of committee mail (no unit tags)', bounceEvent(), 'no-unit'],
    ['a bounce of a sign-in link', bounceEvent({ tags: { kind: ['sign-in'] } }), 'no-unit'],
  ])('ignores %s and writes nothing', async (_what, event, reason) => {
    const outcome = await record(event);

    expect(outcome).toMatchObject({ outcome: 'ignored', reason });
    expect(store.calls).toBe(0);
  });

  it('records nothing for a unit that has no assignment in that period', async () => {
    const outcome = await record(bounceEvent({ tags: unitTags(PLAN, 2026, 'cb-khong-co') }));
    const otherYear = await record(bounceEvent({ tags: unitTags(PLAN, 2031, 'cb-buu-chinh') }));

    expect(outcome).toEqual({
      outcome: 'ignored',
      reason: 'not-recorded',
      unit: { planId: PLAN, year: 2026, unitId: 'cb-khong-co', kind: 'reminder' },
    });
    expect(otherYear).toMatchObject({ outcome: 'ignored', reason: 'not-recorded' });
    expect(store.problems.size).toBe(0);
  });

  it('writes the same value when the same event arrives twice, even much later', async () => {
    const event = bounceEvent({ tags: TAGS });
    await record(event);
    const first = recorded();

    const again = await record(event, new Date('2026-12-20T00:00:00.000Z'));

    expect(again.outcome).toBe('recorded');
    expect(recorded()).toEqual(first);
  });

  it('keeps the newer problem when an older event arrives late', async () => {
    await record(complaintEvent({ tags: TAGS, at: '2026-12-08T01:30:00.000Z' }));

    const late = await record(bounceEvent({ tags: TAGS, at: '2026-12-08T01:01:02.669Z' }));

    expect(late).toMatchObject({ outcome: 'ignored', reason: 'not-recorded' });
    expect(recorded()?.problem).toMatch(/^Người nhận đã đánh dấu thư là thư rác/);
  });

  it.each([
    ['no time', undefined],
    ['a time that is not one', 'yesterday'],
    ['a time in the future', '2099-01-01T00:00:00.000Z'],
  ])('stamps an event with %s with the time it is recorded', async (_what, at) => {
    const event = bounceEvent({ tags: TAGS });
    (event.bounce as { timestamp?: string }).timestamp = at;

    const outcome = await record(event);

    expect(outcome).toMatchObject({ outcome: 'recorded', at: NOW.toISOString() });
  });
});
