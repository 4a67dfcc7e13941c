import type { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { ObjectIdentity } from '#shared/domain/submission.ts';
import type { ReportObjects, Retention, StoredObject } from '#shared/recording/ports.ts';

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

/** True for S3's "no such object" answers (GetObject/CopyObject: NoSuchKey; HeadObject: NotFound). */
export function isNoSuchKey(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (error.name === 'NoSuchBucket') return false;
  return error.name === 'NoSuchKey' || error.name === 'NotFound' || status === 404;
}

/** An ETag without the quotes S3 puts around it in headers (events carry it bare). */
export function bareETag(eTag: string | undefined): string | undefined {
  return eTag?.replace(/^"|"$/g, '');
}

/** `bucket/key[?versionId=…]`, URL-encoded segment by segment, for CopySource. */
function copySource(bucket: string, key: string, versionId: string | undefined): string {
  const path = `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
  return versionId ? `${path}?versionId=${encodeURIComponent(versionId)}` : path;
}

/** The reports bucket, for the on-upload function: read, keep, quarantine, delete. */
export class S3ReportObjects implements ReportObjects {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly clock: { now(): Date } = { now: () => new Date() },
  ) {}

  async open(key: string, versionId?: string): Promise<StoredObject | undefined> {
    try {
      const out = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: key,
          ...(versionId ? { VersionId: versionId } : {}),
        }),
      );
      const body = out.Body as (Readable & AsyncIterable<Uint8Array>) | undefined;
      if (!body) throw new Error(`GetObject ${key}: no body`);
      return {
        size: Number(out.ContentLength ?? 0),
        metadata: out.Metadata ?? {},
        versionId: out.VersionId,
        eTag: bareETag(out.ETag),
        body,
        discard: () => body.destroy(),
      };
    } catch (error) {
      if (isNoSuchKey(error)) return undefined;
      throw error;
    }
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
      const out = await this.client.send(
        new CopyObjectCommand({
          Bucket: this.bucket,
          Key: to,
          CopySource: copySource(this.bucket, from, source.versionId),
          ...(source.eTag ? { CopySourceIfMatch: `"${bareETag(source.eTag)}"` } : {}),
          MetadataDirective: 'COPY',
          ObjectLockMode: retention.mode,
          ObjectLockRetainUntilDate: retention.until,
        }),
      );
      return out.VersionId ? { versionId: out.VersionId } : {};
    } catch (error) {
      if (isNoSuchKey(error)) return undefined;
      throw error;
    }
  }

  async quarantine(key: string, reason: string, versionId?: string): Promise<boolean> {
    const version = versionId ? { VersionId: versionId } : {};
    try {
      const head = await this.client.send(
        new HeadObjectCommand({ Bucket: this.bucket, Key: key, ...version }),
      );
      await this.client.send(
        new CopyObjectCommand({
          Bucket: this.bucket,
          Key: `${QUARANTINE_PREFIX}${key}`,
          CopySource: copySource(this.bucket, key, versionId),
          MetadataDirective: 'REPLACE',
          ...(head.ContentType ? { ContentType: head.ContentType } : {}),
          Metadata: {
            ...head.Metadata,
            [QUARANTINE_METADATA.reason]: encodeURIComponent(
              Array.from(reason).slice(0, MAX_REASON_CHARS).join(''),
            ),
            [QUARANTINE_METADATA.quarantinedAt]: this.clock.now().toISOString(),
          },
        }),
      );
    } catch (error) {
      if (isNoSuchKey(error)) return false;
      throw error;
    }
    await this.remove(key, versionId);
    return true;
  }

  async remove(key: string, versionId?: string): Promise<void> {
    await this.client.send(
      new DeleteObjectCommand({
        Bucket: this.bucket,
        Key: key,
        ...(versionId ? { VersionId: versionId } : {}),
      }),
    );
  }

  async quarantineReason(key: string): Promise<string | undefined> {
    try {
      const head = await this.client.send(
        new HeadObjectCommand({ Bucket: this.bucket, Key: `${QUARANTINE_PREFIX}${key}` }),
      );
      const encoded = head.Metadata?.[QUARANTINE_METADATA.reason];
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
