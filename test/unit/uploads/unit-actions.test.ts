/**
 * The committee's actions on one unit in a period, over the in-memory ports with the real mailer
 * use case: an extension e-mails the unit its new deadline (once per deadline value), a
 * revocation's e-mail says the old link no longer works, and the unit's page reads the notes of
 * the version that counts.
 */
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { submissionKeys } from '#shared/adapters/dynamodb/submission-store.ts';
import type { SubmissionVersion } from '#shared/domain/submission.ts';
import { ValidationError } from '#shared/errors.ts';
import { openPeriod } from '#shared/periods/periods.ts';
import { importPlan } from '#shared/plans/plans.ts';
import { importUnits } from '#shared/units/units.ts';
import { extendDeadline } from '#shared/uploads/extend-deadline.ts';
import { RevokedLinkError } from '#shared/uploads/link-errors.ts';
import { linkFor, resolveLink } from '#shared/uploads/links.ts';
import { manageLink } from '#shared/uploads/send-link.ts';
import { UNIT_PAGE_VERSIONS, unitInPeriod } from '#shared/uploads/unit-in-period.ts';
import { createMemoryRuntime, type MemoryRuntime } from '#test/support/memory/runtime.ts';

const DEMO_PLAN = readFileSync(new URL('../../../local/demo/ke-hoach-12-KH-DUS.txt', import.meta.url));
const PLAN = '12-kh-dus-2025';
const YEAR = 2026;
const UNIT = 'cb-a';

