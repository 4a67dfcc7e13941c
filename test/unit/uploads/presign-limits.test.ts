/**
 * The presign limits as `requestUpload` applies them (issue 18): the link's counter folded into
 * the grant's own conditional write on the assignment, the client address's counter run while
 * the link is read, over the in-memory ports. Who is counted, when the 429 comes, that a refused
 * presign changes nothing, and that concurrent presigns never pass the limit. The same store
 * conditions run on dynalite in the UploadStore contract (test/support/memory/store-contracts.ts).
 */
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { openPeriod } from '#shared/periods/periods.ts';
import { importPlan } from '#shared/plans/plans.ts';
import { importUnits } from '#shared/units/units.ts';
import { linkFor } from '#shared/uploads/links.ts';
import { requestUpload } from '#shared/uploads/request-upload.ts';
import { UNIT_LIMIT_MESSAGES, UNIT_LIMITS } from '#shared/uploads/unit-limits.ts';
import { createMemoryRuntime, type MemoryRuntime } from '#test/support/memory/runtime.ts';

const DEMO_PLAN = readFileSync(new URL('../../../local/demo/ke-hoach-12-KH-DUS.txt', import.meta.url));
const PLAN = '12-kh-dus-2025';
const YEAR = 2026;
const PER_LINK = UNIT_LIMITS.presign.perLink.limit;
const PER_IP = UNIT_LIMITS.presign.perIp.limit;
const OFFICE_IP = '203.0.113.9';

const file = (name: string) => ({ fileName: name, contentType: 'application/pdf', size: 1000 });

