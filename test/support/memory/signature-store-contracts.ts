/**
 * The contracts of the signature ports (SignatureResultStore, TrustStore), run against the
 * in-memory fakes (test/unit/signatures/store-contracts.test.ts) and the DynamoDB adapters on
 * dynalite (test/integration/signatures-stores.test.ts), so that the fakes cannot drift.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { newAssignment } from '#shared/domain/period.ts';
import { type FileSignatureResult, REASONS } from '#shared/domain/signature-result.ts';
import type { RecordedFile, SubmissionVersion } from '#shared/domain/submission.ts';
import type { PlanStore, SubmissionStore } from '#shared/ports.ts';
import type { RecordingStore } from '#shared/recording/ports.ts';
import type {
  SignatureCheckRequest,
  SignatureResultStore,
  TrustAnchor,
  TrustStore,
} from '#shared/signatures/ports.ts';

export interface SignatureContractStores {
  plans: PlanStore;
  submissions: SubmissionStore;
  recording: RecordingStore;
  signatures: SignatureResultStore;
  trust: TrustStore;
}

const YEAR = 2026;
let sequence = 0;
const newPlanId = () => `sig-contract-${Date.now().toString(36)}-${++sequence}`;

function result(
  checkedAt: string,
  code: 'TOTAL_PASSED' | 'HASH_FAILURE' = 'TOTAL_PASSED',
): FileSignatureResult {
  return {
    indication: code === 'TOTAL_PASSED' ? 'valid' : 'invalid',
    code,
    reason: REASONS[code],
    signatures: [
      {
        indication: code === 'TOTAL_PASSED' ? 'valid' : 'invalid',
        code,
        reason: REASONS[code],
        signerName: 'Nguyễn Văn Ánh',
        organization: 'Chi bộ Văn phòng Sở',
        issuer: 'Test CA',
        signingTime: '2026-12-01T02:00:00.000Z',
        timeProven: false,
        coversWholeFile: true,
      },
    ],
    checkedAt,
    verifierVersion: '1',
    trustStoreVersion: '2',
  };
}

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

function anchor(n: number): TrustAnchor {
  return {
    id: `${String(n).padStart(4, '0')}${Date.now().toString(16)}`.padEnd(64, 'c'),
    der: 'MAA=',
    subject: `Test CA ${n}`,
    notBefore: '2025-01-01T00:00:00.000Z',
    notAfter: '2035-01-01T00:00:00.000Z',
    addedAt: '2026-12-01T00:00:00.000Z',
  };
}

export function describeSignatureStoreContracts(
  name: string,
  make: () => SignatureContractStores | Promise<SignatureContractStores>,
): void {
  let s: SignatureContractStores;
  beforeAll(async () => {
    s = await make();
  });

  /** A unit with version `n` holding `uploadIds`, promoted to latest. */
  async function seedVersion(planId: string, n: number, uploadIds: string[], promote = true): Promise<void> {
    if (n === 1) {
      await s.submissions.createAssignment(
        newAssignment(
          { planId, year: YEAR },
          { id: 'cb-a', name: 'Chi bộ A', email: 'a@example.org', cc: [] },
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

  const request = (planId: string, version: number, uploadId: string): SignatureCheckRequest => ({
    planId,
    year: YEAR,
    unitId: 'cb-a',
    version,
    uploadId,
    key: recorded(uploadId).key,
    size: 2048,
  });

  describe(`${name}: SignatureResultStore`, () => {
    it('keeps a result with its version and on the assignment of the latest version', async () => {
      // Prepare
      const planId = newPlanId();
      await seedVersion(planId, 1, ['1-aaaaaaaaaaaaaaaa']);
      // Act
      const saved = await s.signatures.saveResult(
        request(planId, 1, '1-aaaaaaaaaaaaaaaa'),
        result('2026-12-01T03:00:05.000Z'),
      );
      // Assess
      expect(saved).toBe(true);
      const version = await s.recording.getVersion(planId, YEAR, 'cb-a', 1);
      expect(version?.signatures).toStrictEqual({ '1-aaaaaaaaaaaaaaaa': result('2026-12-01T03:00:05.000Z') });
      const assignment = await s.submissions.getAssignment(planId, YEAR, 'cb-a');
      expect(assignment?.signatures).toStrictEqual({
        '1-aaaaaaaaaaaaaaaa': result('2026-12-01T03:00:05.000Z'),
      });
    });

    it('writes nothing for a file its version does not have', async () => {
      // Prepare
      const planId = newPlanId();
      await seedVersion(planId, 1, ['1-aaaaaaaaaaaaaaaa']);
      // Act
      const saved = await s.signatures.saveResult(
        request(planId, 1, '1-bbbbbbbbbbbbbbbb'),
        result('2026-12-01T03:00:05.000Z'),
      );
      // Assess
      expect(saved).toBe(false);
      expect((await s.recording.getVersion(planId, YEAR, 'cb-a', 1))?.signatures).toBeUndefined();
      expect((await s.submissions.getAssignment(planId, YEAR, 'cb-a'))?.signatures).toBeUndefined();
    });

    it('never replaces a newer result with an older one', async () => {
      // Prepare
      const planId = newPlanId();
      await seedVersion(planId, 1, ['1-aaaaaaaaaaaaaaaa']);
      const ref = request(planId, 1, '1-aaaaaaaaaaaaaaaa');
      await s.signatures.saveResult(ref, result('2026-12-02T00:00:00.000Z', 'HASH_FAILURE'));
      // Act
      await s.signatures.saveResult(ref, result('2026-12-01T00:00:00.000Z'));
      // Assess
      expect(
        (await s.recording.getVersion(planId, YEAR, 'cb-a', 1))?.signatures?.['1-aaaaaaaaaaaaaaaa']?.code,
      ).toBe('HASH_FAILURE');
      expect(
        (await s.submissions.getAssignment(planId, YEAR, 'cb-a'))?.signatures?.['1-aaaaaaaaaaaaaaaa']?.code,
      ).toBe('HASH_FAILURE');
    });

    it("keeps an older version's result off the assignment and drops the entries of replaced files", async () => {
      // Prepare
      const planId = newPlanId();
      await seedVersion(planId, 1, ['1-aaaaaaaaaaaaaaaa']);
      await s.signatures.saveResult(
        request(planId, 1, '1-aaaaaaaaaaaaaaaa'),
        result('2026-12-01T03:00:05.000Z'),
      );
      await seedVersion(planId, 2, ['2-cccccccccccccccc']);
      // Act
      await s.signatures.saveResult(
        request(planId, 1, '1-aaaaaaaaaaaaaaaa'),
        result('2026-12-01T04:00:00.000Z'),
      );
      await s.signatures.saveResult(
        request(planId, 2, '2-cccccccccccccccc'),
        result('2026-12-01T04:00:01.000Z'),
      );
      // Assess
      expect(
        (await s.recording.getVersion(planId, YEAR, 'cb-a', 1))?.signatures?.['1-aaaaaaaaaaaaaaaa']
          ?.checkedAt,
      ).toBe('2026-12-01T04:00:00.000Z');
      expect((await s.submissions.getAssignment(planId, YEAR, 'cb-a'))?.signatures).toStrictEqual({
        '2-cccccccccccccccc': result('2026-12-01T04:00:01.000Z'),
      });
    });

    it("lists the files of each unit's latest version", async () => {
      // Prepare
      const planId = newPlanId();
      await seedVersion(planId, 1, ['1-aaaaaaaaaaaaaaaa', '1-dddddddddddddddd']);
      // Act
      const files = await s.signatures.latestFiles(planId, YEAR);
      // Assess
      expect(files.map((f) => [f.unitId, f.version, f.uploadId, f.contentType]).sort()).toStrictEqual([
        ['cb-a', 1, '1-aaaaaaaaaaaaaaaa', 'application/pdf'],
        ['cb-a', 1, '1-dddddddddddddddd', 'application/pdf'],
      ]);
      expect(await s.signatures.latestFiles(newPlanId(), YEAR)).toStrictEqual([]);
    });
  });

  describe(`${name}: TrustStore`, () => {
    it('adds anchors once, bumping the version, and removes them, bumping it again', async () => {
      // Prepare
      const before = await s.trust.snapshot();
      const a = anchor(1);
      // Act
      const first = await s.trust.add([a]);
      const again = await s.trust.add([a]);
      const afterAdd = await s.trust.snapshot();
      const removed = await s.trust.remove(a.id);
      const removedAgain = await s.trust.remove(a.id);
      const afterRemove = await s.trust.snapshot();
      // Assess
      expect(first.added).toStrictEqual([a]);
      expect(again.added).toStrictEqual([]);
      expect(afterAdd.anchors).toContainEqual(a);
      expect(Number(afterAdd.version)).toBeGreaterThan(Number(before.version));
      expect([removed, removedAgain]).toStrictEqual([true, false]);
      expect(afterRemove.anchors.map((x) => x.id)).not.toContain(a.id);
      expect(Number(afterRemove.version)).toBeGreaterThan(Number(afterAdd.version));
    });
  });
}
