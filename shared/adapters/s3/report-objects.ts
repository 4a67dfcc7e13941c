import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { ObjectIdentity } from '#shared/domain/submission.ts';
import type { ReportObjects, Retention, StoredObject } from '#shared/recording/ports.ts';
import { checkedText, metadataOf, S3RequestError, s3Request } from './s3-requests.ts';
import { encodeKey, objectKey, type S3Location } from './s3-signing.ts';

/** Where refused and unexpected objects go: `quarantine/<original key>`. */
export const QUARANTINE_PREFIX = 'quarantine/';

/** Metadata names added to a quarantined copy (`x-amz-meta-…`). */
export const QUARANTINE_METADATA = {
  /** The reason, percent-encoded UTF-8 (S3 metadata travels as HTTP headers). */
  reason: 'quarantine-reason',
  quarantinedAt: 'quarantined-at',
} as const;

/** S3 metadata is at most 2 KB in all: the reason is cut to this many characters before encoding. */
const MAX_REASON_CHARS = 300;

/** True for S3's "no such object" answers (NoSuchKey, NoSuchVersion, a HEAD's bare 404). */
export function isNoSuchKey(error: unknown): boolean {
  return (
    error instanceof S3RequestError &&
    error.code !== 'NoSuchBucket' &&
    (error.status === 404 || error.code === 'NoSuchKey' || error.code === 'NoSuchVersion')
  );
}

/** An ETag without the quotes S3 puts around it in headers (events carry it bare). */
export function bareETag(eTag: string | undefined | null): string | undefined {
  return eTag ? eTag.replace(/^"|"$/g, '') : undefined;
}

/** `bucket/key[?versionId=…]`, URL-encoded segment by segment, for `x-amz-copy-source`. */
function copySource(bucket: string, key: string, versionId: string | undefined): string {
  const path = `${bucket}/${encodeKey(key)}`;
  return versionId ? `${path}?versionId=${encodeURIComponent(versionId)}` : path;
}

const versionQuery = (versionId: string | undefined) => (versionId ? { versionId } : undefined);

/**
 * The reports bucket, for the on-upload function: read, keep, quarantine, delete — four plain
 * signed S3 requests (./s3-requests.ts) instead of the S3 client.
 */
export class S3ReportObjects implements ReportObjects {
  constructor(
    private readonly location: S3Location,
    private readonly clock: { now(): Date } = { now: () => new Date() },
  ) {}

  async open(key: string, versionId?: string): Promise<StoredObject | undefined> {
    let res: Response;
    try {
      const query = versionQuery(versionId);
      res = await s3Request(this.location, {
        method: 'GET',
        operation: 'GetObject',
        key,
        ...(query ? { query } : {}),
      });
    } catch (error) {
      if (isNoSuchKey(error)) return undefined;
      throw error;
    }
    if (!res.body) throw new Error(`GetObject ${key}: no body`);
    const body = Readable.fromWeb(res.body as unknown as WebReadableStream<Uint8Array>);
    return {
      size: Number(res.headers.get('content-length') ?? 0),
      metadata: metadataOf(res.headers),
      versionId: res.headers.get('x-amz-version-id') ?? undefined,
      eTag: bareETag(res.headers.get('etag')),
      body,
      discard: () => body.destroy(),
    };
  }

  async keep(
    from: string,
    source: ObjectIdentity,
    to: string,
    retention: Retention,
  ): Promise<{ versionId?: string | undefined } | undefined> {
    // The version pins the exact bytes on AWS; the ETag precondition does where there are no
    // versions (and on AWS too, as a second check). Object Lock retention is set on the copy
    // only: landing, quarantine and export objects stay deletable.
    try {
      const res = await s3Request(this.location, {
        method: 'PUT',
        operation: 'CopyObject',
        key: to,
        headers: {
          'x-amz-copy-source': copySource(
            this.location.bucket,
            objectKey(this.location, from),
            source.versionId,
          ),
          ...(source.eTag ? { 'x-amz-copy-source-if-match': `"${bareETag(source.eTag)}"` } : {}),
          'x-amz-metadata-directive': 'COPY',
          'x-amz-object-lock-mode': retention.mode,
          // ISO 8601 to the second, as the S3 client writes timestamps in headers.
          'x-amz-object-lock-retain-until-date': retention.until.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        },
      });
      await checkedText(res);
      const versionId = res.headers.get('x-amz-version-id');
      return versionId ? { versionId } : {};
    } catch (error) {
      if (isNoSuchKey(error)) return undefined;
      throw error;
    }
  }

  async quarantine(key: string, reason: string, versionId?: string): Promise<boolean> {
    const query = versionQuery(versionId);
    try {
      const head = await s3Request(this.location, { method: 'HEAD', key, ...(query ? { query } : {}) });
      const contentType = head.headers.get('content-type');
      const metadata: Record<string, string> = {
        ...metadataOf(head.headers),
        [QUARANTINE_METADATA.reason]: encodeURIComponent(
          Array.from(reason).slice(0, MAX_REASON_CHARS).join(''),
        ),
        [QUARANTINE_METADATA.quarantinedAt]: this.clock.now().toISOString(),
      };
      const res = await s3Request(this.location, {
        method: 'PUT',
        operation: 'CopyObject',
        key: `${QUARANTINE_PREFIX}${key}`,
        headers: {
          'x-amz-copy-source': copySource(this.location.bucket, objectKey(this.location, key), versionId),
          'x-amz-metadata-directive': 'REPLACE',
          ...(contentType ? { 'content-type': contentType } : {}),
          ...Object.fromEntries(
            Object.entries(metadata).map(([name, value]) => [`x-amz-meta-${name}`, value]),
          ),
        },
      });
      await checkedText(res);
    } catch (error) {
      if (isNoSuchKey(error)) return false;
      throw error;
    }
    await this.remove(key, versionId);
    return true;
  }

  async remove(key: string, versionId?: string): Promise<void> {
    const query = versionQuery(versionId);
    const res = await s3Request(this.location, {
      method: 'DELETE',
      operation: 'DeleteObject',
      key,
      ...(query ? { query } : {}),
    });
    await res.body?.cancel();
  }

  async quarantineReason(key: string): Promise<string | undefined> {
    try {
      const head = await s3Request(this.location, { method: 'HEAD', key: `${QUARANTINE_PREFIX}${key}` });
      const encoded = metadataOf(head.headers)[QUARANTINE_METADATA.reason];
      if (encoded === undefined) return undefined;
      try {
        return decodeURIComponent(encoded);
      } catch {
        return encoded;
      }
    } catch (error) {
      if (isNoSuchKey(error)) return undefined;
      throw error;
    }
  }
}