describe('presign limits, counted by the use case', () => {
  let rt: MemoryRuntime;
  const tokens = new Map<string, string>();

  beforeEach(async () => {
    // 03:01 UTC: well inside a 5-minute window.
    rt = createMemoryRuntime({ now: '2026-12-01T03:01:00Z', maxVersionsPerDay: 100 });
    const units = Array.from({ length: 8 }, (_, i) => `cb-${i},Chi bộ ${i},u${i}@example.org`);
    await importUnits(rt.deps, `id,name,email\n${units.join('\n')}\n`);
    await importPlan(rt.deps, DEMO_PLAN, 'ke-hoach.txt');
    await openPeriod(rt.deps, { planId: PLAN, year: YEAR });
    tokens.clear();
    for (let i = 0; i < 8; i++) {
      tokens.set(`cb-${i}`, (await linkFor(rt.uploadDeps, PLAN, YEAR, `cb-${i}`)).token);
    }
  });

  /** One presign of `unitId` from `ip`: its status as the HTTP adapter would answer it. */
  async function presign(unitId: string, body: unknown, ip: string | undefined = OFFICE_IP): Promise<string> {
    return requestUpload(rt.uploadDeps, tokens.get(unitId)!, body, { requestId: 'r', clientIp: ip }).then(
      () => 'granted',
      (e: { code?: string }) => e.code ?? 'error',
    );
  }

  /** `count` grants of one submission of ten files (a new submission after each ten). */
  async function grants(unitId: string, count: number, ip?: string): Promise<string[]> {
    const out: string[] = [];
    let submission: number | undefined;
    let files = 0;
    for (let i = 0; i < count; i++) {
      const body =
        submission === undefined || files === 10
          ? { ...file(`f${i}.pdf`), fileCount: 10 }
          : { ...file(`f${i}.pdf`), submission };
      if (files === 10) files = 0;
      const outcome = await requestUpload(rt.uploadDeps, tokens.get(unitId)!, body, {
        clientIp: ip ?? OFFICE_IP,
      }).then(
        (g) => {
          submission = g.submission;
          files++;
          return 'granted';
        },
        (e: { code?: string }) => e.code ?? 'error',
      );
      out.push(outcome);
    }
    return out;
  }

  const assignment = (unitId: string) => rt.stores.submissions.getAssignment(PLAN, YEAR, unitId);

  it(`grants ${PER_LINK} presigns of a link in 5 minutes, then answers 429 in Vietnamese, and again in the next window`, async () => {
    // Act
    const outcomes = await grants('cb-0', PER_LINK + 3);
    const refused = await requestUpload(rt.uploadDeps, tokens.get('cb-0')!, file('x.pdf'), {
      clientIp: OFFICE_IP,
    }).catch((e: unknown) => e);
    // Assess
    expect(outcomes.slice(0, PER_LINK)).toEqual(Array(PER_LINK).fill('granted'));
    expect(outcomes.slice(PER_LINK)).toEqual(['RATE_LIMITED', 'RATE_LIMITED', 'RATE_LIMITED']);
    expect(refused).toMatchObject({ code: 'RATE_LIMITED', userMessage: UNIT_LIMIT_MESSAGES.presign });
    expect(await assignment('cb-0')).toMatchObject({
      presignWindow: '2026-12-01T03:00:00.000Z',
      presignCount: PER_LINK,
    });
    // Another unit behind the same address is still served; so is this one 5 minutes later.
    expect(await presign('cb-1', { ...file('a.pdf'), fileCount: 1 })).toBe('granted');
    rt.clock.advance(5 * 60_000);
    expect(await presign('cb-0', { ...file('b.pdf'), fileCount: 1 })).toBe('granted');
    expect(await assignment('cb-0')).toMatchObject({
      presignWindow: '2026-12-01T03:05:00.000Z',
      presignCount: 1,
    });
  });

  it('changes nothing for a presign refused by its link’s limit: no grant, no record, no address budget', async () => {
    // Prepare
    await grants('cb-0', PER_LINK);
    const before = structuredClone(rt.tables.submissions.items());
    const plansBefore = structuredClone(rt.tables.plans.items());
    const recordsBefore = rt.auditStore.table.items().length;
    // Act
    const outcomes: string[] = [];
    for (let i = 0; i < 2 * PER_IP; i++) outcomes.push(await presign('cb-0', file(`x${i}.pdf`)));
    // Assess
    expect(new Set(outcomes)).toEqual(new Set(['RATE_LIMITED']));
    expect(rt.tables.submissions.items()).toStrictEqual(before);
    // The address's counter was given back each time: the plans table holds what it held.
    expect(rt.tables.plans.items()).toStrictEqual(plansBefore);
    expect(rt.auditStore.table.items().length).toBe(recordsBefore);
    // The office's other units keep the address's whole remaining budget.
    expect(await grants('cb-1', PER_LINK)).toEqual(Array(PER_LINK).fill('granted'));
  });

  it('counts presigns refused by the upload rules against the link (one write of the counter alone)', async () => {
    // Act: a body the rules refuse, again and again.
    const outcomes: string[] = [];
    for (let i = 0; i < PER_LINK + 2; i++) {
      outcomes.push(
        await presign('cb-0', { fileName: 'setup.exe', contentType: 'application/x-msdownload', size: 1 }),
      );
    }
    // Assess
    expect(outcomes.slice(0, PER_LINK)).toEqual(Array(PER_LINK).fill('VALIDATION_FAILED'));
    expect(outcomes.slice(PER_LINK)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
    const stored = await assignment('cb-0');
    expect(stored).toMatchObject({ presignCount: PER_LINK, versionCounter: 0 });
    expect(stored?.drafts).toBeUndefined();
  });

  it(`limits one address to ${PER_IP} presigns over all its links, and not another address`, async () => {
    // Act: five units behind one address, each up to its own limit.
    const outcomes: string[] = [];
    for (let u = 0; u < 6; u++) outcomes.push(...(await grants(`cb-${u}`, PER_LINK)));
    // Assess
    expect(outcomes.filter((o) => o === 'granted')).toHaveLength(PER_IP);
    expect(outcomes.slice(PER_IP)).toEqual(Array(6 * PER_LINK - PER_IP).fill('RATE_LIMITED'));
    // Refused by the address, the sixth unit's link counted nothing.
    expect((await assignment('cb-5'))?.presignCount).toBeUndefined();
    expect(await grants('cb-6', 1, '198.51.100.20')).toEqual(['granted']);
  });

  it('never grants past the limit to concurrent presigns of one link', async () => {
    // Prepare: a submission of ten files begun when the link had three presigns left.
    await grants('cb-0', PER_LINK - 3);
    const started = await requestUpload(rt.uploadDeps, tokens.get('cb-0')!, {
      ...file('a.pdf'),
      fileCount: 10,
    });
    // Act: eight more files of it at once (its draft has room for nine), from eight addresses.
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        presign('cb-0', { ...file(`c${i}.pdf`), submission: started.submission }, `192.0.2.${i + 1}`),
      ),
    );
    // Assess: two granted, the others refused by the link's limit, the count at the limit.
    const stored = await assignment('cb-0');
    expect(outcomes.filter((o) => o === 'granted')).toHaveLength(2);
    expect(outcomes.filter((o) => o === 'RATE_LIMITED')).toHaveLength(6);
    expect(stored?.presignCount).toBe(PER_LINK);
    expect(stored?.drafts?.[String(started.submission)]?.issued).toBe(3);
  });

  it('answers concurrent presigns refused by the rules with the refusal up to the limit, then 429', async () => {
    // Act: thirty refused bodies at once, from thirty addresses.
    const outcomes = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        presign(
          'cb-0',
          { fileName: `x${i}.exe`, contentType: 'application/x-msdownload', size: 1 },
          `192.0.2.${i + 1}`,
        ),
      ),
    );
    // Assess: every answer but a 429 was counted, and no more than the limit.
    expect(outcomes.filter((o) => o === 'VALIDATION_FAILED')).toHaveLength(PER_LINK);
    expect(outcomes.filter((o) => o === 'RATE_LIMITED')).toHaveLength(30 - PER_LINK);
    expect((await assignment('cb-0'))?.presignCount).toBe(PER_LINK);
  });

  it('counts nothing for a forged or malformed token', async () => {
    // Prepare
    const plansBefore = structuredClone(rt.tables.plans.items());
    const before = structuredClone(rt.tables.submissions.items());
    // Act
    const outcomes = await Promise.all(
      ['rac', 'x'.repeat(10_000), '\u0000\uffff', `${tokens.get('cb-0')!.slice(0, -4)}AAAA`].map((bad) =>
        requestUpload(rt.uploadDeps, bad, file('a.pdf'), { clientIp: OFFICE_IP }).catch(
          (e: { code?: string }) => e.code,
        ),
      ),
    );
    // Assess
    expect(new Set(outcomes)).toEqual(new Set(['LINK_INVALID']));
    expect(rt.tables.plans.items()).toStrictEqual(plansBefore);
    expect(rt.tables.submissions.items()).toStrictEqual(before);
  });
});
