import { describe, expect, it } from 'vitest';
import { buildApp } from '#infra/build-app.ts';
import { ConfigError, PLACEHOLDER_SENDER_EMAIL, parseConfig } from '#infra/config.ts';

describe('parseConfig', () => {
  it('fills in the defaults for a plain synth', () => {
    expect(parseConfig({})).toEqual({
      stage: 'dev',
      committeeName: 'Đảng ủy Sở',
      timeZone: 'Asia/Ho_Chi_Minh',
      senderEmail: PLACEHOLDER_SENDER_EMAIL,
      senderEmailIsPlaceholder: true,
      committeeEmails: [],
    });
  });

  it('reads command-line strings: trimmed, comma-separated e-mails, origin without trailing slash', () => {
    const config = parseConfig({
      stage: 'prod',
      committeeName: 'Đảng ủy Sở Xây dựng',
      timeZone: 'Asia/Bangkok',
      senderEmail: ' baocao@example.vn ',
      committeeEmails: 'van-phong@example.vn, bi-thu@example.vn,',
      alarmEmail: 'ops@example.vn',
      appOrigin: 'https://baocao.example.vn/',
    });

    expect(config).toEqual({
      stage: 'prod',
      committeeName: 'Đảng ủy Sở Xây dựng',
      timeZone: 'Asia/Bangkok',
      senderEmail: 'baocao@example.vn',
      senderEmailIsPlaceholder: false,
      committeeEmails: ['van-phong@example.vn', 'bi-thu@example.vn'],
      alarmEmail: 'ops@example.vn',
      appOrigin: 'https://baocao.example.vn',
    });
  });

  it('accepts committeeEmails as a list (cdk.json) and treats empty strings as absent', () => {
    const config = parseConfig({ committeeEmails: ['a@example.vn'], alarmEmail: '', appOrigin: '' });

    expect(config.committeeEmails).toEqual(['a@example.vn']);
    expect(config.alarmEmail).toBeUndefined();
    expect(config.appOrigin).toBeUndefined();
  });

  it.each([
    [{ stage: 'prod_1' }, 'stage = "prod_1"'],
    [{ timeZone: 'Asia/Hanoi-City' }, 'timeZone = "Asia/Hanoi-City": must be an IANA time zone'],
    [{ senderEmail: 'baocao' }, 'senderEmail = "baocao": must be an e-mail address'],
    [{ committeeEmails: 'a@example.vn,not-an-address' }, 'committeeEmails[1] = "not-an-address"'],
    [{ alarmEmail: 'ops@' }, 'alarmEmail = "ops@"'],
    [
      { appOrigin: 'https://baocao.example.vn/app' },
      'appOrigin = "https://baocao.example.vn/app": must be an origin',
    ],
    [{ appOrigin: 'baocao.example.vn' }, 'appOrigin = "baocao.example.vn"'],
  ])('names the bad value in %j', (raw, message) => {
    expect(() => parseConfig(raw)).toThrow(ConfigError);
    expect(() => parseConfig(raw)).toThrow(message);
  });

  it('lists every bad value at once', () => {
    try {
      parseConfig({ stage: '1', senderEmail: 'x' });
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).problems).toHaveLength(2);
    }
  });
});

describe('buildApp', () => {
  it('refuses invalid context before building anything', () => {
    expect(() => buildApp({ senderEmail: 'nobody' })).toThrow(/senderEmail = "nobody"/);
  });

  it('names both stacks after the stage', () => {
    const { app } = buildApp({ stage: 'staging' });

    expect(app.node.children.map((child) => child.node.id)).toEqual([
      'Baocao-staging-Stateful',
      'Baocao-staging-Service',
    ]);
  });
});
