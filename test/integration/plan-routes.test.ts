/**
 * Plans in the committee's web app, over the emulators: the import of a plan document (preview,
 * nothing stored → save), a re-import that shows what changes, the calendar's edit, and opening a
 * period after a confirmation; the JSON twins; refusals (CSRF, bad files) that change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '#shared/domain/plan.ts';
import { MAX_WEB_UPLOAD_BYTES } from '#shared/input-limits.ts';
import { importUnits } from '#shared/units/units.ts';
import { formFields } from '#test/support/html-form.ts';
import { fixedClock, startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { clearEmails, storedEmails } from '#test/support/mail.ts';
import { SEED_PLAN_TEXT, textToDocx } from '#test/support/plan-docx.ts';
import { signIn } from '#test/support/sign-in.ts';

const PLAN = '30-kh-duk';
const RENAMED = 'Nâng cao chất lượng đội ngũ cán bộ làm công tác tư tưởng';

describe('plans in the web app (signed in, against the emulators)', () => {
  let stack: TestStack;
  let session: { cookie: string; csrf: string };

  /** A page request as the browser sends it. */
  const page = (path: string, init: { form?: Record<string, string>; csrf?: boolean } = {}) =>
    fetch(`${stack.appUrl}${path}`, {
      method: init.form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        Cookie: session.cookie,
        Origin: stack.appUrl,
        ...(init.form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(init.form
        ? {
            body: new URLSearchParams({
              ...(init.csrf === false ? {} : { csrf: session.csrf }),
              ...init.form,
            }),
          }
        : {}),
    });
  /** A form with a file, as the browser posts it (the CSRF token in a field), or the JSON twin's. */
  const upload = (
    path: string,
    file: { bytes: Uint8Array; name: string },
    csrf: 'field' | 'header' | 'none',
  ) => {
    const body = new FormData();
    if (csrf === 'field') body.set('csrf', session.csrf);
    body.set('file', new Blob([Buffer.from(file.bytes)]), file.name);
    return fetch(`${stack.appUrl}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { Cookie: session.cookie, ...(csrf === 'header' ? { 'X-CSRF-Token': session.csrf } : {}) },
      body,
    });
  };
  const api = (path: string, body?: unknown) =>
    fetch(`${stack.appUrl}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { Cookie: session.cookie, 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrf },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const stored = () => stack.deps.plans.getPlan(PLAN);

  beforeAll(async () => {
    stack = await startTestStack({ clock: fixedClock('2026-11-29T02:00:00Z') });
    await importUnits(
      stack.deps,
      'id,name,email,cc\ncb-a,Chi bộ A,a@example.org,\ncb-b,Chi bộ B,b@example.org,pho-b@example.org\n',
    );
    session = await signIn(stack, 'vanphong@demo.baocao.example');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('refuses every plan action without the CSRF token, and changes nothing', async () => {
    const docx = await textToDocx(SEED_PLAN_TEXT);
    const preview = await upload('/admin/plans/import', { bytes: docx, name: 'ke-hoach.docx' }, 'none');
    const save = await page('/admin/plans', { form: { number: '30-KH/ĐUK', title: 'X' }, csrf: false });
    const json = await fetch(`${stack.appUrl}/api/plans`, {
      method: 'POST',
      headers: { Cookie: session.cookie, 'Content-Type': 'application/json' },
      body: JSON.stringify({ number: '30-KH/ĐUK' }),
    });
    expect([preview.status, save.status, json.status]).toEqual([403, 403, 403]);
    expect(await stack.deps.plans.listPlans()).toEqual([]);
  });

  it('imports the seed .docx: a preview that stores nothing, then the save of the fields as corrected', async () => {
    // Act: upload the document in the page's form
    const docx = await textToDocx(SEED_PLAN_TEXT);
    const res = await upload('/admin/plans/import', { bytes: docx, name: 'ke-hoach-30.docx' }, 'field');
    const html = await res.text();
    // Assess: every field in the form, nothing stored yet
    expect(res.status).toBe(200);
    expect(await stack.deps.plans.listPlans()).toEqual([]);
    const fields = formFields(html, '/admin/plans');
    expect(fields).toMatchObject({
      number: '30-KH/ĐUK',
      date: '',
      title: 'Đổi mới công tác tư tưởng trong tình hình mới',
      issuer: 'Đảng ủy Sở',
      superiorNumber: '59-KH/ĐUK',
      superiorDate: '22/03/2022',
      reportingFrequency: 'yearly',
      deadline: '15/12',
      sourceFileName: 'ke-hoach-30.docx',
      reviewedUpdatedAt: '',
      'g2.title': 'Nâng cao chất lượng cán bộ làm công tác tư tưởng',
      'g6.title': '',
    });
    expect(fields.recipients?.split('\n')).toEqual([
      'ĐUK',
      'BCH',
      'Chi bộ trực thuộc',
      'Công đoàn',
      'Lưu: ĐU',
    ]);
    expect(html).not.toContain('Chưa đọc được');

    // Act: one title corrected, saved from the form
    const saved = await page('/admin/plans', { form: { ...fields, 'g2.title': RENAMED } });
    // Assess
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe(`/admin/plans/${PLAN}?done=created`);
    const plan = (await stored()) as Plan;
    expect(plan.taskGroups.map((g) => g.title)[2]).toBe(RENAMED);
    expect(plan.taskGroups).toHaveLength(6);
    expect(plan.taskGroups[0]?.body).toMatch(/^- Cấp ủy chi bộ, đảng bộ nâng cao nhận thức/);
    expect(plan.sourceFileName).toBe('ke-hoach-30.docx');
    const planPage = await (await page(`/admin/plans/${PLAN}?done=created`)).text();
    expect(planPage).toContain('Đã lưu kế hoạch mới.');
    expect(planPage).toContain(RENAMED);
  });

  it('shows the form again with each problem beside its field, keeping what was typed, and saves nothing', async () => {
    const before = await stored();
    const res = await page('/admin/plans', {
      form: {
        number: '31-KH/ĐUK',
        date: '31/02/2023',
        title: '<b>Kế hoạch</b> =1+1',
        issuer: '',
        reportingFrequency: 'yearly',
        deadline: '15/12',
        'g0.number': '1',
        'g0.title': 'Một',
        'g0.position': '1',
        'g1.number': '1',
        'g1.title': 'Trùng số',
        'g1.position': '2',
      },
    });
    const html = await res.text();
    expect(res.status).toBe(400);
    expect(html).toContain('data-error="date"');
    expect(html).toContain('data-error="issuer"');
    expect(html).toContain('data-error="taskGroups.1.number"');
    expect(html).toContain('aria-invalid="true"');
    // What was typed is kept, escaped.
    expect(formFields(html, '/admin/plans')).toMatchObject({
      number: '31-KH/ĐUK',
      date: '31/02/2023',
      title: '<b>Kế hoạch</b> =1+1',
      'g1.title': 'Trùng số',
    });
    expect(html).not.toContain('<b>Kế hoạch</b>');
    expect(await stack.deps.plans.listPlans()).toHaveLength(1);
    expect(await stored()).toEqual(before);
  });

  it('marks the fields a document does not give, instead of refusing it', async () => {
    const text = SEED_PLAN_TEXT.replace('Số 30-KH/ĐUK', '');
    const res = await upload(
      '/admin/plans/import',
      { bytes: new TextEncoder().encode(text), name: 'x.txt' },
      'field',
    );
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toMatch(
      /<input id="number" name="number" type="text" value=""[^>]*aria-describedby="number-missing number-hint" aria-invalid="true">/,
    );
    expect(html).toContain(
      '<p class="field-note field-missing" id="number-missing" data-missing="number">Chưa đọc được — hãy điền.</p>',
    );
  });

  it('refuses binary junk named .docx and a file over the web limit, with a way onward', async () => {
    const junk = new Uint8Array(2048).map((_, i) => (i * 31) % 251);
    const bad = await upload('/admin/plans/import', { bytes: junk, name: 'ke-hoach.docx' }, 'field');
    const badHtml = await bad.text();
    expect(bad.status).toBe(400);
    expect(badHtml).toContain('không phải là tài liệu Word (.docx) hợp lệ');
    expect(badHtml).toContain('enctype="multipart/form-data"');
    const big = await upload(
      '/admin/plans/import',
      { bytes: new Uint8Array(MAX_WEB_UPLOAD_BYTES + 1).fill(0x61), name: 'to.txt' },
      'field',
    );
    expect(big.status).toBe(413);
    expect(await big.text()).toContain('Tệp quá lớn');
    const none = await page('/admin/plans/import', { form: {} });
    expect(none.status).toBe(400);
  });

  it('says at once when a document is too long to be saved back through the page', async () => {
    // ~86,000 letters of body text: ~290 KB once percent-encoded, over the 256 KB of a request.
    const long = 'Đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh. '.repeat(400);
    const text = SEED_PLAN_TEXT.replace(
      /\n- Xây dựng chương trình hành động/,
      `\n${long}\n- Xây dựng chương trình hành động`,
    )
      .replace(/\n- Tăng cường sự lãnh đạo của Đảng/, `\n${long}\n- Tăng cường sự lãnh đạo của Đảng`)
      .replace(/\n- Bí thư cấp ủy chủ trì/, `\n${long}\n- Bí thư cấp ủy chủ trì`);
    const res = await upload(
      '/admin/plans/import',
      { bytes: new TextEncoder().encode(text), name: 'dai.txt' },
      'field',
    );
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toMatch(
      /<p class="error" role="alert">Tài liệu này dài quá để lưu qua trang web \(khoảng [\d,]+ KB, tối đa 256 KB\)/,
    );
  });

  it('shows what a re-import changes, keeps the calendar, and saves only what was reviewed', async () => {
    // Prepare: the committee's own calendar
    const calendar = await page(`/admin/plans/${PLAN}/calendar`, {
      form: { deadline: '20/12', openDaysBefore: '25', closeDaysAfter: '10', reminderDays: '-7, -1, 3' },
    });
    expect(calendar.status).toBe(303);
    const before = (await stored()) as Plan;
    const edited = SEED_PLAN_TEXT.replace(
      /\n6\. Tăng cường công tác kiểm tra[^\n]*\n/,
      '\n6. Tăng cường kiểm tra, giám sát công tác tư tưởng\n',
    ).replace('- Công đoàn;', '- Đoàn Thanh niên;');
    // Act: the JSON twin of the preview
    const res = await upload(
      '/api/plans/import',
      { bytes: await textToDocx(edited), name: 'ke-hoach-30-v2.docx' },
      'header',
    );
    const preview = (await res.json()) as {
      planId: string;
      missing: string[];
      input: Record<string, unknown>;
      existing: { id: string; updatedAt: string };
      diff: { changed: boolean; taskGroups: { renamed: unknown[] }; recipients: unknown };
      reviewedUpdatedAt: string;
    };
    // Assess: nothing stored; the changes named
    expect(res.status).toBe(200);
    expect(await stored()).toEqual(before);
    expect(preview.planId).toBe(PLAN);
    expect(preview.missing).toEqual([]);
    expect(preview.input.deadline).toBe('20/12');
    expect(preview.existing).toEqual({ id: PLAN, number: '30-KH/ĐUK', updatedAt: before.updatedAt });
    expect(preview.diff.taskGroups.renamed).toEqual([
      { number: '3', before: RENAMED, after: 'Nâng cao chất lượng cán bộ làm công tác tư tưởng' },
      {
        number: '6',
        before:
          'Tăng cường công tác kiểm tra, giám sát việc triển khai, thực hiện các nghị quyết, chỉ thị có liên quan đến công tác tư tưởng',
        after: 'Tăng cường kiểm tra, giám sát công tác tư tưởng',
      },
    ]);
    expect(preview.diff.recipients).toEqual({ added: ['Đoàn Thanh niên'], removed: ['Công đoàn'] });

    // The page shows the same changes.
    const pageRes = await upload(
      '/admin/plans/import',
      { bytes: await textToDocx(edited), name: 'ke-hoach-30-v2.docx' },
      'field',
    );
    const html = await pageRes.text();
    expect(html).toContain('Kế hoạch này đã có — những gì sẽ thay đổi');
    expect(html).toContain('Thêm nơi nhận: Đoàn Thanh niên');
    expect(html).toContain(`Nhóm 6 đổi tên: “Tăng cường công tác kiểm tra`);

    // Act: a save that names no reviewed version gets the changes back, 409, nothing saved
    const unreviewed = await api('/api/plans', { ...preview.input });
    const conflict = (await unreviewed.json()) as { error: { code: string; diff: unknown } };
    expect(unreviewed.status).toBe(409);
    expect(conflict.error.code).toBe('CONFLICT');
    expect(await stored()).toEqual(before);
    const unreviewedPage = await page('/admin/plans', {
      form: { ...formFields(html, '/admin/plans'), reviewedUpdatedAt: '' },
    });
    expect(unreviewedPage.status).toBe(409);
    expect(formFields(await unreviewedPage.text(), '/admin/plans').reviewedUpdatedAt).toBe(before.updatedAt);

    // Act: the reviewed save from the page
    const saved = await page('/admin/plans', { form: formFields(html, '/admin/plans') });
    // Assess
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe(`/admin/plans/${PLAN}?done=updated`);
    const after = (await stored()) as Plan;
    expect(after.taskGroups[5]?.title).toBe('Tăng cường kiểm tra, giám sát công tác tư tưởng');
    expect(after.calendar).toEqual(before.calendar);
    expect(after.calendar).toMatchObject({
      deadline: '12-20',
      openDaysBefore: 25,
      closeDaysAfter: 10,
      reminderDays: [-7, -1, 3],
    });
    expect(after.importedAt).toBe(before.importedAt);
  });

  it('edits the calendar through the form and JSON, refusing a bad one without changing it', async () => {
    const before = ((await stored()) as Plan).calendar;
    const bad = await page(`/admin/plans/${PLAN}/calendar`, {
      form: { deadline: '20/12', openDaysBefore: '25', closeDaysAfter: '10', reminderDays: '-30, 1' },
    });
    const badHtml = await bad.text();
    expect(bad.status).toBe(400);
    expect(badHtml).toContain('ngày nhắc -30 rơi vào trước khi mở kỳ (25 ngày trước hạn)');
    expect(formFields(badHtml, `/admin/plans/${PLAN}/calendar`).reminderDays).toBe('-30, 1');
    const garbage = await page(`/admin/plans/${PLAN}/calendar`, {
      form: { deadline: '32/12', openDaysBefore: 'ba mươi', closeDaysAfter: '10', reminderDays: '-7, x' },
    });
    const garbageHtml = await garbage.text();
    expect(garbage.status).toBe(400);
    expect(garbageHtml).toContain('id="cal-deadline-error"');
    expect(garbageHtml).toContain('“ba mươi” không phải số ngày');
    expect(garbageHtml).toContain('“x” không phải số ngày');
    const noToken = await page(`/admin/plans/${PLAN}/calendar`, {
      form: { deadline: '01/12', openDaysBefore: '30', closeDaysAfter: '30', reminderDays: '' },
      csrf: false,
    });
    expect(noToken.status).toBe(403);
    expect(((await stored()) as Plan).calendar).toEqual(before);

    const json = await api(`/api/plans/${PLAN}/calendar`, {
      deadline: '15/12',
      openDaysBefore: 30,
      reminderDays: '-14, -7, -3, -1, 1, 7',
    });
    expect(json.status).toBe(200);
    expect(((await json.json()) as { calendar: unknown }).calendar).toMatchObject({
      deadline: '12-15',
      openDaysBefore: 30,
      closeDaysAfter: 10,
      reminderDays: [-14, -7, -3, -1, 1, 7],
    });
    const unknown = await api(`/api/plans/${PLAN}/calendar`, { frequency: 'monthly' });
    expect(unknown.status).toBe(400);
  });

  it('opens a period after a confirmation listing who is e-mailed; opening again e-mails nobody twice', async () => {
    // The confirmation: who gets the link, the dates; nothing opened yet
    const confirm = await page(`/admin/plans/${PLAN}/2026/open`);
    const html = await confirm.text();
    expect(confirm.status).toBe(200);
    expect(html).toContain('<span data-count>2</span> đơn vị');
    expect(html).toContain('Chi bộ A');
    expect(html).toContain('b@example.org<br><span class="muted">cc: pho-b@example.org</span>');
    expect(html).toContain('<strong>15/12/2026</strong>');
    expect(html).toContain('Mở kỳ và gửi 2 e-mail');
    expect(await stack.deps.plans.getPeriod(PLAN, 2026)).toBeUndefined();
    const preview = (await (await api(`/api/plans/${PLAN}/periods/2026/open-preview`)).json()) as {
      units: { unitId: string; email: string }[];
      deadline: string;
      blocker: string | null;
    };
    expect(preview.units.map((u) => u.unitId)).toEqual(['cb-a', 'cb-b']);
    expect(preview).toMatchObject({ deadline: '2026-12-15', blocker: null });

    // Without the token: refused, nothing opened
    const noToken = await page(`/admin/plans/${PLAN}/2026/open`, { form: {}, csrf: false });
    expect(noToken.status).toBe(403);
    expect(await stack.deps.plans.getPeriod(PLAN, 2026)).toBeUndefined();

    // Act: confirm
    await clearEmails(stack.mailUrl);
    const opened = await page(`/admin/plans/${PLAN}/2026/open`, { form: {} });
    await stack.mailQueue.drain();
    // Assess
    expect(opened.status).toBe(303);
    expect(opened.headers.get('location')).toBe(`/admin/plans/${PLAN}/2026?done=opened`);
    expect(await stack.deps.plans.getPeriod(PLAN, 2026)).toMatchObject({
      status: 'open',
      deadline: '2026-12-15',
    });
    const mails = await storedEmails(stack.mailUrl);
    expect(mails.map((m) => m.destination.to[0]).sort()).toEqual(['a@example.org', 'b@example.org']);

    // The confirmation now says the period is open and that nobody is left to e-mail
    const again = await (await page(`/admin/plans/${PLAN}/2026/open`)).text();
    expect(again).toContain('data-already-open');
    expect(again).toContain('Không có đơn vị nào cần gửi thêm liên kết.');
    const twice = await api(`/api/plans/${PLAN}/periods/2026/open`, {});
    await stack.mailQueue.drain();
    expect(twice.status).toBe(200);
    expect(await twice.json()).toMatchObject({
      created: false,
      assignmentsCreated: 0,
      linksQueued: 0,
      units: 2,
    });
    expect(await storedEmails(stack.mailUrl)).toHaveLength(2);

    // The list of plans shows the progress
    const dashboard = await (await page('/admin')).text();
    expect(dashboard).toContain('<strong data-progress>0/2 đã nộp</strong>');
    expect(dashboard).toContain('href="/admin/plans/import">Nhập kế hoạch</a>');
    const plans = (await (await api('/api/plans')).json()) as {
      plans: { id: string; currentPeriod: unknown }[];
    };
    expect(plans.plans[0]).toMatchObject({
      id: PLAN,
      currentPeriod: { year: 2026, status: 'open', expected: 2, reported: 0, onTime: 0 },
    });
  });

  it('refuses to open a year whose deadline has passed, saying why, and opens nothing', async () => {
    const confirm = await (await page(`/admin/plans/${PLAN}/2025/open`)).text();
    expect(confirm).toContain('data-blocker');
    expect(confirm).toContain('Hạn nộp năm 2025 (15/12/2025) đã qua');
    const res = await page(`/admin/plans/${PLAN}/2025/open`, { form: {} });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('← Về kế hoạch');
    expect(await stack.deps.plans.getPeriod(PLAN, 2025)).toBeUndefined();
  });

  it('saves a plan from JSON fields (201), with per-field errors otherwise (400)', async () => {
    const fields = {
      number: '12-KH/ĐUS',
      date: '01/03/2026',
      title: 'Chuyển đổi số',
      issuer: 'Đảng ủy Sở',
      taskGroups: [{ number: '1', title: 'Số hóa hồ sơ', body: '' }],
      recipients: ['Các chi bộ'],
      reportingFrequency: 'yearly',
      deadline: '10/12',
    };
    const bad = await api('/api/plans', { ...fields, taskGroups: [] });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      error: { code: 'VALIDATION_FAILED', fields: { taskGroups: expect.any(String) } },
    });
    const ok = await api('/api/plans', fields);
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({
      created: true,
      plan: { id: '12-kh-dus-2026', calendar: { deadline: '12-10' } },
    });
  });
});
