import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '#shared/config.ts';

const REQUIRED = { PLANS_TABLE: 'plans', SUBMISSIONS_TABLE: 'subs', REPORTS_BUCKET: 'reports' };

describe('parseConfig', () => {
  it('fills the defaults and reads numbers, lists and flags from the environment text', () => {
    const config = parseConfig({
      ...REQUIRED,
      COMMITTEE_EMAILS: ' VP@Example.org; bi.thu@example.org ,',
      MAX_UPLOAD_BYTES: '2048',
      BAOCAO_LOCAL_MODE: 'true',
      APP_URL: 'https://baocao.example.org',
      UNRELATED: 'ignored',
    });
    expect(config).toMatchObject({
      TIME_ZONE: 'Asia/Ho_Chi_Minh',
      COMMITTEE_NAME: 'Đảng ủy Sở',
      SENDER_EMAIL: 'no-reply@example.org',
      COMMITTEE_EMAILS: ['vp@example.org', 'bi.thu@example.org'],
      MAX_UPLOAD_BYTES: 2048,
      LINK_PLAN_CACHE_SECONDS: 30,
      REPORT_LOCK_MODE: 'GOVERNANCE',
      BAOCAO_LOCAL_MODE: true,
      APP_URL: 'https://baocao.example.org',
    });
    expect(config).not.toHaveProperty('UNRELATED');
  });

  it('names every bad setting at once', () => {
    let error: unknown;
    try {
      parseConfig({
        PLANS_TABLE: 'p',
        SUBMISSIONS_TABLE: 'subs',
        REPORTS_BUCKET: 'reports',
        TIME_ZONE: 'Mars/Olympus',
        MAX_UPLOAD_BYTES: 'lots',
        LINK_PLAN_CACHE_SECONDS: '301',
        COMMITTEE_EMAILS: 'vp@example.org, not-an-address',
        APP_URL: 'javascript:alert(1)',
        REPORT_LOCK_MODE: 'LOOSE',
        BAOCAO_LOCAL_MODE: 'yes',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const named = (error as ConfigError).problems.map((p) => p.split(/[.:]/)[0]);
    expect(new Set(named)).toEqual(
      new Set([
        'PLANS_TABLE',
        'TIME_ZONE',
        'MAX_UPLOAD_BYTES',
        'LINK_PLAN_CACHE_SECONDS',
        'COMMITTEE_EMAILS',
        'APP_URL',
        'REPORT_LOCK_MODE',
        'BAOCAO_LOCAL_MODE',
      ]),
    );
  });
});
