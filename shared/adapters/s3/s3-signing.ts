import type { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { Config } from '#shared/config.ts';
import { awsCredentials, sigV4 } from '../aws-signing.ts';
import { S3RVER_CREDENTIALS } from '../local-credentials.ts';

/**
 * Signing S3 URLs and POST policies without the S3 client.
 *
 * A presigned GET or POST is computed locally and sends nothing to S3; the functions that only
 * presign (the public upload API, the committee app) would otherwise carry the whole S3 client
 * (~130 KB minified: every operation's schema, checksums, XML) for two signatures. The signing
 * itself is the SDK's own `SignatureV4` (as `@aws-sdk/s3-request-presigner` and
 * `@aws-sdk/s3-presigned-post` use it; ../aws-signing.ts), and
 * test/unit/uploads/s3-signing.test.ts checks that our URLs and POST fields are byte for byte
 * those of the SDK's presigners for the same inputs, credentials and clock.
 */

/** Where a bucket's objects are addressed: virtual-hosted on AWS, path-style on the emulator. */
export interface S3Location {
  region: string;
  bucket: string;
  /** Local mode: the emulator's endpoint (path-style). Unset on AWS. */
  endpoint?: string;
  credentials: AwsCredentialIdentityProvider;
  /**
   * The committee's object prefix (`_c/<id>/`, '' for the deployment's first committee;
   * shared/tenancy/scope.ts), put after the top folder of every key this location signs
   * (`reports/_c/<id>/…`): the adapters name keys within their committee and cannot name
   * another's (docs/tenancy.md).
   */
  keyPrefix?: string;
}

/** The full object key of `key` at `location`: its committee's prefix after the top folder. */
export function objectKey(location: Pick<S3Location, 'keyPrefix'>, key: string): string {
  const prefix = location.keyPrefix ?? '';
  if (!prefix) return key;
  const slash = key.indexOf('/');
  if (slash <= 0) throw new Error('A committee object key must start with its top folder');
  return `${key.slice(0, slash + 1)}${prefix}${key.slice(slash + 1)}`;
}

function signer(location: S3Location): SignatureV4 {
  // S3 signs the path as sent (no second URI encoding) and presigned URLs carry no checksum.
  return sigV4('s3', location.region, location.credentials, { uriEscapePath: false, applyChecksum: false });
}

/** The bucket's base URL: `https://<bucket>.s3.<region>.amazonaws.com` or `<endpoint>/<bucket>`. */
export function bucketUrl(location: Pick<S3Location, 'region' | 'bucket' | 'endpoint'>): URL {
  if (location.endpoint) {
    const base = new URL(location.endpoint);
    base.pathname = `${base.pathname.replace(/\/$/, '')}/${location.bucket}`;
    return base;
  }
  const suffix = location.region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return new URL(`https://${location.bucket}.s3.${location.region}.${suffix}`);
}

/** Percent-encodes a key as S3 (and the SDK) expects in a path: each segment, `/` kept. */
export function encodeKey(key: string): string {
  return key
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment).replace(
        /[!'()*]/g,
        (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
      ),
    )
    .join('/');
}

/** A presigned GetObject URL, as `getSignedUrl(client, new GetObjectCommand(…))` makes it. */
export async function presignGetObject(
  location: S3Location,
  key: string,
  options: { expiresIn: number; responseContentDisposition?: string; versionId?: string; signingDate?: Date },
): Promise<string> {
  const base = bucketUrl(location);
  const path = `${base.pathname.replace(/\/$/, '')}/${encodeKey(objectKey(location, key))}`;
  const host = base.port ? `${base.hostname}:${base.port}` : base.hostname;
  const query: Record<string, string> = {};
  if (options.responseContentDisposition !== undefined) {
    query['response-content-disposition'] = options.responseContentDisposition;
  }
  // What GetObjectCommand adds: checksum mode (the SDK's default response validation) and the
  // operation id; both are signed, so they stay for the URL to equal the SDK's.
  if (options.versionId !== undefined) query.versionId = options.versionId;
  query['x-amz-checksum-mode'] = 'ENABLED';
  query['x-id'] = 'GetObject';
  const signed = await signer(location).presign(
    {
      method: 'GET',
      protocol: base.protocol,
      hostname: base.hostname,
      ...(base.port ? { port: Number(base.port) } : {}),
      path,
      query,
      headers: { host, 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD' },
    },
    {
      expiresIn: options.expiresIn,
      unsignableHeaders: new Set(['content-type']),
      ...(options.signingDate ? { signingDate: options.signingDate } : {}),
    },
  );
  const url = new URL(`${base.protocol}//${host}${path}`);
  // The signature covers the query as SignatureV4 encodes it (RFC 3986); keep that encoding.
  url.search = Object.entries(signed.query ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${rfc3986(name)}=${rfc3986(String(value))}`)
    .join('&');
  return url.toString();
}

function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** A browser form upload (POST policy, Signature Version 4), as `createPresignedPost` makes it. */
export interface PostPolicyInput {
  key: string;
  /** Extra conditions, first in the policy (e.g. `['content-length-range', 1, max]`). */
  conditions: unknown[];
  /** Form fields, each also pinned by an exact-match condition. */
  fields: Record<string, string>;
  expiresInSeconds: number;
  signingDate?: Date;
}

export async function signPostPolicy(
  location: S3Location,
  input: PostPolicyInput,
): Promise<{ url: string; fields: Record<string, string> }> {
  const now = input.signingDate ?? new Date();
  const amzDate = iso8601(now).replace(/[-:]/g, '');
  const credentials: AwsCredentialIdentity = await location.credentials();
  const scope = `${amzDate.slice(0, 8)}/${location.region}/s3/aws4_request`;
  const fields: Record<string, string> = {
    ...input.fields,
    bucket: location.bucket,
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': `${credentials.accessKeyId}/${scope}`,
    'X-Amz-Date': amzDate,
    ...(credentials.sessionToken ? { 'X-Amz-Security-Token': credentials.sessionToken } : {}),
  };
  // The same conditions, in the same order, as createPresignedPost: each given condition, an
  // exact match for every field, then the exact key (never a starts-with).
  const conditions = new Set<string>();
  for (const condition of input.conditions) conditions.add(JSON.stringify(condition));
  for (const [name, value] of Object.entries(fields)) conditions.add(JSON.stringify({ [name]: value }));
  const key = objectKey(location, input.key);
  conditions.add(JSON.stringify({ key }));
  const policy = Buffer.from(
    JSON.stringify({
      expiration: iso8601(new Date(now.getTime() + input.expiresInSeconds * 1000)),
      conditions: [...conditions].map((c) => JSON.parse(c) as unknown),
    }),
    'utf8',
  ).toString('base64');
  // The POST signature is the HMAC of the base64 policy with the day's signing key.
  const signature = await signer({ ...location, credentials: async () => credentials }).sign(policy, {
    signingDate: now,
  });
  const url = bucketUrl(location).toString().replace(/\/$/, '');
  return {
    url: location.endpoint ? url : `${url}/`,
    fields: { ...fields, key, Policy: policy, 'X-Amz-Signature': signature },
  };
}

const iso8601 = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Where the reports bucket is, and whose credentials sign: the emulator's built-in account
 * locally, else the SDK's default chain (in the Lambda bundles, the environment only:
 * infra/bundling/env-credentials.ts). The chain caches credentials until they expire.
 */
export function reportsLocation(
  config: Pick<Config, 'AWS_REGION' | 'REPORTS_BUCKET' | 'BAOCAO_S3_ENDPOINT' | 'objectPrefix'>,
): S3Location {
  const endpoint = config.BAOCAO_S3_ENDPOINT;
  const keyPrefix = config.objectPrefix ?? '';
  if (endpoint) {
    return {
      region: config.AWS_REGION,
      bucket: config.REPORTS_BUCKET,
      endpoint,
      credentials: async () => S3RVER_CREDENTIALS,
      keyPrefix,
    };
  }
  return {
    region: config.AWS_REGION,
    bucket: config.REPORTS_BUCKET,
    credentials: awsCredentials(),
    keyPrefix,
  };
}
