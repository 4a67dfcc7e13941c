import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { type S3RequestInput, signS3Request } from '#shared/adapters/s3/s3-requests.ts';
import type { S3Location } from '#shared/adapters/s3/s3-signing.ts';

const CREDENTIALS = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
const KEY = 'uploads/30-kh-duk-2022/2026/cb-a/1-0123456789abcdef0123456789abcdef';
const AWS: S3Location = {
  region: 'ap-southeast-1',
  bucket: 'baocao-reports',
  credentials: async () => CREDENTIALS,
};
const LOCAL: S3Location = { ...AWS, endpoint: 'http://127.0.0.1:4569' };

interface Captured {
  method: string;
  url: string;
  headers: Record<string, string>;
}

/** The request the S3 client would send for `command` (captured before the network). */
async function sdkRequest(location: S3Location, command: object, body = ''): Promise<Captured> {
  let captured: Captured | undefined;
  const client = new S3Client({
    region: location.region,
    credentials: CREDENTIALS,
    ...(location.endpoint ? { endpoint: location.endpoint, forcePathStyle: true } : {}),
    requestHandler: {
      handle: async (request: {
        method: string;
        protocol: string;
        hostname: string;
        port?: number;
        path: string;
        query?: Record<string, string | string[] | null>;
        headers: Record<string, string>;
      }) => {
        const url = new URL(
          `${request.protocol}//${request.hostname}${request.port ? `:${request.port}` : ''}${request.path}`,
        );
        for (const [name, value] of Object.entries(request.query ?? {})) {
          if (typeof value === 'string') url.searchParams.set(name, value);
          else if (value === null) url.searchParams.set(name, '');
        }
        captured = {
          method: request.method,
          url: url.toString(),
          headers: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v])),
        };
        return {
          // An HttpResponse by shape (the SDK checks statusCode and headers).
          response: { statusCode: 200, headers: {}, body: Readable.from([Buffer.from(body)]) },
        };
      },
    } as never,
  });
  await client.send(command as never).catch(() => undefined);
  client.destroy();
  if (!captured) throw new Error('the S3 client sent nothing');
  return captured;
}

/** A URL with its query parameters in one order (S3 and SigV4 do not depend on it). */
function sortedQuery(url: string): string {
  const u = new URL(url);
  u.searchParams.sort();
  return u.toString();
}

/** The operation inputs S3 reads from headers: these must be what the SDK sends, value for value. */
const OPERATION_HEADER =
  /^(x-amz-copy-source.*|x-amz-metadata-directive|x-amz-object-lock-.*|x-amz-meta-.*|content-type)$/;

function operationHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers)
      .map(([k, v]) => [k.toLowerCase(), v] as const)
      .filter(([k]) => OPERATION_HEADER.test(k)),
  );
}

