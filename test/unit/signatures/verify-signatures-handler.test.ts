import type { SQSEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { handleSignatureBatch } from '#functions/verify-signatures.ts';
import { singleCommittee } from '#functions/wiring/committee-directory.ts';
import type { FileSignatureResult } from '#shared/domain/signature-result.ts';
import type { CheckSignaturesDeps } from '#shared/signatures/check-signatures.ts';
import type { SignatureCheckRequest } from '#shared/signatures/ports.ts';
import { addTrustAnchors } from '#shared/signatures/trust.ts';
import { MemoryTrustStore } from '#test/support/memory/signature-store.ts';
import { MemoryTables } from '#test/support/memory/table.ts';
import { makeCa, makePdf, makeSigner, signPdf } from '#test/support/signatures/test-pki.ts';

const request = (uploadId: string, key = `reports/p/2026/cb-a/${uploadId}/x`): SignatureCheckRequest => ({
  planId: 'p',
  year: 2026,
  unitId: 'cb-a',
  version: 1,
  uploadId,
  key,
  size: 1,
});

const record = (id: string, body: unknown) => ({
  messageId: id,
  receiptHandle: id,
  body: typeof body === 'string' ? body : JSON.stringify(body),
  attributes: {} as never,
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:local:0:baocao-signatures',
  awsRegion: 'local',
});

describe('verify-signatures handler', () => {
  const files = new Map<string, Uint8Array>();
  const saved = new Map<string, FileSignatureResult>();
  let deps: CheckSignaturesDeps;

  beforeAll(async () => {
    const ca = makeCa('Baocao Handler Root');
    const trust = new MemoryTrustStore(new MemoryTables().plans);
    const clock = { now: () => new Date() };
    await addTrustAnchors({ trust, clock }, Buffer.from(ca.pem), 'root.pem');
    files.set(
      'reports/p/2026/cb-a/1-aaaaaaaaaaaaaaaa/x',
      await signPdf(
        await makePdf(),
        makeSigner(ca, { name: 'Phạm Thị Dung', organization: 'Chi bộ Tài vụ' }),
      ),
    );
    files.set('reports/p/2026/cb-a/1-bbbbbbbbbbbbbbbb/x', Buffer.alloc(64 * 1024 * 1024 + 1));
    deps = {
      files: {
        read: async (key, _v, max) => {
          if (key.includes('broken')) throw new Error('S3 unavailable');
          const bytes = files.get(key);
          if (!bytes) return undefined;
          return bytes.length > max ? 'too-large' : bytes;
        },
      },
      results: {
        saveResult: async (ref, result) => {
          saved.set(ref.uploadId, result);
          return true;
        },
        latestFiles: async () => [],
      },
      trust,
      clock,
      maxFileBytes: 25 * 1024 * 1024,
      log: { warn: () => undefined },
    };
  });

  it('checks each record, reports only the failed one for a retry, and drops a malformed one', async () => {
    const event: SQSEvent = {
      Records: [
        record('ok', request('1-aaaaaaaaaaaaaaaa')),
        record('big', request('1-bbbbbbbbbbbbbbbb')),
        record('fails', request('1-cccccccccccccccc', 'reports/broken/x')),
        record('junk', '{"planId":"p","key":"../etc/passwd"}'),
        record('not-json', '\u0000\u00ff'),
        record('gone', request('1-dddddddddddddddd')),
      ],
    };

    const response = await handleSignatureBatch(event, singleCommittee(deps));

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'fails' }]);
    expect(saved.get('1-aaaaaaaaaaaaaaaa')).toMatchObject({
      indication: 'valid',
      signatures: [{ signerName: 'Phạm Thị Dung' }],
    });
    expect(saved.get('1-bbbbbbbbbbbbbbbb')).toMatchObject({
      indication: 'indeterminate',
      code: 'FILE_TOO_LARGE',
    });
    expect(saved.has('1-dddddddddddddddd')).toBe(false);
  });
});
