/**
 * The roll-up on the local stack (docs/tenancy.md): a bloc committee, two department committees
 * under it, branches under each. Branches upload to their department; each department sends its
 * own report up (`submitOwnReport`: grant → S3 → on-upload, as a branch's upload); the bloc's
 * period page shows both departments' reports and their branches' rates. A department moved to
 * another parent from a date after the period opened still shows under the old parent.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeps } from '#functions/wiring/create-deps.ts';
import { createExportDeps } from '#functions/wiring/create-export-deps.ts';
import { createMemberDeps } from '#functions/wiring/create-member-deps.ts';
import { createPlannerDeps } from '#functions/wiring/create-planner-deps.ts';
import { createRegistryDeps } from '#functions/wiring/create-registry-deps.ts';
import { createUploadDeps } from '#functions/wiring/create-upload-deps.ts';
import { type Runtime, scopeRuntime } from '#functions/wiring/runtime.ts';
import { DynamoRollUpStore } from '#shared/adapters/dynamodb/roll-up-store.ts';
import { FetchGrantPoster } from '#shared/adapters/s3/grant-poster.ts';
import { inviteMember } from '#shared/committee/members.ts';
import { addDays, localDate } from '#shared/domain/calendar.ts';
import { writeExportToFile } from '#shared/export/build-export.ts';
import { openPeriod } from '#shared/periods/periods.ts';
import { importPlan } from '#shared/plans/plans.ts';
import { addCommittee, moveCommittee } from '#shared/tenancy/registry.ts';
import { type RollUpDeps, submitOwnReport } from '#shared/tenancy/roll-up.ts';
import { importUnits } from '#shared/units/units.ts';
import { startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { pdfBytes } from '#test/support/sample-files.ts';
import { signIn } from '#test/support/sign-in.ts';
import { eventually, uploadAsUnit } from '#test/support/uploads.ts';
import { zipEntries } from '#test/support/zip.ts';

const DEMO_PLAN = new URL('../../local/demo/ke-hoach-12-KH-DUS.txt', import.meta.url);
const DEPT_PLAN = '12-kh-dus-2025';
const BLOC_PLAN = '41-kh-duk-2025';
const BLOC_ADMIN = 'vanphong@khoi.example.vn';

describe('three levels: branches → departments → bloc', { timeout: 120_000 }, () => {
  let stack: TestStack;
  let year: number;
  const runtimes = new Map<string, Runtime>();

  beforeAll(async () => {
    stack = await startTestStack();
    const registry = createRegistryDeps(stack.runtime);
    const today = localDate(new Date(), 'Asia/Ho_Chi_Minh');
    year = Number(today.slice(0, 4));
    const demo = (await readFile(DEMO_PLAN, 'utf8')).normalize('NFC');
    // The bloc's own plan is the one the departments' plan says it carries out (41-KH/ĐUK).
    const blocPlan = demo
      .replace('Số: 12-KH/ĐUS', 'Số: 41-KH/ĐUK')
      .replace('ĐẢNG ỦY SỞ THÔNG TIN VÀ TRUYỀN THÔNG', 'ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH')
      .replace(/Thực hiện Kế hoạch số 41-KH\/ĐUK[^\n]*\n/, '');
    for (const [id, name, parentId] of [
      ['khoi', 'Đảng ủy Khối các cơ quan tỉnh', undefined],
      ['khoi-khac', 'Đảng ủy Khối Doanh nghiệp', undefined],
      ['so-a', 'Đảng ủy Sở A', 'khoi'],
      ['so-b', 'Đảng ủy Sở B', 'khoi'],
    ] as const) {
      const committee = await addCommittee(registry, { id, name, parentId, by: 'cli' });
      runtimes.set(id, scopeRuntime(stack.runtime, committee, parentId && 'Đảng ủy Khối các cơ quan tỉnh'));
    }
    const deps = (id: string) => createPlannerDeps(runtimes.get(id)!);
    await importPlan(deps('khoi'), Buffer.from(blocPlan), 'ke-hoach-khoi.txt');
    await importUnits(
      deps('khoi'),
      'id,name,email,committee\nso-a,Đảng ủy Sở A,vp@so-a.example.vn,so-a\nso-b,Đảng ủy Sở B,vp@so-b.example.vn,so-b\ncb-khoi,Chi bộ Cơ quan Khối,cq@khoi.example.vn,\n',
    );
    await openPeriod(deps('khoi'), { planId: BLOC_PLAN, year, deadline: addDays(today, 30) });
    await inviteMember(createMemberDeps(runtimes.get('khoi')!), { email: BLOC_ADMIN, role: 'admin' }, 'cli', {
      notify: false,
    });
    for (const [dept, branches] of [
      ['so-a', ['cb-1', 'cb-2']],
      ['so-b', ['cb-1']],
    ] as const) {
      await importPlan(deps(dept), Buffer.from(demo), 'ke-hoach.txt');
      await importUnits(
        deps(dept),
        [
          'id,name,email',
          ...branches.map((b) => `${b},Chi bộ ${b} của ${dept},${b}@${dept}.example.vn`),
        ].join('\n'),
      );
      await openPeriod(deps(dept), { planId: DEPT_PLAN, year, deadline: addDays(today, 20) });
    }
    await stack.mailQueue.drain();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  function rollUpDeps(childId: string): RollUpDeps {
    const child = runtimes.get(childId)!;
    return {
      registry: createRegistryDeps(stack.runtime),
      child: {
        committeeId: childId,
        deps: createDeps(child),
        rollUps: new DynamoRollUpStore(child.dynamo, stack.config.PLANS_TABLE),
      },
      uploadsOf: async (id) => (runtimes.has(id) ? createUploadDeps(runtimes.get(id)!) : undefined),
      poster: new FetchGrantPoster(),
    };
  }

  it('carries each department’s report up and shows the departments and their branches’ rates to the bloc', async () => {
    // Arrange: so-a's two branches and so-b's one branch report to their department
    const file = (text: string) => ({ name: 'bao-cao.pdf', type: 'application/pdf', bytes: pdfBytes(text) });
    await uploadAsUnit(runtimes.get('so-a')!, DEPT_PLAN, year, 'cb-1', file('Chi bộ 1 của Sở A'));
    await uploadAsUnit(runtimes.get('so-b')!, DEPT_PLAN, year, 'cb-1', file('Chi bộ 1 của Sở B'));
    const own = (text: string) => [
      { name: 'bao-cao-so.pdf', contentType: 'application/pdf', bytes: pdfBytes(text) },
    ];
    // Act: the first submit asks for the match to be confirmed and sends nothing
    const unconfirmed = await submitOwnReport(rollUpDeps('so-a'), {
      planId: DEPT_PLAN,
      year,
      files: own('Báo cáo của Đảng ủy Sở A'),
      confirm: false,
      by: 'cli',
    });
    const sentA = await submitOwnReport(rollUpDeps('so-a'), {
      planId: DEPT_PLAN,
      year,
      files: own('Báo cáo của Đảng ủy Sở A'),
      confirm: true,
      by: 'cli',
    });
    const sentB = await submitOwnReport(rollUpDeps('so-b'), {
      planId: DEPT_PLAN,
      year,
      files: own('Báo cáo của Đảng ủy Sở B'),
      confirm: true,
      by: 'cli',
    });
    const blocDeps = createDeps(runtimes.get('khoi')!);
    await eventually(async () => {
      const [a, b] = await Promise.all(
        ['so-a', 'so-b'].map((u) => blocDeps.submissions.getAssignment(BLOC_PLAN, year, u)),
      );
      return a?.submittedAt && b?.submittedAt ? true : undefined;
    }, 30_000);
    await eventually(async () => {
      const a = await createDeps(runtimes.get('so-a')!).submissions.getAssignment(DEPT_PLAN, year, 'cb-1');
      return a?.submittedAt ? true : undefined;
    });
    const session = await signIn(stack, BLOC_ADMIN);
    const page = await (
      await fetch(`${stack.appUrl}/admin/plans/${BLOC_PLAN}/${year}`, {
        headers: { Cookie: session.cookie },
      })
    ).text();
    // Assess
    expect(unconfirmed).toMatchObject({
      status: 'needs-confirmation',
      link: { parentId: 'khoi', parentPlanId: BLOC_PLAN },
    });
    expect(sentA).toMatchObject({ status: 'sent', unitId: 'so-a', link: { parentPlanId: BLOC_PLAN } });
    expect(sentB).toMatchObject({ status: 'sent', unitId: 'so-b' });
    expect(page).toContain('Cấp ủy trực thuộc');
    const rowOf = (id: string) =>
      /<tr data-committee="[^"]+">[\s\S]*?<\/tr>/g.exec(
        page.slice(page.indexOf(`data-committee="${id}"`) - 30),
      )?.[0] ?? '';
    expect(rowOf('so-a')).toContain('Đảng ủy Sở A');
    expect(rowOf('so-a')).toContain('1/2');
    expect(rowOf('so-a')).toContain('50,0%');
    expect(rowOf('so-b')).toContain('1/1');
    expect(rowOf('so-b')).toContain('100,0%');
    expect(page).not.toContain('data-committee="cb-khoi"');
    // The bloc's export holds both departments' own reports, as any unit's.
    const dir = await mkdtemp(join(tmpdir(), 'baocao-rollup-'));
    try {
      await writeExportToFile(
        createExportDeps(runtimes.get('khoi')!),
        BLOC_PLAN,
        year,
        join(dir, 'khoi.zip'),
      );
      const names = Object.keys(await zipEntries(join(dir, 'khoi.zip')));
      expect(names.some((n) => n.includes('so-a') && n.endsWith('.pdf'))).toBe(true);
      expect(names.some((n) => n.includes('so-b') && n.endsWith('.pdf'))).toBe(true);
      // …and each department's own period: its branches' rows (cap-duoi/<id>/summary.csv).
      const entries = await zipEntries(join(dir, 'khoi.zip'));
      const soA = entries['cap-duoi/so-a/summary.csv']?.toString('utf8') ?? '';
      const soB = entries['cap-duoi/so-b/summary.csv']?.toString('utf8') ?? '';
      expect(
        soA
          .split('\n')
          .filter((l) => l.startsWith('cb-'))
          .map((l) => l.split(',').slice(0, 1).join()),
      ).toEqual(['cb-1', 'cb-2']);
      expect(soA).toMatch(/\ncb-1,[^\n]*on_time/);
      expect(soA).toMatch(/\ncb-2,[^\n]*missing/);
      expect(soB).toMatch(/\ncb-1,[^\n]*on_time/);
      expect(Object.keys(entries).filter((n) => n.startsWith('cap-duoi/'))).toEqual([
        'cap-duoi/so-a/summary.csv',
        'cap-duoi/so-b/summary.csv',
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('sends the report up from the department’s period page: confirm once, then the parent’s upload page', async () => {
    // Arrange: a member of so-b, whose match was confirmed by the CLI path above
    const admin = 'vanphong@so-b.example.vn';
    await inviteMember(createMemberDeps(runtimes.get('so-b')!), { email: admin, role: 'admin' }, 'cli', {
      notify: false,
    });
    const session = await signIn(stack, admin);
    const headers = { Cookie: session.cookie };
    // Act
    const periodPage = await (
      await fetch(`${stack.appUrl}/admin/plans/${DEPT_PLAN}/${year}`, { headers })
    ).text();
    const upPage = await fetch(`${stack.appUrl}/admin/plans/${DEPT_PLAN}/${year}/report-up`, { headers });
    const upHtml = await upPage.text();
    const noCsrf = await fetch(`${stack.appUrl}/admin/plans/${DEPT_PLAN}/${year}/report-up`, {
      method: 'POST',
      redirect: 'manual',
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded', origin: stack.appUrl },
      body: '',
    });
    const open = await fetch(`${stack.appUrl}/admin/plans/${DEPT_PLAN}/${year}/report-up`, {
      method: 'POST',
      redirect: 'manual',
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded', origin: stack.appUrl },
      body: `csrf=${encodeURIComponent(session.csrf)}`,
    });
    const location = open.headers.get('location') ?? '';
    const uploadPage = await (
      await fetch(location.startsWith('http') ? location : `${stack.appUrl}${location}`)
    ).text();
    const api = await fetch(`${stack.appUrl}/api/plans/${DEPT_PLAN}/periods/${year}/report-up`, { headers });
    // Assess
    expect(periodPage).toContain('Gửi báo cáo lên cấp trên');
    expect(upPage.status).toBe(200);
    expect(upHtml).toContain('Đảng ủy Khối các cơ quan tỉnh');
    expect(upHtml).toContain('Kế hoạch số 41-KH/ĐUK');
    expect(noCsrf.status).toBe(403);
    expect(open.status).toBe(303);
    expect(location).toMatch(/\/u\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(uploadPage).toContain('Đảng ủy Sở B');
    expect(await api.json()).toMatchObject({
      parentId: 'khoi',
      parentPlanId: BLOC_PLAN,
      confirmed: true,
      unitId: 'so-b',
    });
  });

  it('refuses a report with nowhere to go, in Vietnamese, sending nothing', async () => {
    // Arrange: khoi-khac has no parent; so-b's plan names no period of a parent that lists it
    const files = [{ name: 'x.pdf', contentType: 'application/pdf', bytes: pdfBytes('x') }];
    const bad = [{ name: 'virus.exe', contentType: 'application/octet-stream', bytes: new Uint8Array([1]) }];
    // Act & Assess
    await expect(
      submitOwnReport(
        { ...rollUpDeps('so-a'), child: { ...rollUpDeps('so-a').child } },
        { planId: DEPT_PLAN, year, files: bad, confirm: true, by: 'cli' },
      ),
    ).rejects.toMatchObject({ userMessage: expect.stringContaining('không thuộc loại được nhận') });
    await expect(
      submitOwnReport(rollUpDeps('so-a'), { planId: DEPT_PLAN, year, files: [], confirm: true, by: 'cli' }),
    ).rejects.toMatchObject({ userMessage: expect.stringContaining('Cần từ 1 đến 10 tệp') });
    await expect(
      submitOwnReport(rollUpDeps('so-a'), {
        planId: DEPT_PLAN,
        year: year + 1,
        files,
        confirm: true,
        by: 'cli',
      }),
    ).rejects.toMatchObject({ userMessage: expect.stringContaining(String(year + 1)) });
  });

  it('keeps the tree a period had: a department moved after the period opened still shows under its old parent', async () => {
    // Act
    await moveCommittee(createRegistryDeps(stack.runtime), {
      id: 'so-b',
      parentId: 'khoi-khac',
      from: addDays(localDate(new Date(), 'Asia/Ho_Chi_Minh'), 1),
    });
    const session = await signIn(stack, BLOC_ADMIN);
    const page = await (
      await fetch(`${stack.appUrl}/admin/plans/${BLOC_PLAN}/${year}`, {
        headers: { Cookie: session.cookie },
      })
    ).text();
    // Assess
    expect(page).toContain('data-committee="so-b"');
  });
});
