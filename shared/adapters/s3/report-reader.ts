import { Readable } from 'node:stream';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { MissingReportError, type ReportReader } from '#shared/export/ports.ts';

/** Opens report objects of the reports bucket for the exporter (GetObject, streamed). */
export class S3ReportReader implements ReportReader {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async open(key: string, versionId?: string): Promise<Readable> {
    try {
      const out = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: key,
          ...(versionId ? { VersionId: versionId } : {}),
        }),
      );
      if (!out.Body) throw new Error(`GetObject ${key}: no body`);
      // In Node the SDK's body is an http.IncomingMessage (a Readable).
      return out.Body instanceof Readable
        ? out.Body
        : Readable.from(out.Body as unknown as AsyncIterable<Uint8Array>);
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (error instanceof Error && (error.name === 'NoSuchKey' || status === 404)) {
        throw new MissingReportError(key);
      }
      throw error;
    }
  }
}
