import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { S3UploadSigner, s3UploadOrigin } from '#shared/adapters/s3/upload-signer.ts';
import { NO_AUDIT_LOG } from '#shared/audit/append.ts';
import { parseConfig } from '#shared/config.ts';
import type { UploadDeps } from '#shared/uploads/deps.ts';
import { issueLinkToken } from '#shared/uploads/link-token.ts';
import type { UploadStore } from '#shared/uploads/ports.ts';
import { requestUpload } from '#shared/uploads/request-upload.ts';

const NOW = new Date('2026-11-29T02:00:00.000Z');
const BUCKET = 'baocao-reports-test';
const MAX_BYTES = 25 * 1024 * 1024;

interface Policy {
  expiration: string;
  conditions: unknown[];
}

function decodePolicy(fields: Record<string, string>): Policy {
  return JSON.parse(Buffer.from(fields.Policy!, 'base64').toString('utf8')) as Policy;
}

function signer(options: { endpoint?: string } = {}): S3UploadSigner {
  return new S3UploadSigner({
    region: 'ap-southeast-1',
    bucket: BUCKET,
    credentials: async () => ({
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    }),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
  });
}

describe('S3UploadSigner: the presigned POST policy', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('pins size, type, key, bucket and metadata, and expires within 15 minutes', async () => {
    // Act
    const post = await signer().createUpload({
      key: 'reports/12-kh-dus-2025/2026/cb-a/0123456789abcdef0123456789abcdef',
      contentType: 'application/pdf',
      maxBytes: MAX_BYTES,
      metadata: { 'upload-id': '0123456789abcdef0123456789abcdef', filename: 'B%C3%A1o%20c%C3%A1o.pdf' },
      expiresInSeconds: 600,
    });
    const policy = decodePolicy(post.fields);
    // Assess
    expect(policy.conditions).toContainEqual(['content-length-range', 1, MAX_BYTES]);
    expect(policy.conditions).toContainEqual(['eq', '$Content-Type', 'application/pdf']);
    expect(policy.conditions).toContainEqual({ 'Content-Type': 'application/pdf' });
    expect(policy.conditions).toContainEqual({
      key: 'reports/12-kh-dus-2025/2026/cb-a/0123456789abcdef0123456789abcdef',
    });
    expect(policy.conditions).toContainEqual({ bucket: BUCKET });
    expect(policy.conditions).toContainEqual({ 'x-amz-meta-upload-id': '0123456789abcdef0123456789abcdef' });
    expect(policy.conditions).toContainEqual({ 'x-amz-meta-filename': 'B%C3%A1o%20c%C3%A1o.pdf' });
    // No condition lets the browser choose any part of the key.
    expect(JSON.stringify(policy.conditions)).not.toMatch(/starts-with/);
    const expiresInMs = new Date(policy.expiration).getTime() - NOW.getTime();
    expect(expiresInMs).toBe(600_000);
    expect(expiresInMs).toBeLessThanOrEqual(15 * 60_000);
    expect(post.expiresAt).toEqual(new Date('2026-11-29T02:10:00.000Z'));
    // The form carries the same values the policy pins.
    expect(post.fields).toMatchObject({
      key: 'reports/12-kh-dus-2025/2026/cb-a/0123456789abcdef0123456789abcdef',
      'Content-Type': 'application/pdf',
      'x-amz-meta-upload-id': '0123456789abcdef0123456789abcdef',
      'x-amz-meta-filename': 'B%C3%A1o%20c%C3%A1o.pdf',
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    });
    expect(post.fields['X-Amz-Signature']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses lifetimes over 15 minutes and metadata that S3 cannot hold', async () => {
    const base = { key: 'reports/p/2026/u/x', contentType: 'image/png', maxBytes: 10, metadata: {} };
    await expect(signer().createUpload({ ...base, expiresInSeconds: 901 })).rejects.toThrow(/exceeds 900s/);
    await expect(
      signer().createUpload({ ...base, expiresInSeconds: 60, metadata: { filename: 'Báo cáo.pdf' } }),
    ).rejects.toThrow(/printable ASCII/);
  });

  it('posts to the origin it announces for the CSP, on AWS and locally', async () => {
    const input = {
      key: 'reports/p/2026/u/x',
      contentType: 'image/png',
      maxBytes: 10,
      metadata: {},
      expiresInSeconds: 60,
    };
    const aws = signer();
    const local = signer({ endpoint: 'http://127.0.0.1:4569' });
    expect(new URL((await aws.createUpload(input)).url).origin).toBe(aws.uploadOrigin());
    expect(aws.uploadOrigin()).toBe(
      s3UploadOrigin({ REPORTS_BUCKET: BUCKET, AWS_REGION: 'ap-southeast-1', BAOCAO_S3_ENDPOINT: undefined }),
    );
    expect(aws.uploadOrigin()).toBe(`https://${BUCKET}.s3.ap-southeast-1.amazonaws.com`);
    expect(new URL((await local.createUpload(input)).url).origin).toBe(local.uploadOrigin());
    expect((await local.createUpload(input)).url).toBe(`http://127.0.0.1:4569/${BUCKET}`);
  });
});

