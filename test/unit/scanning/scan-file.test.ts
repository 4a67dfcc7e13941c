import { describe, expect, it } from 'vitest';
import type { FileScanResult } from '#shared/domain/scan-result.ts';
import { isCleared } from '#shared/domain/scan-result.ts';
import type { MalwareScanner, ScannedFileSource, ScanRequest, ScanVerdict } from '#shared/scanning/ports.ts';
import { type ScanFileDeps, scanKeptFile } from '#shared/scanning/scan-file.ts';

const request: ScanRequest = {
  planId: 'kh-2026',
  year: 2026,
  unitId: 'cb-a',
  version: 1,
  uploadId: '1-aaaaaaaaaaaaaaaa',
  key: `reports/kh-2026/2026/cb-a/1-aaaaaaaaaaaaaaaa/${'b'.repeat(64)}`,
  size: 10,
};

/** The local scan over fakes: what gets kept for each thing that can go wrong. */
function harness(
  scanner: Partial<MalwareScanner>,
  read: ScannedFileSource['read'] = async () => new Uint8Array(10),
) {
  const kept: FileScanResult[] = [];
  let scans = 0;
  const deps: ScanFileDeps = {
    scanner: {
      engine: 'clamav',
      available: async () => ({ ok: true }),
      scan: async (): Promise<ScanVerdict> => ({ status: 'clean' }),
      ...scanner,
    },
    files: { read },
    clock: { now: () => new Date('2026-12-01T04:00:00Z') },
    maxScanBytes: 1000,
    results: {
      findFile: async () => ({
        fileName: 'a.pdf',
        key: request.key,
        unitName: 'Chi bộ A',
        email: 'a@example.org',
        cc: [],
      }),
      saveScan: async (_ref, result) => {
        kept.push(result);
        return { version: 'written', assignment: 'written' };
      },
    },
    plans: { getPlan: async () => undefined },
    mail: { enqueue: async () => {} },
    audit: { record: async () => {} },
    committeeRecipients: async () => [],
    log: { warn: () => {} },
  };
  const counting = deps.scanner.scan.bind(deps.scanner);
  deps.scanner = {
    ...deps.scanner,
    scan: (b) => {
      scans++;
      return counting(b);
    },
  };
  return { deps, kept, scans: () => scans };
}

describe('scanKeptFile', () => {
  it('marks a file "not-scanned" (engine none) where there is no scanner, without reading it', async () => {
    // Prepare
    let reads = 0;
    const h = harness(
      { available: async () => ({ ok: false, detail: 'clamscan is not installed' }) },
      async () => {
        reads++;
        return new Uint8Array(1);
      },
    );
    // Act
    await scanKeptFile(h.deps, request);
    // Assert
    expect(h.kept).toEqual([
      {
        status: 'not-scanned',
        engine: 'none',
        detail: 'clamscan is not installed',
        scannedAt: '2026-12-01T04:00:00.000Z',
      },
    ]);
    expect(reads).toBe(0);
    expect(isCleared('not-scanned')).toBe(true);
  });

  it('refuses to scan a file over the bound (unsupported, not cleared) and never hands it to the scanner', async () => {
    // Prepare
    const h = harness({});
    // Act
    await scanKeptFile(h.deps, { ...request, size: 1001 });
    // Assert
    expect(h.kept[0]).toMatchObject({ status: 'unsupported', engine: 'clamav' });
    expect(h.scans()).toBe(0);
    expect(isCleared('unsupported')).toBe(false);
  });

  it('treats a stored object larger than announced as unsupported', async () => {
    // Prepare
    const h = harness({}, async () => 'too-large');
    // Act
    await scanKeptFile(h.deps, request);
    // Assert
    expect(h.kept[0]?.status).toBe('unsupported');
  });

  it('keeps "failed" (not cleared) when the scanner throws', async () => {
    // Prepare
    const h = harness({
      scan: async () => {
        throw new Error('segfault');
      },
    });
    // Act
    await scanKeptFile(h.deps, request);
    // Assert
    expect(h.kept[0]).toMatchObject({ status: 'failed', detail: 'scanner threw: segfault' });
    expect(isCleared('failed')).toBe(false);
  });

  it('bounds and cleans the threat name a scanner reports', async () => {
    // Prepare
    const h = harness({
      scan: async () => ({ status: 'infected', threat: `Evil\u0000\n${'x'.repeat(5000)}` }),
    });
    // Act
    await scanKeptFile(h.deps, request);
    // Assert
    const threat = h.kept[0]!.threat!;
    expect(threat.length).toBe(200);
    expect(threat.startsWith('Evil x')).toBe(true);
    expect(threat).not.toMatch(/[\u0000-\u001f]/);
  });

  it('keeps nothing for a file that is gone', async () => {
    // Prepare
    const h = harness({}, async () => undefined);
    // Act
    const outcome = await scanKeptFile(h.deps, request);
    // Assert
    expect(outcome).toEqual({ status: 'gone' });
    expect(h.kept).toEqual([]);
  });
});
