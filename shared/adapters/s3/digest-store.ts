import { createHash } from 'node:crypto';
import type { DigestStore } from '#shared/audit/ports.ts';
import { isNoSuchKey } from './report-objects.ts';
import { s3Request } from './s3-requests.ts';
import type { S3Location } from './s3-signing.ts';

/** Key prefix of the digests: `audit-digests/<chain>/<yyyy>/<yyyy-mm-dd>.json`. */
export const AUDIT_DIGEST_PREFIX = 'audit-digests/';

export const digestKey = (chain: string, date: string) =>
  `${AUDIT_DIGEST_PREFIX}${chain}/${date.slice(0, 4)}/${date}.json`;

/**
 * The signed digests in S3: on AWS the audit construct's bucket, whose default Object Lock
 * retention locks each digest as it is written (so PutObject sends Content-MD5, which S3 requires
 * with Object Lock); locally the s3rver bucket. On AWS the lock keeps a digest from being deleted or replaced for the retention.
 */
export class S3DigestStore implements DigestStore {
  constructor(private readonly location: S3Location) {}

  async get(chain: string, date: string): Promise<Uint8Array | undefined> {
    try {
      const res = await s3Request(this.location, {
        method: 'GET',
        operation: 'GetObject',
        key: digestKey(chain, date),
      });
      return new Uint8Array(await res.arrayBuffer());
    } catch (error) {
      if (isNoSuchKey(error)) return undefined;
      throw error;
    }
  }

  async put(chain: string, date: string, body: Uint8Array): Promise<void> {
    await s3Request(this.location, {
      method: 'PUT',
      operation: 'PutObject',
      key: digestKey(chain, date),
      headers: {
        'content-type': 'application/json',
        'content-md5': createHash('md5').update(body).digest('base64'),
      },
      body,
    });
  }
}
