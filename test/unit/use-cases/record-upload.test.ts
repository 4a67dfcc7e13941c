/**
 * Recording uploads (docs/recording.md) as use cases over in-memory ports, with a versioned
 * bucket as on AWS (test/support/memory/bucket.ts): a repeated event, a replayed grant, a link
 * revoked after its grant, events out of order. The same cases run against s3rver and dynalite in
 * test/integration/on-upload.test.ts.
 */
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { openPeriod } from '#shared/periods/periods.ts';
import { importPlan } from '#shared/plans/plans.ts';
import {
  REPLAY_REASON,
  REVOKED_REASON,
  type RecordUploadResult,
  recordUpload,
} from '#shared/recording/record-upload.ts';
import { importUnits } from '#shared/units/units.ts';
import { linkFor, revokeLink } from '#shared/uploads/links.ts';
import { requestUpload } from '#shared/uploads/request-upload.ts';
import { createMemoryRuntime, type MemoryRuntime } from '#test/support/memory/runtime.ts';

const DEMO_PLAN = readFileSync(new URL('../../../local/demo/ke-hoach-12-KH-DUS.txt', import.meta.url));
const PLAN = '12-kh-dus-2025';
const YEAR = 2026;
const pdf = (text: string) => Buffer.from(`%PDF-1.7\n% ${text}\n%%EOF\n`);

describe('recordUpload over in-memory ports, versioned bucket', () => {
  let rt: MemoryRuntime;

  beforeEach(async () => {
    rt = createMemoryRuntime({ now: '2026-12-01T03:00:00Z', versionedBucket: true });
    await importUnits(rt.deps, 'id,name,email\ncb-a,Chi bộ A,a@example.org\n');
    await importPlan(rt.deps, DEMO_PLAN, 'ke-hoach.txt');
    await openPeriod(rt.deps, { planId: PLAN, year: YEAR });
  });

  /** A grant for one file of a new submission of `fileCount` files (or of `submission`). */
  async function grant(
    text: string,
    declared: { fileCount?: number; submission?: number } = { fileCount: 1 },
  ) {
    const { token } = await linkFor(rt.uploadDeps, PLAN, YEAR, 'cb-a');
    const bytes = pdf(text);
    const post = await requestUpload(rt.uploadDeps, token, {
      fileName: `${text}.pdf`,
      contentType: 'application/pdf',
      size: bytes.length,
      ...declared,
    });
    return { post, bytes };
  }
  const mails = () =>
    rt.mailQueue.deliveries.map((d) => `${d.message.key.split('#').slice(2).join(' ')} ${d.outcome}`);

  it('records a repeated event once and sends its receipt once', async () => {
    // Prepare
    const { post, bytes } = await grant('bao-cao');
    const event = rt.bucket.post(post, bytes);
    // Act
    const outcomes = [
      await recordUpload(rt.recordingDeps, event),
      await recordUpload(rt.recordingDeps, event),
    ];
    // Assess
    expect(outcomes.map((o) => o.outcome)).toEqual(['recorded', 'duplicate']);
    expect(mails()).toEqual(['cb-a receipt-1 sent', 'cb-a receipt-1 skipped']);
    expect(rt.bucket.keys('uploads/')).toEqual([]);
    const [kept] = (await rt.stores.submissions.getAssignment(PLAN, YEAR, 'cb-a'))!.files;
    expect(rt.bucket.bytes(kept!.key, kept!.versionId)).toEqual(bytes);
  });

  it('quarantines another object posted with a used grant and keeps what was receipted', async () => {
    // Prepare
    const { post, bytes } = await grant('bao-cao');
    await recordUpload(rt.recordingDeps, rt.bucket.post(post, bytes));
    rt.clock.advance(60_000);
    // Act
    const replay = await recordUpload(rt.recordingDeps, rt.bucket.post(post, pdf('something else')));
    // Assess
    expect(replay).toEqual<RecordUploadResult>({
      outcome: 'replay',
      receiptQueued: false,
      reason: REPLAY_REASON,
    });
    expect(rt.bucket.bytes(`quarantine/${post.fields.key}`)).toEqual(pdf('something else'));
    const [kept] = (await rt.stores.submissions.getAssignment(PLAN, YEAR, 'cb-a'))!.files;
    expect(rt.bucket.bytes(kept!.key, kept!.versionId)).toEqual(bytes);
    expect(mails()).toEqual(['cb-a receipt-1 sent']);
    expect(rt.log.lines).toEqual([
      expect.objectContaining({ level: 'warn', attributes: expect.objectContaining({ audit: true }) }),
    ]);
  });

  it('refuses on arrival an object whose link was revoked after its grant', async () => {
    // Prepare
    const { post, bytes } = await grant('bao-cao');
    await revokeLink(rt.uploadDeps, PLAN, YEAR, 'cb-a');
    // Act
    const result = await recordUpload(rt.recordingDeps, rt.bucket.post(post, bytes));
    // Assess
    expect(result).toEqual<RecordUploadResult>({
      outcome: 'rejected',
      receiptQueued: false,
      reason: REVOKED_REASON,
    });
    expect(mails()).toEqual([expect.stringMatching(/^cb-a rejected-1-\w+ sent$/)]);
    expect((await rt.stores.submissions.getAssignment(PLAN, YEAR, 'cb-a'))?.status).toBe('missing');
  });

  it('records two files whose events come in reverse order: the later time, one receipt', async () => {
    // Prepare
    const first = await grant('mot', { fileCount: 2 });
    const second = await grant('hai', { submission: first.post.submission });
    const early = rt.bucket.post(first.post, first.bytes);
    rt.clock.advance(60_000);
    const late = rt.bucket.post(second.post, second.bytes);
    // Act
    const outcomes = [
      await recordUpload(rt.recordingDeps, late),
      await recordUpload(rt.recordingDeps, early),
    ];
    // Assess
    expect(outcomes.map((o) => [o.outcome, o.receiptQueued])).toEqual([
      ['recorded', false],
      ['recorded', true],
    ]);
    const assignment = await rt.stores.submissions.getAssignment(PLAN, YEAR, 'cb-a');
    expect(assignment).toMatchObject({
      status: 'on_time',
      submittedAt: late.eventTime,
      latestVersion: 1,
    });
    expect(assignment?.drafts).toStrictEqual({});
    expect(assignment?.files.map((f) => f.fileName)).toEqual(['hai.pdf', 'mot.pdf']);
    expect(mails()).toEqual(['cb-a receipt-1 sent']);
  });

  it('refuses a presigned POST begun after its five minutes, as S3 does', async () => {
    // Prepare
    const { post, bytes } = await grant('bao-cao');
    rt.clock.advance(5 * 60_000);
    // Act, Assess
    expect(() => rt.bucket.post(post, bytes)).toThrow(expect.objectContaining({ name: 'AccessDenied' }));
    expect(rt.bucket.keys('uploads/')).toEqual([]);
  });
});
