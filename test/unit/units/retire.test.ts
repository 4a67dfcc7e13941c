/**
 * Retiring and reinstating a unit over the in-memory ports, with the real planner, links,
 * recording and export (docs/units.md): a retirement counts from its date, never before; from
 * then on the unit gets no reminder or digest line, leaves the expected count and its link is
 * refused, while what it sent stays (status, export); reinstating makes its link work again
 * without an e-mail; a retired unit joins no period opened from its date; closed periods keep
 * what they had.
 *
 * The demo plan's 2026 period: opens Sun 15/11, deadline Tue 15/12, closes Thu 14/01/2027;
 * reminders −14 (01/12), −7 (08/12) …; digests on Mondays (16/11, 23/11, 30/11, …).
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, ValidationError } from '#shared/errors.ts';
import { buildExport } from '#shared/export/build-export.ts';
import { openPeriod, periodStatus } from '#shared/periods/periods.ts';
import { runPlanner } from '#shared/periods/run-planner.ts';
import { importPlan } from '#shared/plans/plans.ts';
import { recordUpload } from '#shared/recording/record-upload.ts';
import { parseRetirementReason, reinstateUnit, retireUnit } from '#shared/units/retire.ts';
import { importUnits, listUnits } from '#shared/units/units.ts';
import { WithdrawnLinkError } from '#shared/uploads/link-errors.ts';
import { requestUpload } from '#shared/uploads/request-upload.ts';
import { manageLink } from '#shared/uploads/send-link.ts';
import { unitStatus } from '#shared/uploads/unit-status.ts';
import { createMemoryRuntime, type MemoryRuntime } from '#test/support/memory/runtime.ts';
import { readZip } from '#test/support/zip.ts';

const DEMO_PLAN = readFileSync(new URL('../../../local/demo/ke-hoach-12-KH-DUS.txt', import.meta.url));
const PLAN = '12-kh-dus-2025';
const YEAR = 2026;
const COMMITTEE = 'vanphong@example.org';
const PDF = Buffer.from(
  '%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n',
);

describe('retiring and reinstating a unit', () => {
  const rt: MemoryRuntime = createMemoryRuntime({
    now: '2026-11-15T01:00:00Z',
    committeeEmails: [COMMITTEE],
  });

  /** The unit's link, as its "period opened" e-mail gave it. */
  function token(unitId: string, year = YEAR): string {
    const opened = rt.mailQueue.enqueued.find(
      (m) => m.template === 'link' && m.unitId === unitId && m.year === year,
    );
    if (opened?.template !== 'link') throw new Error(`no link e-mail for ${unitId}`);
    return opened.data.uploadUrl.split('/u/')[1]!;
  }

  /** The e-mails queued since `from`, as `<template> <unit>`. */
  function mailsSince(from: number): string[] {
    return rt.mailQueue.enqueued.slice(from).map((m) => `${m.template} ${m.unitId}`);
  }

  async function tick(at: string) {
    rt.clock.set(at);
    return runPlanner(rt.plannerDeps, rt.clock.now());
  }

  beforeAll(async () => {
    await importUnits(
      rt.deps,
      'id,name,email\ncb-a,Chi bộ A,a@example.org\ncb-b,Chi bộ B,b@example.org\ncb-c,Chi bộ C,c@example.org\n',
    );
    await importPlan(rt.deps, DEMO_PLAN, 'ke-hoach.txt');
    // 15/11 08:00: the planner opens the period and e-mails the three links.
    await tick('2026-11-15T01:00:00Z');
    // 20/11: cb-b reports.
    rt.clock.set('2026-11-20T03:00:00Z');
    const grant = await requestUpload(rt.uploadDeps, token('cb-b'), {
      fileName: 'bao-cao.pdf',
      contentType: 'application/pdf',
      size: PDF.length,
      fileCount: 1,
      notes: { '1': 'Đã thực hiện.' },
    });
    await recordUpload(rt.recordingDeps, rt.bucket.post(grant, PDF));
  });

  it('counts from its date only: retired from 28/11 and 01/12, nothing changes on 25/11', async () => {
    // Act: on 25/11, cb-b (which reported) from 28/11, cb-c from 01/12.
    rt.clock.set('2026-11-25T03:00:00Z');
    const b = await retireUnit(rt.deps, 'cb-b', {
      from: '28/11/2026',
      reason: 'sáp nhập',
      detail: 'vào Chi bộ A',
    });
    const c = await retireUnit(rt.deps, 'cb-c', { from: '2026-12-01', reason: 'dissolved' });
    const status = await periodStatus(rt.deps, PLAN, YEAR);

    // Assess: stored, withdrawn in the open period, but nothing counts yet.
    expect(b.unit).toMatchObject({
      active: false,
      retired: {
        from: '2026-11-28',
        reason: 'merged',
        detail: 'vào Chi bộ A',
        at: '2026-11-25T03:00:00.000Z',
      },
    });
    expect(b.withdrawn).toEqual([{ planId: PLAN, year: YEAR }]);
    expect(c.withdrawn).toEqual([{ planId: PLAN, year: YEAR }]);
    expect(await rt.stores.submissions.getAssignment(PLAN, YEAR, 'cb-c')).toMatchObject({
      withdrawn: {
        from: '2026-12-01',
        reason: 'retired',
        detail: 'giải thể',
        at: '2026-11-25T03:00:00.000Z',
      },
    });
    expect(status.expected).toBe(3);
    expect(status.withdrawn).toEqual([]);
    expect(status.rows.find((r) => r.unitId === 'cb-c')?.withdrawn?.from).toBe('2026-12-01');
    expect((await unitStatus(rt.uploadDeps, token('cb-c'))).unit.id).toBe('cb-c');
  });

  it('leaves the digest from its date: the Monday 30/11 digest counts cb-a and cb-c only', async () => {
    const before = rt.mailQueue.enqueued.length;
    await tick('2026-11-30T01:00:00Z');
    const digest = rt.mailQueue.enqueued.slice(before).find((m) => m.template === 'digest');
    expect(digest?.template === 'digest' && digest.data).toMatchObject({
      expected: 2,
      onTime: 0,
      missing: 2,
      missingUnits: [
        expect.objectContaining({ unitId: 'cb-a' }),
        expect.objectContaining({ unitId: 'cb-c' }),
      ],
    });
  });

  it('sends no reminder from its date: on 01/12 only cb-a is reminded', async () => {
    const before = rt.mailQueue.enqueued.length;
    const summary = await tick('2026-12-01T01:00:00Z');
    expect(summary.failures).toEqual([]);
    expect(mailsSince(before)).toEqual(['reminder cb-a']);
  });

  it('takes it out of the expected count and the rates, keeping its row and files apart', async () => {
    const status = await periodStatus(rt.deps, PLAN, YEAR);
    expect(status.rows.map((r) => r.unitId)).toEqual(['cb-a']);
    expect(status).toMatchObject({ expected: 1, reported: 0, completeness: 0 });
    expect(
      status.withdrawn.map((r) => [r.unitId, r.status, r.files, r.withdrawn.from, r.withdrawn.detail]),
    ).toEqual([
      ['cb-b', 'on_time', 1, '2026-11-28', 'sáp nhập: vào Chi bộ A'],
      ['cb-c', 'missing', 0, '2026-12-01', 'giải thể'],
    ]);
  });

  it('refuses its link, its uploads and a resend, with a Vietnamese message', async () => {
    const page = await unitStatus(rt.uploadDeps, token('cb-c')).catch((e: unknown) => e);
    const upload = await requestUpload(rt.uploadDeps, token('cb-c'), {
      fileName: 'a.pdf',
      contentType: 'application/pdf',
      size: 10,
      fileCount: 1,
    }).catch((e: unknown) => e);
    const resend = await manageLink(rt.uploadDeps, rt.mailQueue, PLAN, YEAR, 'cb-c', { resend: true }).catch(
      (e: unknown) => e,
    );
    expect(page).toBeInstanceOf(WithdrawnLinkError);
    expect((page as WithdrawnLinkError).userMessage).toBe(
      'Đơn vị không còn báo cáo trong kỳ báo cáo năm 2026 (từ ngày 01/12/2026); liên kết này không còn dùng được. Nếu có sai sót, hãy liên hệ văn phòng Đảng ủy.',
    );
    expect(upload).toBeInstanceOf(WithdrawnLinkError);
    expect(resend).toBeInstanceOf(ConflictError);
    expect((await rt.stores.submissions.getAssignment(PLAN, YEAR, 'cb-c'))?.versionCounter).toBe(0);
  });

  it('keeps what a withdrawn unit sent in the export, outside the summary’s rows and rates', async () => {
    const result = await buildExport(rt.exportDeps, PLAN, YEAR);
    const entries = await readZip(rt.bucket.bytes(result.key)!);
    const names = entries.map((e) => e.name);
    expect(names).toContain('don-vi/cb-b - Chi bộ B/bao-cao.pdf');
    const csv = entries
      .find((e) => e.name === 'summary.csv')!
      .data!.toString('utf8')
      .trim()
      .split('\n');
    expect(csv.slice(1).map((line) => line.split(',')[0])).toEqual(['cb-a']);
    expect(result.units).toBe(1);
    expect(result.files).toBe(1);
  });

  it('reinstates without an e-mail: its link works again and its reminders resume', async () => {
    // Act
    rt.clock.set('2026-12-02T03:00:00Z');
    const before = rt.mailQueue.enqueued.length;
    const result = await reinstateUnit(rt.deps, 'cb-c');
    const again = await reinstateUnit(rt.deps, 'cb-c').catch((e: unknown) => e);
    // Assess
    expect(result.restored).toEqual([{ planId: PLAN, year: YEAR }]);
    expect(result.unit).toMatchObject({ active: true, retired: null });
    expect(mailsSince(before)).toEqual([]);
    expect((await unitStatus(rt.uploadDeps, token('cb-c'))).unit.id).toBe('cb-c');
    expect(again).toBeInstanceOf(ConflictError);
    expect((await periodStatus(rt.deps, PLAN, YEAR)).expected).toBe(2);
    await tick('2026-12-08T01:00:00Z');
    expect(mailsSince(before)).toEqual(['reminder cb-a', 'reminder cb-c']);
  });

  it('assigns no period opened on or after its date; a later retirement is written on the new assignment', async () => {
    // Prepare: the 2026 period closes on 15/01/2027; then cb-a retires from 01/12/2027.
    await tick('2027-01-15T01:00:00Z');
    rt.clock.set('2027-03-01T03:00:00Z');
    await retireUnit(rt.deps, 'cb-a', { from: '2027-12-01', reason: 'other', detail: 'tạm dừng' });
    const reinstatedB = await reinstateUnit(rt.deps, 'cb-b');
    await retireUnit(rt.deps, 'cb-b', { from: '2027-01-01', reason: 'merged' });
    // Act: the planner opens 2027 on 15/11/2027.
    const summary = await tick('2027-11-15T01:00:00Z');
    // Assess
    expect(summary.opened).toEqual([{ planId: PLAN, year: 2027 }]);
    const next = await rt.stores.submissions.listAssignments(PLAN, 2027);
    expect(next.map((a) => [a.unitId, a.withdrawn?.from ?? null])).toEqual([
      ['cb-a', '2027-12-01'],
      ['cb-c', null],
    ]);
    // The closed 2026 period kept what it had: cb-b's withdrawal, cb-a's assignment untouched.
    expect(reinstatedB.restored).toEqual([]);
    expect((await rt.stores.submissions.getAssignment(PLAN, YEAR, 'cb-b'))?.withdrawn?.from).toBe(
      '2026-11-28',
    );
    expect((await rt.stores.submissions.getAssignment(PLAN, YEAR, 'cb-a'))?.withdrawn).toBeUndefined();
    expect(
      mailsSince(0)
        .filter((m) => m.startsWith('link'))
        .slice(3),
    ).toEqual(['link cb-a', 'link cb-c']);
  });

  it('refuses a bad date, reason or detail and an unknown unit, changing nothing', async () => {
    const before = await listUnits(rt.deps);
    for (const input of [
      { from: '31/02/2027', reason: 'khac' },
      { from: '01/12/2027', reason: 'chuyển đi' },
      { from: '01/12/2027', reason: 'khac', detail: 'x'.repeat(201) },
      { from: '01/12/2027', reason: 'khac', detail: 'hai\ndòng' },
    ]) {
      await expect(retireUnit(rt.deps, 'cb-c', input)).rejects.toBeInstanceOf(ValidationError);
    }
    await expect(retireUnit(rt.deps, 'khong-co', { reason: 'khac' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await listUnits(rt.deps)).toStrictEqual(before);
    expect(['sap-nhap', 'Giải thể', 'KHAC', 'merged'].map(parseRetirementReason)).toEqual([
      'merged',
      'dissolved',
      'other',
      'merged',
    ]);
  });

  it('opens no period for a plan whose only units are retired', async () => {
    rt.clock.set('2027-11-16T03:00:00Z');
    await retireUnit(rt.deps, 'cb-c', { reason: 'khac' });
    await retireUnit(rt.deps, 'cb-a', { reason: 'khac' });
    await expect(
      openPeriod(rt.deps, { planId: PLAN, year: 2028, deadline: '2028-12-15' }),
    ).rejects.toBeInstanceOf(ValidationError);
  });
});
