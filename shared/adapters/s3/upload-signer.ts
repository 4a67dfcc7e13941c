import type { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import type { Config } from '#shared/config.ts';
import type { CreateUploadInput, PresignedUpload, UploadSigner } from '#shared/uploads/ports.ts';
import { s3 } from '../aws-clients.ts';

/** Longest life of a presigned POST. */
export const MAX_UPLOAD_EXPIRY_SECONDS = 15 * 60;

const METADATA_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const METADATA_VALUE = /^[\x20-\x7e]{0,1900}$/;

/**
 * Presigned POSTs to the reports bucket (`@aws-sdk/s3-presigned-post`, signed locally with the
 * function's credentials). The policy pins everything the browser could change: the exact key,
 * the bucket, the exact Content-Type, the size range 1..maxBytes and each metadata value.
 * S3 enforces it on AWS; the local emulator (s3rver) does not, which is why the on-upload
 * function re-checks size and type after the fact.
 */
export class S3UploadSigner implements UploadSigner {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly origin: string,
  ) {}

  async createUpload(input: CreateUploadInput): Promise<PresignedUpload> {
    const { key, contentType, maxBytes, expiresInSeconds } = input;
    if (!Number.isInteger(expiresInSeconds) || expiresInSeconds < 1) {
      throw new Error(`Invalid upload expiry: ${expiresInSeconds}`);
    }
    if (expiresInSeconds > MAX_UPLOAD_EXPIRY_SECONDS) {
      throw new Error(`Upload expiry ${expiresInSeconds}s exceeds ${MAX_UPLOAD_EXPIRY_SECONDS}s`);
    }
    if (!Number.isSafeInteger(maxBytes) || maxBytes < 1)
      throw new Error(`Invalid upload size limit: ${maxBytes}`);
    const fields: Record<string, string> = { 'Content-Type': contentType };
    for (const [name, value] of Object.entries(input.metadata)) {
      if (!METADATA_NAME.test(name) || !METADATA_VALUE.test(value)) {
        throw new Error(`Invalid object metadata ${name}: names are lower-case, values printable ASCII`);
      }
      fields[`x-amz-meta-${name}`] = value;
    }
    // createPresignedPost adds an exact-match condition for every field (Content-Type and each
    // metadata value included) and for `bucket` and `key`; the explicit `eq` on Content-Type
    // states the intent even if that behaviour changed.
    const post = await createPresignedPost(this.client, {
      Bucket: this.bucket,
      Key: key,
      Conditions: [
        ['content-length-range', 1, maxBytes],
        ['eq', '$Content-Type', contentType],
      ],
      Fields: fields,
      Expires: expiresInSeconds,
    });
    return { url: post.url, fields: post.fields, expiresAt: policyExpiration(post.fields.Policy) };
  }

  uploadOrigin(): string {
    return this.origin;
  }
}

/** The expiry written in a base64 POST policy. */
function policyExpiration(policy: string | undefined): Date {
  const parsed = JSON.parse(Buffer.from(policy ?? '', 'base64').toString('utf8')) as { expiration?: string };
  const at = new Date(parsed.expiration ?? Number.NaN);
  if (Number.isNaN(at.getTime())) throw new Error('Presigned POST policy without a valid expiration');
  return at;
}

/**
 * The origin the browser posts to: the emulator's in local mode (path-style URLs), else the
 * bucket's virtual-hosted endpoint, as the SDK resolves it for `createPresignedPost`.
 */
export function s3UploadOrigin(
  config: Pick<Config, 'BAOCAO_S3_ENDPOINT' | 'REPORTS_BUCKET' | 'AWS_REGION'>,
): string {
  if (config.BAOCAO_S3_ENDPOINT) return new URL(config.BAOCAO_S3_ENDPOINT).origin;
  const suffix = config.AWS_REGION.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://${config.REPORTS_BUCKET}.s3.${config.AWS_REGION}.${suffix}`;
}

/** The signer for this configuration, on the process's S3 client. */
export function createUploadSigner(config: Config, client: S3Client = s3(config)): S3UploadSigner {
  return new S3UploadSigner(client, config.REPORTS_BUCKET, s3UploadOrigin(config));
}
