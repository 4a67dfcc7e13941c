import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentityProvider, Checksum, SourceData } from '@smithy/types';

/**
 * AWS Signature Version 4 without a service client: the SDK's own `SignatureV4` and credential
 * chain, for the few calls where a whole client would cost more cold start than the call is
 * worth (presigned S3 URLs and POSTs, the exporter's asynchronous invoke). Each use is checked
 * against the SDK client doing the same thing (test/unit/uploads/s3-signing.test.ts,
 * test/unit/export/lambda-invoke.test.ts).
 */

/** SHA-256 and HMAC-SHA256 for SignatureV4, on node:crypto. */
export class NodeSha256 implements Checksum {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: SourceData) {
    this.hash = this.create();
  }
  update(data: Uint8Array | string): void {
    this.hash.update(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.create();
  }
  private create(): Hash | Hmac {
    if (this.secret === undefined) return createHash('sha256');
    const secret = this.secret;
    const key =
      typeof secret === 'string'
        ? Buffer.from(secret, 'utf8')
        : ArrayBuffer.isView(secret)
          ? Buffer.from(secret.buffer, secret.byteOffset, secret.byteLength)
          : Buffer.from(secret);
    return createHmac('sha256', key);
  }
}

/** A SignatureV4 signer for one service and region. */
export function sigV4(
  service: string,
  region: string,
  credentials: AwsCredentialIdentityProvider,
  options: { uriEscapePath?: boolean; applyChecksum?: boolean } = {},
): SignatureV4 {
  return new SignatureV4({ service, region, credentials, sha256: NodeSha256, ...options });
}

let chain: AwsCredentialIdentityProvider | undefined;

/**
 * The SDK's default credential chain, built once per process (it caches credentials until they
 * expire). In the Lambda bundles it is the environment only (infra/bundling/env-credentials.ts).
 */
export function awsCredentials(): AwsCredentialIdentityProvider {
  chain ??= defaultProvider();
  return chain;
}
