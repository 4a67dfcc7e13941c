/**
 * The units ("Đơn vị") and a plan's recipients in the committee's web app, over the emulators:
 * search, add, edit, retire and reinstate a unit, import an .xlsx through its preview and
 * confirmation, download the list; choose who reports on a plan through a preview; the JSON
 * twins; and hostile input (formulas, duplicates, binary, oversized, tampered confirmations,
 * unknown unit ids, a retired unit's link, no CSRF token), each refused with nothing changed.
 */

import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlannerDeps } from '#functions/wiring/create-planner-deps.ts';
import { createUploadDeps } from '#functions/wiring/create-upload-deps.ts';
import { MAX_WEB_UPLOAD_BYTES } from '#shared/input-limits.ts';
import { openPeriod } from '#shared/periods/periods.ts';
import { announcePeriod } from '#shared/periods/run-planner.ts';
import { importPlan } from '#shared/plans/plans.ts';
import { importUnits, listUnits } from '#shared/units/units.ts';
import { linkFor } from '#shared/uploads/links.ts';
import { formFields } from '#test/support/html-form.ts';
import { fixedClock, startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { clearEmails, storedEmails } from '#test/support/mail.ts';
import { signIn } from '#test/support/sign-in.ts';

const DEMO_PLAN = new URL('../../local/demo/ke-hoach-12-KH-DUS.txt', import.meta.url);
const PLAN = '12-kh-dus-2025';
const YEAR = 2026;

async function workbook(rows: ExcelJS.CellValue[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Đơn vị');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await book.xlsx.writeBuffer());
}

describe('units and recipients in the web app (signed in, against the emulators)', () => {
  let stack: TestStack;
  let session: { cookie: string; csrf: string };

  /** A page request as the browser sends it (a form: urlencoded, with the CSRF field). */
  const page = (path: string, form?: URLSearchParams | Record<string, string>, csrf = true) => {
    const body = form ? new URLSearchParams(form) : undefined;
    if (body && csrf) body.set('csrf', session.csrf);
    return fetch(`${stack.appUrl}${path}`, {
      method: body ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        Cookie: session.cookie,
        Origin: stack.appUrl,
        ...(body ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(body ? { body } : {}),
    });
  };
  /** A form with a file (or a multipart form of fields only), as the browser posts it. */
  const multipart = (
    path: string,
    fields: Record<string, string>,
    file?: { bytes: Uint8Array; name: string },
    csrf: 'field' | 'header' | 'none' = 'field',
  ) => {
    const body = new FormData();
    if (csrf === 'field') body.set('csrf', session.csrf);
    for (const [name, value] of Object.entries(fields)) body.set(name, value);
    if (file) body.set('file', new Blob([Buffer.from(file.bytes)]), file.name);
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
      redirect: 'manual',
      headers: { Cookie: session.cookie, 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrf },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const unitIds = async () => (await listUnits(stack.deps)).map((u) => u.id);
  const token = async (unitId: string) =>
    (await linkFor(createUploadDeps(stack.runtime), PLAN, YEAR, unitId)).url.split('/u/')[1]!;

  beforeAll(async () => {
    // 29/11/2026 09:00: three units, the demo plan's 2026 period open and announced.
    stack = await startTestStack({ clock: fixedClock('2026-11-29T02:00:00Z') });
    await importUnits(
      stack.deps,
      'id,name,email\ncb-a,Chi bộ A,a@example.org\ncb-b,Chi bộ B,b@example.org\ncb-vp,Chi bộ Văn phòng,vp@example.org\n',
    );
    await importPlan(stack.deps, await readFile(DEMO_PLAN), 'ke-hoach.txt');
    await openPeriod(stack.deps, { planId: PLAN, year: YEAR });
    await announcePeriod(createPlannerDeps(stack.runtime), PLAN, YEAR, new Date('2026-11-29T02:00:00Z'));
    await stack.mailQueue.drain();
    session = await signIn(stack, 'vanphong@demo.baocao.example');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('lists the units with a search that ignores letter case and diacritics', async () => {
    const all = await (await page('/admin/units')).text();
    const found = await (await page('/admin/units?q=VAN%20phong')).text();
    expect(all).toContain('3 đơn vị.');
    expect(all).toContain('<a class="unit-link" href="/admin/units/cb-a">Chi bộ A</a>');
    expect(all).toContain('action="/admin/units/import" enctype="multipart/form-data"');
    expect(all).toContain('href="/admin/units.xlsx"');
    expect(found).toContain('Tìm thấy 1 trong 3 đơn vị.');
    expect(found).toContain('Chi bộ Văn phòng');
    expect(found).not.toContain('Chi bộ A<');
  });

  it('adds a unit from the form, and refuses a taken id, bad fields or a missing CSRF token', async () => {
    // Act
    const added = await page('/admin/units', {
      id: 'cb-moi',
      name: 'Chi bộ Mới',
      email: 'moi@example.org',
      cc: '',
      note: 'Thành lập 2026',
    });
    const taken = await page('/admin/units', { id: 'CB-A', name: 'Trùng', email: 'x@example.org' });
    const bad = await page('/admin/units', { id: 'có dấu', name: '=cmd|x', email: 'x' });
    const noCsrf = await page('/admin/units', { id: 'cb-x', name: 'X', email: 'x@example.org' }, false);
    // Assess
    expect(added.status).toBe(303);
    expect(added.headers.get('location')).toBe('/admin/units/cb-moi?done=added');
    const unitPage = await (await page('/admin/units/cb-moi?done=added')).text();
    expect(unitPage).toContain('Đã thêm đơn vị.');
    expect(unitPage).toContain('Thành lập 2026');
    expect(taken.status).toBe(400);
    expect(await taken.text()).toContain('Đã có đơn vị mã &quot;cb-a&quot;');
    expect(bad.status).toBe(400);
    const badText = await bad.text();
    expect(badText).toContain('mã đơn vị không hợp lệ');
    expect(badText).toContain('tên đơn vị bắt đầu bằng &quot;=&quot;');
    expect(badText).toContain('value="=cmd|x"');
    expect(noCsrf.status).toBe(403);
    expect(await unitIds()).toEqual(['cb-a', 'cb-b', 'cb-moi', 'cb-vp']);
  });

  it('imports an .xlsx through a preview, writing nothing until the confirmation', async () => {
    // Prepare
    const xlsx = await workbook([
      ['Mã đơn vị', 'Tên đơn vị', 'Email', 'CC'],
      ['cb-a', 'Chi bộ A', 'a@example.org', ''],
      ['cb-b', 'Chi bộ B (đổi tên)', 'b@example.org', 'pho-b@example.org'],
      ['cd', 'Công đoàn, "cơ sở"', 'cd@example.org', ''],
    ]);
    // Act: the preview.
    const preview = await multipart('/admin/units/import', {}, { bytes: xlsx, name: 'don-vi.xlsx' });
    const html = await preview.text();
    // Assess
    expect(preview.status).toBe(200);
    expect(html).toContain(
      '<strong>3</strong> đơn vị: <strong>1</strong> thêm mới, <strong>1</strong> cập nhật, <strong>1</strong> không đổi.',
    );
    expect(html).toContain('data-unit-id="cb-b" data-change="updated"');
    expect(html).toContain('data-unit-id="cd" data-change="created"');
    expect(await unitIds()).not.toContain('cd');
    // Act: the confirmation, as the preview's form posts it.
    const fields = formFields(html, '/admin/units/import');
    expect(Object.keys(fields).sort()).toEqual(['confirm', 'csrf', 'format', 'rows-00']);
    const confirmed = await multipart('/admin/units/import', fields, undefined, 'none');
    // Assess
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get('location')).toBe(
      '/admin/units?done=imported&created=1&updated=1&unchanged=1',
    );
    expect(await (await page(confirmed.headers.get('location')!)).text()).toContain(
      'Đã nhập danh sách đơn vị. 1 thêm mới, 1 cập nhật, 1 không đổi.',
    );
    expect(await stack.deps.plans.getUnit('cd')).toMatchObject({ name: 'Công đoàn, "cơ sở"', active: true });
    expect(await stack.deps.plans.getUnit('cb-b')).toMatchObject({
      name: 'Chi bộ B (đổi tên)',
      cc: ['pho-b@example.org'],
    });
    expect((await stack.deps.submissions.getAssignment(PLAN, YEAR, 'cb-b'))?.unitName).toBe(
      'Chi bộ B (đổi tên)',
    );
  });

  it('refuses hostile files and confirmations with line-numbered errors, writing nothing', async () => {
    // Prepare
    const before = await listUnits(stack.deps);
    const formulas = await workbook([
      ['id', 'name', 'email'],
      ['cb-f', { formula: 'HYPERLINK("http://x","y")', result: 'y' }, 'f@example.org'],
      ['cb-g', 'Chi bộ G', 'g@example.org'],
      ['CB-G', 'Chi bộ G lần hai', 'g2@example.org'],
    ]);
    // Act
    const refused = await multipart('/admin/units/import', {}, { bytes: formulas, name: 'xau.xlsx' });
    const junk = await multipart(
      '/admin/units/import',
      {},
      { bytes: Buffer.from([0, 1, 2, 255, 254]), name: 'rac.xlsx' },
    );
    const csvFormula = await multipart(
      '/admin/units/import',
      {},
      { bytes: Buffer.from('id,name,email\ncb-h,@SUM(1),h@example.org\n'), name: 'a.csv' },
    );
    const tampered = await multipart(
      '/admin/units/import',
      { confirm: '1', format: 'csv', 'rows-00': 'id,name,email,cc\ncb-t,=1+1,t@example.org,\n' },
      undefined,
    );
    const empty = await multipart('/admin/units/import', { confirm: '1' });
    const noFile = await multipart('/admin/units/import', {});
    const big = await multipart(
      '/admin/units/import',
      {},
      { bytes: new Uint8Array(MAX_WEB_UPLOAD_BYTES + 1), name: 'to.xlsx' },
    );
    const noCsrf = await multipart('/admin/units/import', {}, { bytes: formulas, name: 'x.xlsx' }, 'none');
    // Assess
    expect(refused.status).toBe(400);
    const text = await refused.text();
    expect(text).toContain('Chưa nhập được xau.xlsx');
    expect(text).toContain('<td data-label="Dòng">2</td><td data-label="Lỗi">ô B2 chứa công thức');
    expect(text).toContain(
      '<td data-label="Dòng">4</td><td data-label="Lỗi">trùng mã đơn vị với dòng 3 (&quot;CB-G&quot;)',
    );
    expect(junk.status).toBe(400);
    expect(await junk.text()).toContain('không phải văn bản UTF-8');
    expect(csvFormula.status).toBe(400);
    expect(await csvFormula.text()).toContain('tên đơn vị bắt đầu bằng &quot;@&quot;');
    expect(tampered.status).toBe(400);
    expect(await tampered.text()).toContain('tên đơn vị bắt đầu bằng &quot;=&quot;');
    expect([empty.status, noFile.status, big.status, noCsrf.status]).toEqual([400, 400, 413, 403]);
    expect(await listUnits(stack.deps)).toStrictEqual(before);
  });

  it('downloads the list as an .xlsx workbook that Excel readers open', async () => {
    const res = await page('/admin/units.xlsx');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="danh-sach-don-vi.xlsx"');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await res.arrayBuffer());
    const sheet = book.worksheets[0]!;
    expect(sheet.getRow(1).values).toEqual([
      undefined,
      'Mã đơn vị',
      'Tên đơn vị',
      'Email',
      'CC',
      'Ghi chú',
      'Trạng thái',
      'Thôi báo cáo từ',
      'Lý do thôi báo cáo',
    ]);
    expect(sheet.getColumn(1).values.slice(2)).toEqual(['cb-a', 'cb-b', 'cb-moi', 'cb-vp', 'cd']);
    const api = await fetch(`${stack.appUrl}/api/units.xlsx`, { headers: { Cookie: session.cookie } });
    expect(api.status).toBe(200);
    expect((await fetch(`${stack.appUrl}/api/units.xlsx`)).status).toBe(401);
  });

  it('edits a unit: its open assignment takes the new address', async () => {
    const res = await page('/admin/units/cb-vp/edit', {
      name: 'Chi bộ Văn phòng',
      email: 'vp-moi@example.org',
      cc: '',
      note: '',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin/units/cb-vp?done=edited');
    expect((await stack.deps.submissions.getAssignment(PLAN, YEAR, 'cb-vp'))?.email).toBe(
      'vp-moi@example.org',
    );
    const bad = await page('/admin/units/cb-vp/edit', { name: '', email: 'vp@', cc: '', note: '' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('thiếu tên đơn vị');
    expect((await stack.deps.plans.getUnit('cb-vp'))?.email).toBe('vp-moi@example.org');
  });

  it('retires a unit: its link is refused and the period expects one less; reinstating brings it back without an e-mail', async () => {
    // Prepare
    const link = await token('cb-b');
    expect((await fetch(`${stack.appUrl}/u/${link}`)).status).toBe(200);
    const form = formFields(await (await page('/admin/units/cb-b')).text(), '/admin/units/cb-b/retire');
    expect(form.from).toBe('29/11/2026');
    // Act
    const retired = await page('/admin/units/cb-b/retire', {
      ...form,
      reason: 'merged',
      detail: 'vào Chi bộ A',
    });
    // Assess
    expect(retired.status).toBe(303);
    const unitPage = await (await page('/admin/units/cb-b?done=retired')).text();
    expect(unitPage).toContain('Thôi báo cáo từ 29/11/2026</span> — sáp nhập: vào Chi bộ A');
    expect(unitPage).toContain('Đã thôi báo cáo từ 29/11/2026 (sáp nhập: vào Chi bộ A)');
    const uploadPage = await fetch(`${stack.appUrl}/u/${link}`);
    expect(uploadPage.status).toBe(403);
    expect(await uploadPage.text()).toContain(
      'Đơn vị không còn báo cáo trong kỳ báo cáo năm 2026 (từ ngày 29/11/2026)',
    );
    const grant = await fetch(`${stack.appUrl}/u/${link}/uploads`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ fileName: 'a.pdf', contentType: 'application/pdf', size: 100, fileCount: 1 }),
    });
    expect(grant.status).toBe(403);
    expect(((await grant.json()) as { error: { code: string } }).error.code).toBe('LINK_WITHDRAWN');
    const status = (await (await api(`/api/plans/${PLAN}/periods/${YEAR}`)).json()) as {
      expected: number;
      withdrawn: { unitId: string }[];
    };
    expect(status.withdrawn.map((r) => r.unitId)).toEqual(['cb-b']);
    expect(status.expected).toBe(2);
    // Act: reinstate.
    await stack.mailQueue.drain();
    await clearEmails(stack.mailUrl);
    const back = await page('/admin/units/cb-b/reinstate', {});
    await stack.mailQueue.drain();
    // Assess
    expect(back.headers.get('location')).toBe('/admin/units/cb-b?done=reinstated');
    expect((await fetch(`${stack.appUrl}/u/${link}`)).status).toBe(200);
    expect(await storedEmails(stack.mailUrl)).toEqual([]);
    const bad = await page('/admin/units/cb-b/retire', { from: '31/02/2026', reason: 'merged' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Ngày không hợp lệ');
    expect((await stack.deps.plans.getUnit('cb-b'))?.retired).toBeNull();
  });

  it('narrows a plan to chosen units through a preview: a joining unit gets its link at once', async () => {
    // Prepare
    const form = await (await page(`/admin/plans/${PLAN}/recipients`)).text();
    expect(form).toContain(
      '<label class="checkbox" for="scope-all"><input id="scope-all" type="radio" name="scope" value="all" checked>',
    );
    expect(form).toContain('value="cb-moi"');
    const choice = new URLSearchParams([
      ['scope', 'chosen'],
      ['units', 'cb-a'],
      ['units', 'cb-moi'],
    ]);
    // Act: the preview.
    const preview = await page(`/admin/plans/${PLAN}/recipients`, choice);
    const html = await preview.text();
    // Assess: nothing changed yet.
    expect(preview.status).toBe(200);
    expect(html).toMatch(
      /Nhận liên kết qua e-mail ngay, hoặc dùng lại được liên kết cũ \(1\)<\/h3><ul><li>Chi bộ Mới/,
    );
    expect(html).toMatch(/Thôi báo cáo từ hôm nay, không còn được tính vào số phải báo cáo \(2\)/);
    expect((await stack.deps.plans.getPlan(PLAN))?.recipientUnitIds).toBeNull();
    // Act: the confirmation.
    await clearEmails(stack.mailUrl);
    choice.set('confirm', '1');
    const confirmed = await page(`/admin/plans/${PLAN}/recipients`, choice);
    await stack.mailQueue.drain();
    // Assess
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get('location')).toBe(
      `/admin/plans/${PLAN}/recipients?done=saved&mailed=1&left=2`,
    );
    expect(await (await page(confirmed.headers.get('location')!)).text()).toContain(
      'Đã lưu danh sách đơn vị nhận kế hoạch. 1 đơn vị được gửi liên kết qua e-mail. 2 đơn vị thôi báo cáo trong kỳ đang mở từ hôm nay.',
    );
    expect((await stack.deps.plans.getPlan(PLAN))?.recipientUnitIds).toEqual(['cb-a', 'cb-moi']);
    expect((await storedEmails(stack.mailUrl)).map((m) => m.destination.to[0])).toEqual(['moi@example.org']);
    expect((await fetch(`${stack.appUrl}/u/${await token('cb-b')}`)).status).toBe(403);
  });

  it('refuses unknown units, no unit and a missing CSRF token, changing nothing', async () => {
    const unknown = await page(
      `/admin/plans/${PLAN}/recipients`,
      new URLSearchParams([
        ['scope', 'chosen'],
        ['units', 'khong-co'],
        ['confirm', '1'],
      ]),
    );
    const none = await page(`/admin/plans/${PLAN}/recipients`, { scope: 'chosen', confirm: '1' });
    const noCsrf = await page(`/admin/plans/${PLAN}/recipients`, { scope: 'all', confirm: '1' }, false);
    const apiUnknown = await api(`/api/plans/${PLAN}/recipients`, {
      unitIds: ['cb-a', 'khong-co'],
      confirm: true,
    });
    const apiShape = await api(`/api/plans/${PLAN}/recipients`, { unitIds: 'cb-a', confirm: true });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('Không có đơn vị mã &quot;khong-co&quot;; không thay đổi gì.');
    expect([none.status, noCsrf.status, apiUnknown.status, apiShape.status]).toEqual([400, 403, 400, 400]);
    expect((await stack.deps.plans.getPlan(PLAN))?.recipientUnitIds).toEqual(['cb-a', 'cb-moi']);
  });

  it('has JSON twins: add, import (preview, confirm, errors), edit, retire, reinstate, recipients', async () => {
    // Add
    const added = await api('/api/units', { id: 'cb-api', name: 'Chi bộ API', email: 'api@example.org' });
    expect(added.status).toBe(201);
    expect((await api('/api/units', { id: 'cb-api', name: 'X', email: 'x@example.org' })).status).toBe(409);
    expect((await api('/api/units', { id: 5, name: 'X', email: 'x@example.org' })).status).toBe(400);
    // Import: a preview, then the same CSV confirmed; errors with their lines.
    const csv = 'id,name,email\ncb-api,Chi bộ API,api@example.org\ncb-api2,Chi bộ API 2,api2@example.org\n';
    const preview = (await (await api('/api/units/import', { csv })).json()) as {
      applied: boolean;
      created: number;
    };
    expect(preview).toMatchObject({ applied: false, created: 1, unchanged: 1 });
    expect(await stack.deps.plans.getUnit('cb-api2')).toBeUndefined();
    const applied = (await (await api('/api/units/import', { csv, confirm: true })).json()) as {
      applied: boolean;
    };
    expect(applied).toMatchObject({ applied: true, created: 1 });
    const badImport = await api('/api/units/import', {
      csv: 'id,name,email\ncb-z,Z,z@\ncb-z,Z,z@example.org\n',
      confirm: true,
    });
    expect(badImport.status).toBe(400);
    expect(((await badImport.json()) as { error: { lines: unknown[] } }).error.lines).toEqual([
      { line: 2, message: 'email không hợp lệ: "z@"' },
      { line: 3, message: 'trùng mã đơn vị với dòng 2 ("cb-z")' },
    ]);
    const xlsx = await workbook([
      ['id', 'name', 'email'],
      ['cb-x', 'Chi bộ X', 'x@example.org'],
    ]);
    const multipartPreview = await multipart(
      '/api/units/import',
      {},
      { bytes: xlsx, name: 'x.xlsx' },
      'header',
    );
    expect((await multipartPreview.json()) as { format: string; created: number }).toMatchObject({
      format: 'xlsx',
      created: 1,
    });
    expect(await stack.deps.plans.getUnit('cb-x')).toBeUndefined();
    // Edit, retire, reinstate.
    expect((await api('/api/units/cb-api/edit', { note: 'Ghi chú' })).status).toBe(200);
    const retired = (await (
      await api('/api/units/cb-api/retire', { from: '2026-12-31', reason: 'giai-the' })
    ).json()) as {
      unit: { retired: { from: string; reason: string } };
    };
    expect(retired.unit.retired).toMatchObject({ from: '2026-12-31', reason: 'dissolved' });
    expect((await api('/api/units/cb-api/reinstate', {})).status).toBe(200);
    expect((await api('/api/units/cb-api/reinstate', {})).status).toBe(409);
    expect((await api('/api/units/khong-co/retire', { reason: 'khac' })).status).toBe(404);
    // Recipients: read, preview, confirm back to every active unit.
    const recipients = (await (await api(`/api/plans/${PLAN}/recipients`)).json()) as {
      recipientUnitIds: string[];
    };
    expect(recipients.recipientUnitIds).toEqual(['cb-a', 'cb-moi']);
    const all = (await (await api(`/api/plans/${PLAN}/recipients`, { unitIds: null })).json()) as {
      applied: boolean;
      periods: { joining: { unitId: string }[] }[];
    };
    expect(all.applied).toBe(false);
    expect(all.periods[0]?.joining.map((u) => u.unitId)).toEqual([
      'cb-api',
      'cb-api2',
      'cb-b',
      'cb-vp',
      'cd',
    ]);
    expect((await stack.deps.plans.getPlan(PLAN))?.recipientUnitIds).toEqual(['cb-a', 'cb-moi']);
  });
});
