import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { commanderMessageVi, speakVietnamese } from '#cli/commander-vi.ts';

/** A program shaped like `baocao`, its output captured, localized as cli/main.ts does. */
function program(): { cli: Command; err: string[]; out: string[] } {
  const err: string[] = [];
  const out: string[] = [];
  const cli = new Command('baocao')
    .option('--json', 'JSON')
    .configureOutput({ writeErr: (s) => err.push(s), writeOut: (s) => out.push(s) })
    .exitOverride();
  const member = cli.command('member').description('thành viên');
  member
    .command('add')
    .argument('<email>', 'địa chỉ e-mail')
    .addOption(new Option('--role <vai-trò>', 'vai trò').choices(['admin', 'viewer']).default('viewer'))
    .option('--all', 'tất cả')
    .addOption(new Option('--units <danh-sách>', 'đơn vị').conflicts('all'))
    .action(() => {});
  cli
    .command('status')
    .description('tình trạng')
    .argument('<kế-hoạch>', 'mã kế hoạch')
    .argument('<năm>', 'năm báo cáo', (value: string) => {
      if (!/^\d{4}$/.test(value)) throw new InvalidArgumentError('Cần 4 chữ số.');
      return value;
    })
    .requiredOption('--until <YYYY-MM-DD>', 'hạn mới')
    .action(() => {});
  speakVietnamese(cli);
  return { cli, err, out };
}

/** Parses `args`; returns what was written to stderr (commander throws on exitOverride). */
async function usageError(args: string[]): Promise<string> {
  const { cli, err } = program();
  await expect(cli.parseAsync(args, { from: 'user' })).rejects.toBeInstanceOf(CommanderError);
  return err.join('');
}

describe('commander in Vietnamese', () => {
  it.each([
    [['status', 'kh', '--until', '2026-12-20'], 'thiếu tham số bắt buộc <năm>', 'baocao status'],
    [
      ['status', 'kh', '2026', 'x', '--until', '2026-12-20'],
      'thừa tham số: lệnh status nhận 2 tham số nhưng được đưa 3',
      'baocao status',
    ],
    [['status', 'kh', '2026'], 'thiếu tùy chọn bắt buộc --until <YYYY-MM-DD>', 'baocao status'],
    [['status', 'kh', '2026', '--until'], 'tùy chọn --until <YYYY-MM-DD> cần có giá trị', 'baocao status'],
    [['status', '--until', '2026-12-20', '--bogus'], 'không có tùy chọn --bogus', 'baocao status'],
    [
      ['status', '--until', '2026-12-20', '--jsn', 'kh', '2026'],
      'không có tùy chọn --jsn (có phải ý bạn là --json?)',
      'baocao status',
    ],
    [['stats'], 'không có lệnh "stats" (có phải ý bạn là status?)', 'baocao'],
    [['member', 'ad'], 'không có lệnh "ad" (có phải ý bạn là add?)', 'baocao member'],
    [
      ['member', 'add', 'a@b.vn', '--role', 'owner'],
      'giá trị "owner" của tùy chọn --role <vai-trò> không hợp lệ. Chỉ nhận: admin, viewer.',
      'baocao member add',
    ],
    [
      ['member', 'add', 'a@b.vn', '--all', '--units', 'a,b'],
      'tùy chọn --units <danh-sách> không dùng cùng với tùy chọn --all',
      'baocao member add',
    ],
    [
      ['status', 'kh', 'năm-nay', '--until', '2026-12-20'],
      'giá trị "năm-nay" của tham số <năm> không hợp lệ. Cần 4 chữ số.',
      'baocao status',
    ],
  ])('tells %j in one Vietnamese line, with where to read the help', async (args, message, command) => {
    expect(await usageError(args)).toBe(`baocao: ${message} — xem hướng dẫn: ${command} --help\n`);
  });

  it('writes the help with Vietnamese headings, placeholders and help texts', async () => {
    // Prepare
    const { cli, out } = program();
    // Act
    await expect(cli.parseAsync(['member', 'add', '--help'], { from: 'user' })).rejects.toMatchObject({
      exitCode: 0,
    });
    await expect(cli.parseAsync(['--help'], { from: 'user' })).rejects.toMatchObject({ exitCode: 0 });
    // Assess
    const [add, top] = out;
    expect(add).toMatch(/^Cách dùng: baocao member add \[tùy chọn\] <email>\n/);
    expect(add).toMatch(/\nTham số:\n {2}email +địa chỉ e-mail\n/);
    expect(add).toMatch(/\nTùy chọn:\n/);
    expect(add).toMatch(/--role <vai-trò> +vai trò \(chỉ nhận: "admin", "viewer", mặc định: "viewer"\)\n/);
    expect(add).toMatch(/-h, --help +xem hướng dẫn của lệnh\n/);
    expect(add).toMatch(/\nTùy chọn chung:\n {2}--json +JSON\n/);
    expect(top).toMatch(/^Cách dùng: baocao \[tùy chọn\] \[lệnh\]\n/);
    expect(top).toMatch(/\nLệnh:\n {2}member +thành viên\n/);
    expect(top).toMatch(/\n {2}status \[tùy chọn\] <kế-hoạch> <năm> +tình trạng\n/);
    expect(top).toMatch(/\n {2}help \[lệnh\] +xem hướng dẫn của một lệnh\n/);
    for (const text of [add, top]) {
      expect(text).not.toMatch(
        /Usage:|Options:|Commands:|Arguments:|\[options\]|\[command\]|default:|display help/,
      );
    }
  });

  it('keeps the text of a message it does not know, without commander’s "error: "', () => {
    expect(commanderMessageVi("error: something new happened '--x'\n")).toBe("something new happened '--x'");
  });
});
