/** What every command shares: the global options, the output (JSON or text) and input files. */
import type { Command } from 'commander';
import { DomainError, ValidationError } from '#shared/errors.ts';
import { readFileBounded } from '#shared/files/bounded-read.ts';

export interface GlobalOptions {
  json?: boolean;
  stage?: string;
  /** `--committee ID`: the committee the command works for (optional while there is one). */
  committee?: string;
}

export function globals(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals() as GlobalOptions;
}

/** Prints `data` as JSON, or the human text. */
export function out(cmd: Command, data: unknown, human: () => string): void {
  process.stdout.write(globals(cmd).json ? `${JSON.stringify(data, null, 2)}\n` : `${human()}\n`);
}

/**
 * An input file's bytes, refused (PayloadTooLargeError) when over `maxBytes` before its content
 * is read: the limits of shared/input-limits.ts, which the parsers check again on the bytes.
 */
export async function readInput(
  file: string,
  maxBytes: number,
  tooLarge: (size: number | undefined) => Error,
): Promise<Uint8Array> {
  try {
    return await readFileBounded(file, maxBytes, tooLarge);
  } catch (error) {
    if (error instanceof DomainError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new ValidationError(
      `Cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code}`,
      [],
      `Không đọc được tệp ${file}: ${READ_PROBLEMS_VI[code ?? ''] ?? `lỗi ${code}`}.`,
    );
  }
}

/** Why a file could not be read, for people. */
const READ_PROBLEMS_VI: Readonly<Record<string, string>> = {
  ENOENT: 'không có tệp này',
  EACCES: 'không có quyền đọc tệp',
  EPERM: 'không có quyền đọc tệp',
  EISDIR: 'đây là một thư mục, không phải tệp',
};

export function parseYear(value: string): number {
  if (!/^\d{4}$/.test(value)) {
    throw new ValidationError(
      `YEAR must be a four-digit year, got "${value}"`,
      [],
      `Năm phải gồm 4 chữ số, ví dụ 2026; nhận được "${value}".`,
    );
  }
  return Number(value);
}

/** What each sub-command group holds, for the help (whichever module registers it first). */
const GROUP_DESCRIPTIONS: Readonly<Record<string, string>> = {
  plan: 'kế hoạch: nhập, xem, lịch báo cáo, đơn vị nhận',
  units: 'đơn vị trực thuộc',
  period: 'kỳ báo cáo: mở kỳ, gia hạn',
  member: 'thành viên văn phòng Đảng ủy (quản trị, theo dõi)',
  committee: 'các cấp ủy của hệ thống và cây trực thuộc (thêm, liệt kê, chuyển cấp trên)',
  report: 'báo cáo của chính cấp ủy này, gửi lên cấp trên',
};

/**
 * The existing sub-command group `name` of the program, or a new one; described in Vietnamese
 * ({@link GROUP_DESCRIPTIONS}, else `description`).
 */
export function subcommand(program: Command, name: string, description?: string): Command {
  return (
    program.commands.find((c) => c.name() === name) ??
    program.command(name).description(GROUP_DESCRIPTIONS[name] ?? description ?? '')
  );
}
