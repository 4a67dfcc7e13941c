/**
 * The unit side's audit records (shared/uploads/upload-audit.ts and its callers): a grant is
 * recorded while it is written (and said failed when the write did not happen), a refused repeat
 * or late upload is recorded with the unit named by its genuine token only, and the recording
 * use case records each settled grant once. Over in-memory ports; the emulators run the same in
 * test/integration/audit-events-coverage.test.ts.
 */
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AuditEvent, AuditLog, AuditRecord } from '#shared/audit/ports.ts';
import { ValidationError } from '#shared/errors.ts';
import { openPeriod } from '#shared/periods/periods.ts';
import { importPlan } from '#shared/plans/plans.ts';
import { recordUpload } from '#shared/recording/record-upload.ts';
import { importUnits } from '#shared/units/units.ts';
import { AlreadyReceivedError } from '#shared/uploads/already-received.ts';
import { ExpiredLinkError } from '#shared/uploads/link-errors.ts';
import { issueLinkToken } from '#shared/uploads/link-token.ts';
import { linkFor } from '#shared/uploads/links.ts';
import { requestUpload } from '#shared/uploads/request-upload.ts';
import { recordRefusedUpload, refusalOf, unitEvent, writeRecorded } from '#shared/uploads/upload-audit.ts';
import { createMemoryRuntime, type MemoryRuntime } from '#test/support/memory/runtime.ts';

const KEY = new Uint8Array(32).fill(7);
const LINK = { planId: 'kh-1', year: 2026, unitId: 'cb-a' };
const ORIGIN = { requestId: 'req-1', clientIp: '203.0.113.9' };

