import { createHash } from 'node:crypto';
import type { TrustAnchor } from '#shared/signatures/ports.ts';
import { s3Request } from './s3-requests.ts';
import type { S3Location } from './s3-signing.ts';

/** Largest trust store asset read (200 anchors of a few KB each). */
const MAX_ASSET_BYTES = 2 * 1024 * 1024;

/**
 * The trust store's deployed asset (infra/constructs/signatures.ts builds it from `trust/` at
 * synth): `{ "anchors": TrustAnchor[] }` in the CDK assets bucket. Read once per cold start.
 */
export function trustAsset(
  location: S3Location,
  key: string,
): () => Promise<{ tag: string; anchors: TrustAnchor[] }> {
  let read: Promise<{ tag: string; anchors: TrustAnchor[] }> | undefined;
  return () => {
    read ??= (async () => {
      const res = await s3Request(location, { method: 'GET', operation: 'GetObject', key });
      const text = await res.text();
      if (text.length > MAX_ASSET_BYTES)
        throw new Error(`Trust store asset ${key} is larger than ${MAX_ASSET_BYTES} bytes`);
      const parsed = JSON.parse(text) as { anchors?: TrustAnchor[] };
      return {
        tag: createHash('sha256').update(text).digest('hex').slice(0, 8),
        anchors: Array.isArray(parsed.anchors) ? parsed.anchors : [],
      };
    })().catch((error) => {
      read = undefined;
      throw error;
    });
    return read;
  };
}
