/**
 * Deterministic benchmark data: report files of incompressible bytes (an AES-256-CTR keystream
 * from a fixed seed, so every run zips the same bytes), unit ids and names.
 */
import { createCipheriv, createHash } from 'node:crypto';

const SEED = 'baocao-bench-2026';
const KEY = createHash('sha256').update(SEED).digest();

/** The bytes of report file `i`: `size` bytes that no compressor can shrink. */
export function reportBytes(i: number, size: number): Buffer {
  const iv = Buffer.alloc(16);
  iv.writeUInt32BE(i, 0);
  const cipher = createCipheriv('aes-256-ctr', KEY, iv);
  return Buffer.concat([cipher.update(Buffer.alloc(size)), cipher.final()]);
}

export function unitId(i: number): string {
  return `cb-${String(i).padStart(6, '0')}`;
}

export function unitName(i: number): string {
  return `Chi bộ số ${i}, Phòng Kế hoạch – Tài chính`;
}

export function reportFileName(i: number): string {
  return `Báo cáo năm 2026 - đơn vị ${i}.pdf`;
}
