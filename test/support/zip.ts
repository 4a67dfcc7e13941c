import type { Readable } from 'node:stream';
import yauzl from 'yauzl';

/** One entry of a ZIP as read back with yauzl. */
export interface ReadEntry {
  name: string;
  /** 0 stored, 8 deflated */
  compressionMethod: number;
  generalPurposeBitFlag: number;
  /** General purpose bit 11: the name is UTF-8. */
  utf8: boolean;
  crc32: number;
  uncompressedSize: number;
  /** The entry's bytes, when asked for. */
  data?: Buffer;
}

export interface ReadZipOptions {
  /** Read every entry's bytes (default true). */
  data?: boolean;
}

/** Reads a whole ZIP with yauzl (which checks sizes and the ZIP64 records), entries in order. */
export function readZip(buffer: Buffer, options: ReadZipOptions = {}): Promise<ReadEntry[]> {
  const withData = options.data ?? true;
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(
      buffer,
      { lazyEntries: true, decodeStrings: true, validateEntrySizes: true },
      (err, zip) => {
        if (err || !zip) return reject(err);
        const entries: ReadEntry[] = [];
        zip.on('error', reject);
        zip.on('end', () => resolve(entries));
        zip.on('entry', (entry: yauzl.Entry) => {
          const read: ReadEntry = {
            name: entry.fileName,
            compressionMethod: entry.compressionMethod,
            generalPurposeBitFlag: entry.generalPurposeBitFlag,
            utf8: (entry.generalPurposeBitFlag & 0x800) !== 0,
            crc32: entry.crc32,
            uncompressedSize: entry.uncompressedSize,
          };
          entries.push(read);
          if (!withData) return zip.readEntry();
          zip.openReadStream(entry, (error, stream) => {
            if (error || !stream) return reject(error);
            collect(stream).then((data) => {
              read.data = data;
              zip.readEntry();
            }, reject);
          });
        });
        zip.readEntry();
      },
    );
  });
}

/** Every byte of a stream. */
export async function collect(stream: Readable | NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  }
  return Buffer.concat(chunks);
}

/** Every entry of a ZIP file on disk, by name. */
export async function zipEntries(file: string): Promise<Record<string, Buffer>> {
  const { readFile } = await import('node:fs/promises');
  const entries = await readZip(await readFile(file));
  return Object.fromEntries(entries.map((e) => [e.name, e.data ?? Buffer.alloc(0)]));
}
