/**
 * What every benchmark group shares: the row shape, number formatting, statistics, and running
 * a measurement in a child process (peak RSS is a property of a process, and the emulators must
 * not share the measured process's event loop).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Repository root. */
export const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** One line of the table. */
export interface Row {
  what: string;
  figure: string;
  anchor: string;
  ratio: string;
  target: string;
  /** true ✓, false ✗, undefined: a figure without a target. */
  ok: boolean | undefined;
}

/** What a group returns: its rows, and notes (Markdown) for docs/BENCHMARKS.md. */
export interface GroupResult {
  rows: Row[];
  notes: string[];
}

/** Given to each group: a private temporary folder (removed afterwards) and a progress logger. */
export interface BenchContext {
  tmp: string;
  log(message: string): void;
}

export interface Group {
  name: string;
  title: string;
  run(ctx: BenchContext): Promise<GroupResult>;
}

export const KIB = 1024;
export const MIB = 1024 * 1024;

export function fmtBytes(bytes: number): string {
  if (bytes >= 10 * MIB) return `${fmtNumber(bytes / MIB, 0)} MB`;
  if (bytes >= MIB) return `${fmtNumber(bytes / MIB, 2)} MB`;
  if (bytes >= 10 * KIB) return `${fmtNumber(bytes / KIB, 0)} KB`;
  return `${fmtNumber(bytes / KIB, 1)} KB`;
}

export function fmtMs(ms: number): string {
  if (ms >= 10_000) return `${fmtNumber(ms / 1000, 1)} s`;
  if (ms >= 1000) return `${fmtNumber(ms / 1000, 2)} s`;
  if (ms >= 10) return `${fmtNumber(ms, 0)} ms`;
  return `${fmtNumber(ms, 1)} ms`;
}

export function fmtNumber(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function fmtRatio(r: number): string {
  if (!Number.isFinite(r)) return '–';
  return r >= 10 ? `${fmtNumber(r, 0)}×` : `${fmtNumber(r, 2)}×`;
}

export function median(values: number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile (p in 0..100) of a non-empty list. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

/** A row whose ✓/✗ comes from `figure ≤ limit`. */
export function atMost(
  what: string,
  figure: number,
  limit: number,
  format: (n: number) => string,
  anchor: { label: string; value: number } | undefined,
): Row {
  return {
    what,
    figure: format(figure),
    anchor: anchor ? `${anchor.label} ${format(anchor.value)}` : '–',
    ratio: anchor ? fmtRatio(figure / anchor.value) : '–',
    target: `≤ ${format(limit)}`,
    ok: figure <= limit,
  };
}

/**
 * A row whose ✓/✗ comes from `figure ≤ maxRatio × anchor`: a time target on a shared, noisy
 * machine is a ratio to an anchor measured in the same run.
 */
export function ratioAtMost(
  what: string,
  figure: number,
  anchor: { label: string; value: number },
  maxRatio: number,
  format: (n: number) => string,
  ratio = figure / anchor.value,
): Row {
  return ratioRow(what, figure, anchor, format, '≤', maxRatio, ratio);
}

/**
 * The median of the ratios of paired samples (`samples[i] / anchors[i]`, each pair measured one
 * after the other in the same round): on a shared machine whose speed drifts from minute to
 * minute, a steadier estimate of the ratio than the ratio of the two medians, since each pair
 * saw the same minute.
 */
export function pairedRatio(samples: number[], anchors: number[]): number {
  if (samples.length !== anchors.length) throw new Error('paired samples of different lengths');
  return median(samples.map((s, i) => s / anchors[i]!));
}

/**
 * A row whose ✓/✗ comes from `figure ≥ minRatio × anchor`: for a throughput (higher is better),
 * the ratio to an anchor measured in the same run.
 */
export function ratioAtLeast(
  what: string,
  figure: number,
  anchor: { label: string; value: number },
  minRatio: number,
  format: (n: number) => string,
): Row {
  return ratioRow(what, figure, anchor, format, '≥', minRatio);
}

function ratioRow(
  what: string,
  figure: number,
  anchor: { label: string; value: number },
  format: (n: number) => string,
  bound: '≤' | '≥',
  limit: number,
  ratio = figure / anchor.value,
): Row {
  return {
    what,
    figure: format(figure),
    anchor: `${anchor.label} ${format(anchor.value)}`,
    ratio: fmtRatio(ratio),
    target: `${bound} ${fmtRatio(limit)}`,
    ok: bound === '≤' ? ratio <= limit : ratio >= limit,
  };
}

/** A row without a target (context for the others). */
export function info(what: string, figure: string, anchor = '–', ratio = '–'): Row {
  return { what, figure, anchor, ratio, target: '–', ok: undefined };
}

export function failedRow(what: string, error: unknown): Row {
  const message = error instanceof Error ? error.message : String(error);
  return {
    what,
    figure: `failed: ${message.split('\n')[0]!.slice(0, 160)}`,
    anchor: '–',
    ratio: '–',
    target: '–',
    ok: false,
  };
}

export interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a command to its end, capturing its output. */
export function runCommand(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, {
      cwd: options.cwd ?? ROOT,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const timer = options.timeoutMs
      ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs).unref()
      : undefined;
    child.on('error', reject);
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: performance.now() - started });
    });
  });
}

/**
 * Runs a worker script (a bundle from {@link bundleWorker}) with plain `node` and returns the
 * JSON object on the last line of its stdout.
 */
export async function runWorker<T>(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = 300_000,
  nodeArgs: string[] = [],
): Promise<T> {
  // BENCH_WORKER_NODE_ARGS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) go to every worker's node.
  const extra = (process.env.BENCH_WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const result = await runCommand(process.execPath, [...extra, ...nodeArgs, script, ...args], {
    env,
    timeoutMs,
  });
  const last = result.stdout.trim().split('\n').pop() ?? '';
  if (result.code !== 0 || !last.startsWith('{')) {
    throw new Error(
      `worker ${script} exited ${result.code}: ${(result.stderr || result.stdout).trim().split('\n').slice(-5).join(' | ')}`,
    );
  }
  return JSON.parse(last) as T;
}

/** `items.map(fn)` with at most `limit` calls in flight, results in input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
