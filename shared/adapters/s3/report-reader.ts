import type { Readable } from 'node:stream';
import { MissingReportError, type ReportReader } from '#shared/export/ports.ts';
import { isNoSuchKey } from './report-objects.ts';
import { s3GetStream } from './s3-get-stream.ts';
import type { S3Location } from './s3-signing.ts';

/** Opens report objects of the reports bucket for the exporter (a signed GetObject, streamed). */
export class S3ReportReader implements ReportReader {
  constructor(private readonly location: S3Location) {}

  async open(key: string, versionId?: string): Promise<Readable> {
    try {
      return await s3GetStream(this.location, key, versionId);
    } catch (error) {
      if (isNoSuchKey(error)) throw new MissingReportError(key);
      throw error;
    }
  }
}
