/**
 * feedParts (shared/adapters/s3/export-writer.ts): how S3ExportWriter cuts the pack into the parts
 * of its multipart upload (the bench's file sink uses it too). The upload itself, against s3rver,
 * is in test/integration/export.test.ts.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { feedParts } from '#shared/adapters/s3/export-writer.ts';

/** `count` chunks of `size` bytes, each byte its offset in the stream modulo 251. */
function chunks(count: number, size: number): Buffer[] {
  return Array.from({ length: count }, (_, c) =>
    Buffer.from(Array.from({ length: size }, (_, i) => (c * size + i) % 251)),
  );
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('feeding a stream to a multipart upload, part by part', () => {
  it('sends every byte once, in parts of the size asked, the last shorter, with at most parallel + 1 buffers', async () => {
    const input = chunks(37, 1000); // 37,000 bytes in parts of 8,000: 4 full parts and 5,000 bytes
    const sent = new Map<number, Buffer>();
    const buffers = new Set<Buffer>();
    let inFlight = 0;
    let maxInFlight = 0;

    const fed = await feedParts(Readable.from(input), {
      partSize: () => 8000,
      parallel: 2,
      sendPart: async (buffer, length, number) => {
        buffers.add(buffer);
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        const copy = Buffer.from(buffer.subarray(0, length));
        await new Promise((resolve) => setTimeout(resolve, 2));
        sent.set(number, copy);
        inFlight--;
      },
    });

    expect(fed).toEqual({ parts: 5 });
    expect([...sent.keys()].sort()).toEqual([1, 2, 3, 4, 5]);
    expect([1, 2, 3, 4].map((n) => sent.get(n)!.length)).toEqual([8000, 8000, 8000, 8000]);
    expect(sent.get(5)!.length).toBe(5000);
    const joined = Buffer.concat([1, 2, 3, 4, 5].map((n) => sent.get(n)!));
    expect(sha(joined)).toBe(sha(Buffer.concat(input)));
    expect(maxInFlight).toBeLessThanOrEqual(2);
    expect(buffers.size).toBeLessThanOrEqual(3);
  });

  it('sends nothing for a stream shorter than one part and gives its bytes back', async () => {
    const input = chunks(3, 100);
    let calls = 0;
    const fed = await feedParts(Readable.from(input), {
      partSize: () => 8000,
      parallel: 2,
      sendPart: async () => {
        calls++;
      },
    });
    expect(calls).toBe(0);
    expect(fed.parts).toBe(0);
    expect(Buffer.compare(fed.bytes!, Buffer.concat(input))).toBe(0);
  });

  it('throws a failed part’s error once the parts in flight have settled', async () => {
    const settled: number[] = [];
    const promise = feedParts(Readable.from(chunks(40, 1000)), {
      partSize: () => 8000,
      parallel: 3,
      sendPart: async (_buffer, _length, number) => {
        await new Promise((resolve) => setTimeout(resolve, number === 2 ? 1 : 10));
        settled.push(number);
        if (number === 2) throw new Error('UploadPart #2 failed');
      },
    });
    await expect(promise).rejects.toThrow('UploadPart #2 failed');
    // Part 3 was in flight when part 2 failed: it had settled before the error was thrown.
    expect(settled).toContain(3);
  });

  it('throws the stream’s own error', async () => {
    const broken = new Readable({
      read() {
        this.destroy(new Error('the report could not be read'));
      },
    });
    await expect(
      feedParts(broken, { partSize: () => 8000, parallel: 2, sendPart: async () => {} }),
    ).rejects.toThrow('the report could not be read');
  });
});
