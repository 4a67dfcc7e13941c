/**
 * The local malware scanner: ClamAV's `clamscan` (Debian package `clamav`), one process per file,
 * the bytes on its standard input. Exit 0 is clean, 1 a signature matched, anything else (2, a
 * signal, a timeout) a failed scan. ClamAV silently passes what exceeds its size limits, so the
 * limits are raised to the scan bound and `--alert-exceeds-max` turns an excess into a
 * `Heuristics.Limits.Exceeded` alert, read as "unsupported" — never as clean.
 */
import { spawn } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import type { MalwareScanner, ScanVerdict } from '#shared/scanning/ports.ts';

export interface ClamscanOptions {
  /** The program (CLAMSCAN_COMMAND): a name on PATH or a path. */
  command: string;
  /** The signature database (CLAMAV_DATABASE): a folder of .cvd/.cld/… files, or one database file. */
  database: string;
  /** A scan that takes longer is killed and counted as failed (SCAN_TIMEOUT_SECONDS). */
  timeoutMs: number;
  /** The scan bound in bytes (MAX_UPLOAD_BYTES): ClamAV's file and scan size limits. */
  maxBytes: number;
  /** How long an availability check is reused (default 60 s: installing ClamAV needs no restart). */
  availabilityTtlMs?: number;
}

/** Database files clamscan loads (signatures, hashes, logical and YARA rules). */
const DATABASE_FILE =
  /\.(cvd|cld|cud|hdb|hsb|hdu|hsu|mdb|msb|mdu|msu|ndb|ndu|ldb|ldu|idb|cdb|crb|cbc|pdb|gdb|wdb|ftm|yar|yara|sfp|ign2?|fp)$/i;

/** Most output kept from one run (a threat name and an error line are all that is read). */
const MAX_OUTPUT = 64 * 1024;

export class ClamscanScanner implements MalwareScanner {
  readonly engine = 'clamav' as const;
  private checked: { at: number; answer: Promise<{ ok: true } | { ok: false; detail: string }> } | undefined;

  constructor(
    private readonly options: ClamscanOptions,
    private readonly now: () => number = Date.now,
  ) {}

  available(): Promise<{ ok: true } | { ok: false; detail: string }> {
    const ttl = this.options.availabilityTtlMs ?? 60_000;
    if (!this.checked || this.now() - this.checked.at > ttl) {
      this.checked = { at: this.now(), answer: this.check() };
    }
    return this.checked.answer;
  }

  private async check(): Promise<{ ok: true } | { ok: false; detail: string }> {
    const version = await run(this.options.command, ['--version'], undefined, 10_000);
    if (version.error || version.code !== 0) {
      return { ok: false, detail: `${this.options.command} is not installed or does not run` };
    }
    if (!(await hasDatabase(this.options.database))) {
      return { ok: false, detail: `no ClamAV signature database at ${this.options.database}` };
    }
    return { ok: true };
  }

  async scan(bytes: Uint8Array): Promise<ScanVerdict> {
    if (bytes.length > this.options.maxBytes) {
      return {
        status: 'unsupported',
        detail: `file larger than the scan bound of ${this.options.maxBytes} bytes`,
      };
    }
    // Limits a little above the bound: ClamAV compares with ">", archives count their contents.
    const limit = String(this.options.maxBytes + 1);
    const args = [
      '--no-summary',
      '--stdout',
      '--infected',
      `--database=${this.options.database}`,
      `--max-filesize=${limit}`,
      `--max-scansize=${limit}`,
      '--alert-exceeds-max=yes',
      '--alert-encrypted=no',
      '-',
    ];
    const outcome = await run(this.options.command, args, bytes, this.options.timeoutMs);
    if (outcome.timedOut)
      return { status: 'failed', detail: `clamscan timed out after ${this.options.timeoutMs} ms` };
    if (outcome.error) return { status: 'failed', detail: `clamscan did not run: ${outcome.error.message}` };
    if (outcome.code === 0) return { status: 'clean' };
    if (outcome.code === 1) {
      const threat = threatName(outcome.stdout);
      if (threat === undefined) return { status: 'failed', detail: 'clamscan exit 1 without a FOUND line' };
      if (/^Heuristics\.Limits\.Exceeded/i.test(threat)) {
        return { status: 'unsupported', detail: `clamscan: ${threat}` };
      }
      return { status: 'infected', threat };
    }
    const why = outcome.signal ? `killed by ${outcome.signal}` : `exit ${outcome.code}`;
    const line = outcome.stderr.split('\n').find((l) => l.trim()) ?? '';
    return { status: 'failed', detail: `clamscan ${why}${line ? `: ${line.trim()}` : ''}` };
  }
}

/** The name in clamscan's `stdin: <name> FOUND` line. */
export function threatName(stdout: string): string | undefined {
  for (const line of stdout.split('\n')) {
    const m = line.match(/^[^:]*:\s*(.+?)\s+FOUND\s*$/);
    if (m) return m[1];
  }
  return undefined;
}

async function hasDatabase(path: string): Promise<boolean> {
  try {
    const info = await stat(path);
    if (info.isFile()) return info.size > 0 && DATABASE_FILE.test(path);
    if (!info.isDirectory()) return false;
    const names = await readdir(path);
    return names.some((n) => DATABASE_FILE.test(n) && !/\.(ign2?|fp|sfp)$/i.test(n));
  } catch {
    return false;
  }
}

interface RunOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  error?: Error;
}

/** Runs a program with `input` on stdin, bounded in time and in output kept. */
function run(
  command: string,
  args: string[],
  input: Uint8Array | undefined,
  timeoutMs: number,
): Promise<RunOutcome> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let settled = false;
    const finish = (outcome: Omit<RunOutcome, 'stdout' | 'stderr' | 'timedOut'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...outcome, stdout, stderr, timedOut });
    };
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], shell: false, detached: true });
    } catch (error) {
      resolve({ code: null, signal: null, stdout, stderr, timedOut, error: error as Error });
      return;
    }
    const timer = setTimeout(() => {
      timedOut = true;
      // The whole process group: a child the program started must not keep the pipes open.
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
      finish({ code: null, signal: 'SIGKILL' });
    }, timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      if (stdout.length < MAX_OUTPUT) stdout += chunk.toString('utf8').slice(0, MAX_OUTPUT - stdout.length);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      if (stderr.length < MAX_OUTPUT) stderr += chunk.toString('utf8').slice(0, MAX_OUTPUT - stderr.length);
    });
    child.on('error', (error) => finish({ code: null, signal: null, error }));
    child.on('close', (code, signal) => finish({ code, signal }));
    // A scanner that exits before reading all of its input closes the pipe: not our failure.
    child.stdin?.on('error', () => {});
    if (input) child.stdin?.end(input);
    else child.stdin?.end();
  });
}

/** A scanner for an installation that has none: every file "Không quét". */
export const NO_SCANNER: MalwareScanner = {
  engine: 'none',
  available: async () => ({ ok: false, detail: 'no malware scanner configured (MALWARE_SCANNER=none)' }),
  scan: async () => ({ status: 'not-scanned', detail: 'no malware scanner configured' }),
};
