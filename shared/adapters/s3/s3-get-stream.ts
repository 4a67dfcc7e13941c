import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { S3RequestError, signS3Request } from './s3-requests.ts';
import type { S3Location } from './s3-signing.ts';

/**
 * A GetObject whose body is read as a Node stream: the object's bytes as node:http hands them
 * over (an IncomingMessage), for the exporter, which reads every report object of a period.
 *
 * fetch (./s3-requests.ts) gives a web ReadableStream, which the exporter turned back into a Node
 * stream: each 64 KB chunk then crossed undici's web stream and `Readable.fromWeb`. Draining the
 * same objects from s3rver, that took about twice the CPU of node:http, and the whole export a
 * third more CPU than it does with this (docs/BENCHMARKS.md, `export`: an export is mostly
 * reading a gigabyte; the SDK's own handler is node:http too, with its middleware). The request is the
 * same signed request as {@link signS3Request} makes, over keep-alive connections, retried as
 * ./s3-requests.ts retries (5xx, 429 and network errors before the answer, up to 3 attempts);
 * an answer of 300 and above becomes an {@link S3RequestError}.
 */
export async function s3GetStream(
  location: S3Location,
  key: string,
  versionId?: string,
): Promise<IncomingMessage> {
  for (let attempt = 1; ; attempt++) {
    const { url, headers } = await signS3Request(location, {
      method: 'GET',
      operation: 'GetObject',
      key,
      ...(versionId ? { query: { versionId } } : {}),
    });
    let res: IncomingMessage;
    try {
      res = await get(url, headers);
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS) throw error;
      await backoff(attempt);
      continue;
    }
    const status = res.statusCode ?? 0;
    if (status < 300) return res;
    const error = parseError(status, await text(res).catch(() => ''));
    if ((status >= 500 || status === 429) && attempt < MAX_ATTEMPTS) {
      await backoff(attempt);
      continue;
    }
    throw error;
  }
}

const MAX_ATTEMPTS = 3;
const BASE_DELAY_MS = 50;
/** Connections kept open between requests (the exporter's look-ahead opens a few at a time). */
const agents = {
  'http:': new http.Agent({ keepAlive: true }),
  'https:': new https.Agent({ keepAlive: true }),
};

function get(url: string, headers: Record<string, string>): Promise<IncomingMessage> {
  const target = new URL(url);
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.get(
      target,
      { headers, agent: agents[target.protocol as 'http:' | 'https:'] },
      resolve,
    );
    req.on('error', reject);
  });
}

function backoff(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * BASE_DELAY_MS * 2 ** attempt));
}

async function text(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseError(status: number, body: string): S3RequestError {
  const code = /<Code>([^<]*)<\/Code>/.exec(body)?.[1] ?? (status === 404 ? 'NotFound' : `Http${status}`);
  const message = /<Message>([^<]*)<\/Message>/.exec(body)?.[1] ?? '';
  return new S3RequestError(status, code, message);
}