describe('the committee’s actions on a unit', () => {
  let rt: MemoryRuntime;

  beforeEach(async () => {
    // Prepare: 29/11/2026, the demo plan's 2026 period open (deadline 15/12, closes 14/01/2027).
    rt = createMemoryRuntime({ now: '2026-11-29T02:00:00Z' });
    await importUnits(
      rt.deps,
      'id,name,email,cc\ncb-a,Chi bộ A,a@example.org,a2@example.org\ncb-b,Chi bộ B,b@example.org,\n',
    );
    await importPlan(rt.deps, DEMO_PLAN, 'ke-hoach.txt');
    await openPeriod(rt.deps, { planId: PLAN, year: YEAR });
    rt.sender.sent.splice(0);
  });

  describe('extendDeadline', () => {
    it('stores the new deadline and e-mails the unit (and its cc) the date with its link', async () => {
      // Act
      const result = await extendDeadline(rt.uploadDeps, rt.mailQueue, PLAN, YEAR, UNIT, '20/12/2026');

      // Assess
      expect(result.deadline).toBe('2026-12-20');
      expect((await rt.stores.submissions.getAssignment(PLAN, YEAR, UNIT))?.extendedDeadline).toBe(
        '2026-12-20',
      );
      const [mail] = rt.sender.sent.map((s) => s.mail);
      expect(rt.sender.sent).toHaveLength(1);
      expect(mail!.to).toEqual(['a@example.org']);
      expect(mail!.cc).toEqual(['a2@example.org']);
      expect(mail!.subject).toBe('[12-KH/ĐUS] Gia hạn nộp báo cáo năm 2026 — hạn mới 20/12/2026');
      expect(mail!.text).toContain('Hạn nộp mới: 20/12/2026');
      expect(mail!.text).toContain('Hạn nộp trước đây: 15/12/2026');
      const { url } = await linkFor(rt.uploadDeps, PLAN, YEAR, UNIT);
      expect(mail!.text).toContain(url);
      expect(rt.mailQueue.enqueued.at(-1)?.key).toBe(`${PLAN}#${YEAR}#${UNIT}#extension-2026-12-20`);
    });

    it('e-mails once per deadline value, and again when the deadline changes', async () => {
      await extendDeadline(rt.uploadDeps, rt.mailQueue, PLAN, YEAR, UNIT, '20/12/2026');
      await extendDeadline(rt.uploadDeps, rt.mailQueue, PLAN, YEAR, UNIT, '2026-12-20');
      await extendDeadline(rt.uploadDeps, rt.mailQueue, PLAN, YEAR, UNIT, '15/12/2026');

      expect(rt.sender.sent.map((s) => s.mail.subject)).toEqual([
        '[12-KH/ĐUS] Gia hạn nộp báo cáo năm 2026 — hạn mới 20/12/2026',
        '[12-KH/ĐUS] Thay đổi hạn nộp báo cáo năm 2026 — hạn nộp 15/12/2026',
      ]);
      expect((await rt.stores.submissions.getAssignment(PLAN, YEAR, UNIT))?.extendedDeadline).toBeNull();
    });

    it.each([
      ['a day that does not exist', '31/02/2026'],
      ['a day before the period’s deadline', '14/12/2026'],
      ['a day after the close date', '15/01/2027'],
      ['words', 'tuần sau'],
      ['a spreadsheet formula', '=TODAY()+5'],
      ['an oversized value', '1'.repeat(100_000)],
      ['binary', '\u0000\u0001\uFFFD\u0007'],
      ['nothing', ''],
    ])('refuses %s in Vietnamese and changes nothing', async (_name, until) => {
      const error = await extendDeadline(rt.uploadDeps, rt.mailQueue, PLAN, YEAR, UNIT, until).catch(
        (e) => e,
      );

      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).userMessage).toMatch(/^Ngày/);
      expect((error as ValidationError).userMessage.length).toBeLessThan(300);
      expect((await rt.stores.submissions.getAssignment(PLAN, YEAR, UNIT))?.extendedDeadline).toBeNull();
      expect(rt.mailQueue.enqueued).toHaveLength(0);
    });

    it('refuses a unit that is not in the period', async () => {
      await expect(
        extendDeadline(rt.uploadDeps, rt.mailQueue, PLAN, YEAR, 'khong-co', '20/12/2026'),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect(rt.mailQueue.enqueued).toHaveLength(0);
    });
  });

  describe('manageLink with revoke', () => {
    it('tells the unit in the new link’s e-mail that its old link no longer works, once per new link', async () => {
      const old = await linkFor(rt.uploadDeps, PLAN, YEAR, UNIT);

      const { link } = await manageLink(rt.uploadDeps, rt.mailQueue, PLAN, YEAR, UNIT, {
        revoke: true,
        resend: true,
      });

      expect(link.linkVersion).toBe(2);
      expect(rt.mailQueue.enqueued.at(-1)).toMatchObject({
        key: `${PLAN}#${YEAR}#${UNIT}#revoked-2`,
        data: { occasion: 'revoked', uploadUrl: link.url },
      });
      const [mail] = rt.sender.sent.map((s) => s.mail);
      expect(mail!.subject).toBe(
        '[12-KH/ĐUS] Liên kết mới nộp báo cáo năm 2026 — liên kết cũ không còn dùng được',
      );
      expect(mail!.text).toContain('liên kết cũ không còn dùng được nữa');
      expect(mail!.text).toContain(link.url);
      await expect(resolveLink(rt.uploadDeps, old.token)).rejects.toBeInstanceOf(RevokedLinkError);
    });

    it('keeps the re-send’s e-mail saying that earlier links still work', async () => {
      await manageLink(rt.uploadDeps, rt.mailQueue, PLAN, YEAR, UNIT, { resend: true });

      expect(rt.sender.sent[0]!.mail.text).toContain('vẫn dùng được, trừ khi đã bị thu hồi');
    });
  });

  describe('unitInPeriod', () => {
    /** Stores version `n` of cb-a as the recording function would. */
    function putVersion(n: number, withFile: boolean, notes: Record<string, string> = {}): void {
      const version: SubmissionVersion = {
        planId: PLAN,
        year: YEAR,
        unitId: UNIT,
        version: n,
        createdAt: `2026-11-2${Math.min(n, 9)}T01:00:00.000Z`,
        expectedFiles: 1,
        notes,
        files: withFile
          ? {
              [`${n}-abc`]: {
                uploadId: `${n}-abc`,
                fileName: 'Báo cáo.pdf',
                key: `reports/${PLAN}/${YEAR}/${UNIT}/${n}-abc`,
                size: 1234,
                contentType: 'application/pdf',
                sha256: 'a'.repeat(64),
                receivedAt: '2026-11-20T01:00:05.000Z',
              },
            }
          : {},
        rejected: {},
        submittedAt: withFile ? '2026-11-20T01:00:05.000Z' : null,
        onTime: withFile ? true : null,
      };
      rt.tables.submissions.put({
        ...submissionKeys.version(PLAN, YEAR, UNIT, n),
        type: 'version',
        ...version,
      });
    }

    it('gives the notes of the version that counts under the plan’s task-group titles, even when older than the versions listed', async () => {
      // Prepare: version 1 counts; eleven later ones never received a file.
      putVersion(1, true, { '1': 'Đã số hóa 120 hồ sơ.', '9': 'Ghi chú cho nhóm đã bỏ' });
      for (let n = 2; n <= UNIT_PAGE_VERSIONS + 2; n++) putVersion(n, false);
      const key = submissionKeys.assignment(PLAN, YEAR, UNIT);
      rt.tables.submissions.put({
        ...rt.tables.submissions.get(key)!,
        status: 'on_time',
        submittedAt: '2026-11-20T01:00:05.000Z',
        latestVersion: 1,
        versionCounter: UNIT_PAGE_VERSIONS + 2,
      });

      // Act
      const view = await unitInPeriod({ ...rt.uploadDeps, versions: rt.stores.versions }, PLAN, YEAR, UNIT);

      // Assess
      expect(view.versions.map((v) => v.version)).toEqual(
        Array.from({ length: UNIT_PAGE_VERSIONS }, (_, i) => UNIT_PAGE_VERSIONS + 2 - i),
      );
      expect(view.versions.some((v) => v.counted)).toBe(false);
      expect(view.notes[0]).toEqual({
        number: '1',
        title: expect.stringMatching(/\S/),
        text: 'Đã số hóa 120 hồ sơ.',
      });
      expect(view.notes.slice(1, -1).every((n) => n.text === '' && n.title)).toBe(true);
      expect(view.notes.at(-1)).toEqual({ number: '9', title: null, text: 'Ghi chú cho nhóm đã bỏ' });
      expect(view.versionsBegun).toBe(UNIT_PAGE_VERSIONS + 2);
      expect(view.unit).toEqual({
        unitId: UNIT,
        unitName: 'Chi bộ A',
        email: 'a@example.org',
        cc: ['a2@example.org'],
      });
    });

    it('refuses a unit or a period that does not exist', async () => {
      const deps = { ...rt.uploadDeps, versions: rt.stores.versions };
      await expect(unitInPeriod(deps, PLAN, YEAR, 'khong-co')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(unitInPeriod(deps, PLAN, 2030, UNIT)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });
  });
});
