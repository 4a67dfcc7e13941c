import type { Config } from '#shared/config.ts';
import type { CreateUploadInput, PresignedUpload, UploadSigner } from '#shared/uploads/ports.ts';
import { bucketUrl, reportsLocation, type S3Location, signPostPolicy } from './s3-signing.ts';

/** Longest life of a presigned POST. */
export const MAX_UPLOAD_EXPIRY_SECONDS = 15 * 60;

const METADATA_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const METADATA_VALUE = /^[\x20-\x7e]{0,1900}$/;

/**
 * Presigned POSTs to the reports bucket (signed locally with the function's credentials by
 * `signPostPolicy`, equal to `@aws-sdk/s3-presigned-post`'s output). The policy pins everything the browser could change: the exact key,
 * the bucket, the exact Content-Type, the size range 1..maxBytes and each metadata value.
 * S3 enforces it on AWS; the local emulator (s3rver) does not, which is why the on-upload
 * function re-checks size and type after the fact.
 */
export class S3UploadSigner implements UploadSigner {
  constructor(private readonly location: S3Location) {}

  async createUpload(input: CreateUploadInput): Promise<PresignedUpload> {
    const { key, contentType, maxBytes, expiresInSeconds } = input;
    const fields = uploadFormFields(input);
    // signPostPolicy adds an exact-match condition for every field (Content-Type and each
    // metadata value included) and for `bucket` and `key`; the explicit `eq` on Content-Type
    // states the intent on its own.
    const post = await signPostPolicy(this.location, {
      key,
      conditions: [
        ['content-length-range', 1, maxBytes],
        ['eq', '$Content-Type', contentType],
      ],
      fields,
      expiresInSeconds,
    });
    return { url: post.url, fields: post.fields, expiresAt: policyExpiration(post.fields.Policy) };
  }

  uploadOrigin(): string {
    return bucketUrl(this.location).origin;
  }
}

/**
 * Checks what a presigned POST may carry (expiry 1 s..15 min, a size limit, S3-safe metadata)
 * and returns the form fields the policy pins: the Content-Type and each `x-amz-meta-*` value.
 * @throws Error for anything S3 would refuse or a policy should never say.
 */
export function uploadFormFields(input: CreateUploadInput): Record<string, string> {
  const { contentType, maxBytes, expiresInSeconds } = input;
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
  return fields;
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
 * bucket's virtual-hosted endpoint.
 */
export function s3UploadOrigin(
  config: Pick<Config, 'BAOCAO_S3_ENDPOINT' | 'REPORTS_BUCKET' | 'AWS_REGION'>,
): string {
  return bucketUrl({
    region: config.AWS_REGION,
    bucket: config.REPORTS_BUCKET,
    endpoint: config.BAOCAO_S3_ENDPOINT,
  }).origin;
}

/** The signer for this configuration. */
export function createUploadSigner(config: Config): S3UploadSigner {
  return new S3UploadSigner(reportsLocation(config));
}
