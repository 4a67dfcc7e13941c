import { beforeEach, describe, expect, it } from 'vitest';
import type { AuditEvent } from '#shared/audit/ports.ts';
import type { MailMessage } from '#shared/domain/mail-message.ts';
import { newAssignment } from '#shared/domain/period.ts';
import type { FileScanResult } from '#shared/domain/scan-result.ts';
import type { SubmissionVersion } from '#shared/domain/submission.ts';
import type { ScanRef } from '#shared/scanning/ports.ts';
import { type RecordScanDeps, recordScanResult, ScanNotReadyError } from '#shared/scanning/record-scan.ts';
import { MemoryPlanStore } from '#test/support/memory/plan-store.ts';
import { MemoryRecordingStore } from '#test/support/memory/recording-store.ts';
import { MemoryScanStore } from '#test/support/memory/scan-store.ts';
import { MemorySubmissionStore } from '#test/support/memory/submission-store.ts';
import { MemoryTables } from '#test/support/memory/table.ts';

const PLAN = 'kh-2026';
const YEAR = 2026;
const ID = '1-aaaaaaaaaaaaaaaa';
const KEY = `reports/${PLAN}/${YEAR}/cb-a/${ID}/${'b'.repeat(64)}`;
const ref: ScanRef = { planId: PLAN, year: YEAR, unitId: 'cb-a', version: 1, uploadId: ID, key: KEY };

const result = (
  status: FileScanResult['status'],
  scannedAt = '2026-12-01T04:00:00.000Z',
): FileScanResult => ({
  status,
  engine: 'guardduty',
  ...(status === 'infected' ? { threat: 'EICAR-Test-File (not a virus)' } : {}),
  scannedAt,
});

