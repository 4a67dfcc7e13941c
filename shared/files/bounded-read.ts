/**
 * Reading a user's file with a size limit: the size is checked before any content is read, and
 * the read stops one byte past the limit, so a file that is larger than it said (still being
 * written, or a pipe whose size is 0) is refused too. Memory never exceeds the limit.
 */
import { open } from 'node:fs/promises';

/** Bytes asked of the file per read once the stated size is used up (a growing file, a pipe). */
const CHUNK = 64 * 1024;

/**
 * The file's bytes, at most `maxBytes` of them.
 *
 * @param tooLarge builds the error thrown for a larger file, given its size (undefined when the
 *   file grew past the limit while being read).
 * @throws whatever `tooLarge` returns; the file system's errors (ENOENT, EACCES, EISDIR…) as is.
 */
export async function readFileBounded(
  path: string,
  maxBytes: number,
  tooLarge: (size: number | undefined) => Error,
): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size > maxBytes) throw tooLarge(size);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      // One byte past the limit is enough to know the file is too large.
      const room = maxBytes + 1 - total;
      const want = Math.min(Math.max(size + 1 - total, CHUNK), room);
      const { bytesRead, buffer } = await handle.read(Buffer.allocUnsafe(want), 0, want, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > maxBytes) throw tooLarge(undefined);
      chunks.push(bytesRead === want ? buffer : buffer.subarray(0, bytesRead));
    }
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
  } finally {
    await handle.close();
  }
}
