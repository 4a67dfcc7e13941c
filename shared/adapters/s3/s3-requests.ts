import { sigV4 } from '../aws-signing.ts';
import { bucketUrl, encodeKey, objectKey, type S3Location } from './s3-signing.ts';

/**
 * Plain S3 REST requests, signed with the SDK's own SignatureV4 and sent with Node's fetch, for
 * the two functions that talk to S3: on-upload (GetObject, HeadObject, CopyObject, DeleteObject)
 * and the exporter (GetObject and a multipart upload). The S3 client would add ~160 KB of
 * operation schemas, XML and checksum code to each bundle, and to its cold start
 * (docs/BENCHMARKS.md). The requests are the client's own, header for header, for the same
 * inputs (test/unit/uploads/s3-requests.test.ts).
 */

/** An S3 error answer: its HTTP status and S3's error code (`NoSuchKey`, `PreconditionFailed`, …). */
export class S3RequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`S3 ${status} ${code}: ${message}`);
    this.name = code || 'S3Error';
  }
}

export interface S3RequestInput {
  method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE';
  /**
   * The operation, where the S3 client names it in an `x-id` query parameter (it does not for
   * HeadObject, CreateMultipartUpload and CompleteMultipartUpload: their query says).
   */
  operation?:
    | 'GetObject'
    | 'DeleteObject'
    | 'CopyObject'
    | 'PutObject'
    | 'UploadPart'
    | 'AbortMultipartUpload';
  key: string;
  query?: Record<string, string>;
  /** Lower-case header names. */
  headers?: Record<string, string>;
  /** The payload (PutObject, UploadPart, CompleteMultipartUpload); sent as UNSIGNED-PAYLOAD. */
  body?: Uint8Array | string;
}

/** The request as signed: its URL and headers (without `host`, which fetch sets from the URL). */
export async function signS3Request(
  location: S3Location,
  input: S3RequestInput,
  signingDate?: Date,
): Promise<{ url: string; headers: Record<string, string> }> {
  const base = bucketUrl(location);
  const path = `${base.pathname.replace(/\/$/, '')}/${encodeKey(objectKey(location, input.key))}`;
  const query = { ...input.query, ...(input.operation ? { 'x-id': input.operation } : {}) };
  const host = base.port ? `${base.hostname}:${base.port}` : base.hostname;
  const signed = await sigV4('s3', location.region, location.credentials, {
    uriEscapePath: false,
    applyChecksum: false,
  }).sign(
    {
      method: input.method,
      protocol: base.protocol,
      hostname: base.hostname,
      ...(base.port ? { port: Number(base.port) } : {}),
      path,
      query,
      headers: { host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', ...input.headers },
    },
    signingDate ? { signingDate } : {},
  );
  const url = new URL(`${base.protocol}//${host}${path}`);
  for (const [name, value] of Object.entries(query).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    url.searchParams.set(name, value);
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers)) {
    if (name.toLowerCase() !== 'host') headers[name] = String(value);
  }
  return { url: url.toString(), headers };
}

/** Attempts of one request, as the SDK's standard retry mode (5xx, throttling, network errors). */
const MAX_ATTEMPTS = 3;
const BASE_DELAY_MS = 50;

/**
 * Sends one signed request, retried like the SDK does (up to 3 attempts with jittered back-off on
 * 5xx, 429 and network errors; each attempt signed afresh). Answers of 300 and above become
 * {@link S3RequestError} (the body's `<Code>` when there is one); so does a 200 CopyObject whose
 * body is an `<Error>` ({@link checkedText}: S3 may fail a copy after it has started answering).
 */
export async function s3Request(location: S3Location, input: S3RequestInput): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    const { url, headers } = await signS3Request(location, input);
    let res: Response;
    try {
      res = await fetch(url, {
        method: input.method,
        headers,
        ...(input.body !== undefined ? { body: input.body as BodyInit } : {}),
      });
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS) throw error;
      await backoff(attempt);
      continue;
    }
    if (res.status < 300) return res;
    const error = await errorOf(res);
    if ((res.status >= 500 || res.status === 429) && attempt < MAX_ATTEMPTS) {
      await backoff(attempt);
      continue;
    }
    throw error;
  }
}

function backoff(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * BASE_DELAY_MS * 2 ** attempt));
}

/** Reads an answer's body as text and throws if it is an S3 `<Error>` document. */
export async function checkedText(res: Response): Promise<string> {
  const text = await res.text();
  if (/^\s*(<\?xml[^>]*>\s*)?<Error>/.test(text)) throw parseError(res.status, text);
  return text;
}

async function errorOf(res: Response): Promise<S3RequestError> {
  const text = res.body ? await res.text().catch(() => '') : '';
  return parseError(res.status, text);
}

function parseError(status: number, text: string): S3RequestError {
  const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1] ?? (status === 404 ? 'NotFound' : `Http${status}`);
  const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? '';
  return new S3RequestError(status, code, message);
}

/** The user metadata of an answer (`x-amz-meta-<name>` → `<name>`). */
export function metadataOf(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (name.startsWith('x-amz-meta-')) out[name.slice('x-amz-meta-'.length)] = value;
  });
  return out;
}
