import { Writable } from 'node:stream';

/**
 * An output that accepts nothing until released: a writer piped into it may only produce what
 * its stream buffers hold (the streaming tests count how much of the input it pulled meanwhile).
 */
export function stalledOutput(): { out: Writable; release: () => void; bytes: () => Buffer } {
  const chunks: Buffer[] = [];
  let release: (() => void) | undefined;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const out = new Writable({
    highWaterMark: 16 * 1024,
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      released.then(() => callback());
    },
  });
  return { out, release: release!, bytes: () => Buffer.concat(chunks) };
}
