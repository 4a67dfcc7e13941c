/**
 * FAKES FOR FAST USE-CASE TESTS: the reports bucket in memory, and over it the ports the use
 * cases use: ReportObjects (on-upload), ReportReader and ExportWriter (exporter), UploadSigner
 * (grants). The real S3 adapters (shared/adapters/s3/) are tested against s3rver in
 * test/integration, and the POST policy against the SDK's presigner in test/unit/uploads.
 *
 * As s3rver by default: no versions (a second object at a key replaces the first; a `versionId`
 * given to a read or a delete is ignored), ETags are the MD5 of the bytes. With
 * `{ versioned: true }`, as S3 with versioning (what the reports bucket has on AWS): every write
 * gets a version id, reads and deletes may name one, a delete without one hides the object behind
 * a delete marker, and a version locked by Object Lock cannot be deleted before its retention ends.
 *
 * Closer to S3 than s3rver, on purpose: a presigned POST is checked against its policy (expiry,
 * exact key, Content-Type and metadata, size range), and a copy whose `CopySourceIfMatch` ETag
 * does not match fails with `PreconditionFailed` (s3rver ignores both).
 */

import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { QUARANTINE_METADATA, QUARANTINE_PREFIX } from '#shared/adapters/s3/report-objects.ts';
import { uploadFormFields } from '#shared/adapters/s3/upload-signer.ts';
import type { ObjectIdentity } from '#shared/domain/submission.ts';
import { type ExportWriter, MissingReportError, type ReportReader } from '#shared/export/ports.ts';
import type { Clock } from '#shared/ports.ts';
import type { ReportObjects, Retention, StoredObject } from '#shared/recording/ports.ts';
import type { UploadEvent } from '#shared/recording/record-upload.ts';
import type { CreateUploadInput, PresignedUpload, UploadSigner } from '#shared/uploads/ports.ts';

/** One stored version of an object (or a delete marker). */
export interface MemoryObject {
  versionId: string | undefined;
  bytes: Buffer;
  /** MD5 of the bytes, hex, without quotes. */
  eTag: string;
  contentType: string | undefined;
  /** User metadata by short name (`x-amz-meta-upload-id` → `upload-id`). */
  metadata: Record<string, string>;
  lastModified: Date;
  retention?: Retention | undefined;
  deleteMarker?: true;
}

/** An error shaped like the SDK's S3 errors (`name`, `$metadata.httpStatusCode`). */
export function s3Error(name: string, message: string, status: number): Error {
  const error = new Error(message);
  error.name = name;
  Object.assign(error, { $metadata: { httpStatusCode: status } });
  return error;
}

const bare = (eTag: string | undefined) => eTag?.replace(/^"|"$/g, '');

/** A bucket in memory; see the file's header for what it reproduces of S3 and of s3rver. */
export class MemoryBucket {
  /** Every version of each key, oldest first (one, without versioning). */
  private readonly objects = new Map<string, MemoryObject[]>();
  private versionCount = 0;
  readonly versioned: boolean;
  /** Where presigned POSTs go. */
  readonly url: string;

  constructor(
    readonly name: string,
    private readonly clock: Clock,
    options: { versioned?: boolean } = {},
  ) {
    this.versioned = options.versioned ?? false;
    this.url = `https://${name}.s3.memory.invalid`;
  }

  /** PutObject (and the write half of CopyObject). */
  put(
    key: string,
    bytes: Uint8Array,
    options: {
      contentType?: string | undefined;
      metadata?: Record<string, string>;
      retention?: Retention;
    } = {},
  ): ObjectIdentity {
    const object: MemoryObject = {
      versionId: this.versioned ? `v${String(++this.versionCount).padStart(8, '0')}` : undefined,
      bytes: Buffer.from(bytes),
      eTag: createHash('md5').update(bytes).digest('hex'),
      contentType: options.contentType,
      metadata: { ...options.metadata },
      lastModified: this.clock.now(),
      ...(options.retention ? { retention: { ...options.retention } } : {}),
    };
    if (this.versioned) this.objects.set(key, [...(this.objects.get(key) ?? []), object]);
    else this.objects.set(key, [object]);
    return { eTag: object.eTag, ...(object.versionId ? { versionId: object.versionId } : {}) };
  }

  /** The object at `key`: the version named (versioned buckets only), else the current one. */
  find(key: string, versionId?: string): MemoryObject | undefined {
    const versions = this.objects.get(key) ?? [];
    if (this.versioned && versionId !== undefined) {
      return versions.find((v) => v.versionId === versionId && !v.deleteMarker);
    }
    const current = versions.at(-1);
    return current && !current.deleteMarker ? current : undefined;
  }

