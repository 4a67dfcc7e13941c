/**
 * The period page and a unit's page in a period, signed in, over the emulators: filters, the
 * chart, no DynamoDB request per unit, the unit's notes and files, the revocation behind its
 * confirmation, and the extension e-mailed with the new deadline.
 */
import { readFile } from 'node:fs/promises';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submissionKeys } from '#shared/adapters/dynamodb/submission-store.ts';
import { addDays, formatDateVi, localDate } from '#shared/domain/calendar.ts';
import { openPeriod } from '#shared/periods/periods.ts';
import { importPlan } from '#shared/plans/plans.ts';
import { importUnits } from '#shared/units/units.ts';
import { startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { clearEmails, storedEmails } from '#test/support/mail.ts';
import { signIn } from '#test/support/sign-in.ts';
import { eventually, uploadAsUnit } from '#test/support/uploads.ts';

const DEMO_PLAN = new URL('../../local/demo/ke-hoach-12-KH-DUS.txt', import.meta.url);
const PLAN = '12-kh-dus-2025';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
const UNITS = ['cb-a', 'cb-b', 'cb-c'];

/** Counts the DynamoDB requests a client sends while `on`, and those whose key names a unit. */
class RequestCounter {
  on = false;
  readonly commands: string[] = [];
  readonly naming: string[] = [];

  constructor(stack: TestStack) {
    stack.runtime.dynamo.middlewareStack.add(
      (next, context) => async (args) => {
        if (this.on) {
          const command = String(context.commandName ?? '').replace(/Command$/, '');
          this.commands.push(command);
          const input = args.input as { Key?: unknown; Item?: unknown; ExpressionAttributeValues?: unknown };
          const text = JSON.stringify([input.Key, input.Item, input.ExpressionAttributeValues]);
          if (UNITS.some((u) => text.includes(u))) this.naming.push(`${command} ${text}`);
        }
        return next(args);
      },
      { step: 'initialize', name: 'periodPageRequestCounter' },
    );
  }
}

describe('the period page and a unit’s page (signed in, against the emulators)', () => {
  let stack: TestStack;
  let session: { cookie: string; csrf: string };
  let year: number;
  let deadline: string;
  let period: string;
  let counter: RequestCounter;

  const get = (path: string) =>
    fetch(`${stack.appUrl}${path}`, { redirect: 'manual', headers: { Cookie: session.cookie } });
  const postForm = (path: string, fields: Record<string, string>, csrf: string | null = session.csrf) =>
    fetch(`${stack.appUrl}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        Cookie: session.cookie,
        Origin: stack.appUrl,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ ...(csrf === null ? {} : { csrf }), ...fields }),
    });
  const assignment = (unitId: string) => stack.deps.submissions.getAssignment(PLAN, year, unitId);
  const unitIdsOn = (html: string) => [...html.matchAll(/<tr data-unit-id="([^"]+)"/g)].map((m) => m[1]);

  beforeAll(async () => {
    stack = await startTestStack();
    const today = localDate(new Date(), stack.config.TIME_ZONE);
    deadline = addDays(today, 10);
    year = Number(today.slice(0, 4));
    await importUnits(
      stack.deps,
      'id,name,email\ncb-a,Chi bộ A,a@example.org\ncb-b,Chi bộ B,b@example.org\ncb-c,Chi bộ C,c@example.org\n',
    );
    await importPlan(stack.deps, await readFile(DEMO_PLAN), 'ke-hoach.txt');
    await openPeriod(stack.deps, { planId: PLAN, year, deadline });
    session = await signIn(stack, 'vanphong@demo.baocao.example');
    period = `/admin/plans/${PLAN}/${year}`;
    // cb-a reports on time with a note for task group 1; cb-c's address bounced.
    await uploadAsUnit(
      stack.runtime,
      PLAN,
      year,
      'cb-a',
      { name: 'Báo cáo năm.pdf', type: 'application/pdf', bytes: PDF },
      { '1': 'Đã số hóa 120 hồ sơ của chi bộ.' },
    );
    await eventually(async () => ((await assignment('cb-a'))?.latestVersion ? true : undefined));
    await stack.runtime.dynamo.send(
      new UpdateCommand({
        TableName: stack.config.SUBMISSIONS_TABLE,
        Key: submissionKeys.assignment(PLAN, year, 'cb-c'),
        UpdateExpression: 'SET mailProblem = :p',
        ExpressionAttributeValues: {
          ':p': {
            at: new Date().toISOString(),
            problem: 'Thư bị trả lại (địa chỉ không tồn tại): c@example.org',
          },
        },
      }),
    );
    counter = new RequestCounter(stack);
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('filters the units by status with counts, marking the current filter, and draws the chart', async () => {
    const all = await (await get(period)).text();
    const missing = await (await get(`${period}?loc=missing`)).text();
    const mail = await (await get(`${period}?loc=mail-error`)).text();
    const onTime = await (await get(`${period}?loc=on-time`)).text();

    expect(unitIdsOn(all)).toEqual(['cb-a', 'cb-b', 'cb-c']);
    expect(unitIdsOn(missing)).toEqual(['cb-b', 'cb-c']);
    expect(unitIdsOn(mail)).toEqual(['cb-c']);
    expect(unitIdsOn(onTime)).toEqual(['cb-a']);
    expect(missing).toMatch(
      /aria-current="page" data-filter="missing">Chưa nộp <span class="count">\(2\)<\/span>/,
    );
    expect(all).toMatch(/aria-current="page" data-filter="all">Tất cả <span class="count">\(3\)<\/span>/);
    expect(all).toContain('data-filter="mail-error">Có lỗi e-mail <span class="count">(1)</span>');
    expect(all).toContain('<svg role="img" aria-labelledby="chart-title"');
    expect(all).toContain('Đúng hạn: 1</text>');
    expect(all).toContain(
      `1/3 đơn vị đã nộp (1 đúng hạn, 0 trễ hạn), 2 đơn vị chưa nộp. Hạn nộp ${formatDateVi(deadline)}.`,
    );
  });

  it('answers the same filter as JSON, with the counts', async () => {
    const res = await get(`/api/plans/${PLAN}/periods/${year}?loc=missing`);
    const body = (await res.json()) as { rows: { unitId: string }[]; filter: string; filterCounts: unknown };

    expect(res.status).toBe(200);
    expect(body.rows.map((r) => r.unitId)).toEqual(['cb-b', 'cb-c']);
    expect(body.filter).toBe('missing');
    expect(body.filterCounts).toEqual({ missing: 2, late: 0, 'on-time': 1, 'mail-error': 1, all: 3 });
  });

  it('shows every unit for a hostile filter, and escapes it', async () => {
    const res = await get(`${period}?loc=%3Cscript%3Ealert(1)%3C/script%3E&done=%3Cb%3E`);
    const html = await res.text();

    expect(res.status).toBe(200);
    expect(unitIdsOn(html)).toEqual(['cb-a', 'cb-b', 'cb-c']);
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<b>');
  });

  it('renders the period from the period, its plan and paged Queries alone: no request names a unit', async () => {
    counter.commands.length = 0;
    counter.naming.length = 0;
    counter.on = true;
    const res = await get(`${period}?loc=all`);
    await res.text();
    counter.on = false;

    expect(res.status).toBe(200);
    expect(counter.naming).toEqual([]);
    expect(new Set(counter.commands)).toEqual(new Set(['GetItem', 'Query']));
    // The session, the plan, the period; the assignments and the exports (one page each here).
    // Which units are committees comes with their assignments, and this committee's parent with
    // its deps (docs/tenancy.md): nothing more is read for the tree.
    expect(counter.commands.length).toBeLessThanOrEqual(6);
  });

  it('shows a unit’s page: status, notes under the task-group titles, files and versions', async () => {
    const res = await get(`${period}/units/cb-a`);
    const html = await res.text();

    expect(res.status).toBe(200);
    expect(html).toContain('<h1>Chi bộ A</h1>');
    expect(html).toMatch(
      /<h3>1\. Số hóa hồ sơ, văn bản và sổ sách của chi bộ[^<]*<\/h3><p class="note">Đã số hóa 120 hồ sơ của chi bộ\.<\/p>/,
    );
    expect(html).toMatch(
      /<a href="\/admin\/plans\/12-kh-dus-2025\/\d{4}\/units\/cb-a\/files\/1-[^"]+">Báo cáo năm\.pdf<\/a>/,
    );
    expect(html).toContain('data-version="1" data-counted');
    expect(html).toContain('data-status="on_time">Đúng hạn');

    const json = (await (await get(`/api/plans/${PLAN}/periods/${year}/units/cb-a`)).json()) as {
      notes: { number: string; text: string }[];
      files: { fileName: string }[];
    };
    expect(json.notes[0]).toMatchObject({ number: '1', text: 'Đã số hóa 120 hồ sơ của chi bộ.' });
    expect(json.files.map((f) => f.fileName)).toEqual(['Báo cáo năm.pdf']);
    expect((await get(`${period}/units/khong-co`)).status).toBe(404);
    expect((await get(`/api/plans/${PLAN}/periods/${year}/units/%3Cscript%3E`)).status).toBe(404);
  });

  it('asks before revoking, then revokes and tells the unit its old link no longer works', async () => {
    await clearEmails(stack.mailUrl);
    const confirm = await get(`${period}/units/cb-b/revoke?from=period&loc=missing`);
    const html = await confirm.text();
    expect(confirm.status).toBe(200);
    expect(html).toContain('<h1>Thu hồi liên kết của Chi bộ B?</h1>');
    expect(html).toContain(`action="${period}/units/cb-b/revoke"`);
    // Looking at the confirmation changes nothing.
    expect((await assignment('cb-b'))?.linkVersion).toBe(1);

    // Without the token: refused, nothing changed.
    const forged = await postForm(`${period}/units/cb-b/revoke`, { from: 'period', loc: 'missing' }, null);
    expect(forged.status).toBe(403);
    expect((await assignment('cb-b'))?.linkVersion).toBe(1);

    const res = await postForm(`${period}/units/cb-b/revoke`, { from: 'period', loc: 'missing' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${period}?loc=missing&done=revoked#don-vi`);
    expect((await assignment('cb-b'))?.linkVersion).toBe(2);
    await stack.mailQueue.drain();
    const mails = await storedEmails(stack.mailUrl);
    expect(mails.map((m) => [m.destination.to[0], m.subject])).toEqual([
      ['b@example.org', `[12-KH/ĐUS] Liên kết mới nộp báo cáo năm ${year} — liên kết cũ không còn dùng được`],
    ]);
    expect(mails[0]!.body.text).toContain('liên kết cũ không còn dùng được nữa');
  });

  it('returns an action to the period, never elsewhere, whatever the form says', async () => {
    const res = await postForm(`${period}/units/cb-b/resend`, {
      from: 'https://evil.example/',
      loc: '//evil',
    });

    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${period}?done=resent#don-vi`);
    await stack.mailQueue.drain();
  });

  it('grants an extension typed dd/mm/yyyy and e-mails the unit its new deadline', async () => {
    await clearEmails(stack.mailUrl);
    const until = addDays(deadline, 5);

    const res = await postForm(`${period}/units/cb-c/extension`, {
      until: formatDateVi(until),
      from: 'unit',
    });

    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${period}/units/cb-c?done=extended`);
    expect((await assignment('cb-c'))?.extendedDeadline).toBe(until);
    await stack.mailQueue.drain();
    const mails = await storedEmails(stack.mailUrl);
    expect(mails.map((m) => [m.destination.to[0], m.subject])).toEqual([
      ['c@example.org', `[12-KH/ĐUS] Gia hạn nộp báo cáo năm ${year} — hạn mới ${formatDateVi(until)}`],
    ]);
    expect(mails[0]!.body.text).toContain(`Hạn nộp mới: ${formatDateVi(until)}`);
    expect(mails[0]!.body.text).toMatch(/\/u\/\S+/);
    const page = await (await get(`${period}/units/cb-c?done=extended`)).text();
    expect(page).toContain('Đã đổi hạn nộp của đơn vị và gửi e-mail báo hạn nộp mới cho đơn vị.');
  });

  it.each([
    ['a day that does not exist', '31/02/2026'],
    ['a formula', '=NOW()+7'],
    ['an oversized value', '9'.repeat(50_000)],
    ['nothing', ''],
  ])('shows the unit’s page again for %s, with the message and nothing changed', async (_name, until) => {
    await clearEmails(stack.mailUrl);
    const before = (await assignment('cb-b'))?.extendedDeadline;

    const res = await postForm(`${period}/units/cb-b/extension`, { until, from: 'unit' });
    const html = await res.text();

    expect(res.status).toBe(400);
    expect(html).toContain('role="alert">Ngày');
    expect(html).toContain('aria-invalid="true"');
    expect(html).toContain('<h1>Chi bộ B</h1>');
    expect((await assignment('cb-b'))?.extendedDeadline).toBe(before);
    await stack.mailQueue.drain();
    expect(await storedEmails(stack.mailUrl)).toEqual([]);
  });
});
