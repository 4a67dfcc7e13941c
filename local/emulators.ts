import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import sesModule from 'aws-ses-v2-local';
import dynalite from 'dynalite';
import S3rver from 's3rver';

// aws-ses-v2-local is CommonJS with `exports.default`: Node's ESM loader hands us the exports
// object, bundlers and vitest hand us `default` itself.
type SesServer = (config: { host: string; port: number }) => Promise<Server>;
const sesExports = sesModule as unknown as SesServer | { default: SesServer };
const sesServer: SesServer = typeof sesExports === 'function' ? sesExports : sesExports.default;

/** Where the emulators listen; port 0 picks a free port (tests). */
export interface EmulatorOptions {
  host: string;
  ports: { dynamodb: number; s3: number; ses: number };
  /** Folder for persistent data; undefined keeps DynamoDB in memory and S3 in a temp folder. */
  dataDir: string;
  /** In-memory DynamoDB (tests); the default persists LevelDB files under dataDir. */
  inMemory?: boolean;
  /** Buckets to create, with the origins allowed to POST to them from a browser. */
  buckets: { name: string; allowedOrigins: string[] }[];
}

export interface Emulators {
  endpoints: { dynamodb: string; s3: string; ses: string };
  /** The S3 emulator, which emits 'event' with S3-shaped ObjectCreated records. */
  s3rver: S3rver;
  close(): Promise<void>;
}

/** CORS document for a reports bucket: browsers may POST uploads from the app's origin only. */
export function corsXml(origins: string[]): string {
  const allowed = origins.map((o) => `<AllowedOrigin>${o}</AllowedOrigin>`).join('');
  return `<CORSConfiguration><CORSRule>${allowed}<AllowedMethod>POST</AllowedMethod><AllowedMethod>GET</AllowedMethod><AllowedHeader>*</AllowedHeader><ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>600</MaxAgeSeconds></CORSRule></CORSConfiguration>`;
}

/** Starts dynalite, s3rver and aws-ses-v2-local in this process, on loopback. */
export async function startEmulators(options: EmulatorOptions): Promise<Emulators> {
  const { host } = options;
  const started: { close(): Promise<void> }[] = [];
  try {
    const dynamoDir = join(options.dataDir, 'dynamodb');
    if (!options.inMemory) await mkdir(dynamoDir, { recursive: true });
    const dynamo: Server = dynalite({ createTableMs: 0, ...(options.inMemory ? {} : { path: dynamoDir }) });
    const dynamoPort = await listen(dynamo, options.ports.dynamodb, host);
    started.push({ close: () => closeServer(dynamo) });

    const s3Dir = join(options.dataDir, 's3');
    await mkdir(s3Dir, { recursive: true });
    await assertPortFree(options.ports.s3, host);
    const s3 = new S3rver({
      address: host,
      port: options.ports.s3,
      directory: s3Dir,
      silent: true,
      configureBuckets: options.buckets.map((b) => ({ name: b.name, configs: [corsXml(b.allowedOrigins)] })),
    });
    const s3Address = (await s3.run()) as AddressInfo;
    started.push({ close: () => s3.close() });

    await assertPortFree(options.ports.ses, host);
    const ses = await sesServer({ host, port: options.ports.ses });
    started.push({ close: () => closeServer(ses) });
    const sesPort = (ses.address() as AddressInfo).port;

    return {
      endpoints: {
        dynamodb: `http://${host}:${dynamoPort}`,
        s3: `http://${host}:${s3Address.port}`,
        ses: `http://${host}:${sesPort}`,
      },
      s3rver: s3,
      close: async () => {
        await Promise.allSettled(started.reverse().map((s) => s.close()));
      },
    };
  } catch (error) {
    await Promise.allSettled(started.reverse().map((s) => s.close()));
    throw error;
  }
}

/** Listens and resolves with the port; rejects with a clear message when the port is taken. */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port, host) : error);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    readonly host: string,
  ) {
    super(`Port ${port} on ${host} is already in use by another program`);
    this.name = 'PortInUseError';
  }
}

/** s3rver and aws-ses-v2-local do not report EADDRINUSE cleanly, so probe the port first. */
async function assertPortFree(port: number, host: string): Promise<void> {
  if (port === 0) return;
  const { createServer } = await import('node:net');
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port, host) : error),
    );
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections?.();
    server.close(() => resolve());
  });
}
