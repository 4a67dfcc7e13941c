import type { SignedFileSource } from '#shared/signatures/ports.ts';
import { isNoSuchKey } from './report-objects.ts';
import { s3Request } from './s3-requests.ts';
import type { S3Location } from './s3-signing.ts';

/**
 * The kept reports' bytes for the verifier: one signed GetObject of exactly the kept version, read
 * into one buffer of the length S3 announces, never more than `maxBytes`.
 */
export class S3SignedFiles implements SignedFileSource {
  constructor(private readonly location: S3Location) {}

  async read(
    key: string,
    versionId: string | undefined,
    maxBytes: number,
  ): Promise<Uint8Array | 'too-large' | undefined> {
    let res: Response;
    try {
      res = await s3Request(this.location, {
        method: 'GET',
        operation: 'GetObject',
        key,
        ...(versionId ? { query: { versionId } } : {}),
      });
    } catch (error) {
      if (isNoSuchKey(error)) return undefined;
      throw error;
    }
    const declared = Number(res.headers.get('content-length') ?? Number.NaN);
    if (!res.body) throw new Error(`GetObject ${key}: no body`);
    if (Number.isFinite(declared) && declared > maxBytes) {
      await res.body.cancel();
      return 'too-large';
    }
    // One buffer of the declared size (no concatenation of chunks); grown only if S3 sent none.
    let buffer = new Uint8Array(Number.isFinite(declared) ? declared : 1024 * 1024);
    let length = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      if (length + chunk.length > maxBytes) {
        await res.body.cancel().catch(() => undefined);
        return 'too-large';
      }
      if (length + chunk.length > buffer.length) {
        const grown = new Uint8Array(Math.min(maxBytes, Math.max(buffer.length * 2, length + chunk.length)));
        grown.set(buffer.subarray(0, length));
        buffer = grown;
      }
      buffer.set(chunk, length);
      length += chunk.length;
    }
    return buffer.subarray(0, length);
  }
}
