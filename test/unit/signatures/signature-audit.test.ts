/**
 * Each signature check is recorded once (`signature.checked`): by the verifier for a queued file,
 * by the CLI for `baocao signatures recheck`; a file that is gone records nothing. The record
 * names the file (its upload id) and what the check concluded, never the file's bytes.
 */
import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '#shared/audit/ports.ts';
import { type CheckSignaturesDeps, checkSignatures } from '#shared/signatures/check-signatures.ts';
import type { LatestFile } from '#shared/signatures/ports.ts';
import { recheckPeriod } from '#shared/signatures/recheck.ts';

const FILE: LatestFile = {
  planId: 'p',
  year: 2026,
  unitId: 'cb-a',
  version: 2,
  uploadId: '2-aaaaaaaaaaaaaaaa',
  key: 'reports/p/2026/cb-a/2-aaaaaaaaaaaaaaaa/x',
  size: 10,
  contentType: 'application/pdf',
  fileName: 'bao-cao.pdf',
};

function deps(events: AuditEvent[], bytes: Uint8Array | undefined): CheckSignaturesDeps {
  return {
    // Larger than the limit: the check concludes FILE_TOO_LARGE without reading a PDF.
    files: { read: async () => (bytes === undefined ? undefined : 'too-large') },
    results: { saveResult: async () => true, latestFiles: async () => [FILE] },
    trust: { snapshot: async () => ({ version: 't1', anchors: [] }) },
    clock: { now: () => new Date('2026-12-01T03:00:00Z') },
    maxFileBytes: 5,
    log: { warn: () => undefined },
    audit: { record: async (event) => void events.push(event) },
  };
}

describe('signature.checked', () => {
  it('is recorded once by the verifier for a queued file, with its conclusion', async () => {
    const events: AuditEvent[] = [];
    await checkSignatures(deps(events, new Uint8Array(10)), FILE);
    expect(events).toEqual([
      {
        kind: 'signature.checked',
        actor: { type: 'system', id: 'verifier' },
        target: { planId: 'p', year: 2026, unitId: 'cb-a', ref: FILE.uploadId },
        details: {
          version: 2,
          indication: expect.any(String),
          code: 'FILE_TOO_LARGE',
          trustStoreVersion: 't1',
          saved: true,
        },
      },
    ]);
  });

  it('is recorded by the CLI for a recheck, and not at all for a file that is gone', async () => {
    const events: AuditEvent[] = [];
    await recheckPeriod(deps(events, new Uint8Array(10)), 'p', 2026);
    await checkSignatures(deps(events, undefined), FILE);
    expect(events.map((e) => [e.kind, e.actor.id, e.target?.ref])).toEqual([
      ['signature.checked', 'cli', FILE.uploadId],
    ]);
  });
});
