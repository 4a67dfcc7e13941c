import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { handleScanResultBatch } from '#functions/scan-results.ts';
import { fileScanView, isCleared, SCAN_LABELS } from '#shared/domain/scan-result.ts';
import { parseGuardDutyEvent } from '#shared/scanning/guardduty-event.ts';
import { parseKeptKey } from '#shared/scanning/kept-key.ts';
import type { RecordScanDeps } from '#shared/scanning/record-scan.ts';
import { ScanNotReadyError } from '#shared/scanning/record-scan.ts';

const KEY = `reports/kh-2026/2026/cb-a/1-aaaaaaaaaaaaaaaa/${'b'.repeat(64)}`;
const NOW = new Date('2026-12-01T05:00:00Z');

/** A result event as GuardDuty puts it on the default bus. */
function event(status: string, key = KEY, threats: { name: string }[] | null = null) {
  return {
    version: '0',
    id: 'e1',
    'detail-type': 'GuardDuty Malware Protection Object Scan Result',
    source: 'aws.guardduty',
    account: '111122223333',
    time: '2026-12-01T04:00:00Z',
    region: 'ap-southeast-1',
    resources: [],
    detail: {
      schemaVersion: '1.0',
      scanStatus: 'COMPLETED',
      resourceType: 'S3_OBJECT',
      s3ObjectDetails: {
        bucketName: 'reports-bucket',
        objectKey: key,
        eTag: 'x',
        versionId: 'v1',
        s3Throttled: false,
      },
      scanResultDetails: { scanResultStatus: status, threats },
    },
  };
}

describe('GuardDuty scan result events', () => {
  it.each([
    ['NO_THREATS_FOUND', 'clean'],
    ['THREATS_FOUND', 'infected'],
    ['UNSUPPORTED', 'unsupported'],
    ['ACCESS_DENIED', 'failed'],
    ['FAILED', 'failed'],
  ])('reads %s as %s — only NO_THREATS_FOUND clears a file', (status, expected) => {
    const scan = parseGuardDutyEvent(event(status, KEY, [{ name: 'EICAR-Test-File (not a virus)' }]), NOW);
    expect(scan).toMatchObject({
      bucket: 'reports-bucket',
      ref: {
        planId: 'kh-2026',
        year: 2026,
        unitId: 'cb-a',
        version: 1,
        uploadId: '1-aaaaaaaaaaaaaaaa',
        key: KEY,
        versionId: 'v1',
      },
      result: { status: expected, engine: 'guardduty', scannedAt: '2026-12-01T04:00:00.000Z' },
    });
    expect(isCleared(fileScanView('result' in scan ? scan.result : undefined).state)).toBe(
      expected === 'clean',
    );
  });

  it('keeps the threat names of an infected object', () => {
    const scan = parseGuardDutyEvent(event('THREATS_FOUND', KEY, [{ name: 'A' }, { name: 'B' }]), NOW);
    expect('result' in scan && scan.result.threat).toBe('A, B');
  });

  it.each([
    ['another event type', { ...event('NO_THREATS_FOUND'), 'detail-type': 'GuardDuty Finding' }],
    ['an unknown status', event('MAYBE')],
    [
      'no detail',
      { source: 'aws.guardduty', 'detail-type': 'GuardDuty Malware Protection Object Scan Result' },
    ],
    ['a string', 'not an event'],
    ['an oversized key', event('NO_THREATS_FOUND', `reports/${'a'.repeat(5000)}`)],
  ])('drops %s as malformed', (_name, body) => {
    expect(parseGuardDutyEvent(body, NOW)).toEqual({ problem: 'malformed' });
  });

  it.each([
    [`uploads/kh-2026/2026/cb-a/1-aaaaaaaaaaaaaaaa`],
    [`reports/kh-2026/2026/cb-a/1-aaaaaaaaaaaaaaaa/not-a-hash`],
    [`reports/../2026/cb-a/1-aaaaaaaaaaaaaaaa/${'b'.repeat(64)}`],
    [`exports/kh-2026/2026/x.zip`],
  ])('drops a result about %s: not a kept report', (key) => {
    expect(parseGuardDutyEvent(event('THREATS_FOUND', key), NOW)).toEqual({ problem: 'not-a-kept-file' });
  });

  it('reads kept keys and nothing else', () => {
    expect(parseKeptKey(KEY)?.uploadId).toBe('1-aaaaaaaaaaaaaaaa');
    expect(parseKeptKey(`${KEY}/extra`)).toBeUndefined();
  });

  it('labels every state in Vietnamese', () => {
    expect(SCAN_LABELS).toMatchObject({
      pending: 'Đang kiểm tra',
      'not-scanned': 'Không quét',
      clean: 'Sạch',
    });
  });
});

describe('handleScanResultBatch (the scan-results function)', () => {
  const sqs = (bodies: string[]): SQSEvent =>
    ({ Records: bodies.map((body, i) => ({ messageId: `m${i}`, body })) }) as unknown as SQSEvent;

  function depsRecording(kept: { committee: string; key: string; status: string }[], notReady = false) {
    return async (committeeId: string): Promise<RecordScanDeps> =>
      ({
        results: {
          findFile: async (ref: { uploadId: string }) => {
            if (notReady) return undefined;
            return {
              fileName: 'a.pdf',
              key: KEY,
              unitName: 'A',
              email: 'a@example.org',
              cc: [],
              uploadId: ref.uploadId,
            };
          },
          saveScan: async (ref: { key: string }, result: { status: string }) => {
            kept.push({ committee: committeeId, key: ref.key, status: result.status });
            return { version: 'written', assignment: 'written' };
          },
        },
        plans: { getPlan: async () => undefined },
        mail: { enqueue: async () => {} },
        audit: { record: async () => {} },
        clock: { now: () => NOW },
        committeeEmails: [],
        log: { warn: () => {} },
      }) as unknown as RecordScanDeps;
  }

  it('keeps a result with the committee its key belongs to, dropping malformed and foreign events', async () => {
    // Prepare
    const kept: { committee: string; key: string; status: string }[] = [];
    const body = (e: unknown) => JSON.stringify(e);
    // Act
    const response = await handleScanResultBatch(
      sqs([
        body(event('NO_THREATS_FOUND')),
        body(event('NO_THREATS_FOUND', KEY.replace('reports/', 'reports/_c/tinh-uy/'))),
        '{not json',
        body({
          ...event('THREATS_FOUND'),
          detail: {
            ...event('THREATS_FOUND').detail,
            s3ObjectDetails: { bucketName: 'other', objectKey: KEY },
          },
        }),
      ]),
      depsRecording(kept),
      { bucket: 'reports-bucket', rootCommitteeId: 'root' },
    );
    // Assert
    expect(response.batchItemFailures).toEqual([]);
    expect(kept).toEqual([
      { committee: 'root', key: KEY, status: 'clean' },
      { committee: 'tinh-uy', key: KEY, status: 'clean' },
    ]);
  });

  it('reports a result whose file is not recorded yet as a failure, to be delivered again', async () => {
    // Act
    const response = await handleScanResultBatch(
      sqs([JSON.stringify(event('THREATS_FOUND'))]),
      depsRecording([], true),
      {
        bucket: 'reports-bucket',
        rootCommitteeId: 'root',
      },
    );
    // Assert
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm0' }]);
    expect(new ScanNotReadyError('x').name).toBe('ScanNotReadyError');
  });
});