  /** DeleteObject: no error when there is nothing to delete. */
  delete(key: string, versionId?: string): void {
    const versions = this.objects.get(key);
    if (!versions) return;
    if (!this.versioned) {
      this.objects.delete(key);
      return;
    }
    if (versionId === undefined) {
      versions.push({
        versionId: `v${String(++this.versionCount).padStart(8, '0')}`,
        bytes: Buffer.alloc(0),
        eTag: '',
        contentType: undefined,
        metadata: {},
        lastModified: this.clock.now(),
        deleteMarker: true,
      });
      return;
    }
    const index = versions.findIndex((v) => v.versionId === versionId);
    if (index < 0) return;
    const lock = versions[index]!.retention;
    if (lock && lock.until.getTime() > this.clock.now().getTime()) {
      throw s3Error('AccessDenied', 'Access Denied because object protected by object lock.', 403);
    }
    versions.splice(index, 1);
    if (versions.length === 0) this.objects.delete(key);
  }

  /** The keys of the current objects under `prefix`, sorted. */
  keys(prefix = ''): string[] {
    return [...this.objects.keys()].filter((k) => k.startsWith(prefix) && this.find(k)).sort();
  }

  /** A copy of an object's bytes, or undefined. */
  bytes(key: string, versionId?: string): Buffer | undefined {
    const object = this.find(key, versionId);
    return object ? Buffer.from(object.bytes) : undefined;
  }

  /**
   * A browser's presigned POST of `file` with the fields of `upload`: checked against its policy
   * as S3 checks it when the POST begins (at `at`), stored, and answered with the ObjectCreated
   * event S3 then sends (bare ETag, version id where there is one, the arrival time).
   */
  post(
    upload: Pick<PresignedUpload, 'url' | 'fields'>,
    file: Uint8Array,
    at = this.clock.now(),
  ): UploadEvent {
    if (upload.url !== this.url) throw s3Error('NoSuchBucket', 'The specified bucket does not exist', 404);
    const fields = new Map(Object.entries(upload.fields).map(([k, v]) => [k.toLowerCase(), v]));
    const policy = JSON.parse(Buffer.from(fields.get('policy') ?? '', 'base64').toString('utf8')) as {
      expiration: string;
      conditions: (Record<string, string> | [string, string | number, string | number])[];
    };
    const denied = (why: string) => s3Error('AccessDenied', `Invalid according to Policy: ${why}`, 403);
    if (at.getTime() >= Date.parse(policy.expiration)) throw denied('Policy expired.');
    const covered = new Set(['policy', 'x-amz-signature', 'file']);
    const value = (name: string) =>
      name.toLowerCase() === 'bucket' ? this.name : fields.get(name.toLowerCase());
    for (const condition of policy.conditions) {
      if (Array.isArray(condition)) {
        const [op, a, b] = condition;
        if (op === 'content-length-range') {
          if (file.length < Number(a))
            throw s3Error(
              'EntityTooSmall',
              'Your proposed upload is smaller than the minimum allowed size',
              400,
            );
          if (file.length > Number(b))
            throw s3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', 400);
          continue;
        }
        const name = String(a).replace(/^\$/, '');
        covered.add(name.toLowerCase());
        const actual = value(name) ?? '';
        if (op === 'eq' ? actual !== b : !actual.startsWith(String(b)))
          throw denied(`Policy Condition failed: ${op} ${a}`);
      } else {
        for (const [name, expected] of Object.entries(condition)) {
          covered.add(name.toLowerCase());
          if (value(name) !== expected) throw denied(`Policy Condition failed: ${name}`);
        }
      }
    }
    const extra = [...fields.keys()].filter((name) => !covered.has(name));
    if (extra.length > 0) throw denied(`Extra input fields: ${extra.join(', ')}`);
    const key = fields.get('key')!;
    const metadata = Object.fromEntries(
      [...fields]
        .filter(([k]) => k.startsWith('x-amz-meta-'))
        .map(([k, v]) => [k.slice('x-amz-meta-'.length), v]),
    );
    const written = this.put(key, file, { contentType: fields.get('content-type'), metadata });
    return {
      bucket: this.name,
      key,
      size: file.length,
      eventTime: at.toISOString(),
      ...written,
    };
  }
}

const CHUNK_BYTES = 64 * 1024;

/** ReportObjects (shared/adapters/s3/report-objects.ts) over a {@link MemoryBucket}. */
export class MemoryReportObjects implements ReportObjects {
  constructor(
    private readonly bucket: MemoryBucket,
    private readonly clock: Clock,
  ) {}

