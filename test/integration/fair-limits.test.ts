/**
 * Issue 18, fair limits, on loopback through the local stack's HTTP adapter and the real
 * handlers: one client floods `/u/<garbage>` and one unit's presign while another unit uploads
 * and the committee loads its dashboard. Bounded in count (no timing asserted): the others are
 * served, and the flooder is answered 429 with a Vietnamese message once its link's limit is
 * reached (the gateway's route throttles are AWS's, checked in test/infra/failures-watched.test.ts).
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUploadDeps } from '#functions/wiring/create-upload-deps.ts';
import { addDays, localDate } from '#shared/domain/calendar.ts';
import { openPeriod } from '#shared/periods/periods.ts';
import { importPlan } from '#shared/plans/plans.ts';
import { importUnits } from '#shared/units/units.ts';
import { linkFor } from '#shared/uploads/links.ts';
import { UNIT_LIMITS } from '#shared/uploads/unit-limits.ts';
import { fixedClock, startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { signIn } from '#test/support/sign-in.ts';

const DEMO_PLAN = new URL('../../local/demo/ke-hoach-12-KH-DUS.txt', import.meta.url);
const PLAN = '12-kh-dus-2025';
const OFFICE = 'vanphong@demo.baocao.example';
const TODAY = localDate(new Date(), 'Asia/Ho_Chi_Minh');
const YEAR = Number(TODAY.slice(0, 4));
const PDF = new TextEncoder().encode('%PDF-1.7\n% load test report\n%%EOF\n');

/** Runs `tasks` with at most `width` in flight; the results in order. */
async function pool<T>(tasks: (() => Promise<T>)[], width: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < tasks.length) {
        const i = next++;
        results[i] = await tasks[i]!();
      }
    }),
  );
  return results;
}

describe('fair limits under a flood (loopback)', () => {
  let stack: TestStack;
  let flooded: string;
  let other: string;

  beforeAll(async () => {
    // The limits count in fixed 5-minute windows: the clock stays in one (pinned at the real now).
    stack = await startTestStack({ clock: fixedClock(new Date().toISOString()) });
    const deps = createUploadDeps(stack.runtime);
    await importUnits(
      deps,
      ['id,name,email', 'cb-lu,Chi bộ Lũ,lu@example.org', 'cb-khac,Chi bộ Khác,khac@example.org'].join('\n'),
    );
    await importPlan(deps, await readFile(DEMO_PLAN), 'ke-hoach.txt');
    await openPeriod({ ...stack.deps, ...deps }, { planId: PLAN, year: YEAR, deadline: addDays(TODAY, 20) });
    flooded = (await linkFor(deps, PLAN, YEAR, 'cb-lu')).url;
    other = (await linkFor(deps, PLAN, YEAR, 'cb-khac')).url;
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
  });

  const presign = (link: string, name = 'bao-cao.pdf') =>
    fetch(`${link}/uploads`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ fileName: name, contentType: 'application/pdf', size: PDF.length }),
    });

  it('serves the other unit and the committee while one client floods, and answers the flooder 429', async () => {
    // Prepare: the committee is signed in before the flood.
    const { cookie } = await signIn(stack, OFFICE);
    const garbage = Array.from(
      { length: 300 },
      (_, i) => () =>
        fetch(`${stack.appUrl}/u/rac-${i}-${'x'.repeat(i % 50)}`).then(async (r) => {
          await r.arrayBuffer();
          return r.status;
        }),
    );
    const floodCount = UNIT_LIMITS.presign.perLink.limit + 40;
    const floodPresigns = Array.from({ length: floodCount }, (_, i) => async () => {
      const r = await presign(flooded, `lu-${i}.pdf`);
      return { status: r.status, body: (await r.json()) as { error?: { code: string; message: string } } };
    });

    // Act: the flood, and meanwhile the other unit's whole upload and the committee's dashboard.
    const flood = Promise.all([pool(garbage, 16), pool(floodPresigns, 8)]);
    const others = (async () => {
      const page = await fetch(other);
      await page.arrayBuffer();
      const grantAnswer = await presign(other);
      const grant = (await grantAnswer.json()) as { url: string; fields: Record<string, string> };
      const form = new FormData();
      for (const [k, v] of Object.entries(grant.fields)) form.append(k, v);
      form.append('file', new Blob([PDF], { type: 'application/pdf' }), 'bao-cao.pdf');
      const stored = await fetch(grant.url, { method: 'POST', body: form });
      await stored.arrayBuffer();
      const status = await fetch(`${other}/status`);
      await status.arrayBuffer();
      const dashboard = await fetch(`${stack.appUrl}/admin`, { headers: { Cookie: cookie } });
      const dashboardHtml = await dashboard.text();
      return {
        page: page.status,
        grant: grantAnswer.status,
        stored: stored.status,
        status: status.status,
        dashboard: dashboard.status,
        dashboardHtml,
      };
    })();
    const [[garbageStatuses, floodAnswers], served] = await Promise.all([flood, others]);

    // Assess: the others are served.
    expect(served).toMatchObject({ page: 200, grant: 201, stored: 204, status: 200, dashboard: 200 });
    expect(served.dashboardHtml).toContain('12-KH/ĐUS');
    // Garbage links are refused as such, each one.
    expect(new Set(garbageStatuses)).toEqual(new Set([404]));
    // The flooded link: answered up to its limit (granted while the unit may start submissions,
    // then refused by the upload rules: 5 open at once), then 429 with a Vietnamese message.
    const answered = floodAnswers.filter((a) => a.status !== 429);
    const refused = floodAnswers.filter((a) => a.status === 429);
    expect(answered).toHaveLength(UNIT_LIMITS.presign.perLink.limit);
    expect(answered.some((a) => a.status === 201)).toBe(true);
    expect(new Set(answered.map((a) => a.status))).toEqual(new Set([201, 400]));
    expect(refused).toHaveLength(floodCount - UNIT_LIMITS.presign.perLink.limit);
    expect(refused[0]!.body.error).toEqual({
      code: 'RATE_LIMITED',
      message: expect.stringContaining('quá nhiều yêu cầu nộp tệp'),
    });
    // The flooder's refusals used none of its IP's budget: the other unit presigns again.
    expect((await presign(other, 'lan-2.pdf')).status).toBe(201);
  }, 180_000);

  it('limits a link’s status reads too, and answers the 429 in Vietnamese', async () => {
    const reads = UNIT_LIMITS.status.perLink.limit + 5;
    const statuses = await pool(
      Array.from({ length: reads }, () => async () => {
        const r = await fetch(`${flooded}/status`);
        return { status: r.status, body: (await r.json()) as { error?: { message: string } } };
      }),
      8,
    );
    expect(statuses.filter((s) => s.status === 200)).toHaveLength(UNIT_LIMITS.status.perLink.limit);
    const refused = statuses.filter((s) => s.status === 429);
    expect(refused).toHaveLength(5);
    expect(refused[0]!.body.error?.message).toMatch(/quá nhiều lần/);
  }, 120_000);
});
