/**
 * A plan's fields as the committee edits them (web form or JSON): validation with one Vietnamese
 * message per field, the changes to a stored plan, and the save that never replaces a plan whose
 * changes were not shown.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { planInputFromForm } from '#functions/web/plan-form.ts';
import type { Plan } from '#shared/domain/plan.ts';
import { PLAN_FIELD_LIMITS } from '#shared/input-limits.ts';
import { diffPlans } from '#shared/plans/plan-diff.ts';
import {
  PlanReviewNeededError,
  previewPlanImport,
  reviewPlanInput,
  savePlanInput,
} from '#shared/plans/plan-import.ts';
import {
  type PlanInput,
  PlanInputError,
  parseDayMonthVi,
  validatePlanInput,
} from '#shared/plans/plan-input.ts';
import { importPlan } from '#shared/plans/plans.ts';
import { createMemoryRuntime, type MemoryRuntime } from '#test/support/memory/runtime.ts';
import { SEED_PLAN_TEXT } from '#test/support/plan-docx.ts';

function validInput(overrides: Partial<PlanInput> = {}): PlanInput {
  return {
    number: '30-KH/ĐUK',
    date: '22/03/2022',
    title: 'Đổi mới công tác tư tưởng trong tình hình mới',
    issuer: 'Đảng ủy Sở',
    superiorNumber: '59-KH/ĐUK',
    superiorDate: '22/03/2022',
    taskGroups: [
      { number: '1', title: 'Nhóm một', body: 'Nội dung một' },
      { number: '2', title: 'Nhóm hai', body: '' },
    ],
    recipients: ['ĐUK', 'Chi bộ trực thuộc'],
    reportingFrequency: 'yearly',
    deadline: '15/12',
    sourceFileName: 'ke-hoach.docx',
    ...overrides,
  };
}

function fieldErrors(input: unknown): Record<string, string> {
  try {
    validatePlanInput(input);
  } catch (error) {
    expect(error).toBeInstanceOf(PlanInputError);
    return (error as PlanInputError).fields;
  }
  throw new Error('expected PlanInputError');
}

describe('validatePlanInput', () => {
  it('turns valid fields into the plan to store, with its id from number and year', () => {
    // Act
    const valid = validatePlanInput(validInput());
    // Assess
    expect(valid.planId).toBe('30-kh-duk-2022');
    expect(valid.deadline).toBe('12-15');
    expect(valid.plan).toEqual({
      number: '30-KH/ĐUK',
      date: '2022-03-22',
      title: 'Đổi mới công tác tư tưởng trong tình hình mới',
      issuer: 'Đảng ủy Sở',
      superior: { number: '59-KH/ĐUK', date: '2022-03-22' },
      taskGroups: [
        { number: '1', title: 'Nhóm một', body: 'Nội dung một' },
        { number: '2', title: 'Nhóm hai', body: '' },
      ],
      recipients: ['ĐUK', 'Chi bộ trực thuộc'],
      reportingFrequency: 'yearly',
    });
  });

  it('names every missing required field at once, in Vietnamese', () => {
    const errors = fieldErrors(
      validInput({
        number: ' ',
        title: '',
        issuer: '',
        taskGroups: [],
        reportingFrequency: '',
        deadline: '',
      }),
    );
    expect(Object.keys(errors).sort()).toEqual(
      ['deadline', 'issuer', 'number', 'reportingFrequency', 'taskGroups', 'title'].sort(),
    );
    expect(errors.number).toBe('Hãy nhập số kế hoạch, ví dụ 30-KH/ĐUK.');
    expect(errors.taskGroups).toMatch(/^Cần ít nhất một nhóm nhiệm vụ/);
    expect(errors.reportingFrequency).toBe('Hãy chọn định kỳ báo cáo (hằng năm).');
  });

  it.each([
    ['a date that does not exist', { date: '31/02/2022' }, 'date', /không hợp lệ/],
    ['a date outside 1945–2100', { date: '01/01/1900' }, 'date', /1945–2100/],
    [
      'a superior date without its number',
      { superiorNumber: '' },
      'superiorNumber',
      /số của văn bản cấp trên/,
    ],
    ['a deadline that does not exist', { deadline: '31/02' }, 'deadline', /ngày\/tháng có thật/],
    ['a deadline month first with slashes', { deadline: '12/15' }, 'deadline', /ví dụ 15\/12/],
    ['a number without digits', { number: 'KH/ĐUK' }, 'number', /phải có chữ số/],
    ['a frequency that does not exist', { reportingFrequency: 'monthly' }, 'reportingFrequency', /hằng năm/],
  ])('refuses %s', (_name, overrides, field, message) => {
    const errors = fieldErrors(validInput(overrides as Partial<PlanInput>));
    expect(Object.keys(errors)).toEqual([field]);
    expect(errors[field]).toMatch(message);
  });

  it('bounds every length: a 501-character title, a body over the limit, a long recipient', () => {
    const errors = fieldErrors(
      validInput({
        title: 'T'.repeat(PLAN_FIELD_LIMITS.title + 1),
        taskGroups: [{ number: '1', title: 'Nhóm', body: 'x'.repeat(PLAN_FIELD_LIMITS.taskGroupBody + 1) }],
        recipients: ['r'.repeat(PLAN_FIELD_LIMITS.recipient + 1)],
      }),
    );
    expect(errors.title).toBe(`Tên kế hoạch dài quá 500 ký tự (hiện 501).`);
    expect(errors['taskGroups.0.body']).toMatch(/dài quá 20000 ký tự/);
    expect(errors.recipients).toMatch(/tối đa 300 ký tự/);
  });

  it('refuses 51 task groups (at most 50)', () => {
    const groups = Array.from({ length: 51 }, (_, i) => ({
      number: String(i + 1),
      title: `Nhóm ${i + 1}`,
      body: '',
    }));
    expect(fieldErrors(validInput({ taskGroups: groups }))).toEqual({
      taskGroups: 'Tối đa 50 nhóm nhiệm vụ (hiện 51); hãy xóa bớt.',
    });
    expect(validatePlanInput(validInput({ taskGroups: groups.slice(0, 50) })).plan.taskGroups).toHaveLength(
      50,
    );
  });

  it('numbers a group left without a number by its place, and refuses two groups with one number', () => {
    const numbered = validatePlanInput(
      validInput({
        taskGroups: [
          { number: '1.', title: 'A', body: '' },
          { number: '', title: 'B', body: '' },
        ],
      }),
    );
    expect(numbered.plan.taskGroups.map((g) => g.number)).toEqual(['1', '2']);
    const errors = fieldErrors(
      validInput({
        taskGroups: [
          { number: 'a', title: 'A', body: '' },
          { number: 'A', title: 'B', body: '' },
          { number: '3 4', title: '', body: '' },
        ],
      }),
    );
    expect(errors).toEqual({
      'taskGroups.1.number': 'Số thứ tự "A" trùng với nhóm thứ 1; mỗi nhóm một số riêng.',
      'taskGroups.2.number': expect.stringMatching(/^Số thứ tự "3 4" không hợp lệ/),
      'taskGroups.2.title': 'Hãy nhập tên nhóm nhiệm vụ (hoặc đánh dấu xóa).',
    });
  });

  it('stores HTML and formula-like text as plain text, verbatim', () => {
    const valid = validatePlanInput(
      validInput({
        title: '<script>alert(1)</script> & "kế hoạch"',
        issuer: '=HYPERLINK("http://x","Đảng ủy")',
        taskGroups: [{ number: '1', title: '+SUM(A1:A9)', body: '@cmd|/c calc\n-1+1' }],
        recipients: ['=1+1', '<b>Chi bộ</b>'],
      }),
    );
    expect(valid.plan.title).toBe('<script>alert(1)</script> & "kế hoạch"');
    expect(valid.plan.issuer).toBe('=HYPERLINK("http://x","Đảng ủy")');
    expect(valid.plan.taskGroups[0]).toEqual({
      number: '1',
      title: '+SUM(A1:A9)',
      body: '@cmd|/c calc\n-1+1',
    });
    expect(valid.plan.recipients).toEqual(['=1+1', '<b>Chi bộ</b>']);
  });

  it('normalises what Word and browsers add: control and zero-width characters, decomposed letters, spaces', () => {
    const valid = validatePlanInput(
      validInput({
        number: ' 30 - KH/ĐUK\u200b ',
        title: 'Đổi\u0000 mới\n\tcông tác'.normalize('NFD'),
        recipients: ['- Như trên;', '', '  ', '- Như trên;', 'Lưu: ĐU.'],
      }),
    );
    expect(valid.plan.number).toBe('30-KH/ĐUK');
    expect(valid.plan.title).toBe('Đổi mới công tác');
    expect(valid.plan.recipients).toEqual(['Như trên', 'Lưu: ĐU']);
  });

  it('refuses JSON of the wrong shape field by field, and a body that is not an object', () => {
    expect(
      fieldErrors({ ...validInput(), title: 42, taskGroups: 'một', recipients: [1], deadline: 1512 }),
    ).toEqual({
      title: 'Giá trị phải là chữ.',
      taskGroups: 'Danh sách nhóm nhiệm vụ không hợp lệ.',
      recipients: 'Nơi nhận phải là danh sách, mỗi nơi một dòng.',
      deadline: 'Giá trị phải là chữ.',
    });
    expect(Object.keys(fieldErrors([1, 2, 3]))).toEqual(
      expect.arrayContaining(['number', 'title', 'issuer', 'taskGroups', 'reportingFrequency', 'deadline']),
    );
  });

  it('reads a deadline typed day first (15/12, 5.1) or stored month first (12-15)', () => {
    expect(parseDayMonthVi('15/12')).toBe('12-15');
    expect(parseDayMonthVi(' 5.1 ')).toBe('01-05');
    expect(parseDayMonthVi('12-15')).toBe('12-15');
    expect(parseDayMonthVi('29/02')).toBe('02-29');
    expect(() => parseDayMonthVi('15-12')).toThrow(
      expect.objectContaining({ userMessage: expect.stringMatching(/ngày\/tháng có thật/) }),
    );
  });
});

describe('planInputFromForm — the preview form without JavaScript', () => {
  const base = {
    number: '30-KH/ĐUK',
    'g0.number': '1',
    'g0.title': 'A',
    'g0.position': '1',
    'g1.number': '2',
    'g1.title': 'B',
    'g1.position': '2',
    'g2.number': '3',
    'g2.title': 'C',
    'g2.position': '3',
    'g3.number': '',
    'g3.title': '',
    'g3.position': '4',
    recipients: 'ĐUK\r\nChi bộ',
  };
  const titles = (fields: Record<string, string>) => planInputFromForm(fields).taskGroups.map((g) => g.title);

  it('keeps the rows in order and drops the empty ones', () => {
    expect(titles(base)).toEqual(['A', 'B', 'C']);
    expect(planInputFromForm(base).recipients).toEqual(['ĐUK', 'Chi bộ']);
  });

  it('moves a group to the place typed in its position', () => {
    expect(titles({ ...base, 'g0.position': '3' })).toEqual(['B', 'C', 'A']);
    expect(titles({ ...base, 'g2.position': '1' })).toEqual(['C', 'A', 'B']);
    expect(titles({ ...base, 'g0.position': '2', 'g1.position': '1' })).toEqual(['B', 'A', 'C']);
    expect(titles({ ...base, 'g1.position': 'đầu' })).toEqual(['A', 'B', 'C']);
  });

  it('removes the rows marked "xóa" and adds the empty rows filled in', () => {
    expect(titles({ ...base, 'g1.remove': '1', 'g3.title': 'D mới' })).toEqual(['A', 'C', 'D mới']);
  });

  it('reads no more rows than a form can have', () => {
    const many: Record<string, string> = {};
    for (let i = 0; i < 500; i++) many[`g${i}.title`] = `N${i}`;
    expect(planInputFromForm(many).taskGroups).toHaveLength(54);
  });
});

describe('diffPlans', () => {
  it('lists the fields, the task groups renamed, added, removed and reordered, and the recipients', () => {
    // Prepare
    const before = {
      ...validatePlanInput(validInput()).plan,
      taskGroups: [
        { number: '1', title: 'Một', body: 'x' },
        { number: '2', title: 'Hai', body: '' },
        { number: '3', title: 'Ba', body: '' },
      ],
      calendar: { deadline: '12-15' },
    };
    const after = {
      ...before,
      title: 'Tên mới',
      superior: null,
      taskGroups: [
        { number: '3', title: 'Ba', body: '' },
        { number: '1', title: 'Một (sửa)', body: 'y' },
        { number: '4', title: 'Bốn', body: '' },
      ],
      recipients: ['ĐUK', 'Công đoàn'],
      calendar: { deadline: '12-20' },
    };
    // Act
    const diff = diffPlans(before, after);
    // Assess
    expect(diff.changed).toBe(true);
    expect(diff.fields).toEqual([
      { field: 'title', before: 'Đổi mới công tác tư tưởng trong tình hình mới', after: 'Tên mới' },
      { field: 'superior', before: { number: '59-KH/ĐUK', date: '2022-03-22' }, after: null },
      { field: 'deadline', before: '12-15', after: '12-20' },
    ]);
    expect(diff.taskGroups).toEqual({
      added: [{ number: '4', title: 'Bốn', body: '' }],
      removed: [{ number: '2', title: 'Hai', body: '' }],
      renamed: [{ number: '1', before: 'Một', after: 'Một (sửa)' }],
      bodyChanged: ['1'],
      reordered: true,
    });
    expect(diff.recipients).toEqual({ added: ['Công đoàn'], removed: ['Chi bộ trực thuộc'] });
  });

  it('finds nothing between a plan and itself', () => {
    const plan = { ...validatePlanInput(validInput()).plan, calendar: { deadline: '12-15' } };
    expect(diffPlans(plan, structuredClone(plan))).toMatchObject({ changed: false, fields: [] });
  });
});

describe('previewPlanImport and savePlanInput', () => {
  let rt: MemoryRuntime;
  const seed = new TextEncoder().encode(SEED_PLAN_TEXT);

  beforeEach(() => {
    rt = createMemoryRuntime({ now: '2026-11-29T02:00:00Z' });
  });

  it('previews a new plan without storing it, then saves the fields as corrected', async () => {
    // Act
    const preview = await previewPlanImport(rt.deps, seed, 'C:\\Tài liệu\\ke-hoach-30.txt');
    // Assess
    expect(await rt.deps.plans.listPlans()).toEqual([]);
    expect(preview).toMatchObject({
      planId: '30-kh-duk',
      existing: null,
      diff: null,
      missing: [],
      errors: {},
    });
    expect(preview.input).toMatchObject({
      number: '30-KH/ĐUK',
      date: '',
      superiorNumber: '59-KH/ĐUK',
      superiorDate: '22/03/2022',
      deadline: '15/12',
      sourceFileName: 'ke-hoach-30.txt',
    });
    // Act: one title corrected
    const input = structuredClone(preview.input);
    input.taskGroups[2]!.title = 'Nâng cao chất lượng đội ngũ cán bộ làm công tác tư tưởng';
    const { plan, created } = await savePlanInput(rt.deps, input, null);
    // Assess
    expect(created).toBe(true);
    const stored = await rt.deps.plans.getPlan('30-kh-duk');
    expect(stored).toEqual(plan);
    expect(stored?.taskGroups[2]?.title).toBe('Nâng cao chất lượng đội ngũ cán bộ làm công tác tư tưởng');
    expect(stored?.calendar).toMatchObject({
      deadline: '12-15',
      openDaysBefore: 30,
      timeZone: 'Asia/Ho_Chi_Minh',
    });
    expect(stored?.recipientUnitIds).toBeNull();
  });

  it('marks the fields it could not read, without calling them errors', async () => {
    const text = SEED_PLAN_TEXT.replace('Số 30-KH/ĐUK', '');
    const preview = await previewPlanImport(rt.deps, new TextEncoder().encode(text), 'x.txt');
    expect(preview.missing).toEqual(['number']);
    expect(preview.errors).toEqual({});
    expect(preview.planId).toBeNull();
  });

  it('shows the changes to an existing plan and keeps its calendar; saves only once they were shown', async () => {
    // Prepare: the plan stored, its calendar and recipients chosen by the committee
    await importPlan(rt.deps, seed, 'ke-hoach.txt');
    const stored = (await rt.deps.plans.getPlan('30-kh-duk')) as Plan;
    const calendar = { ...stored.calendar, deadline: '12-20', openDaysBefore: 20 };
    await rt.deps.plans.putPlan({ ...stored, calendar, recipientUnitIds: ['cb-a'] });
    const reviewed = stored.updatedAt;
    rt.clock.set('2026-11-30T02:00:00Z');
    const edited = SEED_PLAN_TEXT.replace(
      '3. Nâng cao chất lượng cán bộ làm công tác tư tưởng',
      '3. Nâng cao chất lượng đội ngũ cán bộ',
    );
    // Act
    const preview = await previewPlanImport(rt.deps, new TextEncoder().encode(edited), 'ke-hoach-2.txt');
    // Assess
    expect(preview.input.deadline).toBe('20/12');
    expect(preview.existing?.id).toBe('30-kh-duk');
    expect(preview.diff).toMatchObject({
      changed: true,
      fields: [],
      taskGroups: {
        renamed: [
          {
            number: '3',
            before: 'Nâng cao chất lượng cán bộ làm công tác tư tưởng',
            after: 'Nâng cao chất lượng đội ngũ cán bộ',
          },
        ],
        added: [],
        removed: [],
      },
    });
    // Act: a save that names no reviewed version is refused, and changes nothing
    const refused = await savePlanInput(rt.deps, preview.input, null).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PlanReviewNeededError);
    expect((refused as PlanReviewNeededError).diff.taskGroups.renamed).toHaveLength(1);
    expect((await rt.deps.plans.getPlan('30-kh-duk'))?.taskGroups[2]?.title).toBe(
      'Nâng cao chất lượng cán bộ làm công tác tư tưởng',
    );
    // Act: the save that names the version shown
    const { created, plan } = await savePlanInput(rt.deps, preview.input, reviewed);
    // Assess
    expect(created).toBe(false);
    expect(plan.calendar).toEqual(calendar);
    expect(plan.recipientUnitIds).toEqual(['cb-a']);
    expect(plan.importedAt).toBe(stored.importedAt);
    expect(plan.updatedAt).toBe('2026-11-30T02:00:00.000Z');
    expect(plan.taskGroups[2]?.title).toBe('Nâng cao chất lượng đội ngũ cán bộ');
  });

  it('refuses invalid fields and stores nothing', async () => {
    const refused = await savePlanInput(rt.deps, validInput({ title: '' }), null).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PlanInputError);
    expect((refused as PlanInputError).userMessage).toMatch(
      /^Kế hoạch chưa lưu được, hãy sửa: Hãy nhập tên kế hoạch\./,
    );
    expect(await rt.deps.plans.listPlans()).toEqual([]);
    expect(await reviewPlanInput(rt.deps, validInput({ title: '' }))).toMatchObject({
      planId: null,
      diff: null,
    });
  });
});
