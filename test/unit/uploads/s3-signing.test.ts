import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { presignGetObject, type S3Location, signPostPolicy } from '#shared/adapters/s3/s3-signing.ts';

/**
 * Our presigned GETs and POST policies are computed without the S3 client (to keep it out of the
 * HTTP functions' bundles). The SDK's own presigners are the reference: for the same inputs,
 * credentials and clock, the URLs and form fields must be identical, byte for byte.
 */
const NOW = new Date('2026-11-29T02:03:04.000Z');
const CREDENTIALS = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE/+token==',
};
const BUCKET = 'baocao-reports-123456789012-ap-southeast-1';

function pair(endpoint?: string): { location: S3Location; client: S3Client } {
  return {
    location: {
      region: 'ap-southeast-1',
      bucket: BUCKET,
      credentials: async () => CREDENTIALS,
      ...(endpoint ? { endpoint } : {}),
    },
    client: new S3Client({
      region: 'ap-southeast-1',
      credentials: CREDENTIALS,
      ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
    }),
  };
}

const KEYS = [
  'reports/12-kh-dus-2025/2026/cb-a/0123456789abcdef0123456789abcdef',
  'exports/12-kh-dus-2025/2026/Báo cáo (tổng hợp) 2026!*.zip',
  "quarantine/a b/c+d/it's~.pdf",
];
const DISPOSITIONS = [
  undefined,
  `attachment; filename="Bao cao.pdf"; filename*=UTF-8''${encodeURIComponent('Báo cáo (quý 4) "đợt 1".pdf')}`,
];

describe('presignGetObject equals getSignedUrl(GetObjectCommand)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
  });
  afterEach(() => vi.useRealTimers());

  for (const endpoint of [undefined, 'http://127.0.0.1:4569']) {
    for (const key of KEYS) {
      for (const disposition of DISPOSITIONS) {
        it(`${endpoint ? 'path-style (emulator)' : 'virtual-hosted (AWS)'}: ${key}${disposition ? ', with a download name' : ''}`, async () => {
          const { location, client } = pair(endpoint);
          const expected = await getSignedUrl(
            client,
            new GetObjectCommand({
              Bucket: BUCKET,
              Key: key,
              ...(disposition ? { ResponseContentDisposition: disposition } : {}),
            }),
            { expiresIn: 300 },
          );
          const actual = await presignGetObject(location, key, {
            expiresIn: 300,
            ...(disposition ? { responseContentDisposition: disposition } : {}),
          });
          expect(actual).toBe(expected);
        });
      }
    }
  }

  it('signs with the session token and expires as asked', async () => {
    const url = new URL(await presignGetObject(pair().location, KEYS[0]!, { expiresIn: 300 }));
    expect(url.searchParams.get('X-Amz-Security-Token')).toBe(CREDENTIALS.sessionToken);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(url.searchParams.get('X-Amz-Date')).toBe('20261129T020304Z');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('signPostPolicy equals createPresignedPost', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
  });
  afterEach(() => vi.useRealTimers());

  for (const endpoint of [undefined, 'http://127.0.0.1:4569']) {
    it(`${endpoint ? 'path-style (emulator)' : 'virtual-hosted (AWS)'}: url, fields, policy and signature`, async () => {
      const { location, client } = pair(endpoint);
      const fields = {
        'Content-Type': 'application/pdf',
        'x-amz-meta-upload-id': '0123456789abcdef0123456789abcdef',
        'x-amz-meta-filename': 'B%C3%A1o%20c%C3%A1o.pdf',
      };
      const conditions = [
        ['content-length-range', 1, 26_214_400],
        ['eq', '$Content-Type', 'application/pdf'],
      ];
      const expected = await createPresignedPost(client, {
        Bucket: BUCKET,
        Key: KEYS[0]!,
        Conditions: conditions as never,
        Fields: fields,
        Expires: 600,
      });
      const actual = await signPostPolicy(location, {
        key: KEYS[0]!,
        conditions,
        fields,
        expiresInSeconds: 600,
      });
      expect(actual.url).toBe(expected.url);
      expect(actual.fields).toEqual(expected.fields);
      expect(Object.keys(actual.fields)).toEqual(Object.keys(expected.fields));
    });
  }

  it('a different secret gives a different signature (the key is really used)', async () => {
    const input = { key: KEYS[0]!, conditions: [], fields: {}, expiresInSeconds: 60 };
    const a = await signPostPolicy(pair().location, input);
    const b = await signPostPolicy(
      { ...pair().location, credentials: async () => ({ ...CREDENTIALS, secretAccessKey: 'other' }) },
      input,
    );
    expect(a.fields.Policy).toBe(b.fields.Policy);
    expect(a.fields['X-Amz-Signature']).not.toBe(b.fields['X-Amz-Signature']);
  });
});
