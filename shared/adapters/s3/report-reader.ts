import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { MissingReportError, type ReportReader } from '#shared/export/ports.ts';
import { isNoSuchKey } from './report-objects.ts';
import { s3Request } from './s3-requests.ts';
import type { S3Location } from './s3-signing.ts';

/** Opens report objects of the reports bucket for the exporter (a signed GetObject, streamed). */
export class S3ReportReader implements ReportReader {
  constructor(private readonly location: S3Location) {}

  async open(key: string, versionId?: string): Promise<Readable> {
    try {
      const res = await s3Request(this.location, {
        method: 'GET',
        operation: 'GetObject',
        key,
        ...(versionId ? { query: { versionId } } : {}),
      });
      if (!res.body) throw new Error(`GetObject ${key}: no body`);
      return Readable.fromWeb(res.body as unknown as WebReadableStream<Uint8Array>);
    } catch (error) {
      if (isNoSuchKey(error)) throw new MissingReportError(key);
      throw error;
    }
  }
}
