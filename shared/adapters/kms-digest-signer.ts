import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { DigestSigner } from '#shared/audit/ports.ts';
import { sendAwsJson } from './aws-json-request.ts';
import { jsonProtocolError } from './sdk-retry.ts';

/** KMS's largest RAW message (a digest's signed part is well under 1 KB). */
const MAX_RAW_MESSAGE_BYTES = 4096;
/** Longest wait for one KMS answer. */

/** A KMS error answer: its HTTP status, its code (`NotFoundException`, `DisabledException`, …) and message. */
export class KmsRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`KMS request failed: HTTP ${status} ${code}${message ? `: ${message}` : ''}`);
    this.name = 'KmsRequestError';
  }
}

export interface KmsTarget {
  region: string;
  credentials: AwsCredentialIdentityProvider;
  /** Tests only: another endpoint than `https://kms.<region>.amazonaws.com`. */
  endpoint?: string;
  timeoutMs?: number;
}

/**
 * Signs the audit digests with a KMS asymmetric key (ECC_NIST_P256, ECDSA_SHA_256), as two signed
 * HTTPS requests in KMS's JSON protocol (`X-Amz-Target: TrentService.Sign` / `GetPublicKey`)
 * rather than the KMS client, as `SignedSecretsManager` does for Secrets Manager: the planner's
 * bundle stays small. The message (a digest's canonical JSON, under 1 KB) is sent as
 * `MessageType: RAW`: KMS hashes it with SHA-256 and signs; node:crypto verifies the DER
 * signature with the key's public half (`GetPublicKey`). Throttling and transient errors are retried like the SDK's
 * standard mode.
 */
export class KmsDigestSigner implements DigestSigner {
  readonly algorithm = 'ECDSA_SHA_256' as const;
  private readonly endpoint: URL;
  private resolvedKeyId: Promise<string> | undefined;

  constructor(
    private readonly keyIdOrAlias: string,
    private readonly target: KmsTarget,
    private readonly sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  ) {
    this.endpoint = new URL(target.endpoint ?? `https://kms.${target.region}.amazonaws.com/`);
  }

  /** The key's ARN (what Sign answers), so that a digest names the exact key even after an alias moves. */
  keyId(): Promise<string> {
    this.resolvedKeyId ??= this.call<{ KeyId?: string }>('GetPublicKey', { KeyId: this.keyIdOrAlias })
      .then((out) => out.KeyId ?? this.keyIdOrAlias)
      .catch((error: unknown) => {
        this.resolvedKeyId = undefined;
        throw error;
      });
    return this.resolvedKeyId;
  }

  async sign(message: Uint8Array): Promise<Uint8Array> {
    if (message.byteLength > MAX_RAW_MESSAGE_BYTES) {
      throw new Error(
        `KMS signs at most ${MAX_RAW_MESSAGE_BYTES} bytes as a RAW message; got ${message.byteLength}`,
      );
    }
    const out = await this.call<{ Signature?: string }>('Sign', {
      KeyId: await this.keyId(),
      Message: Buffer.from(message).toString('base64'),
      MessageType: 'RAW',
      SigningAlgorithm: 'ECDSA_SHA_256',
    });
    if (!out.Signature) throw new Error('KMS Sign answered without a signature');
    return new Uint8Array(Buffer.from(out.Signature, 'base64'));
  }

  async publicKey(keyId: string): Promise<Uint8Array> {
    const out = await this.call<{ PublicKey?: string }>('GetPublicKey', { KeyId: keyId });
    if (!out.PublicKey) throw new Error('KMS GetPublicKey answered without a key');
    return new Uint8Array(Buffer.from(out.PublicKey, 'base64'));
  }

  private async call<T>(operation: 'Sign' | 'GetPublicKey', input: Record<string, string>): Promise<T> {
    const text = await sendAwsJson({
      service: 'kms',
      region: this.target.region,
      credentials: this.target.credentials,
      endpoint: this.endpoint,
      target: `TrentService.${operation}`,
      contentType: 'application/x-amz-json-1.1',
      body: JSON.stringify(input),
      timeoutMs: this.target.timeoutMs,
      error: (response, body) => {
        const { code, message } = jsonProtocolError(response, body);
        return new KmsRequestError(response.status, code || 'Unknown', message);
      },
      sleep: this.sleep,
    });
    return JSON.parse(text) as T;
  }
}
