import { readFile } from 'node:fs/promises';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDocumentClient } from '#shared/adapters/aws-clients.ts';
import { DynamoDeliveryStore } from '#shared/adapters/dynamodb/delivery-store.ts';
import { CsvValidationError, PlanDocumentError, ValidationError } from '#shared/errors.ts';
import { openPeriod, periodStatus } from '#shared/periods/periods.ts';
import { getPlan, importPlan, listPlans } from '#shared/plans/plans.ts';
import { importUnits, listUnits } from '#shared/units/units.ts';
import { fixedClock, startTestStack, type TestStack } from '#test/support/local-stack.ts';

const DEMO_PLAN = new URL('../../local/demo/ke-hoach-12-KH-DUS.txt', import.meta.url);
const units = (rows: string[]) => ['id,name,email,cc', ...rows].join('\r\n');

describe('plans, units and periods against the local emulators', () => {
  let stack: TestStack;
  const clock = fixedClock('2026-11-20T03:00:00Z');

  beforeAll(async () => {
    stack = await startTestStack({ clock });
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('imports units from a CSV with BOM and CRLF and lists them', async () => {
    // Prepare
    const csv = `\uFEFF${units([
      'cb-a,Chi bộ A,a@example.org,',
      'cb-b,"Chi bộ B, Phòng 2",b@example.org,b2@example.org',
      'cb-c,Chi bộ C,c@example.org,',
    ])}`;
    // Act
    const result = await importUnits(stack.deps, new TextEncoder().encode(csv));
    // Assess
    expect(result).toEqual({ total: 3, created: 3, updated: 0, unchanged: 0, assignmentsUpdated: 0 });
    const stored = await listUnits(stack.deps);
    expect(stored.map((u) => [u.id, u.name, u.cc])).toEqual([
      ['cb-a', 'Chi bộ A', []],
      ['cb-b', 'Chi bộ B, Phòng 2', ['b2@example.org']],
      ['cb-c', 'Chi bộ C', []],
    ]);
  });

  it('rejects a CSV with a bad row in the middle and writes nothing', async () => {
    // Prepare
    const before = await listUnits(stack.deps);
    const csv = units([
      'cb-a,Chi bộ A đổi tên,a@example.org,',
      'cb-x,Chi bộ X,not-an-email,',
      'cb-d,Chi bộ D,d@example.org,',
    ]);
    // Act
    const attempt = importUnits(stack.deps, csv);
    // Assess
    await expect(attempt).rejects.toBeInstanceOf(CsvValidationError);
    await attempt.catch((e: CsvValidationError) => expect(e.errors.map((x) => x.line)).toEqual([3]));
    expect(await listUnits(stack.deps)).toEqual(before);
  });

  it('updates a changed unit and counts unchanged ones on re-import', async () => {
    const result = await importUnits(
      stack.deps,
      units(['cb-a,Chi bộ A,a@example.org,', 'cb-c,Chi bộ C mới,c@example.org,']),
    );
    expect(result).toEqual({ total: 2, created: 0, updated: 1, unchanged: 1, assignmentsUpdated: 0 });
    expect((await stack.deps.plans.getUnit('cb-c'))?.name).toBe('Chi bộ C mới');
  });

  it('imports a plan document and stores it under an id made of its number and year', async () => {
    // Act
    const { plan, created } = await importPlan(stack.deps, await readFile(DEMO_PLAN), 'ke-hoach.txt');
    // Assess
    expect(created).toBe(true);
    expect(plan.id).toBe('12-kh-dus-2025');
    const stored = await getPlan(stack.deps, plan.id);
    expect(stored.number).toBe('12-KH/ĐUS');
    expect(stored.superior).toEqual({ number: '41-KH/ĐUK', date: '2025-03-10' });
    expect(stored.taskGroups.map((t) => t.number)).toEqual(['1', '2', '3', '4']);
    expect(stored.calendar).toMatchObject({ deadline: '12-15', timeZone: 'Asia/Ho_Chi_Minh' });
  });

  it('updates the same plan when the document is imported again', async () => {
    const again = await importPlan(stack.deps, await readFile(DEMO_PLAN), 'ke-hoach.txt');
    expect(again.created).toBe(false);
    expect((await listPlans(stack.deps)).map((p) => p.id)).toEqual(['12-kh-dus-2025']);
  });

  it.each([
    ['an empty file', new Uint8Array(), 'empty.txt'],
    ['a binary file', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0xff, 0xfe]), 'image.txt'],
    [
      'a letter that is not a plan',
      new TextEncoder().encode('Kính gửi các đồng chí,\n\nMời dự họp chi bộ.\n'),
      'thu-moi.txt',
    ],
    ['a spreadsheet', new TextEncoder().encode('a,b,c'), 'units.csv'],
  ])('refuses %s and stores nothing', async (_name, bytes, fileName) => {
    await expect(importPlan(stack.deps, bytes, fileName)).rejects.toBeInstanceOf(PlanDocumentError);
    expect((await listPlans(stack.deps)).length).toBe(1);
  });

  it('opens a period once, with one assignment per active unit', async () => {
    // Act
    const first = await openPeriod(stack.deps, { planId: '12-kh-dus-2025', year: 2026 });
    const second = await openPeriod(stack.deps, { planId: '12-kh-dus-2025', year: 2026 });
    // Assess
    expect(first.created).toBe(true);
    expect(first.period).toMatchObject({
      openDate: '2026-11-20',
      deadline: '2026-12-15',
      closeDate: '2027-01-14',
    });
    expect(first.assignmentsCreated).toBe(3);
    expect(second.created).toBe(false);
    expect(second.assignmentsCreated).toBe(0);
    expect(second.period).toEqual(first.period);
  });

  it('refuses a different deadline for a period that is already open', async () => {
    await expect(
      openPeriod(stack.deps, { planId: '12-kh-dus-2025', year: 2026, deadline: '2026-12-20' }),
    ).rejects.toThrow(/already open/);
  });

  it.each([
    ['an unknown plan', { planId: 'no-such-plan', year: 2026 }, /not found/i],
    ['a year out of range', { planId: '12-kh-dus-2025', year: 1999 }, /year/i],
    ['an impossible deadline', { planId: '12-kh-dus-2025', year: 2027, deadline: '2027-02-30' }, /date/i],
    [
      'a deadline in another year',
      { planId: '12-kh-dus-2025', year: 2027, deadline: '2030-01-01' },
      /not in 2027/,
    ],
  ])('refuses to open a period for %s', async (_name, input, message) => {
    await expect(openPeriod(stack.deps, input)).rejects.toThrow(message);
    expect(await stack.deps.plans.getPeriod('12-kh-dus-2025', 2027)).toBeUndefined();
  });

  it('reports every expected unit as missing before anyone uploads, with zero rates', async () => {
    const status = await periodStatus(stack.deps, '12-kh-dus-2025', 2026);
    expect(status.rows.map((r) => [r.unitId, r.status, r.deadline])).toEqual([
      ['cb-a', 'missing', '2026-12-15'],
      ['cb-b', 'missing', '2026-12-15'],
      ['cb-c', 'missing', '2026-12-15'],
    ]);
    expect(status).toMatchObject({ expected: 3, reported: 0, onTime: 0, completeness: 0, timeliness: 0 });
  });

  it('stores items under the keys written in docs/data-model.md', async () => {
    const client = createDynamoDocumentClient(stack.config);
    const out = await client.send(
      new QueryCommand({
        TableName: stack.config.SUBMISSIONS_TABLE,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'PERIOD#12-kh-dus-2025#2026' },
      }),
    );
    expect(out.Items?.map((i) => i.sk)).toEqual(['UNIT#cb-a', 'UNIT#cb-b', 'UNIT#cb-c']);
  });

  it('gives an open period the corrected address of a unit, and forgets the problem of the old one', async () => {
    // Prepare: cb-b's address bounced; cb-c only gets a new name.
    const deliveries = new DynamoDeliveryStore(
      createDynamoDocumentClient(stack.config),
      stack.config.SUBMISSIONS_TABLE,
    );
    const bounced = 'Thư bị trả lại (địa chỉ không tồn tại): b@example.org';
    for (const unitId of ['cb-b', 'cb-c']) {
      await deliveries.noteUnitProblem(
        '12-kh-dus-2025',
        2026,
        unitId,
        bounced,
        new Date('2026-11-20T02:00:00Z'),
      );
    }
    const before = await stack.deps.submissions.getAssignment('12-kh-dus-2025', 2026, 'cb-a');
    // Act
    const result = await importUnits(
      stack.deps,
      units([
        'cb-a,Chi bộ A,a@example.org,',
        'cb-b,"Chi bộ B, Phòng 2",van.phong.b@example.org,b2@example.org;b3@example.org',
        'cb-c,Chi bộ C (đổi tên),c@example.org,',
      ]),
    );
    // Assess
    expect(result).toEqual({ total: 3, created: 0, updated: 2, unchanged: 1, assignmentsUpdated: 2 });
    const b = await stack.deps.submissions.getAssignment('12-kh-dus-2025', 2026, 'cb-b');
    expect(b).toMatchObject({ email: 'van.phong.b@example.org', cc: ['b2@example.org', 'b3@example.org'] });
    expect(b?.mailProblem ?? null).toBeNull();
    const c = await stack.deps.submissions.getAssignment('12-kh-dus-2025', 2026, 'cb-c');
    expect(c).toMatchObject({ unitName: 'Chi bộ C (đổi tên)', email: 'c@example.org' });
    expect(c?.mailProblem?.problem).toBe(bounced);
    expect(await stack.deps.submissions.getAssignment('12-kh-dus-2025', 2026, 'cb-a')).toEqual(before);
    const status = await periodStatus(stack.deps, '12-kh-dus-2025', 2026);
    expect(status.rows.map((r) => [r.unitId, r.mailProblem?.problem ?? null])).toEqual([
      ['cb-a', null],
      ['cb-b', null],
      ['cb-c', bounced],
    ]);
  });

  it('leaves a closed period as it was, and creates no assignment for a new unit', async () => {
    // Prepare
    await stack.deps.plans.closePeriod('12-kh-dus-2025', 2026, '2027-01-15T00:00:00Z');
    const before = await stack.deps.submissions.listAssignments('12-kh-dus-2025', 2026);
    // Act
    const result = await importUnits(
      stack.deps,
      units(['cb-a,Chi bộ A,a.moi@example.org,', 'cb-new,Chi bộ Mới,moi@example.org,']),
    );
    // Assess
    expect(result).toMatchObject({ created: 1, updated: 1, assignmentsUpdated: 0 });
    expect(await stack.deps.submissions.listAssignments('12-kh-dus-2025', 2026)).toEqual(before);
  });

  it('refuses to open a period when no unit is active', async () => {
    const empty = await startTestStack();
    try {
      const { plan } = await importPlan(empty.deps, await readFile(DEMO_PLAN), 'ke-hoach.txt');
      await expect(openPeriod(empty.deps, { planId: plan.id, year: 2026 })).rejects.toBeInstanceOf(
        ValidationError,
      );
      expect(await empty.deps.plans.getPeriod(plan.id, 2026)).toBeUndefined();
    } finally {
      await empty.stop();
    }
  });
});
