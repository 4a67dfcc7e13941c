import { describe, expect, it } from 'vitest';
import { ValidationError } from '#shared/errors.ts';
import {
  addTrustAnchors,
  cachedTrust,
  listTrustAnchors,
  removeTrustAnchor,
  withDeployedAnchors,
} from '#shared/signatures/trust.ts';
import {
  describeAnchor,
  MAX_TRUST_FILE_BYTES,
  readCertificateFile,
} from '#shared/signatures/trust-anchors.ts';
import { MemoryTrustStore } from '#test/support/memory/signature-store.ts';
import { MemoryTables } from '#test/support/memory/table.ts';
import { makeCa, toDer } from '#test/support/signatures/test-pki.ts';

const clock = { now: () => new Date('2026-12-01T03:00:00Z') };
const store = () => new MemoryTrustStore(new MemoryTables().plans);

describe('trust anchors', () => {
  it('reads one or several certificates from PEM and from DER', () => {
    const a = makeCa('Root A');
    const b = makeCa('Root B');

    expect(readCertificateFile(Buffer.from(a.pem + b.pem), 'two.pem')).toHaveLength(2);
    expect(Buffer.from(readCertificateFile(toDer(a.cert), 'a.cer')[0]!)).toEqual(toDer(a.cert));
  });

  it('refuses binary junk, a formula, an empty file and an oversized file in Vietnamese', () => {
    const refuse = (bytes: Uint8Array, name: string) => {
      try {
        readCertificateFile(bytes, name);
      } catch (error) {
        return (error as ValidationError).userMessage;
      }
      return 'accepted';
    };

    expect(refuse(Buffer.from([0x30, 0x84, 0xff, 0xff]), 'x.cer')).toBe(
      'Không đọc được chứng thư số trong tệp x.cer (cần .crt, .cer, .pem hoặc .p7b).',
    );
    expect(refuse(Buffer.from('=cmd|"/C calc"!A0'), 'f.crt')).toContain('Không đọc được chứng thư số');
    expect(refuse(new Uint8Array(), 'empty.pem')).toContain('Không đọc được chứng thư số');
    expect(refuse(new Uint8Array(MAX_TRUST_FILE_BYTES + 1), 'big.pem')).toBe(
      'Tệp big.pem quá lớn để là chứng thư số (tối đa 1 MB).',
    );
  });

  it('adds a file once, bumps the version for each change, and removes by a fingerprint prefix', async () => {
    const trust = store();
    const ca = makeCa('Root C');

    const first = await addTrustAnchors({ trust, clock }, Buffer.from(ca.pem), 'c.pem');
    const again = await addTrustAnchors({ trust, clock }, Buffer.from(ca.pem + ca.pem), 'c.pem');
    const removed = await removeTrustAnchor({ trust }, first.added[0]!.id.slice(0, 8).toUpperCase());

    expect(first).toMatchObject({
      version: '1',
      added: [{ subject: 'Root C, Baocao Test PKI', addedAt: '2026-12-01T03:00:00.000Z' }],
    });
    expect(again).toMatchObject({ version: '1', added: [], present: [{ id: first.added[0]!.id }] });
    expect(removed.id).toBe(first.added[0]!.id);
    expect(await listTrustAnchors({ trust })).toEqual({ version: '2', anchors: [] });
    await expect(removeTrustAnchor({ trust }, 'abc')).rejects.toThrow(ValidationError);
    await expect(removeTrustAnchor({ trust }, 'deadbeef')).rejects.toThrow('No anchor deadbeef');
  });

  it('adds the deployed anchors under a version that names the asset, and caches a snapshot for a while', async () => {
    const trust = store();
    const deployed = describeAnchor(toDer(makeCa('Deployed Root').cert), '1970-01-01T00:00:00.000Z');
    let reads = 0;
    const combined = withDeployedAnchors(trust, async () => {
      reads++;
      return { tag: 'abcd1234', anchors: [deployed] };
    });
    let now = 0;
    const cached = cachedTrust(combined, { now: () => new Date(now) }, 60_000);

    const first = await cached.snapshot();
    now = 59_999;
    await cached.snapshot();
    now = 60_000;
    await cached.snapshot();

    expect(first).toEqual({ version: '0+abcd1234', anchors: [deployed] });
    expect(reads).toBe(2);
  });
});
