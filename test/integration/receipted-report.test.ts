import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExportDeps } from '#functions/wiring/create-export-deps.ts';
import { createUploadDeps } from '#functions/wiring/create-upload-deps.ts';
import { createDynamoDocumentClient, createS3Client } from '#shared/adapters/aws-clients.ts';
import { S3Downloads } from '#shared/adapters/s3/downloads.ts';
import { reportsLocation } from '#shared/adapters/s3/s3-signing.ts';
import type { Assignment } from '#shared/domain/period.ts';
import type { SubmissionVersion } from '#shared/domain/submission.ts';
import { ValidationError } from '#shared/errors.ts';
import { writeExportToFile } from '#shared/export/build-export.ts';
import { openPeriod } from '#shared/periods/periods.ts';
import { importPlan } from '#shared/plans/plans.ts';
import { REPLAY_REASON, REVOKED_REASON } from '#shared/recording/record-upload.ts';
import { importUnits } from '#shared/units/units.ts';
import type { UploadDeps } from '#shared/uploads/deps.ts';
import { linkFor, revokeLink } from '#shared/uploads/links.ts';
import { requestUpload, type UploadGrant } from '#shared/uploads/request-upload.ts';
import { STATUS_VERSIONS, unitStatus } from '#shared/uploads/unit-status.ts';
import { MAX_NOTE_CHARS } from '#shared/uploads/validate-upload-request.ts';
import { fixedClock, startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { pdfBytes } from '#test/support/sample-files.ts';
import { eventually } from '#test/support/uploads.ts';

const DEMO_PLAN = new URL('../../local/demo/ke-hoach-12-KH-DUS.txt', import.meta.url);
const PLAN = '12-kh-dus-2025';
const YEAR = 2026;
const PDF = 'application/pdf';
const UNITS = ['cb-replay', 'cb-revoked', 'cb-daily', 'cb-status'];
const MAX_PER_DAY = 4;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * What a receipt promises, end to end on the local stack (s3rver's events forwarded to the real
 * on-upload handler, the real mailer and the SES emulator): the receipted bytes are what the
 * committee downloads and exports, whatever is posted afterwards.
 *
 * s3rver enforces neither POST policies nor their expiry, which is what lets these tests post a
 * grant's form a second time; on AWS, S3 refuses it after 5 minutes. What is tested here is our
 * side: nothing posted later replaces what was receipted, at any time.
 */
describe('a receipted report can never change or vanish (local stack)', () => {
  let stack: TestStack;
  let uploads: UploadDeps;
  const clock = fixedClock('2026-12-01T03:00:00Z');

  beforeAll(async () => {
    stack = await startTestStack({
      clock,
      env: { MAX_VERSIONS_PER_DAY: String(MAX_PER_DAY) },
    });
    await importPlan(stack.deps, await readFile(DEMO_PLAN), 'ke-hoach.txt');
    await importUnits(
      stack.deps,
      ['id,name,email', ...UNITS.map((id) => `${id},Chi bộ ${id},${id}@example.org`)].join('\n'),
    );
    await openPeriod(stack.deps, { planId: PLAN, year: YEAR });
    uploads = createUploadDeps(stack.runtime, { clock });
    await stack.mailQueue.drain();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  async function token(unitId: string): Promise<string> {
    return (await linkFor(uploads, PLAN, YEAR, unitId)).token;
  }

  async function post(grant: UploadGrant, bytes: Uint8Array, type = PDF): Promise<void> {
    const form = new FormData();
    for (const [k, v] of Object.entries(grant.fields)) form.append(k, v);
    form.append('file', new Blob([new Uint8Array(bytes)], { type }), 'x');
    const res = await fetch(grant.url, { method: 'POST', body: form });
    expect(res.status).toBeLessThan(300);
  }

  async function assignment(unitId: string): Promise<Assignment> {
    return (await stack.deps.submissions.getAssignment(PLAN, YEAR, unitId))!;
  }

  async function version(unitId: string, n: number): Promise<SubmissionVersion | undefined> {
    const out = await createDynamoDocumentClient(stack.config).send(
      new QueryCommand({
        TableName: stack.config.SUBMISSIONS_TABLE,
        KeyConditionExpression: 'pk = :pk AND sk = :sk',
        ExpressionAttributeValues: {
          ':pk': `PERIOD#${PLAN}#${YEAR}`,
          ':sk': `VERSION#${unitId}#${String(n).padStart(6, '0')}`,
        },
        ConsistentRead: true,
      }),
    );
    return out.Items?.[0] as SubmissionVersion | undefined;
  }

  async function objectBytes(key: string): Promise<Buffer | undefined> {
    try {
      const out = await createS3Client(stack.config).send(
        new GetObjectCommand({ Bucket: stack.config.REPORTS_BUCKET, Key: key }),
      );
      return Buffer.from(await out.Body!.transformToByteArray());
    } catch {
      return undefined;
    }
  }

  it('keeps the receipted bytes when the same grant is posted again with an executable', async () => {
    // Prepare: a PDF uploaded and receipted.
    const report = pdfBytes('bao-cao-goc');
    const grant = await requestUpload(uploads, await token('cb-replay'), {
      fileName: 'Báo cáo.pdf',
      contentType: PDF,
      size: report.length,
      fileCount: 1,
    });
    await post(grant, report);
    const recorded = await eventually(async () => (await assignment('cb-replay')).files[0]);
    expect(recorded.sha256).toBe(sha256(report));
    // The recorder removes the landing object last. (On AWS it removes exactly the version it
    // kept; s3rver has no versions, so a replay landing in that instant would be removed with it.)
    await eventually(async () => ((await objectBytes(grant.key)) ? undefined : true));
    // Act: the attacker posts the grant's fields again with other bytes.
    const executable = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(300, 0x90)]);
    await post(grant, executable);
    const quarantined = await eventually(() => objectBytes(`quarantine/${grant.key}`));
    // Assess: the newcomer is quarantined; the record and the kept bytes are the receipted ones.
    expect(quarantined).toEqual(executable);
    expect((await assignment('cb-replay')).files).toEqual([recorded]);
    expect((await version('cb-replay', 1))!.files[grant.uploadId]!.sha256).toBe(sha256(report));
    // The committee's download (a presigned GET of the recorded key and version) gives the PDF.
    const url = await new S3Downloads(reportsLocation(stack.config)).urlFor(
      recorded.key,
      'Báo cáo.pdf',
      recorded.versionId,
    );
    const download = await fetch(url);
    expect(download.status).toBe(200);
    expect(sha256(new Uint8Array(await download.arrayBuffer()))).toBe(sha256(report));
    // The export succeeds: it verifies every file's checksum as it packs it.
    const dir = await mkdtemp(join(tmpdir(), 'baocao-export-'));
    try {
      const exportDeps = createExportDeps(stack.runtime, { clock, mailQueue: stack.mailQueue });
      const result = await writeExportToFile(exportDeps, PLAN, YEAR, join(dir, 'tong-hop.zip'));
      expect(result.files).toBeGreaterThanOrEqual(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    // The quarantined copy says why.
    const head = await createS3Client(stack.config).send(
      new GetObjectCommand({ Bucket: stack.config.REPORTS_BUCKET, Key: `quarantine/${grant.key}` }),
    );
    expect(decodeURIComponent(head.Metadata!['quarantine-reason']!)).toBe(REPLAY_REASON);
    await head.Body?.transformToByteArray();
  });

  it('refuses on arrival a file posted with a grant whose link was revoked since', async () => {
    // Prepare: a grant, then the committee revokes the unit's link.
    const bytes = pdfBytes('sau-thu-hoi');
    const grant = await requestUpload(uploads, await token('cb-revoked'), {
      fileName: 'bao-cao.pdf',
      contentType: PDF,
      size: bytes.length,
      fileCount: 1,
    });
    await revokeLink(uploads, PLAN, YEAR, 'cb-revoked');
    // Act
    await post(grant, bytes);
    // Assess: refused with the reason, quarantined, nothing shown as submitted.
    const refused = await eventually(async () => (await version('cb-revoked', 1))?.rejected[grant.uploadId]);
    expect(refused.reason).toBe(REVOKED_REASON);
    expect(await objectBytes(`quarantine/${grant.key}`)).toEqual(Buffer.from(bytes));
    expect(await objectBytes(grant.key)).toBeUndefined();
    expect(await assignment('cb-revoked')).toMatchObject({ status: 'missing', files: [] });
  });

  it(`refuses a ${MAX_PER_DAY + 1}th new submission in one day and writes nothing`, async () => {
    // Prepare
    const link = await token('cb-daily');
    const ask = () =>
      requestUpload(uploads, link, { fileName: 'a.pdf', contentType: PDF, size: 10, fileCount: 1 });
    for (let i = 0; i < MAX_PER_DAY; i++) await ask();
    const before = await assignment('cb-daily');
    // Act
    const refused = await ask().catch((error: unknown) => error);
    // Assess
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).userMessage).toMatch(
      new RegExp(`^Đơn vị đã nộp ${MAX_PER_DAY} lần trong hôm nay`),
    );
    // Nothing but the link's presign counter, which a refused presign moves too (docs/limits.md).
    const now = (await assignment('cb-daily'))!;
    const { presignCount: countAfter, presignWindow: _wa, ...after } = now;
    const { presignCount: countBefore, presignWindow: _wb, ...kept } = before!;
    expect(after).toEqual(kept);
    expect(countAfter).toBe((countBefore ?? 0) + 1);
    // The next local day counts afresh (00:00 in Hanoi is 17:00 UTC).
    clock.set('2026-12-01T17:00:00Z');
    try {
      await expect(ask()).resolves.toMatchObject({ submission: MAX_PER_DAY + 1 });
    } finally {
      clock.set('2026-12-01T03:00:00Z');
    }
  });

  it('keeps the status JSON small at every limit: the newest versions, notes of at most two', async () => {
    // Prepare: 30 versions of 10 files with the longest names and notes (written as the
    // recorder writes them; recording 300 files through S3 would only slow the test).
    const db = createDynamoDocumentClient(stack.config);
    const longName = `${'Báo cáo tổng kết '.repeat(11).slice(0, 190)}.pdf`;
    const notes = {
      '1': 'ệ'.repeat(MAX_NOTE_CHARS),
      '2': 'ộ'.repeat(MAX_NOTE_CHARS),
      '3': 'ữ'.repeat(MAX_NOTE_CHARS),
    };
    for (let n = 1; n <= 30; n++) {
      const files = Object.fromEntries(
        Array.from({ length: 10 }, (_, i) => [
          `${n}-${String(i).padStart(32, '0')}`,
          {
            uploadId: `${n}-${String(i).padStart(32, '0')}`,
            fileName: longName,
            key: `reports/${PLAN}/${YEAR}/cb-status/${n}-${i}/${'0'.repeat(64)}`,
            size: 25 * 1024 * 1024,
            contentType: PDF,
            sha256: 'f'.repeat(64),
            receivedAt: '2026-12-01T03:00:00.000Z',
          },
        ]),
      );
      await db.send(
        new PutCommand({
          TableName: stack.config.SUBMISSIONS_TABLE,
          Item: {
            pk: `PERIOD#${PLAN}#${YEAR}`,
            sk: `VERSION#cb-status#${String(n).padStart(6, '0')}`,
            type: 'version',
            planId: PLAN,
            year: YEAR,
            unitId: 'cb-status',
            version: n,
            createdAt: '2026-12-01T03:00:00.000Z',
            expectedFiles: 10,
            notes,
            files,
            rejected: {},
            submittedAt: '2026-12-01T03:00:00.000Z',
            onTime: true,
          },
        }),
      );
    }
    // Act
    const status = await unitStatus(uploads, await token('cb-status'));
    const bytes = Buffer.byteLength(JSON.stringify(status));
    // Assess
    expect(status.versions.map((v) => v.version)).toEqual(
      Array.from({ length: STATUS_VERSIONS }, (_, i) => 30 - i),
    );
    expect(status.versions.filter((v) => Object.keys(v.notes).length > 0)).toHaveLength(1);
    expect(bytes).toBeLessThanOrEqual(256 * 1024);
  });
});
