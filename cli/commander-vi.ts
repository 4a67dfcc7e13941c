/**
 * Commander's own words in Vietnamese: the help's headings and placeholders, the help option and
 * help command, and its usage errors (unknown option, missing argument, …), each told in one line
 * like the CLI's own errors, with where to read the command's help. Applied to every command of
 * the program once all of them are registered ({@link speakVietnamese}, just before parsing), so
 * a command added by any module gets it.
 *
 * Commander 14 lets a program configure these texts (`configureHelp`, `configureOutput`,
 * `helpOption`, `helpCommand`); it has no message catalogue for its errors, so
 * {@link commanderMessageVi} translates the messages it builds (command.js), pattern by pattern.
 */
import { type Argument, type Command, Help, type Option } from 'commander';

/** The headings commander's help passes to `styleTitle`. */
const TITLES: Readonly<Record<string, string>> = {
  'Usage:': 'Cách dùng:',
  'Arguments:': 'Tham số:',
  'Options:': 'Tùy chọn:',
  'Global Options:': 'Tùy chọn chung:',
  'Commands:': 'Lệnh:',
};

export const HELP_OPTION_DESCRIPTION = 'xem hướng dẫn của lệnh';
export const HELP_COMMAND_DESCRIPTION = 'xem hướng dẫn của một lệnh';

/** Commander's own help, for the parts this module only rewords. */
const plain = new Help();

/** `[options]` and `[command]` of commander's usage lines and command terms. */
function placeholdersVi(text: string): string {
  return text.replaceAll('[options]', '[tùy chọn]').replaceAll('[command]', '[lệnh]');
}

/** The `(default: …, choices: …)` that commander appends to a description. */
function extrasVi(full: string, description: string): string {
  if (!full.startsWith(description)) return full;
  const extras = full
    .slice(description.length)
    .replace(/\bdefault: /, 'mặc định: ')
    .replace(/\bchoices: /, 'chỉ nhận: ')
    .replace(/\bpreset: /, 'giá trị khi bỏ trống: ')
    .replace(/\benv: /, 'biến môi trường: ');
  return description + extras;
}

const HELP_CONFIGURATION = {
  showGlobalOptions: true,
  styleTitle: (title: string) => TITLES[title] ?? title,
  commandUsage: (cmd: Command) => placeholdersVi(plain.commandUsage(cmd)),
  subcommandTerm: (cmd: Command) => placeholdersVi(plain.subcommandTerm(cmd)),
  optionDescription: (option: Option) => extrasVi(plain.optionDescription(option), option.description),
  argumentDescription: (argument: Argument) =>
    extrasVi(plain.argumentDescription(argument), argument.description),
};

/** `baocao plan import`: the words that call a command. */
function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** `option '--until <ngày>'` → `tùy chọn --until <ngày>` (as commander names an option in a conflict). */
function optionNameVi(text: string): string {
  return text
    .replace(/^option '(.+)'$/, 'tùy chọn $1')
    .replace(/^environment variable '(.+)' value for option '(.+)'$/, 'biến môi trường $1 (tùy chọn $2)');
}

/** Commander's `Allowed choices are a, b.` and the like, after an invalid value. */
function invalidValueReasonVi(reason: string): string {
  const text = reason.trim();
  if (!text) return '';
  const choices = /^Allowed choices are (.+)\.$/.exec(text);
  return ` ${choices ? `Chỉ nhận: ${choices[1]}.` : text}`;
}

/**
 * One of commander's error messages (`error: unknown option '--x'\n(Did you mean --y?)`) in
 * Vietnamese, on one line; a message this does not know keeps its text without `error: `.
 */
export function commanderMessageVi(message: string): string {
  const [first = '', ...rest] = message.trim().split('\n');
  const suggestion = rest
    .join(' ')
    .trim()
    .replace(/^\(Did you mean one of (.+)\?\)$/, ' (có phải ý bạn là một trong: $1?)')
    .replace(/^\(Did you mean (.+)\?\)$/, ' (có phải ý bạn là $1?)');
  const text = first.replace(/^error: /, '');
  const rules: [RegExp, (...groups: string[]) => string][] = [
    [/^unknown option '(.+)'$/, (flag) => `không có tùy chọn ${flag}`],
    [/^unknown command '(.+)'$/, (name) => `không có lệnh "${name}"`],
    [/^missing required argument '(.+)'$/, (name) => `thiếu tham số bắt buộc <${name}>`],
    [/^option '(.+)' argument missing$/, (flags) => `tùy chọn ${flags} cần có giá trị`],
    [/^required option '(.+)' not specified$/, (flags) => `thiếu tùy chọn bắt buộc ${flags}`],
    [
      /^too many arguments(?: for '(.+)')?\. Expected (\d+) arguments? but got (\d+)\.$/,
      (name, expected, got) =>
        `thừa tham số: lệnh${name ? ` ${name}` : ''} nhận ${expected} tham số nhưng được đưa ${got}`,
    ],
    [
      /^(.+) cannot be used with (.+)$/,
      (a, b) => `${optionNameVi(a ?? '')} không dùng cùng với ${optionNameVi(b ?? '')}`,
    ],
    [
      /^option '(.+)' argument '(.*)' is invalid\.(.*)$/,
      (flags, value, reason) =>
        `giá trị "${value}" của tùy chọn ${flags} không hợp lệ.${invalidValueReasonVi(reason ?? '')}`,
    ],
    [
      /^option '(.+)' value '(.*)' from env '(.+)' is invalid\.(.*)$/,
      (flags, value, env, reason) =>
        `giá trị "${value}" (biến môi trường ${env}) của tùy chọn ${flags} không hợp lệ.${invalidValueReasonVi(reason ?? '')}`,
    ],
    [
      /^command-argument value '(.*)' is invalid for argument '(.+)'\.(.*)$/,
      (value, name, reason) =>
        `giá trị "${value}" của tham số <${name}> không hợp lệ.${invalidValueReasonVi(reason ?? '')}`,
    ],
  ];
  for (const [pattern, say] of rules) {
    const match = pattern.exec(text);
    if (match) return `${say(...match.slice(1).map((g) => g ?? ''))}${suggestion}`;
  }
  return `${text}${suggestion}`;
}

/**
 * Gives `cmd` and every command below it Vietnamese help and usage errors. A usage error is one
 * line on stderr, `baocao: <lỗi> — xem hướng dẫn: baocao … --help`, instead of commander's
 * English line followed by the whole help (the CLI's errors are one line, see DESIGN §4).
 */
export function speakVietnamese(cmd: Command): void {
  cmd.configureHelp(HELP_CONFIGURATION);
  cmd.helpOption('-h, --help', HELP_OPTION_DESCRIPTION);
  if (cmd.commands.length > 0) cmd.helpCommand('help [lệnh]', HELP_COMMAND_DESCRIPTION);
  cmd.showHelpAfterError(false);
  cmd.configureOutput({
    outputError: (message, write) =>
      write(`baocao: ${commanderMessageVi(message)} — xem hướng dẫn: ${commandPath(cmd)} --help\n`),
  });
  for (const sub of cmd.commands) speakVietnamese(sub);
}
