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
      reportRetentionYears: 10,
      reportLockMode: 'GOVERNANCE',
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
      reportRetentionYears: ' 20 ',
      reportLockMode: ' compliance ',
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
      reportRetentionYears: 20,
      reportLockMode: 'COMPLIANCE',
    });
  });

  it('reads the report retention from cdk.json as a number, and treats empty strings as the defaults', () => {
    expect(parseConfig({ reportRetentionYears: 100, reportLockMode: 'GOVERNANCE' })).toMatchObject({
      reportRetentionYears: 100,
      reportLockMode: 'GOVERNANCE',
    });
    expect(parseConfig({ reportRetentionYears: '1' }).reportRetentionYears).toBe(1);
    expect(parseConfig({ reportRetentionYears: '', reportLockMode: '' })).toMatchObject({
      reportRetentionYears: 10,
      reportLockMode: 'GOVERNANCE',
    });
  });

  it('accepts a sender domain and a custom domain with its certificate', () => {
    const certificateArn =
      'arn:aws:acm:ap-southeast-1:123456789012:certificate/12345678-1234-1234-1234-123456789012';
    const config = parseConfig({
      senderEmail: 'baocao@so.example.vn',
      senderDomain: 'So.Example.VN',
      appOrigin: 'https://baocao.so.example.vn',
      certificateArn,
    });

    expect(config).toMatchObject({ senderDomain: 'so.example.vn', certificateArn });
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
    [{ senderDomain: 'not a domain' }, 'senderDomain = "not a domain": must be a domain name'],
    [
      { senderEmail: 'baocao@other.vn', senderDomain: 'so.example.vn' },
      'senderEmail = "baocao@other.vn": must be an address at senderDomain so.example.vn',
    ],
    [
      { certificateArn: 'arn:aws:acm:nope' },
      'certificateArn = "arn:aws:acm:nope": must be the ARN of an ACM certificate',
    ],
    [
      {
        certificateArn:
          'arn:aws:acm:ap-southeast-1:123456789012:certificate/12345678-1234-1234-1234-123456789012',
      },
      'needs appOrigin = https://<custom domain>',
    ],
    [
      {
        appOrigin: 'http://baocao.example.vn:8080',
        certificateArn:
          'arn:aws:acm:ap-southeast-1:123456789012:certificate/12345678-1234-1234-1234-123456789012',
      },
      'needs appOrigin = https://<custom domain> (no port)',
    ],
    [
      { reportRetentionYears: '0' },
      'reportRetentionYears = 0: must be a whole number of years from 1 to 100',
    ],
    [
      { reportRetentionYears: 101 },
      'reportRetentionYears = 101: must be a whole number of years from 1 to 100',
    ],
    [{ reportRetentionYears: '7.5' }, 'reportRetentionYears = "7.5": must be a whole number of years'],
    [{ reportRetentionYears: 2.5 }, 'reportRetentionYears = 2.5: must be a whole number of years'],
    [{ reportRetentionYears: 'ten' }, 'reportRetentionYears = "ten": must be a whole number of years'],
    [{ reportLockMode: 'LEGAL_HOLD' }, 'reportLockMode = "LEGAL_HOLD": must be GOVERNANCE or COMPLIANCE'],
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
