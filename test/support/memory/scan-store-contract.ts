/**
 * The contract of the ScanResultStore port, run against the in-memory fake
 * (test/unit/scanning/scan-store-contract.test.ts) and the DynamoDB adapter on dynalite
 * (test/integration/scan-store-contract.test.ts), so that the fake cannot drift.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { newAssignment } from '#shared/domain/period.ts';
import type { FileScanResult } from '#shared/domain/scan-result.ts';
import type { RecordedFile, SubmissionVersion } from '#shared/domain/submission.ts';
import type { SubmissionStore } from '#shared/ports.ts';
import type { RecordingStore } from '#shared/recording/ports.ts';
import type { ScanRef, ScanResultStore } from '#shared/scanning/ports.ts';

export interface ScanContractStores {
  submissions: SubmissionStore;
  recording: RecordingStore;
  scans: ScanResultStore;
}

const YEAR = 2026;
let sequence = 0;
const newPlanId = () => `scan-contract-${Date.now().toString(36)}-${++sequence}`;

const result = (status: FileScanResult['status'], scannedAt: string): FileScanResult => ({
  status,
  engine: 'clamav',
  ...(status === 'infected' ? { threat: 'Eicar-Test' } : {}),
  scannedAt,
});

function recorded(uploadId: string): RecordedFile {
  return {
    uploadId,
    fileName: `${uploadId}.pdf`,
    key: `reports/p/${YEAR}/cb-a/${uploadId}/${'b'.repeat(64)}`,
    size: 2048,
    contentType: 'application/pdf',
    sha256: 'b'.repeat(64),
    receivedAt: '2026-12-01T03:00:00.000Z',
  };
}

export function describeScanStoreContract(
  name: string,
  make: () => ScanContractStores | Promise<ScanContractStores>,
): void {
  let s: ScanContractStores;
  beforeAll(async () => {
    s = await make();
  });

  /** A unit with version `n` holding `uploadIds`, promoted to latest unless told not to. */
  async function seedVersion(planId: string, n: number, uploadIds: string[], promote = true): Promise<void> {
    if (n === 1) {
      await s.submissions.createAssignment(
        newAssignment(
          { planId, year: YEAR },
          { id: 'cb-a', name: 'Chi bộ A', email: 'a@example.org', cc: ['b@example.org'] },
        ),
      );
    }
    const version: SubmissionVersion = {
      planId,
      year: YEAR,
      unitId: 'cb-a',
      version: n,
      createdAt: '2026-12-01T02:00:00.000Z',
      expectedFiles: uploadIds.length,
      notes: {},
      files: {},
      rejected: {},
      submittedAt: null,
      onTime: null,
    };
    await s.recording.ensureVersion(version);
    let last: SubmissionVersion = version;
    for (const id of uploadIds) {
      last = (
        await s.recording.recordFile(
          { planId, year: YEAR, unitId: 'cb-a', version: n, uploadId: id },
          recorded(id),
          true,
        )
      ).version;
    }
    if (promote) await s.recording.promoteLatest(planId, YEAR, 'cb-a', last, 'on_time', last.submittedAt!);
  }

  const ref = (planId: string, version: number, uploadId: string): ScanRef => ({
    planId,
    year: YEAR,
    unitId: 'cb-a',
    version,
    uploadId,
    key: recorded(uploadId).key,
  });

  describe(`${name}: ScanResultStore`, () => {
    it('keeps a result with its version and on the assignment of the latest version', async () => {
      // Prepare
      const planId = newPlanId();
      await seedVersion(planId, 1, ['1-aaaaaaaaaaaaaaaa']);
      // Act
      const outcome = await s.scans.saveScan(
        ref(planId, 1, '1-aaaaaaaaaaaaaaaa'),
        result('infected', '2026-12-01T04:00:00.000Z'),
      );
      // Assert
      expect(outcome).toEqual({ version: 'written', assignment: 'written' });
      const version = await s.recording.getVersion(planId, YEAR, 'cb-a', 1);
      expect(version?.scans?.['1-aaaaaaaaaaaaaaaa']).toMatchObject({
        status: 'infected',
        threat: 'Eicar-Test',
      });
      const assignment = await s.submissions.getAssignment(planId, YEAR, 'cb-a');
      expect(assignment?.scans?.['1-aaaaaaaaaaaaaaaa']?.status).toBe('infected');
    });

    it('never replaces a result by one made at the same time or earlier', async () => {
      // Prepare
      const planId = newPlanId();
      await seedVersion(planId, 1, ['1-bbbbbbbbbbbbbbbb']);
      const r = ref(planId, 1, '1-bbbbbbbbbbbbbbbb');
      await s.scans.saveScan(r, result('clean', '2026-12-01T04:00:00.000Z'));
      // Act
      const repeated = await s.scans.saveScan(r, result('clean', '2026-12-01T04:00:00.000Z'));
      const older = await s.scans.saveScan(r, result('failed', '2026-12-01T03:59:00.000Z'));
      const newer = await s.scans.saveScan(r, result('infected', '2026-12-01T04:01:00.000Z'));
      // Assert
      expect(repeated).toEqual({ version: 'unchanged', assignment: 'unchanged' });
      expect(older).toEqual({ version: 'unchanged', assignment: 'unchanged' });
      expect(newer).toEqual({ version: 'written', assignment: 'written' });
      const assignment = await s.submissions.getAssignment(planId, YEAR, 'cb-a');
      expect(assignment?.scans?.['1-bbbbbbbbbbbbbbbb']?.status).toBe('infected');
    });

    it('says no-file for a file its version does not hold, writing nothing', async () => {
      // Prepare
      const planId = newPlanId();
      await seedVersion(planId, 1, ['1-cccccccccccccccc']);
      // Act
      const outcome = await s.scans.saveScan(
        ref(planId, 1, '1-dddddddddddddddd'),
        result('clean', '2026-12-01T04:00:00.000Z'),
      );
      // Assert
      expect(outcome.version).toBe('no-file');
      expect(await s.scans.findFile(ref(planId, 1, '1-dddddddddddddddd'))).toBeUndefined();
      const version = await s.recording.getVersion(planId, YEAR, 'cb-a', 1);
      expect(version?.scans?.['1-dddddddddddddddd']).toBeUndefined();
    });

    it('keeps a result of a version not yet promoted on the version only, and says so', async () => {
      // Prepare
      const planId = newPlanId();
      await seedVersion(planId, 1, ['1-eeeeeeeeeeeeeeee']);
      await seedVersion(planId, 2, ['2-ffffffffffffffff'], false);
      // Act
      const outcome = await s.scans.saveScan(
        ref(planId, 2, '2-ffffffffffffffff'),
        result('clean', '2026-12-01T04:00:00.000Z'),
      );
      // Assert
      expect(outcome).toEqual({ version: 'written', assignment: 'not-promoted' });
      const assignment = await s.submissions.getAssignment(planId, YEAR, 'cb-a');
      expect(assignment?.scans?.['2-ffffffffffffffff']).toBeUndefined();
      const version = await s.recording.getVersion(planId, YEAR, 'cb-a', 2);
      expect(version?.scans?.['2-ffffffffffffffff']?.status).toBe('clean');
    });

    it('leaves the assignment alone for a result of an older version', async () => {
      // Prepare
      const planId = newPlanId();
      await seedVersion(planId, 1, ['1-gggggggggggggggg']);
      await seedVersion(planId, 2, ['2-hhhhhhhhhhhhhhhh']);
      // Act
      const outcome = await s.scans.saveScan(
        ref(planId, 1, '1-gggggggggggggggg'),
        result('clean', '2026-12-01T04:00:00.000Z'),
      );
      // Assert
      expect(outcome).toEqual({ version: 'written', assignment: 'not-latest' });
      const assignment = await s.submissions.getAssignment(planId, YEAR, 'cb-a');
      expect(assignment?.scans?.['1-gggggggggggggggg']).toBeUndefined();
    });

    it('finds a recorded file with its unit name and addresses', async () => {
      // Prepare
      const planId = newPlanId();
      await seedVersion(planId, 1, ['1-iiiiiiiiiiiiiiii']);
      // Act
      const file = await s.scans.findFile(ref(planId, 1, '1-iiiiiiiiiiiiiiii'));
      // Assert
      expect(file).toEqual({
        fileName: '1-iiiiiiiiiiiiiiii.pdf',
        key: recorded('1-iiiiiiiiiiiiiiii').key,
        unitName: 'Chi bộ A',
        email: 'a@example.org',
        cc: ['b@example.org'],
      });
    });
  });
}
