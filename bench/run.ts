/**
 * `npm run bench` (every group) or `npm run bench -- <group>…`: runs the groups in order, prints
 * one table (what, figure, anchor, ratio, target, ✓/✗) and writes docs/BENCHMARKS.md. A partial
 * run rewrites only its own groups' sections of the document.
 *
 * Figures are compared with an anchor measured in the same run (these machines are noisy);
 * no timing ever goes into a test.
 */
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { runBundles } from './bundles.ts';
import { runCost } from './cost.ts';
import { runExport } from './export.ts';
import { runLevers } from './levers.ts';
import { runPeriodPage } from './period-page.ts';
import { runPlanImport } from './plan-import.ts';
import { runPlanner } from './planner.ts';
import { runPublic } from './public.ts';
import { runSignatures } from './signatures.ts';
import { failedRow, type Group, type GroupResult, ROOT, type Row } from './support.ts';
import { runXlsx } from './xlsx.ts';

const GROUPS: Group[] = [
  { name: 'bundles', title: 'Lambda bundles: size and cold import', run: runBundles },
  { name: 'levers', title: 'Bundle levers: what each one gives', run: runLevers },
  { name: 'export', title: 'Consolidated export: ZIP writer and whole pack', run: runExport },
  { name: 'xlsx', title: 'Summary spreadsheet (tong-hop.xlsx)', run: runXlsx },
  { name: 'plan-import', title: 'Plan import: a 200-page plan (.docx, .pdf)', run: runPlanImport },
  { name: 'planner', title: 'Planner tick', run: runPlanner },
  { name: 'public', title: 'Public endpoint: POST /u/{token}/uploads', run: runPublic },
  { name: 'period-page', title: "Committee's period page: 1,000 units", run: runPeriodPage },
  {
    name: 'signatures',
    title: 'Digital signatures: a 20 MB signed PDF, the verifier bundle',
    run: runSignatures,
  },
  { name: 'cost', title: 'Cost per cycle', run: runCost },
];

const DOC = join(ROOT, 'docs', 'BENCHMARKS.md');

async function main(): Promise<void> {
  const names = process.argv.slice(2).filter((a) => a !== '--');
  const unknown = names.filter((n) => !GROUPS.some((g) => g.name === n));
  if (unknown.length > 0) {
    console.error(`Unknown group ${unknown.join(', ')}. Groups: ${GROUPS.map((g) => g.name).join(', ')}`);
    process.exit(2);
  }
  const selected = names.length > 0 ? GROUPS.filter((g) => names.includes(g.name)) : GROUPS;
  const command = names.length > 0 ? `npm run bench -- ${names.join(' ')}` : 'npm run bench';
  const tmpRoot = await mkdtemp(join(os.tmpdir(), 'baocao-bench-'));
  const cleanup = () => rmSync(tmpRoot, { recursive: true, force: true });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      cleanup();
      process.exit(130);
    });
  }

  const started = performance.now();
  const results: { group: Group; result: GroupResult; seconds: number }[] = [];
  let crashed = false;
  try {
    for (const group of selected) {
      const t = performance.now();
      const log = (message: string) => console.error(`[${group.name} ${elapsed(started)}] ${message}`);
      let result: GroupResult;
      try {
        const tmp = join(tmpRoot, group.name);
        await mkdir(tmp, { recursive: true });
        result = await group.run({ tmp, log });
      } catch (error) {
        crashed = true;
        log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        result = { rows: [failedRow(group.name, error)], notes: [] };
      } finally {
        rmSync(join(tmpRoot, group.name), { recursive: true, force: true });
      }
      const seconds = (performance.now() - t) / 1000;
      log(`done in ${seconds.toFixed(0)} s`);
      results.push({ group, result, seconds });
    }
  } finally {
    cleanup();
  }

  const total = (performance.now() - started) / 1000;
  console.log(renderTable(results.flatMap(({ group, result }) => [groupRow(group), ...result.rows])));
  const rows = results.flatMap((r) => r.result.rows);
  console.log(
    `\n${rows.filter((r) => r.ok === true).length} ✓, ${rows.filter((r) => r.ok === false).length} ✗ — ${total.toFixed(0)} s; written to docs/BENCHMARKS.md`,
  );
  await writeDoc(results, command, total);
  if (crashed) process.exitCode = 1;
}

