import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileBounded } from '#shared/files/bounded-read.ts';

class TooLarge extends Error {
  constructor(readonly size: number | undefined) {
    super(`too large: ${size}`);
  }
}
const tooLarge = (size: number | undefined) => new TooLarge(size);

describe('readFileBounded', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'baocao-bounded-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a file under the limit and one of exactly the limit, byte for byte', async () => {
    // Prepare
    const small = join(dir, 'small.txt');
    const exact = join(dir, 'exact.bin');
    const bytes = Buffer.from(Array.from({ length: 200_000 }, (_, i) => i % 251));
    await writeFile(small, 'Chi bộ Văn phòng\n');
    await writeFile(exact, bytes);
    // Act, Assess
    expect((await readFileBounded(small, 1000, tooLarge)).toString('utf8')).toBe('Chi bộ Văn phòng\n');
    expect((await readFileBounded(exact, bytes.length, tooLarge)).equals(bytes)).toBe(true);
  });

  it('refuses a file over the limit by its size, without reading it (a sparse 64 GiB file)', async () => {
    // Prepare: a file that says it is 64 GiB and holds nothing on disk; reading it would not end.
    const huge = join(dir, 'huge.csv');
    const handle = await open(huge, 'w');
    await handle.truncate(64 * 1024 ** 3);
    await handle.close();
    // Act
    const result = readFileBounded(huge, 2 * 1024 * 1024, tooLarge);
    // Assess
    await expect(result).rejects.toBeInstanceOf(TooLarge);
    await expect(result).rejects.toMatchObject({ size: 64 * 1024 ** 3 });
  });

  it('refuses a file one byte over the limit', async () => {
    const file = join(dir, 'over.bin');
    await writeFile(file, Buffer.alloc(1001));
    await expect(readFileBounded(file, 1000, tooLarge)).rejects.toMatchObject({ size: 1001 });
  });

  it.skipIf(process.platform === 'win32')(
    'stops one byte past the limit when the file is larger than it says (a device of size 0)',
    async () => {
      // /dev/zero says it is empty and never ends, as a pipe or a file still being written can.
      await expect(readFileBounded('/dev/zero', 100_000, tooLarge)).rejects.toMatchObject({
        size: undefined,
      });
    },
  );

  it('passes file system errors on as they are', async () => {
    await expect(readFileBounded(join(dir, 'missing.csv'), 1000, tooLarge)).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });
});
