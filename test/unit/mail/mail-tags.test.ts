import { describe, expect, it } from 'vitest';
import { sesMessageTags } from '#shared/adapters/ses/ses-mail-sender.ts';
import { type MailMessage, parseMailMessage } from '#shared/domain/mail-message.ts';
import { unitMailTags } from '#shared/domain/mail-tags.ts';
import { deliverMail, type MailDeps, refusalProblem } from '#shared/mail/deliver-mail.ts';
import type { DeliveryStore, OutgoingMail } from '#shared/mail/ports.ts';

function reminder(overrides: Partial<{ planId: string; unitId: string; year: number }> = {}): MailMessage {
  const planId = overrides.planId ?? '30-kh-duk-2022';
  const unitId = overrides.unitId ?? 'cb-van-phong';
  const year = overrides.year ?? 2026;
  return parseMailMessage({
    template: 'reminder',
    key: `${planId}#${year}#${unitId}#reminder-7`,
    planId,
    year,
    unitId,
    to: ['cb.a@example.org'],
    data: {
      planNumber: '30-KH/ĐUK',
      planTitle: 'Đổi mới công tác tư tưởng',
      unitName: 'Chi bộ Văn phòng',
      step: -7,
      deadline: '2026-12-15',
      closeDate: '2027-01-14',
      uploadUrl: 'https://baocao.example/u/abc',
    },
  });
}

describe('unitMailTags', () => {
  it('tags a unit e-mail with its plan, year, unit and template', () => {
    expect(unitMailTags(reminder())).toEqual({
      planId: '30-kh-duk-2022',
      year: '2026',
      unitId: 'cb-van-phong',
      kind: 'reminder',
    });
  });

  it('tags ids made of letters, digits, "_" and "-" as they are', () => {
    expect(unitMailTags(reminder({ unitId: 'CB_01-Van_Phong' }))?.unitId).toBe('CB_01-Van_Phong');
  });

  it('does not tag committee mail', () => {
    expect(unitMailTags({ ...reminder(), unitId: 'committee' })).toBeUndefined();
  });

  it.each([
    ['a plan id with a character SES refuses', { planId: '30-KH/ĐUK' }],
    ['a unit id with a space', { unitId: 'cb van phong' }],
    ['a unit id longer than 256 characters', { unitId: 'u'.repeat(257) }],
  ])('leaves untagged, rather than rewrite, %s', (_what, overrides) => {
    expect(unitMailTags(reminder(overrides))).toBeUndefined();
  });
});

describe('sesMessageTags (SES SendEmail Tags)', () => {
  it('passes every tag as Name/Value', () => {
    expect(sesMessageTags({ planId: '30-kh-duk-2022', year: '2026', unitId: 'cb-a', kind: 'link' })).toEqual([
      { Name: 'planId', Value: '30-kh-duk-2022' },
      { Name: 'year', Value: '2026' },
      { Name: 'unitId', Value: 'cb-a' },
      { Name: 'kind', Value: 'link' },
    ]);
  });

  it('drops each tag SES would refuse (it refuses the whole e-mail for one), keeping the others', () => {
    expect(
      sesMessageTags({
        ok: 'yes',
        'bad name': 'x',
        'ses:configuration-set': 'x',
        empty: '',
        accents: 'Đảng-ủy',
        long: 'v'.repeat(257),
        longest: 'v'.repeat(256),
      }),
    ).toEqual([
      { Name: 'ok', Value: 'yes' },
      { Name: 'longest', Value: 'v'.repeat(256) },
    ]);
  });

  it('sends no tags for a mail without them', () => {
    expect(sesMessageTags(undefined)).toEqual([]);
  });
});

describe('deliverMail', () => {
  /** A store that grants every claim (exactly-once delivery is the integration tests' subject). */
  const deliveries: DeliveryStore = {
    claim: async () => true,
    markSent: async () => undefined,
    markFailed: async () => undefined,
    noteUnitProblem: async () => true,
    get: async () => undefined,
  };
  const sent: OutgoingMail[] = [];
  const deps: MailDeps = {
    deliveries,
    sender: {
      send: async (mail) => {
        sent.push(mail);
        return { messageId: 'm-1' };
      },
    },
    clock: { now: () => new Date('2026-12-08T01:00:00Z') },
    from: 'baocao@example.org',
    committeeName: 'Đảng ủy Khối',
  };

  it("hands the unit's tags to the sender, and none for committee mail", async () => {
    sent.length = 0;
    await deliverMail(deps, reminder(), 'msg-1');
    await deliverMail(deps, { ...reminder(), unitId: 'committee', key: 'k#committee' }, 'msg-2');

    expect(sent[0]?.tags).toEqual({
      planId: '30-kh-duk-2022',
      year: '2026',
      unitId: 'cb-van-phong',
      kind: 'reminder',
    });
    expect(sent[1]).not.toHaveProperty('tags');
  });

  it('records a refusal on the unit in Vietnamese, and SES’s own error on the delivery', async () => {
    const failed: string[] = [];
    const problems: string[] = [];
    const refusing: MailDeps = {
      ...deps,
      deliveries: {
        ...deliveries,
        markFailed: async (_p, _y, _k, error) => {
          failed.push(error);
        },
        noteUnitProblem: async (_p, _y, _u, problem) => {
          problems.push(problem);
          return true;
        },
      },
      sender: {
        send: async () => {
          throw Object.assign(new Error('Address blacklisted.'), { name: 'MessageRejected' });
        },
      },
    };
    expect(await deliverMail(refusing, reminder(), 'msg-3')).toBe('failed');
    expect(failed).toEqual(['MessageRejected: Address blacklisted.']);
    expect(problems).toEqual(['SES từ chối gửi thư: Address blacklisted.']);
    // Committee mail has no unit to note it on.
    expect(await deliverMail(refusing, { ...reminder(), unitId: 'committee', key: 'k#c' }, 'msg-4')).toBe(
      'failed',
    );
    expect(problems).toHaveLength(1);
  });

  it('explains each permanent refusal and keeps it short', () => {
    const named = (name: string, message: string) => Object.assign(new Error(message), { name });
    expect(refusalProblem(named('MailFromDomainNotVerifiedException', 'x'))).toBe(
      'SES từ chối gửi thư (địa chỉ gửi chưa được xác minh): x',
    );
    expect(refusalProblem(named('InvalidParameterValue', "Missing final '@domain'"))).toBe(
      "SES từ chối gửi thư (địa chỉ nhận không hợp lệ): Missing final '@domain'",
    );
    expect(refusalProblem(named('MessageRejected', 'y'.repeat(2000)))).toHaveLength(500);
  });
});