function elapsed(since: number): string {
  const s = Math.round((performance.now() - since) / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

function groupRow(group: Group): Row {
  return {
    what: `— ${group.name}: ${group.title}`,
    figure: '',
    anchor: '',
    ratio: '',
    target: '',
    ok: undefined,
  };
}

const HEAD = ['what', 'figure', 'anchor', 'ratio', 'target', '✓/✗'];

function cells(row: Row): string[] {
  const mark = row.ok === undefined ? '' : row.ok ? '✓' : '✗';
  return [row.what, row.figure, row.anchor, row.ratio, row.target, mark];
}

/** A plain-text table for the terminal. */
function renderTable(rows: Row[]): string {
  const all = [HEAD, ...rows.map(cells)];
  const widths = HEAD.map((_, i) => Math.max(...all.map((r) => [...r[i]!].length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c + ' '.repeat(widths[i]! - [...c].length))
      .join('  ')
      .trimEnd();
  return [line(HEAD), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(cells).map(line)].join('\n');
}

function markdownTable(rows: Row[]): string {
  const esc = (c: string) => c.replaceAll('|', '\\|');
  return [
    `| ${HEAD.join(' | ')} |`,
    `| ${HEAD.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${cells(r).map(esc).join(' | ')} |`),
  ].join('\n');
}

export function machine(): string {
  const cpus = os.cpus();
  return `${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB memory, Node ${process.versions.node}, ${os.type()} ${os.release()}`;
}

const START = (name: string) => `<!-- bench:${name} -->`;
const END = (name: string) => `<!-- /bench:${name} -->`;

/** Rewrites the sections of the groups that ran; keeps the others as they were. */
async function writeDoc(
  results: { group: Group; result: GroupResult; seconds: number }[],
  command: string,
  total: number,
): Promise<void> {
  const previous = await readFile(DOC, 'utf8').catch(() => '');
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const sections = GROUPS.map((group) => {
    const ran = results.find((r) => r.group.name === group.name);
    if (!ran) return extractSection(previous, group.name);
    const body = [
      START(group.name),
      `## ${group.name}: ${group.title}`,
      '',
      `Measured ${now} by \`${command}\` (${ran.seconds.toFixed(0)} s) on ${machine()}.`,
      '',
      markdownTable(ran.result.rows),
      '',
      ...ran.result.notes.flatMap((n) => [n, '']),
      END(group.name),
    ];
    return body.join('\n');
  }).filter((s): s is string => Boolean(s));
  const header = [
    '# Benchmarks',
    '',
    '<!-- Generated by `npm run bench` (bench/run.ts). Edit the group modules in bench/, not this file. -->',
    '',
    'What users feel (cold starts, upload latency, export memory) and what AWS bills (requests,',
    'bytes, e-mails), each figure beside an **anchor** measured in the same run on the same machine:',
    'the machines these run on are shared and noisy, so the ratio to the anchor is the figure to',
    'compare between runs: every time target is a ratio to its anchor (sizes and memory stay in',
    'bytes). `npm run bench` runs every group (under 10 minutes on 2 cores);',
    '`npm run bench -- <group>` runs one and rewrites only its section. The emulators are started',
    'in-process (test/support/local-stack.ts) and stopped, and every temporary file is deleted, at',
    'the end. CI (`.ci/run`) does not run the benchmark; `zip` must be installed for the export',
    'anchor (`apt-get install -y zip`).',
    '',
    `Last run: ${now}, \`${command}\`, ${total.toFixed(0)} s, on ${machine()}.`,
    '',
  ].join('\n');
  await writeFile(DOC, `${header}\n${sections.join('\n\n')}\n`);
}

function extractSection(doc: string, name: string): string | undefined {
  const start = doc.indexOf(START(name));
  const end = doc.indexOf(END(name));
  if (start < 0 || end < start) return undefined;
  return doc.slice(start, end + END(name).length);
}

await main();
