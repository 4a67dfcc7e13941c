import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, formatDateVi, localDate } from '#shared/domain/calendar.ts';
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
    expect(human.stdout.split('\n').slice(0, 3)).toEqual([
      '12-kh-dus-2025',
      expect.stringMatching(/^Đã cập nhật kế hoạch số 12-KH\/ĐUS: \S/),
      expect.stringMatching(/^ {2}4 nhóm nhiệm vụ, \d+ nơi nhận, báo cáo hằng năm$/),
    ]);

    const shown = await runCli(['plan', 'show', id, '--json'], env);
    expect(shown.code).toBe(0);
    expect((shown.json() as { taskGroups: unknown[] }).taskGroups).toHaveLength(4);
    const shownText = await runCli(['plan', 'show', id], env);
    expect(shownText.stdout).toMatch(/^12-kh-dus-2025 {2}Kế hoạch số 12-KH\/ĐUS ngày \d\d\/\d\d\/\d{4} — /);
    expect(shownText.stdout).toMatch(/\n {2}nơi nhận: \S/);
    expect(shownText.stdout).toMatch(
      /\n {2}báo cáo: hằng năm, hạn nộp 15\/12 hằng năm \(múi giờ Asia\/Ho_Chi_Minh\)\n$/,
    );
  });

  it.each([
    ['an empty file', '', /^baocao: Tài liệu trống: tệp .*bad\.txt không có nội dung\n$/],
    [
      'a binary file',
      '\u0000\u0001PNG\u0000',
      /^baocao: Tệp .*bad\.txt không phải là văn bản UTF-8 hợp lệ; /,
    ],
  ])('refuses %s as a plan with a one-line Vietnamese error', async (_name, content, message) => {
    const file = join(files, 'bad.txt');
    await writeFile(file, content);
    const r = await runCli(['plan', 'import', file], env);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('refuses a file that does not exist', async () => {
    const r = await runCli(['plan', 'import', join(files, 'missing.txt')], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^baocao: Không đọc được tệp .*missing\.txt: không có tệp này\.\n$/);
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

  it('tells in Vietnamese a period already open, and each unit by name with the rates', async () => {
    // Act
    const again = await runCli(['period', 'open', '12-kh-dus-2025', YEAR, '--deadline', DEADLINE], env);
    const status = await runCli(['status', '12-kh-dus-2025', YEAR], env);
    // Assess
    expect(again.stderr).toBe('');
    expect(again.stdout).toBe(
      `Đã mở từ trước: kỳ báo cáo năm ${YEAR} của kế hoạch 12-kh-dus-2025, hạn nộp ${formatDateVi(DEADLINE)}; ` +
        '10 đơn vị (0 đơn vị mới thêm); đã gửi 0 liên kết qua e-mail\n',
    );
    const lines = status.stdout.trimEnd().split('\n');
    expect(lines.slice(0, 3)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Kế hoạch số 12-KH/ĐUS — kỳ báo cáo năm ${YEAR} \\(đang mở\\), hạn nộp ${formatDateVi(DEADLINE)}, nhận báo cáo đến hết \\d\\d/\\d\\d/\\d{4}$`,
        ),
      ),
      '  Đã nộp: 0/10 đơn vị, trong đó đúng hạn: 0',
      '  Tỷ lệ đầy đủ: 0,0% · Tỷ lệ đúng hạn: 0,0%',
    ]);
    expect(lines).toContain('  Chi bộ Văn phòng (cb-van-phong): Chưa nộp');
    expect(lines).toContain('  Chi bộ Báo chí, Xuất bản (cb-bao-chi-xuat-ban): Chưa nộp');
    expect(lines).toHaveLength(13);
  });

  it.each([
    [
      ['period', 'open', '12-kh-dus-2025', 'năm-nay'],
      /^baocao: Năm phải gồm 4 chữ số, ví dụ 2026; nhận được "năm-nay"\.\n$/,
    ],
    [
      ['period', 'open', '12-kh-dus-2025', YEAR, '--deadline', '31/12/2026'],
      /^baocao: Ngày không hợp lệ: "31\/12\/2026" \(cần ngày có thật, dạng YYYY-MM-DD/,
    ],
    [['status', 'no-such-plan', '2026'], /^baocao: Không tìm thấy kế hoạch "no-such-plan"\.\n$/],
    [['plan', 'show', 'no-such-plan', '--json'], /^baocao: Không tìm thấy kế hoạch "no-such-plan"\.\n$/],
    [
      ['export', '12-kh-dus-2025', YEAR, '--out', 'tong-hop.txt'],
      /^baocao: --out phải là tên một tệp \.zip, nhận được "tong-hop\.txt"\n$/,
    ],
  ])('exits non-zero on bad input with one Vietnamese line: %j', async (args, message) => {
    const r = await runCli(args, env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
  });

  it.each([
    [['period', 'open', '12-kh-dus-2025'], 'thiếu tham số bắt buộc <năm>', 'baocao period open'],
    [['plan', 'import', '--bogus', 'x.txt'], 'không có tùy chọn --bogus', 'baocao plan import'],
    [['satus', '12-kh-dus-2025'], 'không có lệnh "satus" (có phải ý bạn là status?)', 'baocao'],
    [
      ['status', 'a', '2026', 'b'],
      'thừa tham số: lệnh status nhận 2 tham số nhưng được đưa 3',
      'baocao status',
    ],
    [
      ['period', 'extend', '12-kh-dus-2025', YEAR, 'cb-thanh-tra'],
      'thiếu tùy chọn bắt buộc --until <YYYY-MM-DD>',
      'baocao period extend',
    ],
    [['tick', '--at'], 'tùy chọn --at <thời-điểm> cần có giá trị', 'baocao tick'],
  ])(
    'tells a usage mistake %j in one Vietnamese line with where to read the help',
    async (args, message, command) => {
      const r = await runCli(args, env);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`baocao: ${message} — xem hướng dẫn: ${command} --help\n`);
    },
  );

  it('gives its help in Vietnamese, for the program and for each command', async () => {
    // Act
    const top = await runCli(['--help'], env);
    const status = await runCli(['help', 'status'], env);
    const extend = await runCli(['period', 'extend', '--help'], env);
    // Assess
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/^Cách dùng: baocao \[tùy chọn\] \[lệnh\]\n/);
    expect(top.stdout).toMatch(/\nTùy chọn:\n {2}--json +in kết quả dạng JSON/);
    expect(top.stdout).toMatch(/\nLệnh:\n {2}plan +kế hoạch/);
    expect(top.stdout).toMatch(/\n {2}help \[lệnh\] +xem hướng dẫn của một lệnh\n/);
    expect(status.stdout).toMatch(/^Cách dùng: baocao status \[tùy chọn\] <kế-hoạch> <năm>\n/);
    expect(status.stdout).toMatch(/\nTham số:\n {2}kế-hoạch +mã kế hoạch\n/);
    expect(status.stdout).toMatch(/\nTùy chọn chung:\n {2}--json/);
    expect(extend.stdout).toMatch(/--until <YYYY-MM-DD> +hạn nộp mới của đơn vị/);
    // No heading, placeholder or help text of commander's left in English.
    for (const text of [top.stdout, status.stdout, extend.stdout]) {
      expect(text).not.toMatch(/Usage:|Options:|Commands:|Arguments:|\[options\]|\[command\]|display help/);
    }
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
    const text = await runCli(['link', '12-kh-dus-2025', YEAR, 'cb-van-phong'], env);
    expect(text.stdout).toMatch(
      new RegExp(
        `^${fresh.url.replaceAll('.', '\\.')}\\n {2}dùng được đến \\d\\d/\\d\\d/\\d{4} \\d\\d:\\d\\d\\n$`,
      ),
    );
    expect((await fetch(first.url)).status).toBe(410);
    expect((await fetch(fresh.url)).status).toBe(200);
    const mails = (await storedEmails(stack.mailUrl)).filter(
      (m) => m.destination.to[0] === 'cb.vanphong@demo.baocao.example',
    );
    expect(mails.map((m) => m.body.text?.includes(first.url))).toEqual([true, false]);
    expect(mails[1]?.body.text).toContain(fresh.url);
  });

  it.each([
    [
      ['link', '12-kh-dus-2025', YEAR, 'khong-co-don-vi'],
      `Đơn vị "khong-co-don-vi" không thuộc kỳ báo cáo năm ${YEAR} của kế hoạch "12-kh-dus-2025".`,
    ],
    [
      ['link', 'khong-co-ke-hoach', YEAR, 'cb-van-phong'],
      `Kế hoạch "khong-co-ke-hoach" chưa có kỳ báo cáo năm ${YEAR}.`,
    ],
  ])('refuses a link for an unknown unit or plan: %j', async (args, message) => {
    const r = await runCli([...args, '--json'], env);
    expect(r.code).toBe(1);
    expect((r.json() as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    expect(r.stderr).toBe(`baocao: ${message}\n`);
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
    const csv = entries['summary.csv']!.toString('utf8');
    // A UTF-8 BOM first (DESIGN §4); String.prototype.trim would remove it, so look before.
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const rows = csv.slice(1).trim().split('\n');
    // The header's contract is its start (DESIGN §4): new columns are only appended.
    expect(rows[0]).toMatch(/^unit_id,unit_name,status,deadline,submitted_at,files,bytes,sha256(,|$)/);
    // Names may hold quoted commas ("Chi bộ Báo chí, Xuất bản"): read the status after the name.
    expect(rows.slice(1).map((row) => row.match(/,(on_time|late|missing),/)?.[1])).toEqual(
      Array(10).fill('missing'),
    );
    const text = await runCli(['export', '12-kh-dus-2025', YEAR, '--out', join(files, 'lan-hai.zip')], env);
    expect(text.stdout).toMatch(/^\/.*lan-hai\.zip\n {2}10 đơn vị, 0 tệp, \d+(,\d)? (KB|byte)\n$/);
  });

  it('refuses to export a period that does not exist, and writes no file', async () => {
    const file = join(files, 'khong-co.zip');
    const r = await runCli(['export', '12-kh-dus-2025', '2031', '--out', file], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('baocao: Kế hoạch "12-kh-dus-2025" chưa có kỳ báo cáo năm 2031.\n');
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
    expect(r.stderr).toMatch(/^baocao: Không đọc được hệ thống Baocao-khong-co-Service trên AWS /);
  });

  it('tells the user to start the stack when none is running', async () => {
    const r = await runCli(['status', '12-kh-dus-2025', '2026'], { BAOCAO_DATA_DIR: files });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'baocao: Chưa chạy hệ thống cục bộ: hãy chạy `npm start` trong thư mục dự án (hoặc thêm --stage TÊN).\n',
    );
  });
});