/** An audit log that keeps the events it is given. */
function capturingLog(fail?: Error): AuditLog & { events: AuditEvent[] } {
  const events: AuditEvent[] = [];
  return {
    events,
    record: async (event) => {
      events.push(event);
      if (fail) throw fail;
    },
  };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('unitEvent', () => {
  it('names the unit by its id, with the request id and IP, and nothing of the token', () => {
    expect(unitEvent('link.opened', LINK, ORIGIN)).toEqual({
      kind: 'link.opened',
      actor: { type: 'unit', id: 'cb-a' },
      target: { planId: 'kh-1', year: 2026, unitId: 'cb-a' },
      requestId: 'req-1',
      clientIp: '203.0.113.9',
    });
    expect(
      unitEvent('upload.granted', LINK, {}, { ref: 'u1', outcome: 'ok', details: { version: 2 } }),
    ).toEqual({
      kind: 'upload.granted',
      actor: { type: 'unit', id: 'cb-a' },
      target: { ...LINK, ref: 'u1' },
      outcome: 'ok',
      details: { version: 2 },
    });
  });
});

describe('writeRecorded', () => {
  const event = unitEvent('upload.granted', LINK, ORIGIN, { ref: 'u1', details: { version: 1 } });

  it('starts the record before the write has answered (no round trip added)', async () => {
    // Prepare
    const log = capturingLog();
    const write = deferred<boolean>();
    // Act
    const done = writeRecorded(log, write.promise, event);
    await Promise.resolve();
    const startedBeforeWrite = log.events.length;
    write.resolve(true);
    // Assess
    expect(startedBeforeWrite).toBe(1);
    expect(await done).toBe(true);
    expect(log.events).toEqual([event]);
  });

  it('records the grant as failed when the conditional write lost its race', async () => {
    const log = capturingLog();
    expect(await writeRecorded(log, Promise.resolve(false), event)).toBe(false);
    expect(log.events).toEqual([
      event,
      { ...event, outcome: 'failed', details: { version: 1, reason: 'conflict' } },
    ]);
  });

  it('throws the write’s error, after recording the grant as failed', async () => {
    const log = capturingLog();
    const error = new Error('DynamoDB unavailable');
    await expect(writeRecorded(log, Promise.reject(error), event)).rejects.toBe(error);
    expect(log.events.map((e) => [e.outcome, e.details?.reason])).toEqual([
      [undefined, undefined],
      ['failed', 'error'],
    ]);
  });

  it('fails the grant when its record cannot be appended', async () => {
    const error = new Error('audit table unavailable');
    await expect(writeRecorded(capturingLog(error), Promise.resolve(true), event)).rejects.toBe(error);
  });
});

describe('recordRefusedUpload', () => {
  const deps = (log: AuditLog) => ({ audit: log, keys: { linkKey: async () => KEY } });
  const token = (expiresAt = new Date('2027-01-31T17:00:00Z')) =>
    issueLinkToken(KEY, { ...LINK, linkVersion: 1, expiresAt });

  it.each([
    [new AlreadyReceivedError(3), { reason: 'already-received', version: 3 }],
    [new ExpiredLinkError(new Date('2026-01-31T17:00:00Z')), { reason: 'link-expired' }],
  ])('records %s as a refused replacement by the unit', async (error, details) => {
    const log = capturingLog();
    await recordRefusedUpload(deps(log), token(new Date('2026-01-31T17:00:00Z')), error, ORIGIN);
    expect(log.events).toEqual([
      {
        kind: 'upload.replace-refused',
        actor: { type: 'unit', id: 'cb-a' },
        target: LINK,
        outcome: 'refused',
        requestId: 'req-1',
        clientIp: '203.0.113.9',
        details,
      },
    ]);
  });

  it('records nothing for another refusal, nor for a forged or malformed token', async () => {
    const log = capturingLog();
    await recordRefusedUpload(deps(log), token(), new ValidationError('bad', [], 'Sai.'), ORIGIN);
    const forged = issueLinkToken(new Uint8Array(32).fill(9), {
      ...LINK,
      linkVersion: 1,
      expiresAt: new Date('2027-01-31T17:00:00Z'),
    });
    await recordRefusedUpload(deps(log), forged, new AlreadyReceivedError(1), ORIGIN);
    await recordRefusedUpload(deps(log), `${'x'.repeat(5000)}\u0000`, new AlreadyReceivedError(1), ORIGIN);
    expect(log.events).toEqual([]);
    expect(refusalOf(new Error('x'))).toBeUndefined();
  });
});

describe('the upload use cases record once (in-memory ports)', () => {
  const DEMO_PLAN = readFileSync(new URL('../../../local/demo/ke-hoach-12-KH-DUS.txt', import.meta.url));
  const PLAN = '12-kh-dus-2025';
  const YEAR = 2026;
  const PDF = Buffer.from('%PDF-1.7\n% bao cao\n%%EOF\n');
  let rt: MemoryRuntime;

  async function records(): Promise<AuditRecord[]> {
    const out: AuditRecord[] = [];
    for await (const page of rt.auditStore.pages('committee')) out.push(...page.map((p) => p.record));
    return out;
  }

  beforeEach(async () => {
    rt = createMemoryRuntime({ now: '2026-12-01T03:00:00Z', versionedBucket: true });
    await importUnits(rt.deps, 'id,name,email\ncb-a,Chi bộ A,a@example.org\n');
    await importPlan(rt.deps, DEMO_PLAN, 'ke-hoach.txt');
    await openPeriod(rt.deps, { planId: PLAN, year: YEAR });
  });

  it('a grant, its file recorded, a repeated event and a refused request: one record each where due', async () => {
    // Prepare
    const { token } = await linkFor(rt.uploadDeps, PLAN, YEAR, 'cb-a');
    // Act
    const post = await requestUpload(
      rt.uploadDeps,
      token,
      { fileName: 'bao-cao.pdf', contentType: 'application/pdf', size: PDF.length, fileCount: 1 },
      ORIGIN,
    );
    const event = rt.bucket.post(post, PDF);
    await recordUpload(rt.recordingDeps, event);
    await recordUpload(rt.recordingDeps, event);
    await expect(
      requestUpload(rt.uploadDeps, token, { fileName: '', contentType: 'application/pdf', size: 1 }, ORIGIN),
    ).rejects.toThrow(ValidationError);
    // Assess
    const all = await records();
    expect(all.map((r) => [r.kind, r.actor.id, r.target.ref, r.outcome])).toEqual([
      ['upload.granted', 'cb-a', post.uploadId, 'ok'],
      ['upload.recorded', 'cb-a', post.uploadId, 'ok'],
    ]);
    expect(all[0]!.requestId).toBe('req-1');
    expect(JSON.stringify(all)).not.toContain(token);
  });

  it('a used grant posted again with other bytes: one refused replacement, the file recorded once', async () => {
    const { token } = await linkFor(rt.uploadDeps, PLAN, YEAR, 'cb-a');
    const post = await requestUpload(rt.uploadDeps, token, {
      fileName: 'bao-cao.pdf',
      contentType: 'application/pdf',
      size: PDF.length,
      fileCount: 1,
    });
    await recordUpload(rt.recordingDeps, rt.bucket.post(post, PDF));
    const replay = rt.bucket.post(post, Buffer.from('%PDF-1.7\n% khac nua\n%%EOF\n'));
    await recordUpload(rt.recordingDeps, replay);
    await recordUpload(rt.recordingDeps, replay);
    expect((await records()).map((r) => [r.kind, r.outcome, r.details?.reason])).toEqual([
      ['upload.granted', 'ok', undefined],
      ['upload.recorded', 'ok', undefined],
      ['upload.replace-refused', 'refused', 'replayed-grant'],
    ]);
  });
});
