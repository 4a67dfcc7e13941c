import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { verifySha256 } from '#shared/export/pack.ts';
import { type ZipEntrySpec, zipStream } from '#shared/export/zip.ts';
import { collect, readZip } from '#test/support/zip.ts';

const text = (s: string) => Buffer.from(s, 'utf8');

describe('ZIP writer', () => {
  it('writes stored and deflated entries with UTF-8 names that read back byte for byte', async () => {
    const pdf = Buffer.alloc(50_000, 7);
    const entries: ZipEntrySpec[] = [
      { name: 'summary.csv', compress: true, data: text('unit_id\ncb-a\n'.repeat(100)) },
      {
        name: 'don-vi/cb-a - Chi bộ Đoàn kết/Báo cáo 📄.pdf',
        compress: false,
        size: pdf.length,
        data: () => Readable.from([pdf]),
      },
      {
        name: 'don-vi/cb-a - Chi bộ Đoàn kết/bảng.xls',
        compress: true,
        data: async () => Readable.from([text('x'.repeat(5000))]),
      },
    ];
    const zip = await collect(zipStream(entries));
    const read = await readZip(zip);
    expect(read.map((e) => e.name)).toEqual(entries.map((e) => e.name));
    expect(read.map((e) => e.compressionMethod)).toEqual([8, 0, 8]);
    expect(read.every((e) => e.utf8)).toBe(true);
    expect(read[1]!.data!.equals(pdf)).toBe(true);
    expect(read[2]!.data!.toString()).toBe('x'.repeat(5000));
    for (const e of read) expect(e.crc32).toBe(zlib.crc32(e.data!));
    // The raw local header of the non-ASCII name carries bit 11 too.
    const header = zip.indexOf(Buffer.from('don-vi/cb-a - Chi bộ Đoàn kết/Báo cáo 📄.pdf'));
    expect(zip.readUInt16LE(header - 30 + 6) & 0x800).toBe(0x800);
  });

  it('opens lazy entries one at a time, with a look-ahead of one', async () => {
    let open = 0;
    let maxOpen = 0;
    const entries: ZipEntrySpec[] = Array.from({ length: 20 }, (_, i) => ({
      name: `f${i}.bin`,
      compress: false,
      data: () => {
        open++;
        maxOpen = Math.max(maxOpen, open);
        const s = Readable.from([Buffer.alloc(10_000, i)]);
        s.on('end', () => open--);
        return s;
      },
    }));
    const read = await readZip(await collect(zipStream(entries)));
    expect(read).toHaveLength(20);
    expect(maxOpen).toBeLessThanOrEqual(2);
  });

  it('writes entries in ZIP64 form (as for files of 4 GiB or more) that yauzl reads back', async () => {
    const big = Buffer.alloc(100_000, 3);
    const entries: ZipEntrySpec[] = [
      {
        name: 'stored.pdf',
        compress: false,
        zip64: true,
        size: big.length,
        data: () => Readable.from([big]),
      },
      { name: 'deflated.xls', compress: true, zip64: true, data: () => Readable.from([big]) },
      { name: 'buffer.csv', compress: true, zip64: true, data: text('a,b\n'.repeat(100)) },
    ];
    const read = await readZip(await collect(zipStream(entries)));
    expect(read.map((e) => [e.name, e.compressionMethod, e.uncompressedSize])).toEqual([
      ['stored.pdf', 0, 100_000],
      ['deflated.xls', 8, 100_000],
      ['buffer.csv', 8, 400],
    ]);
    expect(read[1]!.data!.equals(big)).toBe(true);
  });

  it('stops opening entries and closes the look-ahead when the consumer gives up', async () => {
    const destroyed: number[] = [];
    const entries: ZipEntrySpec[] = Array.from({ length: 10 }, (_, i) => ({
      name: `f${i}.bin`,
      compress: false,
      data: () => {
        const s = new Readable({ read() {} });
        s.push(Buffer.alloc(100_000, i));
        s.on('close', () => destroyed.push(i));
        return s;
      },
    }));
    const out = zipStream(entries);
    for await (const _chunk of out) {
      out.destroy();
      break;
    }
    await new Promise((r) => setTimeout(r, 50));
    expect(destroyed.sort()).toEqual([0, 1]);
  });

  it('uses ZIP64 past 65,535 entries, and yauzl reads every entry back', async () => {
    const count = 65_536 + 10;
    const entries = (function* (): Generator<ZipEntrySpec> {
      for (let i = 0; i < count; i++) {
        yield {
          name: `don-vi/${String(i).padStart(6, '0')}.txt`,
          compress: false,
          data: Buffer.from(String(i)),
        };
      }
    })();
    const zip = await collect(zipStream(entries));
    // ZIP64 end of central directory record and its locator are present.
    expect(zip.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBe(true);
    expect(zip.includes(Buffer.from([0x50, 0x4b, 0x06, 0x07]))).toBe(true);
    const read = await readZip(zip, { data: false });
    expect(read).toHaveLength(count);
    expect(read[count - 1]!.name).toBe(`don-vi/${String(count - 1).padStart(6, '0')}.txt`);
  }, 60_000);

  it('fails the archive when an entry cannot be opened, errors, or has another size', async () => {
    const opening = zipStream([
      { name: 'a', compress: false, data: async () => Promise.reject(new Error('no such object')) },
    ]);
    await expect(collect(opening)).rejects.toThrow('no such object');

    const broken = new Readable({ read() {} });
    const erroring = zipStream([
      {
        name: 'b',
        compress: true,
        data: () => {
          setImmediate(() => broken.destroy(new Error('connection reset')));
          return broken;
        },
      },
    ]);
    await expect(collect(erroring)).rejects.toThrow('connection reset');

    const short = zipStream([
      { name: 'c', compress: false, size: 10, data: () => Readable.from([Buffer.alloc(5)]) },
    ]);
    await expect(collect(short)).rejects.toThrow('expected 10 bytes, got 5');
  });

  it('refuses a file whose bytes do not match the recorded SHA-256', async () => {
    const good = '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824'; // "hello"
    await expect(collect(verifySha256(Readable.from([text('hello')]), good, 'x'))).resolves.toEqual(
      text('hello'),
    );
    await expect(
      collect(verifySha256(Readable.from([text('hellO')]), good, 'don-vi/x/a.pdf')),
    ).rejects.toThrow('SHA-256 of don-vi/x/a.pdf');
  });
});
