import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sesModule from 'aws-ses-v2-local';

type SesServer = (config: { host: string; port: number }) => Promise<Server>;
const sesExports = sesModule as unknown as SesServer | { default: SesServer };
const sesServer: SesServer = typeof sesExports === 'function' ? sesExports : sesExports.default;

/** An SES emulator owned by the test process (it outlives the stacks the test kills). */
export interface SlowSes {
  /** The endpoint the stack sends to: a proxy that waits `delayMs` before each send. */
  endpoint: string;
  /** The emulator itself (`GET /store` lists what it accepted). */
  mailUrl: string;
  close(): Promise<void>;
}

/**
 * Starts aws-ses-v2-local behind a proxy that answers each request after `delayMs`, so a test
 * can stop a sending process part-way through a batch of e-mails. Nothing is dropped: every
 * request reaches the emulator.
 */
export async function startSlowSes(delayMs: number): Promise<SlowSes> {
  const ses = await sesServer({ host: '127.0.0.1', port: 0 });
  const mailUrl = `http://127.0.0.1:${(ses.address() as AddressInfo).port}`;
  const proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      try {
        await new Promise((r) => setTimeout(r, delayMs));
        const headers = Object.fromEntries(
          Object.entries(req.headers)
            .filter(
              ([k, v]) => typeof v === 'string' && !['host', 'content-length', 'connection'].includes(k),
            )
            .map(([k, v]) => [k, v as string]),
        );
        const answer = await fetch(`${mailUrl}${req.url}`, {
          method: req.method ?? 'POST',
          headers,
          ...(req.method === 'GET' ? {} : { body: Buffer.concat(chunks) }),
        });
        res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/xml' });
        res.end(Buffer.from(await answer.arrayBuffer()));
      } catch (error) {
        res.writeHead(502);
        res.end(String(error));
      }
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  const close = (s: Server) =>
    new Promise<void>((resolve) => {
      s.closeAllConnections();
      s.close(() => resolve());
    });
  return { endpoint, mailUrl, close: async () => void (await Promise.all([close(proxy), close(ses)])) };
}
