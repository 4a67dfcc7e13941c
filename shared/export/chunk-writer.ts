/**
 * UTF-8 bytes of a generated XML part, gathered piece by piece (a row, a paragraph) into one
 * reused buffer and handed out in chunks. Encoding each small piece as it is made is what makes
 * this fast: concatenating 64 KiB of rows into one string and encoding that was a third of
 * tong-hop.xlsx's CPU time, as V8 first flattens the long concatenation (bench `xlsx`).
 */
export class ChunkWriter {
  private buffer: Buffer;
  length = 0;

  /** `chunkSize`: the size a caller hands out at (the buffer starts at twice that, and grows). */
  constructor(chunkSize: number) {
    this.buffer = Buffer.allocUnsafe(chunkSize * 2);
  }

  write(text: string): void {
    // At most 3 bytes of UTF-8 per UTF-16 code unit.
    const room = this.length + text.length * 3;
    if (room > this.buffer.length) {
      const bigger = Buffer.allocUnsafe(Math.max(room, this.buffer.length * 2));
      this.buffer.copy(bigger, 0, 0, this.length);
      this.buffer = bigger;
    }
    this.length += this.buffer.write(text, this.length, 'utf8');
  }

  /** The bytes written so far (a copy: the buffer is reused). */
  take(): Buffer {
    const bytes = Buffer.from(this.buffer.subarray(0, this.length));
    this.length = 0;
    return bytes;
  }
}
