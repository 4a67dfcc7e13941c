import type { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { ReportObjects, StoredObject } from '#shared/recording/ports.ts';

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

/** The reports bucket, for the on-upload function: read, quarantine, delete. */
export class S3ReportObjects implements ReportObjects {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly clock: { now(): Date } = { now: () => new Date() },
  ) {}

  async open(key: string): Promise<StoredObject | undefined> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      const body = out.Body as (Readable & AsyncIterable<Uint8Array>) | undefined;
      if (!body) throw new Error(`GetObject ${key}: no body`);
      return {
        size: Number(out.ContentLength ?? 0),
        metadata: out.Metadata ?? {},
        body,
        discard: () => body.destroy(),
      };
    } catch (error) {
      if (isNoSuchKey(error)) return undefined;
      throw error;
    }
  }

  async quarantine(key: string, reason: string): Promise<boolean> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      await this.client.send(
        new CopyObjectCommand({
          Bucket: this.bucket,
          Key: `${QUARANTINE_PREFIX}${key}`,
          CopySource: `${this.bucket}/${key.split('/').map(encodeURIComponent).join('/')}`,
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
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    return true;
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
