import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDate } from '#shared/domain/calendar.ts';
import { exposeToCli, runCli } from '#test/support/cli.ts';
import { startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { clearEmails, storedEmails } from '#test/support/mail.ts';
import { zipEntries } from '#test/support/zip.ts';
import { docxBomb } from '#test/unit/files/zip-builders.ts';

/** The CLI runs on the real clock: the period is opened around today. */
const TODAY = localDate(new Date(), 'Asia/Ho_Chi_Minh');
const YEAR = TODAY.slice(0, 4);
const DEADLINE = addDays(TODAY, 20);

const DEMO_PLAN = new URL('../../local/demo/ke-hoach-12-KH-DUS.txt', import.meta.url).pathname;
const DEMO_UNITS = new URL('../../local/demo/units.csv', import.meta.url).pathname;

describe('baocao CLI against a running local stack', () => {
  let stack: TestStack;
  let files: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    stack = await startTestStack();
    env = await exposeToCli(stack);
    files = await mkdtemp(join(tmpdir(), 'baocao-cli-'));
  });
  afterAll(async () => {
    await stack.stop();
    await rm(files, { recursive: true, force: true });
  });

  it('imports units and reports the counts as JSON', async () => {
    const r = await runCli(['units', 'import', DEMO_UNITS, '--json'], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.json()).toEqual({ total: 10, created: 10, updated: 0, unchanged: 0, assignmentsUpdated: 0 });
  });

  it('refuses a CSV with a bad row in the middle, naming the line, and leaves the units as they were', async () => {
    // Prepare
    const csv = join(files, 'bad.csv');
    const good = (await readFile(DEMO_UNITS, 'utf8')).trim().split('\n');
    await writeFile(csv, [...good.slice(0, 4), 'cb-moi,,x@example.org,', ...good.slice(4)].join('\n'));
    // Act
    const r = await runCli(['units', 'import', csv, '--json'], env);
    // Assess
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    // The user's file is described in the user's language.
    expect(r.stderr).toMatch(
      /^baocao: Tệp CSV không hợp lệ, chưa nhập dữ liệu nào: dòng 5: thiếu tên đơn vị\n$/,
    );
    expect((r.json() as { error: { code: string } }).error.code).toBe('CSV_INVALID');
    expect((await stack.deps.plans.listUnits()).length).toBe(10);
    expect(await stack.deps.plans.getUnit('cb-moi')).toBeUndefined();
  });

  it('imports a plan and prints its id, then shows it', async () => {
    const imported = await runCli(['plan', 'import', DEMO_PLAN, '--json'], env);
    expect(imported.code).toBe(0);
    const { id, plan } = imported.json() as {
      id: string;
      plan: { number: string; reportingFrequency: string };
    };
    expect(id).toBe('12-kh-dus-2025');
    expect(plan).toMatchObject({ number: '12-KH/ĐUS', reportingFrequency: 'yearly' });

    const human = await runCli(['plan', 'import', DEMO_PLAN], env);
    expect(human.stdout.split('\n')[0]).toBe('12-kh-dus-2025');

    const shown = await runCli(['plan', 'show', id, '--json'], env);
    expect(shown.code).toBe(0);
    expect((shown.json() as { taskGroups: unknown[] }).taskGroups).toHaveLength(4);
  });

  it.each([
    ['an empty file', ''],
    ['a binary file', '\u0000\u0001PNG\u0000'],
  ])('refuses %s as a plan with a one-line error', async (_name, content) => {
    const file = join(files, 'bad.txt');
    await writeFile(file, content);
    const r = await runCli(['plan', 'import', file], env);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toBe('');
  });

  it('refuses a file that does not exist', async () => {
    const r = await runCli(['plan', 'import', join(files, 'missing.txt')], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no such file/);
  });

  it('refuses a ZIP bomb named .docx in one Vietnamese line, and stores no plan', async () => {
    // Prepare: 300 MiB of zeros as word/document.xml, in a ~300 KB file.
    const bomb = join(files, 'bomb.docx');
    await writeFile(bomb, await docxBomb(300));
    const plansBefore = await stack.deps.plans.listPlans();
    // Act
    const r = await runCli(['plan', 'import', bomb], env);
    // Assess
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^baocao: Tệp .*bomb\.docx không hợp lệ hoặc quá lớn khi giải nén \(/);
    expect(await stack.deps.plans.listPlans()).toEqual(plansBefore);
  });

  it('refuses a 50 MB one-cell CSV in one Vietnamese line, and leaves the units as they were', async () => {
    // Prepare: written 1 MiB at a time.
    const csv = join(files, 'big.csv');
    const out = createWriteStream(csv);
    out.write('id,name,email\ncb-to,"');
    const mib = Buffer.alloc(1024 * 1024, 'x');
    for (let i = 0; i < 50; i++) if (!out.write(mib)) await once(out, 'drain');
    out.end('",to@example.vn\n');
    await once(out, 'finish');
    const unitsBefore = await stack.deps.plans.listUnits();
    // Act
    const r = await runCli(['units', 'import', csv, '--json'], env);
    // Assess
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^baocao: Tệp .*big\.csv lớn quá \(50 MB\); giới hạn cho danh sách đơn vị \(CSV\) là 2 MB\.\n$/,
    );
    expect((r.json() as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await stack.deps.plans.listUnits()).toEqual(unitsBefore);
    expect(await stack.deps.plans.getUnit('cb-to')).toBeUndefined();
  });

  it('opens a period and shows every unit missing', async () => {
    const opened = await runCli(
      ['period', 'open', '12-kh-dus-2025', YEAR, '--deadline', DEADLINE, '--json'],
      env,
    );
    expect(opened.code).toBe(0);
    expect(opened.json()).toMatchObject({
      created: true,
      units: 10,
      linksEmailed: 10,
      period: { deadline: DEADLINE },
    });
    const mails = await storedEmails(stack.mailUrl);
    expect(
      mails
        .filter((m) => m.subject.includes('Mở kỳ báo cáo'))
        .map((m) => m.destination.to[0])
        .sort(),
    ).toHaveLength(10);

    const status = await runCli(['status', '12-kh-dus-2025', YEAR, '--json'], env);
    const body = status.json() as { expected: number; units: { status: string }[] };
    expect(body.expected).toBe(10);
    expect(body.units.every((u) => u.status === 'missing')).toBe(true);
  });

  it.each([
    [['period', 'open', '12-kh-dus-2025', 'năm-nay'], /four-digit year/],
    [['period', 'open', '12-kh-dus-2025', YEAR, '--deadline', '31/12/2026'], /YYYY-MM-DD|date/i],
    [['status', 'no-such-plan', '2026'], /not found/i],
    [['plan', 'show', 'no-such-plan', '--json'], /not found/i],
  ])('exits non-zero on bad input: %j', async (args, message) => {
    const r = await runCli(args, env);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(message);
  });

  it('prints a unit’s link, re-sends it by e-mail, and revokes it for a new one', async () => {
    // Prepare
    await clearEmails(stack.mailUrl);
    // Act
    const printed = await runCli(['link', '12-kh-dus-2025', YEAR, 'cb-van-phong', '--json'], env);
    const resent = await runCli(['link', '12-kh-dus-2025', YEAR, 'cb-van-phong', '--resend', '--json'], env);
    const revoked = await runCli(
      ['link', '12-kh-dus-2025', YEAR, 'cb-van-phong', '--revoke', '--resend', '--json'],
      env,
    );
    // Assess
    const first = printed.json() as { url: string };
    expect(first.url).toMatch(new RegExp(`^${stack.appUrl}/u/[A-Za-z0-9._-]+$`));
    expect((resent.json() as { url: string }).url).toBe(first.url);
    const fresh = revoked.json() as { url: string; revoked: boolean };
    expect(fresh.revoked).toBe(true);
    expect(fresh.url).not.toBe(first.url);
    expect((await fetch(first.url)).status).toBe(410);
    expect((await fetch(fresh.url)).status).toBe(200);
    const mails = (await storedEmails(stack.mailUrl)).filter(
      (m) => m.destination.to[0] === 'cb.vanphong@demo.baocao.example',
    );
    expect(mails.map((m) => m.body.text?.includes(first.url))).toEqual([true, false]);
    expect(mails[1]?.body.text).toContain(fresh.url);
  });

  it.each([
    [['link', '12-kh-dus-2025', YEAR, 'khong-co-don-vi']],
    [['link', 'khong-co-ke-hoach', YEAR, 'cb-van-phong']],
  ])('refuses a link for an unknown unit or plan: %j', async (args) => {
    const r = await runCli([...args, '--json'], env);
    expect(r.code).toBe(1);
    expect((r.json() as { error: { code: string } }).error.code).toBe('NOT_FOUND');
  });

  it('saves the consolidated results ZIP with one summary row per expected unit', async () => {
    // Act
    const file = join(files, 'tong-hop.zip');
    const r = await runCli(['export', '12-kh-dus-2025', YEAR, '--out', file, '--json'], env);
    // Assess
    expect(r.stderr).toBe('');
    expect(r.json()).toMatchObject({ file, units: 10, files: 0 });
    const entries = await zipEntries(file);
    expect(Object.keys(entries).sort()).toEqual(['bao-cao-tong-hop.docx', 'summary.csv', 'tong-hop.xlsx']);
    const rows = entries['summary.csv']!.toString('utf8').trim().split('\n');
    expect(rows[0]).toBe('unit_id,unit_name,status,deadline,submitted_at,files,bytes,sha256');
    // Names may hold quoted commas ("Chi bộ Báo chí, Xuất bản"): read the status after the name.
    expect(rows.slice(1).map((row) => row.match(/,(on_time|late|missing),/)?.[1])).toEqual(
      Array(10).fill('missing'),
    );
  });

  it('refuses to export a period that does not exist, and writes no file', async () => {
    const file = join(files, 'khong-co.zip');
    const r = await runCli(['export', '12-kh-dus-2025', '2031', '--out', file], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/No period 2031/);
    await expect(readFile(file)).rejects.toThrow(/ENOENT/);
  });

  it('says in one line why a deployed stage cannot be reached, and changes nothing', async () => {
    const r = await runCli(['status', '12-kh-dus-2025', YEAR, '--stage', 'khong-co'], {
      ...env,
      AWS_REGION: 'ap-southeast-1',
      AWS_ACCESS_KEY_ID: 'none',
      AWS_SECRET_ACCESS_KEY: 'none',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ENDPOINT_URL_CLOUDFORMATION: 'http://127.0.0.1:9',
      AWS_MAX_ATTEMPTS: '1',
    });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/Cannot read stack Baocao-khong-co-Service/);
  });

  it('tells the user to start the stack when none is running', async () => {
    const r = await runCli(['status', '12-kh-dus-2025', '2026'], { BAOCAO_DATA_DIR: files });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/npm start/);
  });
});
