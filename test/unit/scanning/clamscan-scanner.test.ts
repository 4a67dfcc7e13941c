import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClamscanScanner, threatName } from '#shared/adapters/clamav/clamscan-scanner.ts';
import { clamscanMissing, eicar, writeEicarDatabase } from '#test/support/eicar.ts';

let dir: string;
let database: string;

/** A stand-in for clamscan: a shell script answering `--version`, doing `body` when scanning. */
async function fakeClamscan(name: string, body: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(
    path,
    `#!/bin/sh\nif [ "$1" = "--version" ]; then echo "ClamAV 1.4.3"; exit 0; fi\ncat >/dev/null\n${body}\n`,
  );
  await chmod(path, 0o755);
  return path;
}

const scanner = (
  command: string,
  options: { timeoutMs?: number; maxBytes?: number; database?: string } = {},
) =>
  new ClamscanScanner({
    command,
    database: options.database ?? database,
    timeoutMs: options.timeoutMs ?? 5000,
    maxBytes: options.maxBytes ?? 1024 * 1024,
  });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'baocao-clamscan-'));
  database = await writeEicarDatabase(dir);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Hostile scanners: whatever the program does, only exit 0 clears a file. */
describe('ClamscanScanner against misbehaving programs', () => {
  it('kills a scan that does not finish in time and calls it failed', async () => {
    // Prepare
    const s = scanner(await fakeClamscan('slow', 'sleep 30'), { timeoutMs: 300 });
    // Act
    const verdict = await s.scan(new Uint8Array(10));
    // Assert
    expect(verdict).toEqual({ status: 'failed', detail: 'clamscan timed out after 300 ms' });
  });

  it('calls a crash failed, with the signal', async () => {
    // Prepare
    const s = scanner(await fakeClamscan('crash', 'kill -SEGV $$'));
    // Act
    const verdict = await s.scan(new Uint8Array(10));
    // Assert
    expect(verdict).toMatchObject({ status: 'failed', detail: expect.stringContaining('killed by SIGSEGV') });
  });

  it('calls exit 2 failed, with its error line', async () => {
    // Prepare
    const s = scanner(
      await fakeClamscan(
        'error',
        'echo "LibClamAV Error: cli_loaddb(): No supported database files found" >&2; exit 2',
      ),
    );
    // Act
    const verdict = await s.scan(new Uint8Array(10));
    // Assert
    expect(verdict).toEqual({
      status: 'failed',
      detail: 'clamscan exit 2: LibClamAV Error: cli_loaddb(): No supported database files found',
    });
  });

  it('reads a FOUND line as infected, a limit alert as unsupported, exit 1 without one as failed', async () => {
    // Prepare
    const found = scanner(await fakeClamscan('found', 'echo "stdin: Win.Test.EICAR_HDB-1 FOUND"; exit 1'));
    const limits = scanner(
      await fakeClamscan('limits', 'echo "stdin: Heuristics.Limits.Exceeded.MaxFileSize FOUND"; exit 1'),
    );
    const silent = scanner(await fakeClamscan('silent', 'exit 1'));
    // Act
    const verdicts = await Promise.all([found, limits, silent].map((s) => s.scan(new Uint8Array(10))));
    // Assert
    expect(verdicts).toEqual([
      { status: 'infected', threat: 'Win.Test.EICAR_HDB-1' },
      { status: 'unsupported', detail: 'clamscan: Heuristics.Limits.Exceeded.MaxFileSize' },
      { status: 'failed', detail: 'clamscan exit 1 without a FOUND line' },
    ]);
  });

  it('keeps only a bounded part of a flood of output', async () => {
    // Prepare
    const s = scanner(await fakeClamscan('flood', 'yes garbage | head -c 5000000; exit 2'));
    // Act
    const verdict = await s.scan(new Uint8Array(10));
    // Assert
    expect(verdict.status).toBe('failed');
  });

  it('never runs the program for bytes over the bound (unsupported)', async () => {
    // Prepare
    const s = scanner(join(dir, 'does-not-exist'), { maxBytes: 100 });
    // Act
    const verdict = await s.scan(new Uint8Array(101));
    // Assert
    expect(verdict).toEqual({
      status: 'unsupported',
      detail: 'file larger than the scan bound of 100 bytes',
    });
  });

  it('is unavailable without the program or without a signature database', async () => {
    // Prepare
    const fake = await fakeClamscan('ok', 'exit 0');
    // Act
    const [noProgram, noDatabase, emptyFolder, ready] = await Promise.all([
      scanner(join(dir, 'does-not-exist')).available(),
      scanner(fake, { database: join(dir, 'missing.cvd') }).available(),
      scanner(fake, { database: await mkdtemp(join(dir, 'empty-')) }).available(),
      scanner(fake).available(),
    ]);
    // Assert
    expect(noProgram).toMatchObject({ ok: false, detail: expect.stringContaining('is not installed') });
    expect(noDatabase).toMatchObject({
      ok: false,
      detail: expect.stringContaining('no ClamAV signature database'),
    });
    expect(emptyFolder.ok).toBe(false);
    expect(ready).toEqual({ ok: true });
  });

  it('makes the EICAR string at run time, byte for byte', async () => {
    const { createHash } = await import('node:crypto');
    expect(eicar()).toHaveLength(68);
    expect(createHash('sha256').update(eicar(), 'latin1').digest('hex')).toBe(
      '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f',
    );
  });

  it('reads the threat name of the FOUND line only', () => {
    expect(threatName('stdin: Eicar-Test.UNOFFICIAL FOUND\n')).toBe('Eicar-Test.UNOFFICIAL');
    expect(threatName('stdin: OK\n')).toBeUndefined();
  });
});

const missing = clamscanMissing();
if (missing) console.log(`Skipping the real clamscan cases: ${missing}`);

describe.skipIf(missing !== undefined)(
  'ClamscanScanner with the real clamscan and a one-line database',
  () => {
    it('finds the EICAR string inside a file and passes a clean one', async () => {
      // Prepare
      const s = scanner('clamscan', { timeoutMs: 60_000 });
      const infected = Buffer.from(`%PDF-1.4\n% ${eicar()}\n%%EOF\n`, 'latin1');
      // Act
      const [bad, good] = [await s.scan(infected), await s.scan(Buffer.from('%PDF-1.4\n%%EOF\n'))];
      // Assert
      expect(bad).toEqual({ status: 'infected', threat: 'Eicar-Test.UNOFFICIAL' });
      expect(good).toEqual({ status: 'clean' });
    });
  },
);