/** The use case over in-memory ports: the submissions table, a captured mail queue and audit log. */
describe('recordScanResult', () => {
  let tables: MemoryTables;
  let recording: MemoryRecordingStore;
  let submissions: MemorySubmissionStore;
  let mails: MailMessage[];
  let audit: AuditEvent[];
  let deps: RecordScanDeps;

  async function seed(options: { promote?: boolean; record?: boolean } = {}): Promise<void> {
    await submissions.createAssignment(
      newAssignment(
        { planId: PLAN, year: YEAR },
        { id: 'cb-a', name: 'Chi bộ A', email: 'a@example.org', cc: ['pho@example.org'] },
      ),
    );
    const version: SubmissionVersion = {
      planId: PLAN,
      year: YEAR,
      unitId: 'cb-a',
      version: 1,
      createdAt: '2026-12-01T02:00:00.000Z',
      expectedFiles: 1,
      notes: {},
      files: {},
      rejected: {},
      submittedAt: null,
      onTime: null,
    };
    await recording.ensureVersion(version);
    if (options.record === false) return;
    const write = await recording.recordFile(
      { planId: PLAN, year: YEAR, unitId: 'cb-a', version: 1, uploadId: ID },
      {
        uploadId: ID,
        fileName: 'Báo cáo.pdf',
        key: KEY,
        size: 100,
        contentType: 'application/pdf',
        sha256: 'b'.repeat(64),
        receivedAt: '2026-12-01T03:00:00.000Z',
      },
      true,
    );
    if (options.promote !== false) {
      await recording.promoteLatest(PLAN, YEAR, 'cb-a', write.version, 'on_time', write.version.submittedAt!);
    }
  }

  beforeEach(() => {
    tables = new MemoryTables();
    recording = new MemoryRecordingStore(tables.submissions);
    submissions = new MemorySubmissionStore(tables.submissions);
    mails = [];
    audit = [];
    deps = {
      results: new MemoryScanStore(tables.submissions),
      plans: new MemoryPlanStore(tables.plans),
      mail: { enqueue: async (m) => void mails.push(...m) },
      audit: { record: async (e) => void audit.push(e) },
      clock: { now: () => new Date('2026-12-01T04:00:01Z') },
      committeeRecipients: async () => ['vanphong@example.org'],
      appUrl: 'https://baocao.example.org',
      log: { warn: () => {} },
    };
  });

  it('quarantines an infected file: kept on the version and the assignment, unit and committee told, audited once', async () => {
    // Prepare
    await seed();
    // Act
    const first = await recordScanResult(deps, ref, result('infected'));
    const again = await recordScanResult(deps, ref, result('infected'));
    // Assert
    expect(first).toMatchObject({ status: 'saved', quarantined: true });
    expect(again).toMatchObject({ status: 'unchanged' });
    expect((await submissions.getAssignment(PLAN, YEAR, 'cb-a'))?.scans?.[ID]?.status).toBe('infected');
    expect((await recording.getVersion(PLAN, YEAR, 'cb-a', 1))?.scans?.[ID]?.threat).toBe(
      'EICAR-Test-File (not a virus)',
    );
    expect(audit).toEqual([
      expect.objectContaining({
        kind: 'upload.quarantined',
        actor: { type: 'system', id: 'malware-scan:guardduty' },
        target: { planId: PLAN, year: YEAR, unitId: 'cb-a', ref: ID },
        outcome: 'refused',
      }),
    ]);
    // The notices go again with the repeated delivery, under the same keys (sent once by the mailer).
    const keys = mails.map((m) => m.key);
    expect(new Set(keys)).toEqual(
      new Set([`${PLAN}#${YEAR}#cb-a#quarantined-${ID}`, `${PLAN}#${YEAR}#cb-a#quarantined-${ID}#committee`]),
    );
    const unit = mails.find((m) => m.unitId === 'cb-a')!;
    const committee = mails.find((m) => m.unitId === 'committee')!;
    expect(unit).toMatchObject({ template: 'quarantined', to: ['a@example.org'], cc: ['pho@example.org'] });
    expect(committee).toMatchObject({
      template: 'quarantined',
      to: ['vanphong@example.org'],
      data: {
        audience: 'committee',
        pageUrl: `https://baocao.example.org/admin/plans/${PLAN}/${YEAR}/units/cb-a`,
      },
    });
  });

  it('keeps a clean result quietly', async () => {
    // Prepare
    await seed();
    // Act
    const outcome = await recordScanResult(deps, ref, result('clean'));
    // Assert
    expect(outcome).toMatchObject({ status: 'saved', quarantined: false });
    expect(mails).toEqual([]);
    expect(audit).toEqual([]);
  });

  it('mails only the unit when the committee has no one to send it to', async () => {
    // Prepare
    await seed();
    // Act
    await recordScanResult({ ...deps, committeeRecipients: async () => [] }, ref, result('infected'));
    // Assert
    expect(mails.map((m) => m.to)).toEqual([['a@example.org']]);
  });

  it('asks for a retry when the file is not recorded yet, writing nothing', async () => {
    // Prepare
    await seed({ record: false });
    // Act
    const attempt = recordScanResult(deps, ref, result('infected'));
    // Assert
    await expect(attempt).rejects.toBeInstanceOf(ScanNotReadyError);
    expect((await recording.getVersion(PLAN, YEAR, 'cb-a', 1))?.scans).toBeUndefined();
    expect(mails).toEqual([]);
  });

  it('asks for a retry while the version is not on the assignment, then completes it', async () => {
    // Prepare
    await seed({ promote: false });
    // Act
    const attempt = recordScanResult(deps, ref, result('clean'));
    await expect(attempt).rejects.toBeInstanceOf(ScanNotReadyError);
    const version = (await recording.getVersion(PLAN, YEAR, 'cb-a', 1))!;
    await recording.promoteLatest(PLAN, YEAR, 'cb-a', version, 'on_time', version.submittedAt!);
    const retry = await recordScanResult(deps, ref, result('clean'));
    // Assert
    expect(retry.status).toBe('unchanged');
    expect((await submissions.getAssignment(PLAN, YEAR, 'cb-a'))?.scans?.[ID]?.status).toBe('clean');
  });

  it('ignores a result about another object than the one recorded (a copy that lost a race)', async () => {
    // Prepare
    await seed();
    // Act
    const outcome = await recordScanResult(
      deps,
      { ...ref, key: `${KEY.slice(0, -64)}${'c'.repeat(64)}` },
      result('infected'),
    );
    // Assert
    expect(outcome).toEqual({ status: 'other-object' });
    expect(mails).toEqual([]);
    expect((await recording.getVersion(PLAN, YEAR, 'cb-a', 1))?.scans).toBeUndefined();
  });

  it('never lets an older result replace a newer one', async () => {
    // Prepare
    await seed();
    await recordScanResult(deps, ref, result('clean', '2026-12-01T05:00:00.000Z'));
    // Act
    const outcome = await recordScanResult(deps, ref, result('failed', '2026-12-01T04:00:00.000Z'));
    // Assert
    expect(outcome.status).toBe('unchanged');
    expect((await submissions.getAssignment(PLAN, YEAR, 'cb-a'))?.scans?.[ID]?.status).toBe('clean');
  });
});
