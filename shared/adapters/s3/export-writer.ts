import type { Readable } from 'node:stream';
import type { ExportWriter } from '#shared/export/ports.ts';
import { escapeHtml } from '#shared/html-escape.ts';
import { checkedText, s3Request } from './s3-requests.ts';
import type { S3Location } from './s3-signing.ts';

interface CompletedPart {
  PartNumber: number;
  ETag: string;
}

export interface MultipartOptions {
  /** Size of a part (S3: at least 5 MiB except the last). Default 8 MiB. */
  partSize?: number;
  /** Parts uploaded at once. Default 2 (the SDK holds a copy of each part in flight). Memory: about partSize × (parallel + 1). */
  parallel?: number;
}

const MIB = 1024 * 1024;
/** S3 allows at most 10,000 parts: the part size doubles every 1,000 parts, up to 64 MiB. */
const PARTS_PER_SIZE = 1000;
const MAX_PART_SIZE = 64 * MIB;

/**
 * Writes export packs to the reports bucket as they are produced: a multipart upload fed part by
 * part (a stream smaller than one part becomes one PutObject). Memory stays at a few parts
 * whatever the pack's size; a stream error aborts the upload, leaving no object and no parts.
 * (`@aws-sdk/lib-storage` does the same but is not a dependency of this project.)
 */
export class S3ExportWriter implements ExportWriter {
  private readonly partSize: number;
  private readonly parallel: number;

  constructor(
    private readonly location: S3Location,
    options: MultipartOptions = {},
  ) {
    this.partSize = Math.max(5 * MIB, options.partSize ?? 8 * MIB);
    this.parallel = Math.max(1, options.parallel ?? 2);
  }

  async upload(key: string, body: Readable, contentType: string): Promise<void> {
    let uploadId: string | undefined;
    const parts: CompletedPart[] = [];
    try {
      const fed = await feedParts(body, {
        partSize: (partNumber) => this.currentPartSize(partNumber),
        parallel: this.parallel,
        sendPart: async (buffer, length, number) => {
          // The first part creates the upload (feedParts sends it before any other).
          uploadId ??= await this.create(key, contentType);
          const res = await s3Request(this.location, {
            method: 'PUT',
            operation: 'UploadPart',
            key,
            query: { partNumber: String(number), uploadId },
            headers: { 'content-type': 'application/octet-stream' },
            body: buffer.subarray(0, length),
          });
          await res.body?.cancel();
          const eTag = res.headers.get('etag');
          if (!eTag) throw new Error(`UploadPart ${key} #${number}: no ETag`);
          parts.push({ PartNumber: number, ETag: eTag });
        },
      });
      if (fed.parts === 0) {
        // Small pack: one request.
        const res = await s3Request(this.location, {
          method: 'PUT',
          operation: 'PutObject',
          key,
          headers: { 'content-type': contentType },
          body: fed.bytes,
        });
        await res.body?.cancel();
        return;
      }
      parts.sort((a, b) => a.PartNumber - b.PartNumber);
      const res = await s3Request(this.location, {
        method: 'POST',
        key,
        query: { uploadId: uploadId! },
        headers: { 'content-type': 'application/xml' },
        body: completeBody(parts),
      });
      // S3 may answer 200 and fail the completion in the body.
      await checkedText(res);
    } catch (error) {
      body.destroy();
      if (uploadId) {
        await s3Request(this.location, {
          method: 'DELETE',
          operation: 'AbortMultipartUpload',
          key,
          query: { uploadId },
        })
          .then((res) => res.body?.cancel())
          .catch(() => {});
      }
      throw error;
    }
  }

  private async create(key: string, contentType: string): Promise<string> {
    const res = await s3Request(this.location, {
      method: 'POST',
      key,
      query: { uploads: '' },
      headers: { 'content-type': contentType },
    });
    const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(await checkedText(res))?.[1];
    if (!uploadId) throw new Error(`CreateMultipartUpload ${key}: no upload id`);
    return uploadId;
  }

  private currentPartSize(partNumber: number): number {
    return Math.min(MAX_PART_SIZE, this.partSize * 2 ** Math.floor((partNumber - 1) / PARTS_PER_SIZE));
  }
}

/** How {@link feedParts} cuts a stream and sends its parts. */
export interface PartFeed {
  /** The size of part `partNumber` (1-based); every part but the last is this long. */
  partSize: (partNumber: number) => number;
  /** Parts sent at once (the first is always sent alone, before any other). */
  parallel: number;
  /** Sends `buffer.subarray(0, length)` as part `number`; the buffer is reused once this resolves. */
  sendPart: (buffer: Buffer, length: number, number: number) => Promise<void>;
}

/**
 * Feeds a stream to `sendPart` part by part: each chunk is copied into a part buffer; a full part
 * is sent while the next fills, at most `parallel` at once; the part buffers are reused, so a
 * stream of any length allocates at most `parallel + 1` of them. A stream shorter than one part
 * sends nothing and returns its bytes. When a part fails, the parts in flight are waited for and
 * the error is thrown.
 */
export async function feedParts(
  body: Readable,
  feed: PartFeed,
): Promise<{ parts: number; bytes?: undefined } | { parts: 0; bytes: Buffer }> {
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  const pool: Buffer[] = [];
  let part: Buffer | undefined;
  let filled = 0;
  let partNumber = 0;

  const send = async (buffer: Buffer, length: number, number: number) => {
    await feed.sendPart(buffer, length, number);
    pool.push(buffer);
  };
  const flushPart = async () => {
    const buffer = part!;
    const length = filled;
    part = undefined;
    filled = 0;
    partNumber++;
    if (partNumber === 1) {
      await send(buffer, length, 1);
      return;
    }
    const tracked: Promise<void> = send(buffer, length, partNumber)
      .catch((error) => {
        failure ??= error;
      })
      .finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
    while (inFlight.size >= feed.parallel) await Promise.race(inFlight);
    if (failure) throw failure;
  };

  try {
    for await (const chunk of body) {
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
      for (let offset = 0; offset < buf.length; ) {
        const size = feed.partSize(partNumber + 1);
        if (!part) {
          const reused = pool.pop();
          part = reused?.length === size ? reused : Buffer.allocUnsafeSlow(size);
        }
        const copied = buf.copy(part, filled, offset, Math.min(buf.length, offset + size - filled));
        filled += copied;
        offset += copied;
        if (filled === size) await flushPart();
      }
    }
    if (partNumber === 0) return { parts: 0, bytes: part ? part.subarray(0, filled) : Buffer.alloc(0) };
    if (filled > 0) await flushPart();
    await Promise.all(inFlight);
    if (failure) throw failure;
    return { parts: partNumber };
  } catch (error) {
    await Promise.allSettled(inFlight);
    throw error;
  }
}

/** The CompleteMultipartUpload document: the parts in order, with their ETags (XML-escaped). */
function completeBody(parts: readonly CompletedPart[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${parts
    .map((p) => `<Part><ETag>${escapeHtml(p.ETag)}</ETag><PartNumber>${p.PartNumber}</PartNumber></Part>`)
    .join('')}</CompleteMultipartUpload>`;
}