describe('requestUpload: the key is the server’s, never the user’s file name', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it.each([
    '../../etc/passwd.pdf',
    'Báo cáo "quý 4" 😀.pdf',
    'reports/other-unit/x.pdf',
    '..\\..\\windows.pdf',
  ])('keeps %s out of the key and the policy key condition', async (fileName) => {
    // Prepare
    const deps = fakeDeps();
    const token = issueLinkToken(await deps.keys.linkKey(), {
      planId: 'p-2025',
      year: 2026,
      unitId: 'cb-a',
      linkVersion: 1,
      expiresAt: new Date('2027-01-14T17:00:00Z'),
    });
    // Act
    const grant = await requestUpload(deps, token, { fileName, contentType: 'application/pdf', size: 10 });
    const policy = decodePolicy(grant.fields);
    // Assess
    expect(grant.key).toMatch(/^uploads\/p-2025\/2026\/cb-a\/1-[0-9a-f]{32}$/);
    expect(grant.fields.key).toBe(grant.key);
    expect(policy.conditions).toContainEqual({ key: grant.key });
    expect(grant.fields['x-amz-meta-filename']).toBe(encodeURIComponent(fileName.normalize('NFC')));
    expect(decodeURIComponent(grant.fields['x-amz-meta-filename']!)).toBe(fileName);
    expect(grant.fields['x-amz-meta-upload-id']).toBe(grant.uploadId);
  });
});

/** The fewest collaborators requestUpload needs, in memory: a unit test of the key choice only. */
function fakeDeps(): UploadDeps {
  const config = parseConfig({ PLANS_TABLE: 'plans', SUBMISSIONS_TABLE: 'subs', REPORTS_BUCKET: BUCKET });
  const key = new Uint8Array(32).fill(7);
  let uploadCounter = 0;
  const plan = {
    id: 'p-2025',
    number: '1-KH/ĐUS',
    title: 'T',
    taskGroups: [{ number: '1', title: 'A', body: '' }],
  };
  const period = {
    planId: 'p-2025',
    year: 2026,
    openDate: '2026-11-20',
    deadline: '2026-12-15',
    closeDate: '2027-01-14',
    timeZone: 'Asia/Ho_Chi_Minh',
    status: 'open' as const,
    openedAt: '2026-11-20T01:00:00Z',
  };
  const store: UploadStore = {
    readLinkContext: async (planId, year, unitId) => ({
      assignment: {
        planId,
        year,
        unitId,
        linkVersion: 1,
        extendedDeadline: null,
        versionCounter: 0,
      } as never,
      plan: { ...plan, id: planId } as never,
      period: { ...period, planId, year },
    }),
    startDraft: async () => true,
    addGrant: async () => true,
    countPresign: async () => true,
    recentVersions: async () => [],
    bumpLinkVersion: async () => 2,
  };
  return {
    plans: {} as UploadDeps['plans'],
    submissions: {} as UploadDeps['submissions'],
    clock: { now: () => new Date() },
    settings: { committeeName: 'Đảng ủy Sở', timeZone: 'Asia/Ho_Chi_Minh' },
    audit: NO_AUDIT_LOG,
    uploads: store,
    signer: signer(),
    keys: { linkKey: async () => key },
    limits: { hit: async () => true, release: async () => {} },
    uploadSettings: {
      appUrl: 'https://baocao.example',
      maxUploadBytes: config.MAX_UPLOAD_BYTES,
      maxVersionsPerDay: config.MAX_VERSIONS_PER_DAY,
    },
    newUploadId: () => (++uploadCounter).toString(16).padStart(32, 'a'),
  };
}
