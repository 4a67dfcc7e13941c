import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { addDays, localDate } from '#shared/domain/calendar.ts';
import { importPlan } from '#shared/plans/plans.ts';
import { importUnits } from '#shared/units/units.ts';
import { exposeToCli } from '#test/support/cli.ts';
import { startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { clearEmails, type StoredEmail, storedEmails } from '#test/support/mail.ts';
import { type SlowSes, startSlowSes } from '#test/support/slow-ses.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin', 'baocao.js');
const DEMO_PLAN = join(ROOT, 'local', 'demo', 'ke-hoach-12-KH-DUS.txt');
const TODAY = localDate(new Date(), 'Asia/Ho_Chi_Minh');
const YEAR = TODAY.slice(0, 4);
const DEADLINE = addDays(TODAY, 20);

/** The "period opened" e-mails (each carries the unit's link), by recipient. */
function linkMailsByRecipient(mails: StoredEmail[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of mails.filter((m) => m.subject.includes('] Mở kỳ báo cáo năm'))) {
    const to = m.destination.to[0]!;
    counts.set(to, (counts.get(to) ?? 0) + 1);
  }
  return counts;
}

/** Every unit got its link; at most one e-mail (the one in flight when the process died) twice. */
function expectEachOnce(counts: Map<string, number>, addresses: string[]): void {
  expect([...counts.keys()].sort()).toEqual([...addresses].sort());
  const extra = [...counts.values()].reduce((sum, n) => sum + (n - 1), 0);
  expect(extra).toBeLessThanOrEqual(1);
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function run(args: string[], env: Record<string, string>, cwd = ROOT) {
  // One process (node itself), so that SIGKILL kills what sends, as `kill -9` would.
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, ...env, NODE_NO_WARNINGS: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => {
    out += d;
  });
  child.stderr!.on('data', (d) => {
    err += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => ({ out, err }) };
}

async function kill(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await exited;
}

describe('a local process killed while it sends a period’s links', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    cleanups.length = 0;
  });

  it('the CLI killed part-way: after a restart every unit has its link once, none skipped', async () => {
    // Prepare: 120 units; SES answers each e-mail after 15 ms, so sending takes seconds.
    const ses: SlowSes = await startSlowSes(15);
    cleanups.push(() => ses.close());
    // aws-ses-v2-local keeps one store per process: start from an empty one.
    await clearEmails(ses.mailUrl);
    const stack: TestStack = await startTestStack({ sesEndpoint: ses.endpoint });
    cleanups.push(() => stack.stop());
    const units = Array.from({ length: 120 }, (_, i) => ({
      id: `cb-${String(i).padStart(3, '0')}`,
      email: `cb-${i}@crash.example`,
    }));
    await importUnits(
      stack.deps,
      ['id,name,email,cc', ...units.map((u) => `${u.id},Chi bộ ${u.id},${u.email},`)].join('\n'),
    );
    await importPlan(stack.deps, await readFile(DEMO_PLAN), 'ke-hoach-12-KH-DUS.txt');
    const env = await exposeToCli(stack);
    const open = ['period', 'open', '12-kh-dus-2025', YEAR, '--deadline', DEADLINE];

    // Act: kill the CLI once the first links have gone out.
    const first = run([BIN, ...open], env);
    cleanups.push(() => kill(first.child, first.exited));
    await until('the first links', async () =>
      first.child.exitCode === null && (await storedEmails(ses.mailUrl)).length >= 10 ? true : undefined,
    );
    await kill(first.child, first.exited);
    expect(first.child.signalCode).toBe('SIGKILL');
    // The restart: the same command again, then whatever the stack still holds.
    const second = run([BIN, ...open, '--json'], env);
    cleanups.push(() => kill(second.child, second.exited));
    expect(await second.exited, second.output().err).toBe(0);
    await stack.mailQueue.drain();

    // Assess
    expectEachOnce(
      linkMailsByRecipient(await storedEmails(ses.mailUrl)),
      units.map((u) => u.email),
    );
    expect(stack.mailQueue.queue.deadLetters).toEqual([]);
  }, 240_000);

  it('npm start killed part-way: the next start sends the rest, each unit once', async () => {
    // Prepare: the demo's start e-mails its 10 units their links; SES takes 300 ms for each.
    const ses: SlowSes = await startSlowSes(300);
    cleanups.push(() => ses.close());
    await clearEmails(ses.mailUrl);
    const dataDir = await mkdtemp(join(tmpdir(), 'baocao-crash-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const port = await freePortBlock();
    const env = { BAOCAO_DATA_DIR: dataDir, PORT: String(port), BAOCAO_SES_ENDPOINT: ses.endpoint };
    const start = () => run(['--import', 'tsx', 'local/start.ts'], env);

    // Act: kill npm start after its third link e-mail; start it again.
    const first = start();
    cleanups.push(() => kill(first.child, first.exited));
    await until(
      'three link e-mails',
      async () => {
        if (first.child.exitCode !== null) throw new Error(first.output().err);
        const sent = linkMailsByRecipient(await storedEmails(ses.mailUrl));
        return sent.size >= 3 ? true : undefined;
      },
      90_000,
    );
    await kill(first.child, first.exited);
    const sentBefore = linkMailsByRecipient(await storedEmails(ses.mailUrl)).size;
    expect(sentBefore).toBeLessThan(10);
    const second = start();
    cleanups.push(() => kill(second.child, second.exited));
    const all = await until(
      'every demo unit’s link',
      async () => {
        const sent = linkMailsByRecipient(await storedEmails(ses.mailUrl));
        return sent.size >= 10 ? sent : undefined;
      },
      90_000,
    );
    // Anything else in flight has landed too.
    await new Promise((r) => setTimeout(r, 1_000));

    // Assess
    expect(second.output().out).not.toMatch(/Loaded the demo/);
    const demoUnits = (await readFile(join(ROOT, 'local', 'demo', 'units.csv'), 'utf8'))
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.match(/[^,\s"]+@[^,\s"]+/)![0]);
    expect(all.size).toBe(demoUnits.length);
    expectEachOnce(linkMailsByRecipient(await storedEmails(ses.mailUrl)), demoUnits);
  }, 240_000);
});

/** A port whose next three are free too (npm start takes PORT … PORT+3). */
async function freePortBlock(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const base = 20000 + Math.floor(Math.random() * 30000);
    const ok = await Promise.all([0, 1, 2, 3].map((i) => isFree(base + i)));
    if (ok.every(Boolean)) return base;
  }
  throw new Error('no free port block');
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}