const until = new Date('2036-12-06T03:00:00.000Z');
const cases: [string, object, S3RequestInput, string?][] = [
  [
    'GetObject',
    new GetObjectCommand({ Bucket: AWS.bucket, Key: KEY }),
    { method: 'GET', operation: 'GetObject', key: KEY },
  ],
  [
    'GetObject of a version',
    new GetObjectCommand({ Bucket: AWS.bucket, Key: KEY, VersionId: 'v1.a+b/c' }),
    { method: 'GET', operation: 'GetObject', key: KEY, query: { versionId: 'v1.a+b/c' } },
  ],
  [
    'HeadObject',
    new HeadObjectCommand({ Bucket: AWS.bucket, Key: `quarantine/${KEY}` }),
    { method: 'HEAD', key: `quarantine/${KEY}` },
  ],
  [
    'DeleteObject of a version',
    new DeleteObjectCommand({ Bucket: AWS.bucket, Key: KEY, VersionId: 'v2' }),
    { method: 'DELETE', operation: 'DeleteObject', key: KEY, query: { versionId: 'v2' } },
  ],
  [
    'CopyObject to the kept key with Object Lock',
    new CopyObjectCommand({
      Bucket: AWS.bucket,
      Key: `reports/x/2026/cb-a/1-abc/${'f'.repeat(64)}`,
      CopySource: `${AWS.bucket}/${KEY}?versionId=v1`,
      CopySourceIfMatch: '"0123456789abcdef0123456789abcdef"',
      MetadataDirective: 'COPY',
      ObjectLockMode: 'GOVERNANCE',
      ObjectLockRetainUntilDate: until,
    }),
    {
      method: 'PUT',
      operation: 'CopyObject',
      key: `reports/x/2026/cb-a/1-abc/${'f'.repeat(64)}`,
      headers: {
        'x-amz-copy-source': `${AWS.bucket}/${KEY}?versionId=v1`,
        'x-amz-copy-source-if-match': '"0123456789abcdef0123456789abcdef"',
        'x-amz-metadata-directive': 'COPY',
        'x-amz-object-lock-mode': 'GOVERNANCE',
        'x-amz-object-lock-retain-until-date': '2036-12-06T03:00:00Z',
      },
    },
    '<CopyObjectResult><ETag>"x"</ETag></CopyObjectResult>',
  ],
  [
    'CopyObject to quarantine with new metadata',
    new CopyObjectCommand({
      Bucket: AWS.bucket,
      Key: `quarantine/${KEY}`,
      CopySource: `${AWS.bucket}/${KEY}`,
      MetadataDirective: 'REPLACE',
      ContentType: 'application/pdf',
      Metadata: { 'upload-id': '1-abc', 'quarantine-reason': encodeURIComponent('Tệp "x.pdf" rỗng') },
    }),
    {
      method: 'PUT',
      operation: 'CopyObject',
      key: `quarantine/${KEY}`,
      headers: {
        'x-amz-copy-source': `${AWS.bucket}/${KEY}`,
        'x-amz-metadata-directive': 'REPLACE',
        'content-type': 'application/pdf',
        'x-amz-meta-upload-id': '1-abc',
        'x-amz-meta-quarantine-reason': encodeURIComponent('Tệp "x.pdf" rỗng'),
      },
    },
    '<CopyObjectResult><ETag>"x"</ETag></CopyObjectResult>',
  ],
  [
    'PutObject of a small pack',
    new PutObjectCommand({
      Bucket: AWS.bucket,
      Key: 'exports/p/2026/x.zip',
      Body: 'zip',
      ContentType: 'application/zip',
    }),
    {
      method: 'PUT',
      operation: 'PutObject',
      key: 'exports/p/2026/x.zip',
      headers: { 'content-type': 'application/zip' },
      body: 'zip',
    },
  ],
  [
    'CreateMultipartUpload',
    new CreateMultipartUploadCommand({
      Bucket: AWS.bucket,
      Key: 'exports/p/2026/x.zip',
      ContentType: 'application/zip',
    }),
    {
      method: 'POST',
      key: 'exports/p/2026/x.zip',
      query: { uploads: '' },
      headers: { 'content-type': 'application/zip' },
    },
    '<InitiateMultipartUploadResult><UploadId>u1</UploadId></InitiateMultipartUploadResult>',
  ],
  [
    'UploadPart',
    new UploadPartCommand({
      Bucket: AWS.bucket,
      Key: 'exports/p/2026/x.zip',
      UploadId: 'u1',
      PartNumber: 3,
      Body: 'part',
    }),
    {
      method: 'PUT',
      operation: 'UploadPart',
      key: 'exports/p/2026/x.zip',
      query: { partNumber: '3', uploadId: 'u1' },
      headers: { 'content-type': 'application/octet-stream' },
      body: 'part',
    },
  ],
  [
    'CompleteMultipartUpload',
    new CompleteMultipartUploadCommand({
      Bucket: AWS.bucket,
      Key: 'exports/p/2026/x.zip',
      UploadId: 'u1',
      MultipartUpload: { Parts: [{ PartNumber: 1, ETag: '"e1"' }] },
    }),
    {
      method: 'POST',
      key: 'exports/p/2026/x.zip',
      query: { uploadId: 'u1' },
      headers: { 'content-type': 'application/xml' },
    },
    '<CompleteMultipartUploadResult/>',
  ],
  [
    'AbortMultipartUpload',
    new AbortMultipartUploadCommand({ Bucket: AWS.bucket, Key: 'exports/p/2026/x.zip', UploadId: 'u1' }),
    {
      method: 'DELETE',
      operation: 'AbortMultipartUpload',
      key: 'exports/p/2026/x.zip',
      query: { uploadId: 'u1' },
    },
  ],
];

describe('signed S3 requests are the S3 client’s own', () => {
  for (const [where, location] of [
    ['on AWS (virtual-hosted)', AWS],
    ['on the emulator (path-style)', LOCAL],
  ] as const) {
    it.each(cases)(`${where}: %s`, async (_name, command, input, body) => {
      // Act
      const sdk = await sdkRequest(location, command, body);
      const ours = await signS3Request(location, input, new Date('2026-12-06T03:00:00Z'));
      // Assess: same method, same URL (host, encoded path, query), same operation headers, and a
      // SigV4 signature over them with the same credentials and scope.
      expect(input.method).toBe(sdk.method);
      expect(sortedQuery(ours.url)).toBe(sortedQuery(sdk.url));
      expect(operationHeaders(ours.headers)).toEqual(operationHeaders(sdk.headers));
      const signedHeaders =
        /SignedHeaders=([^,]+)/.exec(ours.headers.authorization ?? '')?.[1]?.split(';') ?? [];
      expect(signedHeaders).toEqual(expect.arrayContaining(['host', 'x-amz-content-sha256', 'x-amz-date']));
      for (const name of Object.keys(operationHeaders(ours.headers))) expect(signedHeaders).toContain(name);
      expect(ours.headers.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20261206\/ap-southeast-1\/s3\/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$/,
      );
      expect(ours.headers).not.toHaveProperty('host');
    });
  }
});
