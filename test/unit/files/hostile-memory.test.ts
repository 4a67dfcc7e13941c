/**
 * Hostile inputs cost bounded memory: a ZIP bomb named .docx and a 50 MB one-cell CSV, built at
 * run time, go through the code the CLI runs and are refused with a Vietnamese message while the
 * process's peak RSS grows by less than 200 MB.
 *
 * Why a fresh process per case: `process.resourceUsage().maxRSS` is a high-water mark of the
 * whole process. In the test runner it already holds whatever earlier tests peaked at, so a
 * hostile case could use hundreds of MB below that mark and show no growth at all. A child that
 * has loaded only the readers measures from its own low baseline (hostile-child.ts); a control
 * case checks that 256 MiB allocated there does show.
 */
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declareSize, docxBomb } from './zip-builders.ts';

const CHILD = fileURLToPath(new URL('./hostile-child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MAX_GROWTH_KIB = 200 * 1024;

interface ChildReport {
  beforeKiB: number;
  afterKiB: number;
  kept: boolean;
  error: { name: string; code?: string; message: string; userMessage?: string } | null;
}

async function runChild(kind: string, file = ''): Promise<ChildReport & { growthKiB: number }> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', CHILD, kind, file], {
    cwd: ROOT,
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
  });
  const report = JSON.parse(stdout) as ChildReport;
  return { ...report, growthKiB: report.afterKiB - report.beforeKiB };
}

/** A CSV whose second line is one quoted cell of `megabytes` MiB, written 1 MiB at a time. */
async function oneCellCsv(path: string, megabytes: number): Promise<void> {
  const out = createWriteStream(path);
  const mib = Buffer.alloc(1024 * 1024, 'x');
  out.write('id,name,email\na,"');
  for (let i = 0; i < megabytes; i++) if (!out.write(mib)) await once(out, 'drain');
  out.end('",a@example.vn\n');
  await once(out, 'finish');
}

describe('hostile inputs in a fresh process: refused, with bounded memory', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'baocao-hostile-'));
    const bomb = await docxBomb(300);
    await writeFile(join(dir, 'bomb.docx'), bomb);
    // The same bomb declaring 3 MiB, under every limit: it is inflated until it breaks its word.
    declareSize(bomb, 'word/document.xml', 3 * 1024 * 1024);
    await writeFile(join(dir, 'liar.docx'), bomb);
    await oneCellCsv(join(dir, 'big.csv'), 50);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('sees memory growth when there is some (control: 256 MiB allocated)', async () => {
    const r = await runChild('control');
    expect(r.error).toBeNull();
    expect(r.growthKiB).toBeGreaterThan(MAX_GROWTH_KIB);
  });

  it('refuses a 300 KB .docx holding 300 MiB of zeros, growing by less than 200 MB', async () => {
    const r = await runChild('plan-file', join(dir, 'bomb.docx'));
    expect(r.error).toMatchObject({
      code: 'PLAN_DOCUMENT_INVALID',
      userMessage: expect.stringMatching(/^Tệp bomb\.docx không hợp lệ hoặc quá lớn khi giải nén \(/),
    });
    expect(r.growthKiB).toBeLessThan(MAX_GROWTH_KIB);
  });

  it('refuses the bomb when it lies about its size, growing by less than 200 MB', async () => {
    const r = await runChild('plan-file', join(dir, 'liar.docx'));
    expect(r.error).toMatchObject({
      code: 'PLAN_DOCUMENT_INVALID',
      userMessage: expect.stringContaining('không hợp lệ hoặc quá lớn khi giải nén'),
    });
    expect(r.growthKiB).toBeLessThan(MAX_GROWTH_KIB);
  });

  it('refuses a 50 MB one-cell CSV from its size, growing by less than 200 MB', async () => {
    const r = await runChild('units-file', join(dir, 'big.csv'));
    expect(r.error).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      userMessage: 'Tệp big.csv lớn quá (50 MB); giới hạn cho danh sách đơn vị (CSV) là 2 MB.',
    });
    expect(r.growthKiB).toBeLessThan(MAX_GROWTH_KIB);
  });

  it('refuses the same CSV already in memory (as an upload would be) without parsing it', async () => {
    const r = await runChild('units-bytes', join(dir, 'big.csv'));
    expect(r.error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(r.growthKiB).toBeLessThan(MAX_GROWTH_KIB);
  });
});
