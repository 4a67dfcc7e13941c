import { describe, expect, it } from 'vitest';
import { environmentFromOutputs, serviceStackName } from '#cli/stage.ts';
import { ValidationError } from '#shared/errors.ts';

const settings = {
  PLANS_TABLE: 'Baocao-prod-Stateful-PlansTable-1',
  SUBMISSIONS_TABLE: 'Baocao-prod-Stateful-SubmissionsTable-1',
  REPORTS_BUCKET: 'baocao-prod-reports-1',
  MAIL_QUEUE_URL: 'https://sqs.ap-southeast-1.amazonaws.com/123456789012/mail',
  APP_URL: 'https://baocao.example.vn',
  TIME_ZONE: 'Asia/Ho_Chi_Minh',
};

describe('baocao --stage: reading a deployed stack', () => {
  it('names the service stack of a stage as the CDK app does', () => {
    expect(serviceStackName('prod')).toBe('Baocao-prod-Service');
  });

  it.each(['', 'prod;rm -rf', '../x', 'a'.repeat(40), '1prod'])('refuses the stage name %j', (stage) => {
    expect(() => serviceStackName(stage)).toThrow(ValidationError);
    expect(() => serviceStackName(stage)).toThrow(
      expect.objectContaining({
        userMessage: `--stage phải là tên một stage, ví dụ prod; nhận được "${stage}".`,
      }),
    );
  });

  it('takes the environment from the CliEnvironment output', () => {
    const env = environmentFromOutputs('Baocao-prod-Service', [
      { OutputKey: 'AppUrl', OutputValue: 'https://baocao.example.vn' },
      { OutputKey: 'CliEnvironment', OutputValue: JSON.stringify({ ...settings, IGNORED: 3 }) },
    ]);
    expect(env).toEqual(settings);
  });

  it.each([
    [
      'no such output',
      [],
      /no CliEnvironment output/,
      'Hệ thống Baocao-prod-Service không có output CliEnvironment: hãy triển khai phiên bản baocao này trước.',
    ],
    [
      'an output that is not JSON',
      [{ OutputKey: 'CliEnvironment', OutputValue: '{"PLANS' }],
      /not JSON/,
      'Output CliEnvironment của hệ thống Baocao-prod-Service không phải JSON.',
    ],
    [
      'a JSON array',
      [{ OutputKey: 'CliEnvironment', OutputValue: '[]' }],
      /not a JSON object/,
      'Output CliEnvironment của hệ thống Baocao-prod-Service không phải một đối tượng JSON.',
    ],
    [
      'missing settings',
      [{ OutputKey: 'CliEnvironment', OutputValue: JSON.stringify({ PLANS_TABLE: 'x' }) }],
      /lacks SUBMISSIONS_TABLE, REPORTS_BUCKET, MAIL_QUEUE_URL, APP_URL/,
      'Output CliEnvironment của hệ thống Baocao-prod-Service thiếu SUBMISSIONS_TABLE, REPORTS_BUCKET, MAIL_QUEUE_URL, APP_URL.',
    ],
  ])('refuses a stack with %s, telling people in Vietnamese', (_name, outputs, message, userMessage) => {
    expect(() => environmentFromOutputs('Baocao-prod-Service', outputs)).toThrow(message);
    expect(() => environmentFromOutputs('Baocao-prod-Service', outputs)).toThrow(
      expect.objectContaining({ userMessage }),
    );
  });
});