  async open(key: string, versionId?: string): Promise<StoredObject | undefined> {
    const object = this.bucket.find(key, versionId);
    if (!object) return undefined;
    const bytes = Buffer.from(object.bytes);
    async function* body(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < bytes.length; i += CHUNK_BYTES) yield bytes.subarray(i, i + CHUNK_BYTES);
    }
    return {
      size: bytes.length,
      metadata: { ...object.metadata },
      versionId: object.versionId,
      eTag: object.eTag,
      body: body(),
      discard: () => {},
    };
  }

  async keep(
    from: string,
    source: ObjectIdentity,
    to: string,
    retention: Retention,
  ): Promise<{ versionId?: string | undefined } | undefined> {
    const object = this.bucket.find(from, source.versionId);
    if (!object) return undefined;
    if (source.eTag && bare(source.eTag) !== object.eTag) {
      throw s3Error(
        'PreconditionFailed',
        'At least one of the pre-conditions you specified did not hold',
        412,
      );
    }
    const written = this.bucket.put(to, object.bytes, {
      contentType: object.contentType,
      metadata: object.metadata,
      retention,
    });
    return written.versionId ? { versionId: written.versionId } : {};
  }

  async quarantine(key: string, reason: string, versionId?: string): Promise<boolean> {
    const object = this.bucket.find(key, versionId);
    if (!object) return false;
    this.bucket.put(`${QUARANTINE_PREFIX}${key}`, object.bytes, {
      contentType: object.contentType,
      metadata: {
        ...object.metadata,
        [QUARANTINE_METADATA.reason]: encodeURIComponent(Array.from(reason).slice(0, 300).join('')),
        [QUARANTINE_METADATA.quarantinedAt]: this.clock.now().toISOString(),
      },
    });
    await this.remove(key, versionId);
    return true;
  }

  async quarantineReason(key: string): Promise<string | undefined> {
    const encoded = this.bucket.find(`${QUARANTINE_PREFIX}${key}`)?.metadata[QUARANTINE_METADATA.reason];
    if (encoded === undefined) return undefined;
    try {
      return decodeURIComponent(encoded);
    } catch {
      return encoded;
    }
  }

  async remove(key: string, versionId?: string): Promise<void> {
    this.bucket.delete(key, versionId);
  }
}

/** ReportReader (shared/adapters/s3/report-reader.ts) over a {@link MemoryBucket}. */
export class MemoryReportReader implements ReportReader {
  constructor(private readonly bucket: MemoryBucket) {}

  async open(key: string, versionId?: string): Promise<Readable> {
    const bytes = this.bucket.bytes(key, versionId);
    if (!bytes) throw new MissingReportError(key);
    return Readable.from([bytes]);
  }
}

/**
 * ExportWriter (shared/adapters/s3/export-writer.ts) over a {@link MemoryBucket}: the object
 * appears whole when the stream ends; a stream error leaves nothing behind.
 */
export class MemoryExportWriter implements ExportWriter {
  constructor(private readonly bucket: MemoryBucket) {}

  async upload(key: string, body: Readable, contentType: string): Promise<void> {
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of body) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    } catch (error) {
      body.destroy();
      throw error;
    }
    this.bucket.put(key, Buffer.concat(chunks), { contentType });
  }
}

/**
 * UploadSigner for a {@link MemoryBucket}: the same fields and policy conditions as
 * shared/adapters/s3/upload-signer.ts (exact key, bucket, Content-Type and metadata, size
 * 1..maxBytes), expiring by the injected clock, unsigned (the bucket checks the policy itself).
 */
export class MemoryUploadSigner implements UploadSigner {
  constructor(
    private readonly bucket: MemoryBucket,
    private readonly clock: Clock,
  ) {}

  async createUpload(input: CreateUploadInput): Promise<PresignedUpload> {
    const { key, contentType, maxBytes, expiresInSeconds } = input;
    // The adapter's own checks and fields (shared/adapters/s3/upload-signer.ts).
    const fields: Record<string, string> = { bucket: this.bucket.name, key, ...uploadFormFields(input) };
    const expiresAt = new Date(this.clock.now().getTime() + expiresInSeconds * 1000);
    const policy = {
      expiration: expiresAt.toISOString(),
      conditions: [
        ...Object.entries(fields).map(([name, value]) => ({ [name]: value })),
        ['content-length-range', 1, maxBytes],
        ['eq', '$Content-Type', contentType],
      ],
    };
    fields.Policy = Buffer.from(JSON.stringify(policy), 'utf8').toString('base64');
    return { url: this.bucket.url, fields, expiresAt };
  }

  uploadOrigin(): string {
    return this.bucket.url;
  }
}
